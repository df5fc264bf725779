"""Every form a person meets, fuzzed: the crawl of tests/test_crawl.py collects the POST forms that the demo's
committee, secretary and member reach, and hypothesis fills their fields with long, empty, control, mixed-script,
formula-like and markup text (and files of any bytes). Each answer is a page, a redirect or a refusal: never a
server error."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import seed_demo
from tests.test_crawl import _crawl, signed_in

# Forms that would end the session or the test's own footing, and those that render a whole report or list as
# a file (seconds each; their parameters are fuzzed in tests/reports/test_reports.py's refusals).
NOT_POSTED = ("/accounts/", "/i18n/", "/reports/exports/", "/reports/year-end/")
NASTY_VALUES = [
    "", " ", "x" * 5000, "=HYPERLINK(\"http://x\")", "+84 90", "-1", "@SUM(A1)", "\x00\x01\x1f", "\u202e\u200b",
    "<script>alert(1)</script>", "Đoàn 青年 Союз 👍", "'; DROP TABLE members_member; --", "31/02/2026", "1e309",
    "-99999999999999999999", "0", "9" * 40, "../../etc/passwd", "null", "\r\n\r\n",
]
NASTY = st.sampled_from(NASTY_VALUES)
# Each kind of form meets these in every field; hypothesis draws from all the values above besides.
EVERY_FORM_GETS = ["", "x" * 5000, "-99999999999999999999\x00", "9" * 40]
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
    client = signed_in(username)
    forms = {}
    for url, text in _crawl(client).items():
        parser = Forms(url)
        parser.feed(text)
        for form in parser.forms:
            path = form["action"].replace("http://testserver", "")
            if path.startswith(NOT_POSTED):
                continue
            try:
                view = resolve(urlsplit(path).path).view_name
            except Resolver404:
                continue
            # One form of each kind: the edit form of one member stands for every member's.
            forms.setdefault((view, tuple(sorted(form["fields"])), tuple(sorted(form["files"]))), form)
    return client, list(forms.values())


def _post(client, form, value_for):
    values = {name: value_for(name, options) for name, options in form["fields"].items()}
    for name in form["files"]:
        values[name] = value_for(name, None)
    path = form["action"].replace("http://testserver", "")
    response = client.post(path, values)
    assert response.status_code < 500, (path, values)


@pytest.mark.parametrize("username", ["thuongvu", "bithu", "doanvien"])
def test_no_form_answers_a_server_error_whatever_it_is_sent(db, username):
    seed_demo()
    client, forms = _forms_of(username)
    client.raise_request_exception = False
    assert len(forms) >= 5, [form["action"] for form in forms]

    # Every kind of form gets each nasty value in every field, then hypothesis mixes values and choices.
    for form in forms:
        for nasty in EVERY_FORM_GETS:
            _post(client, form, lambda name, options, nasty=nasty: nasty if options is not None
                  else SimpleUploadedFile("x.pdf", nasty.encode("utf-8", "surrogatepass")))

    @settings(max_examples=len(forms), deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True)
    @given(data=st.data())
    def post_anything(data):
        def value_for(name, options):
            if options is None:
                return SimpleUploadedFile(data.draw(st.sampled_from(["a.pdf", "b.jpg", "c.xlsx", "d.exe"])),
                                          data.draw(st.binary(max_size=3000)))
            return data.draw(st.one_of(VALUE, st.sampled_from(options)) if options else VALUE)

        _post(client, data.draw(st.sampled_from(forms)), value_for)

    post_anything()
