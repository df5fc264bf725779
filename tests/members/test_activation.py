"""Accounts for imported members: one-time activation links by mail, or a printed sheet of QR codes."""

import subprocess

from django.urls import reverse

from members import audit
from members.activation import activation_link
from members.models import AuditEntry, Member
from members.services import member_invite
from tests.conftest import client_for
from tests.factories import MemberFactory


def test_inviting_opens_accounts_and_mails_the_links(secretary, tree, mailoutbox, django_capture_on_commit_callbacks):
    with_mail = MemberFactory(unit=tree.branch_a, email="moi@example.org", full_name="Cao Văn Mới")
    without = MemberFactory(unit=tree.branch_a, email="", full_name="Quách Thị Không")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(reverse("members:invite"), {
            "member": [with_mail.pk, without.pk], "send": "mail"})
    assert response.status_code == 302
    with_mail.refresh_from_db()
    without.refresh_from_db()
    assert with_mail.user and without.user and not with_mail.user.has_usable_password()
    assert with_mail.user.get_username() == with_mail.card_number
    assert [message.to for message in mailoutbox] == [["moi@example.org"]]
    assert "/accounts/reset/" in mailoutbox[0].body
    assert AuditEntry.objects.filter(action=audit.MEMBER_INVITED).count() == 2


def test_a_link_works_once(secretary, tree, client):
    member = MemberFactory(unit=tree.branch_a)
    member_invite(actor=secretary, members=[member])
    member.refresh_from_db()
    path = activation_link(member.user).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.context["validlink"]
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "Mat-khau-2026!", "new_password2": "Mat-khau-2026!"})
    member.user.refresh_from_db()
    assert member.user.check_password("Mat-khau-2026!")
    assert not client.get("/" + path, follow=True).context["validlink"]


def test_an_expired_link_no_longer_works(secretary, tree, client, settings):
    member = MemberFactory(unit=tree.branch_a)
    member_invite(actor=secretary, members=[member])
    member.refresh_from_db()
    settings.PASSWORD_RESET_TIMEOUT = -1
    path = activation_link(member.user).split("://", 1)[1].split("/", 1)[1]
    assert not client.get("/" + path, follow=True).context["validlink"]


def test_the_printed_sheet_has_each_name_and_user_name(secretary, tree, tmp_path):
    members = [MemberFactory(unit=tree.branch_a, email="", full_name=f"Đoàn Viên Thứ {index}") for index in range(3)]
    response = client_for(secretary).post(reverse("members:invite"), {
        "member": [m.pk for m in members], "send": "sheet"})
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for member in Member.objects.filter(pk__in=[m.pk for m in members]):
        assert member.full_name in text and member.user.get_username() in text


def test_a_secretary_cannot_open_accounts_in_another_branch(secretary, member_in_c):
    client_for(secretary).post(reverse("members:invite"), {"member": [member_in_c.pk], "send": "mail"})
    member_in_c.refresh_from_db()
    assert member_in_c.user is None
