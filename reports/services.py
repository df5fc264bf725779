"""Every write of the reports: drafting and editing the year-end report, issuing it with the next number of the
unit's register, and keeping its files in the archive, written whole or not at all."""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import audit
from members.access import Action, policy
from members.models import Unit
from movements.services.base import today
from reports.models import ArchivedFile, DocumentRegister, ExportJob, ReportState, YearEndReport

REPORT_DRAFTED = audit.register_action("report.drafted", gettext_lazy("Year-end report drafted"))
REPORT_EDITED = audit.register_action("report.edited", gettext_lazy("Year-end report edited"))
REPORT_ISSUED = audit.register_action("report.issued", gettext_lazy("Year-end report issued"))
FILE_ARCHIVED = audit.register_action("report.archived", gettext_lazy("File kept in the report archive"))
EXPORT_EXPIRED = audit.register_action("report.export_expired",
                                       gettext_lazy("List export removed at the end of its keeping period"))


def _check_manager(actor, unit: Unit) -> None:
    # A report is issued in the unit's own name and takes its register's number: its own committee writes it.
    if not policy.held_units(actor, Action.MANAGE_REPORTS).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("Only the committee of %(unit)s writes its reports.") % {"unit": unit})


def _default_narrative(unit: Unit, year: int) -> dict:
    parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    return {
        "grounds": f"Căn cứ Kế hoạch thực hiện phong trào \u201c3 trách nhiệm\u201d năm {year} của {unit.name};",
        "recipients": "\n".join(filter(None, [
            f"- Ban Thường vụ {parent.name} (để báo cáo);" if parent else "",
            "- Các cơ sở Đoàn trực thuộc;", "- Lưu VP."])),
    }


def year_end_report_draft(*, actor, unit: Unit, year: int) -> YearEndReport:
    _check_manager(actor, unit)
    with transaction.atomic():
        report, created = YearEndReport.objects.get_or_create(unit=unit, year=year,
                                                              defaults=_default_narrative(unit, year))
        if created:
            audit.record(action=REPORT_DRAFTED, actor=actor, unit=unit, target=report, after={"year": year})
    return report


def _locked(report: YearEndReport) -> YearEndReport:
    return YearEndReport.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.pk)


def year_end_report_update(*, actor, report: YearEndReport, **narrative) -> YearEndReport:
    with transaction.atomic():
        report = _locked(report)
        _check_manager(actor, report.unit)
        if report.state != ReportState.DRAFT:
            raise ValidationError(_("An issued report is not changed: it is kept as it was issued."))
        before = audit.snapshot(report, YearEndReport.NARRATIVE)
        for name in YearEndReport.NARRATIVE:
            if name in narrative:
                setattr(report, name, narrative[name])
        report.full_clean(exclude=["issued_by"])
        report.save()
        changed_before, changed_after = audit.changed_fields(before, audit.snapshot(report, YearEndReport.NARRATIVE))
        audit.record(action=REPORT_EDITED, actor=actor, unit=report.unit, target=report,
                     before={name: (value or "")[:200] for name, value in changed_before.items()},
                     after={name: (value or "")[:200] for name, value in changed_after.items()})
    return report


def next_document_number(unit: Unit, doc_type: str, year: int) -> int:
    """The next number of the unit's register for this type and year; called inside the issuing transaction."""
    register, _created = DocumentRegister.objects.select_for_update().get_or_create(unit=unit, doc_type=doc_type,
                                                                                    year=year)
    register.last_number += 1
    register.save(update_fields=["last_number"])
    return register.last_number


REQUIRED_TO_ISSUE = ("strengths", "weaknesses", "causes", "direction")


def year_end_report_issue(*, actor, report: YearEndReport) -> ExportJob:
    """Issue the report: it takes the next number and is frozen; its PDF and workbook are written in the
    background into the archive, and the returned job shows the progress."""
    from reports.tasks import render_year_end_report

    with transaction.atomic():
        report = _locked(report)
        _check_manager(actor, report.unit)
        if report.state != ReportState.DRAFT:
            raise ValidationError(_("This report is already issued."))
        missing = {name: _("Write this section before issuing.") for name in REQUIRED_TO_ISSUE
                   if not getattr(report, name).strip()}
        if not report.signer_name.strip():
            missing["signer_name"] = _("Give the name of the person who signs.")
        if missing:
            raise ValidationError(missing)
        report.state, report.issued_on, report.issued_by = ReportState.ISSUED, today(), actor
        # Numbers restart each calendar year of issue (a report on last year issued in January takes this year's).
        report.number = next_document_number(report.unit, "BC", report.issued_on.year)
        report.save()
        job = ExportJob.objects.create(created_by=actor, unit=report.unit, kind="year_end",
                                       params={"report": report.pk})  # the files follow in the background
        audit.record(action=REPORT_ISSUED, actor=actor, unit=report.unit, target=report,
                     before={"state": ReportState.DRAFT},
                     after={"state": report.state, "number": report.number_text,
                            "issued_on": report.issued_on.isoformat()})
        transaction.on_commit(lambda: render_year_end_report.enqueue(job.pk))
    return job


def year_end_report_write_files(*, actor, report: YearEndReport) -> ExportJob:
    """Write an issued report's files again after a failed job; what is already kept stays as it is."""
    from reports.tasks import render_year_end_report

    with transaction.atomic():
        report = _locked(report)
        _check_manager(actor, report.unit)
        if report.state != ReportState.ISSUED:
            raise ValidationError(_("Only an issued report has files to write."))
        job = ExportJob.objects.create(created_by=actor, unit=report.unit, kind="year_end",
                                       params={"report": report.pk})
        transaction.on_commit(lambda: render_year_end_report.enqueue(job.pk))
    return job


EXPORT_FORMATS = ("pdf", "xlsx")


def export_start(*, actor, unit: Unit, kind: str, params: dict) -> ExportJob:
    """Queue a list export; the exporter is built once here so that a refusal (404/403) comes at once."""
    from reports.exporters import LIST_EXPORTERS
    from reports.tasks import run_export

    if kind not in LIST_EXPORTERS or params.get("format") not in EXPORT_FORMATS:
        raise ValidationError(_("This export does not exist."))
    exporter = LIST_EXPORTERS[kind].from_params(actor, unit, params)
    rows = getattr(exporter, "PDF_ROWS", None)
    if rows and params["format"] == "pdf" and exporter.members().count() > rows:
        raise ValidationError(_("More than %(rows)s members: choose Excel for a list this long, or filter it.")
                              % {"rows": rows})
    with transaction.atomic():
        job = ExportJob.objects.create(created_by=actor, unit=exporter.unit, kind=kind, params=params)
        transaction.on_commit(lambda: run_export.enqueue(job.pk))
    return job


def archive_file(*, actor, unit: Unit, title: str, content: bytes, extension: str, content_type: str,
                 report: YearEndReport | None = None, keep_days: int | None = None) -> ArchivedFile:
    """Keep a finished file: the bytes are complete before anything is stored, and a failed write leaves no file.
    ``keep_days`` limits how long a list export stays (see expired_exports_remove)."""
    archived = ArchivedFile(unit=unit, report=report, title=title[:250], content_type=content_type,
                            size=len(content), sha256=hashlib.sha256(content).hexdigest(), created_by=actor,
                            expires_on=timezone.localdate() + datetime.timedelta(days=keep_days) if keep_days else None)
    archived.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            archived.save()
            audit.record(action=FILE_ARCHIVED, actor=actor, unit=unit, target=report or archived,
                         after={"title": archived.title, "size": archived.size, "sha256": archived.sha256})
    except Exception:
        archived.file.delete(save=False)
        raise
    return archived


def expired_exports_remove(today: datetime.date | None = None) -> int:
    """Remove the list exports whose keeping period has ended: they name people, and a closed member's details
    must not outlive the record's own retention (members/retention.py) in a copy. Issued reports stay."""
    today = today or timezone.localdate()
    removed = 0
    for stored in ArchivedFile.objects.filter(report__isnull=True, expires_on__lte=today).select_related("unit"):
        with transaction.atomic():
            # The file first: if the row's removal then fails, a row without its file is what remains (its
            # download says so, and the next run removes it), never a file naming people that no row points to.
            stored.file.delete(save=False)
            # The job that asked for it held the list's filters (a searched name, a card number): it goes too.
            ExportJob.objects.filter(files=stored).delete()
            if not ArchivedFile.objects.filter(pk=stored.pk).remove_expired(today):
                continue
            audit.record(action=EXPORT_EXPIRED, actor=None, unit=stored.unit,
                         before={"title": stored.title, "sha256": stored.sha256},
                         after={"expires_on": stored.expires_on.isoformat()})
        removed += 1
    # A job is the progress of one request; its parameters hold the list's filters (a searched name, a card
    # number). Past the same period nobody follows it any more.
    ExportJob.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(
        days=settings.LIST_EXPORT_KEEP_DAYS)).delete()
    return removed


def orphan_files_remove(older_than: datetime.timedelta = datetime.timedelta(hours=1)) -> int:
    """Remove files under the archive folder that no archived file names. Only a process killed between writing
    the bytes and committing the row leaves one (archive_file removes its file on any error it sees); such a
    file never reached the archive, and may name people. A file younger than ``older_than`` may be one being
    kept right now, and is left alone."""
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT) / "archive"
    if not root.exists():
        return 0
    kept = set(ArchivedFile.objects.values_list("file", flat=True))
    cutoff = (timezone.now() - older_than).timestamp()
    removed = 0
    for path in root.rglob("*"):
        name = path.relative_to(settings.MEDIA_ROOT).as_posix()
        if path.is_file() and name not in kept and path.stat().st_mtime < cutoff:
            path.unlink()
            removed += 1
    return removed
