"""What every service of the movement year shares: the date, the shape of a transition, the checks."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from members.access import Action, policy
from movements.models import (
    Commitment,
)


def today() -> datetime.date:
    return timezone.localdate()


OWNER = None  # a transition that only the member who owns the commitment may make


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    audit_action: str
    right: Action | None  # the right needed on the member's unit, or OWNER
    notice: Promise | None = None  # told to the member when someone else makes the move


def check_actor(actor, commitment: Commitment, *, right: Action | None) -> None:
    if right is OWNER:
        if commitment.member.user_id != actor.pk:
            raise PermissionDenied(_("Only the member can do this with their own commitment."))
    elif not policy.can(actor, right, commitment.member.unit):
        raise PermissionDenied(_("Your role does not allow this on %(member)s's commitment.")
                               % {"member": commitment.member})


def locked_commitment(commitment: Commitment) -> Commitment:
    return (Commitment.objects.select_for_update(of=("self",))
            .select_related("member__unit", "movement_year__unit").get(pk=commitment.pk))


def each_reporting_refusals(action, commitments) -> tuple[list[Commitment], list[tuple[Commitment, str]]]:
    done, refused = [], []
    for commitment in commitments:
        try:
            done.append(action(commitment))
        except (ValidationError, PermissionDenied) as error:
            refused.append((commitment, " ".join(getattr(error, "messages", [str(error)]))))
    return done, refused
