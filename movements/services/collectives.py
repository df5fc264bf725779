"""Advanced youth collectives: registered by a branch with their commitments and measures, followed with activity
logs through the year, evaluated and recognised (or not) by the committee above at year end."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import audit
from members.access import Action, policy
from members.models import Unit
from movements.models import Collective, CollectiveLog, CollectiveState
from movements.services.base import today

COLLECTIVE_REGISTERED = audit.register_action("collective.registered", gettext_lazy("Youth collective registered"))
COLLECTIVE_LOGGED = audit.register_action("collective.logged", gettext_lazy("Activity of a collective logged"))
COLLECTIVE_EVALUATED = audit.register_action("collective.evaluated", gettext_lazy("Youth collective evaluated"))

COLLECTIVE_FIELDS = ("year", "model", "name", "commitments", "target_people_helped", "target_consultations",
                     "target_sessions")


def collective_register(*, actor, unit: Unit, members=(), **fields) -> Collective:
    if not policy.can(actor, Action.MANAGE_PROJECTS, unit):
        raise PermissionDenied(_("Only the officers of %(unit)s can register its collectives.") % {"unit": unit})
    collective = Collective(unit=unit, **{name: fields[name] for name in COLLECTIVE_FIELDS if name in fields})
    collective.full_clean()
    with transaction.atomic():
        collective.save()
        collective.members.set(members)
        audit.record(action=COLLECTIVE_REGISTERED, actor=actor, unit=unit, target=collective,
                     after={"name": collective.name, "model": str(collective.model), "year": collective.year})
    return collective


def collective_log(*, actor, collective: Collective, done_on, text: str, people_helped: int = 0,
                   consultations: int = 0, sessions: int = 0) -> CollectiveLog:
    with transaction.atomic():
        collective = Collective.objects.select_for_update().select_related("unit").get(pk=collective.pk)
        if not policy.can(actor, Action.MANAGE_PROJECTS, collective.unit):
            raise PermissionDenied
        if collective.state != CollectiveState.REGISTERED:
            raise ValidationError(_("The collective has been evaluated; its year is over."))
        if done_on > today():
            raise ValidationError({"done_on": _("The date cannot be in the future.")})
        log = CollectiveLog(collective=collective, done_on=done_on, text=text, people_helped=people_helped,
                            consultations=consultations, sessions=sessions)
        log.full_clean()
        log.save()
        audit.record(action=COLLECTIVE_LOGGED, actor=actor, unit=collective.unit, target=collective,
                     after={"people_helped": people_helped, "consultations": consultations, "sessions": sessions},
                     note=text[:200])
    return log


def collective_evaluate(*, actor, collective: Collective, recognised: bool, note: str) -> Collective:
    """The committee above the branch recognises the collective as advanced for the year, or not, and says why."""
    if not note.strip():
        raise ValidationError({"note": _("Give the committee's evaluation.")})
    with transaction.atomic():
        collective = Collective.objects.select_for_update().select_related("unit").get(pk=collective.pk)
        if not policy.can_above(actor, Action.DECIDE_PROJECTS, collective.unit):
            raise PermissionDenied(_("The committee above %(unit)s evaluates its collectives.")
                                   % {"unit": collective.unit})
        if collective.state != CollectiveState.REGISTERED:
            raise ValidationError(_("This collective has already been evaluated."))
        collective.state = CollectiveState.RECOGNISED if recognised else CollectiveState.NOT_RECOGNISED
        collective.evaluation_note = note.strip()
        collective.save(update_fields=["state", "evaluation_note"])
        audit.record(action=COLLECTIVE_EVALUATED, actor=actor, unit=collective.unit, target=collective,
                     before={"state": CollectiveState.REGISTERED}, after={"state": collective.state}, note=note.strip())
    return collective
