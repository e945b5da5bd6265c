import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mkk.config.settings")
application = get_asgi_application()

from mkk.web.checks import refuse_to_serve_without_secrets  # noqa: E402

refuse_to_serve_without_secrets()
