"""A member's commitment for the year: pledges, evidence, amendments, evaluation."""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Member
from movements.models.year import Criterion, MovementYear


class CommitmentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    EVALUATED = "evaluated", _("Evaluated by the branch")
    CONFIRMED = "confirmed", _("Classification confirmed")


APPROVED_STATES = frozenset({CommitmentState.APPROVED, CommitmentState.SELF_ASSESSED, CommitmentState.EVALUATED,
                             CommitmentState.CONFIRMED})


class Classification(models.TextChoices):
    EXCELLENT = "excellent", _("Completed tasks excellently")
    GOOD = "good", _("Completed tasks well")
    COMPLETE = "complete", _("Completed tasks")
    INCOMPLETE = "incomplete", _("Did not complete tasks")


class Commitment(models.Model):
    """A member's registration for the year (bản đăng ký): their pledges under the three responsibilities."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="commitments")
    movement_year = models.ForeignKey(MovementYear, verbose_name=_("movement year"), on_delete=models.PROTECT,
                                      related_name="commitments")
    state = models.CharField(_("state"), max_length=16, choices=CommitmentState.choices,
                             default=CommitmentState.DRAFT, db_index=True)
    review_comment = models.TextField(_("secretary's comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    self_classification = models.CharField(_("my proposed classification"), max_length=12,
                                           choices=Classification.choices, blank=True)
    self_comment = models.TextField(_("my self-assessment"), blank=True)
    proposed_classification = models.CharField(_("branch's proposed classification"), max_length=12,
                                               choices=Classification.choices, blank=True)
    evaluation_comment = models.TextField(_("branch's evaluation"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("evaluated by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    classification = models.CharField(_("classification"), max_length=12, choices=Classification.choices, blank=True)
    classification_note = models.TextField(_("reason for the change"), blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["member__sort_name", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [models.UniqueConstraint(fields=["member", "movement_year"], name="commitment_unique")]

    def __str__(self):
        return _("Commitment of %(member)s, %(year)s") % {"member": self.member, "year": self.movement_year.year}


class SelfResult(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT = "not", _("Not achieved")


class TargetKind(models.TextChoices):
    NUMBER = "number", _("A number to reach")
    DONE = "done", _("Done or not done")


class Pledge(models.Model):
    """One promise of a member against a criterion, with a measurable target and a due date."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="pledges")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT,
                                  related_name="pledges")
    text = models.TextField(_("my pledge"), max_length=1000)
    target_kind = models.CharField(_("target"), max_length=10, choices=TargetKind.choices, default=TargetKind.DONE)
    target_value = models.DecimalField(_("target value"), max_digits=10, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(0)])
    target_unit = models.CharField(_("unit of the target"), max_length=50, blank=True,
                                   help_text=_("e.g. hồ sơ, giờ, lớp học"))
    due_date = models.DateField(_("due date"))
    review_comment = models.TextField(_("secretary's comment"), blank=True)
    self_result = models.CharField(_("my assessment"), max_length=10, choices=SelfResult.choices, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["criterion__responsibility", "criterion__position", "id"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if self.target_kind == TargetKind.NUMBER and self.target_value is None:
            raise ValidationError({"target_value": _("Give the number you will reach.")})

    @property
    def responsibility(self) -> str:
        return self.criterion.responsibility

    @property
    def target_display(self) -> str:
        if self.target_kind == TargetKind.NUMBER and self.target_value is not None:
            value = self.target_value.normalize()
            return f"{value:f} {self.target_unit}".strip()
        return str(TargetKind.DONE.label)


class EvidenceState(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Evidence(models.Model):
    """What a member did towards a pledge (minh chứng), verified or rejected by the branch."""

    pledge = models.ForeignKey(Pledge, verbose_name=_("pledge"), on_delete=models.CASCADE, related_name="evidence")
    done_on = models.DateField(_("date"))
    description = models.TextField(_("what was done"), max_length=2000)
    value_reached = models.DecimalField(_("value reached"), max_digits=10, decimal_places=2, null=True, blank=True,
                                        validators=[MinValueValidator(0)],
                                        help_text=_("For a pledge with a number: how much this adds."))
    state = models.CharField(_("state"), max_length=10, choices=EvidenceState.choices, default=EvidenceState.PENDING,
                             db_index=True)
    review_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["done_on", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return f"{self.done_on:%d/%m/%Y} {self.description[:60]}"


def evidence_file_path(instance, filename):
    # The stored name is random: the original name is kept in the row, never used on disk.
    return f"evidence/{instance.evidence.pledge.commitment.movement_year.year}/{instance.stored_name}"


class EvidenceFile(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_file_path, max_length=200)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name


class AmendmentState(models.TextChoices):
    PENDING = "pending", _("Waiting for the secretary")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class PledgeAmendment(models.Model):
    """A member's request to change an approved pledge; both versions stay on record whatever the answer."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="amendments")
    text = models.TextField(_("my pledge"), max_length=1000)
    target_kind = models.CharField(_("target"), max_length=10, choices=TargetKind.choices)
    target_value = models.DecimalField(_("target value"), max_digits=10, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(0)])
    target_unit = models.CharField(_("unit of the target"), max_length=50, blank=True)
    due_date = models.DateField(_("due date"))
    reason = models.TextField(_("why the change"), max_length=1000)
    previous = models.JSONField(_("the pledge before"), default=dict)
    state = models.CharField(_("state"), max_length=10, choices=AmendmentState.choices,
                             default=AmendmentState.PENDING, db_index=True)
    decision_note = models.TextField(_("secretary's answer"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pledge amendment")
        verbose_name_plural = _("pledge amendments")
        constraints = [models.UniqueConstraint(fields=["pledge"], condition=models.Q(state="pending"),
                                               name="one_pending_amendment_per_pledge")]

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if self.target_kind == TargetKind.NUMBER and self.target_value is None:
            raise ValidationError({"target_value": _("Give the number you will reach.")})
