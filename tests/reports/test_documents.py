"""Real documents rendered from the Gjilan 2019 data and read back."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from docx import Document as Docx
from openpyxl import load_workbook
from pypdf import PdfReader

from mkk.reports import render
from mkk.reports.builder import build_report_data
from mkk.reports.document import CONFIDENTIAL

from .conftest import GJILAN_END, GJILAN_START

NARRATIVE = {
    "challenges": 'A & B <c> "d"\n\n=HYPERLINK("http://example.invalid/x","click")',
    "recommendations": '<img src="http://example.invalid/tracker.png"> Rekomandim çelës: ë ç',
}
FIGURES_SQ = [
    "mekanizmi ka mbajtur 4 takime",
    "në Policinë e Kosovës janë paraqitur 83 raste, 5 më shumë se në periudhën e njëjtë "
    "të vitit 2018 (78 raste)",
    "janë trajtuar 76 viktima të dhunës në familje, nga to 59 femra dhe 17 meshkuj",
    "(80 viktima), numri është më i vogël për 4",
    "janë strehuar gjithsej 51 persona, nga to 25 të rritur dhe 26 fëmijë",
    "(66 persona), numri është më i vogël për 15",
]


@pytest.fixture
def data(gjilan):
    return build_report_data(
        municipality=gjilan, start=GJILAN_START, end=GJILAN_END, language="sq", public=False
    )


def _docx_text(content: bytes) -> str:
    d = Docx(io.BytesIO(content))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_data_is_plain_json(data):
    import json

    json.dumps(data)
    police = next(f for f in data["statistics"]["figures"] if f["element"]["code"] == "POL_CASES")
    assert police["values"][""]["current"] == 83
    assert police["values"][""]["previous"] == 78
    assert police["values"][""]["difference"] == 5
    assert data["meetings"]["held"] == 4


def test_docx_states_the_gjilan_figures(data, tmp_path):
    content = render.render_docx(data, NARRATIVE)
    text = _flat(_docx_text(content))
    for phrase in FIGURES_SQ:
        assert phrase in text, phrase
    assert 'A & B <c> "d"' in text
    assert "ë ç" in text
    d = Docx(io.BytesIO(content))
    assert CONFIDENTIAL in d.sections[0].header.paragraphs[0].text
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in z.namelist())
        assert b"example.invalid/tracker" not in z.read("word/_rels/document.xml.rels")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed")
    src = tmp_path / "report.docx"
    src.write_bytes(content)
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = PdfReader(str(tmp_path / "report.pdf"))
    converted = _flat(" ".join(page.extract_text() for page in pdf.pages))
    assert "83" in converted and "78" in converted
    assert "KONFIDENCIAL" in converted
    # The workbook prints one page wide: a figure's row and its last column ("Ndryshimi")
    # on the same page, not split over two.
    book = tmp_path / "book.xlsx"
    book.write_bytes(render.render_xlsx(data, NARRATIVE))
    subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo"]
        + ["--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = [p.extract_text() for p in PdfReader(str(tmp_path / "book.pdf")).pages]
    assert any("83" in p and "78" in p and "Ndryshimi" in p for p in pages)


def test_pdf_states_the_figures_and_is_confidential_on_every_page(data):
    fetcher = render.RefusingFetcher()
    content = render.render_pdf(data, NARRATIVE, fetcher=fetcher)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 3
    pages = [page.extract_text() for page in reader.pages]
    for i, page in enumerate(pages, start=1):
        assert "KONFIDENCIAL / Confidential / Poverljivo" in page, f"page {i}"
        assert f"{i} / {len(pages)}" in page
    text = _flat(" ".join(pages))
    for phrase in FIGURES_SQ:
        assert phrase in text, phrase
    assert 'A & B <c> "d"' in text
    assert '<img src="http://example.invalid/tracker.png">' in text  # shown as text
    assert fetcher.refused == []  # nothing was even asked for


def test_weasyprint_fetches_nothing_from_the_network():
    fetcher = render.RefusingFetcher()
    html = (
        '<html><body><p>x</p><img src="http://example.invalid/remote.png" alt="r">'
        '<link rel="stylesheet" href="https://example.invalid/s.css">'
        '<img src="file:///etc/passwd" alt="f"></body></html>'
    )
    content = render.html_to_pdf(html, fetcher)
    assert sorted(fetcher.refused) == sorted(
        ["http://example.invalid/remote.png", "https://example.invalid/s.css", "file:///etc/passwd"]
    )
    reader = PdfReader(io.BytesIO(content))
    assert not list(reader.pages[0].images)


def test_public_pdf_has_no_confidential_marking(data, gjilan):
    public = build_report_data(
        municipality=gjilan, start=GJILAN_START, end=GJILAN_END, language="sq", public=True
    )
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render.render_pdf(public))).pages
    )
    assert "KONFIDENCIAL" not in text
    assert "83" in text  # big numbers stay


def test_xlsx_one_sheet_per_table_numbers_and_no_formulas(data):
    content = render.render_xlsx(data, NARRATIVE)
    wb = load_workbook(io.BytesIO(content))
    doc = render.build_document(data, NARRATIVE)
    tables = [b for b in doc.blocks if isinstance(b, render.Table)]
    assert len(wb.sheetnames) == len(tables) + 1  # the text sheet and one per table
    cells = [
        c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    ]
    assert not [c for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://example.invalid/x","click")' in texts
    assert 'A & B <c> "d"' in texts
    police = wb["PK"]
    row = next(
        r for r in police.iter_rows(min_row=4, values_only=True) if r[0] and "raportuara" in r[0]
    )
    assert row[1:4] == (83, 78, 5)
    assert isinstance(row[4], float)


def test_html_escapes_narratives(data):
    html = render.render_html(data, NARRATIVE)
    assert "A &amp; B &lt;c&gt; &quot;d&quot;" in html
    assert '<img src="http' not in html
    assert "në Policinë e Kosovës janë paraqitur 83 raste" in html


@pytest.mark.parametrize("language", ["en", "sr"])
def test_other_languages(gjilan, language):
    data = build_report_data(
        municipality=gjilan, start=GJILAN_START, end=GJILAN_END, language=language, public=False
    )
    text = _flat(_docx_text(render.render_docx(data)))
    if language == "en":
        assert (
            "83 cases were reported" in text
            and "5 more than in the same period of 2018 (78 cases)" in text
        )
        assert "Summary" in text
    else:
        assert (
            "prijavljena su 83 slučaja, 5 više nego u istom periodu 2018. godine (78 slučajeva)"
            in text
        )
        assert "Rezime" in text


@pytest.mark.django_db
def test_drenas_2025_shows_the_plan_and_its_9000_eur_budget(demo):
    import datetime as dt

    from django.utils import translation

    from mkk.plans import demo as plans_demo

    with translation.override("sq"):
        plans_demo.load(demo)
    drenas = demo["municipalities"]["drenas"]
    data = build_report_data(
        municipality=drenas,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        language="sq",
        public=False,
    )
    assert data["plan"]["planned_total"] == 9000
    text = _flat(_docx_text(render.render_docx(data)))
    assert "Buxheti i planifikuar për periudhën është 9.000 EUR" in text
    assert "5. Zbatimi i planit të veprimit" in text
    assert "Veprimet sipas statusit për secilin objektiv" in text
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render.render_pdf(data))).pages)
    assert "9.000 EUR" in _flat(pdf)
