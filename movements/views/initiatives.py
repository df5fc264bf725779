"""Pages of initiatives and research topics: the list, submitting one, its page with the council's work."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.access import Action, policy
from members.forms import add_service_errors
from members.selectors import own_member_record, visible_ancestors, working_unit
from movements import selectors, services
from movements.forms import InitiativeForm, ScienceClubForm
from movements.models import Initiative, InitiativeState, RecognitionLevel
from movements.services.initiatives import CLUB_FIELDS, INITIATIVE_FIELDS
from movements.views.base import requested_year, solution_choices
from reports.caching import CachedCountPaginator
from reports.page_cache import kept_for_reader


def get_initiative(user, pk) -> Initiative:
    try:
        initiative = Initiative.objects.select_related("unit").get(pk=pk)
    except (Initiative.DoesNotExist, ValueError):
        raise Http404 from None
    policy.check(user, Action.VIEW_INITIATIVES, initiative.unit)
    return initiative


@login_required
@require_GET
@kept_for_reader
def initiative_list(request):
    unit = working_unit(request, Action.VIEW_INITIATIVES)
    year = requested_year(request) or timezone.localdate().year
    state = request.GET.get("state", "")
    initiatives = selectors.initiatives_of_unit(request.user, unit).filter(year=year)
    if state in InitiativeState.values:
        initiatives = initiatives.filter(state=state)
    page = CachedCountPaginator(initiatives, 30).get_page(request.GET.get("page"))
    return render(request, "movements/initiative_list.html", {
        "unit": unit, "ancestors": visible_ancestors(request.user, unit), "page": page, "year": year,
        "state": state, "states": InitiativeState.choices, "query": f"year={year}&state={state}",
        "may_submit": own_member_record(request.user) is not None,
        "clubs": selectors.clubs_of_unit(request.user, unit),
        "may_record_club": policy.units(request.user, Action.MANAGE_PROJECTS).filter(unit.subtree_q()).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create(request):
    member = own_member_record(request.user)
    if member is None:
        raise PermissionDenied
    form = InitiativeForm(request.POST or None, coauthors=selectors.coauthor_candidates(member),
                          initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_submit(actor=request.user, coauthors=list(form.cleaned_data["coauthors"]),
                                                    **{name: form.cleaned_data[name] for name in INITIATIVE_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your initiative was submitted to the committee."))
            return redirect("movements:initiative", pk=initiative.pk)
    return render(request, "movements/initiative_form.html", {"form": form, "member": member})


@login_required
@require_GET
def initiative_detail(request, pk):
    initiative = get_initiative(request.user, pk)
    return render(request, "movements/initiative_detail.html", {
        "initiative": initiative,
        "ancestors": visible_ancestors(request.user, initiative.unit),
        "authors": initiative.authors.all(),
        "scores": initiative.scores.all(),
        "moves": services.initiative_moves_allowed(request.user, initiative),
        "may_score": initiative.state == InitiativeState.UNDER_REVIEW
        and policy.can(request.user, Action.REVIEW_INITIATIVES, initiative.unit),
        "levels": RecognitionLevel.choices,
        "today": timezone.localdate(),
        "timeline": selectors.object_timeline(initiative),
    })


def _decimal_or_none(value: str):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(value.replace(",", ".")) if value.strip() else None
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": value}) from None


@login_required
@require_POST
def initiative_move(request, pk, name):
    initiative = get_initiative(request.user, pk)
    if name not in services.INITIATIVE_TRANSITIONS:
        raise Http404
    post = request.POST
    try:
        decision_date = datetime.date.fromisoformat(post["decision_date"]) if post.get("decision_date") else None
        services.initiative_move(
            actor=request.user, initiative=initiative, name=name, council=post.get("council", ""),
            level=post.get("level", ""), decision_number=post.get("decision_number", ""),
            decision_date=decision_date, note=post.get("note", ""),
            days_saved_per_file=_decimal_or_none(post.get("days_saved_per_file", "")),
            cost_saved=_decimal_or_none(post.get("cost_saved", "")), benefit_note=post.get("benefit_note", ""))
    except ValueError:
        messages.error(request, _("The date is not valid."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("movements:initiative", pk=initiative.pk)


@login_required
@require_POST
def initiative_score(request, pk):
    initiative = get_initiative(request.user, pk)
    try:
        score = int(request.POST.get("score", ""))
        services.initiative_score(actor=request.user, initiative=initiative, reviewer=request.POST.get("reviewer", ""),
                                  score=score, comment=request.POST.get("comment", ""))
    except ValueError:
        messages.error(request, _("The score is a whole number from 0 to 100."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The score was recorded."))
    return redirect("movements:initiative", pk=initiative.pk)


@login_required
@require_http_methods(["GET", "POST"])
def club_create(request):
    unit = working_unit(request, Action.VIEW_INITIATIVES)
    units, members = solution_choices(request.user, unit)
    form = ScienceClubForm(request.POST or None, units=units, members=members, initial={"unit": unit.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.club_record(actor=request.user, unit=data["unit"], members=data["members"],
                                 **{name: data[name] for name in CLUB_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The club was recorded."))
            return redirect("movements:initiatives")
    return render(request, "movements/club_form.html", {
        "form": form, "unit": unit, "ancestors": visible_ancestors(request.user, unit),
    })
