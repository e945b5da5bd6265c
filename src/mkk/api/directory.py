"""The directory: municipalities, institutions, the mechanism's members, public contacts."""

from ninja import Path, Router
from ninja.pagination import paginate

from mkk.accounts import scoping
from mkk.directory import selectors as directory_selectors
from mkk.directory.i18n import localized
from mkk.directory.models import Institution, Municipality

from . import common as c
from . import schemas as s

router = Router(tags=["directory"])


def _names(obj) -> dict:
    return {"sq": obj.name_sq, "sr": obj.name_sr or obj.name_sq, "en": obj.name_en or obj.name_sq}


def _municipality_out(m: Municipality) -> dict:
    return {"code": m.code, "name": localized(m, "name"), "names": _names(m)}


def _institution_out(i: Institution) -> dict:
    return {
        "id": i.pk,
        "municipality": i.municipality.code,
        "kind": i.kind,
        "kind_label": str(i.get_kind_display()),
        "name": localized(i, "name"),
        "names": _names(i),
        "abbreviation": i.abbreviation,
        "phone": i.phone,
        "email": i.email,
        "address": i.address,
        "is_active": i.is_active,
    }


@router.get(
    "/municipalities", response=c.answers(list[s.MunicipalityOut]), operation_id="municipalities"
)
@paginate(c.Pages)
def municipalities(request):
    """The municipalities the token's user may read (all of them for national roles)."""
    return [_municipality_out(m) for m in directory_selectors.municipalities_for(request.user)]


@router.get(
    "/municipalities/{code}",
    response=c.answers(s.MunicipalityDetailOut),
    operation_id="municipality",
)
def municipality(request, code: str = Path(..., pattern=s.MUNICIPALITY_CODE)):
    m = directory_selectors.municipality_for(request.user, code)
    scoping.require(scoping.can_read_aggregates(request.user))
    mech = directory_selectors.mechanism_of(m)
    out = _municipality_out(m)
    out["mechanism"] = None
    if mech is not None:
        out["mechanism"] = {
            "name": mech.name,
            "decision_number": mech.decision_number,
            "decision_date": mech.decision_date,
            "coordinator_name": mech.coordinator_name,
            "coordinator_title": mech.coordinator_title,
            "members": [
                {
                    "institution_id": ms.institution_id,
                    "institution": localized(ms.institution, "name"),
                    "role": ms.role,
                    "focal_person": ms.focal_person,
                    "focal_person_title": ms.focal_person_title,
                }
                for ms in directory_selectors.memberships(mech)
            ],
        }
    return out


@router.get(
    "/institutions",
    response=c.answers(list[s.InstitutionOut]),
    operation_id="institutions",
)
@paginate(c.Pages)
def institutions(request, municipality: str | None = c.code_param()):
    m = c.municipality_of(request, municipality)
    scoping.require(scoping.can_read_aggregates(request.user))
    qs = directory_selectors.institutions_for(request.user, m)
    return [_institution_out(i) for i in qs]


@router.get(
    "/institutions/{institution_id}",
    response=c.answers(s.InstitutionOut),
    operation_id="institution",
)
def institution(request, institution_id: int = c.path_id()):
    inst = directory_selectors.institution_for(request.user, institution_id)
    scoping.require(scoping.can_read_aggregates(request.user))
    return _institution_out(inst)


@router.get("/contacts", response=c.answers(list[s.ContactOut]), operation_id="contacts")
@paginate(c.Pages)
def contacts(request, municipality: str | None = c.code_param()):
    """Public emergency contacts (the numbers a municipality publishes)."""
    m = c.municipality_of(request, municipality)
    qs = c.narrowed(directory_selectors.contacts_for(request.user), municipality=m)
    return [
        {
            "id": c.pk,
            "municipality": c.municipality.code,
            "institution_id": c.institution_id,
            "name": localized(c, "name"),
            "numbers": [str(n) for n in c.numbers],
            "free_of_charge": c.free_of_charge,
        }
        for c in qs
    ]
