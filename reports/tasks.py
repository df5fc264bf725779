"""Background jobs of the reports, run by `manage.py db_worker`."""

import io

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django_tasks import task

from members.models import Unit
from movements.uploads import removed_on_failure
from reports.models import ExportJob, JobState, YearEndReport


def year_end_files(report: YearEndReport, user, *, formats=("pdf", "xlsx"),
                   progress=None) -> list[tuple[str, bytes, str, str]]:
    """The report's PDF and workbook, rendered whole in memory: (title, bytes, extension, type). A worker or a
    command has no request: the files are written in the portal's first language."""
    from reports.charts import figure_charts
    from reports.exporters import YearEndExporter
    from reports.renderers import XLSX_CONTENT_TYPE, render_pdf, write_xlsx

    with translation.override(settings.LANGUAGE_CODE):
        exporter = YearEndExporter(user, report.unit, report.year)
        name = f"{report.number_text} {exporter.title}"
        files = []
        if "xlsx" in formats:
            workbook = io.BytesIO()
            write_xlsx(exporter, workbook, progress=lambda done, total: progress and progress(10 + 50 * done // total))
            files.append((f"{name}.xlsx", workbook.getvalue(), "xlsx", XLSX_CONTENT_TYPE))
        if "pdf" in formats:
            pdf = render_pdf("reports/pdf/year_end.html", {
                "report": report, "exporter": exporter, "parent": Unit.objects.get_parent(report.unit),
                "figures": exporter.figures, "charts": figure_charts(exporter.figures),
                "tables": [table for table in exporter.tables() if table.in_pdf]})
            files.append((f"{name}.pdf", pdf, "pdf", "application/pdf"))
    if progress:
        progress(95)
    return files


@task()
def render_year_end_report(job_id: int) -> None:
    """Write the issued report's files into the archive. Run again after a crash, it finds what is already kept
    and writes the rest: nothing partial ever reaches the archive."""
    from reports.services import archive_file

    job = ExportJob.objects.select_related("created_by", "unit").get(pk=job_id)
    jobs = ExportJob.objects.filter(pk=job.pk)
    jobs.update(state=JobState.RUNNING, percent=5)
    try:
        report = YearEndReport.objects.select_related("unit", "issued_by").get(pk=job.params["report"])
        # The report counts what its issuer could see, whoever writes its files again later.
        files = year_end_files(report, report.issued_by or job.created_by,
                               progress=lambda percent: jobs.update(percent=percent))
        with removed_on_failure() as written, transaction.atomic():
            # Two jobs for one report wait for each other here; the second finds the files kept and adds none.
            report = YearEndReport.objects.select_for_update().get(pk=report.pk)
            kept = set(report.files.values_list("content_type", flat=True))
            for title, content, extension, content_type in files:
                if content_type not in kept:
                    written.append(archive_file(actor=job.created_by, unit=report.unit, report=report, title=title,
                                                content=content, extension=extension, content_type=content_type))
            job.files.add(*report.files.all())
    except Exception as error:
        jobs.update(state=JobState.FAILED, error=str(error)[:1000])
        raise
    jobs.update(state=JobState.DONE, percent=100)


def list_file(exporter, fmt: str) -> tuple[str, bytes, str, str]:
    """A list exporter's file: (title, bytes, extension, type), in the portal's first language."""
    from django.utils import timezone

    from reports.renderers import XLSX_CONTENT_TYPE, render_pdf, write_xlsx

    with translation.override(settings.LANGUAGE_CODE):
        title = f"{exporter.title} ({timezone.localdate():%d-%m-%Y}).{fmt}"
        if fmt == "xlsx":
            workbook = io.BytesIO()
            write_xlsx(exporter, workbook)
            return title, workbook.getvalue(), "xlsx", XLSX_CONTENT_TYPE
        tables = list(exporter.tables())
        wide = any(len(table.headers) > 6 for table in tables)
        pdf = render_pdf("reports/pdf/list.html", {
            "exporter": exporter, "tables": tables, "unit": exporter.unit,
            "parent": Unit.objects.get_parent(exporter.unit), "today": timezone.localdate(),
            "place": YearEndReport._meta.get_field("place").default, "orientation": "landscape" if wide else "portrait"})
        return title, pdf, "pdf", "application/pdf"


@task()
def run_export(job_id: int) -> None:
    """Write a list (a review, the award proposals, members) into the archive for the person who asked."""
    from reports.exporters import LIST_EXPORTERS
    from reports.services import archive_file

    job = ExportJob.objects.select_related("created_by", "unit").get(pk=job_id)
    jobs = ExportJob.objects.filter(pk=job.pk)
    jobs.update(state=JobState.RUNNING, percent=10)
    try:
        # The scope is the asker's, recomputed now: rights lost since the request are lost for the export too.
        exporter = LIST_EXPORTERS[job.kind].from_params(job.created_by, job.unit, job.params)
        title, content, extension, content_type = list_file(exporter, job.params["format"])
        jobs.update(percent=90)
        job.files.add(archive_file(actor=job.created_by, unit=exporter.unit, title=title, content=content,
                                   extension=extension, content_type=content_type,
                                   keep_days=settings.LIST_EXPORT_KEEP_DAYS))
    except Exception as error:
        jobs.update(state=JobState.FAILED, error=str(error)[:1000])
        raise
    jobs.update(state=JobState.DONE, percent=100)
