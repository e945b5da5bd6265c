"""Access scoping: the one place that decides what a user may see and change.

Every selector and view loads scoped objects through these functions. A model takes part
by naming the paths from itself to its municipality and (where it has one) its owning
institution::

    class Meeting(models.Model):
        scope_municipality = "mechanism__municipality"
        scope_institution = None  # visible to the whole mechanism

The rules, by role:

* admin, national coordinator: every municipality (national: aggregate pages only; the
  views that show records decide with ``can_*`` below).
* municipal coordinator, viewer: their municipality.
* focal point, case worker: their municipality for mechanism-wide data (plan, meetings,
  directory), and their own institution where a model has ``scope_institution`` and the
  caller asks for ``own_institution=True``.

An object out of scope and an object that does not exist both answer 404, so that ids
cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from .models import INSTITUTION_ROLES, Role

M = TypeVar("M", bound=models.Model)

ALL_MUNICIPALITIES_ROLES = {Role.ADMIN, Role.NATIONAL}


def _is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_use_dashboard(user) -> bool:
    """Every signed-in, active account: the dashboard and the published reports."""
    return _is_authenticated(user)


def sees_all_municipalities(user) -> bool:
    return _is_authenticated(user) and user.role in ALL_MUNICIPALITIES_ROLES


def municipality_ids(user) -> set[int] | None:
    """Municipality ids the user may read; ``None`` means all of them."""
    if not _is_authenticated(user):
        return set()
    if sees_all_municipalities(user):
        return None
    return {user.municipality_id} if user.municipality_id else set()


def _path(model: type[models.Model], attr: str) -> str | None:
    return getattr(model, attr, None)


def scope(
    user, queryset: models.QuerySet[M], *, own_institution: bool = False
) -> models.QuerySet[M]:
    """Filter ``queryset`` to what ``user`` may see.

    ``own_institution=True`` further limits institution-bound roles (focal point, case
    worker) to rows of their own institution, for models that declare
    ``scope_institution``.
    """
    model = queryset.model
    if not _is_authenticated(user):
        return queryset.none()
    mun_path = _path(model, "scope_municipality")
    if mun_path is None:
        raise TypeError(f"{model.__name__} does not declare scope_municipality")
    ids = municipality_ids(user)
    if ids is not None:
        field = f"{mun_path}__in" if mun_path else "pk__in"
        queryset = queryset.filter(**{field: ids})
    if own_institution and user.role in {Role.FOCAL_POINT, Role.CASE_WORKER}:
        inst_path = _path(model, "scope_institution")
        if inst_path:
            queryset = queryset.filter(**{inst_path: user.institution_id})
    return queryset


def get_for_user(
    user,
    queryset: models.QuerySet[M] | type[M],
    *,
    own_institution: bool = False,
    **lookup,
) -> M:
    """One object in the user's scope, or 404 (missing and forbidden look the same)."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    try:
        return scope(user, queryset, own_institution=own_institution).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def require(condition: bool) -> None:
    """403 for a user who may see an object but not do this to it."""
    if not condition:
        raise PermissionDenied


# --- What a role may do -----------------------------------------------------------------


def can_manage_mechanism(user, municipality_id: int | None) -> bool:
    """Coordinator of that municipality, or a system administrator."""
    if not _is_authenticated(user):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.COORDINATOR and user.municipality_id == municipality_id


def can_read_records(user) -> bool:
    """Record-level mechanism data (meetings, plan progress, submissions).

    The national coordinator sees aggregates only; viewers see published reports only.
    """
    return _is_authenticated(user) and user.role in {
        Role.ADMIN,
        Role.COORDINATOR,
        Role.FOCAL_POINT,
        Role.CASE_WORKER,
    }


def can_read_aggregates(user) -> bool:
    return _is_authenticated(user) and user.role != Role.VIEWER


def can_read_completeness(user) -> bool:
    """Which institution submitted which data set when: records, plus the national role
    (it follows every municipality's reporting; it never sees a case)."""
    return can_read_records(user) or (_is_authenticated(user) and user.role == Role.NATIONAL)


def can_read_national(user) -> bool:
    """The national dashboard, export and report: aggregates of every municipality."""
    return _is_authenticated(user) and user.role in {Role.ADMIN, Role.NATIONAL}


def can_submit_for_institution(user, institution_id: int | None) -> bool:
    """Focal point of that institution (or the coordinator/admin acting for it)."""
    if not _is_authenticated(user) or institution_id is None:
        return False
    if user.role == Role.FOCAL_POINT:
        return user.institution_id == institution_id
    return user.role in {Role.COORDINATOR, Role.ADMIN}


def can_invite_users(user) -> bool:
    """Administrators; coordinators for their own municipality's institutions."""
    return _is_authenticated(user) and (
        user.role == Role.ADMIN or (user.role == Role.COORDINATOR and bool(user.municipality_id))
    )


#: Roles a municipal coordinator manages (invites, deactivates, issues enrolment links to).
COORDINATOR_MANAGED_ROLES = {Role.FOCAL_POINT, Role.CASE_WORKER, Role.VIEWER}


def can_manage_user(user, target) -> bool:
    """Administrators: everyone; a coordinator: focal points, case workers and viewers of
    their municipality."""
    if not _is_authenticated(user) or target is None:
        return False
    if user.role == Role.ADMIN:
        return True
    return (
        user.role == Role.COORDINATOR
        and bool(user.municipality_id)
        and target.municipality_id == user.municipality_id
        and target.role in COORDINATOR_MANAGED_ROLES
    )


def users_in_scope(user, queryset):
    """Accounts a user may list: all (administrator), their municipality's (coordinator)."""
    if not _is_authenticated(user):
        return queryset.none()
    if user.role == Role.ADMIN:
        return queryset
    if user.role == Role.COORDINATOR and user.municipality_id:
        return queryset.filter(municipality_id=user.municipality_id)
    return queryset.none()


def can_list_users(user) -> bool:
    """The accounts page of a municipality (``accounts:users``): administrators, coordinators."""
    return can_invite_users(user)


def can_onboard_municipality(user) -> bool:
    """Onboarding a municipality (mechanism, institutions, its coordinator): administrators."""
    return _is_authenticated(user) and user.role == Role.ADMIN


def coordinates(user, municipality_id: int | None) -> bool:
    """The municipal coordinator of that municipality (not an administrator acting for it)."""
    return (
        _is_authenticated(user)
        and user.role == Role.COORDINATOR
        and municipality_id is not None
        and user.municipality_id == municipality_id
    )


def is_focal_point_of(user, institution_id: int | None) -> bool:
    """A focal point of that institution (may be named the membership's focal person)."""
    return (
        _is_authenticated(user)
        and user.role == Role.FOCAL_POINT
        and institution_id is not None
        and user.institution_id == institution_id
    )


def reports_for_own_institution(user) -> bool:
    """A focal point reporting for their own institution (figures due, statistics from case
    records, progress of their actions): the focal-point side of the dashboard and plan."""
    if not _is_authenticated(user) or not user.municipality_id:
        return False
    return is_focal_point_of(user, user.institution_id)


def can_enter_figures(user) -> bool:
    """Enters statistics at all: focal points (for their institution), coordinators and
    administrators; the services decide per institution."""
    if not _is_authenticated(user):
        return False
    if user.role == Role.FOCAL_POINT:
        return can_submit_for_institution(user, user.institution_id)
    return user.role in {Role.COORDINATOR, Role.ADMIN}


def can_manage_catalogue(user) -> bool:
    """The statistics catalogue (data elements, disaggregations, data-set deadlines) is one for
    all of Kosovo: the national role and administrators edit it, never a municipality."""
    return _is_authenticated(user) and user.role in {Role.ADMIN, Role.NATIONAL}


def follows_mechanism_work(user) -> bool:
    """Coordinators and focal points of a municipality: the dashboard panels of the plan's
    and the meetings' work (reviews and overdue tasks, or one's own actions and tasks)."""
    return (
        _is_authenticated(user)
        and user.role in {Role.COORDINATOR, Role.FOCAL_POINT}
        and bool(user.municipality_id)
    )


def follow_ups_own_institution_only(user) -> bool | None:
    """Which follow-up tasks a user acts on: ``False`` all of the municipality's (the
    coordinator), ``True`` their own institution's (a focal point), ``None`` none."""
    if not _is_authenticated(user):
        return None
    if user.role == Role.COORDINATOR:
        return False
    if user.role == Role.FOCAL_POINT:
        return True
    return None


#: One-argument rules templates may ask (``{% load scoping %}{% if user|may:"rule" %}``).
TEMPLATE_RULES = frozenset(
    {
        "can_read_records",
        "can_read_completeness",
        "can_read_aggregates",
        "can_manage_catalogue",
        "reports_for_own_institution",
        "works_for_institution",
    }
)


def can_read_audit(user) -> bool:
    return _is_authenticated(user) and user.role in {Role.ADMIN, Role.COORDINATOR}


def can_read_outbox(user) -> bool:
    """The e-mail outbox (mkk.notifications): coordinators their municipality's, admins all."""
    return _is_authenticated(user) and user.role in {Role.ADMIN, Role.COORDINATOR}


# --- Case records (mkk.cases): who sees what ----------------------------------------------


def can_work_cases(user) -> bool:
    """A case worker opens and handles the cases of their institution."""
    return _is_authenticated(user) and user.role == Role.CASE_WORKER and bool(user.institution_id)


def can_read_case_rows(user) -> bool:
    """Per-case rows (reference, institution, dates, referral targets): the municipal
    coordinator (their municipality) and administrators. The national coordinator sees
    aggregates only: figures per municipality, never a row per case."""
    return _is_authenticated(user) and user.role in {Role.ADMIN, Role.COORDINATOR}


def can_read_case_references(user) -> bool:
    """Pseudonymous case lists and figures (references, dates, response times; never identity):
    municipal and national coordinators and administrators. Focal points and viewers: none."""
    return _is_authenticated(user) and user.role in {Role.ADMIN, Role.NATIONAL, Role.COORDINATOR}


def scope_case_records(user, queryset: models.QuerySet[M], *, shared=None) -> models.QuerySet[M]:
    """Case records a case worker may open: rows of their own institution (the model's
    ``scope_institution``) and rows for which ``shared(institution_id)`` — a ``Q`` such as
    "an accepted referral to that institution" — holds. Every other role gets none: they
    read cases only through pseudonymous lists (``scope`` + ``can_read_case_references``).
    """
    if not can_work_cases(user):
        return queryset.none()
    inst_path = _path(queryset.model, "scope_institution")
    if not inst_path:
        raise TypeError(f"{queryset.model.__name__} does not declare scope_institution")
    condition = models.Q(**{inst_path: user.institution_id})
    if shared is not None:
        condition |= shared(user.institution_id)
    return queryset.filter(condition).distinct()


def can_see_cases(user) -> bool:
    """The cases section: case workers (their institution's cases) and those who read the
    pseudonymous lists and figures."""
    return can_work_cases(user) or can_read_case_references(user)


def can_handle_case(user, handling_institution_ids: Callable[[], Iterable[int]]) -> bool:
    """Work on a case: a case worker of the owner or of an institution that accepted a referral
    of it (``handling_institution_ids()``, asked only for a case worker)."""
    return can_work_cases(user) and user.institution_id in set(handling_institution_ids())


def can_see_case_identity(user, case, shared_institution_ids: Callable[[], Iterable[int]]) -> bool:
    """A case's identity: never once anonymised; else ``can_read_identity`` with the case's
    owner (``case.institution_id``) and the institutions it was shared with."""
    if case.is_anonymized:
        return False
    return can_read_identity(
        user,
        owner_institution_id=case.institution_id,
        shared_institution_ids=shared_institution_ids(),
    )


def can_read_identity(user, *, owner_institution_id: int | None, shared_institution_ids=()) -> bool:
    """A victim's identity: only case workers of the owning institution, and of institutions
    that accepted a referral with the victim's consent or a legal ground recorded."""
    if not can_work_cases(user):
        return False
    return user.institution_id == owner_institution_id or user.institution_id in set(
        shared_institution_ids
    )


def works_for_institution(user) -> bool:
    """A focal point or case worker bound to an institution of a municipality: the people whose
    day is the institution's own work (the "My work" page)."""
    return (
        _is_authenticated(user)
        and user.role in INSTITUTION_ROLES
        and bool(user.institution_id)
        and bool(user.municipality_id)
    )


# --- Approvals: four eyes and the Mayor's approval ----------------------------------------


def _mechanism_of(municipality_id):
    from mkk.directory.models import Mechanism

    return Mechanism.objects.filter(municipality_id=municipality_id).first()


def can_approve(user, municipality_id: int | None, *, author_id: int | None) -> bool:
    """Four eyes: approve (or return) a submission, a progress update or a report of that
    municipality. Nobody approves what they submitted themselves. The coordinator (and an
    administrator) approves the work of others; the municipality's named deputy approver
    approves too, so that a municipality with a single coordinator can approve what the
    coordinator entered herself."""
    if not _is_authenticated(user):
        return False
    if author_id is not None and user.pk == author_id:
        return False
    if can_manage_mechanism(user, municipality_id):
        return True
    return is_deputy_approver(user, municipality_id)


def is_deputy_approver(user, municipality_id: int | None) -> bool:
    if not _is_authenticated(user) or municipality_id is None:
        return False
    if user.municipality_id != municipality_id:
        return False
    mechanism = _mechanism_of(municipality_id)
    return bool(mechanism and mechanism.deputy_approver_id == user.pk)


def can_approve_report(user, municipality_id: int | None, *, author_id: int | None) -> bool:
    """The Mayor's approval of a monitoring report: a viewer account of that municipality
    (the Mayor's office) or the person the mechanism names as the report's approver; never
    the person who submitted the report (four eyes)."""
    if not _is_authenticated(user) or municipality_id is None:
        return False
    if author_id is not None and user.pk == author_id:
        return False
    if user.municipality_id != municipality_id and user.role != Role.ADMIN:
        return False
    if user.role == Role.VIEWER:
        return True
    mechanism = _mechanism_of(municipality_id)
    return bool(mechanism and mechanism.report_approver_id == user.pk)


def can_review_in(user, municipality_id: int | None) -> bool:
    """Sees what waits for review in a municipality (progress updates, statistics submissions):
    the coordinator or the deputy approver (``can_approve`` then refuses one's own work)."""
    return can_manage_mechanism(user, municipality_id) or is_deputy_approver(user, municipality_id)


def can_see_report_drafts(user, municipality_id: int | None) -> bool:
    """Monitoring reports before they are submitted: those who manage the mechanism."""
    return can_manage_mechanism(user, municipality_id)


def can_decide_report(user, report) -> bool:
    """The Mayor (or the named approver) may approve or return this report now (it is
    submitted: ``report.is_submitted``)."""
    return report.is_submitted and can_approve_report(
        user, report.mechanism.municipality_id, author_id=report.submitted_by_id
    )


def can_record_meetings(user, municipality) -> bool:
    """May record meetings and activities here: manages the mechanism, and there is one (a
    municipality onboarded without a mechanism yet offers no "new" link that would answer 403)."""
    return (
        can_manage_mechanism(user, municipality.pk) and _mechanism_of(municipality.pk) is not None
    )


# --- Action plans (mkk.plans): reads ``action.plan.mechanism.municipality_id`` and the action's
# institution links (``action.lead_links``, ``action.institution_links``) -------------------


def can_report_progress(user, action) -> bool:
    """Reports progress on an action: the focal point of a lead institution (of the action's
    municipality); the coordinator or an administrator for anyone."""
    municipality_id = action.plan.mechanism.municipality_id
    if can_manage_mechanism(user, municipality_id):
        return True
    return any(
        can_submit_for_institution(user, link.institution_id)
        for link in action.lead_links
        if link.institution_id
    ) and (user.municipality_id == municipality_id)


def can_review_progress(user, plan) -> bool:
    """Sees the plan's updates waiting for review: the coordinator, or the deputy approver."""
    return can_review_in(user, plan.mechanism.municipality_id)


def can_approve_progress(user, update) -> bool:
    """Four eyes: a reviewer who did not write the progress update (``can_approve``)."""
    return can_approve(
        user, update.action.plan.mechanism.municipality_id, author_id=update.submitted_by_id
    )


def can_see_progress_files(user, action) -> bool:
    """Evidence is shown to the coordinator, admins, and the action's own institutions."""
    municipality_id = action.plan.mechanism.municipality_id
    if can_manage_mechanism(user, municipality_id):
        return True
    if not can_read_records(user) or user.municipality_id != municipality_id:
        return False
    return any(
        link.institution_id == user.institution_id and link.institution_id
        for link in action.institution_links.all()
    )
