"""Tests of the Local Action Plan parser (text export and .docx).

Pure Python: runs with ``-p no:django`` (no settings); lazy messages are rendered only in a
subprocess that configures Django itself.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkk.plans.parsing import (
    WARNING_KINDS,
    ParagraphItem,
    ParsedPlan,
    PlanParseError,
    TableItem,
    normalize_legal_reference,
    parse_amount,
    parse_funders,
    parse_plan_docx,
    parse_plan_file,
    parse_plan_text,
    parse_timeframe,
    split_institutions,
    split_legal_references,
    text_to_items,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "src" / "mkk" / "seeds" / "drenas-local-action-plan-2025-2028.txt"
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> ParsedPlan:
    return parse_plan_text(seed_text)


def assert_nothing_dropped(plan: ParsedPlan) -> None:
    """Every non-empty source cell is in the cell map, and its target field holds its text."""
    assert len(plan.cell_map) == plan.source_cells_nonempty
    for placement in plan.cell_map:
        assert placement.text.strip()
        assert norm(placement.text) in norm(plan.field_text(placement.target)), placement


def kinds(plan: ParsedPlan) -> Counter[str]:
    return Counter(w.kind for w in plan.warnings)


# ---------------------------------------------------------------------------------------------
# The seed (text export)
# ---------------------------------------------------------------------------------------------


def test_seed_structure(seed: ParsedPlan) -> None:
    assert [so.code for so in seed.strategic_objectives] == ["I", "II"]
    assert [so.number for so in seed.strategic_objectives] == [1, 2]
    specs = seed.specific_objectives
    assert [(s.code, len(s.actions)) for s in specs] == [
        ("I.1", 9),
        ("I.2", 3),
        ("I.3", 8),
        ("I.4", 2),
        ("I.5", 4),
        ("I.6", 2),
        ("II.1", 6),
        ("II.2", 3),
    ]
    assert [s.code_raw for s in specs] == [None, "I.2", "1.3", "1.4", "1.5", "Nr.", "Nr.", "Nr."]
    assert [len(so.specific_objectives) for so in seed.strategic_objectives] == [6, 2]
    assert len(seed.actions) == 37
    assert [a.code for a in specs[4].actions] == ["II.4.1", "II.4.2", "II.4.3", "II.4.5"]
    assert [a.code for a in specs[5].actions] == ["II.2.3", "II.2.4"]
    assert specs[5].title.startswith("Avancimi i monitorimi të politikave")
    assert [a.code for a in specs[6].actions] == [f"II.1.{n}" for n in range(1, 7)]
    assert specs[6].title.startswith("Avancimi i shërbimeve rehabilituese")
    assert [a.code for a in specs[7].actions] == ["II.2.1", "II.2.2", "II.2.3-2"]
    assert specs[7].title.startswith("Avancimi i shërbimeve riintegruese")
    # the I.1 title is not in the table: it comes from the list before the table
    assert specs[0].title.startswith("Vetëdijsimi i qytetarëve")
    assert specs[0].title_source == "preamble"
    assert specs[1].title.startswith("Ngritja e kapaciteteve")
    assert seed.strategic_objectives[0].title.startswith("Përmirësimi i qeverisjes lokale")
    assert seed.strategic_objectives[1].title.startswith("Fuqizimi i shërbimeve rehabilituese")
    assert not seed.strategic_objectives[1].title.startswith("Objektiva")


def test_seed_budgets(seed: ParsedPlan) -> None:
    assert seed.years == [2025, 2026, 2027]
    assert seed.budget_by_year() == {y: Decimal(9000) for y in (2025, 2026, 2027)}
    assert sum(seed.budget_by_year().values()) == Decimal(27000)
    with_budget = [a.code for a in seed.actions if a.budget_lines]
    assert with_budget == ["I.1.1", "I.1.3", "I.1.4", "I.1.6", "II.1.1", "II.1.2", "II.1.3"]
    i14 = seed.action("I.1.4")
    lines = {line.year: line for line in i14.budget_lines}
    assert lines[2025].funder_raw == "OJQ SIT" and lines[2025].funder == "ngo"
    assert lines[2026].funder_raw == "OJQ SIT" and lines[2026].funder == "ngo"
    assert lines[2027].funder_raw is None and lines[2027].amount == Decimal(1000)
    assert seed.action("II.1.1").total_budget == Decimal(9000)
    assert not seed.warnings_of("amount_unparsed")


def test_seed_codes_and_warnings(seed: ParsedPlan) -> None:
    normalized = {(w.params.get("raw"), w.code) for w in seed.warnings_of("code_normalized")}
    assert ("I.4..2", "I.4.2") in normalized
    assert ("II.41", "II.4.1") in normalized
    assert ("II.2.3 ", "II.2.3") in normalized
    assert ("1.3", "I.3") in normalized
    for warning in seed.warnings_of("code_normalized"):
        assert warning.row is not None and warning.params["row"] == warning.row + 1
    assert seed.action("I.4.2").code_raw == "I.4..2"
    assert seed.action("II.4.1").code_raw == "II.41"
    # the duplicate II.2.3 is kept twice, code_raw exact, and reported
    twice = [a for a in seed.actions if a.code.startswith("II.2.3")]
    assert [(a.code, a.code_raw) for a in twice] == [("II.2.3", "II.2.3 "), ("II.2.3-2", "II.2.3")]
    duplicates = seed.warnings_of("code_duplicate")
    assert len(duplicates) == 1 and duplicates[0].params["new"] == "II.2.3-2"
    assert duplicates[0].row == twice[1].source_row
    inferred = seed.warnings_of("code_inferred")
    assert [w.code for w in inferred] == ["I.6", "II.1", "II.2"]
    assert set(kinds(seed)) <= set(WARNING_KINDS)


def test_seed_actions(seed: ParsedPlan) -> None:
    assert all(a.lead_institutions for a in seed.actions)
    i11 = seed.action("I.1.1")
    assert (i11.recurrence, i11.start_year, i11.end_year) == ("annual", 2025, 2028)
    assert i11.timeframe_raw == "2025-2028 (në baza vjetore)"
    assert i11.description.startswith("Realizimi i sesioneve informuese")
    assert i11.lead_institutions == ["Komuna"]
    assert i11.supporting_institutions == [
        "Drejtoria për Shëndetësi dhe Mirëqënie Sociale (QPS)",
        "Drejtoria Komunale për arsim",
    ]
    assert i11.legal_references == [
        "Procedurat Standarde të Veprimit",
        "Konventa e Stambollit",
        "Ligji nr. 08/L-185",
    ]
    assert [(f.kind, f.raw) for f in i11.funders] == [("municipality", "Komuna")]
    assert i11.cells["budget_2025"] == "1000"
    i37 = seed.action("I.3.7")
    assert (i37.recurrence, i37.start_year, i37.end_year) == ("semiannual", None, None)
    assert seed.action("I.4.1").recurrence == "semiannual"  # "Çdo 6 -muaj"
    ii11 = seed.action("II.1.1")
    assert (ii11.recurrence, ii11.start_year, ii11.end_year) == ("one_off", 2027, 2027)
    i23 = seed.action("I.2.3")
    assert (i23.start_year, i23.end_year) == (2025, 2028)
    assert seed.action("I.2.2").recurrence == "annual"
    assert seed.action("I.3.6").recurrence == "annual"
    assert (seed.action("II.2.4").start_year, seed.action("II.2.4").end_year) == (2025, 2028)
    assert seed.action("I.1.7").supporting_institutions == ["NJDNJ, BGJ"]
    assert seed.action("I.1.9").supporting_institutions == ["Administratorët"]
    assert "NJDNJ, BGJ" in seed.action("I.1.7").institutions_raw
    i12 = seed.action("I.1.2")
    assert [f.kind for f in i12.funders] == ["municipality", "donors", "ngo"]
    assert i12.institutions_raw.startswith("Përfaqësues të Komunës")
    assert i12.outputs.startswith("Rritja e njohurive")
    assert i12.legal_references == ["Konventa e Stambollit", "Ligji nr. 08/L-185"]
    i15 = seed.action("I.1.5")
    assert ("other", "Qendra per Provimin e te Drejtave te Grave ( QPDG)") in [
        (f.kind, f.raw) for f in i15.funders
    ]
    assert seed.action("II.2.2").funders[1].kind == "business"
    assert seed.action("I.2.1").legal_references == ["Ligji nr. 02/L-17", "Ligji nr. 08/L-185"]
    assert seed.action("I.3.5").legal_references == [
        "Strategjia Kombëtare për Mbrojtje nga Dhuna në Familje 2022\u20132026"
    ]
    assert seed.action("I.3.1").legal_references[1:] == [
        "Marrëveshja e Mirëkuptimit për MKK",
        "Procedurat Standarde të Veprimit",
    ]
    assert all(a.source_line for a in seed.actions)


def test_seed_preamble_and_postamble(seed: ParsedPlan, seed_text: str) -> None:
    assert seed.title == "Plani Lokal i Veprimit për Mbrojtje nga Dhuna në Familje"
    assert seed.years_covered == (2025, 2028)
    assert [abbr for abbr, _ in seed.glossary] == [
        "MD",
        "SHSP",
        "MPMS",
        "MFPT",
        "DSHMS",
        "DKA",
        "QPS",
        "PK",
        "MV",
        "NJDNJ,BGJ",
        "UA",
        "OJQ",
        "APRK",
        "ZDJF",
    ]
    assert dict(seed.glossary)["QPS"] == "Qendra për Punë Sociale"
    assert len(seed.contacts) == 6 and seed.contacts[0].startswith("Policia e Kosovës")
    assert seed.contacts[-1].startswith("Qendra për Mbrojtjen e Grave")
    assert len(seed.goals) == 4 and seed.goals[0].startswith("Të punojë në parandalimin")
    assert dict(seed.preamble_objectives)["2.2"].startswith("Avancimi i shërbimeve riintegruese")
    assert seed.preamble.lstrip().startswith("Kontaktet:")
    assert "Lista e shkurtesave" in seed.preamble and "Hyrje përmbledhëse" in seed.preamble
    assert "Plani i monitorimit" not in seed.preamble
    assert seed.postamble.startswith("Plani i monitorimit")
    assert "Ramiz Lladrovci" in seed.postamble
    assert "Afati i fundit" not in seed.postamble and "II.2.3" not in seed.postamble
    # preamble + table + postamble is the whole text
    assert seed_text.startswith(seed.preamble)
    assert seed_text.rstrip("\n").endswith(seed.postamble.rstrip("\n"))


def test_seed_nothing_dropped(seed: ParsedPlan, seed_text: str) -> None:
    assert_nothing_dropped(seed)
    targets = {p.target for p in seed.cell_map}
    assert "action[I.1.1].description" in targets
    assert "action[I.1.4].budget[2025]" in targets
    assert "specific_objective[I.2].title_raw" in targets
    assert "strategic_objective[II].title_raw" in targets
    assert "header" in targets
    # every tab-started cell text of the table region shows up in the cell map
    table = next(i for i in text_to_items(seed_text) if isinstance(i, TableItem) and i.width)
    source = Counter(norm(c.text) for row in table.rows for c in row if c.text.strip())
    mapped = Counter(norm(p.text) for p in seed.cell_map)
    assert source == mapped
    assert sum(source.values()) == seed.source_cells_nonempty


def test_seed_spacer_row_ignored(seed_text: str) -> None:
    table = next(i for i in text_to_items(seed_text) if isinstance(i, TableItem) and i.width)
    spacers = [row for row in table.rows if not any(c.text.strip() for c in row)]
    assert len(spacers) == 1 and len(spacers[0]) == 10
    widths = Counter(len(row) for row in table.rows)
    assert widths[10] == 37 + 1 + 5  # actions, the spacer, 5 header rows (repeated)


def test_seed_text_variants(seed_text: str) -> None:
    """BOM, CRLF, UTF-16 and cp1252 give the same actions; cp1252 is reported."""
    reference = [(a.code, a.description) for a in parse_plan_text(seed_text).actions]
    bom = parse_plan_file("plan.txt", b"\xef\xbb\xbf" + seed_text.encode("utf-8"))
    assert [(a.code, a.description) for a in bom.actions] == reference
    assert not bom.warnings_of("encoding")
    crlf = parse_plan_text(seed_text.replace("\n", "\r\n"))
    assert [(a.code, a.description) for a in crlf.actions] == reference
    utf16 = parse_plan_file("plan.txt", seed_text.encode("utf-16"))
    assert [(a.code, a.description) for a in utf16.actions] == reference
    legacy = parse_plan_file("plan.txt", seed_text.encode("cp1252", errors="replace"))
    assert len(legacy.warnings_of("encoding")) == 1
    assert [a.code for a in legacy.actions] == [code for code, _ in reference]
    assert (
        legacy.action("I.1.1").description == parse_plan_text(seed_text).action("I.1.1").description
    )


# ---------------------------------------------------------------------------------------------
# Small functions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "funder"),
    [
        ("1000", Decimal("1000"), None),
        ("9.000", Decimal("9000"), None),
        ("9,000", Decimal("9000"), None),
        ("9.000,00 €", Decimal("9000.00"), None),
        ("1 000", Decimal("1000"), None),
        ("1000 OJQ SIT", Decimal("1000"), "OJQ SIT"),
        ("1000 OJQ SIT ", Decimal("1000"), "OJQ SIT"),
        ("1000\nOJQ SIT", Decimal("1000"), "OJQ SIT"),
        ("€ 1.500,50", Decimal("1500.50"), None),
        ("1,500.50 EUR", Decimal("1500.50"), None),
        ("12,5", Decimal("12.5"), None),
        ("1.000.000", Decimal("1000000"), None),
        ("3000 (Donatorët)", Decimal("3000"), "(Donatorët)"),
        ("", None, None),
        ("   ", None, None),
        ("-", None, None),
        ("OJQ SIT", None, None),
        ("1000-2000", None, None),
        ("-500", None, None),
        ("1.000.50", None, None),
        ("1000 / 2000", None, None),
    ],
)
def test_parse_amount(text: str, amount: Decimal | None, funder: str | None) -> None:
    assert parse_amount(text) == (amount, funder)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ligji nr. 08/l-185 për Parandalimin dhe Mbrojtjen nga Dhuna", "Ligji nr. 08/L-185"),
        ("Ligji NR. 02/L-17 per çeshtje sociale dhe familjare", "Ligji nr. 02/L-17"),
        ("Konventën e Këshillit të Europës", "Konventa e Stambollit"),
        ("Konventën e Këshillit të Evropës", "Konventa e Stambollit"),
        ("Konventa e Stambollit", "Konventa e Stambollit"),
        (
            "Konventa për parandalimin dhe luftimin e dhunës kundër grave dhe dhunës në familje",
            "Konventa e Stambollit",
        ),
        (
            "Strategjia Kombëtare për Mbrojtje nga Dhuna në Familje dhe Dhuna ndaj Grave 2022-2026",
            "Strategjia Kombëtare për Mbrojtje nga Dhuna në Familje 2022\u20132026",
        ),
        (
            "Strategjia Kombëtare për Mbrojtje \nnga Dhuna në Familje 2022-2026",
            "Strategjia Kombëtare për Mbrojtje nga Dhuna në Familje 2022\u20132026",
        ),
        (
            "Procedurat Standarde të Veprimit për Mbrojtje nga Dhuna në Familje në Kosovë",
            "Procedurat Standarde të Veprimit",
        ),
        (
            "Marrëveshja e Mirëkuptimit për institucionalizimin e Mekanizmit koordinues",
            "Marrëveshja e Mirëkuptimit për MKK",
        ),
        ("Ligji për familjen;", "Ligji për familjen"),
        ("  Raportet zyrate  \n second line", "Raportet zyrate"),
        ("", None),
        (" ;; ", None),
    ],
)
def test_normalize_legal_reference(text: str, expected: str | None) -> None:
    assert normalize_legal_reference(text) == expected


def test_split_legal_references() -> None:
    cell = (
        "Konventën e Këshillit të Europës;  \n"
        "Ligji nr. 08/l-185 për Parandalimin \n"
        "dhe Mbrojtjen nga Dhuna në \n"
        "Familje Dhuna ndaj Grave dhe\n"
        " Dhuna në Baza Gjinore"
    )
    references = split_legal_references(cell)
    assert len(references) == 2
    assert references[1].startswith("Ligji nr. 08/l-185") and references[1].endswith("Gjinore")
    assert split_legal_references("A 2022-2026;; B; \nLigji për X\nLigji për Y") == [
        "A 2022-2026",
        "B",
        "Ligji për X",
        "Ligji për Y",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-2028 (në baza vjetore)", (2025, 2028, "annual")),
        ("\n\n2025-2028\n(baza vjetore)", (2025, 2028, "annual")),
        ("2025-2028 (Çdo vit)", (2025, 2028, "annual")),
        ("Çdo 6 muaj", (None, None, "semiannual")),
        ("Çdo 6 -muaj", (None, None, "semiannual")),
        ("2025", (2025, 2025, "one_off")),
        ("2027", (2027, 2027, "one_off")),
        ("Tetor- Dhjetor 2025", (2025, 2025, "one_off")),
        ("Tetor- Dhjetor 2025\n2028", (2025, 2028, None)),
        ("2025-2028", (2025, 2028, None)),
        ("2025/2028", (2025, 2028, None)),
        ("2025 – 2028", (2025, 2028, None)),
        ("2025- 2026", (2025, 2026, None)),
        ("", (None, None, None)),
        ("sipas nevojës", (None, None, None)),
    ],
)
def test_parse_timeframe(text: str, expected: tuple[int | None, int | None, str | None]) -> None:
    assert parse_timeframe(text) == expected


def test_split_institutions() -> None:
    assert split_institutions("Komuna\nNJDNJ, BGJ\nOJQ") == (["Komuna"], ["NJDNJ, BGJ", "OJQ"])
    assert split_institutions("Komuna, QPS; DKA\nA (x, y), B") == (
        ["Komuna", "QPS", "DKA"],
        ["A (x, y)", "B"],
    )
    assert split_institutions("Komuna\nAdmini-\nstratorët") == (["Komuna"], ["Administratorët"])
    assert split_institutions("\n\nKomuna \n") == (["Komuna"], [])
    assert split_institutions("X, Y", ["X,Y"]) == (["X, Y"], [])
    assert split_institutions("") == ([], [])


def test_parse_funders() -> None:
    def pairs(text: str) -> list[tuple[str, str]]:
        return [(f.kind, f.raw) for f in parse_funders(text)]

    assert pairs("Komuna \nDonatorë (OJQ)") == [
        ("municipality", "Komuna"),
        ("donors", "Donatorë"),
        ("ngo", "OJQ"),
    ]
    assert pairs("Komuna \nDonatorët/ OJQ \nStacioni Policor me perfaqesues") == [
        ("municipality", "Komuna"),
        ("donors", "Donatorët"),
        ("ngo", "OJQ"),
        ("other", "Stacioni Policor me perfaqesues"),
    ]
    assert pairs("DonatorëtQendra per Provimin ( QPDG)") == [
        ("donors", "Donatorët"),
        ("other", "Qendra per Provimin ( QPDG)"),
    ]
    assert pairs("Bizneset e mesme dhe të mëdha") == [("business", "Bizneset e mesme dhe të mëdha")]
    assert pairs("Drejtoria Komunale") == [("other", "Drejtoria Komunale")]
    assert pairs("") == []


# ---------------------------------------------------------------------------------------------
# Refused input
# ---------------------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx_with_paragraphs(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("plan.docx", b"not a zip at all", "not_zip"),
        ("plan.docx", b"", "empty"),
        ("plan.txt", b"", "empty"),
        ("plan.txt", b"   \n\n", "empty"),
        ("plan.docx", _zip({"hello.txt": b"hi"}), "not_docx"),
        ("plan.docx", _zip({"word/document.xml": b"<not xml"}), "bad_docx"),
        ("plan.csv", b"Nr,Veprimi,Afati\n1,a,2025\n", "no_action_table"),
        ("plan.txt", "Një tekst i rastit, pa tabelë.\nRreshti i dytë.".encode(), "no_action_table"),
        ("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "unsupported_format"),
        ("plan.docx", _docx_with_paragraphs("Një letër", "pa tabelë"), "no_action_table"),
        ("plan.txt", b"\tVeprimi\n\tAfati i fundit\n\tInstitucioni\n", "no_actions"),
    ],
)
def test_refused(name: str, data: bytes, kind: str) -> None:
    with pytest.raises(PlanParseError) as excinfo:
        parse_plan_file(name, data)
    assert excinfo.value.kind == kind
    assert excinfo.value.message is not None


def test_refused_zip_bombs() -> None:
    many = _zip({f"f{i}.txt": b"" for i in range(2001)} | {"word/document.xml": b""})
    with pytest.raises(PlanParseError) as excinfo:
        parse_plan_docx(many)
    assert excinfo.value.kind == "zip_too_many_members"
    big = _zip({"word/document.xml": b"<a/>", "word/media/x.bin": b"\0" * (51 * 1024 * 1024)})
    assert len(big) < 1024 * 1024
    with pytest.raises(PlanParseError) as excinfo:
        parse_plan_docx(io.BytesIO(big))
    assert excinfo.value.kind == "zip_too_large"
    with pytest.raises(PlanParseError) as excinfo:
        parse_plan_file("plan.docx", big)
    assert excinfo.value.kind == "zip_too_large"


# ---------------------------------------------------------------------------------------------
# .docx
# ---------------------------------------------------------------------------------------------

HEADER = [
    "",
    "Veprimi",
    "Afati i fundit",
    "2025",
    "2026",
    "2027",
    "Financimi",
    "Institucioni udhëheqës dhe mbështetës",
    "Produkti (Output)",
    "Referenca në dokumente",
]
BOILER = "Objektivat strategjike dhe specifike, treguesit dhe veprimet"


def _fill(table, values: list[str]) -> None:  # noqa: ANN001 - python-docx table
    row = table.add_row()
    for cell, value in zip(row.cells, values, strict=True):
        cell.text = value


def _heading(table, code: str, title: str, boiler: bool = True) -> None:  # noqa: ANN001
    row = table.add_row()
    cells = row.cells
    cells[0].text = code
    if boiler:
        cells[1].merge(cells[4]).text = BOILER
    cells[5].merge(cells[9]).text = title


def build_seed_like_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Plani Lokal i Veprimit për Mbrojtje nga Dhuna në Familje 2025-2028")
    document.add_paragraph("Kontaktet:")
    document.add_paragraph("Policia e Kosovës - 192")
    document.add_paragraph("")
    document.add_paragraph("Lista e shkurtesave")
    glossary = document.add_table(rows=0, cols=2)
    _fill(glossary, ["QPS", "Qendra për Punë Sociale"])
    _fill(glossary, ["NJDNJ,BGJ", "Njesia për të Drejta të Njeriut dhe Barazi Gjinore"])
    document.add_paragraph("Objektiva Strategjike 1: Parandalimi")
    document.add_paragraph("1.1 Vetëdijesimi i qytetarëve;")
    document.add_paragraph("Objektiva Strategjike 2: Mbrojtja")

    first = document.add_table(rows=0, cols=10)
    row = first.add_row().cells
    row[0].text = "Nr."
    row[4].merge(row[9]).text = "OBJEKTIVAT STRATEGJIKE DHE SPECIFIKE, TREGUESIT DHE VEPRIMET"
    _heading(first, "I", "Parandalimi përmes vetëdijesimit")
    _fill(first, HEADER)
    _fill(
        first,
        ["I.1.1", "Sesione informuese", "2025-2028 (në baza vjetore)"]
        + ["9.000,00 €"] * 3
        + ["Komuna", "Komuna\nNJDNJ, BGJ\nQPS", "1 takim", "Konventa e Stambollit"],
    )
    _fill(first, [""] * 10)  # spacer
    _fill(
        first,
        ["I.1.2", "Fushatë ëç", "Tetor- Dhjetor 2025", "1000 OJQ SIT", "1000\nOJQ SIT", "x?"]
        + ["Komuna\nDonatorët", "Komuna", "Rritja", "Ligji nr. 08/l-185 për Parandalimin"],
    )
    _heading(first, "1.2", "Ngritja e kapaciteteve")
    _fill(
        first,
        ["I.21", "Trajnim", "2026", "", "500", "", "Komuna", "QPS", "", "Ligji NR. 02/L-17"],
    )
    paragraph = document.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)

    second = document.add_table(rows=0, cols=10)
    _fill(second, HEADER)  # header repeated after the page break
    _fill(second, ["I.2.2", "Vizita", "2025/2028", "", "", "", "Komuna", "PK", "Raport", ""])
    _heading(second, "II", "Objektiva Strategjike 2: Mbrojtja:", boiler=False)
    _heading(second, "Nr.", "Avancimi i shërbimeve")
    _fill(
        second,
        ["II.1.1", "Strehim", "2027", "3000", "3000", "3000", "Komuna", "Komuna", "Strehim", ""],
    )
    _fill(second, ["II.1.2", "Shërbime", "Çdo 6 muaj", "", "", "", "", "Komuna", "", ""])
    # the funding cell of II.1.1 is merged vertically with that of II.1.2
    second.rows[-2].cells[6].merge(second.rows[-1].cells[6])
    document.add_paragraph("Plani i monitorimit dhe raportimit")
    document.add_paragraph("Kryetari i Komunës")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_seed_like_layout() -> None:
    plan = parse_plan_file("plan.docx", build_seed_like_docx())
    assert plan.source_format == "docx"
    assert plan.title == "Plani Lokal i Veprimit për Mbrojtje nga Dhuna në Familje 2025-2028"
    assert plan.contacts == ["Policia e Kosovës - 192"]
    assert plan.glossary[1] == ("NJDNJ,BGJ", "Njesia për të Drejta të Njeriut dhe Barazi Gjinore")
    assert plan.years == [2025, 2026, 2027]
    assert [so.code for so in plan.strategic_objectives] == ["I", "II"]
    assert plan.strategic_objectives[1].title == "Mbrojtja"
    assert [(s.code, [a.code for a in s.actions]) for s in plan.specific_objectives] == [
        ("I.1", ["I.1.1", "I.1.2"]),
        ("I.2", ["I.2.1", "I.2.2"]),
        ("II.1", ["II.1.1", "II.1.2"]),
    ]
    assert plan.specific_objectives[0].title == "Vetëdijesimi i qytetarëve"
    i11 = plan.action("I.1.1")
    assert [(b.year, b.amount) for b in i11.budget_lines] == [
        (2025, Decimal("9000.00")),
        (2026, Decimal("9000.00")),
        (2027, Decimal("9000.00")),
    ]
    assert i11.recurrence == "annual"
    assert i11.supporting_institutions == ["NJDNJ, BGJ", "QPS"]
    i12 = plan.action("I.1.2")
    assert [(b.year, b.funder_raw, b.funder) for b in i12.budget_lines] == [
        (2025, "OJQ SIT", "ngo"),
        (2026, "OJQ SIT", "ngo"),
    ]
    assert "x?" in i12.notes
    assert [w.column for w in plan.warnings_of("amount_unparsed")] == ["budget_2027"]
    assert i12.recurrence == "one_off" and i12.legal_references == ["Ligji nr. 08/L-185"]
    assert plan.action("I.2.1").code_raw == "I.21"
    assert any(w.params.get("raw") == "I.21" for w in plan.warnings_of("code_normalized"))
    assert plan.action("II.1.1").funding_raw == "Komuna"
    assert plan.action("II.1.2").funding_raw == ""  # vertical merge: counted once
    assert plan.action("II.1.2").recurrence == "semiannual"
    assert plan.years_covered == (2025, 2028)
    assert "Kontaktet:" in plan.preamble and "\tQPS" in plan.preamble
    assert plan.postamble.startswith("Plani i monitorimit")
    assert "Afati i fundit" not in plan.postamble
    assert_nothing_dropped(plan)
    assert plan.header_cells.count("Veprimi") == 2


def test_docx_merged_budget_cell() -> None:
    document = docx.Document()
    table = document.add_table(rows=0, cols=10)
    _fill(table, HEADER)
    row = table.add_row().cells
    for index, value in enumerate(["I.1.1", "Veprim", "2025-2027"]):
        row[index].text = value
    row[3].merge(row[5]).text = "9.000"  # one amount over the three budget years
    row[6].text = "Komuna"
    row[7].text = "Komuna"
    buffer = io.BytesIO()
    document.save(buffer)
    plan = parse_plan_docx(buffer.getvalue())
    action = plan.action("I.1.1")
    assert [(b.year, b.amount) for b in action.budget_lines] == [(2025, Decimal(9000))]
    assert [w.column for w in plan.warnings_of("merged_cell")] == ["budget_2025"]
    assert action.funding_raw == "Komuna" and action.lead_institutions == ["Komuna"]
    assert_nothing_dropped(plan)


def test_text_table_in_two_parts_and_extra_cells() -> None:
    header = "\n".join("\t" + label for label in HEADER)
    text = "\n".join(
        [
            "Plani Lokal i Veprimit 2025-2027",
            header,
            "",
            "\tI.1.1\n\tNjë\n\t2025\n\t100\n\t\n\t\n\tKomuna\n\tQPS\n\tOutput\n\tRef\n\tTepër",
            "",
            "Vazhdim i tabelës",
            header,
            "",
            "\tI.1.2\n\tDy\n\t2026\n\t\n\tjo\n\t\n\tKomuna\n\tPK\n\t\n\t",
            "",
            "",
            "Plani i monitorimit",
        ]
    )
    plan = parse_plan_text(text)
    assert [a.code for a in plan.actions] == ["I.1.1", "I.1.2"]
    assert plan.notes == "Vazhdim i tabelës"
    assert len(plan.warnings_of("text_between_tables")) == 1
    first, second = plan.actions
    assert "Tepër" in first.notes and first.cells["extra_10"] == "Tepër"
    assert {w.kind for w in plan.warnings if w.row == first.source_row} >= {
        "cell_to_notes",
        "row_width",
    }
    assert "jo" in second.notes
    assert plan.warnings_of("amount_unparsed")[0].column == "budget_2026"
    assert plan.postamble == "Plani i monitorimit"
    assert plan.title == "Plani Lokal i Veprimit 2025-2027"
    assert plan.header_cells.count("Veprimi") == 2
    assert_nothing_dropped(plan)


def items_to_docx(items: list[ParagraphItem | TableItem]) -> bytes:
    """Build a .docx from the text parser's items; short rows get their last cell merged."""
    document = docx.Document()
    for item in items:
        if isinstance(item, ParagraphItem):
            document.add_paragraph(item.text)
            continue
        columns = max(len(row) for row in item.rows)
        table = document.add_table(rows=len(item.rows), cols=columns)
        for row_index, row in enumerate(item.rows):
            cells = table.rows[row_index].cells
            for index, cell in enumerate(row):
                if index == len(row) - 1 and len(row) < columns:
                    cells[index].merge(cells[columns - 1]).text = cell.text
                else:
                    cells[index].text = cell.text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _action_summary(plan: ParsedPlan) -> list[tuple]:
    return [
        (
            a.code,
            a.code_raw,
            a.description,
            a.timeframe_raw,
            a.start_year,
            a.end_year,
            a.recurrence,
            [(b.year, b.amount, b.funder_raw) for b in a.budget_lines],
            a.funding_raw,
            [(f.kind, f.raw) for f in a.funders],
            a.lead_institutions,
            a.supporting_institutions,
            a.outputs,
            a.legal_references,
            a.notes,
        )
        for a in plan.actions
    ]


def test_seed_as_docx_matches_text(seed: ParsedPlan, seed_text: str) -> None:
    data = items_to_docx(text_to_items(seed_text))
    plan = parse_plan_docx(data)
    assert _action_summary(plan) == _action_summary(seed)
    assert [(s.code, s.code_raw, s.title) for s in plan.specific_objectives] == [
        (s.code, s.code_raw, s.title) for s in seed.specific_objectives
    ]
    assert [(s.code, s.title) for s in plan.strategic_objectives] == [
        (s.code, s.title) for s in seed.strategic_objectives
    ]
    assert plan.glossary == seed.glossary
    assert plan.contacts == seed.contacts
    assert plan.goals == seed.goals
    assert plan.title == seed.title
    assert plan.years == seed.years
    assert plan.source_cells_nonempty == seed.source_cells_nonempty
    assert Counter(w.kind for w in plan.warnings) == Counter(w.kind for w in seed.warnings)
    assert_nothing_dropped(plan)
    with io.BytesIO(data) as stream:
        assert len(parse_plan_docx(stream).actions) == 37


# ---------------------------------------------------------------------------------------------
# Messages are lazy
# ---------------------------------------------------------------------------------------------

RENDER_SCRIPT = """
import sys
from mkk.plans import parsing
plan = parsing.parse_plan_text(open(sys.argv[1], encoding="utf-8").read())
try:
    parsing.parse_plan_text("")
except parsing.PlanParseError as exc:
    error = exc
from django.conf import settings
assert not settings.configured
settings.configure(USE_I18N=False)
for warning in plan.warnings:
    print(warning.kind, "|", str(warning.message))
print("error |", str(error.message))
"""


def test_messages_are_lazy_and_render() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [sys.executable, "-c", RENDER_SCRIPT, str(SEED)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "code_normalized | Table row 32: action code 'I.4..2' was read as I.4.2." in out
    assert "'II.41' was read as II.4.1" in out
    assert "II.2.3-2" in out
    assert "error | The file is empty." in out


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

LINE = st.from_regex(r"[a-zëç][a-zëçA-ZËÇ0-9 ,;().-]{0,18}", fullmatch=True)
CELL = st.one_of(
    st.just(""),
    st.lists(LINE, min_size=1, max_size=3).map("\n".join),
)
ROMAN = st.sampled_from(["I", "II", "III", "IV"])


@st.composite
def action_codes(draw: st.DrawFn) -> str:
    roman, a, b = draw(ROMAN), draw(st.integers(1, 9)), draw(st.integers(1, 9))
    return draw(
        st.sampled_from(
            [
                f"{roman}.{a}.{b}",
                f"{roman}.{a}.{b} ",
                f"{roman}.{a}..{b}",
                f"{roman}.{a}{b}",
                f"{a}.{a}.{b}",
                "",
                "abc",
            ]
        )
    )


BUDGET = st.one_of(
    st.just(""),
    st.sampled_from(["1000", "9.000,00 €", "1000 OJQ SIT", "1000\nOJQ SIT", "€ 1.500,50"]),
    LINE,
)


@st.composite
def action_rows(draw: st.DrawFn) -> list[str]:
    return [
        draw(action_codes()),
        draw(st.lists(LINE, min_size=1, max_size=3).map("\n".join)),  # the description
        draw(st.one_of(CELL, st.sampled_from(["2025-2028", "Çdo 6 muaj", "2027"]))),
        draw(BUDGET),
        draw(BUDGET),
        draw(BUDGET),
        draw(CELL),
        draw(CELL),
        draw(CELL),
        draw(CELL),
    ]


@st.composite
def plan_tables(draw: st.DrawFn) -> list[list[str]]:
    years = draw(st.sampled_from([["2025", "2026", "2027"], ["2024", "2025", "2026"]]))
    header = ["", "Veprimi", "Afati i fundit", *years, *HEADER[6:]]
    rows: list[list[str]] = [
        ["Nr.", "", "", "", "OBJEKTIVAT STRATEGJIKE DHE SPECIFIKE, TREGUESIT DHE VEPRIMET"],
        ["I", BOILER, "", "", "", draw(LINE)],
        header,
    ]
    for section in range(draw(st.integers(1, 4))):
        if section == 2:
            rows.append(["II", "", "", "", f"Objektiva Strategjike 2: {draw(LINE)}"])
        if section or draw(st.booleans()):
            code = draw(st.sampled_from(["I.2", "1.3", "Nr.", "2.1:"]))
            rows.append([code, BOILER, "", "", "", draw(LINE)])
        rows.extend(draw(st.lists(action_rows(), min_size=1, max_size=3)))
        if draw(st.booleans()):
            rows.append([""] * 10)
    rows.append(draw(action_rows()) if draw(st.booleans()) else rows[-1])
    if rows[-1] == [""] * 10:
        rows.append(draw(action_rows()))
    return rows


def render_table(rows: list[list[str]], data: st.DataObject) -> str:
    """The text export of a table: a TAB before each cell, empty lines between rows.

    Like Word's export, a row may also hold an empty line after a non-empty cell (the seed's
    header, "Komuna / Donatorë (OJQ)" in I.1.2), and a cell may start with an empty line.
    """
    out: list[str] = []
    for row in rows:
        for index, text in enumerate(row):
            after_text = index and row[index - 1].strip()
            if after_text and index < len(row) - 1 and data.draw(st.integers(0, 4)) == 4:
                out.append("")  # an empty line inside a row
            if text and data.draw(st.integers(0, 4)) == 4:
                out.append("\t")  # the cell starts with an empty line
                out.append(text)
            else:
                out.append("\t" + text)
        out.append("")
    return "\n".join(out)


PREAMBLE = "Kontaktet:\n\nPolicia - 192\n\nObjektiva Strategjike 1: Parandalimi\n1.1 Vetëdija\n"
POSTAMBLE = "\n\nPlani i monitorimit dhe raportimit\nTeksti i fundit.\n"


@SETTINGS
@given(rows=plan_tables(), data=st.data())
def test_property_generated_tables_lose_nothing(rows: list[list[str]], data: st.DataObject) -> None:
    text = PREAMBLE + render_table(rows, data) + POSTAMBLE
    plan = parse_plan_text(text)
    assert_nothing_dropped(plan)
    expected = Counter(norm(cell) for row in rows for cell in row if cell.strip())
    assert Counter(norm(p.text) for p in plan.cell_map) == expected
    assert plan.postamble.startswith("Plani i monitorimit")
    assert plan.preamble.startswith("Kontaktet:")
    assert plan.actions
    assert len({a.code for a in plan.actions}) == len(plan.actions)


@SETTINGS
@given(amount=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False), data=st.data())
def test_property_amount_round_trip(amount: Decimal, data: st.DataObject) -> None:
    integral = amount == amount.to_integral_value()
    places = ".0f" if integral and data.draw(st.booleans()) else ".2f"
    us = format(amount, "," + places)
    style = data.draw(st.sampled_from(["plain", "us", "eu", "space"]))
    text = {
        "plain": format(amount, places),
        "us": us,
        "eu": us.replace(",", "_").replace(".", ",").replace("_", "."),
        "space": us.replace(",", " ").replace(".", ","),
    }[style]
    text = data.draw(st.sampled_from(["{}", "{} €", "€ {}", "{} EUR", "{}\nOJQ"])).format(text)
    parsed, funder = parse_amount(text)
    assert parsed == amount
    assert funder == ("OJQ" if text.endswith("OJQ") else None)


@SETTINGS
@given(st.text())
def test_property_parse_amount_never_crashes(text: str) -> None:
    amount, funder = parse_amount(text)
    assert amount is None or amount >= 0
    assert funder is None or funder.strip()


FRAGMENTS = st.sampled_from(
    [
        "\tVeprimi",
        "\tAfati i fundit",
        "\tFinancimi",
        "\tInstitucioni udhëheqës",
        "\t2025",
        "\tI.1.1",
        "\tII.41",
        "\tI",
        "\tNr.",
        "\t1.3",
        "\t",
        "",
        "\t1000 OJQ SIT",
        f"\t{BOILER}",
        "\tObjektiva Strategjike 2: x",
        "Plani i monitorimit",
        "Lista e shkurtesave",
        "Kontaktet:",
        "synon të:",
        " \tNr.",
        "tekst",
    ]
)


def _check_any(call, *args) -> None:  # noqa: ANN001
    try:
        plan = call(*args)
    except PlanParseError as exc:
        assert exc.kind != "internal", exc.__cause__
        return
    assert isinstance(plan, ParsedPlan)
    assert_nothing_dropped(plan)


@SETTINGS
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=60).map("\n".join))
def test_property_any_text(text: str) -> None:
    _check_any(parse_plan_text, text)
    _check_any(parse_plan_file, "plan.txt", text.encode("utf-8", errors="replace"))


@SETTINGS
@given(st.binary(max_size=2000))
def test_property_any_bytes(data: bytes) -> None:
    _check_any(parse_plan_file, "plan.docx", data)
    _check_any(parse_plan_file, "plan.txt", data)
    _check_any(parse_plan_docx, data)
    _check_any(parse_plan_docx, b"PK\x03\x04" + data)


DOCX_SAMPLE = build_seed_like_docx()


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, len(DOCX_SAMPLE) - 1), st.integers(0, 255)), max_size=8))
def test_property_damaged_docx(changes: list[tuple[int, int]]) -> None:
    data = bytearray(DOCX_SAMPLE)
    for offset, value in changes:
        data[offset] = value
    _check_any(parse_plan_docx, bytes(data))
