"""Every CSV and XLSX writer goes through mkk.core.spreadsheet (issue 12.7).

The writers are found in the source: a module that makes a CSV writer or an openpyxl workbook
must take its cells from mkk.core.spreadsheet; a raw ``csv.writer``/``csv.DictWriter`` outside
that module fails the test, and so does an XLSX cell written without ``neutralise``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkk.core import spreadsheet
from mkk.core.spreadsheet import neutralise, unneutralise

SRC = Path(spreadsheet.__file__).resolve().parents[1]  # src/mkk
RAW_CSV = re.compile(r"\bcsv\.(writer|DictWriter)\(")
WORKBOOK = re.compile(r"\bWorkbook\(")
CELL_WRITE = re.compile(r"\.cell\([^)]*value=(?!neutralise\(|CONFIDENTIAL\b)")
APPEND = re.compile(r"\b(ws|sheet|text)\.append\(\s*+(?!\[safe\(|row\(|spreadsheet\.row\()")
#: Writers whose output never reaches a person: the benchmark times openpyxl alone and
#: throws the bytes away.
NOT_OUTPUT = {"tools/bench.py"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+A1", "'+A1"),
        ("-2+3", "'-2+3"),
        ("-5.0", "-5.0"),
        ("+6,4%", "+6,4%"),
        ("-1-1", "'-1-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Drenas", "Drenas"),
        ("", ""),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected
    if isinstance(value, str):
        assert unneutralise(neutralise(value)) == value


def _writers() -> dict[Path, str]:
    out = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if (
            RAW_CSV.search(text)
            or WORKBOOK.search(text)
            or "csv_writer(" in text
            or "csv_dict_writer(" in text
        ):
            out[path] = text
    return out


def test_writers_are_found():
    names = {str(p.relative_to(SRC)) for p in _writers()}
    # The known writers; a new one is picked up by the same search.
    for expected in (
        "core/spreadsheet.py",
        "plans/exports.py",
        "reports/render.py",
        "statistics/exchange.py",
        "statistics/management/commands/statistics.py",
        "statistics/management/commands/statistics_dhis2_mapping.py",
    ):
        assert expected in names


def test_every_writer_goes_through_the_shared_function():
    problems = []
    for path, text in _writers().items():
        rel = path.relative_to(SRC)
        if str(rel) == "core/spreadsheet.py" or str(rel) in NOT_OUTPUT:
            continue
        if "mkk.core.spreadsheet" not in text:
            problems.append(f"{rel}: does not use mkk.core.spreadsheet")
        if RAW_CSV.search(text):
            problems.append(f"{rel}: raw csv writer (use spreadsheet.csv_writer)")
        for pattern in (CELL_WRITE, APPEND):
            for match in pattern.finditer(text):
                number = text.count("\n", 0, match.start()) + 1
                problems.append(f"{rel}:{number}: cell written without neutralise")
    assert not problems, "\n".join(problems)
