"""The plain-text export of the Word document turned into paragraphs and tables: every cell
starts with a TAB at the beginning of a line, other lines continue the cell before."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .headers import _POSTAMBLE_RE, _TEXT_ROLES, _is_anchor, _label_role
from .model import DocumentItem, ParagraphItem, SourceCell, TableItem
from .values import _is_row_start

_TAB_LINE_RE = re.compile(r"^[ \u00a0]*\t")


@dataclass
class _Line:
    kind: str  # 'tab', 'blank' or 'cont'
    cells: list[str]


def _classify_line(line: str) -> _Line:
    match = _TAB_LINE_RE.match(line)
    if match:
        return _Line("tab", line[match.end() :].split("\t"))
    if not line.strip():
        return _Line("blank", [])
    return _Line("cont", line.split("\t"))


def _prescan_width(events: Sequence[_Line], line_index: int, cell_index: int, before: int) -> int:
    """Number of cells of the header row whose 'Veprimi' cell is at ``(line, cell)``.

    Counts the ``before`` cells of the row before the anchor, then the header-like cells
    (labels, years, empty cells) after it; an empty line is crossed only when the next cell
    is a column title (the seed's header is split in two by an empty line).
    """
    cells: list[list[Any]] = []  # [text, preceded by an empty line]
    blank = False
    for index in range(line_index, min(len(events), line_index + 400)):
        event = events[index]
        if event.kind == "blank":
            blank = True
        elif event.kind == "cont":
            if cells and len(cells[-1][0]) < 200:
                cells[-1][0] += "\n" + event.cells[0]
            cells.extend([text, False] for text in event.cells[1:])
        else:
            for position, text in enumerate(event.cells):
                if index == line_index and position < cell_index:
                    continue
                cells.append([text, blank and position == 0])
            blank = False
        if len(cells) > 40:
            break
    count = before
    for text, after_blank in cells:
        role = _label_role(text)
        if after_blank and role not in (*_TEXT_ROLES, "budget"):
            break
        if text.strip() and role is None:
            break
        count += 1
    return max(count, 2)


class _TextTableReader:
    """Reads one table block of the text export into rows of cells.

    Cells are collected in *segments* (the cells between two empty lines).  A segment
    continues the previous row when that row is not complete yet, the cells fit in the width
    of the header, the segment does not start with something that always starts a row
    ('I.1.1', 'II', 'Nr.') and does not hold the 'Veprimi' column title; otherwise it starts a
    new row.
    """

    def __init__(self, events: Sequence[_Line], width: int | None) -> None:
        self.events = events
        self.rows: list[list[SourceCell]] = []
        self.segment: list[SourceCell] = []
        self.segment_has_anchor = False
        self.width = width
        self.found_width: int | None = None
        self.current: SourceCell | None = None
        self.parts: list[str] = []  # the lines of the current cell (joined when it ends)
        self.head = ""  # the first 200 characters of the current cell, for the checks
        self.has_text = False

    def flush(self) -> None:
        if self.current is not None:
            self.current.text = "\n".join(self.parts)

    def start_cell(self, text: str, line: int) -> None:
        self.flush()
        self.current = SourceCell(text=text, line=line)
        self.parts = [text]
        self.head = text[:200]
        self.has_text = bool(text.strip())
        self.segment.append(self.current)
        if _is_anchor(self.head):
            self.segment_has_anchor = True

    def add_line(self, text: str, blank_lines: int) -> None:
        self.parts.extend([""] * blank_lines)
        self.parts.append(text)
        if len(self.head) < 200:
            self.head = (self.head + "\n" * (blank_lines + 1) + text)[:200]
        self.has_text = self.has_text or bool(text.strip())
        if _is_anchor(self.head):
            self.segment_has_anchor = True

    def merges(self) -> bool:
        """Whether the current segment continues the previous row."""
        if not self.rows or not self.segment or self.width is None:
            return False
        previous = len(self.rows[-1])
        if previous >= self.width or previous + len(self.segment) > self.width:
            return False
        if self.segment_has_anchor:
            return False  # a header row always starts a row
        first = self.head if len(self.segment) == 1 else self.segment[0].text
        return not _is_row_start(first)

    def close_segment(self) -> None:
        if self.segment:
            self.flush()
            if self.merges():
                self.rows[-1].extend(self.segment)
            else:
                self.rows.append(self.segment)
        self.segment = []
        self.segment_has_anchor = False

    def row_incomplete(self) -> bool:
        if self.width is None:
            return False
        if self.merges():
            return len(self.rows[-1]) + len(self.segment) < self.width
        return len(self.segment) < self.width

    def set_width(self, line_index: int, cell_index: int, before: int) -> None:
        self.found_width = _prescan_width(self.events, line_index, cell_index, before)
        self.width = self.found_width

    def read(self, start: int) -> int:
        """Consume the block from line ``start``; return the index after its last line."""
        events = self.events
        blank_run = 0
        last_content = start
        index = start
        while index < len(events):
            event = events[index]
            if event.kind == "blank":
                blank_run += 1
            elif event.kind == "tab":
                if blank_run:
                    self.close_segment()
                blank_run = 0
                for cell_index, text in enumerate(event.cells):
                    if self.found_width is None and _is_anchor(text):
                        self.set_width(index, cell_index, len(self.segment))
                    self.start_cell(text, index + 1)
                last_content = index
            else:  # a continuation line
                first, *more = event.cells
                if blank_run:
                    # after an empty line, text continues the cell only while the row is
                    # incomplete (before the header width is known: while the cell is empty)
                    if self.width is not None:
                        continues = self.row_incomplete() and not _POSTAMBLE_RE.match(first)
                    else:
                        continues = not self.has_text
                    if not continues:
                        break
                self.add_line(first, blank_run)
                blank_run = 0
                if self.found_width is None and _is_anchor(self.head):
                    # the 'Veprimi' cell started with an empty line
                    self.set_width(index + 1, 0, len(self.segment))
                for text in more:
                    self.start_cell(text, index + 1)
                last_content = index
            index += 1
        self.flush()
        self.close_segment()
        return last_content + 1


def _read_text_table(
    lines: Sequence[str], events: Sequence[_Line], start: int, width_hint: int | None
) -> tuple[TableItem, int]:
    """Read the table block starting at line ``start``; return it and the next line index."""
    reader = _TextTableReader(events, width_hint)
    end = reader.read(start)
    item = TableItem(
        rows=reader.rows,
        raw="\n".join(lines[start:end]),
        width=reader.found_width,
        first_line=start + 1,
    )
    return item, end


def text_to_items(text: str) -> list[DocumentItem]:
    """Split the plain-text export into paragraphs (one per line) and tables.

    Each table cell starts with a TAB at the beginning of a line (spaces before the TAB are
    allowed, further TABs on the line start further cells); a line without a leading TAB
    continues the current cell.  An empty line separates rows, unless the row is not complete
    yet compared with the width of the table header (then the cells after it continue the
    row) -- so a header split by an empty line, or a cell with an empty line in it, is read
    correctly.  A table ends at an empty line followed by text when its last row is complete.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    events = [_classify_line(line) for line in lines]
    items: list[DocumentItem] = []
    index = 0
    width_hint: int | None = None
    while index < len(lines):
        if events[index].kind == "tab":
            table, index = _read_text_table(lines, events, index, width_hint)
            if table.width:
                width_hint = table.width
            items.append(table)
        else:
            items.append(ParagraphItem(text=lines[index], line=index + 1))
            index += 1
    return items
