"""Pages of advanced youth collectives: the list, registering one, its page with logs and the evaluation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.selectors import awards_of_collective, collective_feedback, feedback_points_for
from members.access import Action, policy
from members.forms import add_service_errors
from members.selectors import visible_ancestors, working_unit
from movements import selectors, services
from movements.forms import CollectiveForm, CollectiveLogForm
from movements.models import Collective, CollectiveState
from movements.services.collectives import COLLECTIVE_FIELDS
from movements.views.base import requested_year, solution_choices
from reports.page_cache import kept_for_reader


def get_collective(user, pk) -> Collective:
    try:
        collective = Collective.objects.select_related("unit", "model").get(pk=pk)
    except (Collective.DoesNotExist, ValueError):
        raise Http404 from None
    policy.check(user, Action.VIEW_PROJECTS, collective.unit)
    return collective


@login_required
@require_GET
@kept_for_reader
def collective_list(request):
    unit = working_unit(request, Action.VIEW_PROJECTS)
    year = requested_year(request) or timezone.localdate().year
    return render(request, "movements/collective_list.html", {
        "unit": unit, "ancestors": visible_ancestors(request.user, unit), "year": year,
        "collectives": selectors.collectives_of_unit(request.user, unit).filter(year=year),
        "may_register": policy.units(request.user, Action.MANAGE_PROJECTS).filter(unit.subtree_q()).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def collective_create(request):
    unit = working_unit(request, Action.VIEW_PROJECTS)
    units, members = solution_choices(request.user, unit)
    form = CollectiveForm(request.POST or None, units=units, members=members,
                          initial={"unit": unit.pk, "year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            collective = services.collective_register(actor=request.user, unit=data["unit"], members=data["members"],
                                                      **{name: data[name] for name in COLLECTIVE_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The collective was registered."))
            return redirect("movements:collective", pk=collective.pk)
    return render(request, "movements/collective_form.html", {
        "form": form, "unit": unit, "ancestors": visible_ancestors(request.user, unit),
    })


def _collective_page(request, collective, log_form=None):
    may_log = (collective.state == CollectiveState.REGISTERED
               and policy.can(request.user, Action.MANAGE_PROJECTS, collective.unit))
    totals = collective.logs.aggregate(people_helped=Sum("people_helped"), consultations=Sum("consultations"),
                                       sessions=Sum("sessions"))
    return render(request, "movements/collective_detail.html", {
        "collective": collective, "ancestors": visible_ancestors(request.user, collective.unit),
        "members": collective.members.all(), "logs": collective.logs.all(),
        "totals": {name: value or 0 for name, value in totals.items()},
        "log_form": log_form or (CollectiveLogForm(initial={"done_on": timezone.localdate()}) if may_log else None),
        "may_evaluate": collective.state == CollectiveState.REGISTERED
        and policy.can_above(request.user, Action.DECIDE_PROJECTS, collective.unit),
        "timeline": selectors.object_timeline(collective),
        "award_history": awards_of_collective(collective),
        "may_propose_award": policy.can(request.user, Action.MANAGE_AWARDS, collective.unit),
        "people_feedback": collective_feedback(request.user, collective),
        "feedback_points": feedback_points_for(request.user).filter(collective=collective),
    })


@login_required
@require_GET
def collective_detail(request, pk):
    return _collective_page(request, get_collective(request.user, pk))


@login_required
@require_POST
def collective_log(request, pk):
    collective = get_collective(request.user, pk)
    form = CollectiveLogForm(request.POST)
    if form.is_valid():
        try:
            services.collective_log(actor=request.user, collective=collective, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity was logged."))
            return redirect("movements:collective", pk=collective.pk)
    return _collective_page(request, collective, log_form=form)


@login_required
@require_POST
def collective_evaluate(request, pk):
    collective = get_collective(request.user, pk)
    try:
        services.collective_evaluate(actor=request.user, collective=collective,
                                     recognised=request.POST.get("decision") == "recognise",
                                     note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The evaluation was recorded."))
    return redirect("movements:collective", pk=collective.pk)
