"""Every write of members/services.py: the new state and its audit entry, or a refusal that changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members import audit, services
from members.access import Action, policy
from members.models import AuditEntry, Member, MemberStatus, Role, RoleAssignment, Unit, UnitKind
from tests.factories import UserFactory


def _entries(action):
    return AuditEntry.objects.filter(action=action)


def test_a_secretary_adds_a_member_to_their_branch(secretary, tree):
    member = services.member_create(actor=secretary, unit=tree.branch_a, full_name="  Ngô   Bảo  Châu ",
                                    card_number="7900000001", position="Bác sĩ")
    assert member.full_name == "Ngô Bảo Châu"
    assert member.sort_name.startswith("chau ")
    entry = _entries(audit.MEMBER_CREATED).get()
    assert (entry.actor, entry.unit, entry.target_id) == (secretary, tree.branch_a, str(member.pk))
    assert entry.after["full_name"] == "Ngô Bảo Châu"


def test_a_secretary_cannot_add_a_member_to_a_sibling_branch(secretary, tree):
    with pytest.raises(PermissionDenied):
        services.member_create(actor=secretary, unit=tree.branch_b, full_name="Ngô Bảo Châu")
    assert not Member.objects.filter(full_name="Ngô Bảo Châu").exists()
    assert not AuditEntry.objects.exists()


def test_members_belong_to_branches_not_to_unions(grassroots_committee, tree):
    with pytest.raises(ValidationError) as error:
        services.member_create(actor=grassroots_committee, unit=tree.g1, full_name="Ngô Bảo Châu")
    assert "unit" in error.value.message_dict


def test_update_records_only_what_changed(secretary, member_in_a):
    services.member_update(actor=secretary, member=member_in_a, full_name=member_in_a.full_name,
                           position="Trưởng nhóm điều dưỡng")
    entry = _entries(audit.MEMBER_UPDATED).get()
    assert entry.after == {"position": "Trưởng nhóm điều dưỡng"}
    assert entry.before == {"position": "Điều dưỡng"}


def test_an_update_that_changes_nothing_writes_nothing(secretary, member_in_a):
    services.member_update(actor=secretary, member=member_in_a, position=member_in_a.position)
    assert not AuditEntry.objects.exists()


def test_a_duplicate_card_number_is_refused(secretary, member_in_a, tree):
    with pytest.raises(ValidationError):
        services.member_create(actor=secretary, unit=tree.branch_a, full_name="Người mới",
                               card_number=member_in_a.card_number)


def test_deactivate_then_reactivate(secretary, member_in_a):
    services.member_deactivate(actor=secretary, member=member_in_a, reason="Chuyển công tác")
    member_in_a.refresh_from_db()
    assert member_in_a.status == MemberStatus.INACTIVE
    entry = _entries(audit.MEMBER_DEACTIVATED).get()
    assert entry.note == "Chuyển công tác"
    assert (entry.before, entry.after) == ({"status": "active"}, {"status": "inactive"})
    services.member_reactivate(actor=secretary, member=member_in_a)
    member_in_a.refresh_from_db()
    assert member_in_a.status == MemberStatus.ACTIVE
    assert _entries(audit.MEMBER_REACTIVATED).count() == 1


def test_deactivating_twice_is_refused_and_changes_nothing(secretary, member_in_a):
    services.member_deactivate(actor=secretary, member=member_in_a, reason="Nghỉ việc")
    with pytest.raises(ValidationError):
        services.member_deactivate(actor=secretary, member=member_in_a, reason="Lần nữa")
    assert AuditEntry.objects.count() == 1


def test_an_inactive_member_cannot_sign_in_and_loses_their_reach(secretary, member_user, tree):
    record = Member.objects.get(user=member_user)
    services.member_deactivate(actor=secretary, member=record, reason="Nghỉ việc")
    member_user.refresh_from_db()
    assert not member_user.is_active
    assert not policy.units(member_user).exists()


def test_transfer_moves_the_member_out_of_the_old_branch_sight(grassroots_committee, secretary,
                                                               sibling_secretary, member_in_a, tree):
    services.member_transfer(actor=grassroots_committee, member=member_in_a, to_unit=tree.branch_b,
                             reason="Điều động")
    member_in_a.refresh_from_db()
    assert member_in_a.unit == tree.branch_b
    assert not policy.members(secretary).filter(pk=member_in_a.pk).exists()
    assert policy.members(sibling_secretary).filter(pk=member_in_a.pk).exists()
    entry = _entries(audit.MEMBER_TRANSFERRED).get()
    assert entry.unit == tree.branch_b
    assert entry.before == {"unit": tree.branch_a.name}


def test_a_secretary_cannot_transfer_out_of_their_reach(secretary, member_in_a, tree):
    with pytest.raises(PermissionDenied):
        services.member_transfer(actor=secretary, member=member_in_a, to_unit=tree.branch_b)
    member_in_a.refresh_from_db()
    assert member_in_a.unit == tree.branch_a


def test_a_member_updates_their_own_contact_details(member_user):
    services.profile_update(actor=member_user, phone="0912345678", email="ha@example.org")
    record = Member.objects.get(user=member_user)
    assert record.phone == "0912345678"
    member_user.refresh_from_db()
    assert member_user.email == "ha@example.org"
    assert _entries(audit.PROFILE_UPDATED).get().after == {"phone": "0912345678", "email": "ha@example.org"}


def test_units_nest_by_kind(superuser, tree):
    with pytest.raises(ValidationError):
        services.unit_create(actor=superuser, parent=tree.branch_a, name="X", code="x", kind=UnitKind.BRANCH,
                             sector="health")
    unit = services.unit_create(actor=superuser, parent=tree.g1, name="Chi đoàn Khoa Nhi", code="khoa-nhi",
                                kind=UnitKind.BRANCH, sector="health")
    assert Unit.objects.get_parent(unit) == tree.g1
    assert _entries(audit.UNIT_CREATED).get().target_id == str(unit.pk)


def test_only_site_administrators_change_the_tree_and_roles(city_committee, tree):
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=city_committee, parent=tree.g1, name="X", code="x", kind=UnitKind.BRANCH,
                             sector="health")
    with pytest.raises(PermissionDenied):
        services.role_assign(actor=city_committee, user=city_committee, unit=tree.g1, role=Role.SECRETARY)


def test_assigning_and_revoking_a_role(superuser, tree):
    user = UserFactory(username="new-secretary")
    assignment = services.role_assign(actor=superuser, user=user, unit=tree.branch_b, role=Role.SECRETARY)
    assert policy.can(user, Action.MANAGE_MEMBERS, tree.branch_b)
    services.role_revoke(actor=superuser, assignment=assignment)
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert not policy.can(user, Action.MANAGE_MEMBERS, tree.branch_b)
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        audit.ROLE_ASSIGNED, audit.ROLE_REVOKED]


def test_unregistered_audit_actions_are_refused(tree):
    with pytest.raises(ValueError):
        audit.record(action="member.teleported", actor=None, unit=tree.city)


def test_a_unit_cannot_become_a_branch_while_it_has_branches(superuser, tree):
    with pytest.raises(ValidationError):
        services.unit_update(actor=superuser, unit=tree.g1, kind=UnitKind.BRANCH)
    tree.g1.refresh_from_db()
    assert tree.g1.kind == UnitKind.GRASSROOTS


def test_renaming_a_unit_is_audited(superuser, tree):
    services.unit_update(actor=superuser, unit=tree.branch_a, name="Chi đoàn Khoa Nội tổng hợp")
    entry = AuditEntry.objects.get(action=audit.UNIT_UPDATED)
    assert entry.after == {"name": "Chi đoàn Khoa Nội tổng hợp"}


def test_a_branch_cannot_shut_out_an_officer_listed_in_it(secretary, grassroots_committee, tree):
    listed = Member.objects.create(unit=tree.branch_a, full_name="Trần Thị Mỹ Hạnh", user=grassroots_committee)
    services.member_deactivate(actor=secretary, member=listed, reason="Thử")
    grassroots_committee.refresh_from_db()
    assert grassroots_committee.is_active


def test_reactivation_does_not_undo_an_administrators_suspension(secretary, member_user):
    record = Member.objects.get(user=member_user)
    member_user.is_active = False
    member_user.save()
    services.member_deactivate(actor=secretary, member=record, reason="Nghỉ")
    services.member_reactivate(actor=secretary, member=record)
    member_user.refresh_from_db()
    assert not member_user.is_active


def test_reactivation_reopens_the_sign_in_deactivation_closed(secretary, member_user):
    record = Member.objects.get(user=member_user)
    services.member_deactivate(actor=secretary, member=record, reason="Nghỉ")
    services.member_reactivate(actor=secretary, member=record)
    member_user.refresh_from_db()
    assert member_user.is_active
