"""Validation rules of submitted figures: plain functions on plain data.

``values`` maps ``(element code, key)`` to a number, where ``key`` is ``""`` for the total of
an element and ``"<category>=<option>"`` for a part of it ("sex=female", "age=child").

Rules (errors block a submission):

* every value is a whole number, not negative;
* every element and category is one the data set knows;
* no part is more than its total (children ≤ persons sheltered);
* the parts of one category never add up to more than the total, and when the total and
  every option of a category are given they add up to it exactly (women + men = total):
  "60 women + 20 men = 76" is refused.

A warning (which does not block) is given when a figure moves by more than a factor against
the same period of the previous year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: The largest figure accepted anywhere (the entry form, the CSV and DHIS2 imports, the
#: database's integer columns all hold it).
MAX_FIGURE = 10_000_000


@dataclass(frozen=True)
class OptionSpec:
    code: str
    name: str


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    options: tuple[OptionSpec, ...]


@dataclass(frozen=True)
class ElementSpec:
    code: str
    name: str
    categories: tuple[CategorySpec, ...] = field(default_factory=tuple)

    def key_list(self) -> list[str]:
        out = [""]
        for cat in self.categories:
            out.extend(f"{cat.code}={o.code}" for o in cat.options)
        return out

    def key_label(self, key: str) -> str:
        if not key:
            return _("total")
        cat_code, _sep, opt_code = key.partition("=")
        for cat in self.categories:
            if cat.code == cat_code:
                for o in cat.options:
                    if o.code == opt_code:
                        return o.name
        return key


def spec_of(element, language: str | None = None) -> ElementSpec:
    """An ElementSpec from a DataElement (with its disaggregations and their options)."""
    from mkk.directory.i18n import localized

    cats = []
    for d in element.disaggregations.all():
        opts = tuple(OptionSpec(o.code, localized(o, "name", language)) for o in d.options.all())
        cats.append(CategorySpec(d.code, localized(d, "name", language), opts))
    return ElementSpec(element.code, localized(element, "name", language), tuple(cats))


def _named(spec: ElementSpec) -> str:
    return f"{spec.name} ({spec.code})"


def check_values(
    specs: Iterable[ElementSpec], values: Mapping[tuple[str, str], object]
) -> list[str]:
    """Every error of ``values`` against ``specs``, as translated sentences (empty: valid)."""
    return [message for message, _keys in problems(specs, values)]


def offending_keys(
    specs: Iterable[ElementSpec], values: Mapping[tuple[str, str], object]
) -> set[tuple[str, str]]:
    """The (element, key) pairs an error is about: the fields a form highlights."""
    return {key for _message, keys in problems(specs, values) for key in keys}


def problems(
    specs: Iterable[ElementSpec], values: Mapping[tuple[str, str], object]
) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Every error as (translated sentence, the (element, key) pairs it is about)."""
    by_code = {s.code: s for s in specs}
    errors: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    clean: dict[tuple[str, str], int] = {}
    for (code, key), raw in values.items():
        spec = by_code.get(code)
        if spec is None:
            errors.append((_("Unknown data element %(code)s.") % {"code": code}, ()))
            continue
        if key not in spec.key_list():
            errors.append(
                (
                    _("%(element)s has no category %(key)s.")
                    % {"element": _named(spec), "key": key},
                    (),
                )
            )
            continue
        if raw is None or raw == "":
            continue
        if isinstance(raw, bool) or not isinstance(raw, int):
            errors.append(
                (
                    _("%(element)s, %(category)s: %(value)s is not a whole number.")
                    % {"element": _named(spec), "category": spec.key_label(key), "value": raw},
                    ((code, key),),
                )
            )
            continue
        if raw < 0:
            errors.append(
                (
                    _(
                        "%(element)s, %(category)s: %(value)s is negative; figures cannot be "
                        "negative."
                    )
                    % {"element": _named(spec), "category": spec.key_label(key), "value": raw},
                    ((code, key),),
                )
            )
            continue
        clean[(code, key)] = raw

    for spec in by_code.values():
        errors.extend(_sum_problems(spec, clean))
    return errors


def _sum_problems(spec: ElementSpec, clean: Mapping[tuple[str, str], int]):
    """Parts against the total of one element, category by category."""
    total_key = (spec.code, "")
    total = clean.get(total_key)
    for cat in spec.categories:
        parts = [
            (o, clean[(spec.code, f"{cat.code}={o.code}")])
            for o in cat.options
            if (spec.code, f"{cat.code}={o.code}") in clean
        ]
        if total is None or not parts:
            continue
        for option, part in parts:
            if part > total:
                yield (
                    _("%(element)s: %(option)s (%(part)s) is more than the total (%(total)s).")
                    % {
                        "element": _named(spec),
                        "option": option.name,
                        "part": part,
                        "total": total,
                    },
                    (total_key, (spec.code, f"{cat.code}={option.code}")),
                )
        written = " + ".join(f"{p} {o.name}" for o, p in parts)
        sum_parts = sum(p for _o, p in parts)
        complete = len(parts) == len(cat.options)
        if sum_parts > total or (complete and sum_parts != total):
            keys = (total_key,) + tuple((spec.code, f"{cat.code}={o.code}") for o, _p in parts)
            yield (
                _(
                    "%(element)s, %(category)s: %(parts)s = %(sum)s, but the total is "
                    "%(total)s. The parts must add up to the total."
                )
                % {
                    "element": _named(spec),
                    "category": cat.name,
                    "parts": written,
                    "sum": sum_parts,
                    "total": total,
                },
                keys,
            )


def validate_values(specs: Iterable[ElementSpec], values: Mapping[tuple[str, str], object]) -> None:
    """Raise ValidationError listing every error, or return."""
    errors = check_values(list(specs), values)
    if errors:
        raise ValidationError(errors)


def movement_warnings(
    specs: Iterable[ElementSpec],
    values: Mapping[tuple[str, str], int],
    previous: Mapping[tuple[str, str], int],
    factor: Decimal | float = Decimal("2"),
    min_difference: int = 3,
) -> list[str]:
    """Warnings for figures that moved by more than ``factor`` against last year's figure.

    Small numbers jump easily (1 against 4): a move of fewer than ``min_difference`` is not
    flagged."""
    factor = Decimal(str(factor))
    by_code = {s.code: s for s in specs}
    warnings = []
    for (code, key), value in sorted(values.items()):
        before = previous.get((code, key))
        spec = by_code.get(code)
        if before is None or value is None or spec is None:
            continue
        if abs(value - before) < min_difference:
            continue
        grew = (before == 0 and value >= factor) or (before > 0 and value > before * factor)
        fell = before > 0 and value * factor < before
        if grew or fell:
            warnings.append(
                _(
                    "%(element)s, %(category)s: %(value)s against %(before)s in the same period "
                    "of the previous year, a change of more than %(factor)s times. Please check "
                    "the figure."
                )
                % {
                    "element": _named(spec),
                    "category": spec.key_label(key),
                    "value": value,
                    "before": before,
                    "factor": f"{factor.normalize():f}",
                }
            )
    return warnings
