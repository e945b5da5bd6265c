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

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from .models import INSTITUTION_ROLES, Role

M = TypeVar("M", bound=models.Model)

ALL_MUNICIPALITIES_ROLES = {Role.ADMIN, Role.NATIONAL}


def _is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


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
