from django.urls import path

from . import file_views, views

app_name = "reports"
urlpatterns = [
    path("reports/<int:pk>/files/status/", file_views.report_files_status, name="files_status"),
    path("reports/<int:pk>/files/restart/", file_views.report_files_restart, name="files_restart"),
    path("m/<slug:code>/reports/", views.index, name="index"),
    path("reports/<int:pk>/", views.detail, name="detail"),
    path("reports/<int:pk>/edit/", views.edit, name="edit"),
    path("reports/<int:pk>/step/", views.transition, name="transition"),
    path("reports/<int:pk>/decide/", views.decide, name="decide"),
    path("reports/<int:pk>/new-version/", views.new_version, name="new_version"),
    path("reports/<int:pk>/delete/", views.delete, name="delete"),
    path("reports/<int:pk>/diff/", views.diff, name="diff"),
    path("reports/<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("public/reports/<slug:slug>/", views.public_detail, name="public_detail"),
    path("public/reports/<slug:slug>/<str:fmt>/", views.public_download, name="public_download"),
]
