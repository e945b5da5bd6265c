"""Id-taking URLs of accounts, with an object of Gjilan."""

from mkk.directory.models import Membership

CASES = {
    "accounts:users": lambda world: {"code": world.gjilan.municipality.code},
    "accounts:user_invite": lambda world: {"code": world.gjilan.municipality.code},
    "accounts:user": lambda world: {"pk": world.gjilan.users["focal_police"].pk},
    "accounts:focal_person": lambda world: {
        "pk": Membership.objects.filter(mechanism=world.gjilan.mechanism).first().pk
    },
}
