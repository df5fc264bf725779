"""Query budgets: a list page runs as many queries for many rows as for few.

Each demo persona opens each list page it may open. The queries of the page are counted on the demo data;
then rows of the list's kind are added where the persona sees them, and the page must show more rows for
exactly the same number of queries. An N+1 (a query per row) fails, with both counts and the query repeated.

Which pages are lists is one table, ``LIST_PAGES``; every other URL pattern is in ``NOT_LISTS`` with the
reason. A URL pattern in neither fails the suite, and so does a page declared not to be a list whose view
pages through rows (a ``Paginator``, a ``ListView``) or is named ``*_list``: a new list cannot escape."""

import ast
import datetime
import inspect
import itertools
import re
import textwrap
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.core.paginator import Page
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.views.generic.list import MultipleObjectMixin

from campaigns import selectors as campaign_selectors
from campaigns.models import (
    Award,
    CampaignState,
    FeedbackPoint,
    RecipientKind,
    Registration,
    RegistrationState,
    Review,
)
from members import access_log
from members.models import (
    AccessKind,
    AuditEntry,
    Member,
    Notification,
    RoleAssignment,
    Unit,
    UnitKind,
)
from members.text import fold, sort_key_for_name
from movements import selectors as movement_selectors
from movements.models import (
    Activity,
    AmendmentState,
    Attendance,
    Classification,
    Commitment,
    CommitmentState,
    Evidence,
    EvidenceFile,
    EvidenceState,
    MovementYear,
    PledgeAmendment,
    ScienceClub,
    YearState,
)
from reports import caching
from reports.models import ArchivedFile
from tests.conftest import seed_demo
from tests.factories import make_unit
from tests.test_crawl import signed_in

# Rows added so that the page shows some of them (a page with none may skip its prefetches legitimately), then
# rows added to see whether the count moves: more than most pages hold, so that the last page fills up.
FEW = 2
MORE = 30
THIS_YEAR = timezone.localdate().year

COMMITTEES = ("thanhdoan", "thuongvu")
OFFICERS = (*COMMITTEES, "bithu")
EVERYONE = (*OFFICERS, "doanvien")
WITH_A_MEMBER_RECORD = ("bithu", "doanvien")


@dataclass
class Reach:
    """What a persona works on, and a branch and a member inside the reach of every demo persona (the demo
    member's own), where added rows are seen by all of them."""

    user: AbstractUser
    member: Member | None
    unit: Unit
    branch: Unit
    sample: Member


def _reach(username: str) -> Reach:
    user = get_user_model().objects.get(username=username)
    member = Member.objects.filter(user=user).select_related("unit").first()
    held = RoleAssignment.objects.filter(user=user).select_related("unit").order_by("unit__depth").first()
    sample = Member.objects.select_related("unit").get(user__username="doanvien")
    return Reach(user=user, member=member, unit=held.unit if held else member.unit, branch=sample.unit,
                 sample=sample)


# Making rows: copies of rows the demo holds, so that they carry what real ones do (relations, states, links)

_serial = itertools.count(1)


def copies(original, count: int, *, related: dict | None = None, **changes) -> list:
    """``count`` copies of ``original`` in one insert, with its many-to-many links and, for each reverse
    relation named in ``related`` (nested the same way), copies of the rows pointing at it. ``changes`` gives
    a value, or a function of the copy's index, per field. A unique field takes a new default, or None."""
    values = [{name: value(index) if callable(value) else value for name, value in changes.items()}
              for index in range(count)]
    return _copy_rows(original, values, related or {})


def _copy_rows(original, changes: list[dict], related: dict) -> list:
    assert original is not None, "nothing to copy: the demo holds no row of this kind where the persona works"
    model = type(original)
    made = []
    for values in changes:
        row = model()
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            if field.unique and field.name not in values:
                if callable(field.default):
                    value = field.get_default()
                else:
                    assert field.null, f"{model.__name__}.{field.name} is unique: say what each copy holds"
                    value = None
                setattr(row, field.attname, value)
            else:
                setattr(row, field.attname, getattr(original, field.attname))
        for name, value in values.items():
            setattr(row, name, value)
        made.append(row)
    made = model.objects.bulk_create(made)
    for field in model._meta.many_to_many:
        through = getattr(model, field.name).through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        linked = list(getattr(original, field.name).values_list("pk", flat=True))
        through.objects.bulk_create([through(**{f"{source}_id": row.pk, f"{target}_id": pk})
                                     for row in made for pk in linked])
    for accessor, nested in related.items():
        parent_field = model._meta.get_field(accessor).field.name
        for child in getattr(original, accessor).all():
            _copy_rows(child, [{parent_field: row} for row in made], nested)
    return made


def new_members(reach: Reach, count: int, **changes) -> list[Member]:
    """Members of the shared branch, each with a name, a card number and an account (opened, not yet
    activated) of their own."""
    serials = [next(_serial) for _ in range(count)]
    names = [f"{reach.sample.full_name} {serial}" for serial in serials]
    accounts = get_user_model().objects.bulk_create([
        get_user_model()(username=f"doanvien-{serial}", first_name=name, password=make_password(None))
        for serial, name in zip(serials, names, strict=True)])
    return copies(reach.sample, count, user=lambda i: accounts[i], full_name=lambda i: names[i],
                  sort_name=lambda i: sort_key_for_name(names[i]), search_name=lambda i: fold(names[i]),
                  card_number=lambda i: f"66{serials[i]:08d}", **changes)


def _open_year(reach: Reach) -> MovementYear:
    return movement_selectors.year_applying_to(reach.branch)


def _commitments(reach: Reach, count: int, state: str, **changes) -> list[Commitment]:
    """Commitments with their pledges, of new members of the shared branch, in ``state``."""
    year = _open_year(reach)
    original = Commitment.objects.filter(member__unit=reach.branch, movement_year=year,
                                         pledges__isnull=False).first()
    members = new_members(reach, count)
    return copies(original, count, member=lambda i: members[i], state=state, related={"pledges": {}},
                  **changes)


def _earlier_years(taken, count: int) -> list[int]:
    """Years before any in ``taken``: the latest year, the one pages show first, stays the latest."""
    first = min(taken, default=THIS_YEAR)
    return list(range(first - 1, first - 1 - count, -1))


# How each list grows. Each takes the persona's reach, the object the page is about (or None) and a count.

def grow_members(reach, target, count):
    new_members(reach, count)


def grow_coming_of_age(reach, target, count):
    new_members(reach, count, birth_date=datetime.date(THIS_YEAR - 30, 6, 15))


def grow_audit(reach, target, count):
    original = AuditEntry.objects.filter(unit=reach.branch).first()
    copies(original, count)


def grow_access_log(reach, target, count):
    # Every other export names the member it was about, as a transfer note does.
    for index in range(count):
        access_log.record_export(reach.user, reach.branch, f"Member list (Excel) {index}",
                                 member=reach.sample if index % 2 else None)


def grow_notifications(reach, target, count):
    Notification.objects.bulk_create([Notification(user=reach.user, message=f"Notification {index}",
                                                   url=reverse("movements:my_commitment"))
                                      for index in range(count)])


def grow_my_data(reach, target, count):
    """What "My data" lists about the member: who opened their records, notifications, activities attended."""
    officer = get_user_model().objects.get(username="thuongvu")
    for _ in range(count):
        access_log.record_view(officer, reach.member, AccessKind.PROFILE)
    grow_notifications(reach, target, count)
    activity = Activity.objects.filter(unit__path__in=reach.member.unit.ancestor_paths()).first()
    for made in copies(activity, count):
        Attendance.objects.create(activity=made, member=reach.member)


def grow_sub_units(reach, target, count):
    """Units under the persona's own, a member in each."""
    parent = target or reach.unit
    kinds = list(UnitKind.values)
    kind = kinds[kinds.index(parent.kind) + 1]
    for _ in range(count):
        serial = next(_serial)
        unit = make_unit(parent=parent, code=f"more-{serial}", kind=kind, name=f"Đơn vị {serial}")
        new_members(reach, 1, unit=unit)


def grow_years(reach, target, count):
    # Earlier years, closed: the year every other page shows stays the latest one.
    original = _open_year(reach)
    taken = MovementYear.objects.filter(unit=original.unit).values_list("year", flat=True)
    years = _earlier_years(taken, count)
    copies(original, count, year=lambda i: years[i], state=YearState.CLOSED)


def grow_commitments(reach, target, count):
    _commitments(reach, count, CommitmentState.SUBMITTED)


def grow_classifications(reach, target, count):
    _commitments(reach, count, CommitmentState.EVALUATED, proposed_classification=Classification.GOOD)


def grow_evidence(reach, target, count):
    pending = movement_selectors.evidence_of_unit(reach.user, reach.unit).filter(state=EvidenceState.PENDING)
    EvidenceFile.objects.bulk_create([
        EvidenceFile(evidence=evidence, file=f"evidence/{evidence.pk}.pdf", stored_name=f"{evidence.pk}.pdf",
                     original_name="bien-ban.pdf", content_type="application/pdf", size=1000)
        for evidence in copies(pending.first(), count)])


def grow_scorecard(reach, target, count):
    """Evidence and amendments on the commitment's pledges; amendments decided (one per pledge may wait)."""
    pledges = list(target.pledges.all())
    for index in range(count):
        pledge = pledges[index % len(pledges)]
        original = pledge.evidence.first() or Evidence.objects.filter(pledge__commitment=target).first()
        copies(original, 1, pledge=pledge)
        PledgeAmendment.objects.create(
            pledge=pledge, text=f"{pledge.text} ({index})", target_kind=pledge.target_kind,
            target_value=pledge.target_value, target_unit=pledge.target_unit, due_date=pledge.due_date,
            reason="Điều chỉnh theo nhiệm vụ mới", previous={"text": pledge.text},
            state=AmendmentState.REFUSED, decided_by=reach.user, decided_at=timezone.now())


def grow_projects(reach, target, count):
    original = movement_selectors.projects_of_unit(reach.user, reach.unit).filter(year=THIS_YEAR).first()
    copies(original, count, title=lambda i: f"{original.title} {i}")


def grow_initiatives(reach, target, count):
    original = movement_selectors.initiatives_of_unit(reach.user, reach.unit).filter(year=THIS_YEAR).first()
    copies(original, count, title=lambda i: f"{original.title} {i}")
    members = list(Member.objects.filter(unit=reach.branch)[:3])
    for index in range(count):
        club = ScienceClub.objects.create(unit=reach.branch, name=f"CLB Khoa học trẻ {index}",
                                          field="Nội khoa", founded_on=datetime.date(THIS_YEAR, 1, 1))
        club.members.set(members)


def grow_collectives(reach, target, count):
    original = movement_selectors.collectives_of_unit(reach.user, reach.unit).filter(year=THIS_YEAR).first()
    copies(original, count, name=lambda i: f"{original.name} {i}")


def grow_activities(reach, target, count):
    original = movement_selectors.activities_of_unit(reach.user, reach.unit).filter(year=THIS_YEAR).first()
    copies(original, count, related={"attendances": {}})


def grow_my_activities(reach, target, count):
    original = movement_selectors.activities_for_member(reach.member, THIS_YEAR).first()
    copies(original, count, related={"attendances": {}})


def grow_roster(reach, target, count):
    """Members of the activity's branch: half of them marked present, the others listed as absent."""
    members = new_members(reach, count)
    Attendance.objects.bulk_create([Attendance(activity=target, member=member, marked_by=reach.user)
                                    for member in members[: count // 2]])


def grow_campaigns(reach, target, count):
    launched = campaign_selectors.campaigns_of_unit(reach.user, reach.unit).exclude(state=CampaignState.DRAFT)
    original = launched.first()
    copies(original, count, title=lambda i: f"{original.title} ({i})", related={"targets": {}, "stages": {}})


def _registrations(reach, campaign, count, **changes) -> list[Registration]:
    """Registrations of new members of the shared branch, with their figures and progress reports."""
    original = (Registration.objects.filter(campaign=campaign, state=RegistrationState.APPROVED)
                .order_by("-kind").first())
    members = new_members(reach, count)
    return copies(original, count, kind=RecipientKind.MEMBER, member=lambda i: members[i], unit=reach.branch,
                  collective=None, related={"figures": {}, "progress_reports": {"figures": {}}}, **changes)


def grow_registrations(reach, target, count):
    _registrations(reach, target, count)


def grow_review(reach, target, count):
    entry = target.entries.first()
    registrations = _registrations(reach, target.campaign, count)
    copies(entry, count, registration=lambda i: registrations[i], rank=lambda i: entry.rank + i + 1)


def grow_awards(reach, target, count):
    original = campaign_selectors.awards_for(reach.user).filter(member__isnull=False).first()
    years = _earlier_years(Award.objects.filter(title=original.title, member=original.member)
                           .values_list("year", flat=True), count)
    copies(original, count, year=lambda i: years[i])


def grow_honour_board(reach, target, count):
    board = campaign_selectors.honour_board()
    original = board.filter(member__isnull=False).first() or board.first()
    years = _earlier_years(Award.objects.filter(title=original.title, member=original.member,
                                                collective=original.collective, unit=original.unit)
                           .values_list("year", flat=True), count)
    copies(original, count, year=lambda i: years[i])


def grow_feedback_points(reach, target, count):
    original = FeedbackPoint.objects.filter(unit=reach.branch).first()
    copies(original, count, name=lambda i: f"{original.name} {i}", related={"questions": {}})


def grow_feedback(reach, target, count):
    # Every other opinion names a member of the branch, which the list shows.
    original = target.feedback.filter(ratings__isnull=False).first()
    copies(original, count, member=lambda i: reach.sample if i % 2 else original.member,
           related={"ratings": {}})


def grow_archive(reach, target, count):
    ArchivedFile.objects.bulk_create([
        ArchivedFile(unit=reach.branch, title=f"Danh sách đoàn viên {index}.xlsx",
                     file=f"archive/{THIS_YEAR}/danh-sach-{index}.xlsx", size=2048, sha256="0" * 64,
                     content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     created_by=reach.user, expires_on=timezone.localdate() + datetime.timedelta(days=30))
        for index in range(count)])


# The object a page is about, as the persona reaches it

def launched_campaign(reach):
    return (campaign_selectors.campaigns_of_unit(reach.user, reach.unit)
            .filter(state=CampaignState.LAUNCHED, registrations__state=RegistrationState.APPROVED).first())


def latest_review(reach):
    return (Review.objects.filter(campaign__in=campaign_selectors.campaigns_for(reach.user),
                                  entries__isnull=False)
            .select_related("campaign").order_by("-held_on").first())


def _approved_commitments(reach):
    return Commitment.objects.filter(member__unit=reach.branch, movement_year=_open_year(reach),
                                     state=CommitmentState.APPROVED,
                                     pledges__evidence__isnull=False).distinct()


def colleague_commitment(reach):
    return _approved_commitments(reach).exclude(member__user=reach.user).first()


def own_commitment(reach):
    """The member's own commitment, approved: the demo leaves the member to register, so it is made like a
    colleague's, with its pledges and their evidence."""
    own = Commitment.objects.filter(member=reach.member, movement_year=_open_year(reach)).first()
    return own or copies(_approved_commitments(reach).first(), 1, member=reach.member,
                         related={"pledges": {"evidence": {}}})[0]


def point_with_opinions(reach):
    return FeedbackPoint.objects.filter(unit=reach.branch, feedback__ratings__isnull=False).distinct().first()


def activity_of_branch(reach):
    return Activity.objects.filter(unit=reach.branch).first()


def own_unit(reach):
    return reach.unit


# How many rows a page shows, in each of its lists

def shown(*names) -> Callable:
    """The rows of the lists the view hands its template under these names (a page of a paginated one)."""
    def count(context) -> tuple[int, ...]:
        values = [context[name] for name in names]
        return tuple(len(value.object_list) if isinstance(value, Page) else len(value or ())
                     for value in values)
    return count


def card_rows(context) -> tuple[int, int]:
    """The evidence and the amendments shown under the pledges of a commitment's scorecard."""
    items = [item for row in context["card"] for item in row.pledges]
    return sum(len(item.evidence) for item in items), sum(len(item.pledge.amendments.all()) for item in items)


def data_rows(context) -> tuple[int, ...]:
    """The parts of "My data" that grow: who opened the records, notifications, activities attended."""
    sections = {section.key: section for section in context["sections"]}
    return tuple(len(sections[key].rows) for key in ("looked_at", "notifications", "activities"))


@dataclass(frozen=True)
class ListPage:
    name: str
    personas: tuple[str, ...]
    grow: Callable
    rows: Callable
    target: Callable | None = None
    # Whether the page's address names its object (a campaign's registrations) or not (one's own commitment).
    target_in_address: bool = True


LIST_PAGES = [
    ListPage("members:list", OFFICERS, grow_members, shown("page")),
    ListPage("members:coming_of_age", OFFICERS, grow_coming_of_age, shown("page")),
    ListPage("members:invite", OFFICERS, grow_members, shown("waiting")),
    ListPage("members:audit", OFFICERS, grow_audit, shown("page")),
    ListPage("members:access_log", OFFICERS, grow_access_log, shown("page")),
    ListPage("members:notifications", EVERYONE, grow_notifications, shown("page")),
    ListPage("members:my_data", WITH_A_MEMBER_RECORD, grow_my_data, data_rows),
    ListPage("members:unit", COMMITTEES, grow_sub_units, shown("children"), own_unit),
    ListPage("movements:years", EVERYONE, grow_years, shown("years")),
    # The city union opens no movement year of its own: its committee reads these lists in a sector's.
    ListPage("movements:commitments", ("thuongvu", "bithu"), grow_commitments, shown("commitments")),
    ListPage("movements:classifications", ("thuongvu",), grow_classifications, shown("waiting")),
    ListPage("movements:commitment", ("thuongvu", "bithu"), grow_scorecard, card_rows, colleague_commitment),
    ListPage("movements:my_commitment", ("doanvien",), grow_scorecard, card_rows, own_commitment,
             target_in_address=False),
    ListPage("movements:evidence", OFFICERS, grow_evidence, shown("page")),
    ListPage("movements:projects", EVERYONE, grow_projects, shown("page")),
    ListPage("movements:initiatives", EVERYONE, grow_initiatives, shown("page", "clubs")),
    ListPage("movements:collectives", EVERYONE, grow_collectives, shown("collectives")),
    ListPage("movements:activities", EVERYONE, grow_activities, shown("page")),
    ListPage("movements:activity", OFFICERS, grow_roster, shown("attendances", "absent"), activity_of_branch),
    ListPage("movements:my_activities", WITH_A_MEMBER_RECORD, grow_my_activities, shown("rows")),
    ListPage("campaigns:campaigns", EVERYONE, grow_campaigns, shown("page")),
    ListPage("campaigns:registrations", OFFICERS, grow_registrations, shown("page"), launched_campaign),
    ListPage("campaigns:leaderboard", OFFICERS, grow_registrations, shown("standings"), launched_campaign),
    ListPage("campaigns:review", OFFICERS, grow_review, shown("rows"), latest_review),
    ListPage("campaigns:awards", OFFICERS, grow_awards, shown("page")),
    # Public, and the same for whoever reads it.
    ListPage("campaigns:honour_board", ("doanvien",), grow_honour_board, shown("page")),
    ListPage("campaigns:feedback_points", OFFICERS, grow_feedback_points, shown("page")),
    ListPage("campaigns:feedback_point", OFFICERS, grow_feedback, shown("page"), point_with_opinions),
    ListPage("reports:dashboard", COMMITTEES, grow_sub_units, shown("rows")),
    ListPage("reports:archive", OFFICERS, grow_archive, shown("page")),
]

# The lists not kept whole for their reader (reports.page_cache), by why; every other list is.
NOT_KEPT = {
    "it shows what the tables' versions do not follow: the logs, the notifications, accounts' sign-ins": [
        "members:audit", "members:access_log", "members:notifications", "members:my_data", "members:invite",
    ],
    "opening it is written to the log of who read a member's records": ["movements:commitment"],
    "what it shows moves with the clock (the activities begun by now)": ["movements:my_activities"],
    "a public page: its readers have no account, and pages are kept per signed-in reader": [
        "campaigns:honour_board",
    ],
}


# Every other URL pattern, by why it is not a list.
NOT_LISTS = {
    "a form, or a page whose content does not grow with rows": [
        "home", "help", "login", "password_change", "password_change_done", "password_reset",
        "password_reset_done", "password_reset_confirm", "password_reset_complete",
        "members:create", "members:import", "members:edit", "members:deactivate", "members:reactivate",
        "members:transfer", "members:admit", "members:close", "members:profile", "members:privacy_notice",
        "members:import_job",
        "movements:year_create", "movements:year_edit", "movements:year_criteria",
        "movements:evidence_create", "movements:amendment_create", "movements:project_create",
        "movements:project_report", "movements:initiative_create", "movements:club_create",
        "movements:collective_create", "movements:activity_create", "movements:activity_qr",
        "movements:checkin",
        "campaigns:campaign_create", "campaigns:campaign_edit", "campaigns:register",
        "campaigns:inspection_create", "campaigns:support_create", "campaigns:review_create",
        "campaigns:registration_edit", "campaigns:progress_create", "campaigns:award_propose",
        "campaigns:feedback_public", "campaigns:feedback_thanks", "campaigns:feedback_point_create",
        "campaigns:feedback_point_edit",
        "reports:job",
    ],
    # Their short lists (a project's reports, a collective's logs, a campaign's registrants) are walked by
    # tests/test_crawl.py under django-zeal, and the campaign's by tests/campaigns/test_campaign_pages.py.
    "the page of one record": [
        "members:detail", "movements:year", "movements:project", "movements:initiative",
        "movements:collective", "campaigns:campaign", "campaigns:registration", "campaigns:award",
        "campaigns:feedback", "reports:year_end",
    ],
    "a file, not a page": [
        "healthz", "robots", "favicon", "members:import_template", "members:export", "members:transfer_note",
        "members:my_data_download", "movements:project_photo", "movements:activity_qr_image",
        "movements:evidence_file", "campaigns:progress_file", "campaigns:feedback_poster",
        "reports:archived_file",
    ],
    "an action: it answers a POST and redirects": [
        "logout", "set_language",
        "members:import_confirm", "members:unit_switch", "members:unit_retention",
        "movements:year_publish", "movements:year_close", "movements:self_assess",
        "movements:commitments_approve", "movements:commitment_approve", "movements:commitment_return",
        "movements:commitment_evaluate", "movements:commitment_confirm", "movements:classifications_confirm",
        "movements:amendment_accept", "movements:amendment_refuse", "movements:project_move",
        "movements:initiative_score", "movements:initiative_move", "movements:collective_log",
        "movements:collective_evaluate", "movements:activity_mark", "movements:activity_renew_qr",
        "movements:evidence_verify", "movements:evidence_reject",
        "campaigns:campaign_endorse", "campaigns:campaign_launch", "campaigns:forward",
        "campaigns:registration_move", "campaigns:inspection_follow_up", "campaigns:review_note",
        "campaigns:review_entry_note", "campaigns:award_publish", "campaigns:award_unpublish",
        "campaigns:award_move", "campaigns:feedback_point_open", "campaigns:feedback_reply",
        "campaigns:feedback_attribute", "campaigns:feedback_move",
        "reports:year_end_draft", "reports:year_end_files", "reports:export",
    ],
}
# Django's admin is not the portal's: its change lists are Django's own, for the site's administrators.
NOT_WALKED_NAMESPACES = {"admin"}


# Which URL patterns there are, and which views build a list

def _url_patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in NOT_WALKED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            yield f"{namespace}{name}", pattern.callback


def _answers_get(view) -> bool:
    """False for a view behind ``require_POST`` (or any method list without GET)."""
    level = view
    while level is not None:
        methods = inspect.getclosurevars(level).nonlocals.get("request_method_list")
        if methods is not None and "GET" not in methods:
            return False
        level = getattr(level, "__wrapped__", None)
    return True


def _builds_a_list(view) -> bool:
    """Whether a view pages through rows: a ``ListView``, a function named ``*_list``, or one that makes a
    ``Paginator`` itself or in a function of its module that it calls."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return issubclass(view_class, MultipleObjectMixin)
    function = inspect.unwrap(view)
    if function.__name__.endswith("_list"):
        return True
    module = inspect.getmodule(function)
    seen, waiting = set(), [function]
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(current)))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id.endswith("Paginator"):
                    return True
                called = getattr(module, node.func.id, None)
                if inspect.isfunction(called) and called.__module__ == module.__name__:
                    waiting.append(called)
    return False


def test_every_url_pattern_is_a_measured_list_or_says_why_it_is_not():
    listed = [page.name for page in LIST_PAGES]
    declared = [name for names in NOT_LISTS.values() for name in names]
    assert len(set(listed)) == len(listed) and len(set(declared)) == len(declared)
    assert set(listed) & set(declared) == set()
    missing = sorted({name for name, _view in _url_patterns()} - set(listed) - set(declared))
    assert missing == [], f"URL patterns neither in LIST_PAGES nor in NOT_LISTS: {missing}"


def test_no_page_declared_not_a_list_pages_through_rows():
    declared = {name for names in NOT_LISTS.values() for name in names}
    hidden = sorted(name for name, view in _url_patterns()
                    if name in declared and _answers_get(view) and _builds_a_list(view))
    assert hidden == [], f"These views build a list: measure them in LIST_PAGES: {hidden}"


def test_the_list_detector_knows_a_list_when_it_sees_one():
    views = dict(_url_patterns())
    # Named *_list; a Paginator in a helper of the module; neither (a form); behind require_POST.
    assert _builds_a_list(views["movements:collectives"])
    assert _builds_a_list(views["campaigns:registrations"])
    assert _builds_a_list(views["campaigns:feedback_point"])
    assert not _builds_a_list(views["movements:project_create"])
    assert _answers_get(views["members:list"]) and not _answers_get(views["campaigns:forward"])


# The measure

@dataclass
class Look:
    url: str
    queries: list[str]
    rows: tuple[int, ...]
    full: bool


def _look(client, url: str, page: ListPage, *, last_page: bool) -> Look:
    first = client.get(url)  # settles what a session reads once, and tells how many pages the list has
    assert first.status_code == 200, f"{url}: {first.status_code}"
    paged = isinstance(first.context.get("page"), Page)
    if last_page and paged:
        # The last page is the one that has room for more rows, whatever the demo holds.
        url = f"{url}{'&' if '?' in url else '?'}page={first.context['page'].paginator.num_pages}"
    # Figures a page keeps in the cache are computed again, so that their queries are counted too.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    listed = response.context.get("page")
    full = paged and len(listed.object_list) == listed.paginator.per_page
    return Look(url, [query["sql"] for query in captured.captured_queries], page.rows(response.context), full)


def _most_repeated(queries: list[str]) -> str:
    """The query run most often, its values left out: in an N+1, the one run once per row."""
    shapes = Counter(re.sub(r"'[^']*'|\b\d+\b", "?", sql) for sql in queries)
    shape, times = shapes.most_common(1)[0]
    return f"{times}× {re.sub(r'^SELECT .*? FROM ', 'SELECT … FROM ', shape)[:300]}"


def _measure(client, reach: Reach, page: ListPage) -> str | None:
    """Why the page fails its budget, or None."""
    target = page.target(reach) if page.target else None
    url = reverse(page.name, args=[target.pk] if page.target and page.target_in_address else [])
    before = _look(client, url, page, last_page=True)
    if min(before.rows) < FEW or before.full:
        page.grow(reach, target, FEW)
        before = _look(client, url, page, last_page=True)
        assert min(before.rows) >= FEW and not before.full, f"{before.url}: no room to measure: {before.rows}"
    page.grow(reach, target, MORE)
    after = _look(client, before.url, page, last_page=False)
    if not all(more > fewer for more, fewer in zip(after.rows, before.rows, strict=True)):
        return f"{before.url}: the rows added did not all reach the page ({before.rows}, then {after.rows})"
    if len(after.queries) != len(before.queries):
        return (f"{before.url}: {len(before.queries)} queries for {before.rows} rows, "
                f"{len(after.queries)} for {after.rows} rows; most repeated: {_most_repeated(after.queries)}")
    return None


@pytest.mark.parametrize("username", EVERYONE)
def test_every_list_page_costs_the_same_queries_for_more_rows(db, username):
    seed_demo()
    client = signed_in(username)
    client.get(reverse("home"))  # what a session does once (the notice, the working unit) is done here
    reach = _reach(username)
    pages = [page for page in LIST_PAGES if username in page.personas]
    failures = [failure for page in pages if (failure := _measure(client, reach, page))]
    assert failures == [], f"As {username}:\n" + "\n".join(failures)


def _kept(name: str) -> bool:
    return getattr(dict(_url_patterns())[name], "kept_for_reader", False)


def test_every_list_is_kept_for_its_reader_or_says_why_not():
    not_kept = [name for names in NOT_KEPT.values() for name in names]
    assert set(not_kept) <= {page.name for page in LIST_PAGES}
    assert sorted(page.name for page in LIST_PAGES if not _kept(page.name) and page.name not in not_kept) == []
    assert sorted(name for name in not_kept if _kept(name)) == []


def test_every_kept_list_answers_its_returning_reader_without_its_view_until_the_data_changes(db):
    """Each kept list as each persona who opens it: the second opening is the first one's page, answered with the
    session, the account and one read of the cache (no template drawn); after a change, drawn again."""
    seed_demo()
    failures = []
    for username in EVERYONE:
        client = signed_in(username)
        client.get(reverse("home"))  # the CSRF cookie, the notice and the working unit: what a session does once
        reach = _reach(username)
        for page in LIST_PAGES:
            if username not in page.personas or not _kept(page.name):
                continue
            target = page.target(reach) if page.target else None
            url = reverse(page.name, args=[target.pk] if page.target and page.target_in_address else [])
            caching.new_version()
            drawn = client.get(url)
            with CaptureQueriesContext(connection) as captured:
                again = client.get(url)
            if again.context is not None or again.content != drawn.content or len(captured) > 3:
                failures.append(f"{url}: drawn again by its view ({len(captured)} queries)")
                continue
            caching.new_version()
            if client.get(url).context is None:
                failures.append(f"{url}: not drawn again after a change")
    assert failures == [], "\n".join(failures)
