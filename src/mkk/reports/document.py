"""The report as a sequence of blocks (headings, paragraphs, tables, charts).

Built once from the snapshot and the coordinator's narratives; each renderer (DOCX, PDF,
HTML, XLSX) turns the same blocks into its format, so every format says the same thing in
the same order:

cover · summary · mechanism and members · meetings, attendance, activities · statistics per
institution (sentences, tables, charts) · action plan and budget · follow-ups · challenges
and recommendations · annex tables.

The sections themselves are written in ``sections`` (one function each) from the typed
snapshot (``snapshot``); the national and regional reports in ``national``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from mkk.core.languages import current_suffix

CONFIDENTIAL = "KONFIDENCIAL / Confidential / Poverljivo"


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    style: str = ""  # "", "lead", "note", "narrative"


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list]
    sheet: str = ""  # XLSX sheet name
    numeric: list[int] = field(default_factory=list)  # right-aligned columns
    note: str = ""
    #: False where a heading of the same text stands right above the table (no repeated line)
    caption: bool = True
    #: column -> "signed" (+5) or "percent" (+6,4%) for numbers in that column
    formats: dict[int, str] = field(default_factory=dict)


@dataclass
class Chart:
    """A chart drawn when a renderer first needs it (the XLSX has no charts)."""

    draw: Callable[[], bytes]
    alt: str
    width_in: float = 6.3

    @property
    def png(self) -> bytes:
        return self.draw()


@dataclass
class Cover:
    title: str
    lines: list[tuple[str, str]]
    confidential: bool


@dataclass
class PageBreak:
    pass


@dataclass
class Document:
    title: str
    language: str
    public: bool
    blocks: list


NARRATIVE_SECTIONS = ["summary", "mechanism", "meetings", "statistics", "plan", "followups"]


def cut_at_word(text: str, limit: int, mark: str = "") -> str:
    """At most ``limit`` characters, cut after a whole word (a single long word is cut);
    ``mark`` (an ellipsis) is added where something was cut, within the limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = limit - len(mark)
    cut = text[: room + 1].rsplit(" ", 1)[0].rstrip(" –-,;.:")
    cut = cut if cut and len(cut) <= room else text[:room].rstrip()
    return cut + mark


def build_document(data: dict, narrative: dict | None = None, title: str = "") -> Document:
    """The report's blocks from the stored snapshot and the coordinator's remarks."""
    language = data["language"]
    with translation.override(language):
        if data.get("scope") in ("national", "region"):
            from .national import national_document

            return national_document(data, narrative or {}, title, language)
        return _municipal(data, narrative or {}, title, language)


def _municipal(data: dict, narrative: dict, title: str, language: str) -> Document:
    from . import sections, snapshot

    snap = snapshot.load(data)
    ctx = sections.Context(snap, narrative, language, current_suffix(language))
    title = title or _("Monitoring report of the coordination mechanism against domestic violence")
    blocks = sections.cover(ctx, title)
    for section in sections.SECTIONS:
        blocks += section(ctx)
    municipality = ctx.name(snap.municipality.name)
    doc_title = f"{title} – {municipality} – {snap.period.label}"
    return Document(title=doc_title, language=language, public=snap.public, blocks=blocks)
