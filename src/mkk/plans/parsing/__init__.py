"""Parser for a municipality's Local Action Plan against domestic violence.

The Local Action Plan ("Plani Lokal i Veprimit ...", PLV) is a Word document: some text
(contacts, acknowledgements, a glossary of abbreviations, an introduction, the goals and the
strategic / specific objectives), one large action table, and again some text (the monitoring
plan, the signature).  This package reads it either from

* the plain-text export of the Word document (:func:`parse_plan_text`), in which every table
  cell starts with a TAB at the beginning of a line, lines without a leading TAB continue the
  previous cell, and an empty line *usually* (not always) ends a table row; or
* the ``.docx`` itself (:func:`parse_plan_docx`), read with python-docx.

Both paths are first turned into the same intermediate representation -- a list of
:class:`ParagraphItem` and :class:`TableItem` (rows of :class:`SourceCell`) -- see
:func:`text_to_items` and :func:`docx_to_items`; everything after that is shared.

The result is a :class:`ParsedPlan` made of plain dataclasses; no Django model is touched
here.  Nothing in the action table is dropped: every non-empty source cell is recorded in
:attr:`ParsedPlan.cell_map` with the field it went to (:meth:`ParsedPlan.field_text` resolves
such a target), and everything that did not fit a field ends up in a ``notes`` field with a
:class:`ParseWarning`.

Only :class:`PlanParseError` is ever raised, whatever the input.  Human-readable messages
are lazy translations: nothing is translated at import time, so the module imports without
Django settings.

The package's modules, in the order the data flows: :mod:`.model` (what is produced),
:mod:`.values` (single values), :mod:`.headers` (column titles), :mod:`.text_reader` and
:mod:`.docx_reader` (document to items), :mod:`.preamble` (text before the table),
:mod:`.layout`, :mod:`.table` with :mod:`.headings`, :mod:`.actions`, :mod:`.budget` and
:mod:`.codes` (the action table), :mod:`.entry` (the public entry points).
"""

from __future__ import annotations

from .docx_reader import docx_to_items
from .entry import parse_plan_docx, parse_plan_file, parse_plan_text
from .headers import COLUMN_ROLES, column_mapping, header_key
from .model import (
    BLOCKING_KINDS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_MEMBERS,
    WARNING_KINDS,
    CellPlacement,
    ParagraphItem,
    ParsedAction,
    ParsedBudgetLine,
    ParsedFunder,
    ParsedPlan,
    ParsedSpecificObjective,
    ParsedStrategicObjective,
    ParseWarning,
    PlanParseError,
    SourceCell,
    TableItem,
)
from .table import _parse_items as _parse_items  # the shared second half, for tests
from .text_reader import text_to_items
from .values import (
    classify_funder,
    normalize_legal_reference,
    parse_amount,
    parse_funders,
    parse_timeframe,
    split_institutions,
    split_legal_references,
)

__all__ = [
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_ZIP_MEMBERS",
    "BLOCKING_KINDS",
    "COLUMN_ROLES",
    "header_key",
    "column_mapping",
    "WARNING_KINDS",
    "CellPlacement",
    "ParagraphItem",
    "ParseWarning",
    "ParsedAction",
    "ParsedBudgetLine",
    "ParsedFunder",
    "ParsedPlan",
    "ParsedSpecificObjective",
    "ParsedStrategicObjective",
    "PlanParseError",
    "SourceCell",
    "TableItem",
    "classify_funder",
    "docx_to_items",
    "normalize_legal_reference",
    "parse_amount",
    "parse_funders",
    "parse_plan_docx",
    "parse_plan_file",
    "parse_plan_text",
    "parse_timeframe",
    "split_institutions",
    "split_legal_references",
    "text_to_items",
]
