"""Evidence: logged by the member in the evidence period, checked by content, verified or rejected by the branch,
and served only to those who may see the commitment."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members.models import AccessEntry, AccessKind, AuditEntry
from movements import services
from movements.models import Evidence, EvidenceFile, EvidenceState, MovementYear
from movements.scorecard import scorecard
from tests.conftest import client_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="bien-ban.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def approved(secretary, submitted_commitment):
    return services.commitment_approve(actor=secretary, commitment=submitted_commitment)


@pytest.fixture
def pledge(approved):
    return approved.pledges.order_by("id").first()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_member_logs_evidence_with_a_pdf(member_user, pledge):
    evidence = services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(),
                                     description="Giải quyết 5 hồ sơ", value_reached=Decimal(5), files=[pdf()])
    stored = evidence.files.get()
    assert (stored.content_type, stored.original_name) == ("application/pdf", "bien-ban.pdf")
    assert stored.file.name.endswith(".pdf") and "bien-ban" not in stored.file.name
    assert AuditEntry.objects.get(action=services.EVIDENCE_ADDED).after["files"] == 1


def test_a_file_is_judged_by_its_content_not_its_name(member_user, pledge):
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(), description="x",
                              files=[pdf("that-chat-la-pdf.pdf", b"<html><script>alert(1)</script>")])
    assert "that-chat-la-pdf.pdf" in " ".join(error.value.messages)
    assert not Evidence.objects.exists()
    png_named_pdf = services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(),
                                          description="ảnh", value_reached=Decimal(1), files=[pdf("anh.pdf", PNG)])
    assert png_named_pdf.files.get().content_type == "image/png"


def test_a_file_over_5_mb_is_refused(member_user, pledge):
    with pytest.raises(ValidationError):
        services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(), description="x",
                              files=[pdf(content=PDF + b"0" * (5 * 1024 * 1024))])
    assert not EvidenceFile.objects.exists()


def test_evidence_needs_an_approved_commitment(member_user, submitted_commitment):
    with pytest.raises(ValidationError):
        services.evidence_add(actor=member_user, pledge=submitted_commitment.pledges.first(),
                              done_on=timezone.localdate(), description="x")


def test_evidence_outside_the_period_is_refused(member_user, pledge):
    MovementYear.objects.filter(pk=pledge.commitment.movement_year_id).update(
        evidence_closes=timezone.localdate() - datetime.timedelta(days=1))
    pledge.refresh_from_db()
    with pytest.raises(ValidationError):
        services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(), description="x")


def test_only_the_member_logs_their_evidence(secretary, pledge):
    with pytest.raises(PermissionDenied):
        services.evidence_add(actor=secretary, pledge=pledge, done_on=timezone.localdate(), description="x")


def test_verify_and_reject_with_audit(member_user, secretary, pledge):
    first = services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(), description="a",
                                  value_reached=Decimal(4))
    second = services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(), description="b",
                                   value_reached=Decimal(3))
    services.evidence_verify(actor=secretary, evidence=first)
    services.evidence_reject(actor=secretary, evidence=second, reason="Không có xác nhận")
    assert dict(Evidence.objects.values_list("description", "state")) == {"a": "verified", "b": "rejected"}
    assert AuditEntry.objects.get(action=services.EVIDENCE_REJECTED).note == "Không có xác nhận"
    with pytest.raises(ValidationError):
        services.evidence_verify(actor=secretary, evidence=second)
    assert Evidence.objects.get(pk=second.pk).state == EvidenceState.REJECTED


def test_a_rejection_needs_a_reason(member_user, secretary, pledge):
    evidence = services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(), description="a",
                                     value_reached=Decimal(1))
    with pytest.raises(ValidationError):
        services.evidence_reject(actor=secretary, evidence=evidence, reason="  ")
    assert Evidence.objects.get(pk=evidence.pk).state == EvidenceState.PENDING


def test_a_sibling_secretary_cannot_verify(member_user, sibling_secretary, pledge):
    evidence = services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(), description="a",
                                     value_reached=Decimal(1))
    with pytest.raises(PermissionDenied):
        services.evidence_verify(actor=sibling_secretary, evidence=evidence)


def test_the_scorecard_counts_verified_evidence_only(member_user, secretary, approved, pledge):
    # pledge_values() promise 10 units on every pledge.
    verified = services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(),
                                     description="a", value_reached=Decimal(4))
    services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(), description="b",
                          value_reached=Decimal(3))
    services.evidence_verify(actor=secretary, evidence=verified)
    work = scorecard(approved)[0]
    item = next(p for p in work.pledges if p.pledge.pk == pledge.pk)
    assert (item.achieved, item.pending, item.percent) == (Decimal(4), Decimal(3), 40)
    assert work.percent == 40
    assert [row.percent for row in scorecard(approved)[1:]] == [0, 0]


@pytest.mark.parametrize(("persona", "status"), [
    ("member_user", 200), ("secretary", 200), ("grassroots_committee", 200), ("sibling_secretary", 404),
    ("outsider", 404), ("anonymous", 302)])
def test_evidence_files_are_served_only_within_reach(persona, status, personas, member_user, pledge):
    evidence = services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(),
                                     description="a", value_reached=Decimal(1), files=[pdf()])
    response = client_for(personas[persona]).get(reverse("movements:evidence_file", args=[evidence.files.get().pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
    # An officer opening the file is in the member's access log; the member opening their own is not.
    logged = AccessEntry.objects.filter(kind=AccessKind.EVIDENCE_FILE, member=pledge.commitment.member)
    assert list(logged.values_list("user", flat=True)) == (
        [personas[persona].pk] if status == 200 and persona != "member_user" else [])


def test_logging_evidence_through_the_page(member_user, pledge):
    response = client_for(member_user).post(reverse("movements:evidence_create", args=[pledge.pk]), {
        "done_on": timezone.localdate().isoformat(), "description": "Tham gia trực", "value_reached": "2",
        "files": [pdf(), pdf("anh.png", PNG)]})
    assert response.status_code == 302
    assert Evidence.objects.get().files.count() == 2


def test_a_bad_file_is_named_at_the_field_and_nothing_is_saved(member_user, pledge):
    response = client_for(member_user).post(reverse("movements:evidence_create", args=[pledge.pk]), {
        "done_on": timezone.localdate().isoformat(), "description": "Tham gia trực", "value_reached": "2",
        "files": [pdf("virus.pdf", b"MZ\x90\x00")]})
    assert response.status_code == 200
    assert "virus.pdf" in str(response.context["form"].errors["files"])
    assert 'Tham gia trực' in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_dated_in_the_future_is_refused(member_user, pledge):
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate() + datetime.timedelta(1),
                              description="x", value_reached=Decimal(1))
    assert "done_on" in error.value.message_dict


def test_a_number_pledge_needs_the_value_reached(member_user, pledge):
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(), description="x")
    assert "value_reached" in error.value.message_dict


def test_a_refused_evidence_leaves_no_file_behind(member_user, pledge, settings, monkeypatch):
    def fail(*args, **kwargs):
        raise ValidationError("audit down")

    monkeypatch.setattr("movements.services.audit.record", fail)
    with pytest.raises(ValidationError):
        services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(), description="x",
                              value_reached=Decimal(1), files=[pdf()])
    assert not list((settings.MEDIA_ROOT / "evidence").rglob("*.pdf"))


def test_evidence_of_an_evaluated_commitment_no_longer_changes(member_user, secretary, pledge):
    evidence = services.evidence_add(actor=member_user, pledge=pledge, done_on=timezone.localdate(),
                                     description="x", value_reached=Decimal(1))
    from movements.models import Commitment

    Commitment.objects.filter(pk=pledge.commitment_id).update(state="evaluated")
    with pytest.raises(ValidationError):
        services.evidence_verify(actor=secretary, evidence=evidence)
