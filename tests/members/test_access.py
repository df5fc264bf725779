"""The policy-level matrix: which units each persona sees, and where each may act."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.access import Action, policy
from members.models import Member, Role
from tests.factories import RoleAssignmentFactory

EVERYTHING = {"city", "sector", "g1", "branch-a", "branch-b", "g2", "branch-c"}
G1 = {"g1", "branch-a", "branch-b"}

# persona: (units seen with any role, units where members may be managed)
SCOPES = {
    "member_user": ({"branch-a"}, set()),
    "secretary": ({"branch-a"}, {"branch-a"}),
    "sibling_secretary": ({"branch-b"}, {"branch-b"}),
    "grassroots_committee": (G1, G1),
    "city_committee": (EVERYTHING, EVERYTHING),
    "outsider": ({"branch-c"}, {"branch-c"}),
    "superuser": (EVERYTHING, EVERYTHING),
}


@pytest.mark.parametrize("persona", sorted(SCOPES))
def test_each_persona_sees_exactly_its_subtree(persona, personas):
    user = personas[persona]
    seen, managed = SCOPES[persona]
    assert set(policy.units(user).values_list("code", flat=True)) == seen
    assert set(policy.units(user, Action.MANAGE_MEMBERS).values_list("code", flat=True)) == managed


def test_anonymous_sees_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.units(AnonymousUser()).exists()
    assert not policy.members(AnonymousUser()).exists()


def test_read_only_roles_reach_the_subtree_but_not_personal_data(tree, member_in_a):
    user = RoleAssignmentFactory(unit=tree.g1, role=Role.LEADERSHIP_VIEWER).user
    assert policy.sees(user, tree.branch_a)
    assert not policy.can(user, Action.VIEW_MEMBERS, tree.branch_a)
    with pytest.raises(PermissionDenied):
        policy.get_member(user, Action.VIEW_MEMBERS, member_in_a.pk)
    with pytest.raises(Http404):
        policy.get_member(user, Action.VIEW_MEMBERS, Member.objects.create(unit=tree.branch_c, full_name="X").pk)


def test_a_member_sees_their_own_record_but_not_their_neighbours(member_user, member_in_a):
    own = Member.objects.get(user=member_user)
    assert policy.get_member(member_user, Action.VIEW_MEMBERS, own.pk) == own
    with pytest.raises(PermissionDenied):
        policy.get_member(member_user, Action.VIEW_MEMBERS, member_in_a.pk)


def test_an_inactive_account_reaches_nothing(secretary, tree):
    secretary.is_active = False
    secretary.save()
    assert not policy.units(secretary).exists()
    assert not policy.can(secretary, Action.VIEW_MEMBERS, tree.branch_a)


def test_nested_roles_make_one_prefix(city_committee, tree):
    RoleAssignmentFactory(user=city_committee, unit=tree.g1, role=Role.SECRETARY)
    city_committee._access_grants = None
    assert str(policy.members(city_committee).query).count("LIKE") == 1
