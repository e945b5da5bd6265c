"""The action table's column titles (Albanian and Serbian wording), the person's answers for
unknown titles (:func:`column_mapping`), and what kind of row a header or year row is."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from .values import _NR_RE, _fold, _normalize_ws

_YEAR_LABEL_RE = re.compile(r"^(?:19[5-9]\d|20\d\d|21[0-4]\d)$")
_ANCHORS = {
    "veprimi",
    "veprimet",
    "aktiviteti",
    "aktivitetet",
    "veprimi/aktiviteti",
    # Serbian (Latin), as Serb-majority municipalities write their plans
    "aktivnost",
    "aktivnosti",
    "mera",
    "mere",
    "mjera",
    "mjere",
}
_TEXT_ROLES = ("description", "timeframe", "funding", "institutions", "outputs", "references")
#: Fields a column can be mapped to by the person importing ("notes": keep the text in notes).
COLUMN_ROLES = ("code", *_TEXT_ROLES, "notes")
_BOILERPLATE_RE = re.compile(
    r"^(?:objektiv\w*\s+strategjik\w*\s+dhe\s+specifik|strate\w*\s+i\s+specific\w*\s+cilj)"
)
_SO_TITLE_RE = re.compile(
    r"^\s*objektiv\w*\s+strategjik\w*\s*(?:nr\.?\s*)?(\d{1,2})\s*[:.\-\u2013]?\s*", re.I
)
_POSTAMBLE_RE = re.compile(r"^\s*plani\s+i\s+monitorimit", re.I)
_BUDGET_GROUP = ("buxhet", "budzet", "budget", "iznos", "shuma", "vlera", "kostoja", "troskov")

# the seed first, then the Serbian (Latin) wording of Serb-majority municipalities.
_LABEL_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("description", ("veprim", "aktivitet")),
    ("timeframe", ("afat", "koha e", "periudha")),
    ("funding", ("financ", "burimi i financ", "burimet e financ")),
    ("institutions", ("pergjegj",)),
    ("outputs", ("tregues",)),
    ("description", ("aktivnost", "mera ", "mere ", "mjera", "mjere")),
    ("timeframe", ("rok", "vremensk", "krajnji rok", "period realiz")),
    ("funding", ("finans", "izvor finans", "izvori finans")),
    ("institutions", ("nosilac", "nosioci", "odgovorn", "partner")),
    ("outputs", ("rezultat", "pokazatelj", "indikator", "ocekivan")),
    ("references", ("pravn", "osnov")),
)

_COLUMN_MAP: ContextVar[dict[str, str] | None] = ContextVar("plan_column_map", default=None)


def header_key(text: str) -> str:
    """The form of a header text under which a person's column mapping is stored."""
    return _normalize_ws(_fold(text))[:80]


@contextmanager
def column_mapping(mapping: dict[str, str] | None) -> Iterator[None]:
    """Read the action table with the person's answers: ``{header_key: role}``."""
    token = _COLUMN_MAP.set({k: v for k, v in (mapping or {}).items() if v in COLUMN_ROLES} or None)
    try:
        yield
    finally:
        _COLUMN_MAP.reset(token)


def _label_role(text: str) -> str | None:
    """The column a header label names ('description', 'budget', ...), or ``None``."""
    if len(text) > 200:
        return None
    mapping = _COLUMN_MAP.get()
    if mapping:
        folded = _normalize_ws(_fold(text))
        if folded[:80] in mapping:
            role = mapping[folded[:80]]
            return "extra" if role == "notes" else role
    return _known_label_role(text)


@lru_cache(maxsize=65536)
def _known_label_role(text: str) -> str | None:
    folded = _normalize_ws(_fold(text))
    if not folded or len(folded) > 60:
        return None
    if _YEAR_LABEL_RE.match(folded):
        return "budget"
    if _NR_RE.match(folded):
        return "code"
    if folded in _ANCHORS:
        return "description"
    for role, prefixes in _LABEL_PREFIXES[:5]:
        if folded.startswith(prefixes):
            return role
    if "institucion" in folded:
        return "institutions"
    if "produkt" in folded or "output" in folded:
        return "outputs"
    if "referenc" in folded:
        return "references"
    if "institucij" in folded:
        return "institutions"
    for role, prefixes in _LABEL_PREFIXES[5:]:
        if folded.startswith(prefixes):
            return role
    if folded.startswith(_BUDGET_GROUP):
        return "budget_group"
    return None


def _is_anchor(text: str) -> bool:
    """Whether a cell is the 'Veprimi' column title."""
    stripped = text.strip()
    if not stripped or len(stripped) > 30 or stripped[0] not in "VvAaMm":
        return False
    return _normalize_ws(_fold(stripped)) in _ANCHORS


def _is_header_row(texts: Sequence[str]) -> bool:
    """Column titles: 'Veprimi' or at least two known labels."""
    nonempty = [t for t in texts if t.strip()]
    if any(_is_anchor(t) for t in nonempty):
        return True
    return sum(1 for t in nonempty if _label_role(t) in _TEXT_ROLES) >= 2


def _is_year_row(texts: Sequence[str]) -> bool:
    nonempty = [t.strip() for t in texts if t.strip()]
    return bool(nonempty) and all(_YEAR_LABEL_RE.match(t) for t in nonempty)


@lru_cache(maxsize=65536)
def _is_boilerplate(text: str) -> bool:
    """'Objektivat strategjike dhe specifike, treguesit dhe veprimet' and the like."""
    if len(text) > 200:
        return False
    return bool(_BOILERPLATE_RE.match(_normalize_ws(_fold(text))))
