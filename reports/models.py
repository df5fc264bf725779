"""Reports: the year-end report of the movement, the register that numbers documents, and the archive of issued
files, which never change once written."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Unit


class DocumentRegister(models.Model):
    """The last number given to a type of document by a unit in a year (sổ đăng ký văn bản)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "doc_type", "year"], name="register_once")]


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class YearEndReport(models.Model):
    """The year-end report of the movement for a unit: figures from the data, narrative from the committee."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="year_end_reports")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    state = models.CharField(_("state"), max_length=8, choices=ReportState.choices, default=ReportState.DRAFT)
    grounds = models.TextField(_("grounds (căn cứ)"), max_length=3000, blank=True)
    situation = models.TextField(_("I. Situation"), max_length=10000, blank=True)
    strengths = models.TextField(_("III.1. Strengths"), max_length=10000, blank=True)
    weaknesses = models.TextField(_("III.2. Weaknesses"), max_length=10000, blank=True)
    causes = models.TextField(_("III.3. Causes and lessons"), max_length=10000, blank=True)
    direction = models.TextField(_("IV. Direction and tasks for next year"), max_length=10000, blank=True)
    proposals = models.TextField(_("V. Proposals"), max_length=5000, blank=True)
    place = models.CharField(_("place"), max_length=80, default="TP. Hồ Chí Minh")
    signer_title = models.CharField(_("signer's title"), max_length=40, default="BÍ THƯ")
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    recipients = models.TextField(_("recipients (Nơi nhận)"), max_length=1000, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    NARRATIVE = ("grounds", "situation", "strengths", "weaknesses", "causes", "direction", "proposals", "place",
                 "signer_title", "signer_name", "recipients")

    class Meta:
        ordering = ["-year", "unit__path"]
        verbose_name = _("year-end report")
        verbose_name_plural = _("year-end reports")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="year_end_report_once")]

    def __str__(self):
        return str(_("Year-end report %(year)s, %(unit)s") % {"year": self.year, "unit": self.unit})

    @property
    def number_text(self) -> str:
        return f"{self.number}-BC/ĐTN" if self.number else "…-BC/ĐTN"


class KeptQuerySet(models.QuerySet):
    """Archived files are only ever added: bulk changes are refused like single ones."""

    def update(self, **kwargs):
        raise ValidationError(_("An archived file never changes."))

    def delete(self):
        raise ValidationError(_("An archived file is never removed."))

    def remove_expired(self, today) -> int:
        """The one removal the archive allows: a list export (a working copy naming people, not an issued
        report) whose keeping period has ended. Its file is removed by the caller once this commits."""
        return models.QuerySet.delete(self.filter(report__isnull=True, expires_on__lte=today))[0]


class ArchivedFile(models.Model):
    """A file in a unit's report archive, written once and never changed. An issued report's files stay for
    good; a list export (members, a review, award proposals) names people and is kept until ``expires_on``."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="archived_files")
    report = models.ForeignKey(YearEndReport, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="files")
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(upload_to="archive/%Y/", max_length=250)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_on = models.DateField(_("kept until"), null=True, blank=True, db_index=True)

    objects = KeptQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        base_manager_name = "objects"
        constraints = [models.UniqueConstraint(fields=["report", "content_type"], condition=models.Q(
            report__isnull=False), name="one_file_of_each_type_per_report")]
        verbose_name = _("archived file")
        verbose_name_plural = _("archived files")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("An archived file never changes."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An archived file is never removed."))


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """A long export running in the background; its page shows the progress and the files when done."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    state = models.CharField(_("state"), max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    percent = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    files = models.ManyToManyField(ArchivedFile, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
