from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("m/<slug:code>/", views.municipality_view, name="municipality"),
    path("institutions/<int:pk>/", views.institution_view, name="institution"),
    path("public/", views.public_index, name="public_index"),
    path("public/<slug:code>/", views.public_contacts, name="public_contacts"),
]
