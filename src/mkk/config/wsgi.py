import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mkk.config.settings")
application = get_wsgi_application()

from mkk.web.checks import refuse_to_serve_without_secrets  # noqa: E402

refuse_to_serve_without_secrets()
