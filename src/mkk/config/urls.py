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
    path("", include("mkk.plans.urls")),
    path("", include("mkk.statistics.urls")),
    path("", include("mkk.meetings.urls")),
    path("", include("mkk.cases.urls")),
    path("", include("mkk.reports.urls")),
    path("", include("mkk.national.urls")),
    path("", include("mkk.notifications.urls")),
    path("", include("mkk.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("mkk.ops.urls")),
]

# Error pages in the user's language inside the site's layout (mkk/ops); 500 is the
# self-contained template ops/templates/500.html rendered by Django's own handler.
handler400 = "mkk.ops.errors.bad_request"
handler403 = "mkk.ops.errors.permission_denied"
handler404 = "mkk.ops.errors.page_not_found"
