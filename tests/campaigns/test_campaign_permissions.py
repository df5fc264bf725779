"""The permission matrix of the campaign and award pages: every URL, every persona, objects inside and outside
their subtree. tests/test_permissions.py checks that every URL pattern of the project has a row here or there."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import Award, AwardTitle, Registration, ReviewKind
from members.models import Member
from tests.campaigns.conftest import make_campaign, register_unit, report
from tests.conftest import PERSONAS, client_for
from tests.test_permissions import (
    ALL_200,
    COMMITTEES,
    IN_A_ANY_ROLE,
    IN_A_OFFICERS,
    IN_C_ANY_ROLE,
    LOGIN,
    OFFICERS,
    SIGNED_IN,
    meets,
    row,
)

# Column order: anonymous, member of A, secretary of A, secretary of B, committee of G1, city committee,
# outsider (secretary of C under G2), superuser.
UNDER_G1 = row(LOGIN, 200, 200, 200, 200, 200, 404, 200)
UNDER_G2 = row(LOGIN, 404, 404, 404, 404, 200, 200, 200)
G1_COMMITTEE = row(LOGIN, 403, 403, 403, 200, 200, 404, 200)
G1_COMMITTEE_POST = row(LOGIN, 403, 403, 403, 302, 302, 404, 302)
G2_COMMITTEE = row(LOGIN, 404, 404, 404, 404, 200, 403, 200)
DRAFT_OF_G1 = row(LOGIN, 404, 404, 404, 200, 200, 404, 200)
OWN_BRANCH_A = row(LOGIN, 403, 200, 404, 403, 403, 404, 200)
OWN_BRANCH_C = row(LOGIN, 404, 404, 404, 404, 403, 200, 200)

CAMPAIGN_MATRIX = [
    ("campaigns:campaigns", None, "get", SIGNED_IN),
    ("campaigns:campaign_create", None, "get", COMMITTEES),
    ("campaigns:campaign", "campaign_g1", "get", UNDER_G1),
    ("campaigns:campaign", "campaign_g2", "get", UNDER_G2),
    # A draft is the committee's own until it is launched.
    ("campaigns:campaign", "draft_g1", "get", DRAFT_OF_G1),
    ("campaigns:campaign_edit", "draft_g1", "get", DRAFT_OF_G1),
    ("campaigns:campaign_endorse", "draft_g1", "post", DRAFT_OF_G1),
    ("campaigns:campaign_launch", "draft_g1", "post", DRAFT_OF_G1),
    ("campaigns:leaderboard", "campaign_g1", "get", UNDER_G1),
    ("campaigns:leaderboard", "campaign_g2", "get", UNDER_G2),
    ("campaigns:registrations", "campaign_g1", "get", UNDER_G1),
    ("campaigns:registrations", "campaign_g2", "get", UNDER_G2),
    # Only a union under the campaign's unit, worked in, forwards: G1 for the sector's campaign.
    ("campaigns:forward", "campaign_sector", "post", row(LOGIN, 403, 403, 403, 302, 403, 403, 403)),
    # A unit registers through its own officers, never through a union above it. Branch A has registered
    # already and so has its secretary; a member may register themselves. In G2 only branch C could
    # register, and it has: the outsider, a member of C, may still register themselves.
    ("campaigns:register", "campaign_g1", "get", row(LOGIN, 200, 403, 200, 403, 403, 404, 200)),
    ("campaigns:register", "campaign_g2", "get", row(LOGIN, 404, 404, 404, 404, 403, 200, 403)),
    ("campaigns:inspection_create", "campaign_g1", "get", G1_COMMITTEE),
    ("campaigns:inspection_create", "campaign_g2", "get", G2_COMMITTEE),
    ("campaigns:support_create", "campaign_g1", "get", G1_COMMITTEE),
    ("campaigns:review_create", "campaign_g1", "get", G1_COMMITTEE),
    ("campaigns:review_create", "campaign_g2", "get", G2_COMMITTEE),
    ("campaigns:registration", "registration_in_a", "get", IN_A_ANY_ROLE),
    ("campaigns:registration", "registration_in_c", "get", IN_C_ANY_ROLE),
    # A member's own registration is seen by them and the officers over them, not by other members.
    ("campaigns:registration", "registration_of_member_in_a", "get", row(LOGIN, 404, 200, 404, 200, 200, 404, 200)),
    # Only the branch's own officers change its registration and report its progress.
    ("campaigns:registration_edit", "registration_in_a", "get", OWN_BRANCH_A),
    ("campaigns:registration_edit", "registration_in_c", "get", OWN_BRANCH_C),
    # Approval is for the union above the branch.
    ("campaigns:registration_move", "registration_in_a_approve", "post", row(LOGIN, 403, 403, 404, 302, 302, 404,
                                                                              302)),
    ("campaigns:registration_move", "registration_in_c_approve", "post", row(LOGIN, 404, 404, 404, 404, 302, 403,
                                                                              302)),
    ("campaigns:progress_create", "approved_in_a", "get", OWN_BRANCH_A),
    ("campaigns:progress_create", "approved_in_c", "get", OWN_BRANCH_C),
    ("campaigns:progress_file", "report_in_a", "get", IN_A_ANY_ROLE),
    ("campaigns:progress_file", "report_in_c", "get", IN_C_ANY_ROLE),
    ("campaigns:inspection_follow_up", "inspection_g1", "get", G1_COMMITTEE),
    ("campaigns:inspection_follow_up", "inspection_g2", "get", G2_COMMITTEE),
    ("campaigns:review", "review_g1", "get", UNDER_G1),
    ("campaigns:review", "review_g2", "get", UNDER_G2),
    ("campaigns:review_note", "review_g1", "post", G1_COMMITTEE_POST),
    ("campaigns:review_note", "review_g2", "post", row(LOGIN, 404, 404, 404, 404, 302, 403, 302)),
    ("campaigns:review_entry_note", "entry_g1", "post", G1_COMMITTEE_POST),
    ("campaigns:review_entry_note", "entry_g2", "post", row(LOGIN, 404, 404, 404, 404, 302, 403, 302)),
    ("campaigns:awards", None, "get", OFFICERS),
    ("campaigns:award_propose", "propose_for_member_in_a", "get", row(LOGIN, 403, 403, 404, 200, 200, 404, 200)),
    ("campaigns:award_propose", "propose_for_member_in_c", "get", row(LOGIN, 404, 404, 404, 404, 200, 403, 200)),
    ("campaigns:award_propose", None, "get", row(LOGIN, 404, 404, 404, 404, 404, 404, 404)),
    ("campaigns:award", "award_in_a", "get", IN_A_OFFICERS),
    ("campaigns:award", "award_in_c", "get", row(LOGIN, 404, 404, 404, 404, 200, 200, 200)),
    # The recipient sees their own award.
    ("campaigns:award", "award_of_member_user", "get", row(LOGIN, 200, 200, 404, 200, 200, 404, 200)),
    # Deciding re-shows the page with the form's errors when the decision's fields are missing (200).
    ("campaigns:award_move", "award_in_a_decide", "post", row(LOGIN, 403, 403, 404, 200, 200, 404, 200)),
    ("campaigns:award_move", "award_in_c_decide", "post", row(LOGIN, 404, 404, 404, 404, 200, 403, 200)),
    ("campaigns:award_publish", "award_in_a", "post", row(LOGIN, 403, 403, 404, 200, 200, 404, 200)),
    ("campaigns:award_unpublish", "award_in_a", "post", row(LOGIN, 403, 403, 404, 302, 302, 404, 302)),
    ("campaigns:award_unpublish", "award_in_c", "post", row(LOGIN, 404, 404, 404, 404, 302, 403, 302)),
    ("campaigns:honour_board", None, "get", ALL_200),
]


def _objects(personas, tree, member_in_a, member_in_c):
    today = timezone.localdate()
    superuser, g1, city = personas["superuser"], personas["grassroots_committee"], personas["city_committee"]
    objects = {"campaign_g1": make_campaign(g1, tree.g1), "campaign_g2": make_campaign(superuser, tree.g2),
               "campaign_sector": make_campaign(city, tree.sector),
               "draft_g1": make_campaign(g1, tree.g1, launch=False)}
    for key, number, branch, officer in (("a", 1, tree.branch_a, personas["secretary"]),
                                         ("c", 2, tree.branch_c, personas["outsider"])):
        campaign = objects[f"campaign_g{number}"]
        # Each branch's registration is approved, reported on and reviewed; the matrix then resets its state.
        registration = register_unit(officer, campaign, branch)
        registration = services.registration_move(actor=superuser, registration=registration, name="approve")
        progress = report(superuser, registration, 10, 1)
        progress.stored_name, progress.original_name, progress.content_type = "p.pdf", "p.pdf", "application/pdf"
        progress.file.save("p.pdf", ContentFile(b"%PDF-1.4\n"))
        review = services.review_take(actor=superuser, campaign=campaign, kind=ReviewKind.INTERIM,
                                      stage=campaign.stages.first(), held_on=today)
        objects.update({
            f"registration_in_{key}": registration, f"report_in_{key}": progress, f"review_g{number}": review,
            f"entry_g{number}": review.entries.first(),
            f"inspection_g{number}": services.inspection_record(actor=superuser, campaign=campaign, visited_on=today,
                                                               inspectors="Thường trực", findings="Tốt"),
            # An approved registration that stays approved, in the sector's campaign.
            f"approved_in_{key}": services.registration_move(
                actor=superuser, registration=register_unit(officer, objects["campaign_sector"], branch),
                name="approve"),
        })
    member_registration = services.registration_save(
        actor=personas["secretary"], campaign=objects["campaign_g1"], kind="member",
        member=Member.objects.get(user=personas["secretary"]), pledges={t.pk: 1 for t in
                                                                       objects["campaign_g1"].targets.all()})
    objects["registration_of_member_in_a"] = member_registration
    title = AwardTitle.objects.get(name="Thanh niên tiên tiến làm theo lời Bác")
    objects["award_in_a"] = services.award_propose(actor=g1, proposing_unit=tree.g1, title=title, year=today.year,
                                                   achievements="x", member=member_in_a)
    objects["award_in_c"] = services.award_propose(actor=superuser, proposing_unit=tree.g2, title=title,
                                                   year=today.year, achievements="x", member=member_in_c)
    objects["award_of_member_user"] = services.award_propose(
        actor=g1, proposing_unit=tree.g1, title=title, year=today.year, achievements="x",
        member=Member.objects.get(user=personas["member_user"]))
    objects["propose_for_member_in_a"], objects["propose_for_member_in_c"] = member_in_a, member_in_c
    return objects


def _url(name, target, objects):
    if target is None:
        return reverse(name)
    if target.startswith("propose_for_"):
        return f"{reverse(name)}?member={objects[target].pk}"
    for move in ("_approve", "_decide"):
        if target.endswith(move):
            return reverse(name, args=[objects[target.removesuffix(move)].pk, move[1:]])
    return reverse(name, args=[objects[target].pk])


@pytest.mark.parametrize(("name", "target", "method", "expected"), CAMPAIGN_MATRIX,
                         ids=[f"{name}-{target or 'page'}" for name, target, *_ in CAMPAIGN_MATRIX])
def test_campaign_permission_matrix(name, target, method, expected, personas, tree, member_in_a, member_in_c):
    objects = _objects(personas, tree, member_in_a, member_in_c)
    url = _url(name, target, objects)
    failures = []
    for persona in PERSONAS:
        # A move that passes the policy changes the object; put it back so each persona meets the same.
        Registration.objects.filter(pk__in=[objects["registration_in_a"].pk, objects["registration_in_c"].pk]).update(
            state="submitted" if target and target.endswith("_approve") else "draft")
        Award.objects.update(state="proposed", is_published=False)
        if name == "campaigns:award_unpublish":
            Award.objects.update(state="decided", is_published=True, citation="Tiêu biểu")
        data = {"note": "Ghi chú"} if method == "post" else None
        response = getattr(client_for(personas[persona]), method)(url, data)
        if not meets(response, expected[persona]):
            failures.append(f"{persona}: got {response.status_code}, want {expected[persona]}")
    assert failures == [], f"{method.upper()} {url}: " + "; ".join(failures)
