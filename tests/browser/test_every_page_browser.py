"""Every page of every demo persona in Chromium at phone width: axe-core (npm's, injected into the page) finds no
serious or critical accessibility violation, the first stops of the Tab key show where the focus is, and no
page is wider than the 390 px screen. The pages are those the
crawl of tests/test_crawl.py reaches, one of each kind (one member's page stands for every member's)."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from campaigns.models import FeedbackPoint
from tests.browser.conftest import SCREENSHOTS, VIEWPORTS
from tests.conftest import seed_demo
from tests.test_crawl import _crawl, signed_in

AXE = (Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = ("serious", "critical")
# The main pages, photographed at both widths into test-artifacts/screenshots for people to look at.
MAIN_PAGES = {"/": "home", "/commitment/": "my-commitment", "/me/data/": "my-data", "/members/": "member-list",
              "/commitments/": "commitment-list", "/evidence/": "evidence-list", "/reports/": "dashboard",
              "/campaigns/": "campaign-list", "/awards/": "award-list", "/projects/": "project-list",
              "/years/": "years", "/feedback/": "feedback-points", "/help/": "help"}


def _one_of_each_kind(pages) -> list[str]:
    kinds = {}
    for url in sorted(pages, key=len):
        # Numbers and tokens (an activity's check-in link) name rows of the same kind.
        kinds.setdefault(re.sub(r"[^/]*\d[^/]*", "N", urlsplit(url).path), url)
    return sorted(kinds.values())


def _phone_context(chromium, live_server, client=None):
    """A phone-sized browser; with a test client's session cookie, signed in as its person."""
    context = chromium.new_context(viewport=VIEWPORTS["phone"], locale="vi-VN", base_url=live_server.url)
    if client is not None:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return context


def _problems(page) -> list[str]:
    """What axe finds serious or critical on the page, and whether it is wider than the screen."""
    page.evaluate(AXE)  # through the debugging protocol: the portal's CSP allows no injected script tag
    result = page.evaluate("""async () => {
        const found = await axe.run(document, {resultTypes: ["violations"]});
        return found.violations.map(v => ({id: v.id, impact: v.impact,
                                          nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")
    problems = [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in result if v["impact"] in BLOCKING]
    # The keyboard: the first stops of Tab (the skip link, the menu, the page's own controls) show their focus.
    for _ in range(4):
        page.keyboard.press("Tab")
        shown = page.evaluate("""() => {
            const element = document.activeElement;
            if (!element || element === document.body) return "nothing took the focus";
            const style = getComputedStyle(element);
            const marked = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
                           || style.boxShadow !== "none";
            return marked ? "" : `no visible focus on ${element.outerHTML.slice(0, 80)}`;
        }""")
        if shown:
            problems.append(shown)
            break
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > VIEWPORTS["phone"]["width"]:
        problems.append(f"{width} px wide")
    return problems


def _photograph(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(VIEWPORTS["phone"])


def _walk(context, urls, photographs) -> dict[str, list[str]]:
    """Open each page and check it; photograph those named in ``photographs`` (url: name). The problems by page."""
    page = context.new_page()
    failures = {}
    try:
        for url in urls:
            assert page.goto(url).ok, url
            problems = _problems(page)
            if problems:
                failures[url] = problems
            if url in photographs:
                _photograph(page, photographs[url])
    finally:
        context.close()
    return failures


def test_every_public_page_is_accessible_and_fits_a_phone(chromium, live_server, browser_settings):
    """The pages of people without an account: signing in, a forgotten password, the honour board, and the
    form a citizen opens from a feedback point's QR code."""
    seed_demo()
    point = FeedbackPoint.objects.filter(is_open=True).order_by("pk").first()
    urls = {"login": reverse("login"), "password-reset": reverse("password_reset"),
            "honour-board": reverse("campaigns:honour_board"),
            "feedback-form": reverse("campaigns:feedback_public", args=[point.token])}
    failures = _walk(_phone_context(chromium, live_server), urls.values(),
                     {url: f"page-public-{name}" for name, url in urls.items()})
    assert failures == {}


@pytest.mark.timeout(900)  # the city committee's walk is long; a hang still ends
# What the browser is given does not depend on the database, and the walks are the suite's longest tests: they
# run once, on PostgreSQL, the production database (the public pages' walk runs on both).
@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
                    reason="walked on PostgreSQL, the production database")
@pytest.mark.parametrize("username", ["doanvien", "bithu", "thuongvu", "thanhdoan"])
def test_every_page_is_accessible_and_fits_a_phone(chromium, live_server, browser_settings, username):
    seed_demo()
    client = signed_in(username)
    urls = _one_of_each_kind(_crawl(client))
    assert len(urls) > 15, urls
    failures = _walk(_phone_context(chromium, live_server, client), urls,
                     {url: f"page-{username}-{name}" for url, name in MAIN_PAGES.items()})
    by_rule = {}
    for url, problems in failures.items():
        for problem in problems:
            by_rule.setdefault(problem.split(" ", 1)[0], []).append(f"{url} {problem}")
    assert by_rule == {}, "\n".join(f"{rule}: {len(found)} pages, e.g. {found[:2]}" for rule, found in by_rule.items())
