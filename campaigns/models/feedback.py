"""The people's voice (lắng nghe ý kiến của dân): feedback points with a QR poster, and what citizens leave there.

A feedback point belongs to a unit (a branch, a collective, a service desk, a youth clinic). Its public page asks
the point's questions, rated 1 to 5; a citizen may name who served them, comment and leave a contact for a reply.
Nothing is ever deleted: an abusive entry is hidden with a reason and an audit entry.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member, Unit
from movements.models import Collective

__all__ = ["FeedbackPointKind", "FeedbackPoint", "FeedbackQuestion", "FeedbackState", "Feedback", "FeedbackRating",
           "new_feedback_token", "SCORES"]

SCORES = range(1, 6)


def new_feedback_token() -> str:
    # Short enough for a small QR code and for typing from the poster; 72 random bits cannot be guessed.
    return secrets.token_urlsafe(9)


class FeedbackPointKind(models.TextChoices):
    COLLECTIVE = "collective", _("Youth collective")
    DESK = "desk", _("Service desk")
    CLINIC = "clinic", _("Youth clinic")
    UNIT = "unit", _("Branch or union")


class FeedbackPoint(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="feedback_points")
    kind = models.CharField(_("kind"), max_length=12, choices=FeedbackPointKind.choices)
    collective = models.ForeignKey(Collective, verbose_name=_("collective"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="feedback_points")
    name = models.CharField(_("name shown to the people"), max_length=150,
                            help_text=_("e.g. Bàn hướng dẫn người bệnh – Khoa Khám bệnh"))
    invitation = models.CharField(_("invitation on the poster"), max_length=300)
    token = models.CharField(max_length=20, unique=True, default=new_feedback_token, editable=False)
    is_open = models.BooleanField(_("receiving feedback"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("feedback point")
        verbose_name_plural = _("feedback points")
        constraints = [models.CheckConstraint(
            condition=Q(kind="collective", collective__isnull=False) | (~Q(kind="collective") & Q(collective=None)),
            name="feedback_point_collective_iff_kind")]

    def __str__(self):
        return self.name


class FeedbackQuestion(models.Model):
    """A question rated 1 to 5. One that has answers is retired, never removed, so old ratings keep their text."""

    point = models.ForeignKey(FeedbackPoint, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text


class FeedbackState(models.TextChoices):
    SHOWN = "shown", _("Shown")
    HIDDEN = "hidden", _("Hidden as abusive")


class Feedback(models.Model):
    point = models.ForeignKey(FeedbackPoint, verbose_name=_("feedback point"), on_delete=models.PROTECT,
                              related_name="feedback")
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    served_by_name = models.CharField(_("person who served"), max_length=100, blank=True)
    # Set when the name given matches one member of the unit, or by the secretary who reads it.
    member = models.ForeignKey(Member, verbose_name=_("member named"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="feedback")
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    contact = models.CharField(_("contact for a reply"), max_length=150, blank=True)
    average = models.DecimalField(_("average rating"), max_digits=3, decimal_places=2, null=True, blank=True)
    # A keyed hash of the sender's address: enough to see a flood, not enough to find a person.
    sender_hash = models.CharField(max_length=16, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=8, choices=FeedbackState.choices, default=FeedbackState.SHOWN,
                             db_index=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(_("reply"), max_length=2000, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    reply_mailed = models.BooleanField(_("reply sent by mail"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["point", "-created_at"], name="feedback_point_time"),
                   models.Index(fields=["member", "created_at"], name="feedback_member_time"),
                   # The limit per sender counts their posts of the past window (services.feedback).
                   models.Index(fields=["sender_hash", "created_at"], name="feedback_sender_time")]

    def __str__(self):
        return _("Feedback of %(date)s on %(point)s") % {
            "date": timezone.localtime(self.created_at).strftime("%d/%m/%Y") if self.created_at else "",
            "point": self.point}

    @property
    def waits_for_reply(self) -> bool:
        return bool(self.contact or self.comment) and not self.replied_at and self.state == FeedbackState.SHOWN


class FeedbackRating(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="ratings")
    question = models.ForeignKey(FeedbackQuestion, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "question"], name="feedback_rating_once"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="feedback_rating_1_to_5"),
        ]
