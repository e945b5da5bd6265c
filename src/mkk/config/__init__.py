# The Celery app is loaded with Django so that tasks started by views use its settings.
from .celery import app as celery_app

__all__ = ["celery_app"]
