"""Personal data (Nghị định 13/2023/NĐ-CP and the Personal Data Protection Law after it): the notice a member
agrees to at first sign-in, the consents they give or withdraw, and everything the portal holds about them, for
"My data" and its downloads.

The consents are two, separate and revocable: being shown publicly (honour board, public achievement pages), and
being named in the people's feedback (an opinion naming them counts in their evidence). Every change of either
leaves an audit entry, which is also the history of what the member agreed to and when."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import audit
from members.models import Member, MemberStatus
from members.services import locked_member

__all__ = ["PersonalDataExport", "as_json", "consents_update", "notice_accept", "notice_pending", "personal_data"]

NOTICE_ACCEPTED = audit.register_action("privacy.notice_accepted",
                                        gettext_lazy("Notice on personal data agreed to"))
CONSENTS_CHANGED = audit.register_action("privacy.consents_changed", gettext_lazy("Consents changed"))

CONSENT_FIELDS = ("consents_to_public_display", "consents_to_feedback_naming")


def notice_pending(user) -> bool:
    """Whether this person is an active member who has not yet agreed to the notice."""
    return Member.objects.filter(user=user, status=MemberStatus.ACTIVE, notice_accepted_at__isnull=True).exists()


def _set_consents(member: Member, *, public_display: bool, feedback_naming: bool) -> tuple[dict, dict]:
    before = audit.snapshot(member, CONSENT_FIELDS)
    member.consents_to_public_display, member.consents_to_feedback_naming = public_display, feedback_naming
    return audit.changed_fields(before, audit.snapshot(member, CONSENT_FIELDS))


def notice_accept(*, actor, member: Member, public_display: bool, feedback_naming: bool) -> Member:
    """The member's own agreement to the notice, with the two consents as they chose them."""
    if member.user_id != actor.pk:
        raise PermissionError("Only the member agrees to their own notice.")
    with transaction.atomic():
        member = locked_member(member)
        if member.notice_accepted_at is None:
            member.notice_accepted_at = timezone.now()
        before, after = _set_consents(member, public_display=public_display, feedback_naming=feedback_naming)
        member.save(update_fields=["notice_accepted_at", *CONSENT_FIELDS, "updated_at"])
        audit.record(action=NOTICE_ACCEPTED, actor=actor, unit=member.unit, target=member, before=before,
                     after={**after, "notice_accepted_at": member.notice_accepted_at.isoformat()})
    return member


def consents_update(*, actor, member: Member, public_display: bool, feedback_naming: bool) -> Member:
    """Give or withdraw either consent; only the member decides, and it takes effect at once."""
    if member.user_id != actor.pk:
        raise PermissionError("Only the member changes their own consents.")
    with transaction.atomic():
        member = locked_member(member)
        before, after = _set_consents(member, public_display=public_display, feedback_naming=feedback_naming)
        if after:
            member.save(update_fields=[*CONSENT_FIELDS, "updated_at"])
            audit.record(action=CONSENTS_CHANGED, actor=actor, unit=member.unit, target=member, before=before,
                         after=after)
    return member


# Everything the portal holds about a member

@dataclass
class Section:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    sheet: str = ""  # what the workbook renderer reads for a tab's name when the title is too long


def _value(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if hasattr(value, "hour") \
            else value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value if isinstance(value, (int, float)) else str(value)


def personal_data(member: Member) -> list[Section]:
    """Every record about the member in every app, as titled tables: what "My data" shows and downloads.

    Read for the member themselves, so nothing here is scoped by roles: it is all theirs. The opinions of the
    people naming them are those shown (an abusive one hidden by the branch is not about them any more)."""
    from campaigns.models import Award, Feedback, FeedbackState, Registration, ReviewEntry
    from members.models import AuditEntry, RoleAssignment
    from movements.models import (
        Attendance,
        Collective,
        Commitment,
        Evidence,
        Initiative,
        Pledge,
        YouthProject,
    )

    profile = Section("profile", _("Profile"), [_("Field"), _("Value")])
    for name in ("full_name", "birth_date", "gender", "is_union_member", "card_number", "joined_union_on",
                 "admitted_by", "admission_decision", "position", "phone", "email", "unit", "status", "closed_on",
                 "closing_note", "created_at", "notice_accepted_at", *CONSENT_FIELDS):
        model_field = Member._meta.get_field(name)
        display = getattr(member, f"get_{name}_display", None)
        profile.rows.append([capfirst(model_field.verbose_name),
                             _value(display() if display and getattr(member, name) else getattr(member, name))])
    sections = [profile]

    account = Section("account", _("Account and roles"), [_("Item"), _("Unit"), _("Since")])
    if member.user_id:
        user = member.user
        account.rows.append([_("User name: %(name)s") % {"name": user.get_username()}, "", _value(user.date_joined)])
        account.rows.append([_("Last sign-in"), "", _value(user.last_login)])
        for assignment in RoleAssignment.objects.filter(user=user).select_related("unit").order_by("created_at"):
            account.rows.append([assignment.get_role_display(), assignment.unit.name, _value(assignment.created_at)])
    sections.append(account)

    commitments = list(Commitment.objects.filter(member=member).select_related("movement_year").prefetch_related(
        "pledges__criterion", "pledges__evidence__files", "pledges__amendments").order_by("movement_year__year"))
    sections.append(Section("commitments", _("Commitments and evaluations"),
                            [_("Year"), _("State"), _("Submitted"), _("My proposed classification"),
                             _("My self-assessment"), _("Secretary's comment"), _("Proposed classification"),
                             _("Branch's evaluation"), _("Classification"), _("Reason for the change")],
                            [[c.movement_year.year, c.get_state_display(), _value(c.submitted_at),
                              c.get_self_classification_display(), c.self_comment, c.review_comment,
                              c.get_proposed_classification_display(), c.evaluation_comment,
                              c.get_classification_display(), c.classification_note] for c in commitments]))
    pledges = Section("pledges", _("Pledges and evidence"), [
        _("Year"), _("Criterion"), _("Pledge"), _("Target"), _("Due date"), _("Secretary's comment"),
        _("My assessment"), _("Evidence"), _("Date"), _("Value reached"), _("Files"), _("State"), _("Reason")])
    amendments = Section("amendments", _("Pledge amendments"), [
        _("Year"), _("Pledge before"), _("Pledge asked for"), _("Why the change"), _("Asked on"), _("State"),
        _("Secretary's answer"), _("Decided on")])
    for commitment in commitments:
        year = commitment.movement_year.year
        for pledge in commitment.pledges.all():
            target = " ".join(str(part) for part in (pledge.get_target_kind_display(), pledge.target_value or "",
                                                     pledge.target_unit) if part)
            head = [year, str(pledge.criterion), pledge.text, target, _value(pledge.due_date),
                    pledge.review_comment, pledge.get_self_result_display()]
            pledges.rows.append([*head, "", "", "", "", "", ""])
            for evidence in pledge.evidence.all():
                pledges.rows.append([*head, evidence.description, _value(evidence.done_on),
                                     _value(evidence.value_reached), ", ".join(f.original_name
                                                                               for f in evidence.files.all()),
                                     evidence.get_state_display(), evidence.review_reason])
            for amendment in pledge.amendments.all():
                amendments.rows.append([year, amendment.previous.get("text", ""), amendment.text, amendment.reason,
                                        _value(amendment.created_at), amendment.get_state_display(),
                                        amendment.decision_note, _value(amendment.decided_at)])
    sections += [pledges, amendments]

    sections.append(Section("activities", _("Activities attended"), [_("Activity"), _("Unit"), _("Date")], [
        [a.activity.title, a.activity.unit.name, _value(a.activity.starts_at)]
        for a in Attendance.objects.filter(member=member).select_related("activity__unit").order_by(
            "activity__starts_at")]))
    work = Section("work", _("Projects, initiatives and collectives"), [_("Kind"), _("Name"), _("Year")])
    work.rows += [[_("Youth project"), p.title, p.year] for p in YouthProject.objects.filter(members=member)]
    work.rows += [[_("Initiative"), i.title, i.year] for i in Initiative.objects.filter(authors=member)]
    work.rows += [[_("Youth collective"), c.name, c.year] for c in Collective.objects.filter(members=member)]
    sections.append(work)
    registrations = Registration.objects.filter(member=member).select_related("campaign")
    sections.append(Section("campaigns", _("Campaign registrations"), [_("Campaign"), _("State")], [
        [r.campaign.title, r.get_state_display()] for r in registrations]))
    sections.append(Section("reviews", _("Campaign reviews"), [
        _("Review"), _("Date of the review"), _("Rank"), _("Score"), _("Outcome"), _("Award at this review"),
        _("Note")], [
        [str(e.review), _value(e.review.held_on), e.rank, _value(e.score), e.get_outcome_display(), e.small_award,
         e.note]
        for e in ReviewEntry.objects.filter(registration__member=member).select_related(
            "review__campaign", "review__stage").order_by("review__held_on", "review_id")]))
    awards = Award.objects.filter(member=member)
    sections.append(Section("awards", _("Awards"), [_("Award"), _("Year"), _("State"), _("Decision"),
                                                    _("Summary of achievements"), _("On the honour board")], [
        [a.title.name, a.year, a.get_state_display(), a.decision_number, a.achievements,
         _value(a.is_published and member.consents_to_public_display)]
        for a in awards.select_related("title")]))
    sections.append(Section("feedback", _("Opinions of the people naming you"),
                            [_("Date"), _("Feedback point"), _("Average rating"), _("Comment")], [
        [_value(f.created_at), f.point.name, f.average if f.average is not None else "", f.comment]
        for f in Feedback.objects.filter(member=member, state=FeedbackState.SHOWN).select_related("point")]))
    history = audit.entries_about(
        Member.objects.filter(pk=member.pk), Commitment.objects.filter(member=member),
        Pledge.objects.filter(commitment__member=member), Evidence.objects.filter(pledge__commitment__member=member),
        registrations, awards, YouthProject.objects.filter(members=member),
        Initiative.objects.filter(authors=member), Collective.objects.filter(members=member),
        RoleAssignment.objects.filter(user_id=member.user_id))
    if member.user_id:
        # A role once held and since revoked has no row left: its entries name the account.
        login_name = member.user.get_username()
        history |= AuditEntry.objects.filter(
            Q(after__user=login_name) | Q(before__user=login_name),
            action__in=[audit.ROLE_ASSIGNED, audit.ROLE_REVOKED])
    sections.append(Section("history", _("Who changed what"), [_("Time"), _("Action"), _("By"), _("Record"),
                                                               _("What changed"), _("Note")], [
        [_value(entry.created_at), audit.action_label(entry.action), entry.actor_name or _("the system"),
         entry.target_repr, "; ".join(str(change) for change in audit.changes(entry)), entry.note]
        for entry in history.select_related("target_type").order_by("created_at", "id")]))
    from members.access_log import views_of

    if member.user_id:
        sections.append(Section("notifications", _("Notifications"), [_("Time"), _("Message")], [
            [_value(n.created_at), n.message] for n in member.user.notifications.order_by("created_at")]))
    sections.append(Section("looked_at", _("Who opened your records"), [_("Time"), _("What"), _("By")], [
        [_value(entry.created_at), entry.get_kind_display(), entry.user_name] for entry in views_of(member)]))
    return sections


def as_json(member: Member, sections: list[Section]) -> dict:
    return {"member": member.full_name, "exported_at": timezone.now().isoformat(),
            "sections": {section.key: {"title": section.title, "rows": [dict(zip(section.headers, row))
                                                                          for row in section.rows]}
                         for section in sections}}


class PersonalDataExport:
    """The sections as tables for the workbook renderer (reports.renderers.write_xlsx)."""

    def __init__(self, sections: list[Section]):
        self.sections = sections

    def tables(self):
        return iter(self.sections)
