from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node

from members.text import fold, sort_key_for_name


class UnitKind(models.TextChoices):
    CITY = "city", _("City union")
    SECTOR = "sector", _("Sector union")
    GRASSROOTS = "grassroots", _("Grassroots union")
    BRANCH = "branch", _("Branch")


# A unit's kind must sit below its parent's kind in this order.
UNIT_KIND_RANK = {UnitKind.CITY: 0, UnitKind.SECTOR: 1, UnitKind.GRASSROOTS: 2, UnitKind.BRANCH: 3}


class Sector(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative")
    HEALTH = "health", pgettext_lazy("sector", "Health")


class Unit(MP_Node):
    """A union body: city union → sector union → grassroots union → branch (materialized path)."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A short unique code, used in imports and document numbers, e.g. bvgd-khoa-noi."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # How long the closed records of members under this union keep the person's details; empty: as the union
    # above it says, or DJANGO_RETENTION_YEARS at the top (members/retention.py).
    retention_years = models.PositiveSmallIntegerField(
        _("years a closed record keeps personal details"), null=True, blank=True, editable=False,
        validators=[MinValueValidator(1), MaxValueValidator(50)])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    def may_contain(self, kind: str) -> bool:
        return UNIT_KIND_RANK[UnitKind(kind)] > UNIT_KIND_RANK[UnitKind(self.kind)]

    def subtree_q(self, path_field: str = "path") -> Q:
        return Q(**{f"{path_field}__startswith": self.path})

    def is_within(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)

    def ancestor_paths(self, *, include_self: bool = True) -> list[str]:
        """The paths of the units above this one, from the root down (and its own, unless told otherwise)."""
        end = len(self.path) + (1 if include_self else 0)
        return [self.path[:length] for length in range(self.steplen, end, self.steplen)]


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    # The ends of a member's life in the union (members/life.py): each closes the record on a date.
    MOVED_OUT = "moved_out", _("Moved to a union outside the portal")
    MATURED = "matured", _("Came of age (left at 30)")
    LEFT = "left", _("Left the union")


CLOSING_STATUSES = (MemberStatus.MOVED_OUT, MemberStatus.MATURED, MemberStatus.LEFT)


class Member(models.Model):
    """A person of the movement: a union member (đoàn viên) or a non-member youth (thanh niên).

    The account is optional: most members are listed by their branch long before they sign in.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="members")
    full_name = models.CharField(_("full name"), max_length=100)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    is_union_member = models.BooleanField(
        _("union member"), default=True, help_text=_("Untick for a youth who is not (yet) a union member.")
    )
    card_number = models.CharField(
        _("member card number"), max_length=20, blank=True, help_text=_("The number on the union card, if any.")
    )
    joined_union_on = models.DateField(_("date joined the union"), null=True, blank=True)
    # The admission (kết nạp) recorded in the portal: which union decided it, and its decision.
    admitted_by = models.ForeignKey("Unit", verbose_name=_("admitted by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    admission_decision = models.CharField(_("admission decision"), max_length=60, blank=True, editable=False)
    position = models.CharField(
        _("position"), max_length=100, blank=True, help_text=_("Job title, e.g. Điều dưỡng, Chuyên viên.")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    closed_on = models.DateField(_("record closed on"), null=True, blank=True, editable=False)
    closing_note = models.CharField(_("where to, or why"), max_length=300, blank=True, editable=False)
    # Set when the record's retention ended and the person's details were removed (members/retention.py).
    pseudonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when deactivating the member closed their sign-in, so that reactivating opens it again and nothing else.
    login_suspended = models.BooleanField(default=False, editable=False)
    # The notice on personal data, read and agreed to at first sign-in; and two consents the member gives or
    # withdraws at any time (members/privacy.py). Nothing personal is shown publicly without the first.
    notice_accepted_at = models.DateTimeField(_("notice on personal data agreed"), null=True, blank=True,
                                              editable=False)
    consents_to_public_display = models.BooleanField(
        _("agrees to be shown publicly"), default=False, editable=False,
        help_text=_("On the honour board and public achievement pages."))
    consents_to_feedback_naming = models.BooleanField(
        _("agrees to be named in the people's feedback"), default=False, editable=False,
        help_text=_("Opinions of the people naming the member count in their evidence."))
    # Derived from full_name so that lists sort by given name and search ignores diacritics on any database.
    sort_name = models.CharField(max_length=220, editable=False, db_index=True)
    search_name = models.CharField(max_length=100, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["sort_name", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["card_number"],
                condition=~Q(card_number=""),
                name="member_card_number_unique",
                violation_error_message=_("Another member already has this card number."),
            )
        ]
        indexes = [models.Index(fields=["unit", "status", "sort_name"], name="member_unit_status_sort")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.refresh_name_keys()
        super().save(*args, **kwargs)

    def refresh_name_keys(self):
        self.full_name = " ".join(self.full_name.split())
        self.sort_name = sort_key_for_name(self.full_name)
        self.search_name = fold(self.full_name)

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE

    @property
    def is_closed(self) -> bool:
        """Closed for good (moved out, came of age, left): kept for the history where it closed, not moved."""
        return self.status in CLOSING_STATUSES


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    COMMITTEE = "committee", _("Committee")
    EMULATION_STANDING = "emulation_standing", _("Standing emulation unit")
    LEADERSHIP_VIEWER = "leadership_viewer", _("Leadership (read only)")


# Membership of a unit is Member.unit; an assignment records an office held in a unit.
# Keeping one source for membership means a transfer cannot leave a stale role behind.
ASSIGNABLE_ROLES = [(value, label) for value, label in Role.choices if value != Role.MEMBER]


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=ASSIGNABLE_ROLES)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="role_assignment_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class AuditEntry(models.Model):
    """Who changed what, in which unit, with the data before and after. Never deleted, and never edited but for
    one reason: when a closed record's retention ends, the person's details are removed from it too
    (members/retention.py)."""

    action = models.CharField(_("action"), max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"], name="audit_target")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class AccessKind(models.TextChoices):
    PROFILE = "profile", _("Opened the member's profile")
    EVALUATION = "evaluation", _("Opened the member's commitment and evaluation")
    EVIDENCE_FILE = "evidence_file", _("Opened a file of the member's evidence")
    EXPORT = "export", _("Exported personal data")


class AccessEntry(models.Model):
    """Who looked at a person's records, or took personal data out of the portal, and when (members/access_log.py).

    Kept apart from the audit log: that one says what changed, this one who read."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                             related_name="+")
    user_name = models.CharField(_("by"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=AccessKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, verbose_name=_("member"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="access_entries")
    what = models.CharField(_("what"), max_length=250, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["member", "-created_at"], name="access_member_time"),
                   models.Index(fields=["kind", "-created_at"], name="access_kind_time")]


class Notification(models.Model):
    """A line on a person's home page about something that happened to them; mailed too when they have mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.message


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    READING = "reading", _("Reading the list")
    WRITING = "writing", _("Writing the members")
    DONE = "done", _("Done")
    FAILED = "failed", _("Refused")


class MemberImport(models.Model):
    """A long member-list import running in the background, and how far it got."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    read_rows = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    @property
    def percent(self) -> int:
        if self.state == ImportState.DONE:
            return 100
        return min(99, self.read_rows * 100 // self.total_rows) if self.total_rows else 0

    @property
    def finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.FAILED)
