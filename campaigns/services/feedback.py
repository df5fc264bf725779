"""The people's feedback: feedback points and their questions, what citizens send, and what the unit does with it
(answer, attribute to a member, hide an abusive entry with a reason, close or reopen a point).

The public write is ``feedback_submit``. It holds the limits that protect a point from a flood whatever page or
script calls it: the posts received in the past window are counted per sender address and per point, in the
database and under locks, so that posts arriving together are counted one after another."""

import hashlib
import hmac
import ipaddress
import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import (
    SCORES,
    Feedback,
    FeedbackPoint,
    FeedbackPointKind,
    FeedbackQuestion,
    FeedbackRating,
    FeedbackState,
)
from members import audit
from members.access import Action, policy
from members.models import Member, MemberStatus, Unit
from members.text import fold
from movements.models import Collective

logger = logging.getLogger(__name__)

__all__ = ["FeedbackRefused", "contact_email", "feedback_attribute", "feedback_move", "feedback_reply",
           "feedback_submit", "point_create", "point_set_open", "point_update", "DEFAULT_QUESTIONS",
           "DEFAULT_INVITATION", "FEEDBACK_MOVES", "MAX_QUESTIONS"]

POINT_CREATED = audit.register_action("feedback.point_created", gettext_lazy("Feedback point created"))
POINT_UPDATED = audit.register_action("feedback.point_updated", gettext_lazy("Feedback point changed"))
POINT_CLOSED = audit.register_action("feedback.point_closed", gettext_lazy("Feedback point closed"))
POINT_REOPENED = audit.register_action("feedback.point_reopened", gettext_lazy("Feedback point reopened"))
FEEDBACK_RECEIVED = audit.register_action("feedback.received", gettext_lazy("Feedback received from the people"))
FEEDBACK_REPLIED = audit.register_action("feedback.replied", gettext_lazy("Feedback answered"))
FEEDBACK_HIDDEN = audit.register_action("feedback.hidden", gettext_lazy("Feedback hidden as abusive"))
FEEDBACK_SHOWN = audit.register_action("feedback.shown", gettext_lazy("Feedback shown again"))
FEEDBACK_ATTRIBUTED = audit.register_action("feedback.attributed", gettext_lazy("Feedback attributed to a member"))

MAX_QUESTIONS = 6
DEFAULT_QUESTIONS = (gettext_lazy("Courtesy of the staff"), gettext_lazy("Listening to you"),
                     gettext_lazy("Clear explanation"), gettext_lazy("Timeliness"))
DEFAULT_INVITATION = gettext_lazy("Your opinion helps the young people here serve you better. It takes one minute "
                                  "and needs no account.")


class FeedbackRefused(ValidationError):
    """A post the limits refuse: the page says so politely and nothing is written."""


@dataclass(frozen=True)
class FeedbackMove:
    source: str
    target: str
    audit_action: str


FEEDBACK_MOVES = {"hide": FeedbackMove(FeedbackState.SHOWN, FeedbackState.HIDDEN, FEEDBACK_HIDDEN),
                  "show": FeedbackMove(FeedbackState.HIDDEN, FeedbackState.SHOWN, FEEDBACK_SHOWN)}


# Points

def _check_manage(actor, unit: Unit) -> None:
    if not policy.can(actor, Action.MANAGE_FEEDBACK, unit):
        raise PermissionDenied(_("Your role does not allow managing the feedback of %(unit)s.") % {"unit": unit})


def _one_line(text: str) -> str:
    # A name goes into a mail's subject and onto a poster: one line, single spaces.
    return " ".join(text.split())


def _clean_questions(texts) -> list[str]:
    questions: list[str] = []
    for text in texts:
        text = " ".join(str(text).split())
        if text and fold(text) not in {fold(known) for known in questions}:
            questions.append(text)
    if not questions:
        raise ValidationError({"questions": _("Give at least one question to rate.")})
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError({"questions": _("Give at most %(count)d questions: a short form is filled in.")
                               % {"count": MAX_QUESTIONS}})
    too_long = [text for text in questions if len(text) > 150]
    if too_long:
        raise ValidationError({"questions": _("Keep each question under 150 characters: “%(text)s…”")
                               % {"text": too_long[0][:40]}})
    return questions


def _set_questions(point: FeedbackPoint, texts: list[str]) -> None:
    """Keep the questions asked again, retire the ones that have answers, drop the ones that have none."""
    current = {fold(question.text): question for question in point.questions.filter(is_active=True)}
    for position, text in enumerate(texts):
        question = current.pop(fold(text), None)
        if question is None:
            FeedbackQuestion.objects.create(point=point, text=text, position=position)
        else:
            question.text, question.position = text, position
            question.save(update_fields=["text", "position"])
    for question in current.values():
        if question.ratings.exists():
            question.is_active = False
            question.save(update_fields=["is_active"])
        else:
            question.delete()


def point_create(*, actor, unit: Unit, kind: str, name: str, invitation: str, questions,
                 collective: Collective | None = None) -> FeedbackPoint:
    _check_manage(actor, unit)
    if kind == FeedbackPointKind.COLLECTIVE:
        if collective is None:
            raise ValidationError({"collective": _("Choose the collective the point is for.")})
        if not collective.unit.is_within(unit):
            raise ValidationError({"collective": _("%(collective)s is not under %(unit)s.")
                                   % {"collective": collective, "unit": unit}})
    else:
        collective = None
    texts = _clean_questions(questions)
    with transaction.atomic():
        point = FeedbackPoint(unit=unit, kind=kind, collective=collective, name=_one_line(name),
                              invitation=_one_line(invitation), created_by=actor)
        point.full_clean(exclude=["created_by"])
        point.save()
        _set_questions(point, texts)
        audit.record(action=POINT_CREATED, actor=actor, unit=unit, target=point,
                     after={"name": point.name, "kind": kind, "questions": texts})
    return point


def _locked_point(point: FeedbackPoint) -> FeedbackPoint:
    return FeedbackPoint.objects.select_for_update(of=("self",)).select_related("unit").get(pk=point.pk)


def point_update(*, actor, point: FeedbackPoint, name: str, invitation: str, questions) -> FeedbackPoint:
    texts = _clean_questions(questions)
    with transaction.atomic():
        point = _locked_point(point)
        _check_manage(actor, point.unit)
        before = {"name": point.name, "invitation": point.invitation,
                  "questions": [q.text for q in point.questions.filter(is_active=True)]}
        point.name, point.invitation = _one_line(name), _one_line(invitation)
        point.full_clean(exclude=["created_by"])
        point.save(update_fields=["name", "invitation"])
        _set_questions(point, texts)
        old, new = audit.changed_fields(before, {"name": point.name, "invitation": point.invitation,
                                                 "questions": texts})
        if new:
            audit.record(action=POINT_UPDATED, actor=actor, unit=point.unit, target=point, before=old, after=new)
    return point


def point_set_open(*, actor, point: FeedbackPoint, is_open: bool) -> FeedbackPoint:
    with transaction.atomic():
        point = _locked_point(point)
        _check_manage(actor, point.unit)
        if point.is_open == is_open:
            raise ValidationError(_("The point is already receiving feedback.") if is_open
                                  else _("The point is already closed."))
        point.is_open = is_open
        point.save(update_fields=["is_open"])
        audit.record(action=POINT_REOPENED if is_open else POINT_CLOSED, actor=actor, unit=point.unit, target=point,
                     before={"is_open": not is_open}, after={"is_open": is_open})
    return point


# What the people send

def sender_hash(address: str) -> str:
    """A keyed hash of the sender: the address, or for IPv6 its /64 network, which one household or phone holds
    whole and could otherwise walk through to escape the limit."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        parsed = None
    if parsed is not None and parsed.version == 6:
        address = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:16]


def _hold_sender(sender: str) -> None:
    """Posts from one sender to different points lock different points: on PostgreSQL they also queue on the
    sender, until the transaction ends, so that they are counted one after the other. SQLite runs one writing
    transaction at a time anyway."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The sender's hash is 16 hex digits; 15 of them fit the lock's signed 64-bit key.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(sender[:15], 16)])


def _count_post(point: FeedbackPoint, sender: str) -> None:
    """Refuse the post, politely, when its point or its sender has reached the limit of the past window.

    Counted in the database from the posts received, inside the transaction that stores this one and with the point
    locked (and the sender, _hold_sender): posts arriving together are counted one after the other, and no cache
    that drops keys when it is full can forget a count."""
    since = timezone.now() - settings.FEEDBACK_LIMIT_WINDOW
    _hold_sender(sender)
    limits = [
        (Feedback.objects.filter(point=point), settings.FEEDBACK_LIMIT_PER_POINT,
         _("Thank you. This point has received many opinions in a short time; please try again later.")),
        (Feedback.objects.filter(sender_hash=sender), settings.FEEDBACK_LIMIT_PER_ADDRESS,
         _("Thank you. Many opinions were sent from your connection in a short time; please try again later.")),
    ]
    for received, limit, message in limits:
        if received.filter(created_at__gt=since)[:limit].count() >= limit:
            raise FeedbackRefused(message)


def contact_email(contact: str) -> str:
    """The contact when it is a mail address (a reply is sent to it), else an empty string."""
    try:
        validate_email(contact)
    except ValidationError:
        return ""
    return contact


def _clean_contact(contact: str) -> str:
    contact = contact.strip()
    if not contact or contact_email(contact):
        return contact
    digits = sum(ch.isdigit() for ch in contact)
    if "@" in contact or not (8 <= digits <= 15) or any(not (ch.isdigit() or ch in " +.-()") for ch in contact):
        raise ValidationError({"contact": _("Enter an email address or a phone number, or leave it empty.")})
    return contact


def _member_named(point: FeedbackPoint, name: str) -> Member | None:
    """The one active member of the point's unit with that name, if exactly one; the secretary decides otherwise."""
    folded = " ".join(fold(name).split())
    if not folded:
        return None
    matches = list(Member.objects.filter(point.unit.subtree_q("unit__path"), status=MemberStatus.ACTIVE,
                                         consents_to_feedback_naming=True, search_name=folded)[:2])
    return matches[0] if len(matches) == 1 else None


def feedback_submit(*, point: FeedbackPoint, scores: dict, served_by_name: str = "", comment: str = "",
                    contact: str = "", sender_address: str = "") -> Feedback:
    """Record what a citizen sent, within the limits. ``scores`` maps question ids to a rating from 1 to 5."""
    contact = _clean_contact(contact)
    sender = sender_hash(sender_address)
    with transaction.atomic():
        point = _locked_point(point)
        if not point.is_open:
            raise ValidationError(_("This feedback point no longer receives opinions."))
        questions = {question.pk: question for question in point.questions.filter(is_active=True)}
        ratings = {}
        for question_id, score in scores.items():
            if question_id not in questions or score not in SCORES:
                raise ValidationError(_("Choose a rating from 1 to 5 for the questions on the page."))
            ratings[question_id] = score
        if not ratings and not comment.strip():
            raise ValidationError(_("Rate at least one question or write a comment."))
        _count_post(point, sender)
        average = (Decimal(sum(ratings.values())) / len(ratings)).quantize(Decimal("0.01"), ROUND_HALF_UP) \
            if ratings else None
        feedback = Feedback(point=point, served_by_name=" ".join(served_by_name.split()), comment=comment.strip(),
                            contact=contact, average=average, sender_hash=sender)
        feedback.member = _member_named(point, feedback.served_by_name)
        feedback.full_clean(exclude=["point", "member"])
        feedback.save()
        FeedbackRating.objects.bulk_create(FeedbackRating(feedback=feedback, question=questions[question_id],
                                                          score=score) for question_id, score in ratings.items())
        audit.record(action=FEEDBACK_RECEIVED, actor=None, unit=point.unit, target=feedback,
                     after={"average": str(average) if average is not None else "",
                            "member": feedback.member.full_name if feedback.member else ""})
    return feedback


# What the unit does with it

def _locked_feedback(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update(of=("self",)).select_related("point__unit").get(pk=feedback.pk)


def feedback_reply(*, actor, feedback: Feedback, text: str) -> Feedback:
    """Answer a comment; the answer is mailed when the citizen left a mail address."""
    text = text.strip()
    if not text:
        raise ValidationError({"reply": _("Write the answer first.")})
    with transaction.atomic():
        feedback = _locked_feedback(feedback)
        _check_manage(actor, feedback.point.unit)
        if feedback.replied_at:
            raise ValidationError(_("This opinion was answered on %(date)s.")
                                  % {"date": timezone.localtime(feedback.replied_at).strftime("%d/%m/%Y")})
        if feedback.state == FeedbackState.HIDDEN:
            raise ValidationError(_("A hidden opinion is not answered; show it again first."))
        feedback.reply, feedback.replied_by, feedback.replied_at = text, actor, timezone.now()
        feedback.full_clean(exclude=["point", "member", "replied_by", "hidden_by"])
        address = contact_email(feedback.contact)
        feedback.save(update_fields=["reply", "replied_by", "replied_at"])
        audit.record(action=FEEDBACK_REPLIED, actor=actor, unit=feedback.point.unit, target=feedback,
                     after={"reply": text[:200], "to_mail": bool(address)})
        if address:
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Answer to your opinion on %(point)s") % {"point": feedback.point.name}
                body = _("Thank you for your opinion of %(date)s.\n\nYou wrote:\n%(comment)s\n\nOur answer:\n"
                         "%(reply)s\n\n%(unit)s") % {
                    "date": timezone.localtime(feedback.created_at).strftime("%d/%m/%Y"),
                    "comment": feedback.comment or "—", "reply": text, "unit": feedback.point.unit.name}
            transaction.on_commit(lambda: _mail_reply(feedback.pk, subject, body, address))
    return feedback


def _mail_reply(feedback_id: int, subject: str, body: str, address: str) -> None:
    """Mail the answer once it is saved; the opinion says it was mailed only when the mail server took it."""
    try:
        send_mail(subject, body, None, [address])
    except Exception as error:  # the answer stays recorded; the page says it was not mailed
        logger.warning("The answer to feedback %s could not be mailed: %s", feedback_id, error)
        return
    Feedback.objects.filter(pk=feedback_id).update(reply_mailed=True)


def feedback_move(*, actor, feedback: Feedback, name: str, reason: str = "") -> Feedback:
    """Hide an abusive opinion with a reason, or show it again; the entry is kept either way."""
    move = FEEDBACK_MOVES.get(name)
    if move is None:
        raise ValidationError(_("Unknown action."))
    reason = " ".join(reason.split())
    if name == "hide" and not reason:
        raise ValidationError({"reason": _("Say why the opinion is hidden.")})
    with transaction.atomic():
        feedback = _locked_feedback(feedback)
        _check_manage(actor, feedback.point.unit)
        if feedback.state != move.source:
            raise ValidationError(_("The opinion is already hidden.") if name == "hide"
                                  else _("The opinion is already shown."))
        before = {"state": feedback.state, "hidden_reason": feedback.hidden_reason}
        feedback.state = move.target
        if name == "hide":
            feedback.hidden_reason, feedback.hidden_by, feedback.hidden_at = reason[:300], actor, timezone.now()
        feedback.save(update_fields=["state", "hidden_reason", "hidden_by", "hidden_at"])
        audit.record(action=move.audit_action, actor=actor, unit=feedback.point.unit, target=feedback,
                     before=before, after={"state": feedback.state, "hidden_reason": feedback.hidden_reason},
                     note=reason)
    return feedback


def feedback_attribute(*, actor, feedback: Feedback, member: Member | None) -> Feedback:
    """Say which member the opinion names, or that it names none, for that member's evidence."""
    with transaction.atomic():
        feedback = _locked_feedback(feedback)
        _check_manage(actor, feedback.point.unit)
        if member is not None and not (member.unit.is_within(feedback.point.unit)
                                       and policy.may_on_member(actor, Action.VIEW_MEMBERS, member)):
            raise ValidationError({"member": _("Choose a member of %(unit)s.") % {"unit": feedback.point.unit}})
        if member is not None and not member.consents_to_feedback_naming:
            raise ValidationError({"member": _("%(member)s has not agreed to be named in the people's feedback.")
                                   % {"member": member}})
        if feedback.member_id == (member.pk if member else None):
            return feedback
        before = {"member": str(feedback.member) if feedback.member_id else ""}
        feedback.member = member
        feedback.save(update_fields=["member"])
        audit.record(action=FEEDBACK_ATTRIBUTED, actor=actor, unit=feedback.point.unit, target=feedback,
                     before=before, after={"member": str(member) if member else ""})
    return feedback
