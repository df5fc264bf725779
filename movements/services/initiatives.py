"""Initiatives and research topics: submitted by members, reviewed and scored by a council the committee names,
recognised at a level (or not) by decision, then applied with the benefit measured."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import audit
from members.access import Action, policy
from members.models import Member, MemberStatus
from members.notifications import notify
from movements.models import Initiative, InitiativeScore, InitiativeState, RecognitionLevel, ScienceClub
from movements.services.base import today

INITIATIVE_SUBMITTED = audit.register_action("initiative.submitted", gettext_lazy("Initiative submitted"))
INITIATIVE_REVIEW_OPENED = audit.register_action("initiative.review_opened", gettext_lazy("Council review opened"))
INITIATIVE_SCORED = audit.register_action("initiative.scored", gettext_lazy("Council score recorded"))
INITIATIVE_RECOGNISED = audit.register_action("initiative.recognised", gettext_lazy("Initiative recognised"))
INITIATIVE_NOT_RECOGNISED = audit.register_action("initiative.not_recognised",
                                                  gettext_lazy("Initiative not recognised"))
INITIATIVE_APPLIED = audit.register_action("initiative.applied", gettext_lazy("Benefit of an initiative measured"))

INITIATIVE_FIELDS = ("year", "kind", "title", "problem", "solution", "applied_where", "expected_benefit")
IS = InitiativeState
# name: (states it starts from, state it leads to, who: "committee" or "author")
INITIATIVE_TRANSITIONS = {
    "open_review": (frozenset({IS.SUBMITTED}), IS.UNDER_REVIEW, "committee"),
    "recognise": (frozenset({IS.UNDER_REVIEW}), IS.RECOGNISED, "committee"),
    "not_recognise": (frozenset({IS.UNDER_REVIEW}), IS.NOT_RECOGNISED, "committee"),
    "apply": (frozenset({IS.RECOGNISED}), IS.APPLIED, "author"),
}


def is_author(user, initiative: Initiative) -> bool:
    return initiative.authors.filter(user=user).exists()


def may_move_initiative(user, initiative: Initiative, name: str) -> bool:
    who = INITIATIVE_TRANSITIONS[name][2]
    if who == "author":
        return is_author(user, initiative) or policy.can(user, Action.REVIEW_INITIATIVES, initiative.unit)
    return policy.can(user, Action.REVIEW_INITIATIVES, initiative.unit)


def initiative_moves_allowed(user, initiative: Initiative) -> list[str]:
    return [name for name, (sources, _target, _who) in INITIATIVE_TRANSITIONS.items()
            if initiative.state in sources and may_move_initiative(user, initiative, name)]


def initiative_submit(*, actor, coauthors=(), **fields) -> Initiative:
    """A member submits an initiative in their own name, with co-authors of their branch."""
    submitter = Member.objects.select_related("unit").filter(user=actor, status=MemberStatus.ACTIVE).first()
    if submitter is None:
        raise PermissionDenied(_("Your account is not linked to an active member record."))
    strangers = [member for member in coauthors if member.unit_id != submitter.unit_id]
    if strangers:
        raise ValidationError({"coauthors": _("Co-authors are chosen from your own branch.")})
    initiative = Initiative(unit=submitter.unit, submitted_by=submitter,
                            **{name: fields[name] for name in INITIATIVE_FIELDS if name in fields})
    initiative.full_clean()
    with transaction.atomic():
        initiative.save()
        initiative.authors.set([submitter, *coauthors])
        audit.record(action=INITIATIVE_SUBMITTED, actor=actor, unit=submitter.unit, target=initiative,
                     after={"title": initiative.title, "authors": len(coauthors) + 1})
    return initiative


def initiative_move(*, actor, initiative: Initiative, name: str, **values) -> Initiative:
    sources, target, _who = INITIATIVE_TRANSITIONS[name]
    with transaction.atomic():
        initiative = Initiative.objects.select_for_update(of=("self",)).select_related("unit").get(pk=initiative.pk)
        if not may_move_initiative(actor, initiative, name):
            raise PermissionDenied(_("Your role does not allow this on %(initiative)s.") % {"initiative": initiative})
        if initiative.state not in sources:
            raise ValidationError(_("This initiative is “%(state)s”; that is not possible now.")
                                  % {"state": initiative.get_state_display()})
        previous = initiative.state
        if name == "open_review":
            if not values.get("council", "").strip():
                raise ValidationError({"council": _("Name the members of the council.")})
            initiative.council = values["council"].strip()
        elif name == "recognise":
            if values.get("level") not in RecognitionLevel.values or not values.get("decision_number", "").strip():
                raise ValidationError(_("Give the level, the decision number and its date."))
            if not values.get("decision_date") or values["decision_date"] > today():
                raise ValidationError({"decision_date": _("Give the date of the decision (not in the future).")})
            initiative.level, initiative.decision_number = values["level"], values["decision_number"].strip()
            initiative.decision_date = values["decision_date"]
        elif name == "not_recognise":
            if not values.get("note", "").strip():
                raise ValidationError({"note": _("Give the reason.")})
            initiative.decision_note = values["note"].strip()
        elif name == "apply":
            if values.get("days_saved_per_file") is None and values.get("cost_saved") is None and not values.get(
                    "benefit_note", "").strip():
                raise ValidationError(_("Give at least one measured benefit."))
            initiative.days_saved_per_file = values.get("days_saved_per_file")
            initiative.cost_saved = values.get("cost_saved")
            initiative.benefit_note = values.get("benefit_note", "").strip()
        initiative.state = target
        initiative.full_clean()
        initiative.save()
        audit.record(action={"open_review": INITIATIVE_REVIEW_OPENED, "recognise": INITIATIVE_RECOGNISED,
                             "not_recognise": INITIATIVE_NOT_RECOGNISED, "apply": INITIATIVE_APPLIED}[name],
                     actor=actor, unit=initiative.unit, target=initiative, before={"state": previous},
                     after={"state": target, **({"level": initiative.level, "decision_number":
                                                 initiative.decision_number} if name == "recognise" else {})})
        if name in ("recognise", "not_recognise"):
            for author in initiative.authors.select_related("user"):
                notify(user=author.user, url=reverse("movements:initiative", args=[initiative.pk]),
                       message=gettext_lazy("The council has decided on your initiative."))
    return initiative


def initiative_score(*, actor, initiative: Initiative, reviewer: str, score: int, comment: str = "") -> InitiativeScore:
    with transaction.atomic():
        initiative = Initiative.objects.select_for_update(of=("self",)).select_related("unit").get(pk=initiative.pk)
        if not policy.can(actor, Action.REVIEW_INITIATIVES, initiative.unit):
            raise PermissionDenied
        if initiative.state != InitiativeState.UNDER_REVIEW:
            raise ValidationError(_("Scores are recorded while the council reviews the initiative."))
        entry = InitiativeScore(initiative=initiative, reviewer=reviewer.strip(), score=score, comment=comment.strip())
        entry.full_clean()
        entry.save()
        audit.record(action=INITIATIVE_SCORED, actor=actor, unit=initiative.unit, target=initiative,
                     after={"reviewer": entry.reviewer, "score": score})
    return entry


CLUB_RECORDED = audit.register_action("club.recorded", gettext_lazy("Club of young scientists recorded"))
CLUB_FIELDS = ("name", "field", "founded_on")


def club_record(*, actor, unit, members=(), **fields) -> ScienceClub:
    if not policy.can(actor, Action.MANAGE_PROJECTS, unit):
        raise PermissionDenied(_("Only the officers of %(unit)s can record its clubs.") % {"unit": unit})
    club = ScienceClub(unit=unit, **{name: fields[name] for name in CLUB_FIELDS if name in fields})
    club.full_clean()
    with transaction.atomic():
        club.save()
        club.members.set(members)
        audit.record(action=CLUB_RECORDED, actor=actor, unit=unit, target=club,
                     after={"name": club.name, "members": len(members)})
    return club
