from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("m/<slug:code>/statistics/", views.index, name="index"),
    path("m/<slug:code>/statistics/entry/", views.entry, name="entry"),
    path("m/<slug:code>/statistics/submissions/", views.submissions, name="submissions"),
    path("m/<slug:code>/statistics/completeness/", views.completeness, name="completeness"),
    path("m/<slug:code>/statistics/completeness/remind/", views.remind, name="remind"),
    path("m/<slug:code>/statistics/import/", views.import_view, name="import"),
    path("m/<slug:code>/statistics/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path(
        "m/<slug:code>/statistics/export-dhis2.json",
        views.export,
        {"fmt": "dhis2"},
        name="export_dhis2",
    ),
    path(
        "statistics/institutions/<int:institution>/data-sets/<int:data_set>/",
        views.entry_form,
        name="entry_form",
    ),
    path(
        "statistics/institutions/<int:institution>/data-sets/<int:data_set>/check/",
        views.entry_check,
        name="entry_check",
    ),
    path("statistics/submissions/<int:pk>/", views.submission, name="submission"),
    path(
        "statistics/submissions/<int:pk>/submit/", views.submission_submit, name="submission_submit"
    ),
    path(
        "statistics/submissions/<int:pk>/approve/",
        views.submission_approve,
        name="submission_approve",
    ),
    path(
        "statistics/submissions/<int:pk>/return/", views.submission_return, name="submission_return"
    ),
    path(
        "statistics/submissions/<int:pk>/correct/",
        views.submission_correct,
        name="submission_correct",
    ),
    path(
        "statistics/submissions/<int:pk>/delete/", views.submission_delete, name="submission_delete"
    ),
    path("statistics/catalogue/", views.catalogue, name="catalogue"),
    path("statistics/catalogue/data-sets/", views.data_sets, name="data_sets"),
    path("statistics/catalogue/elements/new/", views.element_new, name="element_new"),
    path(
        "statistics/catalogue/disaggregations/new/",
        views.disaggregation_new,
        name="disaggregation_new",
    ),
]
