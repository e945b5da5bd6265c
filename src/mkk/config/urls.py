from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

# The admin requires a verified second factor, like every other privileged page.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", include("mkk.web.urls")),
    path("accounts/", include("mkk.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("mkk.audit.urls")),
    path("", include("mkk.directory.urls")),
    path("admin/", admin.site.urls),
]

for app in ("plans", "statistics", "meetings", "cases", "reports"):
    if f"mkk.{app}" in settings.INSTALLED_APPS:
        try:
            urlpatterns.append(path("", include(f"mkk.{app}.urls")))
        except ModuleNotFoundError as exc:  # an app that has no pages yet
            if exc.name != f"mkk.{app}.urls":
                raise
