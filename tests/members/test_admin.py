"""The Django admin changes data through the same services as the pages, so the audit log sees it all."""

from django.urls import reverse

from members import audit
from members.models import AuditEntry, Member, MemberStatus, Role, RoleAssignment, Unit
from tests.conftest import client_for
from tests.factories import UserFactory


def test_adding_a_member_in_the_admin_is_audited(superuser, tree):
    response = client_for(superuser).post(reverse("admin:members_member_add"), {
        "unit": tree.branch_a.pk, "full_name": "Hồ Ngọc Hân", "gender": "female", "is_union_member": "on",
        "card_number": "7912345678", "position": "Dược sĩ", "phone": "", "email": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get(full_name="Hồ Ngọc Hân")
    assert AuditEntry.objects.get(action=audit.MEMBER_CREATED).target_id == str(member.pk)


def test_the_admin_deactivate_action_uses_the_service(superuser, member_in_a):
    client_for(superuser).post(reverse("admin:members_member_changelist"), {
        "action": "deactivate_selected", "_selected_action": [member_in_a.pk]})
    member_in_a.refresh_from_db()
    assert member_in_a.status == MemberStatus.INACTIVE
    assert AuditEntry.objects.filter(action=audit.MEMBER_DEACTIVATED).count() == 1


def test_adding_a_unit_in_the_admin_places_it_in_the_tree(superuser, tree):
    response = client_for(superuser).post(reverse("admin:members_unit_add"), {
        "parent": tree.g2.pk, "name": "Chi đoàn Khoa Dược", "code": "khoa-duoc", "kind": "branch",
        "sector": "health", "is_active": "on"})
    assert response.status_code == 302
    unit = Unit.objects.get(code="khoa-duoc")
    assert Unit.objects.get_parent(unit) == tree.g2
    assert AuditEntry.objects.filter(action=audit.UNIT_CREATED, target_id=str(unit.pk)).exists()


def test_a_unit_of_the_wrong_kind_is_refused_at_the_field(superuser, tree):
    response = client_for(superuser).post(reverse("admin:members_unit_add"), {
        "parent": tree.branch_a.pk, "name": "Tổ", "code": "to", "kind": "branch", "sector": "health"})
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    assert not Unit.objects.filter(code="to").exists()


def test_roles_are_given_and_taken_back_in_the_admin(superuser, tree):
    user = UserFactory(username="pho-bi-thu")
    client = client_for(superuser)
    client.post(reverse("admin:members_roleassignment_add"),
                {"user": user.pk, "unit": tree.branch_b.pk, "role": Role.DEPUTY_SECRETARY})
    assignment = RoleAssignment.objects.get(user=user)
    client.post(reverse("admin:members_roleassignment_delete", args=[assignment.pk]), {"post": "yes"})
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        audit.ROLE_ASSIGNED, audit.ROLE_REVOKED]
