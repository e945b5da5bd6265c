"""Match the institution names a plan writes to the municipality's directory.

Order: abbreviation, name (any language), other names (aliases), each compared exactly and
then normalised (case, diacritics ë→e ç→c, punctuation, spaces); then a fuzzy comparison
(difflib) against every name and alias with a high threshold. The text as written is kept by
the caller whatever the result.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from mkk.directory.models import Institution

FUZZY_CUTOFF = 0.86

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Casefold, drop diacritics and punctuation, one space: "Punësimit" → "punesimit"."""
    text = (text or "").replace("-\n", "").replace("\u00ad", "")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _PUNCT.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


class InstitutionMatcher:
    """Built once per import from the municipality's institutions."""

    def __init__(self, institutions: Iterable[Institution]):
        self.institutions = list(institutions)
        self.abbreviations: dict[str, Institution] = {}
        self.names: dict[str, Institution] = {}
        self.aliases: dict[str, Institution] = {}
        for inst in self.institutions:
            if inst.abbreviation:
                self.abbreviations.setdefault(normalize(inst.abbreviation), inst)
            for name in (inst.name_sq, inst.name_sr, inst.name_en):
                if name:
                    self.names.setdefault(normalize(name), inst)
            for alias in inst.alias_list:
                self.aliases.setdefault(normalize(alias), inst)
        self._candidates = {**self.aliases, **self.names}
        self._seen: dict[str, tuple[Institution | None, str]] = {}

    def match(self, text: str) -> tuple[Institution | None, str]:
        """(institution or None, method: abbreviation/name/alias/fuzzy/none). A plan writes the
        same names again and again: each text is matched once per import."""
        if text not in self._seen:
            self._seen[text] = self._match(text)
        return self._seen[text]

    def _match(self, text: str) -> tuple[Institution | None, str]:
        key = normalize(text)
        if not key:
            return None, "none"
        if key in self.abbreviations:
            return self.abbreviations[key], "abbreviation"
        if key in self.names:
            return self.names[key], "name"
        if key in self.aliases:
            return self.aliases[key], "alias"
        # "Drejtoria ... (QPS)": a trailing abbreviation in brackets names the institution.
        bracket = re.search(r"\(([^()]+)\)\s*$", text or "")
        if bracket:
            inner = normalize(bracket.group(1))
            outer = normalize(text[: bracket.start()])
            if outer in self.names or outer in self.aliases:
                return (self.names.get(outer) or self.aliases[outer]), "name"
            if len(inner) <= 15 and inner in self.abbreviations:
                return self.abbreviations[inner], "abbreviation"
        close = difflib.get_close_matches(key, list(self._candidates), n=1, cutoff=FUZZY_CUTOFF)
        if close:
            return self._candidates[close[0]], "fuzzy"
        return None, "none"
