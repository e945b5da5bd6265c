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
]
