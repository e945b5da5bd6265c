from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read-all/", views.mark_all_read, name="read_all"),
    path("notifications/settings/", views.settings_view, name="settings"),
    path("notifications/<int:pk>/", views.open_entry, name="open"),
    path("notifications/<int:pk>/read/", views.mark_read, name="read"),
    path("notifications/outbox/", views.outbox, name="outbox"),
    path("notifications/outbox/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
    path("reports/<int:pk>/files/status/", views.report_files_status, name="report_files"),
    path(
        "reports/<int:pk>/files/restart/",
        views.report_files_restart,
        name="report_files_restart",
    ),
]
