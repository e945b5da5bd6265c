"""The text before the action table: title, contacts, glossary of abbreviations, goals and the
objectives listed before the table."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .headers import _SO_TITLE_RE
from .model import DocumentItem, TableItem
from .values import _normalize_ws

_TITLE_RE = re.compile(r"\bPlani\s+lokal\s+i\s+veprimit\b[^()\n.;:,]*", re.I)
_CONTACTS_RE = re.compile(r"^\s*kontakt\w*\s*(?::\s*(?P<rest>.*)|$)", re.I)
_GLOSSARY_RE = re.compile(r"^\s*(?:lista\s+e\s+)?(?:shkurtesave|shkurtesat|akronimeve)\b", re.I)
_GOALS_RE = re.compile(r"synon\s+t[eë]\s*:\s*$", re.I)
# spaces, bullets, dashes and the Symbol-font bullets Word exports as private-use characters
_BULLET_CHARS = (
    " \t\u00a0\u2022\u25cf\u25aa\u25e6\u2023\u2219\u00b7\u2013\u2014-*"
    "\uf0a7\uf0b7\uf071\uf0d8\uf0fc"
)
_SPECIFIC_PREAMBLE_RE = re.compile(r"^\s*(\d{1,2})\s*\.\s*(\d{1,2})\s*[:.)]?\s+(\S.*?)\s*$")


def _preamble_lines(items: Sequence[DocumentItem]) -> list[str | TableItem]:
    out: list[str | TableItem] = []
    for item in items:
        if isinstance(item, TableItem):
            out.append(item)
        else:
            out.extend(item.text.split("\n"))
    return out


def _strip_title(text: str) -> str:
    return _normalize_ws(text).strip(" ;:.,")


def _read_preamble(
    items: Sequence[DocumentItem],
) -> tuple[str | None, list[str], list[tuple[str, str]], list[str], list[tuple[str, str]]]:
    """Title, contacts, glossary, goals and the objectives listed before the table."""
    lines = _preamble_lines(items)
    texts = [line for line in lines if isinstance(line, str)]

    title: str | None = None
    for line in texts:
        match = _TITLE_RE.search(line)
        if match:
            candidate = _normalize_ws(match.group(0))[:250].strip(" -–")
            if candidate:
                title = candidate
                break

    contacts: list[str] = []
    for index, line in enumerate(lines):
        if isinstance(line, str) and (match := _CONTACTS_RE.match(line)):
            if (match["rest"] or "").strip():
                contacts.append(match["rest"].strip())
            for following in lines[index + 1 : index + 40]:
                if not isinstance(following, str):
                    break
                if not following.strip():
                    if contacts:
                        break
                    continue
                contacts.append(following.strip())
            break

    glossary: list[tuple[str, str]] = []
    for index, line in enumerate(lines):
        if isinstance(line, str) and _GLOSSARY_RE.match(line):
            table = next(
                (t for t in lines[index + 1 : index + 6] if isinstance(t, TableItem)), None
            )
            if table is not None:
                glossary = _glossary_pairs(table)
            break

    goals: list[str] = []
    for index, line in enumerate(texts):
        if _GOALS_RE.search(line):
            for following in texts[index + 1 : index + 30]:
                stripped = following.lstrip(_BULLET_CHARS)
                bulleted = stripped != following
                if not following.strip():
                    if goals:
                        break
                    continue
                if not (bulleted or re.match(r"^t[eë]\s", following.strip(), re.I)):
                    break
                goals.append(stripped.strip())
            break

    objectives: list[tuple[str, str]] = []
    current: int | None = None
    for line in texts:
        match = _SO_TITLE_RE.match(line)
        if match:
            current = int(match.group(1))
            objectives.append((str(current), _strip_title(line[match.end() :])))
            continue
        match = _SPECIFIC_PREAMBLE_RE.match(line)
        if match and current is not None and int(match.group(1)) == current:
            objectives.append((f"{current}.{int(match.group(2))}", _strip_title(match.group(3))))
    return title, contacts, glossary, goals, objectives


def _glossary_pairs(table: TableItem) -> list[tuple[str, str]]:
    rows = [[_normalize_ws(c.text) for c in row] for row in table.rows]
    rows = [[t for t in row if t] for row in rows]
    rows = [row for row in rows if row]
    if all(len(row) == 2 for row in rows):
        return [(row[0], row[1]) for row in rows]
    flat = [t for row in rows for t in row]
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat) - 1, 2)]
