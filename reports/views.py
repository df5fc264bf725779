"""Pages of the reports: a unit's dashboard for a year, the year-end report drafted, edited and issued, the job
that writes its files, and the unit's archive."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.redirects import local_path
from members import access_log
from members.access import Action, policy
from members.forms import add_service_errors
from members.selectors import visible_ancestors, working_unit
from movements.uploads import stored_file_response
from reports import caching, selectors, services
from reports.charts import figure_charts
from reports.exporters import LIST_EXPORTERS
from reports.figures import SUB_UNIT_SORTS, cached_unit_figures
from reports.forms import YearEndReportForm
from reports.models import ArchivedFile, ExportJob, ReportState, YearEndReport
from reports.page_cache import kept_for_reader


def _year(request) -> int:
    value = (request.POST if request.method == "POST" else request.GET).get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


def _report_unit(request):
    """The unit asked for (?unit=, a sub-unit opened from the table) or the one worked in."""
    if request.GET.get("unit"):
        return policy.get_unit(request.user, Action.VIEW_REPORTS, request.GET["unit"])
    return working_unit(request, Action.VIEW_REPORTS)


@login_required
@require_GET
@kept_for_reader
def dashboard(request):
    unit = _report_unit(request)
    year = _year(request)
    figures = cached_unit_figures(request.user, unit, year, earlier_meanwhile=True)
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SUB_UNIT_SORTS else "name"
    return render(request, "reports/dashboard.html", {
        "unit": unit, "ancestors": visible_ancestors(request.user, unit), "year": year, "figures": figures,
        # Both drawn only when the figures' fragment is drawn, not when a kept one is shown.
        "charts": SimpleLazyObject(lambda: figure_charts(figures)),
        "rows": SimpleLazyObject(lambda: sorted(figures.sub_units, key=SUB_UNIT_SORTS[sort])),
        "sort": sort,
        "counting_newer": caching.showing_earlier(),
        "report": selectors.year_end_report_of(unit, year),
        "may_manage": policy.held_units(request.user, Action.MANAGE_REPORTS).filter(pk=unit.pk).exists(),
    })


def _get_report(user, pk) -> YearEndReport:
    try:
        report = YearEndReport.objects.select_related("unit", "issued_by").get(pk=pk)
    except (YearEndReport.DoesNotExist, ValueError):
        raise Http404 from None
    policy.check(user, Action.VIEW_REPORTS, report.unit)
    return report


@login_required
@require_POST
def year_end_draft(request):
    # The unit whose dashboard was shown (a sub-unit opened from the table), else the one worked in.
    unit = (policy.get_unit(request.user, Action.MANAGE_REPORTS, request.POST["unit"]) if request.POST.get("unit")
            else working_unit(request, Action.MANAGE_REPORTS))
    report = services.year_end_report_draft(actor=request.user, unit=unit, year=_year(request))
    return redirect("reports:year_end", pk=report.pk)


def _report_page(request, report, form=None):
    manages = policy.held_units(request.user, Action.MANAGE_REPORTS).filter(pk=report.unit_id).exists()
    editable = manages and report.state == ReportState.DRAFT
    job = selectors.latest_job_for(report)
    return render(request, "reports/year_end.html", {
        "report": report, "unit": report.unit, "ancestors": visible_ancestors(request.user, report.unit),
        "form": form or (YearEndReportForm(instance=report) if editable else None),
        "files": report.files.all(), "figures": cached_unit_figures(request.user, report.unit, report.year),
        "job": job,
        # A job that has not moved for half an hour was lost with its worker; the committee may start another.
        "may_write_files": manages and report.state == ReportState.ISSUED and (
            job is None or job.finished or job.created_at < timezone.now() - datetime.timedelta(minutes=30)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def year_end(request, pk):
    report = _get_report(request.user, pk)
    if request.method == "GET":
        return _report_page(request, report)
    if not policy.can(request.user, Action.MANAGE_REPORTS, report.unit):
        raise PermissionDenied
    if report.state != ReportState.DRAFT:
        messages.info(request, _("This report is issued: it is kept as it was issued."))
        return redirect("reports:year_end", pk=report.pk)
    form = YearEndReportForm(request.POST, instance=report)
    if form.is_valid():
        try:
            services.year_end_report_update(actor=request.user, report=report, **{
                name: form.cleaned_data[name] for name in YearEndReport.NARRATIVE})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if "issue" in request.POST:
                if not request.POST.get("confirm"):
                    form.add_error(None, _("Tick the box to confirm: an issued report cannot be changed."))
                    return _report_page(request, report, form)
                return _issue(request, report, form)
            messages.success(request, _("The report was saved."))
            return redirect("reports:year_end", pk=report.pk)
    return _report_page(request, report, form)


def _issue(request, report, form):
    try:
        job = services.year_end_report_issue(actor=request.user, report=report)
    except ValidationError as error:
        add_service_errors(form, error)
        return _report_page(request, report, form)
    report.refresh_from_db(fields=["number"])
    messages.success(request, _("The report is issued as number %(number)s. Its PDF and workbook are being "
                                "written into the archive.") % {"number": report.number_text})
    return redirect("reports:job", pk=job.pk)


@login_required
@require_POST
def year_end_files(request, pk):
    report = _get_report(request.user, pk)
    if not policy.can(request.user, Action.MANAGE_REPORTS, report.unit):
        raise PermissionDenied
    try:
        export_job = services.year_end_report_write_files(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:year_end", pk=report.pk)
    return redirect("reports:job", pk=export_job.pk)


EXPORT_PARAMS = ("format", "review", "year", "q", "unit", "position", "status")


@login_required
@require_POST
def export(request, kind):
    """Start a list export from the page that shows the list; the file arrives in the archive."""
    unit = working_unit(request, Action.VIEW_UNIT)
    params = {name: request.POST[name][:100] for name in EXPORT_PARAMS if request.POST.get(name)}
    if kind not in LIST_EXPORTERS or params.get("format") not in services.EXPORT_FORMATS:
        raise Http404
    try:
        export_job = services.export_start(actor=request.user, unit=unit, kind=kind, params=params)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(local_path(request, request.POST.get("back")) or "reports:archive")
    messages.info(request, _("The file is being written; it will be kept in the report archive."))
    return redirect("reports:job", pk=export_job.pk)


@login_required
@require_GET
def job(request, pk):
    """A long export's progress; the page asks again every two seconds until it is done. One's own jobs only."""
    try:
        export_job = ExportJob.objects.select_related("unit").get(pk=pk, created_by=request.user)
    except (ExportJob.DoesNotExist, ValueError):
        raise Http404 from None
    template = "reports/includes/job_progress.html" if request.htmx else "reports/job.html"
    return render(request, template, {"job": export_job, "files": export_job.files.all(),
                                      "report_id": export_job.params.get("report")})


@login_required
@require_GET
@kept_for_reader
def archive(request):
    unit = working_unit(request, Action.VIEW_REPORTS)
    files = policy.scope(request.user, ArchivedFile.objects.select_related("unit", "report"),
                         action=Action.VIEW_REPORTS, path_field="unit__path").filter(unit.subtree_q("unit__path"))
    page = Paginator(files, settings.MEMBER_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/archive.html", {"unit": unit, "ancestors": visible_ancestors(request.user, unit),
                                                    "page": page, "query": "",
                                                    "keep_days": settings.LIST_EXPORT_KEEP_DAYS})


@login_required
@require_GET
def archived_file(request, pk):
    try:
        stored = ArchivedFile.objects.select_related("unit").get(pk=pk)
    except (ArchivedFile.DoesNotExist, ValueError):
        raise Http404 from None
    policy.check(request.user, Action.VIEW_REPORTS, stored.unit)
    # Reports and lists name people: taking one out of the portal is an export of personal data.
    access_log.record_export(request.user, stored.unit, _("Downloaded from the archive: %(title)s")
                             % {"title": stored.title})
    return stored_file_response(stored.file, content_type=stored.content_type, name=stored.title)
