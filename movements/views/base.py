"""Lookups the movement pages share: each fetches through the access policy (404 outside, 403 without the right)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from members.access import Action, policy
from movements import selectors
from movements.models import (
    Commitment,
    CommitmentState,
    MovementYear,
    Pledge,
    Responsibility,
)


def get_year(user, pk) -> MovementYear:
    try:
        return selectors.years_for(user).get(pk=pk)
    except (MovementYear.DoesNotExist, ValueError):
        raise Http404 from None


def get_year_to_manage(user, pk) -> MovementYear:
    """A year the user can see (else 404) and whose committee they sit on (else 403)."""
    movement_year = get_year(user, pk)
    if not policy.can(user, Action.MANAGE_YEAR, movement_year.unit):
        raise PermissionDenied
    return movement_year


def get_commitment(user, action: Action, pk) -> Commitment:
    try:
        commitment = (Commitment.objects.select_related("member__unit", "member__user", "movement_year__unit")
                      .get(pk=pk))
    except (Commitment.DoesNotExist, ValueError):
        raise Http404 from None
    policy.decide_on_member(user, action, commitment.member)
    return commitment


FIRST_YEAR, LAST_YEAR = 2000, 2100


def requested_year(request) -> int | None:
    """The year asked for in the address (?year=2025) or by a form, so that closed years stay browsable."""
    value = request.POST.get("year", "") if request.method == "POST" else request.GET.get("year", "")
    # The years a movement may have (the models' own bounds); anything else is the default year.
    return int(value) if value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR else None


def criteria_by_responsibility(movement_year, criteria):
    return [(movement_year.label_for(r), [c for c in criteria if c.responsibility == r]) for r in Responsibility.values]


def submitted_list() -> str:
    return f"{reverse('movements:commitments')}?state={CommitmentState.SUBMITTED}"


def get_pledge(user, action: Action, pk) -> Pledge:
    try:
        pledge = Pledge.objects.select_related("criterion", "commitment__member__unit",
                                               "commitment__movement_year").get(pk=pk)
    except (Pledge.DoesNotExist, ValueError):
        raise Http404 from None
    policy.decide_on_member(user, action, pledge.commitment.member)
    return pledge


def solution_choices(user, unit):
    """For proposing a project, a collective or a club in ``unit``'s subtree: the units the user may do it for
    (403 when none) and the members who may take part."""
    units = policy.units(user, Action.MANAGE_PROJECTS).filter(unit.subtree_q())
    if not units.exists():
        raise PermissionDenied
    members = policy.members(user, Action.VIEW_MEMBERS).filter(unit.subtree_q("unit__path"), status="active")
    return units, members
