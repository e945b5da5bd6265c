from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running MKK as a service: health, logs, metrics, error pages, files, backups, roles."""

    name = "mkk.ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        try:
            import celery  # noqa: F401
        except ImportError:  # pragma: no cover - Celery is a runtime dependency once jobs lands
            return
        from . import celery_signals  # noqa: F401  (request id into the jobs a request starts)
