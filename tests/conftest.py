"""Personas and the unit tree every test can use.

The tree:  city → sector → grassroots G1 → branches A and B;  sector → grassroots G2 → branch C.
Personas: anonymous; a member of A; the secretary of A; the secretary of B (sibling); the committee of G1;
the committee of the city; an outsider (secretary of C, outside G1); a superuser.
"""

import importlib
import io
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from members.models import Role, Sector, Unit, UnitKind
from movements import services as movement_services
from movements.models import Commitment, MovementYear
from reports import caching
from tests.factories import MemberFactory, RoleAssignmentFactory, UserFactory, make_unit
from tests.movements.helpers import make_commitment, pledge_values, year_dates

# The catalogues the data migrations fill (award titles, models of advanced collectives), which a transactional
# test's flush empties for the tests after it on the same worker.
CATALOGUES = [("campaigns.migrations.0002_award_titles", "add_titles"),
              ("movements.migrations.0002_collective_catalogue", "add_models")]


def seed_demo():
    """The demo data, as `make run` loads it, whatever test ran before on this worker."""
    for module, function in CATALOGUES:
        getattr(importlib.import_module(module), function)(apps, None)
    call_command("seed_demo", stdout=io.StringIO())


@dataclass
class Tree:
    city: Unit
    sector: Unit
    g1: Unit
    branch_a: Unit
    branch_b: Unit
    g2: Unit
    branch_c: Unit


@pytest.fixture
def tree(db) -> Tree:
    city = make_unit(parent=None, code="city", kind=UnitKind.CITY, sector=Sector.ADMINISTRATIVE,
                     name="Thành Đoàn")
    sector = make_unit(parent=city, code="sector", kind=UnitKind.SECTOR, name="Đoàn Sở Y tế")
    g1 = make_unit(parent=sector, code="g1", kind=UnitKind.GRASSROOTS, name="Đoàn Bệnh viện Gia Định")
    branch_a = make_unit(parent=g1, code="branch-a", kind=UnitKind.BRANCH, name="Chi đoàn Khoa Nội")
    branch_b = make_unit(parent=g1, code="branch-b", kind=UnitKind.BRANCH, name="Chi đoàn Khoa Ngoại")
    g2 = make_unit(parent=sector, code="g2", kind=UnitKind.GRASSROOTS, name="Đoàn Trung tâm Y tế Bình Thạnh")
    branch_c = make_unit(parent=g2, code="branch-c", kind=UnitKind.BRANCH, name="Chi đoàn Xét nghiệm")
    return Tree(city, sector, g1, branch_a, branch_b, g2, branch_c)


def _officer(username: str, unit: Unit, role: Role, *, member_of: Unit | None = None):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, unit=unit, role=role)
    if member_of is not None:
        MemberFactory(user=user, unit=member_of, full_name=f"Bí thư {username}")
    return user


@pytest.fixture
def member_user(tree):
    user = UserFactory(username="doanvien")
    MemberFactory(user=user, unit=tree.branch_a, full_name="Võ Thị Thu Hà")
    return user


@pytest.fixture
def secretary(tree):
    return _officer("bithu", tree.branch_a, Role.SECRETARY, member_of=tree.branch_a)


@pytest.fixture
def sibling_secretary(tree):
    return _officer("bithu2", tree.branch_b, Role.SECRETARY, member_of=tree.branch_b)


@pytest.fixture
def grassroots_committee(tree):
    return _officer("thuongvu", tree.g1, Role.COMMITTEE)


@pytest.fixture
def city_committee(tree):
    return _officer("thanhdoan", tree.city, Role.COMMITTEE)


@pytest.fixture
def outsider(tree):
    return _officer("bithu-c", tree.branch_c, Role.SECRETARY, member_of=tree.branch_c)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def member_in_a(tree):
    return MemberFactory(unit=tree.branch_a, full_name="Lê Minh Khoa")


@pytest.fixture
def member_in_c(tree):
    return MemberFactory(unit=tree.branch_c, full_name="Đặng Thùy Linh")


PERSONAS = ("anonymous", "member_user", "secretary", "sibling_secretary", "grassroots_committee",
            "city_committee", "outsider", "superuser")


@pytest.fixture
def personas(member_user, secretary, sibling_secretary, grassroots_committee, city_committee, outsider, superuser):
    return {
        "anonymous": None, "member_user": member_user, "secretary": secretary,
        "sibling_secretary": sibling_secretary, "grassroots_committee": grassroots_committee,
        "city_committee": city_committee, "outsider": outsider, "superuser": superuser,
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow on purpose; the suite creates hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Background jobs run within the request in tests; the database queue and its worker are for deployments.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _figures_drawn_at_once(monkeypatch):
    # A test process's first figures may take longer than a city's, while it loads what it needs: the pages would
    # show the figures of before a change and draw the new ones after the answer. The tests of that lower it.
    monkeypatch.setattr(caching, "DRAWN_AFTER_ANSWER_SECONDS", float("inf"))


@pytest.fixture
def movement_year(tree, superuser) -> MovementYear:
    """The sector union's year, published, with registration open today."""
    today = timezone.localdate()
    year = movement_services.year_open(actor=superuser, unit=tree.sector, year=today.year, **year_dates(today))
    return movement_services.year_publish(actor=superuser, movement_year=year)


@pytest.fixture
def submitted_commitment(member_user, movement_year) -> Commitment:
    commitment = movement_services.commitment_save(actor=member_user, movement_year=movement_year,
                                                   pledges=pledge_values(movement_year))
    return movement_services.commitment_submit(actor=member_user, commitment=commitment)


@pytest.fixture
def commitment_in_a(member_in_a, movement_year) -> Commitment:
    return make_commitment(member_in_a, movement_year)


@pytest.fixture
def commitment_in_c(member_in_c, movement_year) -> Commitment:
    return make_commitment(member_in_c, movement_year)
