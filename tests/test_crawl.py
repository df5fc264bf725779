"""A crawl as each demo persona: from the home page, every link and every GET form the person meets is
followed, and no page they reach shows a member of a unit outside their reach (their name, or their card
number) or runs a query once per row (django-zeal). Public pages (the honour board, by the members' own
consent) are left out of the first check; so are the members of a campaign's standing emulation unit, whom the
campaign names to every participant."""

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from zeal import zeal_context

from members.models import Member, Unit, UnitKind
from tests.conftest import seed_demo

# Pages that render a file (slow, and not HTML) or end the session are not followed.
NOT_FOLLOWED = ("/accounts/logout", "/i18n/", "/static/", "/media/", "poster", "transfer-note", "activation",
                "export", "download", ".xlsx", ".pdf", ".json", "/reports/archive/", "/files/", "/photos/")
PUBLIC = ("/honour/", "/y-kien/")
STANDALONE = ("/a/", "/honour/")
PAGES_PER_PERSONA = 500
# Query values that only page through the same list: one of each is enough.
FOLDED = ("page", "year", "month")
# Pages of one kind about different rows (/members/12/edit/, /members/13/edit/…): this many of each.
PER_KIND = 8


class Links(HTMLParser):
    """Every link, and every GET form: once as it stands, and once with each option of each of its lists
    chosen (the unit filter is the likeliest way to another branch's data), and with the values in ``tampered``
    typed into a list of that name (what a curious person would edit in the address bar)."""

    def __init__(self, tampered=None):
        super().__init__()
        self.tampered = tampered or {}
        self.found = []
        self.form = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.found.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get" and attrs.get("action") is not None:
            self.form = {"action": attrs["action"] or "", "choices": []}
            self.found.append(self.form["action"])
        elif tag == "select" and self.form is not None and attrs.get("name"):
            self.select = attrs["name"]
            self.form["choices"] += [(self.select, value) for value in self.tampered.get(self.select, ())]
        elif tag == "option" and self.select and attrs.get("value"):
            self.form["choices"].append((self.select, attrs["value"]))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form" and self.form is not None:
            action = self.form["action"]
            separator = "&" if "?" in action else "?"
            self.found += [f"{action}{separator}{urlencode({name: value})}" for name, value in self.form["choices"]]
            self.form = None


def _fold(path: str) -> str:
    parts = urlsplit(path)
    query = [(name, "…" if name in FOLDED else value) for name, value in parse_qsl(parts.query)]
    return parts.path + (f"?{urlencode(sorted(query))}" if query else "")


def _crawl(client: Client, start: str = "/", tampered=None, refused=None):
    """Every page reachable from ``start``; the crawl must end by itself, within the bound. Links that answer
    403 go into ``refused`` with the page that showed them (typed-in values excepted: those should be refused)."""
    seen, queue, pages, kinds = {start}, deque([(start, None)]), {}, Counter()
    typed = {(name, value) for name, values in (tampered or {}).items() for value in values}
    while queue:
        assert len(pages) < PAGES_PER_PERSONA, f"more than {PAGES_PER_PERSONA} pages: {list(queue)[:10]}"
        url, shown_on = queue.popleft()
        with zeal_context():  # a query repeated per row of a list (an N+1) fails the page
            response = client.get(url)
        if response.status_code == 403 and refused is not None and not typed & set(parse_qsl(urlsplit(url).query)):
            refused.append((url, shown_on))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text = response.content.decode()
        pages[url] = text
        parser = Links(tampered)
        parser.feed(text)
        for href in parser.found:
            target = urldefrag(urljoin(url, href))[0]
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            kind = re.sub(r"\d+", "N", _fold(path))
            if _fold(path) in seen or kinds[kind] >= PER_KIND or any(marker in path for marker in NOT_FOLLOWED):
                continue
            seen.add(_fold(path))
            kinds[kind] += 1
            queue.append((path, url))
    return pages


def signed_in(username: str) -> Client:
    """A client signed in as the demo persona, past the notice on personal data (which would hold every page)."""
    user = get_user_model().objects.get(username=username)
    Member.objects.filter(user=user).update(notice_accepted_at=timezone.now())
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def demo(db):
    seed_demo()


@pytest.mark.parametrize(("username", "reach"), [
    ("doanvien", "bvndgd-khoa-noi"), ("bithu", "bvndgd-khoa-noi"), ("bithu2", "bvndgd-khoa-ngoai"),
    ("thuongvu", "bvndgd")])
def test_no_page_a_persona_reaches_shows_a_member_outside_their_reach(demo, username, reach):
    inside = Unit.objects.get(code=reach)
    # A campaign names its standing emulation unit to every participant: those officers are shown by design.
    # Everyone else outside the reach must not appear.
    outside = Member.objects.exclude(unit__path__startswith=inside.path).filter(standing_campaigns__isnull=True)
    names_inside = set(Member.objects.filter(unit__path__startswith=inside.path).values_list("full_name", flat=True))
    foreign_names = {name for name in outside.values_list("full_name", flat=True) if name not in names_inside}
    foreign_cards = {card for card in outside.values_list("card_number", flat=True) if card}
    assert len(foreign_names) > 20
    client = signed_in(username)
    # Typed into every unit filter: a unit beside the person's own (another branch, another grassroots union), a
    # branch elsewhere, and the city union at the top.
    others = Unit.objects.exclude(path__startswith=inside.path).exclude(path__in=inside.ancestor_paths())
    beside = others.filter(depth=inside.depth, path__startswith=inside.path[:-Unit.steplen]).order_by("path").first()
    elsewhere = others.filter(kind=UnitKind.BRANCH).order_by("-path").first()
    top = Unit.objects.get(depth=1)
    assert beside and elsewhere
    tampered = {"unit": [str(unit.pk) for unit in (beside, elsewhere, top)]}
    refused = []
    pages = _crawl(client, tampered=tampered, refused=refused)
    assert len(pages) > 40, sorted(pages)
    leaks = []
    for url, text in pages.items():
        if url.startswith(PUBLIC):
            continue
        leaks += [(url, name) for name in foreign_names if name in text]
        leaks += [(url, card) for card in foreign_cards if card in text]
    assert leaks == []
    assert refused == []  # a page shows only what the person may do
    # Every page says where one is (with the unit); the home page is the top, and the pages held out to be
    # scanned or shown (an activity's check-in and poster, the public honour board) stand alone.
    lost = [url for url, text in pages.items() if 'class="breadcrumb' not in text
            and urlsplit(url).path != "/" and not url.startswith(STANDALONE) and not url.endswith("/qr/")]
    assert lost == []
