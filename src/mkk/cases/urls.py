from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("m/<slug:code>/cases/", views.index, name="index"),
    path("m/<slug:code>/cases/new/", views.case_create, name="create"),
    path("m/<slug:code>/cases/import/", views.import_view, name="import"),
    path("m/<slug:code>/cases/deadlines/", views.deadlines, name="deadlines"),
    path("m/<slug:code>/cases/statistics/", views.statistics_view, name="statistics"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/identity/", views.case_reveal, name="reveal"),
    path("cases/<int:pk>/identity/edit/", views.identity_edit, name="identity_edit"),
    path("cases/<int:pk>/consent/", views.case_consent, name="consent"),
    path("cases/<int:pk>/status/", views.case_status, name="status"),
    path("cases/<int:pk>/incidents/new/", views.incident_add, name="incident_add"),
    path("cases/<int:pk>/refer/", views.refer, name="refer"),
    path("cases/<int:pk>/add/<slug:kind>/", views.child_add, name="child_add"),
    path("cases/records/<slug:kind>/<int:pk>/", views.child_edit, name="child_edit"),
    path("cases/referrals/<int:pk>/", views.referral_detail, name="referral"),
    path(
        "cases/referrals/<int:pk>/accept/",
        views.referral_act,
        {"action": "accept"},
        name="referral_accept",
    ),
    path(
        "cases/referrals/<int:pk>/decline/",
        views.referral_act,
        {"action": "decline"},
        name="referral_decline",
    ),
    path(
        "cases/referrals/<int:pk>/withdraw/",
        views.referral_act,
        {"action": "withdraw"},
        name="referral_withdraw",
    ),
    path(
        "cases/referrals/<int:pk>/complete/",
        views.referral_act,
        {"action": "complete"},
        name="referral_complete",
    ),
    path(
        "cases/referrals/<int:pk>/ground/confirm/",
        views.referral_act,
        {"action": "confirm_ground"},
        name="referral_ground_confirm",
    ),
    path(
        "cases/referrals/<int:pk>/ground/refuse/",
        views.referral_act,
        {"action": "refuse_ground"},
        name="referral_ground_refuse",
    ),
]
