"""The minutes for signing: DOCX and PDF with attendance, rich text, decisions and signature
lines, in the user's language, read back from the rendered files; audited; scoped."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from mkk.audit.models import AuditAction, AuditEntry
from mkk.directory.models import InstitutionKind as K
from mkk.meetings import services
from mkk.meetings.models import Meeting
from tests.conftest import login

pytestmark = pytest.mark.django_db

MINUTES = (
    "<div>Takimi u hap nga koordinatorja.</div>"
    "<h3>Pika 1</h3><ul><li><strong>Policia</strong> raportoi 12 raste.</li>"
    "<li>QPS: <em>dy</em> strehime.</li></ul><script>alert(1)</script>"
    "<ol><li>Pika e parë</li><li>Pika e dytë</li></ol>"
)


@pytest.fixture
def meeting(world):
    d = world.drenas
    coordinator = d.users["coordinator"]
    m = Meeting(mechanism=d.mechanism, date=dt.date(2025, 3, 12), status="held", place="Salla 1")
    m.minutes = MINUTES
    services.meeting_save(actor=coordinator, meeting=m, agenda="Hapja\nRastet e reja")
    services.attendance_record(
        actor=coordinator,
        meeting=m,
        rows=[
            (d.inst(K.POLICE), "present", "Arta Testi"),
            (d.inst(K.SOCIAL_WORK), "excused", ""),
        ],
    )
    services.decision_create(
        actor=coordinator,
        meeting=m,
        text="Të organizohet trajnim.",
        follow_up={
            "owner": d.inst(K.SOCIAL_WORK),
            "description": "Përgatit agjendën e trajnimit",
            "due_date": dt.date(2025, 4, 1),
        },
    )
    return m


def test_minutes_docx_and_pdf_for_signing(client, world, meeting):
    login(client, world.drenas.users["coordinator"])
    response = client.get(reverse("meetings:minutes_docx", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    assert 'filename="procesverbal-2025-03-12.docx"' in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Policia raportoi 12 raste." in text and "alert" not in text
    assert any(r.bold and r.text == "Policia" for p in doc.paragraphs for r in p.runs)
    assert "Arta Testi" in cells and "Salla 1" in cells
    assert "Përgatit agjendën e trajnimit" in text
    # Numbered lists are written out and each counts from 1 (LibreOffice and Word would
    # run automatic numbering on from the agenda into the minutes); A4, a named font.
    assert "1.\tHapja" in text and "2.\tRastet e reja" in text
    assert "1.\tPika e parë" in text and "2.\tPika e dytë" in text
    assert round(doc.sections[0].page_width.cm, 1) == 21.0
    assert doc.styles["Normal"].font.name == "Calibri"
    assert "Nënshkrimi" in cells  # signature lines
    response = client.get(reverse("meetings:minutes_pdf", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    if os.environ.get("MKK_SCREENSHOTS"):  # to look at the pages (pdftoppm)
        Path(os.environ["MKK_SCREENSHOTS"], "minutes.pdf").write_bytes(response.content)
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for words in ("Arta Testi", "Pika 1", "Rastet e reja", "Nënshkrimi", "Të organizohet trajnim"):
        assert words in pdf, words
    assert (
        AuditEntry.objects.filter(action=AuditAction.EXPORT, object_id=str(meeting.pk)).count() == 2
    )


def test_minutes_in_serbian(client, world, meeting):
    login(client, world.drenas.users["coordinator"])
    client.post(reverse("set_language"), {"language": "sr-latn", "next": "/"})
    response = client.get(reverse("meetings:minutes_docx", kwargs={"pk": meeting.pk}))
    assert 'filename="zapisnik-2025-03-12.docx"' in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    assert "Zapisnik" in "\n".join(p.text for p in doc.paragraphs)


def test_minutes_of_another_municipality_are_not_found(client, world, meeting):
    login(client, world.gjilan.users["coordinator"])
    assert client.get(reverse("meetings:minutes_pdf", kwargs={"pk": meeting.pk})).status_code == 404
