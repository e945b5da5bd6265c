"""Strategic and specific objective headings of the action table: codes, titles, repeated and
missing headings, and titles taken from the preamble."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from .headers import _SO_TITLE_RE, _is_boilerplate
from .layout import _Cell
from .model import ParsedSpecificObjective, ParsedStrategicObjective
from .preamble import _strip_title
from .values import _NR_RE, _Code, _int_to_roman, _normalize_ws, _parse_code


class _Headings:
    """Objective headings (a part of :class:`~.table._TableParser`)."""

    def ensure_so(self, row: int, number: int | None = None) -> ParsedStrategicObjective:
        if self.current_so is None:
            number = number or 1
            so = ParsedStrategicObjective(
                code=_int_to_roman(number), number=number, title="", source_row=None
            )
            self.plan.strategic_objectives.append(so)
            self.current_so = so
            self.warn(
                "implicit_objective",
                _(
                    "Table row {row}: rows before any strategic objective heading were put under "
                    "strategic objective {code}."
                ),
                row=row,
                code=so.code,
            )
        return self.current_so

    def strategic_heading(self, row: int, cells: list[_Cell], first: _Cell | None) -> None:
        content = [c for c in cells if c is not first and c.text and not _is_boilerplate(c.text)]
        boiler = [c for c in cells if c is not first and c.text and _is_boilerplate(c.text)]
        number: int | None = None
        code_raw = first.raw if first is not None and first.text else None
        code = _parse_code(first.text) if first is not None and first.text else None
        if code is not None and not code.parts:
            number = code.number
        title_raw = "\n".join(c.text for c in content)
        if number is None:
            for cell in content:
                match = _SO_TITLE_RE.match(cell.text)
                if match:
                    number = int(match.group(1))
                    break
        if number is None:
            number = (
                (self.plan.strategic_objectives[-1].number + 1)
                if (self.plan.strategic_objectives)
                else 1
            )
        title = _strip_title(_SO_TITLE_RE.sub("", _normalize_ws(title_raw), count=1))
        roman = _int_to_roman(number)
        existing = next((s for s in self.plan.strategic_objectives if s.code == roman), None)
        if existing is not None and existing is self.current_so:
            so = existing
            if title_raw and _normalize_ws(title_raw) not in _normalize_ws(so.title_raw):
                so.title_raw = f"{so.title_raw}\n{title_raw}" if so.title_raw else title_raw
                so.title = so.title or title
            self.warn(
                "objective_repeated",
                _("Table row {row}: the heading of strategic objective {code} is repeated."),
                row=row,
                code=roman,
            )
        else:
            code_text = roman
            if existing is not None:
                code_text = self._unique(roman, {s.code for s in self.plan.strategic_objectives})
                self.warn(
                    "code_duplicate",
                    _(
                        "Table row {row}: strategic objective {code} occurs twice; the second is "
                        "called {new}."
                    ),
                    row=row,
                    code=roman,
                    new=code_text,
                )
            so = ParsedStrategicObjective(
                code=code_text,
                number=number,
                title=title,
                code_raw=code_raw,
                title_raw=title_raw,
                title_source="table" if title else None,
                source_row=row,
            )
            self.plan.strategic_objectives.append(so)
        self.current_so = so
        self.current_spec = None
        if first is not None and first.text:
            self.place(row, first, so, "code_raw")
        for cell in boiler:
            self.header(row, cell)
        for cell in content:
            self.place(row, cell, so, "title_raw")

    def _next_spec_code(self, so: ParsedStrategicObjective) -> str:
        numbers = [0]
        for spec in so.specific_objectives:
            parsed = _parse_code(spec.code.split("-")[0])
            if parsed is not None and parsed.roman == so.code and len(parsed.parts) == 1:
                numbers.append(int(parsed.parts[0]))
        return f"{so.code}.{max(numbers) + 1}"

    @staticmethod
    def _unique(code: str, used: set[str]) -> str:
        if code not in used:
            return code
        suffix = 2
        while f"{code}-{suffix}" in used:
            suffix += 1
        return f"{code}-{suffix}"

    def specific_heading(self, row: int, cells: list[_Cell], first: _Cell | None) -> None:
        so = self.ensure_so(row)
        first_text = first.text if first is not None else ""
        code = _parse_code(first_text) if first_text else None
        title_cells = [
            c for c in cells if c is not first and c.text and not _is_boilerplate(c.text)
        ]
        boiler = [c for c in cells if c is not first and c.text and _is_boilerplate(c.text)]
        code_cell_is_title = bool(first_text) and code is None and not _NR_RE.match(first_text)
        if code_cell_is_title and first is not None:
            title_cells.insert(0, first)
        code_raw = first.raw if first is not None and first_text else None
        normalized = self._spec_code(row, so, code, code_raw)
        title_raw = "\n".join(c.text for c in title_cells)
        title = _strip_title(title_raw)
        used = {s.code for s in self.plan.specific_objectives}
        current = self.current_spec
        if (
            current is not None
            and current.code == normalized
            and current in so.specific_objectives
            and (not title or _normalize_ws(title) == _normalize_ws(current.title))
        ):
            spec = current
            if title_raw and _normalize_ws(title_raw) not in _normalize_ws(spec.title_raw):
                spec.title_raw = f"{spec.title_raw}\n{title_raw}" if spec.title_raw else title_raw
                spec.title = spec.title or title
            self.warn(
                "objective_repeated",
                _("Table row {row}: the heading of objective {code} is repeated."),
                row=row,
                code=normalized,
            )
        else:
            unique = self._unique(normalized, used)
            if unique != normalized:
                self.warn(
                    "code_duplicate",
                    _(
                        "Table row {row}: objective code {code} occurs twice; this one is called "
                        "{new}."
                    ),
                    row=row,
                    code=normalized,
                    new=unique,
                )
            spec = ParsedSpecificObjective(
                code_raw=code_raw,
                code=unique,
                title=title,
                title_raw=title_raw,
                title_source="table" if title else None,
                source_row=row,
            )
            so.specific_objectives.append(spec)
        self.current_spec = spec
        if first is not None and first_text and not code_cell_is_title:
            self.place(row, first, spec, "code_raw")
        for cell in boiler:
            self.header(row, cell)
        for cell in title_cells:
            self.place(row, cell, spec, "title_raw")

    def _spec_code(
        self, row: int, so: ParsedStrategicObjective, code: _Code | None, code_raw: str | None
    ) -> str:
        """The code of a specific objective heading as written (normalised), or the next one
        of its strategic objective when the heading has none (both with a warning)."""
        if code is not None and len(code.parts) == 1:
            normalized = code.render()
            if code_raw is not None and normalized != code_raw:
                self.warn(
                    "code_normalized",
                    _("Table row {row}: objective code {raw!r} was read as {code}."),
                    row=row,
                    code=normalized,
                    column="code",
                    raw=code_raw,
                )
            return normalized
        normalized = self._next_spec_code(so)
        self.warn(
            "code_inferred",
            _(
                "Table row {row}: the objective heading {raw!r} has no code; it was given "
                "the next code, {code}."
            ),
            row=row,
            code=normalized,
            column="code",
            raw=code_raw or "",
        )
        return normalized

    def ensure_spec(self, row: int, action_code: _Code | None) -> ParsedSpecificObjective:
        so = self.ensure_so(row, action_code.number if action_code else None)
        if self.current_spec is not None and self.current_spec in so.specific_objectives:
            return self.current_spec
        used = {s.code for s in self.plan.specific_objectives}
        code = None
        if action_code is not None and action_code.roman == so.code and len(action_code.parts) >= 2:
            candidate = f"{so.code}.{int(action_code.parts[0])}"
            if candidate not in used:
                code = candidate
        code = code or self._unique(self._next_spec_code(so), used)
        spec = ParsedSpecificObjective(code_raw=None, code=code, title="", source_row=None)
        so.specific_objectives.append(spec)
        self.current_spec = spec
        self.warn(
            "implicit_objective",
            _(
                "Table row {row}: actions without an objective heading were put under specific "
                "objective {code}."
            ),
            row=row,
            code=code,
        )
        return spec

    def fill_titles(self, preamble: Sequence[tuple[str, str]]) -> None:
        titles = dict(preamble)
        for so in self.plan.strategic_objectives:
            if not so.title and titles.get(str(so.number)):
                so.title = titles[str(so.number)]
                so.title_source = "preamble"
                self.warn(
                    "title_from_preamble",
                    _(
                        "Strategic objective {code} has no title in the table; the title listed "
                        "before the table was used."
                    ),
                    code=so.code,
                )
            for spec in so.specific_objectives:
                parsed = _parse_code(spec.code.split("-")[0])
                if spec.title or parsed is None or len(parsed.parts) != 1:
                    continue
                key = f"{parsed.number}.{int(parsed.parts[0])}"
                if titles.get(key):
                    spec.title = titles[key]
                    spec.title_source = "preamble"
                    self.warn(
                        "title_from_preamble",
                        _(
                            "Objective {code} has no title in the table; the title listed before "
                            "the table ({key}) was used."
                        ),
                        row=spec.source_row,
                        code=spec.code,
                        key=key,
                    )
