"""Reports: figures over the unit's subtree only, the year-end report drafted, issued with the register's next
number, its files written whole into the archive (and again after a failure), and the files opened again."""

import io
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from members.models import AuditEntry, Member, MemberStatus
from movements.models import Commitment
from reports import caching, renderers, services
from reports.exporters import YearEndExporter
from reports.figures import unit_figures
from reports.models import ArchivedFile, DocumentRegister, ExportJob, JobState, ReportState
from reports.tasks import year_end_files
from tests.conftest import client_for
from tests.factories import MemberFactory, make_unit


def _active_in(unit):
    return Member.objects.filter(unit.subtree_q("unit__path"), status=MemberStatus.ACTIVE)


def test_figures_count_the_subtree_and_nothing_outside_it(grassroots_committee, tree, data):
    figures = unit_figures(grassroots_committee, tree.g1, data.year)
    assert figures.members == _active_in(tree.g1).count()
    assert figures.registered == Commitment.objects.filter(member__unit__path__startswith=tree.g1.path).count() == 1
    assert figures.project_totals["count"] == 1 and figures.project_totals["budget"] == 1_000_000
    assert {row.unit for row in figures.sub_units} == {tree.branch_a, tree.branch_b}
    assert sum(row.members for row in figures.sub_units) == figures.members


def test_the_dashboard_takes_the_same_queries_for_more_units(grassroots_committee, tree, data):
    client = client_for(grassroots_committee)
    caching.new_version()  # stands for the commit of the fixtures: what the first page draws by its parts is kept
    client.get(reverse("reports:dashboard"))
    caching.new_version()  # the figures computed again, not read from the cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("reports:dashboard")).status_code == 200
    for index in range(6):
        branch = make_unit(parent=tree.g1, code=f"more-{index}", kind="branch", name=f"Chi đoàn {index}")
        MemberFactory(unit=branch)
    caching.new_version()  # stands for the commit of the new units
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("reports:dashboard"), {"sort": "members"})
    assert len(many) == len(few)
    assert len(response.context["rows"]) == 8


def test_the_workbook_has_a_sheet_per_table_and_every_member_of_the_subtree_only(grassroots_committee, tree, data,
                                                                                 member_in_c):
    output = io.BytesIO()
    renderers.write_xlsx(YearEndExporter(grassroots_committee, tree.g1, data.year), output)
    workbook = load_workbook(io.BytesIO(output.getvalue()))
    assert len(workbook.sheetnames) == 9  # with the people's feedback; none of it at a collective here
    members = list(workbook.worksheets[-1].iter_rows(values_only=True))
    assert len(members) - 1 == _active_in(tree.g1).count()
    names = [row[0] for row in members[1:]]
    assert member_in_c.full_name not in names
    # A name that looks like a formula is kept as typed, in a text cell: never a formula.
    assert '=HYPERLINK("http://x")' in names
    cells = load_workbook(io.BytesIO(output.getvalue()), read_only=False).worksheets[-1]
    assert {cell.data_type for row in cells.iter_rows() for cell in row if isinstance(cell.value, str)} == {"s"}
    sub_units = list(workbook.worksheets[-2].iter_rows(values_only=True))
    assert {row[0] for row in sub_units[1:]} == {tree.branch_a.name, tree.branch_b.name}


def test_nobody_outside_the_unit_exports_it(sibling_secretary, member_user, tree, data):
    with pytest.raises(Http404):
        YearEndExporter(sibling_secretary, tree.g1, data.year)
    with pytest.raises(PermissionDenied):
        YearEndExporter(member_user, tree.branch_a, data.year)


def test_issuing_numbers_from_the_register_freezes_and_archives(grassroots_committee, tree, draft, tmp_path,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.year_end_report_issue(actor=grassroots_committee, report=draft)
    draft.refresh_from_db()
    assert (draft.state, draft.number, draft.number_text) == (ReportState.ISSUED, 1, "1-BC/ĐTN")
    assert DocumentRegister.objects.get(unit=tree.g1, doc_type="BC", year=draft.year).last_number == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.files.count() == 2
    entry = AuditEntry.objects.filter(action="report.issued").get()
    assert entry.after["number"] == "1-BC/ĐTN"
    with pytest.raises(ValidationError):
        services.year_end_report_update(actor=grassroots_committee, report=draft, strengths="Đổi")
    with pytest.raises(ValidationError):
        services.year_end_report_issue(actor=grassroots_committee, report=draft)
    kept = ArchivedFile.objects.get(content_type="application/pdf")
    with pytest.raises(ValidationError):
        kept.save()
    with pytest.raises(ValidationError):
        kept.delete()
    # The PDF holds the heading, the number, the unit and the figures.
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(kept.file.read())
    text = " ".join(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "BÁO CÁO" in text and "Số: 1-BC/ĐTN" in text and "ĐOÀN TNCS HỒ CHÍ MINH" in text
    assert tree.g1.name.upper() in text and "TM. BAN THƯỜNG VỤ" in text and "Trần Thị Mỹ Hạnh" in text
    assert f"{_active_in(tree.g1).count()} đoàn viên" in text


def test_the_next_report_takes_the_next_number(grassroots_committee, tree, draft):
    services.year_end_report_issue(actor=grassroots_committee, report=draft)
    assert services.next_document_number(tree.g1, "BC", draft.year) == 2
    assert services.next_document_number(tree.g2, "BC", draft.year) == 1


def test_only_the_committee_drafts_and_a_signer_is_needed(secretary, grassroots_committee, tree, data):
    with pytest.raises(PermissionDenied):
        services.year_end_report_draft(actor=secretary, unit=tree.branch_a, year=data.year)
    report = services.year_end_report_draft(actor=grassroots_committee, unit=tree.g1, year=data.year)
    with pytest.raises(ValidationError) as refusal:
        services.year_end_report_issue(actor=grassroots_committee, report=report)
    assert {"signer_name", "strengths", "weaknesses", "causes", "direction"} <= set(refusal.value.error_dict)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.number is None


def test_a_failed_job_leaves_nothing_and_runs_again(grassroots_committee, draft, monkeypatch, settings,
                                                    django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("killed halfway")

    monkeypatch.setattr(renderers, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):  # the task's failure is recorded, not raised here
        services.year_end_report_issue(actor=grassroots_committee, report=draft)
    assert ExportJob.objects.get().state == JobState.FAILED
    assert not ArchivedFile.objects.exists()
    archive = settings.MEDIA_ROOT / "archive"
    assert not archive.exists() or not [path for path in archive.rglob("*") if path.is_file()]
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.year_end_report_write_files(actor=grassroots_committee, report=draft)
    job.refresh_from_db()
    assert job.state == JobState.DONE and ArchivedFile.objects.count() == 2


def test_a_job_killed_between_the_file_and_its_row_leaves_nothing_in_the_archive_and_runs_again(
        grassroots_committee, tree, data, monkeypatch, settings, tmp_path):
    import datetime

    from reports.tasks import run_export

    settings.MEDIA_ROOT = tmp_path

    def killed(self, *args, **kwargs):
        raise SystemExit("SIGKILL")  # no except clause of the job's sees it, as with a real kill

    job = services.export_start(actor=grassroots_committee, unit=tree.g1, kind="members", params={"format": "xlsx"})
    monkeypatch.setattr(ArchivedFile, "save", killed)
    with pytest.raises(SystemExit):
        run_export.func(job.pk)  # as the worker runs it
    monkeypatch.undo()
    assert not ArchivedFile.objects.exists()
    left = [path for path in (tmp_path / "archive").rglob("*") if path.is_file()]
    assert len(left) == 1  # the bytes of a file that never reached the archive
    assert services.orphan_files_remove() == 0  # too young: it might be one being kept right now
    assert services.orphan_files_remove(older_than=datetime.timedelta(0)) == 1 and not left[0].exists()
    run_export.func(job.pk)  # the worker runs it again
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.files.count() == ArchivedFile.objects.count() == 1
    assert services.orphan_files_remove(older_than=datetime.timedelta(0)) == 0  # a kept file stays


def test_the_command_writes_what_the_user_may_see(grassroots_committee, tree, data, tmp_path):
    output = tmp_path / "bao-cao.xlsx"
    call_command("export_report", "--user", "thuongvu", "--unit", "g1", "--year", str(data.year),
                 "--format", "xlsx", "--output", str(output), stdout=io.StringIO())
    assert load_workbook(output).sheetnames[-1] == "Đoàn viên"


def test_the_page_drafts_edits_and_issues(grassroots_committee, tree, data, django_capture_on_commit_callbacks):
    client = client_for(grassroots_committee)
    response = client.post(reverse("reports:year_end_draft"), {"year": data.year})
    report = tree.g1.year_end_reports.get()
    assert response["Location"] == reverse("reports:year_end", args=[report.pk])
    form = client.get(response["Location"]).context["form"]
    values = {name: form.initial.get(name) or "" for name in form.fields}
    values.update(direction="Tiếp tục đẩy mạnh phong trào", signer_name="", strengths="Tích cực",
                  weaknesses="Còn chậm", causes="Ít thời gian")
    unconfirmed = client.post(response["Location"], {**values, "signer_name": "Hạnh", "issue": "1"})
    assert unconfirmed.status_code == 200 and unconfirmed.context["form"].non_field_errors()
    page = client.post(response["Location"], {**values, "issue": "1", "confirm": "1"})
    assert page.status_code == 200 and "signer_name" in page.context["form"].errors
    assert 'Tiếp tục đẩy mạnh phong trào' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"], {**values, "signer_name": "Trần Thị Mỹ Hạnh", "issue": "1",
                                                  "confirm": "1"})
    job = ExportJob.objects.get()
    assert done["Location"] == reverse("reports:job", args=[job.pk])
    assert client.get(done["Location"]).status_code == 200
    files = client.get(reverse("reports:archive")).context["page"].object_list
    assert len(files) == 2
    download = client.get(reverse("reports:archived_file", args=[files[0].pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"


def test_year_end_files_are_in_vietnamese(grassroots_committee, draft):
    [(title, content, extension, _type)] = year_end_files(draft, grassroots_committee, formats=("xlsx",))
    assert title.startswith("…-BC/ĐTN") and extension == "xlsx"
    assert load_workbook(io.BytesIO(content)).sheetnames[0] == "Đoàn viên và cam kết"


def test_list_exports_go_through_a_job_into_the_archive(grassroots_committee, member_user, member_in_a, tree, data,
                                                        django_capture_on_commit_callbacks):
    from campaigns import services as campaign_services
    from campaigns.models import AwardTitle

    campaign_services.award_propose(actor=grassroots_committee, proposing_unit=tree.g1,
                                    title=AwardTitle.objects.get(name="Thanh niên tiên tiến làm theo lời Bác"),
                                    year=data.year, achievements="=1+1 thành tích", member=member_in_a)
    client = client_for(grassroots_committee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export", args=["awards"]), {"year": data.year, "format": "xlsx"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    job.refresh_from_db()
    assert job.state == JobState.DONE
    workbook = load_workbook(io.BytesIO(job.files.get().file.read()))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[1][1:] == (member_in_a.full_name, tree.branch_a.name, "=1+1 thành tích")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export", args=["members"]), {"format": "pdf", "status": "active"})
    pdf = ExportJob.objects.latest("created_at").files.get()
    assert pdf.content_type == "application/pdf" and pdf.file.read().startswith(b"%PDF")
    # A member may not list the awards of their branch; an unknown export does not exist.
    assert client_for(member_user).post(reverse("reports:export", args=["awards"]),
                                        {"year": data.year, "format": "pdf"}).status_code == 403
    assert client.post(reverse("reports:export", args=["payroll"]), {"format": "pdf"}).status_code == 404


def test_a_list_export_naming_people_is_removed_when_its_keeping_ends_and_issued_reports_stay(
        grassroots_committee, tree, draft, settings, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    settings.LIST_EXPORT_KEEP_DAYS = 30
    client = client_for(grassroots_committee)
    with django_capture_on_commit_callbacks(execute=True):
        services.year_end_report_issue(actor=grassroots_committee, report=draft)
        client.post(reverse("reports:export", args=["members"]), {"format": "xlsx", "status": "active"})
    listed = ArchivedFile.objects.get(report=None)
    storage, name = listed.file.storage, listed.file.name
    assert listed.expires_on == timezone.localdate() + datetime.timedelta(days=30)
    assert set(ArchivedFile.objects.exclude(report=None).values_list("expires_on", flat=True)) == {None}
    assert listed.expires_on.strftime("%d/%m/%Y") in client.get(reverse("reports:archive")).content.decode()
    assert services.expired_exports_remove(listed.expires_on - datetime.timedelta(days=1)) == 0
    assert ExportJob.objects.filter(files=listed).exists()
    ExportJob.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert services.expired_exports_remove(listed.expires_on) == 1
    assert not ArchivedFile.objects.filter(pk=listed.pk).exists() and not storage.exists(name)
    assert not ExportJob.objects.exists()  # the jobs held the list's filters
    assert ArchivedFile.objects.count() == 2  # the issued report's PDF and workbook
    entry = AuditEntry.objects.get(action="report.export_expired")
    assert entry.before["title"] == listed.title and entry.actor is None
    with pytest.raises(ValidationError):
        ArchivedFile.objects.all().delete()  # any other removal is still refused
    out = io.StringIO()
    call_command("remove_expired_exports", stdout=out)
    assert out.getvalue().splitlines()[0] == "0 list exports removed."


def test_the_command_writes_the_member_list_and_refuses_outsiders(grassroots_committee, outsider, tree, data,
                                                                   tmp_path):
    from django.core.management.base import CommandError

    output = tmp_path / "doan-vien.pdf"
    call_command("export_report", "--user", "thuongvu", "--unit", "g1", "--year", str(data.year), "--report",
                 "members", "--format", "pdf", "--output", str(output), stdout=io.StringIO())
    assert output.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError):
        call_command("export_report", "--user", "bithu-c", "--unit", "g1", "--year", str(data.year),
                     "--format", "xlsx", "--output", str(output), stdout=io.StringIO())



def test_figures_at_a_unit_above_the_year_count_its_commitments(city_committee, tree, data):
    figures = unit_figures(city_committee, tree.city, data.year)  # the year was opened by the sector below
    assert figures.registered == Commitment.objects.count() == 2


def test_a_workbook_takes_control_characters_and_like_named_sheets(grassroots_committee, tree, data):
    from reports.exporters import Table

    class Twins:
        unit, title = tree.g1, "Hai bảng"

        def tables(self):
            name = "Giấy khen của Ban Chấp hành Đoàn cơ sở"
            yield Table("a", name, ["Tên"], [["Thành\x0btích\x01"]])
            yield Table("b", name, ["Tên"], [["Khác"]])

    output = io.BytesIO()
    renderers.write_xlsx(Twins(), output)
    workbook = load_workbook(io.BytesIO(output.getvalue()))
    assert len(workbook.sheetnames) == 2 and all(len(name) <= 31 for name in workbook.sheetnames)
    assert workbook.worksheets[0]["A2"].value == "Thànhtích"


def test_the_committee_above_does_not_issue_a_unions_report(city_committee, draft):
    with pytest.raises(PermissionDenied):
        services.year_end_report_issue(actor=city_committee, report=draft)


def test_members_placed_in_the_union_itself_have_a_row_of_their_own(grassroots_committee, tree, data):
    MemberFactory(unit=tree.g1, full_name="Cán bộ chuyên trách")
    figures = unit_figures(grassroots_committee, tree.g1, data.year)
    direct = [row for row in figures.sub_units if row.direct]
    assert [(row.unit, row.members) for row in direct] == [(tree.g1, 1)]
    assert sum(row.members for row in figures.sub_units) == figures.members
