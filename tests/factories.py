"""factory_boy factories shared by every app's tests. Synthetic data only."""

from __future__ import annotations

import functools

import factory
from django.contrib.auth.hashers import make_password

from mkk.accounts.models import Role, User
from mkk.directory.models import (
    EmergencyContact,
    Institution,
    InstitutionKind,
    Mechanism,
    Membership,
    Municipality,
)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"komuna{n}")
    name_sq = factory.LazyAttribute(lambda o: o.code.capitalize())
    name_sr = factory.LazyAttribute(lambda o: o.code.capitalize())
    name_en = factory.LazyAttribute(lambda o: o.code.capitalize())


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = InstitutionKind.POLICE
    name_sq = factory.Sequence(lambda n: f"Institucioni {n}")
    name_en = factory.Sequence(lambda n: f"Institution {n}")
    name_sr = factory.Sequence(lambda n: f"Institucija {n}")


class MechanismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mechanism
        django_get_or_create = ("municipality",)

    municipality = factory.SubFactory(MunicipalityFactory)
    decision_number = "01-000/01-1"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    mechanism = factory.SubFactory(MechanismFactory)
    institution = factory.SubFactory(
        InstitutionFactory, municipality=factory.SelfAttribute("..mechanism.municipality")
    )


class EmergencyContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmergencyContact

    municipality = factory.SubFactory(MunicipalityFactory)
    name_sq = factory.Sequence(lambda n: f"Kontakti {n}")
    numbers = factory.LazyFunction(lambda: ["0800 00 000"])


@functools.cache
def _password_hash(password: str) -> str:
    """The hash of the test password, made once (every user is then one insert)."""
    return make_password(password)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    class Params:
        raw_password = "test-password-123"

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.VIEWER
    password = factory.LazyAttribute(lambda o: _password_hash(o.raw_password))
