"""Pages of awards: the list of a unit's subtree, proposing one (from a review, a classification, a member's or
a collective's page), its page with the decision, publishing to the honour board, and the public honour board."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import selectors, services
from campaigns.forms import AwardDecideForm, AwardProposeForm, CitationForm
from campaigns.models import AwardState, RecipientKind, ReviewEntry
from campaigns.templatetags.campaign_tags import figure
from campaigns.views.base import get_award, get_campaign, get_registration
from members.access import Action, policy
from members.forms import add_service_errors
from members.models import Unit
from members.selectors import visible_ancestors, working_unit
from movements.views.base import get_commitment
from movements.views.collectives import get_collective
from reports.caching import CachedCountPaginator
from reports.page_cache import kept_for_reader

__all__ = [
    "award_detail",
    "award_list",
    "award_move",
    "award_propose",
    "award_publish",
    "award_unpublish",
    "honour_board",
]


@login_required
@require_GET
@kept_for_reader
def award_list(request):
    unit = working_unit(request, Action.VIEW_AWARDS)
    awards = selectors.awards_for(request.user).filter(unit.subtree_q("unit__path"))
    state = request.GET.get("state", "")
    if state in AwardState.values:
        awards = awards.filter(state=state)
    year = request.GET.get("year", "")
    if year.isdigit():
        awards = awards.filter(year=int(year))
    page = CachedCountPaginator(awards, settings.MEMBER_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(f"{name}={value}" for name, value in (("state", state), ("year", year)) if value)
    return render(request, "campaigns/award_list.html", {
        "unit": unit, "ancestors": visible_ancestors(request.user, unit), "page": page, "state": state,
        "year": year, "states": AwardState.choices, "query": query,
        "export_year": int(year) if year.isdigit() else timezone.localdate().year,
    })


def _recipient_from(request) -> dict:
    """Who the award is for and where the proposal comes from, each read through the access policy."""
    params = request.GET  # the form posts back to its own address, which names the recipient
    year = timezone.localdate().year
    if params.get("entry", "").isdigit():
        try:
            entry = ReviewEntry.objects.select_related("review").get(pk=params["entry"])
        except ReviewEntry.DoesNotExist:
            raise Http404 from None
        campaign = get_campaign(request.user, entry.review.campaign_id)
        registration = get_registration(request.user, entry.registration_id)
        party = {RecipientKind.UNIT: {"unit": registration.unit},
                 RecipientKind.COLLECTIVE: {"collective": registration.collective},
                 RecipientKind.MEMBER: {"member": registration.member}}[registration.kind]
        summary = _("Ranked %(rank)s with %(score)s points in “%(campaign)s” (%(outcome)s).") % {
            "rank": entry.rank, "score": figure(entry.score), "campaign": campaign,
            "outcome": entry.get_outcome_display() or entry.review}
        return {**party, "review_entry": entry, "year": entry.review.held_on.year, "summary": summary,
                "param": f"entry={entry.pk}", "kind": registration.kind}
    if params.get("commitment", "").isdigit():
        commitment = get_commitment(request.user, Action.VIEW_COMMITMENTS, params["commitment"])
        summary = _("Classified “%(classification)s” in the movement year %(year)s.") % {
            "classification": commitment.get_classification_display() or "—",
            "year": commitment.movement_year.year}
        return {"member": commitment.member, "commitment": commitment, "year": commitment.movement_year.year,
                "summary": summary, "param": f"commitment={commitment.pk}", "kind": RecipientKind.MEMBER}
    if params.get("member", "").isdigit():
        member = policy.get_member(request.user, Action.VIEW_MEMBERS, params["member"])
        return {"member": member, "year": year, "summary": "", "param": f"member={member.pk}",
                "kind": RecipientKind.MEMBER}
    if params.get("collective", "").isdigit():
        collective = get_collective(request.user, params["collective"])
        return {"collective": collective, "year": collective.year, "summary": "",
                "param": f"collective={collective.pk}", "kind": RecipientKind.COLLECTIVE}
    if params.get("unit", "").isdigit():
        unit = policy.get_unit(request.user, Action.VIEW_UNIT, params["unit"])
        return {"unit": unit, "year": year, "summary": "", "param": f"unit={unit.pk}", "kind": RecipientKind.UNIT}
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def award_propose(request):
    recipient = _recipient_from(request)
    party = recipient.get("member") or recipient.get("collective") or recipient.get("unit")
    recipient_unit = party if isinstance(party, Unit) else party.unit
    # A committee proposes for those under it; a union's own award comes from the level above.
    above = recipient_unit.ancestor_paths(include_self=not isinstance(party, Unit))
    units = policy.held_units(request.user, Action.MANAGE_AWARDS).filter(path__in=above).order_by("-depth")
    if not units.exists():
        raise PermissionDenied
    form = AwardProposeForm(request.POST or None, units=units, recipient_kind=recipient["kind"],
                            initial={"proposing_unit": units.first(), "year": recipient["year"],
                                     "achievements": recipient["summary"]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = services.award_propose(
                actor=request.user, proposing_unit=data["proposing_unit"], title=data["title"], year=data["year"],
                achievements=data["achievements"], member=recipient.get("member"),
                collective=recipient.get("collective"), unit=recipient.get("unit"),
                review_entry=recipient.get("review_entry"), commitment=recipient.get("commitment"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The award was proposed. Record the decision when it is issued."))
            return redirect("campaigns:award", pk=award.pk)
    return render(request, "campaigns/award_form.html", {
        "form": form, "party": party, "recipient": recipient,
        "ancestors": selectors.crumbs(request.user, recipient_unit),
    })


def _award_page(request, award, *, decide_form=None, citation_form=None):
    moves = services.award_moves_allowed(request.user, award)
    manages = services.may_decide_award(request.user, award)
    return render(request, "campaigns/award_detail.html", {
        "award": award, "ancestors": selectors.crumbs(request.user, award.unit), "moves": moves,
        "decide_form": decide_form or (AwardDecideForm(initial={"issuing_body": award.issuing_body,
                                                                "decided_on": timezone.localdate()})
                                       if moves else None),
        "citation_form": citation_form or (CitationForm(initial={"citation": award.citation or award.achievements})
                                           if manages and award.state == AwardState.DECIDED
                                           and not award.is_published else None),
        "manages": manages,
        "timeline": selectors.timeline(request.user, award),
    })


@login_required
@require_GET
def award_detail(request, pk):
    return _award_page(request, get_award(request.user, pk))


@login_required
@require_POST
def award_move(request, pk, name):
    award = get_award(request.user, pk)
    if name not in services.AWARD_MOVES:
        raise Http404
    if not services.may_decide_award(request.user, award):
        raise PermissionDenied
    if name == "decide":
        form = AwardDecideForm(request.POST)
        if not form.is_valid():
            return _award_page(request, award, decide_form=form)
        values = form.cleaned_data
    else:
        form, values = None, {"note": request.POST.get("note", "")}
    try:
        moved = services.award_move(actor=request.user, award=award, name=name, **values)
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
            return _award_page(request, award, decide_form=form)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: the award is now “%(state)s”.") % {"state": moved.get_state_display()})
    return redirect("campaigns:award", pk=award.pk)


@login_required
@require_POST
def award_publish(request, pk):
    award = get_award(request.user, pk)
    if not services.may_decide_award(request.user, award):
        raise PermissionDenied
    form = CitationForm(request.POST)
    if not form.is_valid():
        return _award_page(request, award, citation_form=form)
    try:
        services.award_publish(actor=request.user, award=award, citation=form.cleaned_data["citation"])
    except ValidationError as error:
        add_service_errors(form, error)
        return _award_page(request, award, citation_form=form)
    messages.success(request, _("The award is on the public honour board."))
    return redirect("campaigns:award", pk=award.pk)


@login_required
@require_POST
def award_unpublish(request, pk):
    award = get_award(request.user, pk)
    if not services.may_decide_award(request.user, award):
        raise PermissionDenied
    try:
        services.award_unpublish(actor=request.user, award=award)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The award was taken off the honour board."))
    return redirect("campaigns:award", pk=award.pk)


@require_GET
def honour_board(request):
    """The public honour board: no login, only what a committee chose to publish."""
    page = Paginator(selectors.honour_board(), 24).get_page(request.GET.get("page"))
    return render(request, "campaigns/honour_board.html", {"page": page, "query": ""})
