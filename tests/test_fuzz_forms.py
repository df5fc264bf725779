"""Every form a person meets, fuzzed: the crawl of tests/test_crawl.py collects the POST forms that the demo's
committee, secretary and member reach, and hypothesis fills their fields with long, empty, control, mixed-script,
formula-like and markup text (and files of any bytes). Each answer is a page, a redirect or a refusal: never a
server error."""

import io
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members.models import Member
from tests.test_crawl import _crawl

# Forms that would end the session or the test's own footing.
NOT_POSTED = ("/accounts/", "/i18n/")
NASTY = st.sampled_from([
    "", " ", "x" * 5000, "=HYPERLINK(\"http://x\")", "+84 90", "-1", "@SUM(A1)", "\x00\x01\x1f", "\u202e\u200b",
    "<script>alert(1)</script>", "Đoàn 青年 Союз 👍", "'; DROP TABLE members_member; --", "31/02/2026", "1e309",
    "-99999999999999999999", "0", "9" * 40, "../../etc/passwd", "null", "\r\n\r\n",
])
VALUE = st.one_of(NASTY, st.text(max_size=200))


class Forms(HTMLParser):
    """The POST forms of a page: action, the names of their fields and, for a choice, its options."""

    def __init__(self, url):
        super().__init__()
        self.url, self.forms, self.current, self.select = url, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.current = {"action": urljoin(self.url, attrs.get("action") or self.url), "fields": {}, "files": set()}
            self.forms.append(self.current)
        elif self.current is not None and attrs.get("name") and tag in ("input", "textarea", "select"):
            kind = attrs.get("type", "text") if tag == "input" else tag
            if kind == "file":
                self.current["files"].add(attrs["name"])
            elif kind not in ("submit", "button", "hidden") or attrs["name"] != "csrfmiddlewaretoken":
                self.current["fields"].setdefault(attrs["name"], [])
                if tag == "select":
                    self.select = attrs["name"]
                elif attrs.get("value") is not None:
                    self.current["fields"][attrs["name"]].append(attrs["value"])
        elif tag == "option" and self.current is not None and self.select and attrs.get("value"):
            self.current["fields"][self.select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def _forms_of(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    Member.objects.filter(user__username=username).update(notice_accepted_at=timezone.now())
    forms = {}
    for url, text in _crawl(client).items():
        parser = Forms(url)
        parser.feed(text)
        for form in parser.forms:
            path = form["action"].replace("http://testserver", "")
            if not path.startswith(NOT_POSTED):
                forms.setdefault((path, tuple(sorted(form["fields"]))), form)
    return client, list(forms.values())


@pytest.mark.parametrize("username", ["thuongvu", "bithu", "doanvien"])
def test_no_form_answers_a_server_error_whatever_it_is_sent(db, username):
    call_command("seed_demo", stdout=io.StringIO())
    client, forms = _forms_of(username)
    client.raise_request_exception = False
    assert len(forms) >= 5, [form["action"] for form in forms]

    @settings(max_examples=3 * len(forms), deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True)
    @given(data=st.data())
    def post_anything(data):
        form = data.draw(st.sampled_from(forms))
        values = {}
        for name, options in form["fields"].items():
            choice = st.sampled_from(options) if options else st.nothing()
            values[name] = data.draw(st.one_of(VALUE, choice) if options else VALUE)
        for name in form["files"]:
            values[name] = SimpleUploadedFile(data.draw(st.sampled_from(["a.pdf", "b.jpg", "c.xlsx", "d.exe"])),
                                              data.draw(st.binary(max_size=3000)))
        path = form["action"].replace("http://testserver", "")
        response = client.post(path, values)
        assert response.status_code < 500, (path, values)

    post_anything()
