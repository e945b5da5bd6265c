from django.urls import path

from . import views

app_name = "national"

urlpatterns = [
    path("national/", views.dashboard, name="dashboard"),
    path("national/export/<slug:fmt>/", views.export, name="export"),
]
