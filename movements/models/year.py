"""The movement year: its windows, rules and criteria under the three responsibilities."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Sector, Unit


class Responsibility(models.TextChoices):
    """The three responsibilities are the movement itself: fixed in code, their wording editable per year."""

    WORK = "work", _("Responsibility to work")
    PEOPLE = "people", _("Responsibility to the people")
    SELF = "self", _("Responsibility to oneself")


class SectorScope(models.TextChoices):
    BOTH = "both", _("Both sectors")
    HEALTH = Sector.HEALTH.value, _("Health sector only")
    ADMINISTRATIVE = Sector.ADMINISTRATIVE.value, _("Administrative sector only")


class YearState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class MovementYear(models.Model):
    """A year of the movement, opened by a committee for its subtree, with its windows and criteria."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="movement_years")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    state = models.CharField(_("state"), max_length=10, choices=YearState.choices, default=YearState.DRAFT)
    registration_opens = models.DateField(_("registration opens"))
    registration_closes = models.DateField(_("registration closes"))
    evidence_opens = models.DateField(_("evidence period starts"))
    evidence_closes = models.DateField(_("evidence period ends"))
    evaluation_opens = models.DateField(_("evaluation opens"))
    evaluation_closes = models.DateField(_("evaluation closes"))
    work_label = models.CharField(_("label of the responsibility to work"), max_length=120,
                                  default="Trách nhiệm với công việc")
    people_label = models.CharField(_("label of the responsibility to the people"), max_length=120,
                                    default="Trách nhiệm với nhân dân")
    self_label = models.CharField(_("label of the responsibility to oneself"), max_length=120,
                                  default="Trách nhiệm với chính mình")
    # The rules the portal uses to suggest a classification; the branch decides, the committee confirms.
    excellent_threshold = models.PositiveSmallIntegerField(
        _("share achieved for “excellent” (%)"), default=90, validators=[MaxValueValidator(100)])
    good_threshold = models.PositiveSmallIntegerField(
        _("share achieved for “good” (%)"), default=75, validators=[MaxValueValidator(100)])
    complete_threshold = models.PositiveSmallIntegerField(
        _("share achieved for “completed” (%)"), default=50, validators=[MaxValueValidator(100)])
    excellent_evidence_share = models.PositiveSmallIntegerField(
        _("pledges with verified evidence for “excellent” (%)"), default=80, validators=[MaxValueValidator(100)])
    excellent_limit = models.PositiveSmallIntegerField(
        _("most members of a branch rated “excellent” (%)"), null=True, blank=True, default=20,
        validators=[MaxValueValidator(100)], help_text=_("Leave empty for no limit."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__path"]
        verbose_name = _("movement year")
        verbose_name_plural = _("movement years")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="movement_year_unique",
                                               violation_error_message=_("This unit has already opened that year."))]

    def __str__(self):
        return _("Movement year %(year)s — %(unit)s") % {"year": self.year, "unit": self.unit}

    def clean(self):
        windows = [
            ("registration_opens", "registration_closes"),
            ("evidence_opens", "evidence_closes"),
            ("evaluation_opens", "evaluation_closes"),
        ]
        errors = {}
        for start, end in windows:
            start_date, end_date = getattr(self, start), getattr(self, end)
            if start_date and end_date and end_date < start_date:
                errors[end] = _("The end must not come before the start.")
        if self.evaluation_opens and self.registration_opens and self.evaluation_opens < self.registration_opens:
            errors["evaluation_opens"] = _("The evaluation cannot open before the registration.")
        if not self.excellent_threshold >= self.good_threshold >= self.complete_threshold:
            errors["good_threshold"] = _("The shares must go down from “excellent” to “good” to “completed”.")
        if errors:
            raise ValidationError(errors)

    def evaluation_is_open(self, today: datetime.date) -> bool:
        return self.state == YearState.OPEN and self.evaluation_opens <= today <= self.evaluation_closes

    def label_for(self, responsibility: str) -> str:
        return getattr(self, f"{responsibility}_label")

    def registration_is_open(self, today: datetime.date) -> bool:
        return self.state == YearState.OPEN and self.registration_opens <= today <= self.registration_closes


class Criterion(models.Model):
    movement_year = models.ForeignKey(MovementYear, on_delete=models.CASCADE, related_name="criteria")
    responsibility = models.CharField(_("responsibility"), max_length=10, choices=Responsibility.choices)
    title = models.CharField(_("criterion"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1,
                                              validators=[MinValueValidator(1), MaxValueValidator(10)])
    applies_to = models.CharField(_("applies to"), max_length=20, choices=SectorScope.choices,
                                  default=SectorScope.BOTH)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["responsibility", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.title

    def applies_to_sector(self, sector: str) -> bool:
        return self.applies_to in (SectorScope.BOTH, sector)
