"""manage.py monitoring_report: every format from live data, clear errors."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from mkk.accounts.models import User


def _run(tmp_path, *extra, fmt="pdf", lang="sq"):
    out = tmp_path / f"r.{fmt}"
    call_command(
        "monitoring_report",
        "--municipality",
        "gjilan",
        "--start",
        "2019-01-01",
        "--end",
        "2019-09-30",
        "--lang",
        lang,
        "--format",
        fmt,
        "--output",
        str(out),
        *extra,
        stdout=io.StringIO(),
    )
    return out.read_bytes()


@pytest.mark.django_db
def test_command_pdf_states_the_figures(tmp_path, demo):
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(_run(tmp_path))).pages
    )
    assert (
        "janë paraqitur 83 raste, 5 më shumë se në periudhën e njëjtë të vitit 2018 (78 raste)"
        in text
    )
    assert "mekanizmi ka mbajtur 4 takime" in text


@pytest.mark.django_db
def test_command_other_formats(tmp_path, demo):
    assert zipfile.is_zipfile(io.BytesIO(_run(tmp_path, fmt="docx", lang="sr")))
    assert load_workbook(io.BytesIO(_run(tmp_path, fmt="xlsx", lang="en"))).sheetnames
    html = _run(tmp_path, "--public", fmt="html").decode()
    assert "KONFIDENCIAL" not in html and "83 raste" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--municipality", "nowhere", "--start", "2019-01-01", "--end", "2019-09-30"],
            "Unknown municipality",
        ),
        (
            ["--municipality", "gjilan", "--start", "2019-13-01", "--end", "2019-09-30"],
            "is not a date",
        ),
        (
            ["--municipality", "gjilan", "--start", "2019-10-01", "--end", "2019-09-30"],
            "is after the end",
        ),
    ],
)
def test_command_errors(tmp_path, demo, args, message):
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command(
            "monitoring_report", *args, "--lang", "en", "--output", str(tmp_path / "x.pdf")
        )
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.django_db
def test_dashboard_panel(demo):
    from mkk.reports.dashboard import panel

    request = RequestFactory().get("/")
    request.user = User.objects.get(username="gjilan.coordinator")
    data = panel(request)
    assert data and len(data["due"]) == 2
    request.user = User.objects.get(username="national")
    assert panel(request) is None
