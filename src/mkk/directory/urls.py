from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("m/<slug:code>/", views.municipality_view, name="municipality"),
    path("m/<slug:code>/edit/", views.mechanism_edit, name="mechanism_edit"),
    path("m/<slug:code>/institutions/new/", views.institution_edit, name="institution_new"),
    path("m/<slug:code>/members/new/", views.membership_edit, name="membership_new"),
    path("m/<slug:code>/contacts/new/", views.contact_edit, name="contact_new"),
    path("m/<slug:code>/glossary/new/", views.glossary_edit, name="glossary_new"),
    path("institutions/<int:pk>/", views.institution_view, name="institution"),
    path("institutions/<int:pk>/edit/", views.institution_edit, name="institution_edit"),
    path("members/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("glossary/<int:pk>/edit/", views.glossary_edit, name="glossary_edit"),
    path("glossary/<int:pk>/delete/", views.glossary_delete, name="glossary_delete"),
    path("public/", views.public_index, name="public_index"),
]
