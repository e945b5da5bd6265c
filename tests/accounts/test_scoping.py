"""The access-scoping module: who sees which municipality and institution."""

import pytest
from django.http import Http404

from mkk.accounts import scoping
from mkk.audit.models import AuditEntry
from mkk.directory.models import Institution, Membership, Municipality
from mkk.directory.models import InstitutionKind as K


@pytest.mark.django_db
def test_municipal_roles_see_only_their_municipality(world):
    for user in world.drenas.users.values():
        codes = set(scoping.scope(user, Municipality.objects.all()).values_list("code", flat=True))
        assert codes == {"drenas"}, user.username
        insts = scoping.scope(user, Institution.objects.all())
        assert set(insts.values_list("municipality__code", flat=True)) == {"drenas"}


@pytest.mark.django_db
def test_admin_and_national_see_every_municipality(world):
    for user in (world.admin, world.national):
        assert scoping.municipality_ids(user) is None
        codes = set(scoping.scope(user, Municipality.objects.all()).values_list("code", flat=True))
        # The directory holds all of Kosovo (data migration) besides the test world.
        assert codes == set(Municipality.objects.values_list("code", flat=True))
        assert {"drenas", "gjilan"} <= codes and len(codes) >= 38


@pytest.mark.django_db
def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not scoping.scope(AnonymousUser(), Municipality.objects.all()).exists()


@pytest.mark.django_db
def test_own_institution_limits_institution_roles(world):
    focal = world.drenas.users["focal_police"]
    own = scoping.scope(focal, Membership.objects.all(), own_institution=True)
    assert set(own.values_list("institution__kind", flat=True)) == {K.POLICE}
    # the coordinator is not limited to one institution
    coord = world.drenas.users["coordinator"]
    assert scoping.scope(coord, Membership.objects.all(), own_institution=True).count() == len(
        world.drenas.institutions
    )


@pytest.mark.django_db
def test_get_for_user_hides_other_municipality_as_404(world):
    user = world.drenas.users["coordinator"]
    theirs = world.gjilan.inst(K.POLICE)
    with pytest.raises(Http404):
        scoping.get_for_user(user, Institution, pk=theirs.pk)
    with pytest.raises(Http404):
        scoping.get_for_user(user, Institution, pk=999_999)
    mine = world.drenas.inst(K.POLICE)
    assert scoping.get_for_user(user, Institution, pk=mine.pk) == mine


@pytest.mark.django_db
def test_model_without_scope_declaration_is_refused(world):
    from mkk.accounts.models import User

    with pytest.raises(TypeError):
        scoping.scope(world.admin, User.objects.all())


@pytest.mark.django_db
def test_role_capabilities(world):
    d = world.drenas
    assert scoping.can_manage_mechanism(d.users["coordinator"], d.municipality.pk)
    assert not scoping.can_manage_mechanism(d.users["coordinator"], world.gjilan.municipality.pk)
    assert not scoping.can_manage_mechanism(d.users["focal_police"], d.municipality.pk)
    assert scoping.can_manage_mechanism(world.admin, d.municipality.pk)
    assert scoping.can_submit_for_institution(d.users["focal_police"], d.inst(K.POLICE).pk)
    assert not scoping.can_submit_for_institution(d.users["focal_police"], d.inst(K.SOCIAL_WORK).pk)
    assert not scoping.can_read_records(world.national)
    assert scoping.can_read_aggregates(world.national)
    assert not scoping.can_read_aggregates(d.users["viewer"])
    assert scoping.can_read_audit(d.users["coordinator"])
    assert not scoping.can_read_audit(d.users["focal_police"])


@pytest.mark.django_db
def test_audit_entries_scoped_to_municipality(world):
    from mkk.audit.services import record

    record("other", world.drenas.inst(K.POLICE))
    record("other", world.gjilan.inst(K.POLICE))
    seen = scoping.scope(world.drenas.users["coordinator"], AuditEntry.objects.all())
    assert set(seen.values_list("municipality__code", flat=True)) == {"drenas"}


@pytest.mark.django_db
def test_rules_moved_into_scoping(world):
    """The rules that lived in the apps, as scoping states them."""
    d = world.drenas
    coordinator, focal, case = (
        d.users["coordinator"],
        d.users["focal_police"],
        d.users["case_police"],
    )
    # The statistics catalogue is national: never a municipality's coordinator.
    assert scoping.can_manage_catalogue(world.national) and scoping.can_manage_catalogue(
        world.admin
    )
    assert not scoping.can_manage_catalogue(coordinator)
    assert not scoping.can_manage_catalogue(focal)
    # Onboarding a municipality: administrators only.
    assert scoping.can_onboard_municipality(world.admin)
    assert not scoping.can_onboard_municipality(coordinator)
    # The coordinator of that municipality (not an administrator acting for it).
    assert scoping.coordinates(coordinator, d.municipality.pk)
    assert not scoping.coordinates(coordinator, world.gjilan.municipality.pk)
    assert not scoping.coordinates(world.admin, d.municipality.pk)
    assert scoping.is_focal_point_of(focal, d.inst(K.POLICE).pk)
    assert not scoping.is_focal_point_of(case, d.inst(K.POLICE).pk)
    assert scoping.reports_for_own_institution(focal)
    assert not scoping.reports_for_own_institution(coordinator)
    # Who enters figures at all; who sees the cases section.
    assert scoping.can_enter_figures(focal) and scoping.can_enter_figures(coordinator)
    assert not scoping.can_enter_figures(world.national) and not scoping.can_enter_figures(case)
    assert scoping.can_see_cases(case) and scoping.can_see_cases(world.national)
    assert not scoping.can_see_cases(focal) and not scoping.can_see_cases(d.users["viewer"])
    # Follow-up tasks: the coordinator all of the municipality's, a focal point their own.
    assert scoping.follow_ups_own_institution_only(coordinator) is False
    assert scoping.follow_ups_own_institution_only(focal) is True
    assert scoping.follow_ups_own_institution_only(world.national) is None


def test_templates_ask_scoping_by_name():
    from django.template import Context, Template, TemplateSyntaxError

    for rule in scoping.TEMPLATE_RULES:
        assert callable(getattr(scoping, rule)), rule
    with pytest.raises(TemplateSyntaxError):
        Template('{% load scoping %}{% if user|may:"no_such_rule" %}x{% endif %}').render(
            Context({"user": None})
        )
