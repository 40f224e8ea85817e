import factory
from django.contrib.auth.models import Group

from accounts.constants import Role
from accounts.models import User

# The function a staff record carries: decisions and resolutions are signed with the official's
# name, surname and function (Administrative Procedure Code § 69(1), outside the seeds).
STAFF_FUNCTIONS: dict[str, str] = {
    Role.CASEWORKER: "referent",
    Role.SUPERVISOR: "vedoucí oddělení",
    Role.SUPPORT: "pracovník kontaktního centra",
    Role.ADMIN: "správce systému",
}
SUPERUSER_FUNCTION = "správce systému"


def function_for(role: str | None, *, is_superuser: bool) -> str:
    """A staff member's function by role; applicants have none."""
    if role in STAFF_FUNCTIONS:
        return STAFF_FUNCTIONS[role]
    return SUPERUSER_FUNCTION if is_superuser else ""


class UserFactory(factory.django.DjangoModelFactory):
    """A person who logs in. ``role`` puts them in that role's group; staff (a staff role, or a
    superuser) get a function to sign with, as every staff record must have. A test may still
    pass ``job_title=""`` for an incomplete record."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("password-for-tests")
    is_superuser = False
    role = None
    job_title = factory.LazyAttribute(lambda o: function_for(o.role, is_superuser=o.is_superuser))

    @classmethod
    def _build(cls, model_class, *args, role=None, **kwargs):
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, role=None, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user
