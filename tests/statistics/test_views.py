from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from mkk.audit.models import AuditAction, AuditEntry
from mkk.directory.models import InstitutionKind as K
from mkk.statistics.models import DataSet, Status, Submission

from .conftest import make_submission

D = dt.date
pytestmark = pytest.mark.django_db
GJILAN_2019 = "?start=2019-01-01&end=2019-09-30"


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _compact(html: str) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_gjilan_page_in_albanian_by_default(client, login_as, gjilan_report):
    login_as(gjilan_report.users["coordinator"])
    html = _page(client, reverse("statistics:index", kwargs={"code": "gjilan"}) + GJILAN_2019)
    text = _compact(html)
    assert "janar – shtator 2019" in text and "janar – shtator 2018" in text
    assert "83 78 +5 +6,4%" in text
    assert "76 80 −4 −5,0%" in text
    assert "Femra 59" in text and "Meshkuj 17" in text
    assert "51 66 −15 −22,7%" in text
    assert "Të rritur 25" in text and "Fëmijë 26" in text
    assert 'src="data:image/png;base64,' in html


def test_gjilan_page_in_english(client, login_as, gjilan_report):
    login_as(gjilan_report.users["coordinator"])
    client.cookies["django_language"] = "en"
    text = _compact(
        _page(client, reverse("statistics:index", kwargs={"code": "gjilan"}) + GJILAN_2019)
    )
    assert "January – September 2019" in text
    assert "83 78 +5 +6.4%" in text


def test_focal_point_sees_page_viewer_does_not(client, login_as, gjilan_report):
    url = reverse("statistics:index", kwargs={"code": "gjilan"}) + GJILAN_2019
    login_as(gjilan_report.users[f"focal_{K.POLICE}"])
    assert client.get(url).status_code == 200
    login_as(gjilan_report.users["viewer"])
    assert client.get(url).status_code == 403


def _entry_url(place, kind, ds_code):
    return reverse(
        "statistics:entry_form",
        kwargs={
            "institution": place.inst(kind).pk,
            "data_set": DataSet.objects.get(code=ds_code).pk,
        },
    )


def test_focal_point_enters_and_submits_then_coordinator_approves(client, login_as, world):
    d = world.drenas
    login_as(d.users[f"focal_{K.SOCIAL_WORK}"])
    url = _entry_url(d, K.SOCIAL_WORK, "SOCIAL_WORK")
    assert "QPS_VICTIMS" in _page(client, url + "?start=2025-01-01&end=2025-01-31")
    bad = {
        "start": "2025-01-01",
        "end": "2025-01-31",
        "v__QPS_VICTIMS__total": "76",
        "v__QPS_VICTIMS__sex-female": "60",
        "v__QPS_VICTIMS__sex-male": "20",
        "submit": "1",
    }
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "60 Femra + 20 Meshkuj = 80" in response.content.decode()
    assert not Submission.objects.exists()
    good = dict(bad, **{"v__QPS_VICTIMS__sex-female": "56"})
    response = client.post(url, good)
    sub = Submission.objects.get()
    assert response.status_code == 302 and sub.status == Status.SUBMITTED
    # The focal point cannot approve.
    assert (
        client.post(reverse("statistics:submission_approve", kwargs={"pk": sub.pk})).status_code
        == 403
    )
    login_as(d.users["coordinator"])
    page = _page(client, reverse("statistics:submissions", kwargs={"code": "drenas"}))
    assert reverse("statistics:submission", kwargs={"pk": sub.pk}) in page
    client.post(reverse("statistics:submission_approve", kwargs={"pk": sub.pk}))
    sub.refresh_from_db()
    assert sub.status == Status.APPROVED
    # Locked: the focal point's form no longer saves.
    login_as(d.users[f"focal_{K.SOCIAL_WORK}"])
    response = client.post(url, dict(good, **{"v__QPS_VICTIMS__total": "77"}))
    assert response.status_code == 302
    assert sub.values_dict()[("QPS_VICTIMS", "")] == 76
    assert (
        client.get(reverse("statistics:submission_correct", kwargs={"pk": sub.pk})).status_code
        == 403
    )


def test_police_focal_point_cannot_enter_for_social_work(client, login_as, world):
    d = world.drenas
    login_as(d.users[f"focal_{K.POLICE}"])
    url = _entry_url(d, K.SOCIAL_WORK, "SOCIAL_WORK")
    assert client.get(url + "?start=2025-01-01&end=2025-01-31").status_code == 404
    response = client.post(
        url, {"start": "2025-01-01", "end": "2025-01-31", "v__QPS_VICTIMS__total": "3"}
    )
    assert response.status_code == 404
    assert not Submission.objects.exists()
    sub = make_submission(
        d.inst(K.SOCIAL_WORK),
        "SOCIAL_WORK",
        D(2025, 1, 1),
        D(2025, 1, 31),
        {("QPS_VICTIMS", ""): 3},
        status=Status.DRAFT,
    )
    assert client.get(reverse("statistics:submission", kwargs={"pk": sub.pk})).status_code == 404
    assert (
        client.post(reverse("statistics:submission_submit", kwargs={"pk": sub.pk})).status_code
        == 404
    )


def test_return_and_correction_through_the_ui(client, login_as, world):
    d = world.drenas
    sub = make_submission(
        d.inst(K.POLICE),
        "POLICE",
        D(2025, 1, 1),
        D(2025, 1, 31),
        {("POL_CASES", ""): 3},
        status=Status.SUBMITTED,
    )
    login_as(d.users["coordinator"])
    client.post(
        reverse("statistics:submission_return", kwargs={"pk": sub.pk}), {"comment": "Arrests?"}
    )
    sub.refresh_from_db()
    assert sub.status == Status.RETURNED and sub.review_comment == "Arrests?"
    sub.status = Status.APPROVED
    sub.save()
    url = reverse("statistics:submission_correct", kwargs={"pk": sub.pk})
    response = client.post(url, {"v__POL_CASES__total": "4"})
    assert response.status_code == 200 and sub.values_dict()[("POL_CASES", "")] == 3  # no reason
    response = client.post(
        url, {"v__POL_CASES__total": "4", "reason": "Late report from the station"}
    )
    assert response.status_code == 302
    assert sub.values_dict()[("POL_CASES", "")] == 4
    assert AuditEntry.objects.filter(
        action=AuditAction.UPDATE,
        reason="Late report from the station",
        object_type="statistics.submission",
    ).exists()


def test_completeness_and_reminders(client, login_as, world):
    d = world.drenas
    d.users[f"focal_{K.SOCIAL_WORK}"].email = "qps@example.invalid"
    d.users[f"focal_{K.SOCIAL_WORK}"].save()
    make_submission(
        d.inst(K.POLICE), "POLICE", D(2025, 1, 1), D(2025, 1, 31), {("POL_CASES", ""): 3}
    )
    login_as(d.users["coordinator"])
    url = (
        reverse("statistics:completeness", kwargs={"code": "drenas"})
        + "?period_type=month&day=2025-01-15"
    )
    text = _compact(_page(client, url))
    assert "janar 2025" in text
    response = client.post(
        reverse("statistics:remind", kwargs={"code": "drenas"}),
        {"start": "2025-01-01", "end": "2025-01-31"},
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["qps@example.invalid"]]
    assert "2025" in mail.outbox[0].body
    login_as(d.users[f"focal_{K.POLICE}"])
    assert (
        client.post(
            reverse("statistics:remind", kwargs={"code": "drenas"}),
            {"start": "2025-01-01", "end": "2025-01-31"},
        ).status_code
        == 403
    )


def test_upload_refuses_a_bad_file_and_accepts_a_good_one(client, login_as, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mkk.statistics.exchange import CSV_COLUMNS

    d = world.drenas
    login_as(d.users["coordinator"])
    name = d.inst(K.POLICE).name_sq
    url = reverse("statistics:import", kwargs={"code": "drenas"})
    bad = f"{','.join(CSV_COLUMNS)}\ndrenas,{name},,POL_CASES,,2025-01-01,2025-01-31,-2\n"
    response = client.post(
        url, {"format": "csv", "file": SimpleUploadedFile("a.csv", bad.encode())}
    )
    assert response.status_code == 200
    assert "Rreshti 2" in response.content.decode()
    assert not Submission.objects.exists()
    good = bad.replace(",-2", ",2")
    response = client.post(
        url, {"format": "csv", "approve": "on", "file": SimpleUploadedFile("a.csv", good.encode())}
    )
    assert response.status_code == 302
    assert Submission.objects.get().status == Status.APPROVED


def test_exports_download(client, login_as, gjilan_report):
    login_as(gjilan_report.users["coordinator"])
    response = client.get(reverse("statistics:export_csv", kwargs={"code": "gjilan"}) + GJILAN_2019)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert b",83\r\n" in response.content
    response = client.get(
        reverse("statistics:export_dhis2", kwargs={"code": "gjilan"}) + GJILAN_2019
    )
    assert response.status_code == 302  # no mapping yet: back to the page with the reason
    from mkk.statistics.exchange import mapping_generate

    mapping_generate(gjilan_report.municipality.institutions.all())
    response = client.get(
        reverse("statistics:export_dhis2", kwargs={"code": "gjilan"}) + GJILAN_2019
    )
    assert response.status_code == 200 and b"dataValues" in response.content


def test_catalogue_pages(client, login_as, world):
    login_as(world.national)
    assert "POL_CASES" in _page(client, reverse("statistics:catalogue"))
    response = client.post(
        reverse("statistics:disaggregation_new"),
        {
            "code": "area",
            "name_sq": "Vendbanimi",
            "name_sr": "Naselje",
            "name_en": "Area",
            "options": "urban; Qytet; Grad; Urban\nrural; Fshat; Selo; Rural",
        },
    )
    assert response.status_code == 302
    from mkk.statistics.models import DataElement, Disaggregation

    area = Disaggregation.objects.get(code="area")
    response = client.post(
        reverse("statistics:element_new"),
        {
            "code": "POL_REPEAT",
            "name_sq": "Raste të përsëritura",
            "name_sr": "Ponovljeni",
            "name_en": "Repeat cases",
            "description": "",
            "disaggregations": [area.pk],
            "data_sets": [DataSet.objects.get(code="POLICE").pk],
        },
    )
    assert response.status_code == 302
    assert DataElement.objects.get(code="POL_REPEAT").data_sets.get().code == "POLICE"
    login_as(world.drenas.users[f"focal_{K.POLICE}"])
    assert client.get(reverse("statistics:element_new")).status_code == 403


CATALOGUE_EDITS = [
    "statistics:element_new",
    "statistics:disaggregation_new",
    "statistics:data_sets",
]


@pytest.mark.parametrize("name", CATALOGUE_EDITS)
def test_catalogue_is_national(client, login_as, world, name):
    """The catalogue is one for all of Kosovo: a municipal coordinator may read it but never
    edit it (403, and no link to the edit pages); the national role and administrators edit."""
    login_as(world.drenas.users["coordinator"])
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse(name), {}).status_code == 403
    assert reverse(name) not in _page(client, reverse("statistics:catalogue"))
    for user in (world.national, world.admin):
        login_as(user)
        assert client.get(reverse(name)).status_code == 200
        assert reverse(name) in _page(client, reverse("statistics:catalogue"))


def test_dashboard_panels(client, login_as, world):
    d = world.drenas
    make_submission(
        d.inst(K.POLICE),
        "POLICE",
        D(2025, 1, 1),
        D(2025, 1, 31),
        {("POL_CASES", ""): 3},
        status=Status.SUBMITTED,
    )
    login_as(d.users["coordinator"])
    html = _page(client, reverse("web:dashboard"))
    assert reverse("statistics:completeness", kwargs={"code": "drenas"}) in html
    login_as(d.users[f"focal_{K.POLICE}"])
    html = _page(client, reverse("web:dashboard"))
    assert reverse("statistics:entry", kwargs={"code": "drenas"}) in html


def test_entry_page(client, login_as, world):
    login_as(world.drenas.users[f"focal_{K.SHELTER}"])
    html = _page(client, reverse("statistics:entry", kwargs={"code": "drenas"}))
    assert world.drenas.inst(K.SHELTER).name_sq in html
    assert world.drenas.inst(K.POLICE).name_sq not in html


def test_data_set_settings(client, login_as, world):
    login_as(world.national)
    url = reverse("statistics:data_sets")
    html = _page(client, url)
    assert "POLICE" in html
    sets = list(DataSet.objects.order_by("institution_kind", "code"))
    data = {"form-TOTAL_FORMS": len(sets), "form-INITIAL_FORMS": len(sets)}
    for i, ds in enumerate(sets):
        data.update(
            {
                f"form-{i}-id": ds.pk,
                f"form-{i}-period_type": ds.period_type,
                f"form-{i}-deadline_days": 15 if ds.code == "POLICE" else ds.deadline_days,
                f"form-{i}-warning_factor": "3.00" if ds.code == "POLICE" else ds.warning_factor,
                f"form-{i}-is_active": "on",
            }
        )
    assert client.post(url, data).status_code == 302
    police = DataSet.objects.get(code="POLICE")
    assert police.deadline_days == 15 and str(police.warning_factor) == "3.00"
    assert AuditEntry.objects.filter(
        object_type="statistics.dataset", object_id=str(police.pk)
    ).exists()
    login_as(world.drenas.users[f"focal_{K.POLICE}"])
    assert client.get(url).status_code == 403


def test_live_check_partial(client, login_as, world):
    d = world.drenas
    login_as(d.users[f"focal_{K.SOCIAL_WORK}"])
    url = reverse(
        "statistics:entry_check",
        kwargs={
            "institution": d.inst(K.SOCIAL_WORK).pk,
            "data_set": DataSet.objects.get(code="SOCIAL_WORK").pk,
        },
    )
    data = {
        "start": "2025-01-01",
        "end": "2025-01-31",
        "v__QPS_VICTIMS__total": "76",
        "v__QPS_VICTIMS__sex-female": "60",
        "v__QPS_VICTIMS__sex-male": "20",
    }
    html = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "60 Femra + 20 Meshkuj = 80" in html and "<html" not in html
    data["v__QPS_VICTIMS__sex-female"] = "56"
    assert "message-success" in client.post(url, data).content.decode()
    assert not Submission.objects.exists()
    login_as(d.users[f"focal_{K.POLICE}"])
    assert client.post(url, data).status_code == 404


def test_subnav_by_role(client, login_as, world):
    url = reverse("statistics:index", kwargs={"code": "drenas"})
    entry = reverse("statistics:entry", kwargs={"code": "drenas"})
    login_as(world.drenas.users[f"case_{K.POLICE}"])
    assert entry not in _page(client, url)
    assert client.get(entry).status_code == 403
    login_as(world.national)
    html = _page(client, url)
    assert (
        entry not in html
        and reverse("statistics:submissions", kwargs={"code": "drenas"}) not in html
    )
    assert (
        client.get(reverse("statistics:submissions", kwargs={"code": "drenas"})).status_code == 403
    )


def test_entry_form_is_a_grid_and_marks_the_fields_that_do_not_add_up(client, world, login_as):
    d = world.drenas
    ds = DataSet.objects.get(code="SOCIAL_WORK")
    login_as(d.users[f"focal_{K.SOCIAL_WORK}"])
    url = reverse(
        "statistics:entry_form",
        kwargs={"institution": d.inst(K.SOCIAL_WORK).pk, "data_set": ds.pk},
    )
    html = client.get(url, {"start": "2025-01-01", "end": "2025-01-31"}).content.decode()
    assert "data-value-grid" in html and 'scope="colgroup"' in html
    response = client.post(
        url,
        {
            "start": "2025-01-01",
            "end": "2025-01-31",
            "v__QPS_VICTIMS__total": "76",
            "v__QPS_VICTIMS__sex-female": "60",
            "v__QPS_VICTIMS__sex-male": "20",
            "submit": "1",
        },
    )
    body = response.content.decode()
    invalid = set(re.findall(r'<input[^>]*aria-invalid="true"[^>]*id="([^"]+)"', body))
    invalid |= set(re.findall(r'<input[^>]*id="([^"]+)"[^>]*aria-invalid="true"', body))
    assert invalid == {
        "id_v__QPS_VICTIMS__total",
        "id_v__QPS_VICTIMS__sex-female",
        "id_v__QPS_VICTIMS__sex-male",
    }
    assert "80 \u2260 76" in body
