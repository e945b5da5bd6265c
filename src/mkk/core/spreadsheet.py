"""The one place that makes cells safe for spreadsheets (CSV and XLSX), for every writer.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel and LibreOffice (OWASP "CSV injection", ASVS 5.0 1.2.10); openpyxl even
writes such a string as a formula. Every CSV and XLSX writer of MKK — web exports, reports and
management commands — passes its cells through :func:`neutralise` (directly, or through
:func:`csv_writer` / :func:`csv_dict_writer`), which prefixes such text with an apostrophe and
leaves numbers, dates and empty cells as they are. ``tests/core/test_spreadsheet.py`` finds
every writer in the source and fails on one that bypasses this module.
"""

from __future__ import annotations

import csv
import re
from typing import Any

from django.utils.functional import Promise

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A signed plain number ("-5.0", "+3") is data, not a formula: left as it is.
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?%?")


def neutralise(value: Any) -> Any:
    """A cell value that cannot run as a formula: dangerous text gets a leading apostrophe;
    numbers, dates, booleans and ``None`` are returned unchanged."""
    if isinstance(value, Promise):
        value = str(value)
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise` on text read back from a file MKK wrote."""
    if isinstance(text, str) and text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def row(values) -> list:
    return [neutralise(v) for v in values]


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, values):
        return self._writer.writerow(row(values))

    def writerows(self, rows):
        for values in rows:
            self.writerow(values)


class _SafeDictWriter(csv.DictWriter):
    def writerow(self, rowdict):
        return super().writerow({k: neutralise(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts):
        for rowdict in rowdicts:
            self.writerow(rowdict)


def csv_writer(fileobj, **kwargs) -> _SafeWriter:
    """``csv.writer`` whose every cell is neutralised."""
    return _SafeWriter(csv.writer(fileobj, **kwargs))


def csv_dict_writer(fileobj, fieldnames, **kwargs) -> csv.DictWriter:
    """``csv.DictWriter`` whose every cell is neutralised (the header is code names)."""
    return _SafeDictWriter(fileobj, fieldnames=fieldnames, **kwargs)
