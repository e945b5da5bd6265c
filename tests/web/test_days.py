"""One Playwright test per role walking that role's day through the real pages, in Debian's
chromium, with axe-core (WCAG 2.1 AA) on every page visited and the database checked after each
step. Screenshots of every page go to $MKK_SCREENSHOTS when it is set."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest

from mkk.directory.models import InstitutionKind as K
from tests.checkers import VNU, nu_messages
from tests.meetings.test_browser import CHROMIUM, _axe, _login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def page():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()
        from django.db import connections

        connections.close_all()


_NU_PAGES: list[Path] = []
_NU_DIR: list[Path] = []


@pytest.fixture
def nu_html(tmp_path):
    """Every page _look checks is fetched again as the server sends it and kept; the Nu Html
    Checker runs over all of them at the end of the test (skipped when it is not installed:
    make vnu)."""
    _NU_PAGES.clear()
    _NU_DIR[:] = [tmp_path]
    yield _NU_PAGES
    pages = list(_NU_PAGES)
    _NU_PAGES.clear()
    if not VNU.exists() or not pages:
        return
    messages = nu_messages(pages)
    assert not messages, [(m.get("url", "").rsplit("/", 1)[-1], m.get("message")) for m in messages]


def _look(page, name: str, *, nu: bool = True) -> None:
    """axe-core on the page, its server HTML kept for the Nu Html Checker, and a screenshot
    of it when MKK_SCREENSHOTS is set."""
    _axe(page, name)
    if nu and _NU_DIR and page.url.startswith("http://"):
        response = page.request.get(page.url)
        if response.ok and "text/html" in response.headers.get("content-type", ""):
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            path = _NU_DIR[0] / f"{len(_NU_PAGES):03d}-{slug}.html"
            path.write_bytes(response.body())
            _NU_PAGES.append(path)
    folder = os.environ.get("MKK_SCREENSHOTS")
    if folder:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=os.path.join(folder, f"day-{slug}.png"), full_page=True)


def _csp_watch(page) -> list:
    errors: list = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return errors


# -- public ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_public_day(live_server, page, nu_html, world):
    """No login: the public index, the municipality's public page, and the quick exit."""
    base = live_server.url
    csp = _csp_watch(page)
    page.goto(f"{base}/public/")
    _look(page, "public index")
    page.goto(f"{base}/public/drenas/")
    _look(page, "public drenas")
    assert world.drenas.municipality.name_sq in page.inner_text("main")
    exit_link = page.locator("a[data-quick-exit]")
    assert exit_link.count() == 1
    assert exit_link.get_attribute("href").startswith("https://")
    # Chromium has no network here: catch the navigation to the outside site instead of
    # loading it, and check the page really leaves when the link is used.
    left: list[str] = []

    def _outside(route):
        left.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>x</title>")

    page.route(re.compile(r"^https://"), _outside)
    exit_link.click()
    page.wait_for_url(re.compile(r"^https://"))
    assert left and not left[0].startswith(base)
    assert not csp, csp


# -- Mayor (viewer) and the coordinator's report --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_mayor_day(live_server, page, nu_html, world):
    """The coordinator creates and submits a report; the Mayor approves it with a comment;
    the coordinator publishes it."""
    from mkk.reports.models import MonitoringReport as Report
    from mkk.reports.models import ReportStatus
    from mkk.statistics.catalogue import ensure_default_catalogue

    # The catalogue comes from a data migration; an earlier transactional test flushed it.
    # (Without it the report page answers 500: compare_range's _fetch raises EmptyResultSet
    # on an empty data-set list; reported to the coordinator.)
    ensure_default_catalogue()
    base = live_server.url
    g = world.gjilan
    csp = _csp_watch(page)
    _login(page, base, g.users["coordinator"])
    page.goto(f"{base}/m/gjilan/reports/")
    _look(page, "reports index")
    page.fill("#id_period_start", "2019-01-01")
    page.fill("#id_period_end", "2019-09-30")
    page.select_option("#id_language", "sq")
    page.click("form.form-grid button[type=submit]")
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    report = Report.objects.get()
    assert report.status == ReportStatus.DRAFT
    assert report.period_start == dt.date(2019, 1, 1)
    _look(page, "report draft")
    page.click("form[action$='/step/'] input[value=submit] ~ button")
    page.wait_for_url(f"**/reports/{report.pk}/")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == g.users["coordinator"]

    # The Mayor works in a browser of her own (a second login of the coordinator in the same
    # 30-second TOTP window would be a replayed code, rightly refused).
    coordinator_page = page
    page = page.context.browser.new_page(viewport={"width": 1280, "height": 900})
    mayor = g.users["viewer"]
    _login(page, base, mayor)
    _look(page, "mayor dashboard")
    page.goto(f"{base}/reports/{report.pk}/")
    _look(page, "report for the mayor")
    page.fill("#id_comment", "Miratohet. Shtoni të dhënat e gjykatës në versionin e ardhshëm.")
    page.click("button[name=decision][value=approve]")
    page.wait_for_url(f"**/reports/{report.pk}/")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.decided_by == mayor
    assert "gjykatës" in report.approval_comment
    assert "gjykatës" in page.inner_text("main")
    _look(page, "report approved")

    page.close()
    page = coordinator_page
    page.goto(f"{base}/reports/{report.pk}/")
    page.click("form[action$='/step/'] input[value=publish] ~ button")
    page.wait_for_url(f"**/reports/{report.pk}/")
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert report.published_at is not None
    _look(page, "report published")
    page.context.clear_cookies()
    page.goto(f"{base}/public/reports/{report.public_slug}/")
    _look(page, "public report")
    assert page.locator("a[data-quick-exit]").count() == 1
    assert not csp, csp


# -- case worker ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_case_worker_day(live_server, page, nu_html, world):
    """Search the cases with filters, open one, refer it through the grouped recipient list."""
    from mkk.cases.models import CaseStatus, Consent, Referral
    from tests.cases.helpers import identity, open_case

    base = live_server.url
    g = world.gjilan
    worker = g.users[f"case_{K.SOCIAL_WORK}"]
    first = open_case(worker, consent=Consent.YES)
    second = open_case(
        worker, ident=identity(name="Ema Provë", number="9876501234"), consent=Consent.YES
    )
    csp = _csp_watch(page)
    _login(page, base, worker)
    page.goto(f"{base}/m/gjilan/cases/")
    _look(page, "case worker cases")
    rows = page.locator("main table tbody th[scope=row] a")
    assert rows.count() == 2
    page.fill("#id_q", second.reference)
    page.select_option("#id_status", CaseStatus.OPEN)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"\?.*q="))
    _look(page, "case search filtered")
    assert rows.count() == 1
    assert rows.first.inner_text() == second.reference
    assert first.reference not in page.inner_text("main table")
    rows.first.click()
    page.wait_for_url(f"**/cases/{second.pk}/")
    _look(page, "case detail")
    page.click(f"a[href$='/cases/{second.pk}/refer/']")
    page.wait_for_url(f"**/cases/{second.pk}/refer/")
    _look(page, "refer form")
    groups = page.locator("#id_to_institution optgroup")
    assert groups.count() >= 1
    labels = [groups.nth(i).get_attribute("label") for i in range(groups.count())]
    assert all(labels), labels
    police = g.inst(K.POLICE)
    option = page.locator(f"#id_to_institution optgroup option[value='{police.pk}']")
    assert option.count() == 1
    page.select_option("#id_to_institution", str(police.pk))
    page.fill("#id_reason", "Kërkohet vlerësim i rrezikut dhe urdhër mbrojtjeje.")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/cases/{second.pk}/")
    referral = Referral.objects.get(case=second)
    assert referral.to_institution == police
    assert referral.from_institution == worker.institution
    assert not Referral.objects.filter(case=first).exists()
    _look(page, "case after referral")
    assert not csp, csp


# -- focal point ----------------------------------------------------------------------------


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 160)).save(buf, format="PNG")
    return buf.getvalue()


def _pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>Lista e pjesëmarrësve</h1><p>12 pjesëmarrës</p>").write_pdf()


@pytest.mark.django_db(transaction=True)
def test_focal_point_day(live_server, page, nu_html, world, settings, tmp_path):
    """Reset the forgotten password by e-mail, open My work, enter figures that do not add up
    (the grid marks them), and report progress on an action with two evidence files."""
    from django.core import mail

    from mkk.plans.models import Evidence, ProgressUpdate
    from mkk.statistics.catalogue import ensure_default_catalogue
    from mkk.statistics.models import DataSet
    from tests.plans.helpers import make_plan

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    ensure_default_catalogue()
    base = live_server.url
    g = world.gjilan
    focal = g.users[f"focal_{K.SOCIAL_WORK}"]
    focal.email = "fokal.qps@example.org"
    focal.save(update_fields=["email"])
    plan = make_plan(g, lead_kind=K.SOCIAL_WORK, n_actions=1)
    action = plan.actions.get()
    csp = _csp_watch(page)

    # 1. Forgotten password: the link arrives by e-mail.
    page.goto(f"{base}/accounts/login/")
    _look(page, "login")
    page.goto(f"{base}/accounts/password/reset/")
    _look(page, "password reset")
    page.fill("#id_email", focal.email)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/accounts/password/reset/sent/")
    _look(page, "password reset sent")
    sent = [m for m in mail.outbox if focal.email in m.to]
    assert len(sent) == 1
    link = re.search(r"(/accounts/password/reset/[^/\s]+/[^/\s]+/)", sent[0].body).group(1)
    page.goto(base + link)
    page.wait_for_selector("#id_new_password1")
    _look(page, "new password")
    new_password = "Qershi-Lumi-2026-ruaje"
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/accounts/password/reset/done/")
    focal.refresh_from_db()
    assert focal.check_password(new_password)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", focal.username)
    page.fill("#id_password", new_password)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{base}/")
    _look(page, "focal dashboard")

    # 2. My work.
    page.goto(f"{base}/my-work/")
    _look(page, "my work")
    assert action.code in page.inner_text("main") or action.description in page.inner_text("main")

    # 3. The statistics grid marks the figures that do not add up.
    ds = DataSet.objects.get(code="SOCIAL_WORK")
    page.goto(
        f"{base}/statistics/institutions/{focal.institution_id}/data-sets/{ds.pk}/"
        "?start=2025-01-01&end=2025-03-31"
    )
    page.fill("#id_v__QPS_VICTIMS__total", "30")
    page.fill("#id_v__QPS_VICTIMS__sex-female", "25")
    page.fill("#id_v__QPS_VICTIMS__sex-male", "9")
    page.locator("#id_v__QPS_VICTIMS__sex-male").blur()
    out = page.locator('output[data-sum="QPS_VICTIMS:sex"]')
    assert "\u2260" in out.inner_text()
    assert out.inner_text().replace("\u00a0", " ") == "34 \u2260 30"
    for field in ("total", "sex-female", "sex-male"):
        assert "mismatch" in page.get_attribute(f"#id_v__QPS_VICTIMS__{field}", "class")
    _look(page, "statistics grid with an error")
    page.fill("#id_v__QPS_VICTIMS__sex-male", "5")
    assert out.inner_text() == "30"

    # 4. Progress on the action, with two evidence files.
    page.goto(f"{base}/plans/actions/{action.pk}/progress/")
    _look(page, "progress form")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_narrative", "U mbajtën dy sesione informimi me punonjësit e QPS.")
    page.set_input_files(
        "#id_evidence",
        [
            {"name": "lista.pdf", "mimeType": "application/pdf", "buffer": _pdf()},
            {"name": "foto.png", "mimeType": "image/png", "buffer": _png()},
        ],
    )
    with page.expect_navigation():
        page.click("button[name=submit]")
    update = ProgressUpdate.objects.get(action=action)
    assert update.narrative.startswith("U mbajtën dy sesione")
    names = sorted(Evidence.objects.filter(update=update).values_list("original_name", flat=True))
    assert names == ["foto.png", "lista.pdf"]
    _look(page, "progress saved")
    assert not csp, csp


# -- coordinator ----------------------------------------------------------------------------

SEED_PLAN = (
    __import__("pathlib").Path(__import__("mkk").__file__).parent
    / "seeds"
    / "drenas-local-action-plan-2025-2028.txt"
)


@pytest.mark.django_db(transaction=True)
def test_coordinator_day(live_server, page, nu_html, settings, tmp_path):
    """Invite a focal point, import the action plan, bulk-approve submitted figures and progress
    updates, record a meeting with minutes written in the rich-text editor and export them as
    PDF. (The coordinator's report chain, submit → Mayor approves → publish, is walked in
    test_mayor_day.)"""
    from django.core import mail

    from mkk.accounts.models import Role, User
    from mkk.directory import demo as directory_demo
    from mkk.directory.kosovo import ensure_kosovo
    from mkk.meetings.models import Meeting
    from mkk.plans.models import Action, ImportRun, ProgressUpdate, ReviewState
    from mkk.statistics.catalogue import ensure_default_catalogue
    from mkk.statistics.models import Status, Submission
    from tests.factories import UserFactory
    from tests.statistics.conftest import make_submission

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    ensure_kosovo()
    directory = directory_demo.load()
    ensure_default_catalogue()
    drenas = directory["municipalities"]["drenas"]
    police = directory["drenas"]["police"]
    social = directory["drenas"]["social_work"]
    coordinator = UserFactory(
        username="drenas.koordinatorja", role=Role.COORDINATOR, municipality=drenas
    )
    base = live_server.url
    csp = _csp_watch(page)
    _login(page, base, coordinator)
    _look(page, "coordinator dashboard")

    # 1. Invite a focal point from the users page.
    page.goto(f"{base}/accounts/m/drenas/users/")
    _look(page, "users")
    page.click("a.button[href$='/users/invite/']")
    page.wait_for_url("**/users/invite/")
    _look(page, "invite form")
    page.fill("#id_email", "arta.fokale@example.org")
    page.fill("#id_first_name", "Arta")
    page.fill("#id_last_name", "Fokale")
    page.select_option("#id_role", Role.FOCAL_POINT)
    page.select_option("#id_institution", str(police.pk))
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    invited = User.objects.get(email="arta.fokale@example.org")
    assert invited.role == Role.FOCAL_POINT and invited.institution_id == police.pk
    assert invited.municipality_id == drenas.pk and not invited.has_usable_password()
    invitation = [m for m in mail.outbox if invited.email in m.to]
    assert len(invitation) == 1 and "/accounts/enrol/" in invitation[0].body
    _look(page, "after the invitation")

    # 2. Import the action plan: upload, preview, confirm.
    page.goto(f"{base}/m/drenas/plan/import/")
    _look(page, "plan import")
    page.set_input_files("input[type=file]", str(SEED_PLAN))
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("button[name=confirm]")
    _look(page, "plan import preview")
    assert Action.objects.count() == 0  # the preview saves nothing
    page.click("button[name=confirm]")
    page.wait_for_url("**/plans/imports/**")
    run = ImportRun.objects.get()
    assert run.actor == coordinator
    assert Action.objects.filter(plan__mechanism__municipality=drenas).count() == 37
    _look(page, "plan import done")

    # 3. Bulk approval of submitted figures and progress updates.
    subs = [
        make_submission(
            inst,
            code,
            dt.date(2025, 1, 1),
            dt.date(2025, 3, 31),
            {(element, ""): 4},
            status=Status.SUBMITTED,
        )
        for inst, code, element in (
            (police, "POLICE", "POL_CASES"),
            (social, "SOCIAL_WORK", "QPS_VICTIMS"),
        )
    ]
    page.goto(f"{base}/m/drenas/statistics/submissions/")
    _look(page, "submissions")
    for sub in subs:
        page.check(f"#pick-{sub.pk}")
    page.check("input[name=decision][value=approve]")
    page.click("fieldset.bulk button[type=submit]")
    page.wait_for_selector("input[name=confirm]", state="attached")
    _look(page, "submissions confirm")
    assert Submission.objects.filter(status=Status.APPROVED).count() == 0
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert Submission.objects.filter(status=Status.APPROVED).count() == 2, page.inner_text("main")

    actions = list(
        Action.objects.filter(plan__mechanism__municipality=drenas).order_by("order")[:3]
    )
    updates = [
        ProgressUpdate.objects.create(
            action=action,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 6, 30),
            status="in_progress",
            narrative="U mbajt trajnimi.",
            review_state=ReviewState.SUBMITTED,
        )
        for action in actions
    ]
    page.goto(f"{base}/m/drenas/plan/reviews/")
    _look(page, "plan reviews")
    for update in updates[:2]:
        page.check(f"#pick-{update.pk}")
    page.check("input[name=decision][value=approve]")
    page.click("fieldset.bulk button[type=submit]")
    page.wait_for_selector("input[name=confirm]", state="attached")
    _look(page, "plan reviews confirm")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    states = dict(ProgressUpdate.objects.values_list("pk", "review_state"))
    assert states[updates[0].pk] == states[updates[1].pk] == ReviewState.APPROVED
    assert states[updates[2].pk] == ReviewState.SUBMITTED

    # 4. A meeting with minutes in the rich-text editor, exported as PDF.
    page.goto(f"{base}/m/drenas/meetings/new/")
    _look(page, "meeting form")
    page.fill("#id_date", "2025-02-14")
    page.fill("#id_start_time", "10:00")
    page.select_option("#id_status", "held")
    page.fill("#id_agenda", "Rastet e reja\nPlani i veprimit")
    editor = page.locator("trix-editor#id_minutes_editor")
    editor.click()
    page.keyboard.type("U shqyrtua ")
    page.click("trix-toolbar button[data-trix-attribute=bold]")
    page.keyboard.type("plani lokal i veprimit")
    page.click("trix-toolbar button[data-trix-attribute=bold]")
    page.keyboard.type(" dhe u caktuan detyrat.")
    page.click("main form.stacked button[type=submit]")
    meeting = Meeting.objects.get()
    page.wait_for_url(f"{base}/meetings/{meeting.pk}/")
    assert "<strong>plani lokal i veprimit</strong>" in meeting.minutes
    _look(page, "meeting detail")
    response = page.request.get(f"{base}/meetings/{meeting.pk}/minutes.pdf")
    assert response.ok and response.headers["content-type"].startswith("application/pdf")
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "plani lokal i veprimit" in text and "14.02.2025" in text
    folder = os.environ.get("MKK_SCREENSHOTS")
    if folder:
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                f"{folder}/day-minutes",
            ],
            check=True,
        )
    assert not csp, csp
