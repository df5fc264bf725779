"""Opening, setting, publishing and closing a movement year, and its criteria."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import audit
from members.access import Action, policy
from members.models import Unit
from movements.catalogue import CRITERIA
from movements.models import (
    Criterion,
    MovementYear,
    Responsibility,
    YearState,
)

YEAR_OPENED = audit.register_action("year.opened", gettext_lazy("Movement year opened"))
YEAR_PUBLISHED = audit.register_action("year.published", gettext_lazy("Movement year published"))
YEAR_DATE_FIELDS = (
    "registration_opens", "registration_closes", "evidence_opens", "evidence_closes",
    "evaluation_opens", "evaluation_closes",
)


def year_open(*, actor, unit: Unit, year: int, options: dict | None = None, **dates) -> MovementYear:
    """Open a year for the unit's subtree, starting from the unit's previous criteria or the catalogue.

    ``options`` are the year's other settings (wording of the responsibilities, classification rules)."""
    if not policy.can(actor, Action.MANAGE_YEAR, unit):
        raise PermissionDenied(_("Only the committee of %(unit)s can open a year for it.") % {"unit": unit})
    movement_year = MovementYear(unit=unit, year=year, **(options or {}),
                                 **{name: dates[name] for name in YEAR_DATE_FIELDS})
    movement_year.full_clean()
    step = Unit.steplen
    above = [unit.path[:end] for end in range(step, len(unit.path), step)]
    overlapping = MovementYear.objects.filter(Q(unit__path__in=above) | Q(unit__path__startswith=unit.path),
                                              year=year).exclude(unit=unit).select_related("unit").first()
    if overlapping is not None:
        # Two years of the same number on one line of the tree would split its members between them.
        raise ValidationError({"year": _("%(unit)s has already opened %(year)s for part of this subtree.")
                               % {"unit": overlapping.unit, "year": year}})
    previous = MovementYear.objects.filter(unit=unit, year__lt=year).order_by("-year").first()
    with transaction.atomic():
        movement_year.save()
        if previous is not None:
            criteria = [
                Criterion(movement_year=movement_year, responsibility=c.responsibility, title=c.title,
                          guidance=c.guidance, weight=c.weight, applies_to=c.applies_to, position=c.position)
                for c in previous.criteria.all()
            ]
        else:
            criteria = [
                Criterion(movement_year=movement_year, responsibility=responsibility, title=title, guidance=guidance,
                          weight=weight, applies_to=applies_to, position=position)
                for position, (responsibility, title, guidance, weight, applies_to) in enumerate(CRITERIA)
            ]
        Criterion.objects.bulk_create(criteria)
        audit.record(action=YEAR_OPENED, actor=actor, unit=unit, target=movement_year,
                     after={"year": year, "criteria": len(criteria)},
                     note=_("Criteria taken from %(source)s.")
                     % {"source": previous if previous is not None else _("the movement's catalogue")})
    return movement_year


YEAR_UPDATED = audit.register_action("year.updated", gettext_lazy("Movement year settings changed"))
YEAR_SETTING_FIELDS = (
    *YEAR_DATE_FIELDS, "work_label", "people_label", "self_label", "excellent_threshold", "good_threshold",
    "complete_threshold", "excellent_evidence_share", "excellent_limit",
)


def year_update(*, actor, movement_year: MovementYear, **fields) -> MovementYear:
    """Change a year's windows, wording and classification rules while it is not closed."""
    with transaction.atomic():
        movement_year = MovementYear.objects.select_for_update().select_related("unit").get(pk=movement_year.pk)
        if not policy.can(actor, Action.MANAGE_YEAR, movement_year.unit):
            raise PermissionDenied
        if movement_year.state == YearState.CLOSED:
            raise ValidationError(_("The movement year is closed."))
        before = audit.snapshot(movement_year, YEAR_SETTING_FIELDS)
        for name, value in fields.items():
            if name in YEAR_SETTING_FIELDS:
                setattr(movement_year, name, value)
        movement_year.full_clean()
        before, after = audit.changed_fields(before, audit.snapshot(movement_year, YEAR_SETTING_FIELDS))
        if after:
            movement_year.save()
            audit.record(action=YEAR_UPDATED, actor=actor, unit=movement_year.unit, target=movement_year,
                         before=before, after=after)
    return movement_year


def year_publish(*, actor, movement_year: MovementYear) -> MovementYear:
    with transaction.atomic():
        movement_year = MovementYear.objects.select_for_update().select_related("unit").get(pk=movement_year.pk)
        if not policy.can(actor, Action.MANAGE_YEAR, movement_year.unit):
            raise PermissionDenied
        if movement_year.state != YearState.DRAFT:
            raise ValidationError(_("This year has already been published."))
        present = set(movement_year.criteria.values_list("responsibility", flat=True))
        missing = [movement_year.label_for(r) for r in Responsibility.values if r not in present]
        if missing:
            raise ValidationError(_("Add at least one criterion under: %(missing)s.") % {"missing": ", ".join(missing)})
        movement_year.state = YearState.OPEN
        movement_year.save(update_fields=["state"])
        audit.record(action=YEAR_PUBLISHED, actor=actor, unit=movement_year.unit, target=movement_year,
                     before={"state": YearState.DRAFT}, after={"state": YearState.OPEN})
    return movement_year


YEAR_CLOSED = audit.register_action("year.closed", gettext_lazy("Movement year closed"))


def year_close(*, actor, movement_year: MovementYear) -> MovementYear:
    """From now on the year's commitments, evidence and classifications are read-only."""
    with transaction.atomic():
        movement_year = MovementYear.objects.select_for_update().select_related("unit").get(pk=movement_year.pk)
        if not policy.can(actor, Action.MANAGE_YEAR, movement_year.unit):
            raise PermissionDenied
        if movement_year.state != YearState.OPEN:
            raise ValidationError(_("Only an open year can be closed."))
        movement_year.state = YearState.CLOSED
        movement_year.save(update_fields=["state"])
        audit.record(action=YEAR_CLOSED, actor=actor, unit=movement_year.unit, target=movement_year,
                     before={"state": YearState.OPEN}, after={"state": YearState.CLOSED})
    return movement_year


CRITERIA_CHANGED = audit.register_action("year.criteria_changed", gettext_lazy("Criteria of the year changed"))
CRITERION_FIELDS = ("responsibility", "title", "guidance", "weight", "applies_to", "position")


def criteria_save(*, actor, movement_year: MovementYear, criteria: list[dict]) -> MovementYear:
    """Replace the year's criteria with the list given (an ``id`` keeps a criterion), while it is being prepared."""
    with transaction.atomic():
        movement_year = MovementYear.objects.select_for_update().select_related("unit").get(pk=movement_year.pk)
        if not policy.can(actor, Action.MANAGE_YEAR, movement_year.unit):
            raise PermissionDenied
        if movement_year.state != YearState.DRAFT:
            raise ValidationError(_("The criteria are fixed once the year is published."))
        existing = {criterion.pk: criterion for criterion in movement_year.criteria.all()}
        before = len(existing)
        kept = set()
        for values in criteria:
            criterion = existing.get(values.get("id")) or Criterion(movement_year=movement_year)
            for name in CRITERION_FIELDS:
                setattr(criterion, name, values[name])
            criterion.full_clean(exclude=["movement_year"])
            criterion.save()
            kept.add(criterion.pk)
        removed = movement_year.criteria.exclude(pk__in=kept)
        removed_count = removed.count()
        removed.delete()
        audit.record(action=CRITERIA_CHANGED, actor=actor, unit=movement_year.unit, target=movement_year,
                     before={"criteria": before}, after={"criteria": len(kept)},
                     note=_("%(removed)d removed.") % {"removed": removed_count} if removed_count else "")
    return movement_year
