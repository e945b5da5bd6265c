from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

from mkk.audit.context import client_ip


def _allowed(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.MKK_METRICS_ALLOWED_IPS:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


@require_GET
@never_cache
def metrics(request):
    """Prometheus metrics, only to MKK_METRICS_ALLOWED_IPS (addresses or networks); 404 to
    everyone else, so the path does not even show that it exists."""
    if not _allowed(client_ip(request)):
        raise Http404
    return ExportToDjangoView(request)
