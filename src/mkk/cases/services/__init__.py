"""Writes of the case layer, by concern. Every function checks who acts, validates, and is
atomic; every state change of a case or referral records its named audit event.

Identity data is read only through ``identity_reveal`` (audited with the user's reason) and
written only through ``case_create``/``identity_update``; no function returns it otherwise.
"""

from __future__ import annotations

from .case_statistics import (
    _people,
    _split_values,
    statistics_from_cases,
    statistics_values,
)
from .common import (
    _clean_save,
    _require,
    _tell_owner,
    can_handle,
    can_see_identity,
    handling_institution_ids,
    owner_workers,
    shared_institution_ids,
)
from .identity import (
    Identity,
    _check_identity,
    _identity_row,
    identity_reveal,
    identity_update,
    identity_version,
)
from .lifecycle import (
    CHILD_MODELS,
    _check_ground,
    _ground_recorded,
    case_close,
    case_create,
    case_reopen,
    case_set_consent,
    child_add,
    child_update,
    incident_add,
    next_reference,
    reference_prefix,
)
from .referrals import (
    FALLBACK_DEADLINE_HOURS,
    _require_receiver,
    deadline_hours,
    deadline_set,
    referral_accept,
    referral_complete,
    referral_decline,
    referral_ground_decide,
    referral_send,
    referral_withdraw,
)
from .retention import (
    cases_anonymize,
    cases_due_for_anonymization,
    retention_days,
    rotate_keys,
)

__all__ = [
    "CHILD_MODELS",
    "FALLBACK_DEADLINE_HOURS",
    "Identity",
    "_check_ground",
    "_check_identity",
    "_clean_save",
    "_ground_recorded",
    "_identity_row",
    "_people",
    "_require",
    "_require_receiver",
    "_split_values",
    "_tell_owner",
    "can_handle",
    "can_see_identity",
    "case_close",
    "case_create",
    "case_reopen",
    "case_set_consent",
    "cases_anonymize",
    "cases_due_for_anonymization",
    "child_add",
    "child_update",
    "deadline_hours",
    "deadline_set",
    "handling_institution_ids",
    "identity_reveal",
    "identity_update",
    "identity_version",
    "incident_add",
    "next_reference",
    "owner_workers",
    "reference_prefix",
    "referral_accept",
    "referral_complete",
    "referral_decline",
    "referral_ground_decide",
    "referral_send",
    "referral_withdraw",
    "retention_days",
    "rotate_keys",
    "shared_institution_ids",
    "statistics_from_cases",
    "statistics_values",
]
