"""The project's URLs plus three views that fail on purpose (error-page tests only)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from mkk.config.urls import handler400, handler403, handler404, urlpatterns  # noqa: F401


def _forbidden(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("test")


def _broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-errors/403", _forbidden),
    path("test-errors/400", _bad),
    path("test-errors/500", _broken),
    *urlpatterns,
]


def _logs(request):
    import logging

    from django.http import HttpResponse

    logging.getLogger("mkk.test").warning("inside the view")
    return HttpResponse("ok")


urlpatterns.insert(0, path("test-errors/logs", _logs))
