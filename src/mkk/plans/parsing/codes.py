"""Action codes after all rows are read: normalised against their siblings ('II.41' is II.4.1),
missing codes given the next one, duplicates made unique."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext_lazy as _

from .model import ParsedAction, ParsedSpecificObjective
from .values import _NR_RE, _Code, _normalize_ws, _parse_code


class _CodeNormalisation:
    """Action codes after all rows (a part of :class:`~.table._TableParser`)."""

    def normalize_codes(self) -> None:
        """Normalise action codes using their siblings, then make duplicates unique."""
        for spec in self.plan.specific_objectives:
            parsed = [_parse_code(a.code_raw) for a in spec.actions]
            prefixes = Counter(
                (p.roman, str(int(p.parts[0])))
                for p in parsed
                if p is not None and len(p.parts) >= 2
            )
            spec_code = _parse_code(spec.code.split("-")[0])
            for action, code in zip(spec.actions, parsed, strict=True):
                if code is None:
                    action.code = self._code_as_written(spec, action)
                    continue
                parts = list(code.parts)
                if len(parts) == 1 and len(parts[0]) >= 2:
                    parts = self._split_joined(code, parts[0], prefixes, spec_code)
                normalized = code.render(parts)
                action.code = normalized
                if normalized != action.code_raw:
                    self.warn(
                        "code_normalized",
                        _("Table row {row}: action code {raw!r} was read as {code}."),
                        row=action.source_row,
                        code=normalized,
                        column="code",
                        raw=action.code_raw,
                    )
        self._unique_action_codes()

    def _code_as_written(self, spec: ParsedSpecificObjective, action: ParsedAction) -> str:
        """The code of an action whose code cell is not of the form I.1.1: the next code when
        the cell is empty or a row number (with a warning), else the cell as written."""
        cleaned = _normalize_ws(action.code_raw)
        if not cleaned:
            cleaned = self._next_action_code(spec, action)
            self.warn(
                "code_missing",
                _("Table row {row}: an action without a code was given the code {code}."),
                row=action.source_row,
                code=cleaned,
                column="code",
            )
        elif not _NR_RE.match(cleaned):
            self.warn(
                "code_unrecognized",
                _(
                    "Table row {row}: the action code {raw!r} is not of the form "
                    "I.1.1; it was kept as written."
                ),
                row=action.source_row,
                code=cleaned,
                column="code",
                raw=action.code_raw,
            )
        else:
            cleaned = self._next_action_code(spec, action)
            self.warn(
                "code_inferred",
                _(
                    "Table row {row}: the action code {raw!r} was replaced by the "
                    "next code, {code}."
                ),
                row=action.source_row,
                code=cleaned,
                column="code",
                raw=action.code_raw,
            )
        return cleaned

    def _unique_action_codes(self) -> None:
        """A code written twice: the second action is called II.2.3-2 (with a warning)."""
        used: set[str] = set()
        for action in self.plan.actions:
            unique = self._unique(action.code, used)
            if unique != action.code:
                self.warn(
                    "code_duplicate",
                    _(
                        "Table row {row}: action code {code} (written {raw!r}) occurs more than "
                        "once; this one is called {new}."
                    ),
                    row=action.source_row,
                    code=action.code,
                    column="code",
                    raw=action.code_raw,
                    new=unique,
                )
                action.code = unique
            used.add(unique)

    def _next_action_code(self, spec: ParsedSpecificObjective, action: ParsedAction) -> str:
        index = spec.actions.index(action)
        base = spec.code.split("-")[0]
        return f"{base}.{index + 1}"

    @staticmethod
    def _split_joined(
        code: _Code, digits: str, prefixes: Counter[tuple[str, str]], spec_code: _Code | None
    ) -> list[str]:
        """'II.41' -> ['4', '1'] using the siblings' prefix (II.4.x) or the heading's code."""
        for (roman, number), _count in prefixes.most_common():
            if roman == code.roman and digits.startswith(number) and len(digits) > len(number):
                return [number, digits[len(number) :]]
        if spec_code is not None and spec_code.roman == code.roman and spec_code.parts:
            number = str(int(spec_code.parts[0]))
            if digits.startswith(number) and len(digits) > len(number):
                return [number, digits[len(number) :]]
        return [digits[0], digits[1:]]
