from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("m/<slug:code>/meetings/", views.index, name="index"),
    path("m/<slug:code>/meetings/new/", views.meeting_create, name="create"),
    path("m/<slug:code>/meetings/follow-ups/", views.follow_ups, name="follow_ups"),
    path("m/<slug:code>/meetings/activities/", views.activities, name="activities"),
    path("m/<slug:code>/meetings/activities/new/", views.activity_create, name="activity_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/cases/", views.case_add, name="case_add"),
    path("meetings/<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("meetings/<int:pk>/invitations/", views.invitations, name="invitations"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path(
        "meetings/<int:pk>/minutes.docx", views.minutes_export, {"fmt": "docx"}, name="minutes_docx"
    ),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_export, {"fmt": "pdf"}, name="minutes_pdf"),
    path("meetings/cases/<int:pk>/remove/", views.case_remove, name="case_remove"),
    path("meetings/decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path(
        "meetings/decisions/<int:pk>/follow-ups/new/",
        views.follow_up_create,
        name="follow_up_create",
    ),
    path("meetings/follow-ups/<int:pk>/edit/", views.follow_up_edit, name="follow_up_edit"),
    path("meetings/follow-ups/<int:pk>/status/", views.follow_up_status, name="follow_up_status"),
    path("meetings/activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
]
