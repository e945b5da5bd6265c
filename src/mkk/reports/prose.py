"""Sentences written from the figures, in Albanian, English and Serbian (Latin).

In the manner of the Gjilan 2019 report: "Gjatë periudhës janar – shtator 2019 në Policinë
e Kosovës janë paraqitur 83 raste, 5 më shumë se në periudhën e njëjtë të vitit 2018
(78 raste)." Every phrase is an English msgid in this app's catalogue, with plural forms
through ``ngettext`` (Serbian has three). Missing data are said as missing, never as zero;
hidden (suppressed) numbers are said as "fewer than 5" or "not published".

The functions read the report snapshot (``snapshot.Figure``; a figure as stored is
accepted too), so a frozen report is written again in exactly the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy, pgettext

from mkk.core.languages import current_suffix, django_language
from mkk.core.periods import MONTHS, classify, period_label, previous_year

from . import snapshot, suppression
from .snapshot import Figure, Institution, name_in


def _suffix(language: str) -> str:
    return current_suffix(django_language(language))


def number(value, language: str) -> str:
    """9000 → "9.000" (sq, sr) or "9,000" (en); decimals with a comma in sq/sr."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.1f}"
    else:
        text = f"{int(round(value)):,}"
    if _suffix(language) in ("sq", "sr"):
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


# --- Periods --------------------------------------------------------------------------


def period_phrase(start: dt.date, end: dt.date, language: str) -> str:
    """The period as prose says it: whole months inside one year as a month range
    ("janar – dhjetor 2025"), anything else as ``period_label`` writes it."""
    lang = _suffix(language)
    if classify(start, end) in ("year", "half_year", "quarter"):
        names = MONTHS[lang]
        return f"{names[start.month - 1]} – {names[end.month - 1]} {start.year}"
    return period_label(start, end, django_language(language))


def reference_phrase(start: dt.date, end: dt.date, language: str, case: str = "locative") -> str:
    """'the same period of 2018' (after "in"), or of the range a year earlier."""
    pstart, pend = previous_year(start, end)
    with translation.override(django_language(language)):
        if pstart.year == pend.year:
            if case == "accusative":
                return pgettext("accusative", "the same period of %(year)s") % {"year": pstart.year}
            return pgettext("locative", "the same period of %(year)s") % {"year": pstart.year}
        period = period_phrase(pstart, pend, language)
        if case == "accusative":
            return pgettext("accusative", "the same period a year earlier (%(period)s)") % {
                "period": period
            }
        return pgettext("locative", "the same period a year earlier (%(period)s)") % {
            "period": period
        }


# --- Institutions -----------------------------------------------------------------------


_QUOTED = re.compile(r'["„“”«]([^"„“”«»]+)["“”»]')


def typeset_name(name: str, language: str) -> str:
    """A name's own quotation marks as the language prints them: „Liria“ in Serbian,
    “Liria” in Albanian and English (a name typed with "straight" quotes included)."""
    if _suffix(language) == "sr":
        return _QUOTED.sub("„\\1“", name)
    return _QUOTED.sub("“\\1”", name)


def _institution(institution: Institution | Mapping) -> Institution:
    if isinstance(institution, Institution):
        return institution
    return snapshot.figure({"institution": institution, "element": {"code": ""}}).institution


def institution_name(institution: Institution | Mapping, language: str) -> str:
    return typeset_name(name_in(_institution(institution).name, _suffix(language)), language)


def at_institution(institution: Institution | Mapping, language: str) -> str:
    """'në Policinë e Kosovës' / 'at Kosovo Police' / 'u instituciji „Kosovska policija“'.

    A name that has quotation marks of its own (Sklonište „Liria“) is not quoted again."""
    lang = _suffix(language)
    institution = _institution(institution)
    name = institution_name(institution, language)
    with translation.override(django_language(language)):
        if lang == "sq" and institution.locative_sq:
            return f"në {typeset_name(institution.locative_sq, language)}"
        if lang == "en":
            return _("at %(name)s") % {"name": name}
        if _QUOTED.search(name):
            return _("at the institution %(name)s") % {"name": name}
        return _("at the institution “%(name)s”") % {"name": name}


# --- Element phrases -------------------------------------------------------------------
# Each: (clause singular, clause plural) for ngettext, the noun of the previous figure,
# and the subject used when data are missing or not published.


#: Each element's clause (without the period and its opening), singular and plural; the
#: plural form follows "n" in the values it is formatted with.
CLAUSES = {
    "POL_CASES": ngettext_lazy(
        "%(count)s case was reported %(at)s",
        "%(count)s cases were reported %(at)s",
        "n",
    ),
    "POL_VICTIMS": ngettext_lazy(
        "%(count)s victim of domestic violence was registered %(at)s",
        "%(count)s victims of domestic violence were registered %(at)s",
        "n",
    ),
    "POL_ARRESTS": ngettext_lazy(
        "%(count)s suspect was arrested %(at)s",
        "%(count)s suspects were arrested %(at)s",
        "n",
    ),
    "QPS_VICTIMS": ngettext_lazy(
        "%(count)s victim of domestic violence was treated %(at)s",
        "%(count)s victims of domestic violence were treated %(at)s",
        "n",
    ),
    "MV_CASES": ngettext_lazy(
        "%(count)s case was assisted %(at)s",
        "%(count)s cases were assisted %(at)s",
        "n",
    ),
    "PRO_CASES": ngettext_lazy(
        "%(count)s case file was received %(at)s",
        "%(count)s case files were received %(at)s",
        "n",
    ),
    "PRO_INDICTMENTS": ngettext_lazy(
        "%(count)s indictment was filed %(at)s",
        "%(count)s indictments were filed %(at)s",
        "n",
    ),
    "GJK_PO_REQUESTS": ngettext_lazy(
        "%(count)s request for a protection order was received %(at)s",
        "%(count)s requests for a protection order were received %(at)s",
        "n",
    ),
    "GJK_EPO_ISSUED": ngettext_lazy(
        "%(count)s emergency protection order was issued %(at)s",
        "%(count)s emergency protection orders were issued %(at)s",
        "n",
    ),
    "GJK_PO_ISSUED": ngettext_lazy(
        "%(count)s protection order was issued %(at)s",
        "%(count)s protection orders were issued %(at)s",
        "n",
    ),
    "GJK_JUDGMENTS": ngettext_lazy(
        "%(count)s final judgment was delivered %(at)s",
        "%(count)s final judgments were delivered %(at)s",
        "n",
    ),
    "STR_PERSONS": ngettext_lazy(
        "%(count)s person was sheltered %(at)s",
        "%(count)s persons were sheltered %(at)s",
        "n",
    ),
    "NJF_PERSONS": ngettext_lazy(
        "%(count)s person received free legal aid %(at)s",
        "%(count)s persons received free legal aid %(at)s",
        "n",
    ),
    "PUN_VICTIMS": ngettext_lazy(
        "%(count)s victim was employed or trained %(at)s",
        "%(count)s victims were employed or trained %(at)s",
        "n",
    ),
    "SHE_CASES": ngettext_lazy(
        "%(count)s case was identified and referred %(at)s",
        "%(count)s cases were identified and referred %(at)s",
        "n",
    ),
}
CLAUSES["ARS_CASES"] = CLAUSES["SHE_CASES"]


def _clause(code: str, n: int, values: dict) -> str:
    if code in CLAUSES:
        return CLAUSES[code] % {**values, "n": n}
    return _("the figure “%(element)s” %(at)s was %(count)s") % values


NOUN_OF = {
    "POL_CASES": "case",
    "POL_VICTIMS": "victim",
    "POL_ARRESTS": "suspect",
    "QPS_VICTIMS": "victim",
    "MV_CASES": "case",
    "PRO_CASES": "case_file",
    "PRO_INDICTMENTS": "indictment",
    "GJK_PO_REQUESTS": "request",
    "GJK_EPO_ISSUED": "order",
    "GJK_PO_ISSUED": "order",
    "GJK_JUDGMENTS": "judgment",
    "STR_PERSONS": "person",
    "NJF_PERSONS": "person",
    "PUN_VICTIMS": "victim",
    "SHE_CASES": "case",
    "ARS_CASES": "case",
}


def noun(kind: str, n: int, count: str) -> str:
    """'78 raste', '1 rast'; ``count`` is the number as printed (may be "fewer than 5")."""
    forms = {
        "case": lambda: ngettext("%(count)s case", "%(count)s cases", n),
        "case_file": lambda: ngettext("%(count)s case file", "%(count)s case files", n),
        "victim": lambda: ngettext("%(count)s victim", "%(count)s victims", n),
        "suspect": lambda: ngettext("%(count)s suspect", "%(count)s suspects", n),
        "indictment": lambda: ngettext("%(count)s indictment", "%(count)s indictments", n),
        "request": lambda: ngettext("%(count)s request", "%(count)s requests", n),
        "order": lambda: ngettext("%(count)s order", "%(count)s orders", n),
        "judgment": lambda: ngettext("%(count)s judgment", "%(count)s judgments", n),
        "person": lambda: ngettext("%(count)s person", "%(count)s persons", n),
        "woman": lambda: ngettext("%(count)s woman", "%(count)s women", n),
        "man": lambda: ngettext("%(count)s man", "%(count)s men", n),
        "adult": lambda: ngettext("%(count)s adult", "%(count)s adults", n),
        "child": lambda: ngettext("%(count)s child", "%(count)s children", n),
        "meeting": lambda: ngettext("%(count)s meeting", "%(count)s meetings", n),
    }
    template = forms.get(kind, lambda: "%(count)s")()
    return template % {"count": count}


def _subject(code: str) -> str:
    subjects = {
        "POL_CASES": lambda: _("cases reported"),
        "POL_VICTIMS": lambda: _("victims registered"),
        "POL_ARRESTS": lambda: _("suspects arrested"),
        "QPS_VICTIMS": lambda: _("victims treated"),
        "MV_CASES": lambda: _("cases assisted"),
        "PRO_CASES": lambda: _("case files received"),
        "PRO_INDICTMENTS": lambda: _("indictments filed"),
        "GJK_PO_REQUESTS": lambda: _("requests for protection orders"),
        "GJK_EPO_ISSUED": lambda: _("emergency protection orders issued"),
        "GJK_PO_ISSUED": lambda: _("protection orders issued"),
        "GJK_JUDGMENTS": lambda: _("final judgments"),
        "STR_PERSONS": lambda: _("persons sheltered"),
        "NJF_PERSONS": lambda: _("persons given free legal aid"),
        "PUN_VICTIMS": lambda: _("victims employed or trained"),
        "SHE_CASES": lambda: _("cases identified and referred"),
        "ARS_CASES": lambda: _("cases identified and referred"),
    }
    return subjects[code]() if code in subjects else ""


# --- One figure -------------------------------------------------------------------------

HIDDEN = "hidden"


def _count_text(value, state, language) -> tuple[int, str] | None:
    """(n for the plural form, the count as printed) or None if not printable."""
    if state == suppression.PRIMARY:
        limit = suppression.threshold()
        return limit, _("fewer than %(limit)s") % {"limit": limit}
    if state:
        return None
    return value, number(value, language)


def _breakdown(fig: Figure, language: str) -> str:
    order = ["age", "sex"] if fig.element.code == "STR_PERSONS" else ["sex", "age"]
    parts = []
    for dim in order:
        if dim == "sex":
            keys, kinds = ("sex=female", "sex=male"), ("woman", "man")
        else:
            keys, kinds = ("age=adult", "age=child"), ("adult", "child")
        cells = [fig.cell(k, "current") if k in fig.values else (None, "") for k in keys]
        if any(v is None and not s for v, s in cells):
            continue  # missing: no breakdown rather than a wrong one
        texts = [_count_text(v, s, language) for v, s in cells]
        if any(t is None for t in texts):
            continue  # a complementary-hidden part: the breakdown is not published
        a, b = (noun(kind, t[0], t[1]) for kind, t in zip(kinds, texts, strict=True))
        if not parts:
            if dim == "sex":
                parts.append(_(", of whom %(women)s and %(men)s") % {"women": a, "men": b})
            else:
                parts.append(
                    _(", of whom %(adults)s and %(children)s") % {"adults": a, "children": b}
                )
        else:
            parts.append(_("; %(first)s and %(second)s") % {"first": a, "second": b})
    return "".join(parts)


#: How a sentence opens: the first of a paragraph names the period, the next ones vary.
OPENINGS = ("period", "plain", "also", "same")


def opening_for(index: int) -> str:
    """The opening of the ``index``-th sentence of a paragraph (0: with the period)."""
    return "period" if index == 0 else OPENINGS[1 + (index - 1) % 3]


def _opened(opening: str, clause: str, period: str) -> str:
    """The clause with its opening; spaces left by an omitted institution closed up."""
    clause = " ".join(clause.split())
    if opening == "period":
        text = _("In %(period)s, %(clause)s") % {"period": period, "clause": clause}
    elif opening == "same":
        text = _("In the same period, %(clause)s") % {"clause": clause}
    elif opening == "also":
        text = _("Also, %(clause)s") % {"clause": clause}
    else:
        text = clause[:1].upper() + clause[1:]
    return " ".join(text.split())


def _not_published(opening: str, period: str, subject: str, at: str) -> str:
    values = {"period": period, "subject": subject, "at": at}
    if opening == "period":
        text = _(
            "For %(period)s, the figures on %(subject)s %(at)s are not published "
            "because the numbers are small"
        )
    else:
        text = _(
            "The figures on %(subject)s %(at)s are not published because the numbers are small"
        )
    return " ".join((text % values).split())


def _no_data(opening: str, period: str, subject: str, at: str) -> str:
    values = {"period": period, "subject": subject, "at": at}
    if opening == "period":
        text = _("For %(period)s there are no data on %(subject)s %(at)s")
    else:
        text = _("For this period there are no data on %(subject)s %(at)s")
    return " ".join((text % values).split())


def subject(fig: Figure, language: str) -> str:
    """What the figure counts, as the object of "there are no data on …"."""
    with translation.override(django_language(language)):
        return _subject(fig.element.code) or name_in(fig.element.name, _suffix(language))


def figure_sentence(
    fig: Figure | Mapping,
    *,
    start: dt.date,
    end: dt.date,
    language: str,
    opening: str = "period",
    with_institution: bool = True,
    compare: bool = True,
) -> str:
    """The sentence for one institution's element, with its breakdown and comparison.

    ``opening`` is one of ``OPENINGS``; ``with_institution=False`` leaves the institution
    out (a paragraph under its name); ``compare=False`` leaves the comparison out (said once
    for the paragraph when no figure of the year before exists)."""
    fig = snapshot.figure(fig)
    with translation.override(django_language(language)):
        code = fig.element.code
        element_name = name_in(fig.element.name, _suffix(language))
        period = period_phrase(start, end, language)
        at = at_institution(fig.institution, language) if with_institution else ""
        reference = reference_phrase(start, end, language)
        cur, cur_state = fig.cell("", "current")
        prev, prev_state = fig.cell("", "previous")
        diff, diff_state = fig.cell("", "difference")
        change = fig.values[""].change if "" in fig.values else None
        kind = NOUN_OF.get(code, "")
        what = _subject(code) or element_name

        prev_text = (
            _count_text(prev, prev_state, language) if prev is not None or prev_state else None
        )
        prev_phrase = noun(kind, prev_text[0], prev_text[1]) if prev_text else None

        cur_text = _count_text(cur, cur_state, language) if cur is not None or cur_state else None
        if cur_text is None:
            if cur_state:
                return _not_published(opening, period, what, at) + "."
            sentence = _no_data(opening, period, what, at)
            if prev_phrase:
                sentence += _(" (in %(reference)s: %(previous)s)") % {
                    "reference": reference,
                    "previous": prev_phrase,
                }
            return sentence + "."

        n, count = cur_text
        clause = _clause(code, n, {"count": count, "at": at, "element": element_name})
        main = _opened(opening, clause, period)
        breakdown = _breakdown(fig, language)
        args = (prev, prev_state, prev_phrase, diff, diff_state, cur_state, change)
        comparison = _comparison(*args, reference, language) if compare else ""
        if breakdown:
            main += breakdown + "."
            if comparison:
                accusative = reference_phrase(start, end, language, "accusative")
                main += " " + _comparison_sentence(*args, accusative, language)
            return main
        return main + (", " + comparison if comparison else "") + "."


def no_previous_sentence(*, start: dt.date, end: dt.date, language: str) -> str:
    """One sentence for a paragraph none of whose figures exists a year earlier."""
    with translation.override(django_language(language)):
        reference = reference_phrase(start, end, language, "accusative")
        return _("There are no data for %(reference)s.") % {"reference": reference}


def paragraph(
    figs: list[Figure] | list[Mapping],
    *,
    start: dt.date,
    end: dt.date,
    language: str,
    with_institution: bool,
    first: int = 0,
) -> str:
    """The sentences of several figures in one paragraph, read as one text: the period is
    named once, openings vary, elements without any data are named in one sentence, and
    "no data a year earlier" is said once when it holds for every figure.

    ``with_institution`` names the institution in every sentence (a summary across
    institutions); otherwise only in the first (a paragraph under the institution's name).
    ``first`` counts the sentences already said before these (their openings continue)."""
    figs = [snapshot.figure(f) for f in figs]
    shown = [f for f in figs if with_institution or f.has_current() or f.has_previous()]
    empty = [f for f in figs if f not in shown]
    compare = any(f.has_previous() for f in shown)
    sentences = []
    for i, fig in enumerate(shown):
        sentences.append(
            figure_sentence(
                fig,
                start=start,
                end=end,
                language=language,
                opening=opening_for(first + i),
                with_institution=with_institution or i == 0,
                compare=compare,
            )
        )
    if empty:
        with translation.override(django_language(language)):
            opening = opening_for(first + len(sentences))
            names = join_names([subject(f, language) for f in empty], language)
            at = "" if sentences else at_institution(empty[0].institution, language)
            sentences.append(
                _no_data(opening, period_phrase(start, end, language), names, at) + "."
            )
    if shown and not compare:
        sentences.append(no_previous_sentence(start=start, end=end, language=language))
    return " ".join(sentences)


def _direction(diff, change) -> str:
    if change in ("increase", "decrease", "same"):
        return change
    if change in ("up", "higher"):
        return "increase"
    if change in ("down", "lower"):
        return "decrease"
    if change in ("none", "unchanged", "equal", "no_change"):
        return "same"
    if diff is None:
        return ""
    return "increase" if diff > 0 else "decrease" if diff < 0 else "same"


#: How the comparison with the reference period is worded: as a clause after the sentence's
#: figure, or as a sentence of its own. The decision between the cases is one
#: (``_comparison_kind``); only the words differ.
_CLAUSE = {
    "none": lambda: _("while there are no data for %(reference)s"),
    "small": lambda: _(
        "the comparison with %(reference)s is not published because the numbers are small"
    ),
    "increase": lambda: _("%(difference)s more than in %(reference)s (%(previous)s)"),
    "decrease": lambda: _("%(difference)s fewer than in %(reference)s (%(previous)s)"),
    "same": lambda: _("the same as in %(reference)s (%(previous)s)"),
}
_SENTENCE = {
    "none": lambda: _("There are no data for %(reference)s."),
    "small": lambda: _(
        "The comparison with %(reference)s is not published because the numbers are small."
    ),
    "increase": lambda: _(
        "Compared with %(reference)s (%(previous)s), the number is higher by %(difference)s."
    ),
    "decrease": lambda: _(
        "Compared with %(reference)s (%(previous)s), the number is lower by %(difference)s."
    ),
    "same": lambda: _("Compared with %(reference)s (%(previous)s), the number is the same."),
}


def _comparison_kind(prev, prev_state, diff, diff_state, cur_state, change) -> str:
    """no data a year earlier (``none``), hidden small numbers (``small``), or the
    direction of the change ("" when it cannot be told)."""
    if prev is None and not prev_state:
        return "none"
    if prev_state or diff_state or cur_state:
        return "small"
    return _direction(diff, change)


def _worded(
    wording, prev, prev_state, prev_phrase, diff, diff_state, cur_state, change, reference, language
):
    kind = _comparison_kind(prev, prev_state, diff, diff_state, cur_state, change)
    if kind not in wording:
        return ""
    return wording[kind]() % {
        "difference": number(abs(diff) if diff is not None else None, language),
        "reference": reference,
        "previous": prev_phrase,
    }


def _comparison(*args):
    """The comparison as a clause: "…, 3 more than in the same period a year earlier (12)"."""
    return _worded(_CLAUSE, *args)


def _comparison_sentence(*args):
    """The comparison as a sentence of its own."""
    return _worded(_SENTENCE, *args)


def no_data_sentence(
    institution: Institution | Mapping, *, start: dt.date, end: dt.date, language: str
) -> str:
    """An institution with no figure in either period."""
    with translation.override(django_language(language)):
        return _("For %(period)s and %(reference)s there are no data %(at)s.") % {
            "period": period_phrase(start, end, language),
            "reference": reference_phrase(start, end, language),
            "at": at_institution(institution, language),
        }


def join_names(names: list[str], language: str) -> str:
    """ "A, B and C" in the report's language."""
    with translation.override(django_language(language)):
        if len(names) < 2:
            return "".join(names)
        return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


# --- Summary ----------------------------------------------------------------------------


def meetings_sentence(count: int | None, *, start: dt.date, end: dt.date, language: str) -> str:
    with translation.override(django_language(language)):
        period = period_phrase(start, end, language)
        if count is None:
            return _("For %(period)s there are no data on the mechanism's meetings.") % {
                "period": period
            }
        return ngettext(
            "In %(period)s the mechanism held %(count)s meeting.",
            "In %(period)s the mechanism held %(count)s meetings.",
            count,
        ) % {"period": period, "count": number(count, language)}


def plan_sentence(total, done, late, rate, *, language: str) -> str:
    with translation.override(django_language(language)):
        if not total:
            return _("No action of the action plan falls in this period.")
        return ngettext(
            "The action plan has %(total)s action in this period: %(done)s completed and "
            "%(late)s late (completion rate %(rate)s%%).",
            "The action plan has %(total)s actions in this period: %(done)s completed and "
            "%(late)s late (completion rate %(rate)s%%).",
            total,
        ) % {
            "total": number(total, language),
            "done": number(done, language),
            "late": number(late, language),
            "rate": number(rate, language) if rate is not None else "–",
        }


def budget_sentence(planned, spent, currency: str, *, language: str) -> str:
    with translation.override(django_language(language)):
        if planned is None and spent is None:
            return _("No budget is recorded for this period.")
        if spent is None:
            return _(
                "The budget planned for the period is %(planned)s %(currency)s; "
                "spending is not recorded."
            ) % {
                "planned": number(planned, language),
                "currency": currency,
            }
        return _(
            "The budget planned for the period is %(planned)s %(currency)s, "
            "of which %(spent)s %(currency)s was spent."
        ) % {
            "planned": number(planned or 0, language),
            "spent": number(spent, language),
            "currency": currency,
        }


def followups_sentence(done, open_, overdue, *, language: str) -> str:
    with translation.override(django_language(language)):
        return _(
            "Tasks arising from decisions: %(done)s done, %(open)s open, %(overdue)s overdue."
        ) % {
            "done": number(done or 0, language),
            "open": number(open_ or 0, language),
            "overdue": number(overdue or 0, language),
        }
