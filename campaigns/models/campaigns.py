"""Emulation campaigns (đợt thi đua, chiến dịch) and awards (khen thưởng).

A campaign is launched by a committee for its subtree: targets (chỉ tiêu) endorsed by the leadership, stages
(chặng) for a long one, registrations against the targets, progress reports, inspections and support, interim and
final reviews frozen as snapshots, and awards decided with a number, a date and an issuing body.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Member, Unit
from movements.models import Collective, Commitment

FIGURE = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    LAUNCHED = "launched", _("Launched")
    REVIEWED = "reviewed", _("Final review done")


class Campaign(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("launched by"), on_delete=models.PROTECT, related_name="campaigns")
    template_key = models.CharField(max_length=40, blank=True, editable=False)
    title = models.CharField(_("name of the campaign"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=3000)
    content = models.TextField(_("content"), max_length=5000)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    registration_ends_on = models.DateField(_("registration closes"), null=True, blank=True,
                                            help_text=_("Leave empty to accept registrations until the end."))
    open_to_units = models.BooleanField(_("branches and unions may register"), default=True)
    open_to_collectives = models.BooleanField(_("collectives may register"), default=False)
    open_to_members = models.BooleanField(_("members may register"), default=False)
    coordination_rule = models.TextField(
        _("rule of coordination with professional departments"), max_length=3000, blank=True,
        help_text=_("e.g. Phòng Điều dưỡng cử cán bộ cùng kiểm tra; Phòng Tổ chức xác nhận số liệu hằng tháng."))
    standing_members = models.ManyToManyField(Member, verbose_name=_("standing emulation unit"), blank=True,
                                              related_name="standing_campaigns",
                                              help_text=_("The people who follow the campaign day to day."))
    state = models.CharField(_("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT,
                             db_index=True)
    endorsed_by = models.CharField(_("targets endorsed by"), max_length=200, blank=True,
                                   help_text=_("e.g. Đảng ủy và Ban Giám đốc Bệnh viện"))
    endorsed_on = models.DateField(_("endorsed on"), null=True, blank=True)
    endorsement_note = models.TextField(_("endorsement note"), max_length=2000, blank=True)
    launched_on = models.DateField(_("date of the launch ceremony"), null=True, blank=True)
    launch_place = models.CharField(_("place of the launch ceremony"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end must not come before the start.")})
        if self.registration_ends_on and self.ends_on and self.registration_ends_on > self.ends_on:
            raise ValidationError({"registration_ends_on": _("Registration must close by the end of the campaign.")})
        if not (self.open_to_units or self.open_to_collectives or self.open_to_members):
            raise ValidationError({"open_to_units": _("Say who may register.")})

    @property
    def last_registration_day(self):
        return self.registration_ends_on or self.ends_on

    def registrant_kinds(self) -> list[str]:
        return [kind for kind, is_open in ((RecipientKind.UNIT, self.open_to_units),
                                           (RecipientKind.COLLECTIVE, self.open_to_collectives),
                                           (RecipientKind.MEMBER, self.open_to_members)) if is_open]


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Target(models.Model):
    """A measurable target (chỉ tiêu) of the campaign; each registrant pledges its own figure against it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("target"), max_length=200)
    measure = models.CharField(_("unit of measure"), max_length=40, help_text=_("e.g. lượt khám, đơn vị máu, hồ sơ"))
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1,
                                              validators=[MinValueValidator(1), MaxValueValidator(10)])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self):
        return f"{self.name} ({self.measure})"


class Stage(models.Model):
    """A stage (chặng) of a long campaign, closed by an interim review."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name of the stage"), max_length=120, blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="stage_number_once")]

    def __str__(self):
        return self.name or str(_("Stage %(number)s") % {"number": self.number})

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end must not come before the start.")})


class RecipientKind(models.TextChoices):
    UNIT = "unit", _("Branch or union")
    COLLECTIVE = "collective", _("Collective")
    MEMBER = "member", _("Member")


class RegistrationState(models.TextChoices):
    DRAFT = "draft", _("Not sent")
    SUBMITTED = "submitted", _("Waiting for approval")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


def exactly_one_party(kind_field: str) -> Q:
    """The field of the kind is set and the other is not: a unit alone, a collective, or a member."""
    return (Q(**{kind_field: RecipientKind.UNIT}, collective__isnull=True, member__isnull=True)
            | Q(**{kind_field: RecipientKind.COLLECTIVE}, collective__isnull=False, member__isnull=True)
            | Q(**{kind_field: RecipientKind.MEMBER}, collective__isnull=True, member__isnull=False))


class Registration(models.Model):
    """A registration (đăng ký thi đua) of a branch or union, a collective or a member, with its own figures.

    ``unit`` is the registering unit, or the unit the collective or member belongs to: the access policy
    scopes registrations by it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="registrations")
    kind = models.CharField(_("who registers"), max_length=10, choices=RecipientKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    collective = models.ForeignKey(Collective, verbose_name=_("collective"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="campaign_registrations")
    member = models.ForeignKey(Member, verbose_name=_("member"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="campaign_registrations")
    note = models.TextField(_("what we commit to"), max_length=3000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=RegistrationState.choices,
                             default=RegistrationState.DRAFT, db_index=True)
    return_note = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Whoever sent it may not approve it, whatever other office they hold.
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "kind", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.CheckConstraint(condition=exactly_one_party("kind"), name="registration_one_party"),
            models.UniqueConstraint(fields=["campaign", "unit"], condition=Q(kind=RecipientKind.UNIT),
                                    name="registration_unit_once"),
            models.UniqueConstraint(fields=["campaign", "collective"], condition=Q(collective__isnull=False),
                                    name="registration_collective_once"),
            models.UniqueConstraint(fields=["campaign", "member"], condition=Q(member__isnull=False),
                                    name="registration_member_once"),
        ]

    def __str__(self):
        return self.registrant_name

    @property
    def registrant_name(self) -> str:
        if self.kind == RecipientKind.MEMBER:
            return self.member.full_name
        if self.kind == RecipientKind.COLLECTIVE:
            return self.collective.name
        return self.unit.name


class RegistrationFigure(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="figures")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="+")
    pledged = models.DecimalField(_("pledged"), **FIGURE)

    class Meta:
        ordering = ["target__order", "target_id"]
        constraints = [models.UniqueConstraint(fields=["registration", "target"], name="registration_figure_once")]


class Forwarding(models.Model):
    """A union's registrations, combined and sent to the union above (tổng hợp đăng ký, gửi cấp trên)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="forwardings")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    registrations = models.PositiveIntegerField(_("registrations"))
    totals = models.JSONField(_("combined figures"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    forwarded_at = models.DateTimeField(_("forwarded"), auto_now_add=True)

    class Meta:
        ordering = ["unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="forwarding_once")]


def progress_file_path(instance, filename):
    return f"campaigns/{instance.registration.campaign_id}/{instance.stored_name}"


class ProgressReport(models.Model):
    """What a registrant reached in a stage (or since the last report), with an optional file as evidence."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="progress_reports")
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    reported_on = models.DateField(_("date"))
    text = models.TextField(_("what was done"), max_length=3000)
    file = models.FileField(upload_to=progress_file_path, max_length=200, blank=True)
    stored_name = models.CharField(max_length=80, blank=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["reported_on", "id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")


class ProgressFigure(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="figures")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("reached"), **FIGURE)

    class Meta:
        ordering = ["target__order", "target_id"]
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="progress_figure_once")]


class Inspection(models.Model):
    """A visit of the standing emulation unit (kiểm tra): findings, support promised, and the follow-up."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="inspections")
    registration = models.ForeignKey(Registration, verbose_name=_("registrant visited"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="inspections")
    visited_on = models.DateField(_("date of the visit"))
    inspectors = models.CharField(_("who visited"), max_length=300)
    findings = models.TextField(_("findings"), max_length=3000)
    support_promised = models.TextField(_("support promised"), max_length=2000, blank=True)
    follow_up_done_on = models.DateField(_("follow-up done on"), null=True, blank=True)
    follow_up_note = models.TextField(_("what was done to follow up"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")


class SupportAction(models.Model):
    """Help given to a registrant by the standing unit (hỗ trợ): people, materials, training, money."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="support_actions")
    registration = models.ForeignKey(Registration, verbose_name=_("registrant supported"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="support_actions")
    given_on = models.DateField(_("date"))
    description = models.TextField(_("support given"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("support action")
        verbose_name_plural = _("support actions")


class ReviewKind(models.TextChoices):
    INTERIM = "interim", _("Interim review (sơ kết)")
    FINAL = "final", _("Final review (tổng kết)")


class Review(models.Model):
    """An interim or final review: the scores and ranking of that day, frozen in its entries."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=8, choices=ReviewKind.choices)
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="reviews")
    held_on = models.DateField(_("date of the review"))
    note = models.TextField(_("conclusions"), max_length=5000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "stage"], condition=Q(kind="interim"),
                                    name="one_interim_review_per_stage"),
            models.UniqueConstraint(fields=["campaign"], condition=Q(kind="final"), name="one_final_review"),
            models.CheckConstraint(condition=Q(kind="final", stage__isnull=True)
                                   | Q(kind="interim", stage__isnull=False), name="review_stage_by_kind"),
        ]

    def save(self, *args, update_fields=None, **kwargs):
        # A review's date, kind and stage are part of the snapshot; only its conclusions change afterwards.
        if self.pk is not None and (update_fields is None or set(update_fields) - {"note"}):
            raise ValidationError(_("A review's figures are frozen once taken."))
        super().save(*args, update_fields=update_fields, **kwargs)

    def __str__(self):
        if self.kind == ReviewKind.FINAL:
            return str(_("Final review of %(campaign)s") % {"campaign": self.campaign})
        return str(_("Interim review of %(stage)s, %(campaign)s") % {"stage": self.stage,
                                                                     "campaign": self.campaign})


class Outcome(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    PROPOSED_HIGHER = "proposed_higher", _("Achieved, proposed for a higher award")


class FrozenQuerySet(models.QuerySet):
    """A snapshot's rows: only their notes may be written after they are taken."""

    def update(self, **kwargs):
        frozen = set(kwargs) - ReviewEntry.EDITABLE
        if frozen:
            raise ValidationError(_("A review's figures are frozen once taken."))
        return super().update(**kwargs)

    def delete(self):
        raise ValidationError(_("A review's figures are frozen once taken."))

    def pseudonymise(self, name: str) -> int:
        """The one change a snapshot allows beyond its notes: when a person's record reaches the end of its
        retention (members/retention.py) their name goes; the figures, score and rank stay."""
        return models.QuerySet.update(self, registrant_name=name)

    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("update_conflicts"):
            raise ValidationError(_("A review's figures are frozen once taken."))
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if set(fields) - ReviewEntry.EDITABLE:
            raise ValidationError(_("A review's figures are frozen once taken."))
        return super().bulk_update(objs, fields, *args, **kwargs)


class ReviewEntry(models.Model):
    """One registrant's line in a review, frozen: the name, the figures, the score and rank of that day."""

    EDITABLE = frozenset({"note"})

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="entries")
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="review_entries")
    registrant_kind = models.CharField(max_length=10, choices=RecipientKind.choices)
    registrant_name = models.CharField(_("registrant"), max_length=200)
    unit_name = models.CharField(_("unit"), max_length=200)
    rank = models.PositiveIntegerField(_("rank"))
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    figures = models.JSONField(_("figures"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    small_award = models.CharField(_("award at this review"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    objects = FrozenQuerySet.as_manager()

    class Meta:
        ordering = ["registrant_kind", "rank", "registrant_name", "id"]
        # Related lookups and Django's own machinery use the base manager: it refuses changes too.
        base_manager_name = "objects"
        verbose_name = _("review entry")
        verbose_name_plural = _("review entries")
        constraints = [models.UniqueConstraint(fields=["review", "registration"], name="review_entry_once")]

    def save(self, *args, update_fields=None, **kwargs):
        if self.pk is not None and (update_fields is None or set(update_fields) - self.EDITABLE):
            raise ValidationError(_("A review's figures are frozen once taken."))
        super().save(*args, update_fields=update_fields, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A review's figures are frozen once taken."))


class AwardKind(models.TextChoices):
    TITLE = "title", _("Title (danh hiệu)")
    COMMENDATION = "commendation", _("Commendation (giấy khen, bằng khen)")
    PRIZE = "prize", _("Prize (giải thưởng)")


class AwardLevel(models.TextChoices):
    BRANCH = "branch", _("Branch level")
    GRASSROOTS = "grassroots", _("Grassroots level")
    SECTOR = "sector", _("Sector level")
    CITY = "city", _("City level")
    CENTRAL = "central", _("Central level")


class AwardTitle(models.Model):
    """A title, commendation or prize the union gives; the catalogue is data, grown in the admin."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=AwardKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=AwardLevel.choices)
    issuing_body = models.CharField(_("usual issuing body"), max_length=200, blank=True)
    for_people = models.BooleanField(_("for people"), default=True)
    for_collectives = models.BooleanField(_("for collectives and units"), default=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("award title")
        verbose_name_plural = _("award titles")

    def __str__(self):
        return self.name


class AwardState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("award", "Proposed")
    DECIDED = "decided", pgettext_lazy("award", "Decided")
    NOT_GRANTED = "not_granted", _("Not granted")


class Award(models.Model):
    """An award proposed by a committee and decided with a decision number, date and issuing body.

    ``unit`` is the unit the recipient belongs to (or the unit itself); ``proposing_unit`` the committee's."""

    title = models.ForeignKey(AwardTitle, verbose_name=_("award"), on_delete=models.PROTECT, related_name="awards")
    recipient_kind = models.CharField(_("recipient"), max_length=10, choices=RecipientKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="awards")
    collective = models.ForeignKey(Collective, verbose_name=_("collective"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="awards")
    member = models.ForeignKey(Member, verbose_name=_("member"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="awards")
    recipient_name = models.CharField(_("recipient"), max_length=200)
    proposing_unit = models.ForeignKey(Unit, verbose_name=_("proposed by"), on_delete=models.PROTECT,
                                       related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    achievements = models.TextField(_("summary of achievements"), max_length=5000)
    review_entry = models.ForeignKey(ReviewEntry, verbose_name=_("from the review"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="awards")
    commitment = models.ForeignKey(Commitment, verbose_name=_("from the year's classification"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="awards")
    state = models.CharField(_("state"), max_length=12, choices=AwardState.choices, default=AwardState.PROPOSED,
                             db_index=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True,
                                       help_text=_("e.g. 125-QĐ/ĐTN"))
    decided_on = models.DateField(_("date of the decision"), null=True, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    refusal_note = models.TextField(_("reason not granted"), blank=True)
    is_published = models.BooleanField(_("on the honour board"), default=False)
    citation = models.TextField(_("what they did, for the honour board"), max_length=2000, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(condition=exactly_one_party("recipient_kind"), name="award_one_recipient"),
            models.CheckConstraint(condition=Q(is_published=False) | Q(state="decided"),
                                   name="award_published_when_decided"),
            # One live proposal of a title per recipient and year (a refused one may be proposed again).
            models.UniqueConstraint(fields=["title", "year", "member"],
                                    condition=Q(member__isnull=False) & ~Q(state="not_granted"),
                                    name="award_once_per_member"),
            models.UniqueConstraint(fields=["title", "year", "collective"],
                                    condition=Q(collective__isnull=False) & ~Q(state="not_granted"),
                                    name="award_once_per_collective"),
            models.UniqueConstraint(fields=["title", "year", "unit"],
                                    condition=Q(recipient_kind="unit") & ~Q(state="not_granted"),
                                    name="award_once_per_unit"),
        ]
        indexes = [models.Index(fields=["is_published", "state"], name="award_honour_board")]

    def __str__(self):
        return f"{self.title} – {self.recipient_name}"
