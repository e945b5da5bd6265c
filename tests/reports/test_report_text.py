"""The report as a native reader signs it (issue 15.8): the Drenas and Gjilan reports in
Albanian and Serbian rendered to PDF (pages kept as PNG in screenshots/ to look at) and read
back for each listed defect; sheet names and download names."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from mkk.reports import render
from mkk.reports.builder import build_report_data
from mkk.reports.render import _sheet_title

from .conftest import GJILAN_END, GJILAN_START

SHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "reports"
CASES = [
    ("gjilan", GJILAN_START, GJILAN_END),
    ("drenas", dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
]


def _pages(pdf: bytes, name: str) -> list[str]:
    if shutil.which("pdftoppm"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-r", "60", "-png", str(SHOTS / f"{name}.pdf"), str(SHOTS / name)],  # noqa: S607
            check=True,
        )
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("language", ["sq", "sr"])
@pytest.mark.parametrize(("code", "start", "end"), CASES)
def test_rendered_reports_show_none_of_the_defects(demo, code, start, end, language):
    from mkk.plans import demo as plans_demo

    with translation.override("sq"):
        plans_demo.load(demo)
    data = build_report_data(
        municipality=demo["municipalities"][code],
        start=start,
        end=end,
        language=language,
        public=False,
    )
    pages = _pages(render.render_pdf(data), f"{code}-{language}")
    text = " ".join(" ".join(p.split()) for p in pages)
    # One confidential line on the cover (the page header), not two.
    assert pages[0].count("KONFIDENCIAL") == 1
    # Ordinal half-years, never a Roman numeral after the noun.
    assert not re.search(r"(gjashtëmujori|tremujori|polugodište|kvartal) I", text)
    if code == "drenas":
        assert {"sq": "gjashtëmujori i parë 2025", "sr": "prvo polugodište 2025"}[language] in text
    # The "Change" column is a noun, not Django's button.
    assert "Ndryshoje" not in text and "Izmeni" not in text
    # Not every sentence opens with the period: at most once per paragraph that names it
    # (the summary, the meetings and each institution's paragraph).
    opener = {"sq": "Gjatë periudhës", "sr": "U periodu"}[language]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 30]
    assert sum(s.startswith(opener) for s in sentences) < len(sentences) / 2
    doc = render.build_document(data)
    paragraphs = [b.text for b in doc.blocks if isinstance(b, render.Paragraph)]
    headings = [b for b in doc.blocks if isinstance(b, render.Heading) and b.level == 2]
    assert text.count(opener) <= len(headings) + 2
    for para in paragraphs:  # no two sentences in a row open with the same two words
        openings = [s.split()[:2] for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÇËŠŽĆČĐ])", para)]
        assert all(a != b for a, b in zip(openings, openings[1:], strict=False)), para
    # Quotation marks: never doubled, and a name's own quotes are not quoted again.
    assert not re.search(r"[„“”\"]{2}", text), re.search(r".{30}[„“”\"]{2}.{10}", text)
    if language == "sr":
        assert "”" not in text  # Serbian closes with “, never ”
        assert not re.search(r"„[^“]*„", text)
    # No line said twice in a row (a heading repeated as the table's caption).
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert all(a != b for a, b in zip(lines, lines[1:], strict=False)), page
    # No English in an Albanian or Serbian report (the confidential line is trilingual).
    english = re.compile(
        r"\b(the|and|of|with|were|was|figures|Change|Total|Annex|Summary|Meetings|"
        r"Institution|Compared|Focal|Reference)\b"
    )
    prose_text = text.replace("Confidential", "").replace("UN Women", "")
    assert not english.search(prose_text), english.search(prose_text)


def test_institutions_without_data_in_one_sentence(demo):
    data = build_report_data(
        municipality=demo["municipalities"]["drenas"],
        start=dt.date(2019, 1, 1),
        end=dt.date(2019, 6, 30),
        language="sq",
        public=False,
    )
    text = " ".join(render.render_html(data).split())
    assert text.count("nuk ka të dhëna") <= 1
    assert "Këto institucione nuk kanë raportuar shifra" in text or "raportojnë statistika" in text


def test_sheet_names_cut_at_a_word_and_unique():
    used: set[str] = set()
    long = "Qendra për Punë Sociale Drenas dhe Gllogoc"
    first = _sheet_title(long, used)
    second = _sheet_title(long, used)
    assert len(first) <= 31 and len(second) <= 31
    assert first == "Qendra për Punë Sociale Drenas"
    assert second == "Qendra për Punë Sociale (2)"
    assert first.lower() != second.lower()


def test_xlsx_sheet_names_are_whole_words(gjilan):
    data = build_report_data(
        municipality=gjilan, start=GJILAN_START, end=GJILAN_END, language="sq", public=False
    )
    wb = load_workbook(io.BytesIO(render.render_xlsx(data)))
    names = wb.sheetnames
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert len(name) <= 31
        for word in name.split():
            assert word in " ".join(n for n in names) and not word.endswith("-")


@pytest.mark.django_db
def test_download_names_in_the_readers_language(client, demo):
    from mkk.accounts.models import User
    from mkk.reports import services
    from tests.conftest import login

    coordinator = User.objects.get(username="gjilan.coordinator")
    report = services.report_create(
        actor=coordinator,
        municipality=demo["municipalities"]["gjilan"],
        start=GJILAN_START,
        end=GJILAN_END,
        language="sq",
    )
    login(client, coordinator)
    url = reverse("reports:download", kwargs={"pk": report.pk, "fmt": "html"})
    client.cookies["django_language"] = "sq"
    assert 'filename="raporti-i-monitorimit-gjilan-' in client.get(url)["Content-Disposition"]
    client.cookies["django_language"] = "sr-latn"
    assert 'filename="izvestaj-o-pracenju-gjilan-' in client.get(url)["Content-Disposition"]
