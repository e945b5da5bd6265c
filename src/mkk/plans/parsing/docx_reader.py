"""A ``.docx`` turned into paragraphs and tables (python-docx), with the size checks that refuse
zip bombs and damaged documents."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.utils.translation import gettext_lazy as _

from .model import (
    _DOCX_MAIN_PART,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_MEMBERS,
    DocumentItem,
    ParagraphItem,
    PlanParseError,
    SourceCell,
    TableItem,
)


def _read_bytes(data: bytes | bytearray | BinaryIO) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    else:
        try:
            raw = data.read(MAX_UPLOAD_BYTES + 1)
        except Exception as exc:  # any I/O problem of a file-like object
            raise PlanParseError("unreadable", _("The file could not be read.")) from exc
        if not isinstance(raw, bytes | bytearray):
            raise PlanParseError("unreadable", _("The file could not be read."))
        raw = bytes(raw)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise PlanParseError(
            "too_large",
            _("The file is larger than {limit} MB."),
            limit=MAX_UPLOAD_BYTES // (1024 * 1024),
        )
    return raw


def _open_docx(raw: bytes) -> Any:
    """Check the zip container, then open it with python-docx."""
    if not raw:
        raise PlanParseError("empty", _("The file is empty."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise PlanParseError(
            "not_zip", _("The file is not a Word document (.docx): it is not a zip archive.")
        ) from exc
    with archive:
        try:
            members = archive.infolist()
        except Exception as exc:  # pragma: no cover - infolist is read when opening
            raise PlanParseError("not_zip", _("The .docx archive is damaged.")) from exc
        if len(members) > MAX_ZIP_MEMBERS:
            raise PlanParseError(
                "zip_too_many_members",
                _("The .docx archive has more than {limit} parts; it was refused."),
                limit=MAX_ZIP_MEMBERS,
            )
        total = sum(max(member.file_size, 0) for member in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise PlanParseError(
                "zip_too_large",
                _("The .docx archive would unpack to more than {limit} MB; it was refused."),
                limit=MAX_UNCOMPRESSED_BYTES // (1024 * 1024),
            )
        if _DOCX_MAIN_PART not in {member.filename for member in members}:
            raise PlanParseError(
                "not_docx",
                _("The file is a zip archive but not a Word document (no word/document.xml)."),
            )
    try:
        import docx  # python-docx

        return docx.Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx/lxml raise many kinds of errors on damaged files
        raise PlanParseError(
            "bad_docx", _("The Word document could not be read; it may be damaged.")
        ) from exc


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


def _element_text(element: Any, parent: Any) -> str:
    """Text of a paragraph (``w:p``) or, recursively, of a nested table (``w:tbl``)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if element.tag == _w("p"):
        return Paragraph(element, parent).text
    if element.tag == _w("tbl"):
        rows = []
        for row in Table(element, parent).rows:
            cells = [c for c in _dedupe_row(row, set())[0] if c is not None]
            rows.append(" | ".join(_cell_text(cell) for cell in cells))
        return "\n".join(rows)
    if element.tag == _w("sdt"):
        content = element.find(_w("sdtContent"))
        if content is not None:
            return "\n".join(_element_text(child, parent) for child in content)
    return ""


def _cell_text(cell: Any) -> str:
    """The text of a table cell (its paragraphs and nested tables), TABs made spaces."""
    texts = [
        _element_text(child, cell) for child in cell._tc.iterchildren() if child.tag != _w("tcPr")
    ]
    return "\n".join(texts).replace("\t", " ")


def _row_cells(row: Any) -> list[Any]:
    """``row.cells``; for rows python-docx cannot lay out, one cell per ``w:tc`` and span."""
    try:
        return list(row.cells)
    except Exception:
        from docx.table import _Cell

        cells: list[Any] = []
        for tc in row._tr.tc_lst:
            cell = _Cell(tc, row.table)
            try:
                span = max(1, int(tc.grid_span))
            except Exception:
                span = 1
            cells.extend([cell] * span)
        return cells


def _dedupe_row(row: Any, seen: set[Any]) -> tuple[list[Any], list[int]]:
    """The distinct cells of a row and their spans.

    python-docx repeats the same cell for horizontally merged cells (and the cell above for
    vertically merged ones); cells are deduplicated by their underlying ``cell._tc``.  A cell
    already seen in an earlier row (vertical merge) is returned as ``None`` so the positions
    stay aligned.  ``seen`` holds the ``_tc`` elements (keeping them alive keeps lxml's
    proxies, hence their identity, stable).
    """
    cells: list[Any] = []
    spans: list[int] = []
    previous_tc = None
    for cell in _row_cells(row):
        tc = cell._tc
        if tc is previous_tc:
            spans[-1] += 1
            continue
        previous_tc = tc
        if tc in seen:
            cells.append(None)
        else:
            seen.add(tc)
            cells.append(cell)
        spans.append(1)
    return cells, spans


def _docx_table(table: Any) -> TableItem:
    rows: list[list[SourceCell]] = []
    seen: set[Any] = set()
    for row in table.rows:
        try:
            offset = int(row.grid_cols_before or 0)
        except Exception:
            offset = 0
        cells, spans = _dedupe_row(row, seen)
        out: list[SourceCell] = []
        position = offset
        for cell, span in zip(cells, spans, strict=True):
            text = "" if cell is None else _cell_text(cell)
            out.append(SourceCell(text=text, span=span, position=position))
            position += span
        rows.append(out)
    raw = "\n\n".join("\n".join("\t" + c.text for c in row) for row in rows)
    return TableItem(rows=rows, raw=raw)


def _iter_body(container: Any, parent: Any) -> Iterator[DocumentItem]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == _w("p"):
            yield ParagraphItem(text=Paragraph(child, parent).text)
        elif child.tag == _w("tbl"):
            yield _docx_table(Table(child, parent))
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                yield from _iter_body(content, parent)


def docx_to_items(data: bytes | BinaryIO) -> list[DocumentItem]:
    """Read a .docx into paragraphs and tables, in body order (after the zip checks)."""
    document = _open_docx(_read_bytes(data))
    try:
        body = document.element.body
        return list(_iter_body(body, document._body))
    except PlanParseError:
        raise
    except Exception as exc:
        raise PlanParseError(
            "bad_docx", _("The Word document could not be read; it may be damaged.")
        ) from exc
