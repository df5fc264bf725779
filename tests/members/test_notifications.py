from django.urls import reverse

from members.models import Notification
from movements import services
from tests.conftest import client_for


def test_an_approval_tells_the_member_in_the_portal_and_by_mail(member_user, secretary, submitted_commitment,
                                                                mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_approve(actor=secretary, commitment=submitted_commitment)
    notification = Notification.objects.get(user=member_user)
    assert "duyệt" in notification.message
    assert notification.url == reverse("movements:my_commitment")
    assert [message.to for message in mailoutbox] == [[member_user.email]]


def test_a_refused_move_tells_nobody(member_user, sibling_secretary, submitted_commitment, mailoutbox):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.commitment_approve(actor=sibling_secretary, commitment=submitted_commitment)
    assert not Notification.objects.exists() and not mailoutbox


def test_the_bell_counts_unread_and_the_page_marks_them_read(member_user, secretary, submitted_commitment):
    services.commitment_return(actor=secretary, commitment=submitted_commitment, comment="Sửa lại",
                               pledge_comments={})
    client = client_for(member_user)
    assert client.get(reverse("home")).context["unread_notifications"] == 1
    page = client.get(reverse("members:notifications"))
    assert "trả lại" in page.content.decode()
    client.post(reverse("members:notifications"))
    assert client.get(reverse("home")).context["unread_notifications"] == 0
