import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Member, Sector, Unit


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


class CommitmentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    EVALUATED = "evaluated", _("Evaluated by the branch")
    CONFIRMED = "confirmed", _("Classification confirmed")


# From approval on, the commitment has a scorecard.
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


# The movement's solutions (giải pháp)


class ProjectKind(models.TextChoices):
    POLITICAL_TASK = "political_task", _("Tied to the unit's political task")
    MEMBER_DEVELOPMENT = "member_development", _("For the development of members")
    COMMUNITY = "community", _("Serving society and the community")


class ProjectState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("youth project", "Rejected")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    ACCEPTED = "accepted", _("Accepted (nghiệm thu)")


class YouthProject(models.Model):
    """A youth project (công trình thanh niên) of a branch or union for a year."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="youth_projects")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    title = models.CharField(_("name of the project"), max_length=200)
    goal = models.TextField(_("goal"), max_length=2000)
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    budget = models.DecimalField(_("budget (VND)"), max_digits=14, decimal_places=0, default=0,
                                 validators=[MinValueValidator(0)])
    budget_sources = models.CharField(_("sources of the budget"), max_length=300, blank=True,
                                      help_text=_("e.g. Đoàn cơ sở, xã hội hóa, đơn vị chuyên môn"))
    members = models.ManyToManyField(Member, verbose_name=_("members taking part"), blank=True,
                                     related_name="youth_projects")
    promised_beneficiaries = models.PositiveIntegerField(_("people who will benefit"), default=0)
    promised_volunteer_hours = models.PositiveIntegerField(_("volunteer hours promised"), default=0)
    promised_value = models.DecimalField(_("value promised (VND)"), max_digits=14, decimal_places=0, default=0,
                                         validators=[MinValueValidator(0)])
    state = models.CharField(_("state"), max_length=12, choices=ProjectState.choices, default=ProjectState.PROPOSED,
                             db_index=True)
    decision_note = models.TextField(_("committee's note"), blank=True)
    final_beneficiaries = models.PositiveIntegerField(_("people who benefited"), null=True, blank=True)
    final_volunteer_hours = models.PositiveIntegerField(_("volunteer hours"), null=True, blank=True)
    final_value = models.DecimalField(_("value (VND)"), max_digits=14, decimal_places=0, null=True, blank=True,
                                      validators=[MinValueValidator(0)])
    final_volunteers = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("youth project")
        verbose_name_plural = _("youth projects")
        indexes = [models.Index(fields=["year", "state"], name="project_year_state")]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end must not come before the start.")})


class ProjectReport(models.Model):
    """A progress report on a project, with the figures reached since the previous one."""

    project = models.ForeignKey(YouthProject, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("date"))
    text = models.TextField(_("what was done"), max_length=2000)
    beneficiaries = models.PositiveIntegerField(_("people who benefited"), default=0)
    volunteer_hours = models.PositiveIntegerField(_("volunteer hours"), default=0)
    value = models.DecimalField(_("value (VND)"), max_digits=14, decimal_places=0, default=0,
                                validators=[MinValueValidator(0)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["reported_on", "id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")


def project_photo_path(instance, filename):
    return f"projects/{instance.report.project.year}/{instance.stored_name}"


class ProjectPhoto(models.Model):
    report = models.ForeignKey(ProjectReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=project_photo_path, max_length=200)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class ActivityKind(models.TextChoices):
    SEMINAR = "seminar", _("Seminar or workshop")
    TALK = "talk", _("Talk on a topic")
    FORUM = "forum", _("Forum")
    CONTEST = "contest", _("Professional contest")
    CLUB = "club", _("Club or team meeting")
    LANGUAGE = "language", _("Foreign-language course")
    IT = "it", _("IT course")


def new_checkin_token() -> str:
    return secrets.token_urlsafe(16)


class Activity(models.Model):
    """Professional development (trau dồi chuyên môn): an event of a unit, with attendance."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="activities")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    topic = models.TextField(_("topic"), max_length=1000, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    # The secret in the QR code shown at the event; a new one can be drawn if a photo of it leaks.
    checkin_token = models.CharField(max_length=40, unique=True, default=new_checkin_token, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return self.title


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("Checked in with the QR code")
    MARKED = "marked", _("Marked by the secretary")


class Attendance(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField(max_length=8, choices=AttendanceMethod.choices)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="attendance_once")]


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative (sáng kiến)")
    RESEARCH = "research", _("Research topic (đề tài nghiên cứu khoa học)")


class InitiativeState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review by the council")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    APPLIED = "applied", _("Applied, benefit measured")


class RecognitionLevel(models.TextChoices):
    BRANCH = "branch", _("Branch level")
    GRASSROOTS = "grassroots", _("Grassroots level")
    SECTOR = "sector", _("Sector level")
    CITY = "city", _("City level")


class Initiative(models.Model):
    """An initiative or research topic of one or more members, reviewed by a council and recognised at a level."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="initiatives")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    kind = models.CharField(_("kind"), max_length=12, choices=InitiativeKind.choices)
    title = models.CharField(_("title"), max_length=250)
    problem = models.TextField(_("the problem"), max_length=3000)
    solution = models.TextField(_("the solution"), max_length=3000)
    applied_where = models.CharField(_("where it applies"), max_length=250, blank=True)
    expected_benefit = models.TextField(_("expected benefit"), max_length=2000, blank=True,
                                        help_text=_("e.g. days saved per file, cost saved, quality gained"))
    authors = models.ManyToManyField(Member, verbose_name=_("authors"), related_name="initiatives")
    submitted_by = models.ForeignKey(Member, verbose_name=_("submitted by"), on_delete=models.PROTECT,
                                     related_name="+")
    state = models.CharField(_("state"), max_length=16, choices=InitiativeState.choices,
                             default=InitiativeState.SUBMITTED, db_index=True)
    council = models.CharField(_("review council"), max_length=500, blank=True,
                               help_text=_("The members of the council named by the committee."))
    level = models.CharField(_("recognised at"), max_length=12, choices=RecognitionLevel.choices, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_note = models.TextField(_("committee's note"), blank=True)
    days_saved_per_file = models.DecimalField(_("days saved per file"), max_digits=6, decimal_places=1, null=True,
                                              blank=True, validators=[MinValueValidator(0)])
    cost_saved = models.DecimalField(_("cost saved per year (VND)"), max_digits=14, decimal_places=0, null=True,
                                     blank=True, validators=[MinValueValidator(0)])
    benefit_note = models.TextField(_("measured benefit"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self):
        return self.title


class InitiativeScore(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.CharField(_("council member"), max_length=150)
    score = models.PositiveSmallIntegerField(_("score (0–100)"), validators=[MaxValueValidator(100)])
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("council score")
        verbose_name_plural = _("council scores")


class CollectiveModel(models.Model):
    """A kind of advanced youth collective; the catalogue starts from the movement's text and grows in the admin."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("model of collective")
        verbose_name_plural = _("models of collectives")

    def __str__(self):
        return self.name


class CollectiveState(models.TextChoices):
    REGISTERED = "registered", _("Registered, being followed")
    RECOGNISED = "recognised", _("Recognised as advanced")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")


class Collective(models.Model):
    """An advanced youth collective (tập thể thanh niên tiên tiến) registered by a branch for a year."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="collectives")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    model = models.ForeignKey(CollectiveModel, verbose_name=_("model"), on_delete=models.PROTECT,
                              related_name="collectives")
    name = models.CharField(_("name of the collective"), max_length=200)
    members = models.ManyToManyField(Member, verbose_name=_("members"), blank=True, related_name="collectives")
    commitments = models.TextField(_("commitments for the year"), max_length=3000)
    target_people_helped = models.PositiveIntegerField(_("people to help"), default=0)
    target_consultations = models.PositiveIntegerField(_("consultations to give"), default=0)
    target_sessions = models.PositiveIntegerField(_("sessions to hold"), default=0)
    state = models.CharField(_("state"), max_length=16, choices=CollectiveState.choices,
                             default=CollectiveState.REGISTERED, db_index=True)
    evaluation_note = models.TextField(_("committee's evaluation"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "name", "id"]
        verbose_name = _("youth collective")
        verbose_name_plural = _("youth collectives")

    def __str__(self):
        return self.name


class CollectiveLog(models.Model):
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="logs")
    done_on = models.DateField(_("date"))
    text = models.TextField(_("what was done"), max_length=2000)
    people_helped = models.PositiveIntegerField(_("people helped"), default=0)
    consultations = models.PositiveIntegerField(_("consultations"), default=0)
    sessions = models.PositiveIntegerField(_("sessions"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-id"]
        verbose_name = _("activity log")
        verbose_name_plural = _("activity logs")


class ScienceClub(models.Model):
    """A club or team of young scientists (câu lạc bộ, đội nhóm khoa học kỹ thuật trẻ) of a unit."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="science_clubs")
    name = models.CharField(_("name of the club"), max_length=200)
    field = models.CharField(_("field"), max_length=200, blank=True, help_text=_("e.g. Nội khoa, cải cách hành chính"))
    founded_on = models.DateField(_("founded on"))
    members = models.ManyToManyField(Member, verbose_name=_("members"), blank=True, related_name="science_clubs")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("club of young scientists")
        verbose_name_plural = _("clubs of young scientists")

    def __str__(self):
        return self.name
