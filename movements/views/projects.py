"""Pages of youth projects: the list of a unit's subtree, proposing, the project's page, its moves and reports."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.access import Action, policy
from members.forms import add_service_errors
from members.selectors import visible_ancestors, working_unit
from movements import selectors, services
from movements.filters import ProjectFilter
from movements.forms import AcceptProjectForm, ProjectForm, ProjectReportForm
from movements.models import ProjectPhoto, ProjectState, YouthProject
from movements.services.projects import FINAL_FIGURES, PROJECT_FIELDS
from movements.views.base import solution_choices
from reports.caching import CachedCountPaginator
from reports.page_cache import kept_for_reader


def get_project(user, pk) -> YouthProject:
    try:
        project = YouthProject.objects.select_related("unit").get(pk=pk)
    except (YouthProject.DoesNotExist, ValueError):
        raise Http404 from None
    policy.check(user, Action.VIEW_PROJECTS, project.unit)
    return project


@login_required
@require_GET
@kept_for_reader
def project_list(request):
    unit = working_unit(request, Action.VIEW_PROJECTS)
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    project_filter = ProjectFilter(data, queryset=selectors.projects_of_unit(request.user, unit), request=request)
    page = CachedCountPaginator(project_filter.qs, settings.MEMBER_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    return render(request, "movements/project_list.html", {
        "unit": unit, "ancestors": visible_ancestors(request.user, unit), "filter": project_filter, "page": page,
        "query": query.urlencode(), "may_propose": policy.units(request.user, Action.MANAGE_PROJECTS).filter(
            unit.subtree_q()).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    unit = working_unit(request, Action.VIEW_PROJECTS)
    units, members = solution_choices(request.user, unit)
    form = ProjectForm(request.POST or None, units=units, members=members,
                       initial={"unit": unit.pk, "year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_propose(actor=request.user, unit=data["unit"], members=data["members"],
                                               **{name: data[name] for name in PROJECT_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project was proposed to the committee above."))
            return redirect("movements:project", pk=project.pk)
    return render(request, "movements/project_form.html", {
        "form": form, "unit": unit, "ancestors": visible_ancestors(request.user, unit),
    })


def _project_page(request, project, accept_form=None):
    moves = services.project_moves_allowed(request.user, project)
    return render(request, "movements/project_detail.html", {
        "project": project,
        "ancestors": visible_ancestors(request.user, project.unit),
        "figures": selectors.project_figures(project),
        "timeline": selectors.object_timeline(project),
        "reports": project.reports.prefetch_related("photos"),
        "members": project.members.all(),
        "moves": moves,
        "accept_form": accept_form or (AcceptProjectForm() if "accept" in moves else None),
        "may_report": project.state == ProjectState.IN_PROGRESS
        and policy.can(request.user, Action.MANAGE_PROJECTS, project.unit),
    })


@login_required
@require_GET
def project_detail(request, pk):
    return _project_page(request, get_project(request.user, pk))


@login_required
@require_POST
def project_move(request, pk, name):
    project = get_project(request.user, pk)
    if name not in services.PROJECT_TRANSITIONS:
        raise Http404
    accept_form = None
    figures = None
    if name == "accept":
        accept_form = AcceptProjectForm(request.POST)
        if not accept_form.is_valid():
            return _project_page(request, project, accept_form=accept_form)
        figures = {field: accept_form.cleaned_data[field] for field in FINAL_FIGURES}
    try:
        moved = services.project_move(actor=request.user, project=project, name=name,
                                      note=request.POST.get("note", ""), figures=figures)
    except ValidationError as error:
        if accept_form is not None:
            add_service_errors(accept_form, error)
            return _project_page(request, project, accept_form=accept_form)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: the project is now “%(state)s”.")
                         % {"state": moved.get_state_display()})
    return redirect("movements:project", pk=project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def project_report_create(request, pk):
    project = get_project(request.user, pk)
    if not policy.can(request.user, Action.MANAGE_PROJECTS, project.unit):
        raise PermissionDenied
    form = ProjectReportForm(request.POST or None, request.FILES or None,
                             initial={"reported_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.project_report(actor=request.user, project=project, reported_on=data["reported_on"],
                                    text=data["text"], beneficiaries=data["beneficiaries"],
                                    volunteer_hours=data["volunteer_hours"], value=data["value"],
                                    photos=data["photos"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The progress report was added."))
            return redirect("movements:project", pk=project.pk)
    return render(request, "movements/project_report_form.html", {
        "form": form, "project": project, "ancestors": visible_ancestors(request.user, project.unit),
    })


@login_required
@require_GET
def project_photo(request, pk):
    try:
        photo = ProjectPhoto.objects.select_related("report__project__unit").get(pk=pk)
    except (ProjectPhoto.DoesNotExist, ValueError):
        raise Http404 from None
    policy.check(request.user, Action.VIEW_PROJECTS, photo.report.project.unit)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
