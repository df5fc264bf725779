"""Every write on units, members and roles. Views and the admin call these; nothing else saves these models."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members import audit
from members.access import Action, forget_grants, policy
from members.models import Member, MemberStatus, Role, RoleAssignment, Unit, UnitKind
from members.signals import member_moved
from members.text import fold

# The fields a secretary or committee keeps for a member, and the part a member keeps for themself.
MEMBER_FIELDS = (
    "full_name", "birth_date", "gender", "is_union_member", "card_number", "joined_union_on",
    "position", "phone", "email",
)
PROFILE_FIELDS = ("phone", "email")
UNIT_FIELDS = ("name", "code", "kind", "sector", "is_active")

User = get_user_model()


def require_right(user, action: Action, unit: Unit) -> None:
    if not policy.can(user, action, unit):
        raise PermissionDenied(_("You do not have the right to do this in %(unit)s.") % {"unit": unit})


def _require_site_admin(actor) -> None:
    if not actor.is_superuser:
        raise PermissionDenied(_("Only a site administrator can change units and roles."))


def _require_member_unit(unit: Unit) -> None:
    if unit.kind != UnitKind.BRANCH:
        raise ValidationError({"unit": _("Members belong to a branch: choose a branch, not %(unit)s.") % {"unit": unit}})


def member_create(*, actor, unit: Unit, user=None, **fields) -> Member:
    require_right(actor, Action.MANAGE_MEMBERS, unit)
    _require_member_unit(unit)
    member = Member(unit=unit, user=user, **{name: value for name, value in fields.items() if name in MEMBER_FIELDS})
    member.full_clean()
    with transaction.atomic():
        member.save()
        audit.record(
            action=audit.MEMBER_CREATED, actor=actor, unit=unit, target=member,
            after=audit.snapshot(member, ("unit", *MEMBER_FIELDS)),
        )
    return member


def lock_row(model, pk, *related: str):
    """Lock one row, then read it with its relations as they are now. The locking query has no join: on
    PostgreSQL a row whose foreign key changed while we waited for the lock (a member moved to another unit,
    a registration that followed them) fails the join's recheck and vanishes from the result."""
    model._base_manager.select_for_update().only("pk").get(pk=pk)
    return model._base_manager.select_related(*related).get(pk=pk)


def locked_member(member: Member) -> Member:
    return lock_row(Member, member.pk)


def _apply_changes(instance, allowed: tuple[str, ...], fields: dict) -> tuple[dict, dict]:
    """Set the fields, validate the instance, and return what changed as (before, after) for the audit entry."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"{type(instance).__name__} fields {sorted(unknown)} are not changed here")
    before = audit.snapshot(instance, allowed)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    return audit.changed_fields(before, audit.snapshot(instance, allowed))


def member_update(*, actor, member: Member, **fields) -> Member:
    with transaction.atomic():
        member = locked_member(member)
        require_right(actor, Action.MANAGE_MEMBERS, member.unit)
        before, after = _apply_changes(member, MEMBER_FIELDS, fields)
        if after:
            member.save()
            audit.record(action=audit.MEMBER_UPDATED, actor=actor, unit=member.unit, target=member,
                         before=before, after=after)
    return member


def profile_update(*, actor, **fields) -> Member:
    """A member keeps their own contact details; the rest of the record is the branch's."""
    with transaction.atomic():
        member = Member.objects.select_for_update().get(user=actor)  # no join: see locked_member
        before, after = _apply_changes(member, PROFILE_FIELDS, fields)
        if after:
            member.save()
            if member.user.email != member.email and "email" in after:
                member.user.email = member.email
                member.user.save(update_fields=["email"])
            audit.record(action=audit.PROFILE_UPDATED, actor=actor, unit=member.unit, target=member,
                         before=before, after=after)
    return member


def _member_set_status(*, actor, member: Member, status: MemberStatus, action: str, reason: str) -> Member:
    with transaction.atomic():
        member = locked_member(member)
        require_right(actor, Action.MANAGE_MEMBERS, member.unit)
        if member.status == status:
            raise ValidationError(_("%(member)s is already %(status)s.")
                                  % {"member": member, "status": status.label.lower()})
        if member.pseudonymised_at is not None:
            raise ValidationError(_("This record's personal details were removed at the end of its retention; "
                                    "it cannot be opened again."))
        previous = member.status
        member.status = status
        if status == MemberStatus.ACTIVE:  # reopening a closed record: it counts again from today
            member.closed_on, member.closing_note = None, ""
        follow_with_login(member)
        member.save(update_fields=["status", "closed_on", "closing_note", "login_suspended", "updated_at"])
        audit.record(action=action, actor=actor, unit=member.unit, target=member,
                     before={"status": previous}, after={"status": status.value}, note=reason)
    return member


def follow_with_login(member: Member) -> None:
    """An inactive member cannot sign in; an account that also serves elsewhere is left alone.

    A branch must not be able to shut out a committee member, an officer of another unit or a site
    administrator who happens to be listed in it, nor undo an administrator's suspension when reactivating.
    """
    user = member.user
    if user is None:
        return
    if member.status != MemberStatus.ACTIVE:
        serves_elsewhere = user.is_staff or user.is_superuser or user.role_assignments.exists()
        if user.is_active and not serves_elsewhere:
            user.is_active, member.login_suspended = False, True
            user.save(update_fields=["is_active"])
    elif member.login_suspended:
        user.is_active, member.login_suspended = True, False
        user.save(update_fields=["is_active"])


def member_deactivate(*, actor, member: Member, reason: str) -> Member:
    return _member_set_status(actor=actor, member=member, status=MemberStatus.INACTIVE,
                              action=audit.MEMBER_DEACTIVATED, reason=reason)


def member_reactivate(*, actor, member: Member, reason: str = "") -> Member:
    return _member_set_status(actor=actor, member=member, status=MemberStatus.ACTIVE,
                              action=audit.MEMBER_REACTIVATED, reason=reason)


def member_transfer(*, actor, member: Member, to_unit: Unit, reason: str = "") -> Member:
    """Move a member to another branch; from then on only the new branch's line sees them.

    Their commitments, evidence and evaluations of every year follow the record. What other apps keep per unit
    follows where those apps say (campaigns: registrations in a running campaign, pending award proposals);
    the rest stays the record of the unit where it was made, counted in its figures."""
    with transaction.atomic():
        member = locked_member(member)
        require_right(actor, Action.MANAGE_MEMBERS, member.unit)
        require_right(actor, Action.MANAGE_MEMBERS, to_unit)
        _require_member_unit(to_unit)
        if member.is_closed:
            raise ValidationError({"to_unit": _("A closed record stays in the unit where it closed; reopen it "
                                                "first if the member comes back.")})
        if member.unit_id == to_unit.pk:
            raise ValidationError({"to_unit": _("The member is already in %(unit)s.") % {"unit": to_unit}})
        from_unit = member.unit
        member.unit = to_unit
        member.save(update_fields=["unit", "updated_at"])
        followed = {}
        for _receiver, counts in member_moved.send(sender=Member, actor=actor, member=member, from_unit=from_unit,
                                                   to_unit=to_unit):
            followed.update(counts or {})
        audit.record(action=audit.MEMBER_TRANSFERRED, actor=actor, unit=to_unit, target=member,
                     before={"unit": str(from_unit)}, after={"unit": str(to_unit), **followed}, note=reason)
    if member.user_id:
        forget_grants(member.user)
    return member


def validate_unit_placement(*, parent: Unit | None, kind: str) -> None:
    """City union above sector unions above grassroots unions above branches."""
    if parent is not None and not parent.may_contain(kind):
        raise ValidationError({"kind": _("A %(kind)s cannot be placed under %(parent)s.")
                               % {"kind": UnitKind(kind).label.lower(), "parent": parent}})


def unit_create(*, actor, parent: Unit | None, **fields) -> Unit:
    _require_site_admin(actor)
    values = {name: value for name, value in fields.items() if name in UNIT_FIELDS}
    validate_unit_placement(parent=parent, kind=values["kind"])
    Unit(**values, path="0", depth=1).full_clean(exclude=["path", "depth", "numchild"])
    with transaction.atomic():
        unit = Unit.objects.add_child(parent, values) if parent is not None else Unit.objects.add_root(values)
        audit.record(action=audit.UNIT_CREATED, actor=actor, unit=unit, target=unit,
                     after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


def unit_update(*, actor, unit: Unit, **fields) -> Unit:
    _require_site_admin(actor)
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        before, after = _apply_changes(unit, UNIT_FIELDS, fields)
        validate_unit_placement(parent=Unit.objects.get_parent(unit), kind=unit.kind)
        if any(not unit.may_contain(kind) for kind in Unit.objects.get_children(unit).values_list("kind", flat=True)):
            raise ValidationError({"kind": _("The units under %(unit)s must stay below it in the tree.")
                                   % {"unit": unit}})
        if after:
            unit.save()
            audit.record(action=audit.UNIT_UPDATED, actor=actor, unit=unit, target=unit, before=before, after=after)
    return unit


def role_assign(*, actor, user, unit: Unit, role: Role) -> RoleAssignment:
    if role == Role.MEMBER:
        raise ValidationError({"role": _("Membership comes from the member's unit, not from an assignment.")})
    _require_site_admin(actor)
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
        if created:
            audit.record(action=audit.ROLE_ASSIGNED, actor=actor, unit=unit, target=assignment,
                         after={"user": user.get_username(), "role": str(Role(role).label)})
    forget_grants(user)
    return assignment


def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    _require_site_admin(actor)
    with transaction.atomic():
        audit.record(action=audit.ROLE_REVOKED, actor=actor, unit=assignment.unit, target=assignment,
                     before={"user": assignment.user.get_username(), "role": assignment.get_role_display()})
        assignment.delete()
    forget_grants(assignment.user)


def _common_unit(units) -> Unit | None:
    """The lowest unit containing all the given ones: where an entry about all of them belongs."""
    paths = [unit.path for unit in units]
    if not paths:
        return None
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[:-Unit.steplen]
    return Unit.objects.filter(path=prefix).first()


def member_import(*, actor, plan) -> dict:
    """Apply an import plan, all or nothing: every added and changed member, and one audit entry with the counts."""
    if plan.refused:
        raise ValidationError(_("Correct the refused rows first: nothing was imported."))
    units = {row.unit.pk: row.unit for row in plan.to_add} | {row.member.unit_id: row.member.unit for row in plan.to_update}
    for unit in units.values():
        require_right(actor, Action.MANAGE_MEMBERS, unit)
    with transaction.atomic():
        new_members = []
        for row in plan.to_add:
            member = Member(unit=row.unit, **row.values)
            member.refresh_name_keys()
            member.full_clean(validate_unique=False, validate_constraints=False)
            new_members.append(member)
        Member.objects.bulk_create(new_members, batch_size=1000)
        changed = []
        for row in plan.to_update:
            member = Member.objects.select_for_update().get(pk=row.member.pk)
            for name, (_before, after) in row.changes.items():
                setattr(member, name, after)
            member.refresh_name_keys()
            member.full_clean(validate_unique=False, validate_constraints=False)
            changed.append(member)
        Member.objects.bulk_update(changed, [*MEMBER_FIELDS, "sort_name", "search_name"], batch_size=1000)
        counts = {"added": len(new_members), "updated": len(changed), "unchanged": plan.unchanged}
        audit.record(action=audit.MEMBERS_IMPORTED, actor=actor, unit=_common_unit(units.values()), after=counts)
    return counts


def _username_for(member: Member) -> str:
    """A user name a member can type: their card number, else their folded name and a number."""
    User = get_user_model()
    base = member.card_number or "".join(fold(member.full_name).split()) or "doanvien"
    candidate, number = base, 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def member_invite(*, actor, members) -> list[Member]:
    """Give accounts to members who have none; each is activated by a one-time link (see activation_link)."""
    invited = []
    with transaction.atomic():
        for member in members:
            member = locked_member(member)
            require_right(actor, Action.MANAGE_MEMBERS, member.unit)
            if member.user_id or not member.is_active:
                continue
            user = get_user_model()(username=_username_for(member), first_name=member.full_name, last_name="",
                                    email=member.email)
            user.set_unusable_password()
            user.save()
            member.user = user
            member.save(update_fields=["user", "updated_at"])
            audit.record(action=audit.MEMBER_INVITED, actor=actor, unit=member.unit, target=member,
                         after={"account": user.get_username()})
            invited.append(member)
    return invited


def member_import_in_background(*, actor, unit: Unit, path: str, rows: int):
    """Queue a long import; the worker reads the stored list again with the importer's rights of then."""
    from members.models import MemberImport
    from members.tasks import run_member_import

    require_right(actor, Action.MANAGE_MEMBERS, unit)
    job = MemberImport.objects.create(created_by=actor, unit=unit, path=path, total_rows=rows)
    run_member_import.enqueue(job.pk)
    return job
