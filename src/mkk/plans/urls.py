from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("m/<slug:code>/plan/", views.index, name="index"),
    path("m/<slug:code>/plan/actions/", views.actions, name="actions"),
    path("m/<slug:code>/plan/actions/add/", views.action_add, name="action_add"),
    path("m/<slug:code>/plan/import/", views.import_upload, name="import"),
    path("m/<slug:code>/plan/import/confirm/", views.import_confirm, name="import_confirm"),
    path("m/<slug:code>/plan/settings/", views.plan_settings, name="settings"),
    path("m/<slug:code>/plan/export.xlsx", views.export, name="export"),
    path("m/<slug:code>/plan/reviews/", views.reviews, name="reviews"),
    path("plans/imports/<int:pk>/", views.import_run, name="import_run"),
    path("plans/actions/<int:pk>/", views.action_detail, name="action"),
    path("plans/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("plans/actions/<int:pk>/retire/", views.action_retire, name="action_retire"),
    path("plans/actions/<int:pk>/history/", views.action_history, name="action_history"),
    path("plans/actions/<int:pk>/progress/", views.progress, name="progress"),
    path("plans/updates/<int:pk>/", views.update_detail, name="update"),
    path("plans/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("plans/evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
