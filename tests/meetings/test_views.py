"""End to end through the pages: create, attend, decide, follow up; scoping; e-mail; nh3."""

from __future__ import annotations

import datetime as dt
import email
import re

import pytest
from django.core import mail
from django.urls import reverse

from mkk.audit.models import AuditAction, AuditEntry
from mkk.directory.models import EmergencyContact, Membership
from mkk.directory.models import InstitutionKind as K
from mkk.meetings.models import (
    Attendance,
    CaseDiscussed,
    Decision,
    FollowUp,
    FollowUpStatus,
    Meeting,
    MeetingStatus,
)
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _meeting(where, **kw):
    defaults = {"date": dt.date(2019, 2, 14), "status": MeetingStatus.HELD, "place": "Salla"}
    defaults.update(kw)
    return Meeting.objects.create(mechanism=where.mechanism, **defaults)


def _post_meeting(client, code, **data):
    payload = {
        "date": "2019-02-14",
        "start_time": "10:00",
        "end_time": "12:00",
        "place": "Salla e mbledhjeve",
        "kind": "regular",
        "status": "held",
        "agenda": "Rastet\nTë ndryshme",
        "challenges": "",
        "minutes": "",
    }
    payload.update(data)
    return client.post(reverse("meetings:create", kwargs={"code": code}), payload)


def test_full_flow_coordinator_creates_records_decides_owner_marks_done(client, world):
    g = world.gjilan
    login(client, g.users["coordinator"])
    response = _post_meeting(
        client, "gjilan", minutes="<p>Takimi u hap.</p><script>alert(1)</script>"
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "meetings:detail", kwargs={"pk": meeting.pk}
    )
    assert [a.title for a in meeting.agenda_items.all()] == ["Rastet", "Të ndryshme"]
    assert "<script>" not in meeting.minutes and "alert" not in meeting.minutes

    # Attendance: every current member institution has a row.
    page = client.get(reverse("meetings:attendance", kwargs={"pk": meeting.pk}))
    for inst in g.institutions.values():
        assert inst.name in page.content.decode()
    police, qps, court = g.inst(K.POLICE), g.inst(K.SOCIAL_WORK), g.inst(K.BASIC_COURT)
    response = client.post(
        reverse("meetings:attendance", kwargs={"pk": meeting.pk}),
        {
            f"status_{police.pk}": "present",
            f"person_{police.pk}": "Rinor B.",
            f"status_{qps.pk}": "present",
            f"status_{court.pk}": "excused",
        },
    )
    assert response.status_code == 302
    assert {(a.institution_id, a.status) for a in Attendance.objects.all()} == {
        (police.pk, "present"),
        (qps.pk, "present"),
        (court.pk, "excused"),
    }

    # A decision with its first follow-up task, owned by the police.
    response = client.post(
        reverse("meetings:decision_create", kwargs={"pk": meeting.pk}),
        {
            "text": "Policia raporton rastet çdo muaj.",
            "owner": police.pk,
            "description": "Raporti mujor",
            "due_date": "2019-03-14",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    task = FollowUp.objects.get()
    assert decision.number == 1 and task.owner == police and task.status == FollowUpStatus.OPEN

    detail = client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert "Takimi u hap." in detail and "<script>alert" not in detail and "alert(1)" not in detail

    # The police focal point sees it among their tasks and marks it done (htmx).
    login(client, g.users["focal_police"])
    page = client.get(reverse("meetings:follow_ups", kwargs={"code": "gjilan"}))
    assert "Raporti mujor" in page.content.decode()
    response = client.post(
        reverse("meetings:follow_up_status", kwargs={"pk": task.pk}),
        {"status": "done"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and f'id="fu-{task.pk}"' in response.content.decode()
    task.refresh_from_db()
    assert (
        task.status == FollowUpStatus.DONE
        and task.completed_at
        and task.completed_by == g.users["focal_police"]
    )


def test_focal_point_of_another_institution_cannot_mark_done(client, world):
    g = world.gjilan
    meeting = _meeting(g)
    decision = Decision.objects.create(meeting=meeting, number=1, text="V")
    task = FollowUp.objects.create(
        decision=decision, owner=g.inst(K.POLICE), description="D", due_date=dt.date(2019, 3, 1)
    )
    login(client, g.users["focal_social_work"])
    assert (
        client.post(
            reverse("meetings:follow_up_status", kwargs={"pk": task.pk}), {"status": "done"}
        ).status_code
        == 403
    )
    task.refresh_from_db()
    assert task.status == FollowUpStatus.OPEN


def test_plain_post_marks_done_and_redirects_back(client, world):
    g = world.gjilan
    meeting = _meeting(g)
    decision = Decision.objects.create(meeting=meeting, number=1, text="V")
    task = FollowUp.objects.create(
        decision=decision, owner=g.inst(K.POLICE), description="D", due_date=dt.date(2019, 3, 1)
    )
    login(client, g.users["focal_police"])
    back = reverse("meetings:follow_ups", kwargs={"code": "gjilan"})
    response = client.post(
        reverse("meetings:follow_up_status", kwargs={"pk": task.pk}),
        {"status": "done", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    response = client.post(
        reverse("meetings:follow_up_status", kwargs={"pk": task.pk}),
        {"status": "done", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("meetings:detail", kwargs={"pk": meeting.pk})


@pytest.mark.parametrize(
    "name", ["detail", "edit", "attendance", "decision_create", "invitations", "ics"]
)
def test_drenas_coordinator_gets_404_on_gjilan_meeting(client, world, name):
    meeting = _meeting(world.gjilan)
    login(client, world.drenas.users["coordinator"])
    assert client.get(reverse(f"meetings:{name}", kwargs={"pk": meeting.pk})).status_code == 404
    assert client.get(reverse("meetings:index", kwargs={"code": "gjilan"})).status_code == 404


@pytest.mark.parametrize("who", ["focal_police", "case_police"])
def test_focal_point_and_case_worker_read_but_cannot_edit(client, world, who):
    meeting = _meeting(world.gjilan)
    login(client, world.gjilan.users[who])
    assert client.get(reverse("meetings:index", kwargs={"code": "gjilan"})).status_code == 200
    assert client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).status_code == 200
    for name in ("edit", "attendance", "decision_create", "invitations"):
        assert (
            client.get(reverse(f"meetings:{name}", kwargs={"pk": meeting.pk})).status_code == 403
        ), name
    assert client.get(reverse("meetings:create", kwargs={"code": "gjilan"})).status_code == 403
    assert _post_meeting(client, "gjilan").status_code == 403
    assert (
        client.post(
            reverse("meetings:case_add", kwargs={"pk": meeting.pk}), {"reference": "GJ-2019-000001"}
        ).status_code
        == 403
    )
    assert Meeting.objects.count() == 1 and not CaseDiscussed.objects.exists()


@pytest.mark.parametrize("who", ["national", "viewer"])
def test_national_coordinator_and_viewer_do_not_see_meeting_records(client, world, who):
    meeting = _meeting(world.gjilan)
    user = world.national if who == "national" else world.gjilan.users["viewer"]
    login(client, user)
    assert client.get(reverse("meetings:index", kwargs={"code": "gjilan"})).status_code == 403
    assert client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).status_code == 403


def test_personal_data_blocks_saving_with_a_clear_message(client, world):
    EmergencyContact.objects.create(
        municipality=world.gjilan.municipality, name_sq="QPS", numbers=["0280 123 456"]
    )
    login(client, world.gjilan.users["coordinator"])
    response = _post_meeting(
        client,
        "gjilan",
        minutes="Viktima, numri personal 1234567890, tel. 044 123 456.",
        challenges="QPS mund të thirret në 0280 123 456.",
    )
    assert response.status_code == 200 and not Meeting.objects.exists()
    html = response.content.decode()
    assert "1234567890" not in html.split("<textarea")[0]  # not repeated in the messages
    assert "12******90" in html and "04* *** *56" in html
    errors = response.context["form"].errors
    assert set(errors) == {"minutes"}  # the public service number in challenges is allowed
    # Once removed, it saves.
    response = _post_meeting(
        client, "gjilan", minutes="Rasti GJ-2019-000123 u diskutua.", challenges=""
    )
    assert response.status_code == 302 and Meeting.objects.count() == 1


def test_personal_data_in_agenda_and_decision_is_blocked(client, world):
    login(client, world.gjilan.users["coordinator"])
    response = _post_meeting(client, "gjilan", agenda="Rasti i emri: Arta Krasniqi")
    assert response.status_code == 200 and "agenda" in response.context["form"].errors
    meeting = _meeting(world.gjilan)
    response = client.post(
        reverse("meetings:decision_create", kwargs={"pk": meeting.pk}), {"text": "Kontakto a@b.com"}
    )
    assert response.status_code == 200 and not Decision.objects.exists()
    assert "text" in response.context["form"].errors


def test_case_reference_format_is_validated(client, world):
    meeting = _meeting(world.gjilan, kind="case_conference")
    login(client, world.gjilan.users["coordinator"])
    url = reverse("meetings:case_add", kwargs={"pk": meeting.pk})
    client.post(url, {"reference": "Arta Krasniqi"})
    client.post(url, {"reference": "1234567890"})
    assert not CaseDiscussed.objects.exists()
    client.post(url, {"reference": "gj-2019-000123"})
    assert list(CaseDiscussed.objects.values_list("reference", flat=True)) == ["GJ-2019-000123"]


def test_minutes_script_never_comes_back(client, world):
    meeting = _meeting(world.gjilan)
    meeting.minutes = (
        '<p onclick="x()">Hapja</p><script>document.cookie</script>'
        '<img src=x onerror=alert(1)><a href="javascript:1">l</a>'
    )
    meeting.save()
    meeting.refresh_from_db()
    assert meeting.minutes == "<p>Hapja</p>l"
    login(client, world.gjilan.users["focal_police"])
    html = client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert "document.cookie" not in html and "onerror" not in html and "javascript:" not in html


def _unfold(ics: str) -> list[str]:
    assert "\r\n" in ics and not re.search(r"(?<!\r)\n", ics)
    return ics.replace("\r\n ", "").split("\r\n")


def test_invitations_email_with_ics_and_audit(client, world):
    g = world.gjilan
    meeting = _meeting(
        g,
        date=dt.date(2030, 5, 7),
        status=MeetingStatus.PLANNED,
        start_time=dt.time(10, 0),
        end_time=dt.time(12, 30),
        place="Salla, kati 2; Gjilan",
    )
    meeting.agenda_items.create(
        order=1, title="Rastet e tremujorit, sfidat; plani " + "shumë i gjatë " * 8
    )
    memberships = list(Membership.objects.filter(mechanism=g.mechanism))
    for i, m in enumerate(memberships):
        m.focal_person_email = "" if i == 0 else f"fp{i}@example.org"
        m.save()
    login(client, g.users["coordinator"])
    response = client.post(reverse("meetings:invitations", kwargs={"pk": meeting.pk}))
    assert response.status_code == 302
    assert len(mail.outbox) == len(memberships) - 1
    assert all(len(m.to) == 1 for m in mail.outbox)
    message = mail.outbox[0]
    assert "Rastet e tremujorit" in message.body
    # Parse the message as a mail client would.
    parsed = email.message_from_bytes(message.message().as_bytes())
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == f"meeting-{meeting.pk}.ics"
    assert part.get_param("method") == "PUBLISH" and part.get_content_charset() == "utf-8"
    content = part.get_payload(decode=True).decode("utf-8")
    lines = _unfold(content)
    assert all(len(raw.encode()) <= 75 for raw in content.split("\r\n"))
    props = dict(line.split(":", 1) for line in lines if line)
    assert lines[0] == "BEGIN:VCALENDAR" and "END:VEVENT" in lines
    assert (
        props["DTSTART"] == "20300507T080000Z" and props["DTEND"] == "20300507T103000Z"
    )  # CEST = UTC+2
    assert props["LOCATION"] == "Salla\\, kati 2\\; Gjilan"
    assert props["UID"].startswith(f"meeting-{meeting.pk}@") and props["SEQUENCE"] == "1"
    assert "DTSTAMP" in props
    entry = AuditEntry.objects.get(action=AuditAction.SEND)
    assert (
        entry.object_id == str(meeting.pk) and entry.changes["invitations"] == len(memberships) - 1
    )
    assert len(entry.changes["skipped"]) == 1
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None


def test_invitations_without_any_email_say_so(client, world):
    meeting = _meeting(world.gjilan, date=dt.date(2030, 5, 7), status=MeetingStatus.PLANNED)
    login(client, world.gjilan.users["coordinator"])
    response = client.post(reverse("meetings:invitations", kwargs={"pk": meeting.pk}), follow=True)
    assert not mail.outbox
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_held_meeting_cannot_be_in_the_future(client, world):
    login(client, world.gjilan.users["coordinator"])
    response = _post_meeting(client, "gjilan", date="2099-01-01", status="held")
    assert response.status_code == 200 and "status" in response.context["form"].errors
    response = _post_meeting(client, "gjilan", start_time="12:00", end_time="10:00")
    assert "end_time" in response.context["form"].errors


def test_activities_list_and_form(client, world):
    login(client, world.gjilan.users["coordinator"])
    response = client.post(
        reverse("meetings:activity_create", kwargs={"code": "gjilan"}),
        {
            "kind": "training",
            "involvement": "attended",
            "title": "Trajnim",
            "date": "2019-03-27",
            "partner": "UN Women",
            "participants": "18",
            "description": "",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("meetings:activities", kwargs={"code": "gjilan"})).content.decode()
    assert "Trajnim" in page and "UN Women" in page
    login(client, world.gjilan.users["focal_police"])
    assert (
        client.get(reverse("meetings:activity_create", kwargs={"code": "gjilan"})).status_code
        == 403
    )


def test_dashboard_shows_overdue_to_coordinator_and_owner(client, world):
    g = world.gjilan
    meeting = _meeting(g)
    decision = Decision.objects.create(meeting=meeting, number=1, text="V")
    FollowUp.objects.create(
        decision=decision,
        owner=g.inst(K.POLICE),
        description="Detyra e vonuar",
        due_date=dt.date(2019, 3, 1),
    )
    for who, sees in (("coordinator", True), ("focal_police", True), ("focal_social_work", False)):
        login(client, g.users[who])
        html = client.get(reverse("web:dashboard")).content.decode()
        assert ("Detyra e vonuar" in html) is sees, who
    login(client, world.drenas.users["coordinator"])
    assert "Detyra e vonuar" not in client.get(reverse("web:dashboard")).content.decode()


def test_ics_download_for_readers(client, world):
    meeting = _meeting(world.gjilan, start_time=dt.time(9, 0))
    login(client, world.gjilan.users["case_police"])
    response = client.get(reverse("meetings:ics", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    lines = _unfold(response.content.decode())
    assert "DTSTART:20190214T080000Z" in lines  # CET = UTC+1 in February


def test_all_day_meeting_and_escaping_in_ics():
    from mkk.meetings.ics import escape_text, fold

    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("DESCRIPTION:" + "ë" * 100)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "ë" * 100


def test_activity_edit_by_coordinator_only(client, world):
    from mkk.meetings.models import Activity

    activity = Activity.objects.create(
        mechanism=world.gjilan.mechanism,
        kind="campaign",
        title="Fushata",
        date=dt.date(2019, 11, 25),
    )
    url = reverse("meetings:activity_edit", kwargs={"pk": activity.pk})
    login(client, world.gjilan.users["focal_police"])
    assert client.get(url).status_code == 403
    login(client, world.gjilan.users["coordinator"])
    data = {
        "kind": "campaign",
        "involvement": "held",
        "title": "Fushata 16 ditë",
        "date": "2019-11-25",
        "partner": "",
        "participants": "",
        "description": "Info te 044 123 456",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "description" in response.context["form"].errors
    data["description"] = ""
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Fushata 16 ditë"


def test_coordinator_edits_decision_and_follow_up(client, world):
    g = world.gjilan
    meeting = _meeting(g)
    decision = Decision.objects.create(meeting=meeting, number=1, text="V")
    task = FollowUp.objects.create(
        decision=decision, owner=g.inst(K.POLICE), description="D", due_date=dt.date(2019, 3, 1)
    )
    login(client, g.users["focal_police"])
    assert (
        client.get(reverse("meetings:decision_edit", kwargs={"pk": decision.pk})).status_code == 403
    )
    assert client.get(reverse("meetings:follow_up_edit", kwargs={"pk": task.pk})).status_code == 403
    login(client, g.users["coordinator"])
    url = reverse("meetings:decision_edit", kwargs={"pk": decision.pk})
    assert client.post(url, {"text": "Vendimi i ri"}).status_code == 302
    url = reverse("meetings:follow_up_edit", kwargs={"pk": task.pk})
    data = {"owner": g.inst(K.SOCIAL_WORK).pk, "description": "Detyra", "due_date": "2019-04-01"}
    assert client.post(url, data).status_code == 302
    # An institution of another municipality is not a choice.
    data["owner"] = world.drenas.inst(K.POLICE).pk
    response = client.post(url, data)
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    decision.refresh_from_db()
    task.refresh_from_db()
    assert decision.text == "Vendimi i ri"
    assert (task.owner, task.due_date) == (g.inst(K.SOCIAL_WORK), dt.date(2019, 4, 1))


def test_every_error_shows_at_once(client, world):
    login(client, world.gjilan.users["coordinator"])
    response = _post_meeting(
        client, "gjilan", start_time="12:00", end_time="10:00", challenges="Tel 044 123 456"
    )
    errors = response.context["form"].errors
    assert {"end_time", "challenges"} <= set(errors)
    assert not Meeting.objects.exists()


def test_only_the_coordinator_cancels_a_task(client, world):
    g = world.gjilan
    meeting = _meeting(g)
    decision = Decision.objects.create(meeting=meeting, number=1, text="V")
    task = FollowUp.objects.create(
        decision=decision, owner=g.inst(K.POLICE), description="D", due_date=dt.date(2019, 3, 1)
    )
    url = reverse("meetings:follow_up_status", kwargs={"pk": task.pk})
    login(client, g.users["focal_police"])
    assert client.post(url, {"status": "cancelled"}).status_code == 403
    login(client, g.users["coordinator"])
    response = client.post(url, {"status": "cancelled"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'value="open"' in response.content.decode()
    task.refresh_from_db()
    assert task.status == FollowUpStatus.CANCELLED
    login(client, g.users["focal_police"])
    assert client.post(url, {"status": "open"}).status_code == 403
