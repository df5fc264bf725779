import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from members.models import Gender, Member, RoleAssignment, Sector, Unit, UnitKind

PASSWORD = "Test@2026-pass"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Nguyễn Thị Hà"
    last_name = ""
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist_password(user, create, extracted, **kwargs):
        if create:
            user.save()


def make_unit(*, parent: Unit | None, code: str, kind: UnitKind, sector: Sector = Sector.HEALTH, name=None) -> Unit:
    values = {"code": code, "name": name or code, "kind": kind, "sector": sector}
    unit = Unit.objects.add_child(parent, values) if parent is not None else Unit.objects.add_root(values)
    return Unit.objects.get(pk=unit.pk)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    full_name = factory.Sequence(lambda n: f"Trần Văn Thành {n}")
    gender = Gender.MALE
    card_number = factory.Sequence(lambda n: f"79{n:08d}")
    position = "Điều dưỡng"
    birth_date = factory.Faker("date_of_birth", minimum_age=20, maximum_age=30)
    # Agreed at first sign-in; tests of the notice itself make a member who has not.
    notice_accepted_at = factory.LazyFunction(timezone.now)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
