"""The one access policy of the portal.

Every view, export and background job asks this module two questions:

* which objects may this user see or act on (a queryset, scoped by the unit tree), and
* may this user do this action on this object.

A role is held in a unit and reaches that unit's whole subtree (materialized path prefix), nothing above
or beside it. Outside every subtree the user reaches, an object does not exist for them (404); inside it but
without the right for the action, the answer is 403. Rights are one table: ``RIGHTS``.
"""

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from members.models import AuditEntry, Member, MemberStatus, Role, RoleAssignment, Unit
from reports import caching


class Action(StrEnum):
    VIEW_UNIT = "unit.view"
    VIEW_MEMBERS = "members.view"
    MANAGE_MEMBERS = "members.manage"
    VIEW_AUDIT = "audit.view"
    MANAGE_YEAR = "year.manage"
    VIEW_COMMITMENTS = "commitments.view"
    REVIEW_COMMITMENTS = "commitments.review"
    CONFIRM_CLASSIFICATION = "classification.confirm"
    VIEW_PROJECTS = "projects.view"
    MANAGE_PROJECTS = "projects.manage"
    VIEW_INITIATIVES = "initiatives.view"
    REVIEW_INITIATIVES = "initiatives.review"
    VIEW_ACTIVITIES = "activities.view"
    MANAGE_ACTIVITIES = "activities.manage"
    # Granted on the units below the committee's own (see AccessPolicy.can_above).
    DECIDE_PROJECTS = "projects.decide"
    VIEW_CAMPAIGNS = "campaigns.view"
    MANAGE_CAMPAIGNS = "campaigns.manage"
    # Registering the unit or its collectives; decided for a unit's own registration by the level above it.
    REGISTER_FOR_CAMPAIGNS = "campaigns.register"
    REVIEW_REGISTRATIONS = "campaigns.review_registrations"
    # Inspections and support: the committee and the standing emulation unit (and the campaign's own standing
    # members, see campaigns.services.may_follow).
    FOLLOW_CAMPAIGNS = "campaigns.follow"
    VIEW_REPORTS = "reports.view"
    MANAGE_REPORTS = "reports.manage"
    VIEW_AWARDS = "awards.view"
    MANAGE_AWARDS = "awards.manage"
    # The people's feedback: contacts left for a reply are personal data, for those who run the unit.
    VIEW_FEEDBACK = "feedback.view"
    MANAGE_FEEDBACK = "feedback.manage"
    # What a member does on their own commitment; granted to the owner only (see OWNER_ACTIONS).
    EDIT_OWN_COMMITMENT = "commitments.edit_own"


_OFFICERS = frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE})

RIGHTS: dict[Action, frozenset[Role]] = {
    Action.VIEW_UNIT: frozenset(Role),
    # Personal data is for the people who run the unit, not for the follow-up or read-only roles.
    Action.VIEW_MEMBERS: _OFFICERS,
    Action.MANAGE_MEMBERS: _OFFICERS,
    Action.VIEW_AUDIT: _OFFICERS,
    Action.MANAGE_YEAR: frozenset({Role.COMMITTEE}),
    Action.VIEW_COMMITMENTS: _OFFICERS,
    Action.REVIEW_COMMITMENTS: _OFFICERS,
    # The grassroots committee (or one above it) confirms what the branches propose.
    Action.CONFIRM_CLASSIFICATION: frozenset({Role.COMMITTEE}),
    Action.EDIT_OWN_COMMITMENT: frozenset(),
    # Projects are the unit's public work, not personal data: everyone in the unit may follow them.
    Action.VIEW_PROJECTS: frozenset(Role),
    Action.MANAGE_PROJECTS: _OFFICERS,
    Action.DECIDE_PROJECTS: frozenset({Role.COMMITTEE}),
    Action.VIEW_INITIATIVES: frozenset(Role),
    Action.REVIEW_INITIATIVES: frozenset({Role.COMMITTEE}),
    Action.VIEW_ACTIVITIES: frozenset(Role),
    Action.MANAGE_ACTIVITIES: _OFFICERS,
    # A campaign is the movement's public work: everyone under the unit that launched it follows it.
    Action.VIEW_CAMPAIGNS: frozenset(Role),
    Action.MANAGE_CAMPAIGNS: frozenset({Role.COMMITTEE}),
    Action.REGISTER_FOR_CAMPAIGNS: _OFFICERS,
    Action.REVIEW_REGISTRATIONS: _OFFICERS,
    Action.FOLLOW_CAMPAIGNS: frozenset({Role.COMMITTEE, Role.EMULATION_STANDING}),
    # Reports count people and name them in their annexes: for those who run a unit.
    Action.VIEW_REPORTS: _OFFICERS,
    Action.MANAGE_REPORTS: frozenset({Role.COMMITTEE}),
    Action.VIEW_AWARDS: _OFFICERS,
    Action.MANAGE_AWARDS: frozenset({Role.COMMITTEE}),
    Action.VIEW_FEEDBACK: _OFFICERS,
    Action.MANAGE_FEEDBACK: _OFFICERS,
}

# Actions a person may take on what is their own (their record, their commitment), whatever their roles.
OWNER_ACTIONS = frozenset({Action.VIEW_MEMBERS, Action.VIEW_COMMITMENTS, Action.EDIT_OWN_COMMITMENT})


def _owns(user, member: Member) -> bool:
    return member.user_id is not None and member.user_id == getattr(user, "pk", None)


@dataclass(frozen=True)
class Grant:
    unit_id: int
    unit_path: str
    role: Role


def _grants(user) -> tuple[Grant, ...]:
    """The roles a user holds, with their units (the layout's unit switcher shows them on every page): kept in
    the cache with the versions of the tables they are read from (a change of a role, a membership or a unit
    draws them again; the account's own is_active and is_superuser are read afresh with the user), and on the
    user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_access_grants", None)
    if cached is not None:
        return cached
    grants, units = caching.cached("grants", (user.pk,), lambda: _read_grants(user))
    user._access_grants, user._access_units = grants, units
    return user._access_grants


def _read_grants(user) -> tuple[tuple[Grant, ...], dict]:
    units = {}
    grants = []
    for assignment in RoleAssignment.objects.filter(user=user, unit__is_active=True).select_related("unit"):
        units[assignment.unit_id] = assignment.unit
        grants.append(Grant(assignment.unit_id, assignment.unit.path, Role(assignment.role)))
    for membership in Member.objects.filter(user=user, status=MemberStatus.ACTIVE).select_related("unit").only(
            "unit"):
        units[membership.unit_id] = membership.unit
        grants.append(Grant(membership.unit_id, membership.unit.path, Role.MEMBER))
    return tuple(grants), units


def granted_units(user) -> dict:
    """The units of the user's grants by id (read with the grants)."""
    _grants(user)
    return getattr(user, "_access_units", {})


def forget_grants(user) -> None:
    """Drop the cached roles after they change within the same request."""
    for name in ("_access_grants", "_access_units", "_units_with_roles"):
        if hasattr(user, name):
            delattr(user, name)


def _roots(paths) -> list[str]:
    """The shortest set of path prefixes covering the given paths: nested subtrees add nothing."""
    roots: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


class AccessPolicy:
    def grants(self, user) -> tuple[Grant, ...]:
        return _grants(user)

    def _paths(self, user, action: Action | None) -> list[str]:
        allowed = RIGHTS[action] if action else frozenset(Role)
        return _roots(g.unit_path for g in _grants(user) if g.role in allowed)

    def _scope_q(self, user, action: Action | None, path_field: str) -> Q | None:
        """A filter on ``path_field`` for the subtrees where ``action`` is allowed; None means everything."""
        if user.is_superuser and user.is_active:
            return None
        paths = self._paths(user, action)
        if not paths:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{f"{path_field}__startswith": path}) for path in paths))

    def scope(self, user, queryset: QuerySet, *, action: Action | None, path_field: str) -> QuerySet:
        q = self._scope_q(user, action, path_field)
        return queryset if q is None else queryset.filter(q)

    # Units

    def units(self, user, action: Action | None = None) -> QuerySet[Unit]:
        return self.scope(user, Unit.objects.filter(is_active=True), action=action, path_field="path")

    def root_units(self, user) -> list[Unit]:
        """The top of each subtree the user reaches: where a unit switcher starts."""
        if user.is_superuser and user.is_active:
            return list(Unit.objects.get_root_nodes().filter(is_active=True))
        paths = self._paths(user, None)
        return list(Unit.objects.filter(path__in=paths, is_active=True))

    def can(self, user, action: Action, unit: Unit) -> bool:
        return self.can_at(user, action, unit.path)

    def can_at(self, user, action: Action, path: str) -> bool:
        """``can`` for a unit known by its path."""
        return self.covering(user, action)(path)

    def covering(self, user, action: Action):
        """``can_at`` for many paths (rows of a list taken from the cache): the subtrees are worked out once."""
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return lambda path: False
        if user.is_superuser:
            return lambda path: True
        roots = tuple(g.unit_path for g in _grants(user) if g.role in RIGHTS[action])
        return lambda path: path.startswith(roots)

    def can_above(self, user, action: Action, unit: Unit) -> bool:
        """The right held in a unit strictly above ``unit``: the committee above decides, not the unit itself."""
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return False
        if user.is_superuser:
            return True
        allowed = RIGHTS[action]
        return any(g.role in allowed and unit.path.startswith(g.unit_path) and unit.path != g.unit_path
                   for g in _grants(user))

    def held_units(self, user, action: Action) -> QuerySet[Unit]:
        """The units where the user holds a role with ``action`` themselves, not the units below them: in whose
        name they may act (a committee proposes awards as its own union, not as a branch under it)."""
        if user.is_superuser and user.is_active:
            return Unit.objects.filter(is_active=True)
        allowed = RIGHTS[action]
        return Unit.objects.filter(pk__in=[g.unit_id for g in _grants(user) if g.role in allowed], is_active=True)

    def reach(self, user) -> str:
        """What the user may read, as a key: every scope above is drawn from the account's roles and their units
        (and whether it is an active superuser), so accounts with the same roles at the same units read the same
        rows everywhere. Figures kept for one committee member serve the others of that committee."""
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return "nobody"
        if user.is_superuser:
            return "everything"
        held = sorted({(str(grant.role), grant.unit_path) for grant in _grants(user)})
        return hashlib.sha256(repr(held).encode()).hexdigest()[:24]

    def sees(self, user, unit: Unit) -> bool:
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return False
        return user.is_superuser or any(unit.path.startswith(g.unit_path) for g in _grants(user))

    def check(self, user, action: Action, unit: Unit) -> None:
        """404 when the unit is outside every subtree the user reaches; 403 when the right is missing."""
        if not self.sees(user, unit):
            raise Http404
        if not self.can(user, action, unit):
            raise PermissionDenied

    def get_unit(self, user, action: Action, pk) -> Unit:
        try:
            unit = Unit.objects.get(pk=pk, is_active=True)
        except (Unit.DoesNotExist, ValueError):
            raise Http404 from None
        self.check(user, action, unit)
        return unit

    # Members

    def members(self, user, action: Action = Action.VIEW_MEMBERS) -> QuerySet[Member]:
        return self.scope(user, Member.objects.all(), action=action, path_field="unit__path")

    def may_on_member(self, user, action: Action, member: Member) -> bool:
        if action in OWNER_ACTIONS and _owns(user, member):
            return True
        return self.can(user, action, member.unit)

    def decide_on_member(self, user, action: Action, member: Member) -> None:
        """404 for what lies outside the user's reach (their own record never does); 403 without the right."""
        if not _owns(user, member) and not self.sees(user, member.unit):
            raise Http404
        if not self.may_on_member(user, action, member):
            raise PermissionDenied

    def get_member(self, user, action: Action, pk) -> Member:
        try:
            member = Member.objects.select_related("unit", "user").get(pk=pk)
        except (Member.DoesNotExist, ValueError):
            raise Http404 from None
        self.decide_on_member(user, action, member)
        return member

    def scope_with_own(self, user, queryset: QuerySet, *, action: Action, path_field: str,
                       owner_field: str) -> QuerySet:
        """Objects in the subtrees where ``action`` is allowed, plus the user's own."""
        q = self._scope_q(user, action, path_field)
        if q is None:
            return queryset
        if action in OWNER_ACTIONS and getattr(user, "is_authenticated", False):
            q |= Q(**{owner_field: user})
        return queryset.filter(q)

    def ancestor_paths(self, user) -> list[str]:
        """Paths of every unit at or above the units the user holds a role in: what applies to them."""
        return sorted({path for g in _grants(user) for path in Unit(path=g.unit_path).ancestor_paths()})

    # Audit log

    def audit_entries(self, user) -> QuerySet[AuditEntry]:
        return self.scope(user, AuditEntry.objects.all(), action=Action.VIEW_AUDIT, path_field="unit__path")


policy = AccessPolicy()
