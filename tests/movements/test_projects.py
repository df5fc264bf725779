"""Youth projects: proposed by a unit, decided by the committee above, reported on with photos, accepted."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import AuditEntry
from movements import services
from movements.models import ProjectKind, ProjectState, YouthProject
from tests.conftest import client_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _fields(**changes):
    today = timezone.localdate()
    values = {"year": today.year, "kind": ProjectKind.COMMUNITY, "title": "Khám bệnh miễn phí cho người cao tuổi",
              "goal": "Khám và cấp thuốc cho 200 người", "place": "Phường 1", "starts_on": today,
              "ends_on": today + datetime.timedelta(days=30), "budget": 20_000_000, "budget_sources": "Xã hội hóa",
              "promised_beneficiaries": 200, "promised_volunteer_hours": 120, "promised_value": 50_000_000}
    return {**values, **changes}


@pytest.fixture
def project(secretary, tree):
    return services.project_propose(actor=secretary, unit=tree.branch_a, **_fields())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _state(project):
    return YouthProject.objects.get(pk=project.pk).state


def test_the_whole_way_of_a_project(secretary, grassroots_committee, project):
    services.project_move(actor=grassroots_committee, project=project, name="approve")
    services.project_move(actor=secretary, project=project, name="start")
    services.project_report(actor=secretary, project=project, reported_on=timezone.localdate(), text="Đợt 1",
                            beneficiaries=80, volunteer_hours=40, value=10_000_000,
                            photos=[SimpleUploadedFile("anh.png", PNG)])
    services.project_move(actor=secretary, project=project, name="complete")
    services.project_move(actor=grassroots_committee, project=project, name="accept", figures={
        "final_beneficiaries": 210, "final_volunteer_hours": 130, "final_value": 52_000_000, "final_volunteers": 15})
    project.refresh_from_db()
    assert (project.state, project.final_beneficiaries) == (ProjectState.ACCEPTED, 210)
    assert project.reports.get().photos.get().content_type == "image/png"
    assert list(AuditEntry.objects.filter(action__startswith="project.").order_by("id")
                .values_list("action", flat=True)) == [
        "project.proposed", "project.approved", "project.started", "project.reported", "project.completed",
        "project.accepted"]


def test_a_unit_cannot_approve_its_own_project(secretary, grassroots_committee, tree):
    own = services.project_propose(actor=grassroots_committee, unit=tree.g1, **_fields())
    with pytest.raises(PermissionDenied):
        services.project_move(actor=grassroots_committee, project=own, name="approve")
    with pytest.raises(PermissionDenied):
        services.project_move(actor=secretary, project=own, name="approve")
    assert _state(own) == ProjectState.PROPOSED


def test_a_rejection_needs_a_reason(grassroots_committee, project):
    with pytest.raises(ValidationError):
        services.project_move(actor=grassroots_committee, project=project, name="reject", note=" ")
    services.project_move(actor=grassroots_committee, project=project, name="reject", note="Trùng kế hoạch")
    assert YouthProject.objects.get(pk=project.pk).decision_note == "Trùng kế hoạch"


def test_moves_out_of_order_are_refused(secretary, grassroots_committee, project):
    with pytest.raises(ValidationError):
        services.project_move(actor=secretary, project=project, name="complete")
    with pytest.raises(ValidationError):
        services.project_report(actor=secretary, project=project, reported_on=timezone.localdate(), text="x")
    assert _state(project) == ProjectState.PROPOSED and not AuditEntry.objects.filter(
        action="project.completed").exists()


def test_acceptance_needs_the_final_figures(secretary, grassroots_committee, project):
    for name, actor in (("approve", grassroots_committee), ("start", secretary), ("complete", secretary)):
        services.project_move(actor=actor, project=project, name=name)
    with pytest.raises(ValidationError) as error:
        services.project_move(actor=grassroots_committee, project=project, name="accept", figures={})
    assert "final_value" in error.value.message_dict
    services.project_move(actor=grassroots_committee, project=project, name="send_back", note="Thiếu ảnh")
    assert _state(project) == ProjectState.IN_PROGRESS


def test_a_sibling_secretary_cannot_propose_or_report_for_another_branch(sibling_secretary, tree, project):
    with pytest.raises(PermissionDenied):
        services.project_propose(actor=sibling_secretary, unit=tree.branch_a, **_fields())


def test_the_project_pages(secretary, grassroots_committee, tree, project):
    client = client_for(grassroots_committee)
    page = client.get(reverse("movements:project", args=[project.pk]))
    assert page.context["moves"] == ["approve", "reject"]
    client.post(reverse("movements:project_move", args=[project.pk, "approve"]))
    assert _state(project) == ProjectState.APPROVED
    assert client_for(secretary).get(reverse("movements:project", args=[project.pk])).context["moves"] == ["start"]


def test_proposing_through_the_page_keeps_input_on_error(secretary, tree):
    data = {key: str(value) for key, value in _fields(ends_on=timezone.localdate() - datetime.timedelta(days=1)).items()}
    response = client_for(secretary).post(reverse("movements:project_create"), {**data, "unit": tree.branch_a.pk})
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert "Khám bệnh miễn phí" in response.content.decode()
    assert not YouthProject.objects.exists()


def test_the_list_filters_and_costs_the_same_for_5_and_50(secretary, grassroots_committee, tree):
    client = client_for(grassroots_committee)
    url = reverse("movements:projects")
    for _ in range(5):
        services.project_propose(actor=secretary, unit=tree.branch_a, **_fields())
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(45):
        services.project_propose(actor=secretary, unit=tree.branch_a, **_fields())
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"state": "proposed"})
    assert len(few) == len(many)
    assert response.context["page"].paginator.count == 50
    assert client.get(url, {"kind": ProjectKind.POLITICAL_TASK}).context["page"].paginator.count == 0
