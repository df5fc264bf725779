"""Reads of campaigns and awards, always scoped by the access policy."""

import datetime

from django.db.models import Avg, Count, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from campaigns.models import (
    Award,
    AwardState,
    Campaign,
    CampaignState,
    Feedback,
    FeedbackPoint,
    FeedbackQuestion,
    FeedbackRating,
    FeedbackState,
    Forwarding,
    RecipientKind,
    Registration,
    RegistrationFigure,
    RegistrationState,
)
from members.access import Action, policy
from members.models import Member, MemberStatus, Unit, UnitKind
from movements.models import Collective


def campaigns_for(user):
    """Campaigns the user may read: the launched ones of units at, above or below theirs, and the drafts of the
    committees they sit on."""
    if user.is_superuser:
        return Campaign.objects.select_related("unit")
    launched = Campaign.objects.exclude(state=CampaignState.DRAFT)
    below = policy.scope(user, launched, action=Action.VIEW_CAMPAIGNS, path_field="unit__path")
    above = launched.filter(unit__path__in=policy.ancestor_paths(user))
    drafts = policy.scope(user, Campaign.objects.filter(state=CampaignState.DRAFT), action=Action.MANAGE_CAMPAIGNS,
                          path_field="unit__path")
    return (below | above | drafts).distinct().select_related("unit")


def campaigns_of_unit(user, unit: Unit):
    """The campaigns that concern a unit: launched by it, above it, or below it."""
    return (campaigns_for(user).filter(Q(unit__path__in=unit.ancestor_paths()) | Q(unit__path__startswith=unit.path))
            .annotate(registration_count=Count("registrations", filter=Q(
                registrations__state=RegistrationState.APPROVED), distinct=True))
            .order_by("-starts_on", "-id"))


def registrations_for(user, campaign: Campaign | None = None):
    """Registrations the user may read: of units and collectives anywhere they may follow campaigns; of members
    only where they may see members, and their own."""
    registrations = Registration.objects.select_related("unit", "member", "collective", "campaign__unit")
    if campaign is not None:
        registrations = registrations.filter(campaign=campaign)
    if user.is_superuser:
        return registrations
    public = policy.scope(user, registrations.exclude(kind=RecipientKind.MEMBER), action=Action.VIEW_CAMPAIGNS,
                          path_field="unit__path")
    personal = policy.scope_with_own(user, registrations.filter(kind=RecipientKind.MEMBER),
                                     action=Action.VIEW_MEMBERS, path_field="unit__path", owner_field="member__user")
    return public | personal


def visible_registration_ids(user, registration_ids) -> set[int]:
    """Which of these registrations the reader may see: the rows of a ranking or review they are shown."""
    return set(registrations_for(user).filter(pk__in=list(registration_ids)).values_list("pk", flat=True))


def waiting_registrations(user, unit: Unit):
    """Registrations sent for approval in the unit's subtree that this user may decide."""
    from campaigns.services import may_review

    waiting = (registrations_for(user).filter(state=RegistrationState.SUBMITTED, campaign__state=CampaignState.LAUNCHED)
               .filter(unit.subtree_q("unit__path")).order_by("submitted_at", "id"))
    return [registration for registration in waiting if may_review(user, registration)]


def registrant_choices(user, campaign: Campaign) -> dict:
    """Who this user may register for the campaign, by kind: units, collectives, themselves."""
    choices = {}
    if campaign.open_to_units:
        choices[RecipientKind.UNIT] = list(
            policy.held_units(user, Action.REGISTER_FOR_CAMPAIGNS).filter(campaign.unit.subtree_q())
            .exclude(pk=campaign.unit_id).exclude(
                pk__in=Registration.objects.filter(campaign=campaign, kind=RecipientKind.UNIT).values("unit")))
    if campaign.open_to_collectives:
        choices[RecipientKind.COLLECTIVE] = list(
            Collective.objects.filter(year=campaign.starts_on.year,
                                      unit__in=policy.held_units(user, Action.REGISTER_FOR_CAMPAIGNS))
            .filter(campaign.unit.subtree_q("unit__path"))
            .exclude(pk__in=Registration.objects.filter(campaign=campaign).exclude(collective=None)
                     .values("collective")).select_related("unit"))
    if campaign.open_to_members:
        own = Member.objects.filter(user=user, status=MemberStatus.ACTIVE).filter(campaign.unit.subtree_q("unit__path")).exclude(
            pk__in=Registration.objects.filter(campaign=campaign).exclude(member=None).values("member"))
        choices[RecipientKind.MEMBER] = list(own.select_related("unit"))
    return {kind: options for kind, options in choices.items() if options}


def forwarding_units(user, campaign: Campaign):
    """The unions under the campaign's unit whose registrations this user may combine and forward."""
    return (policy.held_units(user, Action.REGISTER_FOR_CAMPAIGNS).filter(campaign.unit.subtree_q())
            .exclude(pk=campaign.unit_id).exclude(kind=UnitKind.BRANCH))


def combined_figures(campaign: Campaign, unit: Unit) -> dict:
    """A union's registrations for the campaign combined: how many in each state, and the approved pledges summed
    per target, as the union sends them upward."""
    below = Registration.objects.filter(campaign=campaign).filter(unit.subtree_q("unit__path"))
    counts = dict(below.order_by().values_list("state").annotate(n=Count("pk")))
    totals = dict(RegistrationFigure.objects.filter(registration__in=below.filter(state=RegistrationState.APPROVED))
                  .order_by().values_list("target_id").annotate(total=Sum("pledged")))
    return {"counts": counts, "targets": [(target, totals.get(target.pk, 0)) for target in campaign.targets.all()]}


def forwardings_for(user, campaign: Campaign):
    return policy.scope(user, Forwarding.objects.filter(campaign=campaign).select_related("unit", "forwarded_by"),
                        action=Action.VIEW_CAMPAIGNS, path_field="unit__path")


def awards_for(user):
    return policy.scope(user, Award.objects.select_related("title", "unit", "proposing_unit", "member",
                                                           "collective"),
                        action=Action.VIEW_AWARDS, path_field="unit__path")


def awards_of_member(member: Member):
    """A member's decided awards across the years: the history shown on their pages."""
    return (Award.objects.filter(member=member, state=AwardState.DECIDED).select_related("title")
            .order_by("-year", "-decided_on", "-id"))


def awards_of_collective(collective: Collective):
    return (Award.objects.filter(collective=collective, state=AwardState.DECIDED).select_related("title")
            .order_by("-year", "-decided_on", "-id"))


def honour_board():
    """What the public may see: decided awards the committee chose to publish, nothing else; a member's only
    while they agree to be shown publicly."""
    return (Award.objects.filter(is_published=True, state=AwardState.DECIDED)
            .filter(Q(member__isnull=True) | Q(member__consents_to_public_display=True))
            .select_related("title", "unit").order_by("-year", "-decided_on", "-id"))


def standing_member_choices(user, unit: Unit):
    """The people offered for a campaign's standing emulation unit: members of the subtree who hold an office,
    a list short enough to choose from at city scale."""
    return (policy.members(user, Action.VIEW_MEMBERS).filter(unit.subtree_q("unit__path"), status=MemberStatus.ACTIVE,
                                                            user__role_assignments__isnull=False)
            .distinct().select_related("unit").order_by("sort_name"))


def crumbs(user, unit: Unit) -> list[Unit]:
    """The units above a page that the reader may open, the page's own unit included when they may."""
    from members.selectors import visible_ancestors

    return [*visible_ancestors(user, unit), *([unit] if policy.sees(user, unit) else [])]


def home_campaign_tasks(user, unit: Unit | None) -> list[dict]:
    """What waits for this person in the campaigns of their unit: registrations to decide, campaign by campaign,
    and running campaigns they may still register for."""
    if unit is None:
        return []
    tasks = []
    waiting = {}
    for registration in waiting_registrations(user, unit):
        waiting.setdefault(registration.campaign, []).append(registration)
    for campaign, registrations in list(waiting.items())[:3]:
        tasks.append({"kind": "campaign_approve", "count": len(registrations), "campaign": campaign})
    today = timezone.localdate()
    open_now = (campaigns_of_unit(user, unit).filter(state=CampaignState.LAUNCHED, launched_on__lte=today)
                .filter(Q(registration_ends_on__gte=today) | Q(registration_ends_on__isnull=True, ends_on__gte=today)))
    for campaign in open_now[:3]:
        if registrant_choices(user, campaign):
            tasks.append({"kind": "campaign_register", "campaign": campaign})
    if policy.can(user, Action.MANAGE_FEEDBACK, unit):
        waiting_count = waiting_feedback(user, unit).count()
        if waiting_count:
            tasks.append({"kind": "feedback_answer", "count": waiting_count})
    return tasks


def timeline(user, target):
    """The audit entries about an object that the reader may see: a campaign's carry findings and names from
    every unit under it, so each is shown only to those who may read the audit log of its unit."""
    from members.audit import entries_for

    return entries_for(policy.audit_entries(user), target).order_by("created_at", "id")


def follow_ups_for(user, campaign: Campaign):
    """A campaign's inspections and support, those about registrants the reader may see or about no one."""
    visible = Q(registration__isnull=True) | Q(registration__in=registrations_for(user, campaign).values("pk"))
    related = ("registration__unit", "registration__member", "registration__collective")
    return (campaign.inspections.filter(visible).select_related(*related),
            campaign.support_actions.filter(visible).select_related(*related))


def registrations_acted_for(user, campaign: Campaign):
    """The registrations this user makes for the campaign: their units', in their own office, and their own."""
    return registrations_for(user, campaign).filter(
        Q(kind__in=[RecipientKind.UNIT, RecipientKind.COLLECTIVE],
          unit__in=policy.held_units(user, Action.REGISTER_FOR_CAMPAIGNS))
        | Q(kind=RecipientKind.MEMBER, member__user=user))


# The people's feedback

SHOWN_FEEDBACK = Q(state=FeedbackState.SHOWN)
WAITING_FEEDBACK = SHOWN_FEEDBACK & Q(replied_at__isnull=True) & (~Q(comment="") | ~Q(contact=""))


def feedback_points_for(user):
    return policy.scope(user, FeedbackPoint.objects.select_related("unit", "collective"), action=Action.VIEW_FEEDBACK,
                        path_field="unit__path")


def feedback_points_of_unit(user, unit: Unit):
    """The points of a unit's subtree with what they received: opinions shown, their average, those waiting."""
    return feedback_points_for(user).filter(unit.subtree_q("unit__path")).annotate(
        received=Count("feedback", filter=Q(feedback__state=FeedbackState.SHOWN)),
        average=Avg("feedback__average", filter=Q(feedback__state=FeedbackState.SHOWN)),
        waiting=Count("feedback", filter=Q(feedback__state=FeedbackState.SHOWN, feedback__replied_at__isnull=True)
                      & (~Q(feedback__comment="") | ~Q(feedback__contact="")))).order_by("unit__path", "name", "id")


def feedback_for(user):
    return policy.scope(user, Feedback.objects.select_related("point__unit", "member__unit"),
                        action=Action.VIEW_FEEDBACK, path_field="point__unit__path")


def public_point(token: str) -> FeedbackPoint | None:
    """The point behind a poster's code, with the questions it asks now; what the public page may show."""
    return (FeedbackPoint.objects.filter(unit__is_active=True).select_related("unit")
            .prefetch_related(Prefetch("questions", queryset=FeedbackQuestion.objects.filter(is_active=True),
                                       to_attr="active_questions"))
            .filter(token=token).first())


def feedback_summary(feedback) -> dict:
    """Opinions shown, their average rating, how many were answered, and how many were hidden as abusive."""
    return feedback.aggregate(
        count=Count("pk", filter=SHOWN_FEEDBACK), average=Avg("average", filter=SHOWN_FEEDBACK),
        answered=Count("pk", filter=SHOWN_FEEDBACK & Q(replied_at__isnull=False)),
        waiting=Count("pk", filter=WAITING_FEEDBACK), hidden=Count("pk", filter=~SHOWN_FEEDBACK))


def question_averages(feedback) -> list[dict]:
    """The average of each question over the opinions shown, in the order the questions are asked."""
    return list(FeedbackRating.objects.filter(feedback__in=feedback.filter(SHOWN_FEEDBACK).values("pk"))
                .values("question_id", "question__text", "question__position")
                .annotate(average=Avg("score"), count=Count("pk"))
                .order_by("question__position", "question_id"))


def monthly_trend(feedback, *, months: int = 12, today: datetime.date | None = None) -> list[dict]:
    """Opinions shown and their average, month by month over the last ``months`` months, empty months included."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _month in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    rows = {row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]: row for row in (
        feedback.filter(SHOWN_FEEDBACK, created_at__gte=start).annotate(month=TruncMonth("created_at"))
        .order_by().values("month").annotate(count=Count("pk"), average=Avg("average")))}
    trend, month = [], first
    for _month in range(months):
        row = rows.get(month, {})
        trend.append({"month": month, "count": row.get("count", 0), "average": row.get("average")})
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return trend


def _feedback_evidence(viewer, feedback, *, latest: int) -> dict:
    """The figures for anyone who may read the page they are on; the comments themselves only for those who may
    read the opinions of the point they were left at (an abusive one may not be hidden yet)."""
    readable = feedback_for(viewer).filter(pk__in=feedback.filter(SHOWN_FEEDBACK).values("pk"))
    return {"summary": feedback_summary(feedback), "questions": question_averages(feedback),
            "latest": list(readable.exclude(comment="").select_related("point")[:latest])}


def member_feedback(viewer, member: Member, year: int, *, latest: int = 5) -> dict:
    """The people's opinions naming a member in a year: evidence of the responsibility to the people, while the
    member agrees to be named (withdrawing the consent takes them out of the evidence at once)."""
    return _feedback_evidence(viewer, Feedback.objects.filter(member=member, created_at__year=year,
                                                              member__consents_to_feedback_naming=True),
                              latest=latest)


def collective_feedback(viewer, collective: Collective, *, latest: int = 3) -> dict:
    """The opinions left at a collective's points in its year: figures for its evaluation."""
    return _feedback_evidence(viewer, Feedback.objects.filter(point__collective=collective,
                                                              created_at__year=collective.year), latest=latest)


def waiting_feedback(user, unit: Unit):
    """Opinions in the unit's subtree that wait for an answer from someone who may give it."""
    return policy.scope(user, Feedback.objects.filter(WAITING_FEEDBACK, point__unit__path__startswith=unit.path),
                        action=Action.MANAGE_FEEDBACK, path_field="point__unit__path")


def feedback_collective_choices(user, unit: Unit):
    """The collectives of this year and last under the unit, where the user may manage feedback points."""
    year = timezone.localdate().year
    return policy.scope(user, Collective.objects.filter(unit.subtree_q("unit__path"), year__gte=year - 1),
                        action=Action.MANAGE_FEEDBACK, path_field="unit__path").select_related("unit")


def feedback_member_choices(user, point: FeedbackPoint):
    """The members an opinion at this point may name: the active members of its unit the user may see, who agreed
    to be named in the people's feedback."""
    return (policy.members(user, Action.VIEW_MEMBERS)
            .filter(point.unit.subtree_q("unit__path"), status=MemberStatus.ACTIVE, consents_to_feedback_naming=True)
            .select_related("unit").order_by("sort_name"))
