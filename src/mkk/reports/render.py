"""Renderers: the same blocks (``document``) as DOCX, PDF, HTML and XLSX.

* DOCX with python-docx calls (text is inserted through the API, so ``<``, ``&`` and quotes
  are safe); the internal version has the confidential marking in the header of every page.
* PDF with WeasyPrint from the HTML below and ``static/reports/print.css``. The URL fetcher
  serves only ``data:`` URIs (the charts) and refuses everything else: a report never
  fetches anything from the network or the disk.
* HTML: a standalone document (escaped text; charts as ``data:`` URIs).
* XLSX with openpyxl: one sheet per table, numbers as numbers, text neutralised against
  formula injection.
"""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import override

from mkk.core import charts
from mkk.core.documents import RefusingFetcher, html_to_pdf
from mkk.core.spreadsheet import neutralise

from . import prose
from .document import (
    CONFIDENTIAL,
    Chart,
    Cover,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    build_document,
    cut_at_word,
)

STATIC = Path(__file__).resolve().parent / "static" / "reports"
FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
    "html": ("text/html; charset=utf-8", "html"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def _doc(data: dict, narrative: dict | None, title: str) -> Document:
    return build_document(data, narrative, title)


def render(
    fmt: str, data: dict, narrative: dict | None = None, title: str = "", *, doc=None
) -> bytes:
    """One format; pass ``doc`` (the built Document) to share it between formats."""
    if fmt == "docx":
        return render_docx(data, narrative, title, doc=doc)
    if fmt == "pdf":
        return render_pdf(data, narrative, title, doc=doc)
    if fmt == "html":
        return render_html(data, narrative, title, doc=doc).encode("utf-8")
    if fmt == "xlsx":
        return render_xlsx(data, narrative, title, doc=doc)
    raise ValueError(fmt)


def render_all(
    data: dict, narrative: dict | None = None, title: str = "", formats=tuple(FORMATS)
) -> dict[str, bytes]:
    """Every format from one data build and one Document: each chart is drawn once."""
    doc = _doc(data, narrative, title)
    return {fmt: render(fmt, data, narrative, title, doc=doc) for fmt in formats}


# --- HTML ---------------------------------------------------------------------------------


def _text(value) -> str:
    return escape("" if value is None else str(value))


def display(value, column: int, t: Table, language: str) -> str:
    """A table cell as text: numbers of numeric columns with the language's separators,
    signed (+5) or as a percentage (+6,4%) where the column says so."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float) or column not in t.numeric:
        return str(value)
    fmt = t.formats.get(column)
    text = prose.number(value, language)
    if fmt in ("signed", "percent") and value > 0:
        text = "+" + text
    if fmt == "percent":
        text += "%"
    return text


_SHORT_WORD = re.compile(r"(?<!\S)(\w{1,2}) (?=\S)")
_DASH = re.compile(r" ([–-]) ")


def header_text(text) -> str:
    """A column heading that wraps only where a reader would break it: a word of one or
    two letters stays with the next ("gjashtëmujori / i parë 2025", never "… i / parë"),
    a dash with the word before it."""
    text = _DASH.sub("\u00a0\\1 ", str(text))
    return _SHORT_WORD.sub("\\1\u00a0", text)


def _html_table(t: Table, language: str, *, fixed: bool = False) -> str:
    out = ['<table class="report-table">']
    if t.caption:
        out.append(f"<caption>{_text(t.title)}</caption>")
    elif not fixed:  # on screen the table keeps its name for screen readers; paper has the heading
        out.append(f'<caption class="visually-hidden">{_text(t.title)}</caption>')
    if fixed:  # print only: a fixed layout is much faster to typeset (no style attributes on pages)
        cols = "".join(f'<col style="width: {w:.1f}%">' for w in column_widths(t, 100.0))
        out.append(f"<colgroup>{cols}</colgroup>")
    out.append("<thead><tr>")
    for i, h in enumerate(t.header):
        cls = ' class="num"' if i in t.numeric else ""
        out.append(f'<th scope="col"{cls}>{_text(header_text(h))}</th>')
    out.append("</tr></thead><tbody>")
    for row in t.rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            cls = ' class="num"' if i in t.numeric else ""
            text = _text(display(cell, i, t, language))
            if i == 0:
                out.append(f'<th scope="row"{cls}>{text}</th>')
            else:
                out.append(f"<td{cls}>{text}</td>")
        out.append("</tr>")
    if not t.rows:
        out.append(f'<tr><td colspan="{len(t.header)}">{_text(_("No data."))}</td></tr>')
    out.append("</tbody></table>")
    if t.note:
        out.append(f'<p class="note">{_text(t.note)}</p>')
    return "".join(out)


def body_html(doc: Document, *, heading_offset: int = 0, for_print: bool = False) -> str:
    """The report's content as HTML (escaped); used in the page preview, the HTML file and
    the PDF. ``heading_offset`` shifts heading levels (the preview page has its own h1)."""
    out = []
    for block in doc.blocks:
        if isinstance(block, Cover):
            out.append('<section class="cover">')
            if block.confidential and not for_print:  # on paper the page header carries it
                out.append(f'<p class="confidential">{_text(CONFIDENTIAL)}</p>')
            level = 1 + heading_offset
            out.append(f'<h{level} class="cover-title">{_text(block.title)}</h{level}>')
            out.append('<dl class="cover-facts">')
            for label, value in block.lines:
                out.append(f"<dt>{_text(label)}</dt><dd>{_text(value)}</dd>")
            out.append("</dl></section>")
        elif isinstance(block, Heading):
            level = min(block.level + 1 + heading_offset, 6)
            out.append(f"<h{level}>{_text(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            cls = f' class="{block.style}"' if block.style else ""
            out.append(f"<p{cls}>{_text(block.text)}</p>")
        elif isinstance(block, Table):
            out.append(_html_table(block, doc.language, fixed=for_print))
        elif isinstance(block, Chart):
            src = charts.data_uri(block.png)
            out.append(f'<figure class="chart"><img src="{src}" alt="{_text(block.alt)}"></figure>')
        elif isinstance(block, PageBreak):
            out.append('<div class="page-break"></div>')
    return "\n".join(out)


def _css(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _html_document(doc: Document, *, for_pdf: bool) -> str:
    lang = {"sr-latn": "sr-Latn"}.get(doc.language, doc.language)
    css = _css("print.css") if for_pdf else _css("report.css")
    if for_pdf and not doc.public:
        css += (
            '\n@page { @top-center { content: "' + CONFIDENTIAL + '"; color: #a00000; '
            "font-weight: bold; font-size: 8pt; } }\n"
        )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{_text(doc.title)}</title><style>{css}</style></head><body>"
        f"{body_html(doc, for_print=for_pdf)}</body></html>"
    )


def render_html(data: dict, narrative: dict | None = None, title: str = "", *, doc=None) -> str:
    doc = doc or _doc(data, narrative, title)
    with override(doc.language):
        return _html_document(doc, for_pdf=False)


# --- PDF ----------------------------------------------------------------------------------


def render_pdf(
    data: dict,
    narrative: dict | None = None,
    title: str = "",
    fetcher: RefusingFetcher | None = None,
    *,
    doc=None,
) -> bytes:
    doc = doc or _doc(data, narrative, title)
    with override(doc.language):
        html = _html_document(doc, for_pdf=True)
    return html_to_pdf(html, fetcher)


# --- DOCX ---------------------------------------------------------------------------------


def _docx_repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _docx_cant_split(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _docx_page_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for text in ("PAGE", None, "NUMPAGES"):
        if text is None:
            paragraph.add_run(" / ")
            continue
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), text)
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        run.append(t)
        fld.append(run)
        paragraph._p.append(fld)


def _docx_shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def column_widths(block: Table, total: float) -> list[float]:
    """Widths that add up to ``total``: every column at least as wide as its longest word
    (about 100 characters fit across the page), numbers narrow, and the text columns share
    what is left by their average length."""
    n = len(block.header)

    def words(i):
        values = [str(row[i]) for row in block.rows if i < len(row)]
        heading = header_text(block.header[i]).split(" ")  # glued words break nowhere
        longest = max([len(w) for v in values for w in v.split()] + [len(w) for w in heading])
        return values + [str(block.header[i])], longest

    per_char = total / 100.0
    numeric = [i for i in range(n) if i in block.numeric]
    text = [i for i in range(n) if i not in block.numeric]
    widths = [0.0] * n
    base_num = min(total * (2.3 if n > 4 else 3.0) / 17.0, total * 0.55 / max(len(numeric), 1))
    # Headings are bold: their longest word gets a fifth more room, so that "arsyetuar" or
    # "Pjesëmarrës" fits whole (no break inside a word).
    need = {i: (words(i)[1] + 2) * per_char * 1.2 for i in numeric}
    for i in numeric:
        widths[i] = max(base_num, need[i])
    if not text:
        scale = total / (sum(widths) or 1)
        return [w * scale for w in widths]
    minimum, weights = {}, {}
    for i in text:
        values, longest = words(i)
        minimum[i] = (min(longest, 30) + 2) * per_char
        weights[i] = min(max(sum(len(v) for v in values) / len(values), 4), 60)
    floor = sum(minimum.values())
    if sum(widths) + floor > total or len(numeric) > 4:
        # Tight, or many number columns: numbers get what their longest word needs, so that
        # a proportional shrink never cuts a heading word ("Vonua|r") and the text columns
        # keep the room.
        for i in numeric:
            widths[i] = need[i]
    rest = max(total - sum(widths), min(floor, total * 0.3))
    if floor > rest:
        for i in text:
            widths[i] = rest * minimum[i] / floor
    else:
        spare = rest - floor
        weight_sum = sum(weights.values())
        for i in text:
            widths[i] = minimum[i] + spare * weights[i] / weight_sum
    scale = total / sum(widths)
    return [w * scale for w in widths]


def _docx_styles(d) -> dict:
    """The document's styles, set once; looked up by object afterwards (a lookup by name
    walks every style of the template)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    styles = d.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    for name, size in (("Title", 22), ("Heading 1", 15), ("Heading 2", 12.5)):
        styles[name].font.name = "Calibri"
        styles[name].font.size = Pt(size)
        styles[name].paragraph_format.keep_with_next = True
    cell = styles.add_style("MKK table text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = styles["Normal"]
    cell.font.size = Pt(9)
    cell.paragraph_format.space_after = Pt(0)
    number = styles.add_style("MKK table number", WD_STYLE_TYPE.PARAGRAPH)
    number.base_style = cell
    number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return {"grid": styles["Table Grid"], "cell": cell, "number": number}


def _docx_table(d, block: Table, language: str, styles: dict) -> None:
    """One table: a repeated, shaded heading row, rows kept whole, widths by content."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    if block.caption:
        cap = d.add_paragraph()
        cap.paragraph_format.keep_with_next = True
        run = cap.add_run(block.title)
        run.bold = True
        run.font.size = Pt(9.5)
    rows = block.rows or [[_("No data.")] + [""] * (len(block.header) - 1)]
    table = d.add_table(rows=1 + len(rows), cols=len(block.header))
    table.style = styles["grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Cm(w) for w in column_widths(block, 17.0)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for r, row in enumerate(table.rows):
        if r == 0:
            _docx_repeat_header(row)
        else:
            _docx_cant_split(row)
        for i, cell in enumerate(row.cells):
            cell.width = widths[i]
            para = cell.paragraphs[0]
            # The style by its id on the XML (python-docx's setter resolves it by name
            # through every style of the template, for each cell).
            para._p.style = styles["number" if i in block.numeric else "cell"].style_id
            if r == 0:
                para.add_run(header_text(block.header[i])).bold = True
                _docx_shade(cell, "DCE6F1")
            else:
                para.add_run(display(rows[r - 1][i], i, block, language))
    d.add_paragraph()


def _docx_page(d, public: bool) -> None:
    """A4 with its margins; the confidential line in the header of every page; page numbers."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    section = d.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    header = section.header.paragraphs[0]
    if not public:
        run = header.add_run(CONFIDENTIAL)
        run.bold = True
        run.font.size = Pt(8.5)
        run.font.color.rgb = RGBColor(0xA0, 0x00, 0x00)
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _docx_page_field(footer)


def _docx_paragraph(d, block: Paragraph) -> None:
    from docx.shared import Pt

    p = d.add_paragraph(block.text)
    if block.style == "note":
        for r in p.runs:
            r.italic = True
            r.font.size = Pt(9.5)
    elif block.style == "lead":
        p.paragraph_format.keep_with_next = True
        for r in p.runs:
            r.bold = True


def _docx_chart(d, block: Chart) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches, Pt

    d.add_picture(io.BytesIO(block.png), width=Inches(min(block.width_in, 6.5)))
    d.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    alt = d.add_paragraph(block.alt)
    for r in alt.runs:
        r.italic = True
        r.font.size = Pt(8.5)


def render_docx(data: dict, narrative: dict | None = None, title: str = "", *, doc=None) -> bytes:
    from docx import Document as Docx
    from docx.enum.text import WD_BREAK

    doc = doc or _doc(data, narrative, title)
    d = Docx()
    d.core_properties.title = doc.title
    d.core_properties.author = "MKK"
    d.core_properties.comments = ""
    styles = _docx_styles(d)
    _docx_page(d, doc.public)
    for block in doc.blocks:
        if isinstance(block, Cover):
            # The confidential marking is in the header of every page (cover included): once.
            d.add_paragraph(block.title, style="Title")
            for label, value in block.lines:
                p = d.add_paragraph()
                p.add_run(f"{label}: ").bold = True
                p.add_run(str(value))
        elif isinstance(block, Heading):
            d.add_heading(block.text, level=min(block.level, 3))
        elif isinstance(block, Paragraph):
            _docx_paragraph(d, block)
        elif isinstance(block, Table):
            _docx_table(d, block, doc.language, styles)
        elif isinstance(block, Chart):
            _docx_chart(d, block)
        elif isinstance(block, PageBreak):
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --- XLSX ---------------------------------------------------------------------------------

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, used: set[str]) -> str:
    """Excel's sheet names: at most 31 characters, unique (case-insensitively), cut at a
    word boundary; a repeated name gets " (2)", " (3)" within the limit."""
    base = cut_at_word(_SHEET_BAD.sub(" ", str(name)).strip().strip("'"), 31) or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = cut_at_word(base, 31 - len(suffix)) + suffix
        n += 1
    used.add(title.lower())
    return title


#: The workbook's font (a font left unnamed opens as a serif in LibreOffice).
XLSX_FONT = "Calibri"

#: Width of the report sheet's text column (characters): one A4 page across when printed.
REPORT_WIDTH = 95


def _xlsx_lines(text: str, width: int) -> int:
    """Lines a wrapped cell of ``width`` characters takes (words kept whole)."""
    lines = 0
    for part in str(text).split("\n"):
        lines += max(1, len(textwrap.wrap(part, width + 10)))
    return lines


def _xlsx_page(ws, *, landscape: bool) -> None:
    """Print setup: A4, one page wide (a table never splits its columns over pages)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def render_xlsx(data: dict, narrative: dict | None = None, title: str = "", *, doc=None) -> bytes:
    from openpyxl import Workbook

    doc = doc or _doc(data, narrative, title)
    wb = Workbook()
    used: set[str] = set()
    _xlsx_text_sheet(wb, doc, used)
    for block in doc.blocks:
        if isinstance(block, Table):
            _xlsx_table_sheet(
                wb.create_sheet(_sheet_title(block.sheet or block.title, used)), doc, block
            )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_text_sheet(wb, doc, used: set[str]) -> None:
    """First sheet: the report's text (cover, sentences, narratives), one paragraph a row."""
    from openpyxl.styles import Alignment, Font

    bold = Font(name=XLSX_FONT, bold=True)
    with override(doc.language):
        ws = wb.active
        ws.title = _sheet_title(_("Report"), used)
    ws.column_dimensions["A"].width = REPORT_WIDTH
    _xlsx_page(ws, landscape=False)
    row = 1
    if not doc.public:
        ws.cell(row=row, column=1, value=CONFIDENTIAL).font = Font(
            name=XLSX_FONT, bold=True, color="A00000"
        )
        row += 1
    for block in doc.blocks:
        if isinstance(block, Cover):
            ws.cell(row=row, column=1, value=neutralise(block.title)).font = Font(
                name=XLSX_FONT, bold=True, size=14
            )
            row += 1
            for label, value in block.lines:
                ws.cell(row=row, column=1, value=neutralise(f"{label}: {value}"))
                row += 1
        elif isinstance(block, Heading):
            ws.cell(row=row, column=1, value=neutralise(block.text)).font = bold
            row += 1
        elif isinstance(block, Paragraph):
            c = ws.cell(row=row, column=1, value=neutralise(block.text))
            c.alignment = Alignment(wrap_text=True, vertical="top")
            # Heights written out: LibreOffice does not grow a wrapped row on opening.
            ws.row_dimensions[row].height = 15 * _xlsx_lines(block.text, REPORT_WIDTH)
            row += 1


def _xlsx_table_sheet(ws, doc, block) -> None:
    """One sheet a table: title, the confidential line, a heading row, the figures."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(name=XLSX_FONT, bold=True)
    fill = PatternFill("solid", fgColor="DCE6F1")
    right = Alignment(horizontal="right")
    ws.cell(row=1, column=1, value=neutralise(block.title)).font = Font(
        name=XLSX_FONT, bold=True, size=12
    )
    if not doc.public:
        ws.cell(row=2, column=1, value=CONFIDENTIAL).font = Font(
            name=XLSX_FONT, bold=True, color="A00000"
        )
    for i, h in enumerate(block.header, start=1):
        c = ws.cell(row=3, column=i, value=neutralise(str(h)))
        c.font = bold
        c.fill = fill
        # Bold headings wrap between words rather than run into the next column.
        c.alignment = Alignment(
            wrap_text=True,
            vertical="top",
            horizontal="right" if i - 1 in block.numeric else "left",
        )
    for r, values in enumerate(block.rows, start=4):
        for i, value in enumerate(values, start=1):
            c = ws.cell(row=r, column=i, value=neutralise(value))
            fmt = block.formats.get(i - 1)
            if isinstance(value, int | float) and fmt == "signed":
                c.number_format = "+0;-0;0"
            elif isinstance(value, int | float) and fmt == "percent":
                c.number_format = '+0.0"%";-0.0"%";0.0"%"'
            if i - 1 in block.numeric:
                c.alignment = right
    for i, h in enumerate(block.header, start=1):
        width = max([len(str(h))] + [len(str(v[i - 1])) for v in block.rows if len(v) >= i] + [8])
        ws.column_dimensions[get_column_letter(i)].width = min(width + 2, 70)
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    _xlsx_page(ws, landscape=len(block.header) > 3)
