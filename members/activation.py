"""One-time activation links for members' new accounts, by mail or on a printed sheet with QR codes.

A link is Django's password-reset link for the account: it works once (setting the password changes what the
token is made of) and expires after PASSWORD_RESET_TIMEOUT.
"""

import base64

import segno
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _


def activation_link(user) -> str:
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    return f"{settings.PORTAL_URL.rstrip('/')}{path}"


def mail_activation_links(members) -> int:
    """Mail each member with an address their link, once the accounts are committed."""
    sent = 0
    for member in members:
        address = member.email or member.user.email
        if not address:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Your account on the Three Responsibilities portal")
            body = render_to_string("members/activation_email.txt", {
                "member": member, "username": member.user.get_username(), "link": activation_link(member.user),
                "days": settings.PASSWORD_RESET_TIMEOUT // 86400})
        transaction.on_commit(lambda s=subject, b=body, a=address: send_mail(s, b, None, [a], fail_silently=True))
        sent += 1
    return sent


def _qr_data_uri(link: str) -> str:
    svg = segno.make(link, error="m").svg_inline(scale=4, border=1, omitsize=False)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def activation_sheet_pdf(members, *, unit) -> bytes:
    """An A4 sheet of cards to cut and hand out: name, user name, the link and its QR code."""
    from weasyprint import HTML

    cards = []
    for member in members:
        link = activation_link(member.user)
        cards.append({"member": member, "username": member.user.get_username(), "link": link,
                      "qr": _qr_data_uri(link)})
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("members/activation_sheet.html", {
            "cards": cards, "unit": unit, "days": settings.PASSWORD_RESET_TIMEOUT // 86400})
    return HTML(string=html, base_url=settings.PORTAL_URL).write_pdf()
