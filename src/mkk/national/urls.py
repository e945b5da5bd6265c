from django.urls import path

from . import views

app_name = "national"

urlpatterns = [
    path("national/", views.dashboard, name="dashboard"),
    path("national/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("national/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("national/dataValueSets.json", views.export, {"fmt": "dhis2"}, name="export_dhis2"),
]
