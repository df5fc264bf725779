"""Background jobs of the members app, run by `manage.py db_worker`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django_tasks import task

from members import services
from members.imports import manageable_branches, read_member_workbook
from members.models import ImportState, MemberImport, UnitKind


@task()
def run_member_import(import_id: int) -> None:
    """Read the stored list again with the importer's rights of now, then write it all or nothing."""
    job = MemberImport.objects.select_related("created_by", "unit").get(pk=import_id)
    jobs = MemberImport.objects.filter(pk=job.pk)
    jobs.update(state=ImportState.READING)
    try:
        with default_storage.open(job.path, "rb") as stored:
            plan = read_member_workbook(
                stored, branches=manageable_branches(job.created_by),
                default_unit=job.unit if job.unit.kind == UnitKind.BRANCH else None,
                # Each update commits at once, so the progress page sees the rows being read.
                progress=lambda rows: jobs.update(read_rows=rows))
        jobs.update(state=ImportState.WRITING, read_rows=job.total_rows)
        counts = services.member_import(actor=job.created_by, plan=plan)
    except (ValidationError, PermissionDenied) as error:
        jobs.update(state=ImportState.FAILED, error=" ".join(getattr(error, "messages", [str(error)])))
    else:
        jobs.update(state=ImportState.DONE, result=counts)
    finally:
        default_storage.delete(job.path)
