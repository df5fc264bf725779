"""Advanced youth collectives: registered by a branch, followed with logs, evaluated by the committee above."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import AuditEntry
from movements import services
from movements.models import Collective, CollectiveModel, CollectiveState
from tests.conftest import client_for


@pytest.fixture
def collective(secretary, tree, member_in_a):
    return services.collective_register(
        actor=secretary, unit=tree.branch_a, members=[member_in_a], year=timezone.localdate().year,
        model=CollectiveModel.objects.get(name__contains="Những người bạn"), name="Nhóm bạn của bệnh nhân Khoa Nội",
        commitments="Hỗ trợ người bệnh khó khăn", target_people_helped=100, target_consultations=50,
        target_sessions=12)


def test_the_movement_catalogue_of_models_is_there(db):
    assert CollectiveModel.objects.count() >= 5


def test_register_log_and_recognise(secretary, grassroots_committee, collective):
    services.collective_log(actor=secretary, collective=collective, done_on=timezone.localdate(),
                            text="Tặng quà người bệnh", people_helped=30, sessions=1)
    services.collective_evaluate(actor=grassroots_committee, collective=collective, recognised=True,
                                 note="Hoạt động đều, hiệu quả")
    collective.refresh_from_db()
    assert collective.state == CollectiveState.RECOGNISED
    assert list(AuditEntry.objects.filter(action__startswith="collective.").order_by("id")
                .values_list("action", flat=True)) == ["collective.registered", "collective.logged",
                                                      "collective.evaluated"]
    with pytest.raises(ValidationError):
        services.collective_log(actor=secretary, collective=collective, done_on=timezone.localdate(), text="x")


def test_the_branch_cannot_evaluate_its_own_collective(secretary, collective):
    with pytest.raises(PermissionDenied):
        services.collective_evaluate(actor=secretary, collective=collective, recognised=True, note="Tốt")
    assert Collective.objects.get(pk=collective.pk).state == CollectiveState.REGISTERED


def test_an_evaluation_needs_words_and_logs_no_future(secretary, grassroots_committee, collective):
    with pytest.raises(ValidationError):
        services.collective_evaluate(actor=grassroots_committee, collective=collective, recognised=False, note="")
    with pytest.raises(ValidationError):
        services.collective_log(actor=secretary, collective=collective,
                                done_on=timezone.localdate() + datetime.timedelta(days=1), text="x")


def test_the_collective_page_sums_the_logs(secretary, collective):
    client = client_for(secretary)
    client.post(reverse("movements:collective_log", args=[collective.pk]), {
        "done_on": timezone.localdate().isoformat(), "text": "Tư vấn", "people_helped": "5", "consultations": "7",
        "sessions": "1"})
    page = client.get(reverse("movements:collective", args=[collective.pk]))
    assert page.context["totals"] == {"people_helped": 5, "consultations": 7, "sessions": 1}


def test_a_members_page_shows_what_they_took_part_in(secretary, member_in_a, collective):
    page = client_for(secretary).get(reverse("members:detail", args=[member_in_a.pk])).content.decode()
    assert collective.name in page
