"""Reads of the reports for a unit or report the caller has already let the reader see."""

from reports.models import ExportJob, YearEndReport


def year_end_report_of(unit, year: int) -> YearEndReport | None:
    """The unit's year-end report for a year; the caller has checked that the reader may see the unit's reports."""
    # One at most (a unit's report is unique by year): the model's order would join the units for nothing.
    return YearEndReport.objects.filter(unit=unit, year=year).order_by().first()


def latest_job_for(report: YearEndReport) -> ExportJob | None:
    """The last job writing this report's files, whoever started it, so that nobody starts a second one."""
    return ExportJob.objects.filter(kind="year_end", params__report=report.pk).first()
