"""Dashboard panels contributed by each app.

An app adds a panel by listing a function in ``PANEL_PROVIDERS``; each takes the request and
returns ``None`` or a dict ``{"title": ..., "template": ..., **context}`` rendered with
``{% include %}``. Panels are read-only summaries built from the app's selectors.
"""

from __future__ import annotations

import importlib
import logging

logger = logging.getLogger(__name__)

PANEL_PROVIDERS = [
    "mkk.plans.dashboard:panel",
    "mkk.statistics.dashboard:panel",
    "mkk.meetings.dashboard:panel",
    "mkk.cases.dashboard:panel",
    "mkk.reports.dashboard:panel",
]


def _load(spec: str):
    module_name, func = spec.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None  # that app has no dashboard panel
        raise
    return getattr(module, func)


def panels_for(request) -> list[dict]:
    panels = []
    for spec in PANEL_PROVIDERS:
        provider = _load(spec)
        if provider is None:
            continue
        panel = provider(request)
        if panel:
            panels.append(panel)
    return panels
