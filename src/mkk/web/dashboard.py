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
    return getattr(importlib.import_module(module_name), func)


def panels_for(request) -> list[dict]:
    panels = []
    for spec in PANEL_PROVIDERS:
        panel = _load(spec)(request)
        if panel:
            panels.append(panel)
    return panels
