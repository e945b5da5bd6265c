"""The minutes of a meeting (procesverbali) as a document to print and sign: DOCX and PDF.

Both carry the meeting's facts, agenda, attendance list, the minutes (rich text, sanitised),
decisions with their follow-up tasks, challenges, and signature lines for the minute-taker and
the coordinator. Text goes in through the libraries' APIs (python-docx) or escaped templates
(WeasyPrint, no network or disk access), in the language active when called.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mkk.core.documents import html_to_pdf

from .models import Meeting

CSS = Path(__file__).resolve().parent / "static" / "meetings" / "minutes-print.css"

#: Blocks of the sanitised minutes, and the inline marks they may carry.
_BLOCKS = {"p", "div", "h3", "h4", "blockquote", "li"}
_MARKS = {
    "strong": "bold",
    "b": "bold",
    "em": "italic",
    "i": "italic",
    "u": "underline",
    "del": "strike",
    "s": "strike",
}


def context(meeting: Meeting) -> dict:
    """Everything the document shows, read once (the same for DOCX and PDF)."""
    municipality = meeting.mechanism.municipality
    decisions = list(meeting.decisions.prefetch_related("follow_ups__owner").order_by("number"))
    return {
        "meeting": meeting,
        "municipality": municipality,
        "mechanism": meeting.mechanism,
        "agenda": list(meeting.agenda_items.order_by("order", "pk")),
        "attendance": list(meeting.attendance.select_related("institution")),
        "minutes_html": meeting.minutes_html,
        "decisions": decisions,
        "title": _("Minutes of the meeting of %(date)s") % {"date": f"{meeting.date:%d.%m.%Y}"},
    }


def file_name(meeting: Meeting, extension: str) -> str:
    """``procesverbal-2025-03-12.pdf`` in Albanian, ``zapisnik-…`` in Serbian, and so on."""
    stem = slugify(pgettext("file name", "minutes")) or "minutes"
    return f"{stem}-{meeting.date:%Y-%m-%d}.{extension}"


def render_pdf(meeting: Meeting) -> bytes:
    html = render_to_string("meetings/minutes_print.html", context(meeting))
    return html_to_pdf(html, stylesheets=[CSS.read_text()])


def render_docx(meeting: Meeting) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    data = context(meeting)
    doc = Document()
    section = doc.sections[0]
    # A4 (python-docx's template is US Letter) and a named font: the template's theme font
    # opens as a serif in LibreOffice.
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    doc.styles["Normal"].font.size = Pt(11)
    doc.styles["Normal"].font.name = "Calibri"
    for part in (_docx_facts, _docx_attendance, _docx_minutes, _docx_signatures):
        part(doc, data)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_facts(doc, data) -> None:
    """The mechanism, the title, the meeting's facts and its agenda."""
    m = data["meeting"]
    doc.add_paragraph(data["mechanism"].name)
    doc.add_heading(data["title"], level=1)
    facts = [
        (_("Municipality"), data["municipality"].bilingual_name),
        (_("Date"), f"{m.date:%d.%m.%Y}"),
        (pgettext("time of day", "Time"), _time(m)),
        (_("Place"), m.place or "–"),
        (_("Type"), m.get_kind_display()),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].paragraphs[0].runs[0].bold = True
    if data["agenda"]:
        doc.add_heading(_("Agenda"), level=2)
        for n, item in enumerate(data["agenda"], start=1):
            _numbered(doc.add_paragraph(), n, item.title)


def _docx_attendance(doc, data) -> None:
    doc.add_heading(_("Attendance"), level=2)
    if not data["attendance"]:
        doc.add_paragraph(_("No attendance recorded."))
        return
    att = doc.add_table(rows=1, cols=3)
    att.style = "Table Grid"
    for cell, text in zip(
        att.rows[0].cells, (_("Institution"), _("Representative"), _("Attendance")), strict=True
    ):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for a in data["attendance"]:
        cells = att.add_row().cells
        cells[0].text = a.institution.name
        cells[1].text = a.person_name or "–"
        cells[2].text = a.get_status_display()


def _docx_minutes(doc, data) -> None:
    """The minutes, the decisions with their follow-up tasks, and the challenges."""
    m = data["meeting"]
    doc.add_heading(_("Minutes"), level=2)
    if data["minutes_html"]:
        _html_into_docx(doc, data["minutes_html"])
    else:
        doc.add_paragraph(_("No minutes recorded."))
    if data["decisions"]:
        doc.add_heading(_("Decisions"), level=2)
        for d in data["decisions"]:
            doc.add_paragraph(f"{d.number}. {d.text}")
            for task in d.follow_ups.all():
                doc.add_paragraph(
                    _("%(task)s — %(owner)s, by %(due)s")
                    % {
                        "task": task.description,
                        "owner": task.owner.name,
                        "due": f"{task.due_date:%d.%m.%Y}",
                    },
                    style="List Bullet",
                )
    if m.challenges:
        doc.add_heading(_("Challenges"), level=2)
        doc.add_paragraph(m.challenges)


def _docx_signatures(doc, data) -> None:
    doc.add_heading(_("Signatures"), level=2)
    sig = doc.add_table(rows=3, cols=2)
    names = ("", data["mechanism"].coordinator_name)
    for col, role in enumerate((_("Minute-taker"), _("Municipal coordinator"))):
        sig.rows[0].cells[col].text = role
        sig.rows[1].cells[col].text = (
            _("Name and surname") + ": " + (names[col] or "______________________")
        )
        sig.rows[2].cells[col].text = _("Signature") + ": ______________________"
    doc.add_paragraph(_("Date") + ": ______________")


def _numbered(paragraph, n: int, text: str = ""):
    """A numbered item written out ("3. ..."), with a hanging indent: Word's and
    LibreOffice's automatic numbering would run on from one list into the next."""
    from docx.shared import Cm

    paragraph.paragraph_format.left_indent = Cm(0.75)
    paragraph.paragraph_format.first_line_indent = Cm(-0.75)
    paragraph.add_run(f"{n}.\t{text}" if text else f"{n}.\t")
    return paragraph


def _time(m: Meeting) -> str:
    if m.start_time and m.end_time:
        return f"{m.start_time:%H:%M}–{m.end_time:%H:%M}"
    return f"{m.start_time:%H:%M}" if m.start_time else "–"


class _DocxWriter(HTMLParser):
    """Sanitised minutes (a fixed, small tag set) into python-docx paragraphs and runs."""

    def __init__(self, doc):
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.paragraph = None
        self.marks: list[str] = []
        self.lists: list[list] = []  # [tag, items so far]

    def _new(self, style: str | None = None):
        self.paragraph = self.doc.add_paragraph(style=style)

    def handle_starttag(self, tag, attrs):
        if tag in {"ul", "ol"}:
            self.lists.append([tag, 0])
        elif tag == "li":
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1  # each list counts from 1
                self.paragraph = _numbered(self.doc.add_paragraph(), self.lists[-1][1])
            else:
                self._new("List Bullet")
        elif tag in {"h3", "h4"}:
            self.paragraph = self.doc.add_heading(level=3 if tag == "h3" else 4)
        elif tag in _BLOCKS:
            self._new("Quote" if tag == "blockquote" else None)
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()
        elif tag in _MARKS:
            self.marks.append(_MARKS[tag])

    def handle_endtag(self, tag):
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        elif tag in _MARKS and _MARKS[tag] in self.marks:
            self.marks.remove(_MARKS[tag])
        elif tag in _BLOCKS or tag in {"h3", "h4"}:
            self.paragraph = None

    def handle_data(self, data):
        if not data.strip() and self.paragraph is None:
            return
        if self.paragraph is None:
            self._new()
        run = self.paragraph.add_run(data)
        for mark in self.marks:
            if mark == "strike":
                run.font.strike = True
            else:
                setattr(run, mark, True)


def _html_into_docx(doc, html: str) -> None:
    writer = _DocxWriter(doc)
    writer.feed(html)
    writer.close()
