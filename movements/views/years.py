"""Pages of a movement year: opening it, its settings and criteria, publishing and closing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.access import Action, policy
from members.forms import add_service_errors
from members.selectors import current_unit, visible_ancestors, working_unit
from movements import selectors, services
from movements.forms import (
    CriterionFormSet,
    MovementYearForm,
)
from movements.models import (
    YearState,
)
from movements.views.base import (
    criteria_by_responsibility,
    get_year,
    get_year_to_manage,
)
from reports.page_cache import kept_for_reader


@login_required
@require_GET
@kept_for_reader
def year_list(request):
    unit = current_unit(request)
    years = selectors.years_for(request.user)
    return render(request, "movements/year_list.html", {
        "years": years,
        "unit": unit,
        "ancestors": visible_ancestors(request.user, unit) if unit else [],
        "may_open": unit is not None and policy.can(request.user, Action.MANAGE_YEAR, unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def year_create(request):
    unit = working_unit(request, Action.MANAGE_YEAR)
    today = timezone.localdate()
    form = MovementYearForm(request.POST or None, initial={"year": today.year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = {name: data[name] for name in services.YEAR_SETTING_FIELDS if name not in services.YEAR_DATE_FIELDS}
        dates = {name: data[name] for name in services.YEAR_DATE_FIELDS}
        try:
            movement_year = services.year_open(actor=request.user, unit=unit, year=data["year"], options=options,
                                               **dates)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The year was opened with its criteria. Check them, then publish it."))
            return redirect("movements:year", pk=movement_year.pk)
    return render(request, "movements/year_form.html", {
        "form": form, "unit": unit, "ancestors": visible_ancestors(request.user, unit),
    })


@login_required
@require_GET
def year_detail(request, pk):
    movement_year = get_year(request.user, pk)
    criteria = list(movement_year.criteria.all())
    return render(request, "movements/year_detail.html", {
        "year": movement_year,
        "groups": criteria_by_responsibility(movement_year, criteria),
        "may_manage": policy.can(request.user, Action.MANAGE_YEAR, movement_year.unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def year_edit(request, pk):
    movement_year = get_year_to_manage(request.user, pk)
    form = MovementYearForm(request.POST or None, instance=movement_year)
    if request.method == "POST" and form.is_valid():
        try:
            services.year_update(actor=request.user, movement_year=movement_year,
                                 **{name: form.cleaned_data[name] for name in services.YEAR_SETTING_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("movements:year", pk=movement_year.pk)
    return render(request, "movements/year_form.html", {"form": form, "year": movement_year,
                                                        "unit": movement_year.unit})


@login_required
@require_http_methods(["GET", "POST"])
def year_criteria(request, pk):
    movement_year = get_year_to_manage(request.user, pk)
    if movement_year.state != YearState.DRAFT:
        messages.info(request, _("The criteria are fixed once the year is published."))
        return redirect("movements:year", pk=movement_year.pk)
    initial = [{"id": c.pk, **{name: getattr(c, name) for name in services.CRITERION_FIELDS}}
               for c in movement_year.criteria.all()]
    formset = CriterionFormSet(request.POST or None, initial=initial, prefix="criteria")
    if request.method == "POST" and formset.is_valid():
        try:
            services.criteria_save(actor=request.user, movement_year=movement_year, criteria=formset.criteria())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The criteria were saved."))
            return redirect("movements:year", pk=movement_year.pk)
    return render(request, "movements/year_criteria.html", {"year": movement_year, "formset": formset})


@login_required
@require_POST
def year_publish(request, pk):
    movement_year = get_year_to_manage(request.user, pk)
    try:
        services.year_publish(actor=request.user, movement_year=movement_year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The year is published: members can register their commitments."))
    return redirect("movements:year", pk=movement_year.pk)


@login_required
@require_POST
def year_close(request, pk):
    movement_year = get_year_to_manage(request.user, pk)
    try:
        services.year_close(actor=request.user, movement_year=movement_year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The year is closed: its records are now read-only."))
    return redirect("movements:year", pk=movement_year.pk)
