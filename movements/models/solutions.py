"""The movement's solutions: youth projects, professional development, initiatives, clubs, collectives."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Member, Unit


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
