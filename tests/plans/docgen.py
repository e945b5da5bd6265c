"""Generate Word plans the way municipalities really write them, from the seed's content.

The seed's action table (10 columns: code, action, deadline, 3 budget years, funding,
institutions, output, references) is rewritten with its columns in another order, other
header wording (Albanian or Serbian), one or two header rows, amounts with thousands
separators, and other tables (indicators, monitoring plan) before or after it. Every row keeps
its cells' text, so the plan must import to the same actions and budget as the seed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import docx

from mkk.plans.parsing import ParagraphItem, TableItem, text_to_items

SEED = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "mkk"
    / "seeds"
    / "drenas-local-action-plan-2025-2028.txt"
)

#: The seed's column roles, in the seed's order.
SEED_ROLES = (
    "code",
    "description",
    "timeframe",
    "budget_2025",
    "budget_2026",
    "budget_2027",
    "funding",
    "institutions",
    "outputs",
    "references",
)

ALBANIAN = {
    "code": "Nr.",
    "description": "Veprimi",
    "timeframe": "Afati i fundit",
    "funding": "Financimi",
    "institutions": "Institucioni udhëheqës dhe mbështetës",
    "outputs": "Produkti (Output)",
    "references": "Referenca në dokumente",
    "budget": "Buxheti (€)",
}
ALBANIAN_OTHER = {
    "code": "Kodi",
    "description": "Aktiviteti",
    "timeframe": "Periudha e zbatimit",
    "funding": "Burimi i financimit",
    "institutions": "Përgjegjës për zbatim",
    "outputs": "Treguesit e rezultatit",
    "references": "Referenca ligjore",
    "budget": "Buxheti i planifikuar",
}
SERBIAN = {
    "code": "Br.",
    "description": "Aktivnost",
    "timeframe": "Rok",
    "funding": "Izvor finansiranja",
    "institutions": "Odgovorna institucija i podrška",
    "outputs": "Rezultat (Output)",
    "references": "Reference u dokumentima",
    "budget": "Budžet (€)",
}

MONITORING = [
    ["Treguesi", "Institucioni përgjegjës", "Afati i raportimit", "Burimi i verifikimit"],
    ["I.1.1 Numri i sesioneve", "Komuna", "Çdo 6 muaj", "Raporti i MKK"],
    ["II.1.1 Numri i rasteve", "QPS", "Vjetore", "Raporti vjetor"],
]
MONITORING_SR = [
    ["Pokazatelj", "Odgovorna institucija", "Rok izveštavanja", "Izvor verifikacije"],
    ["I.1.1 Broj sesija", "Opština", "Svakih 6 meseci", "Izveštaj OKM"],
]
INDICATORS = [
    ["Treguesi", "Vlera bazë", "Synimi 2028"],
    ["Rastet e raportuara", "120", "150"],
]


@dataclass
class Variant:
    labels: dict[str, str] = field(default_factory=lambda: dict(ALBANIAN))
    #: the column roles in the order they are written (budget years stay together)
    order: tuple[str, ...] = SEED_ROLES
    two_header_rows: bool = False
    #: "plain" (1000), "space" (1 000), "dot" (1.000), "comma" (1,000)
    amounts: str = "plain"
    tables_before: list[list[list[str]]] = field(default_factory=list)
    tables_after: list[list[list[str]]] = field(default_factory=list)
    #: header text per role that replaces the label (e.g. an unknown wording)
    override: dict[str, str] = field(default_factory=dict)


def seed_items() -> list[ParagraphItem | TableItem]:
    return text_to_items(SEED.read_text(encoding="utf-8"))


_PLAIN_AMOUNT = re.compile(r"^(\d{1,3})(\d{3})(.*)$", re.S)


def _amount(text: str, style: str) -> str:
    match = _PLAIN_AMOUNT.match(text.strip())
    if style == "plain" or not match:
        return text
    sep = {"space": " ", "dot": ".", "comma": ","}[style]
    return f"{match[1]}{sep}{match[2]}{match[3]}"


def _is_header(row: list[str]) -> bool:
    return any(t.strip() == "Veprimi" for t in row)


def _header_row(variant: Variant) -> list[str]:
    cells = []
    for role in variant.order:
        if role.startswith("budget_"):
            cells.append(role.removeprefix("budget_"))
        else:
            cells.append(variant.override.get(role, variant.labels[role]))
    return cells


def _add_table(document, rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.rows[r].cells[c].text = text


def build(variant: Variant, items: list[ParagraphItem | TableItem] | None = None) -> bytes:
    """The seed as a .docx written in ``variant``'s way."""
    items = seed_items() if items is None else items
    document = docx.Document()
    action_table = max(
        (i for i, item in enumerate(items) if isinstance(item, TableItem)),
        key=lambda i: len(items[i].rows),
    )
    index = {role: i for i, role in enumerate(SEED_ROLES)}
    budget_positions = [i for i, role in enumerate(variant.order) if role.startswith("budget_")]
    for i, item in enumerate(items):
        if isinstance(item, ParagraphItem):
            document.add_paragraph(item.text)
            continue
        if i != action_table:
            _add_table(document, [[c.text for c in row] for row in item.rows])
            continue
        for rows in variant.tables_before:
            _add_table(document, rows)
            document.add_paragraph("")
        width = len(SEED_ROLES)
        table = document.add_table(rows=0, cols=width)
        for source in item.rows:
            texts = [c.text for c in source]
            if _is_header(texts):
                cells = table.add_row().cells
                header = _header_row(variant)
                if variant.two_header_rows:
                    years = table.add_row().cells
                    for p in budget_positions:
                        years[p].text = header[p]
                        header[p] = ""
                    first, last = budget_positions[0], budget_positions[-1]
                    for p, text in enumerate(header):
                        if p not in budget_positions:
                            cells[p].text = text
                    cells[first].merge(cells[last]).text = variant.labels["budget"]
                else:
                    for p, text in enumerate(header):
                        cells[p].text = text
                continue
            cells = table.add_row().cells
            if len(texts) == width:
                for p, role in enumerate(variant.order):
                    text = texts[index[role]]
                    if role.startswith("budget_"):
                        text = _amount(text, variant.amounts)
                    cells[p].text = text
            else:  # a heading: code first, its last cell merged to the end of the row
                for p, text in enumerate(texts):
                    if p == len(texts) - 1:
                        cells[p].merge(cells[width - 1]).text = text
                    else:
                        cells[p].text = text
        for rows in variant.tables_after:
            document.add_paragraph("Plani i monitorimit dhe raportimit")
            _add_table(document, rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
