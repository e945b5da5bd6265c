"""The request id travels with every Celery task a request starts.

``before_task_publish`` copies the current request id into the task message's headers;
``task_prerun`` sets it for the task's log lines and ``task_postrun`` clears it. With no
broker (tasks run eagerly, in-process) the id simply stays set in the calling request.
Connected when the app registry is ready (OpsConfig.ready), so mkk/config/celery.py needs
no change; importing this module again is harmless.
"""

from __future__ import annotations

from celery.signals import before_task_publish, task_postrun, task_prerun

from . import requestid

HEADER = "mkk_request_id"
_tokens: dict[str, object] = {}


@before_task_publish.connect(weak=False, dispatch_uid="mkk.ops.request_id.publish")
def _publish(sender=None, headers=None, **kwargs):
    rid = requestid.get()
    if rid and headers is not None:
        headers[HEADER] = rid


@task_prerun.connect(weak=False, dispatch_uid="mkk.ops.request_id.prerun")
def _prerun(sender=None, task_id=None, task=None, **kwargs):
    request = getattr(task, "request", None)
    rid = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    if rid is None and getattr(request, "is_eager", False):
        return  # eager: the caller's id is already current
    _tokens[task_id] = requestid.set(requestid.accept(rid) if rid else requestid.new_id())


@task_postrun.connect(weak=False, dispatch_uid="mkk.ops.request_id.postrun")
def _postrun(sender=None, task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        requestid.reset(token)
