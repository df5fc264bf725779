"""The permission matrix of the report pages and the archive's downloads."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import ArchivedFile, ExportJob, YearEndReport
from tests.conftest import PERSONAS, client_for
from tests.test_permissions import LOGIN, OFFICERS, meets, row

IN_G1 = row(LOGIN, 404, 404, 404, 200, 200, 404, 200)
IN_C = row(LOGIN, 404, 404, 404, 404, 200, 200, 200)
COMMITTEE_IN_C = row(LOGIN, 404, 404, 404, 404, 200, 403, 200)

REPORT_MATRIX = [
    ("reports:dashboard", None, "get", OFFICERS),
    ("reports:year_end_draft", None, "post", row(LOGIN, 403, 403, 403, 302, 302, 403, 302)),
    ("reports:year_end", "report_g1", "get", IN_G1),
    ("reports:year_end", "report_c", "get", IN_C),
    # Saving without the required fields shows the form again (200) to those who may write it.
    ("reports:year_end", "report_g1", "post", IN_G1),
    ("reports:year_end", "report_c", "post", COMMITTEE_IN_C),
    # A draft has no files to write: refused with a message (302). A report is its own union's: the committee
    # above reads it but does not write it (403).
    ("reports:year_end_files", "report_g1", "post", row(LOGIN, 404, 404, 404, 302, 403, 404, 302)),
    ("reports:year_end_files", "report_c", "post", row(LOGIN, 404, 404, 404, 404, 403, 403, 302)),
    # A job is its author's alone.
    ("reports:job", "job_g1", "get", row(LOGIN, 404, 404, 404, 200, 404, 404, 404)),
    ("reports:archive", None, "get", OFFICERS),
    # The member list of the unit worked in: officers only; the export then runs as a job (302).
    ("reports:export", "members", "post", row(LOGIN, 403, 302, 302, 302, 302, 302, 302)),
    ("reports:archived_file", "file_g1", "get", IN_G1),
    ("reports:archived_file", "file_c", "get", IN_C),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(("name", "target", "method", "expected"), REPORT_MATRIX,
                         ids=[f"{name}-{target or 'page'}-{method}" for name, target, method, _ in REPORT_MATRIX])
def test_report_permission_matrix(name, target, method, expected, personas, tree):
    objects = {"report_g1": YearEndReport.objects.create(unit=tree.g1, year=2026),
               "report_c": YearEndReport.objects.create(unit=tree.branch_c, year=2026),
               "job_g1": ExportJob.objects.create(created_by=personas["grassroots_committee"], unit=tree.g1,
                                                  kind="year_end")}
    for key, unit in (("file_g1", tree.g1), ("file_c", tree.branch_c)):
        stored = ArchivedFile(unit=unit, title="Báo cáo.pdf", content_type="application/pdf", size=9, sha256="0")
        stored.file.save(f"{key}.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        stored.save()
        objects[key] = stored
    if target is None:
        url = reverse(name)
    elif name == "reports:export":
        url = reverse(name, args=[target])
    else:
        url = reverse(name, args=[objects[target].pk])
    failures = []
    for persona in PERSONAS:
        YearEndReport.objects.exclude(pk__in=[objects["report_g1"].pk, objects["report_c"].pk]).delete()
        data = {"note": "x", "format": "pdf"} if method == "post" else None
        response = getattr(client_for(personas[persona]), method)(url, data)
        if not meets(response, expected[persona]):
            failures.append(f"{persona}: got {response.status_code}, want {expected[persona]}")
    assert failures == [], f"{method.upper()} {url}: " + "; ".join(failures)
