"""How the parsed rows of a plan become stored rows: the key that matches an action to the
stored one (normalised code and occurrence), the values of an action, and its institutions,
budget lines, funders and references made equal to the document's in place (by position;
links a coordinator chose by hand survive). Each change goes to the import's
:class:`~mkk.plans.bulkwrite.Work`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import (
    ActionFunder,
    ActionInstitution,
    BudgetLine,
    Funder,
    InstitutionRole,
    LegalReference,
    MatchMethod,
    Recurrence,
)

_FUNDERS = frozenset(Funder.values)


_RECURRENCES = frozenset(Recurrence.values)


def _funder(value: str | None) -> str:
    return value if value in _FUNDERS else (Funder.OTHER if value else "")


_SUFFIX = re.compile(r"^(?P<base>.+)-(?P<n>\d+)$")


def action_keys(actions) -> list[tuple[str, int]]:
    """(normalised code, occurrence) for each parsed action, in document order."""
    seen: dict[str, int] = {}
    keys = []
    codes = {a.code for a in actions}
    for a in actions:
        code = a.code
        m = _SUFFIX.match(code)
        if m and m["base"] in codes:  # the parser marks the second II.2.3 as II.2.3-2
            code = m["base"]
        n = seen.get(code, 0)
        seen[code] = n + 1
        keys.append((code, n))
    return keys


def _sync_children(existing, model, parent_field: str, parent, rows, work, kind, keep=None):
    """Make the children of ``parent`` equal to ``rows`` (by position), in place."""
    kept = []
    for i, values in enumerate(rows):
        values = {**values, "order": i}
        if i < len(existing):
            obj = existing[i]
            if keep:
                values = keep(obj, values)
        else:
            obj = model(**{parent_field: parent})
        work.apply(obj, values, kind, parent.code)
        kept.append(obj)
    for obj in existing[len(rows) :]:
        work.delete(obj, kind)
    return kept


def _keep_manual_link(obj: ActionInstitution, values: dict) -> dict:
    """A link the coordinator chose by hand survives re-imports of the same text."""
    if (
        obj.match_method == MatchMethod.MANUAL
        and obj.text_as_written == values["text_as_written"]
        and obj.role == values["role"]
    ):
        return {**values, "institution": obj.institution, "match_method": MatchMethod.MANUAL}
    return values


def import_action(action, pa, code, occurrence, sp, order, work, summary):
    work.apply(
        action,
        {
            "specific_objective_id": sp.pk,
            "code_raw": (pa.code_raw or "")[:40],
            "code": code[:20],
            "occurrence": occurrence,
            "description": pa.description or "",
            "timeframe_raw": (pa.timeframe_raw or "")[:200],
            "start_year": pa.start_year,
            "end_year": pa.end_year,
            "recurrence": pa.recurrence if pa.recurrence in _RECURRENCES else "",
            "funding_raw": pa.funding_raw or "",
            "institutions_raw": pa.institutions_raw or "",
            "outputs": pa.outputs or "",
            "references_raw": pa.references_raw or "",
            "notes": pa.notes or "",
            "order": order,
            "source_row": pa.source_row,
        },
        "actions",
        _row_label(pa, code),
    )
    if action.pk is None or action.specific_objective_id is None:
        action.specific_objective = sp
    summary["actions"] += 1
    if pa.budget_lines:
        summary["with_amounts"] += 1


def _row_label(pa, code: str) -> str:
    return _("row %(row)s, action %(code)s") % {"row": pa.source_row + 1, "code": code}


def import_children(action, pa, code, matcher, work, unlinked, summary, children) -> list:
    links = []
    for role, texts in (
        (InstitutionRole.LEAD, pa.lead_institutions),
        (InstitutionRole.SUPPORTING, pa.supporting_institutions),
    ):
        for text in texts:
            inst, method = matcher.match(text)
            links.append(
                {
                    "institution": inst,
                    "text_as_written": text[:300],
                    "role": role,
                    "match_method": method,
                }
            )
            if inst is None:
                summary["unlinked"] += 1
                unlinked.append({"code": code, "row": pa.source_row, "text": text, "role": role})
            else:
                summary["linked"] += 1
    # Links the coordinator added by hand for names the document does not write survive.
    written = {(link["text_as_written"], link["role"]) for link in links}
    existing_links = children["links"].get(action.pk, []) if action.pk else []
    manual_extra = [
        link
        for link in existing_links
        if link.match_method == MatchMethod.MANUAL
        and (link.text_as_written, link.role) not in written
    ]
    synced = _sync_children(
        [link for link in existing_links if link not in manual_extra],
        ActionInstitution,
        "action",
        action,
        links,
        work,
        "institutions",
        keep=_keep_manual_link,
    )
    _sync_children(
        children["budget"].get(action.pk, []) if action.pk else [],
        BudgetLine,
        "action",
        action,
        [
            {
                "year": b.year,
                "amount": Decimal(b.amount).quantize(Decimal("0.01")),
                "funder": _funder(b.funder),
                "funder_raw": (b.funder_raw or "")[:200],
                "cell_raw": (b.cell_raw or "")[:200],
            }
            for b in pa.budget_lines
        ],
        work,
        "budget_lines",
    )
    _sync_children(
        children["funders"].get(action.pk, []) if action.pk else [],
        ActionFunder,
        "action",
        action,
        [
            {"funder": _funder(f.kind) or Funder.OTHER, "text_as_written": (f.raw or "")[:300]}
            for f in pa.funders
        ],
        work,
        "funders",
    )
    _sync_children(
        children["refs"].get(action.pk, []) if action.pk else [],
        LegalReference,
        "action",
        action,
        [{"name": ref[:300]} for ref in pa.legal_references],
        work,
        "legal_references",
    )
    return [*synced, *manual_extra]
