"""Reads that a person sees, always through the access policy."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import Substr

from members.access import Action, granted_units, policy
from members.models import Member, MemberStatus, Role, Unit, UnitKind

SESSION_UNIT_KEY = "current_unit_id"


@dataclass
class UnitRoles:
    unit: Unit
    roles: list[Role] = field(default_factory=list)

    @property
    def role_labels(self) -> str:
        return ", ".join(str(role.label) for role in self.roles)


def units_with_roles(user) -> list[UnitRoles]:
    """The units where the user holds a role (membership included), highest first; read once per request."""
    cached = getattr(user, "_units_with_roles", None)
    if cached is not None:
        return cached
    grants = policy.grants(user)
    units = granted_units(user)
    by_unit: dict[int, UnitRoles] = {}
    for grant in sorted(grants, key=lambda g: (g.unit_path, g.role)):
        by_unit.setdefault(grant.unit_id, UnitRoles(units[grant.unit_id])).roles.append(grant.role)
    user._units_with_roles = list(by_unit.values())
    return user._units_with_roles


def current_unit(request) -> Unit | None:
    """The unit a person is working in: chosen with the unit switcher, else the highest of their units."""
    if hasattr(request, "_current_unit"):
        return request._current_unit
    unit = None
    user = request.user
    if user.is_authenticated:
        unit_id = request.session.get(SESSION_UNIT_KEY)
        if unit_id in granted_units(user):  # one of their own units: read already, and theirs to see
            unit = granted_units(user)[unit_id]
        elif unit_id:
            unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
            if unit is not None and not policy.sees(user, unit):
                unit = None
        if unit is None and user.is_superuser:
            unit = Unit.objects.get_root_nodes().filter(is_active=True).first()
        elif unit is None:
            # The highest unit the person holds a role in; its subtree holds all their other units or sits beside them.
            held = units_with_roles(user)
            unit = held[0].unit if held else None
    request._current_unit = unit
    return unit


def working_unit(request, action: Action):
    """The unit chosen in the switcher, if the person may do ``action`` there; else 403."""
    unit = current_unit(request)
    if unit is None or not policy.can(request.user, action, unit):
        raise PermissionDenied
    return unit


def visible_ancestors(user, unit: Unit) -> list[Unit]:
    """The unit's ancestors that the user may open, for breadcrumbs: nothing above their own reach."""
    return [ancestor for ancestor in Unit.objects.get_ancestors(unit) if policy.sees(user, ancestor)]


@dataclass
class UnitFigures:
    members: int
    active_members: int
    with_account: int
    branches: int


def unit_figures(user, unit: Unit) -> UnitFigures:
    members = policy.members(user, Action.VIEW_MEMBERS).filter(unit.subtree_q("unit__path"))
    counts = members.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=MemberStatus.ACTIVE)),
        with_account=Count("pk", filter=Q(user__isnull=False, status=MemberStatus.ACTIVE)),
    )
    branches = policy.units(user).filter(unit.subtree_q(), kind=UnitKind.BRANCH).count()
    return UnitFigures(counts["total"], counts["active"], counts["with_account"], branches)


def child_units_with_counts(user, unit: Unit):
    """The unit's children with the number of active members in each child's subtree."""
    children = list(policy.units(user).filter(depth=unit.depth + 1, path__startswith=unit.path))
    if not children:
        return []
    counts: dict[str, int] = {}
    if policy.can(user, Action.VIEW_MEMBERS, unit):
        # One grouped query: each member counts towards the child whose path prefixes the member's unit.
        prefix = Substr("unit__path", 1, len(unit.path) + Unit.steplen)
        rows = (
            policy.members(user, Action.VIEW_MEMBERS)
            .filter(unit.subtree_q("unit__path"), status=MemberStatus.ACTIVE)
            .annotate(child_path=prefix)
            .order_by()
            .values("child_path")
            .annotate(count=Count("pk"))
            .values_list("child_path", "count")
        )
        counts = dict(rows)
    return [(child, counts.get(child.path, 0)) for child in children]


def own_member_record(user) -> Member | None:
    if not user.is_authenticated:
        return None
    return Member.objects.select_related("unit").filter(user=user).first()


def own_import_job(user, pk):
    """A background import is seen by the person who started it, and by nobody else."""
    from members.models import MemberImport

    return MemberImport.objects.filter(pk=pk, created_by=user).select_related("unit").first()


def admission_units(member: Member):
    """The unions that may decide a youth's admission: those above the member's branch."""
    return Unit.objects.filter(path__in=member.unit.ancestor_paths(), is_active=True).order_by("path")
