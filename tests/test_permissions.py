"""The URL-level permission matrix: every URL pattern of the project, every persona, an object inside and
outside their subtree, and the status each must get. A URL pattern missing from the matrix fails the suite."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members.models import Member, MemberImport
from movements.models import (
    Activity,
    Collective,
    CollectiveModel,
    Commitment,
    Evidence,
    EvidenceFile,
    Initiative,
    PledgeAmendment,
    ProjectPhoto,
    ProjectReport,
    YouthProject,
)
from tests.conftest import PERSONAS, client_for

# Column order: anonymous, member, secretary of A, secretary of B, committee of G1, city committee,
# outsider (secretary of C), superuser.  LOGIN means a redirect to the sign-in page.
LOGIN = "login"


def meets(response, want) -> bool:
    """Whether a response is the status the matrix wants; LOGIN is a redirect to the sign-in page."""
    if want == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("login"))
    return response.status_code == want


def row(*statuses):
    assert len(statuses) == len(PERSONAS)
    return dict(zip(PERSONAS, statuses))


ALL_200 = row(200, 200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = row(LOGIN, 200, 200, 200, 200, 200, 200, 200)
OFFICERS = row(LOGIN, 403, 200, 200, 200, 200, 200, 200)
# An object in branch A (inside G1) and one in branch C (under G2, outside G1).
IN_A_OFFICERS = row(LOGIN, 403, 200, 404, 200, 200, 404, 200)
IN_C_OFFICERS = row(LOGIN, 404, 404, 404, 404, 200, 200, 200)
IN_A_ANY_ROLE = row(LOGIN, 200, 200, 404, 200, 200, 404, 200)
IN_C_ANY_ROLE = row(LOGIN, 404, 404, 404, 404, 200, 200, 200)
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405, 405)
COMMITTEES = row(LOGIN, 403, 403, 403, 200, 200, 403, 200)
# A review posted on a commitment in A or C: done (302), refused (403), or not found (404).
REVIEW_IN_A = row(LOGIN, 403, 302, 404, 302, 302, 404, 302)
REVIEW_IN_C = row(LOGIN, 404, 404, 404, 404, 302, 302, 302)
# An evaluation or confirmation posted outside its window is refused on the page (200); outside reach 404/403.
EVALUATE_IN_A = row(LOGIN, 403, 200, 404, 200, 200, 404, 200)
EVALUATE_IN_C = row(LOGIN, 404, 404, 404, 404, 200, 200, 200)
CONFIRM_IN_A = row(LOGIN, 403, 403, 404, 200, 200, 404, 200)
CONFIRM_IN_C = row(LOGIN, 404, 404, 404, 404, 200, 403, 200)
# Logging evidence is the owner's alone (the member in A is not one of the personas).
OWNER_ONLY_IN_A = row(LOGIN, 403, 403, 404, 403, 403, 404, 403)
OWNER_ONLY_IN_C = row(LOGIN, 404, 404, 404, 404, 403, 403, 403)

# (url name, which object the URL names: None, "member_in_a", "member_in_c", "unit_a", "unit_c",
#  method, expected statuses)
MATRIX = [
    ("home", None, "get", SIGNED_IN),
    ("healthz", None, "get", ALL_200),
    ("robots", None, "get", ALL_200),
    ("favicon", None, "get", row(302, 302, 302, 302, 302, 302, 302, 302)),
    ("help", None, "get", SIGNED_IN),
    ("login", None, "get", row(200, 302, 302, 302, 302, 302, 302, 302)),
    ("logout", None, "get", row(405, 405, 405, 405, 405, 405, 405, 405)),
    ("password_change", None, "get", SIGNED_IN),
    ("password_change_done", None, "get", SIGNED_IN),
    ("password_reset", None, "get", ALL_200),
    ("password_reset_done", None, "get", ALL_200),
    ("password_reset_confirm", "reset_link", "get", ALL_200),
    ("password_reset_complete", None, "get", ALL_200),
    ("set_language", None, "get", row(302, 302, 302, 302, 302, 302, 302, 302)),
    ("admin:index", None, "get", row(302, 302, 302, 302, 302, 302, 302, 200)),
    # Personal data: one's own, for anyone with a member record; those without one have none to see.
    ("members:my_data", None, "get", SIGNED_IN),
    ("members:my_data_download", "json_download", "get", row(LOGIN, 200, 200, 200, 404, 404, 200, 404)),
    ("members:my_data_download", "xlsx_download", "get", row(LOGIN, 200, 200, 200, 404, 404, 200, 404)),
    ("members:privacy_notice", None, "get", row(LOGIN, 200, 200, 200, 302, 302, 200, 302)),
    ("members:access_log", None, "get", OFFICERS),
    # Only the committee of the union itself sets its retention: a branch's officers and the committees above
    # it may not (403).
    ("members:unit_retention", "unit_a", "post", row(LOGIN, 403, 403, 404, 403, 403, 404, 302)),
    ("members:coming_of_age", None, "get", OFFICERS),
    ("members:admit", "member_in_a", "get", IN_A_OFFICERS),
    ("members:admit", "member_in_c", "get", IN_C_OFFICERS),
    ("members:close", "member_in_a", "get", IN_A_OFFICERS),
    ("members:close", "member_in_c", "get", IN_C_OFFICERS),
    # The note exists for a member who moved out only: for one still here it is not found, for anyone.
    ("members:transfer_note", "member_in_a", "get", row(LOGIN, 403, 404, 404, 404, 404, 404, 404)),
    ("members:list", None, "get", OFFICERS),
    ("members:create", None, "get", OFFICERS),
    ("members:import", None, "get", OFFICERS),
    ("members:import_confirm", None, "get", POST_ONLY),
    ("members:import_template", None, "get", OFFICERS),
    # A person's own import jobs only; another's does not exist for them.
    ("members:import_job", "import_job", "get", row(LOGIN, 404, 200, 404, 404, 404, 404, 404)),
    ("members:export", None, "get", OFFICERS),
    ("members:invite", None, "get", OFFICERS),
    ("members:profile", None, "get", SIGNED_IN),
    ("members:audit", None, "get", OFFICERS),
    ("members:notifications", None, "get", SIGNED_IN),
    ("members:unit_switch", None, "get", row(LOGIN, 405, 405, 405, 405, 405, 405, 405)),
    ("members:detail", "member_in_a", "get", IN_A_OFFICERS),
    ("members:detail", "member_in_c", "get", IN_C_OFFICERS),
    ("members:edit", "member_in_a", "get", IN_A_OFFICERS),
    ("members:edit", "member_in_c", "get", IN_C_OFFICERS),
    ("members:deactivate", "member_in_a", "get", IN_A_OFFICERS),
    ("members:deactivate", "member_in_c", "get", IN_C_OFFICERS),
    ("members:reactivate", "member_in_a", "get", IN_A_OFFICERS),
    ("members:reactivate", "member_in_c", "get", IN_C_OFFICERS),
    ("members:transfer", "member_in_a", "get", IN_A_OFFICERS),
    ("members:transfer", "member_in_c", "get", IN_C_OFFICERS),
    ("members:unit", "unit_a", "get", IN_A_ANY_ROLE),
    ("members:unit", "unit_c", "get", IN_C_ANY_ROLE),
    ("movements:years", None, "get", SIGNED_IN),
    ("movements:year_create", None, "get", COMMITTEES),
    ("movements:year", "year", "get", SIGNED_IN),
    ("movements:year_publish", "year", "get", POST_ONLY),
    ("movements:year_criteria", "year", "get", row(LOGIN, 403, 403, 403, 403, 302, 403, 302)),
    ("movements:year_edit", "year", "get", row(LOGIN, 403, 403, 403, 403, 200, 403, 200)),
    ("movements:my_commitment", None, "get", SIGNED_IN),
    ("movements:commitments", None, "get", OFFICERS),
    ("movements:commitments_approve", None, "get", POST_ONLY),
    ("movements:commitment", "commitment_in_a", "get", IN_A_OFFICERS),
    ("movements:commitment", "commitment_in_c", "get", IN_C_OFFICERS),
    ("movements:commitment_approve", "commitment_in_a", "post", REVIEW_IN_A),
    ("movements:commitment_approve", "commitment_in_c", "post", REVIEW_IN_C),
    ("movements:commitment_return", "commitment_in_a", "post", REVIEW_IN_A),
    ("movements:commitment_return", "commitment_in_c", "post", REVIEW_IN_C),
    ("movements:year_close", "year", "get", POST_ONLY),
    ("movements:self_assess", None, "get", POST_ONLY),
    ("movements:commitment_evaluate", "commitment_in_a", "post", EVALUATE_IN_A),
    ("movements:commitment_evaluate", "commitment_in_c", "post", EVALUATE_IN_C),
    ("movements:commitment_confirm", "commitment_in_a", "post", CONFIRM_IN_A),
    ("movements:commitment_confirm", "commitment_in_c", "post", CONFIRM_IN_C),
    ("movements:classifications", None, "get", COMMITTEES),
    ("movements:classifications_confirm", None, "get", POST_ONLY),
    ("movements:evidence_create", "pledge_in_a", "get", OWNER_ONLY_IN_A),
    ("movements:evidence_create", "pledge_in_c", "get", OWNER_ONLY_IN_C),
    ("movements:evidence", None, "get", OFFICERS),
    ("movements:projects", None, "get", SIGNED_IN),
    ("movements:project_create", None, "get", OFFICERS),
    ("movements:project", "project_in_a", "get", IN_A_ANY_ROLE),
    ("movements:project", "project_in_c", "get", IN_C_ANY_ROLE),
    ("movements:project_report", "project_in_a", "get", IN_A_OFFICERS),
    ("movements:project_report", "project_in_c", "get", IN_C_OFFICERS),
    # Approving is for the committee above the project's unit; the unit's own officers get 403.
    ("movements:project_move", "project_in_a_approve", "post", row(LOGIN, 403, 403, 404, 302, 302, 404, 302)),
    ("movements:project_move", "project_in_c_approve", "post", row(LOGIN, 404, 404, 404, 404, 302, 403, 302)),
    ("movements:initiatives", None, "get", SIGNED_IN),
    ("movements:initiative_create", None, "get", row(LOGIN, 200, 200, 200, 403, 403, 200, 403)),
    ("movements:club_create", None, "get", OFFICERS),
    ("movements:initiative", "initiative_in_a", "get", IN_A_ANY_ROLE),
    ("movements:initiative", "initiative_in_c", "get", IN_C_ANY_ROLE),
    ("movements:initiative_score", "initiative_in_a", "post", row(LOGIN, 403, 403, 404, 302, 302, 404, 302)),
    ("movements:initiative_score", "initiative_in_c", "post", row(LOGIN, 404, 404, 404, 404, 302, 403, 302)),
    ("movements:initiative_move", "initiative_in_a_review", "post", row(LOGIN, 403, 403, 404, 302, 302, 404, 302)),
    ("movements:initiative_move", "initiative_in_c_review", "post", row(LOGIN, 404, 404, 404, 404, 302, 403, 302)),
    ("movements:collectives", None, "get", SIGNED_IN),
    ("movements:collective_create", None, "get", OFFICERS),
    ("movements:collective", "collective_in_a", "get", IN_A_ANY_ROLE),
    ("movements:collective", "collective_in_c", "get", IN_C_ANY_ROLE),
    # A log posted without its fields re-shows the form (200) to those who may log; others 403/404.
    ("movements:collective_log", "collective_in_a", "post", row(LOGIN, 200, 200, 404, 200, 200, 404, 200)),
    ("movements:collective_log", "collective_in_c", "post", row(LOGIN, 404, 404, 404, 404, 200, 200, 200)),
    ("movements:collective_evaluate", "collective_in_a", "post", row(LOGIN, 403, 403, 404, 302, 302, 404, 302)),
    ("movements:collective_evaluate", "collective_in_c", "post", row(LOGIN, 404, 404, 404, 404, 302, 403, 302)),
    ("movements:activities", None, "get", SIGNED_IN),
    ("movements:activity_create", None, "get", OFFICERS),
    ("movements:my_activities", None, "get", SIGNED_IN),
    ("movements:activity", "activity_in_a", "get", IN_A_ANY_ROLE),
    ("movements:activity", "activity_in_c", "get", IN_C_ANY_ROLE),
    ("movements:activity_mark", "activity_in_a", "post", row(LOGIN, 403, 302, 404, 302, 302, 404, 302)),
    ("movements:activity_mark", "activity_in_c", "post", row(LOGIN, 404, 404, 404, 404, 302, 302, 302)),
    ("movements:activity_qr", "activity_in_a", "get", IN_A_OFFICERS),
    ("movements:activity_qr", "activity_in_c", "get", IN_C_OFFICERS),
    ("movements:activity_qr_image", "activity_in_a", "get", IN_A_OFFICERS),
    ("movements:activity_qr_image", "activity_in_c", "get", IN_C_OFFICERS),
    ("movements:activity_renew_qr", "activity_in_a", "post", row(LOGIN, 403, 302, 404, 302, 302, 404, 302)),
    ("movements:activity_renew_qr", "activity_in_c", "post", row(LOGIN, 404, 404, 404, 404, 302, 302, 302)),
    # The check-in link is the QR code itself: anyone signed in may open it; the service says who may use it.
    ("movements:checkin", "checkin_in_a", "get", SIGNED_IN),
    ("movements:project_photo", "photo_in_a", "get", IN_A_ANY_ROLE),
    ("movements:project_photo", "photo_in_c", "get", IN_C_ANY_ROLE),
    ("movements:amendment_create", "pledge_in_a", "get", OWNER_ONLY_IN_A),
    ("movements:amendment_create", "pledge_in_c", "get", OWNER_ONLY_IN_C),
    ("movements:amendment_accept", "amendment_in_a", "post", REVIEW_IN_A),
    ("movements:amendment_accept", "amendment_in_c", "post", REVIEW_IN_C),
    ("movements:amendment_refuse", "amendment_in_a", "post", REVIEW_IN_A),
    ("movements:amendment_refuse", "amendment_in_c", "post", REVIEW_IN_C),
    ("movements:evidence_verify", "evidence_in_a", "post", REVIEW_IN_A),
    ("movements:evidence_verify", "evidence_in_c", "post", REVIEW_IN_C),
    ("movements:evidence_reject", "evidence_in_a", "post", REVIEW_IN_A),
    ("movements:evidence_reject", "evidence_in_c", "post", REVIEW_IN_C),
    ("movements:evidence_file", "file_in_a", "get", IN_A_OFFICERS),
    ("movements:evidence_file", "file_in_c", "get", IN_C_OFFICERS),
]

# The admin's own URLs are Django's; the matrix checks its entrance, and only superusers are staff here.
NOT_IN_MATRIX_NAMESPACES = {"admin"}


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in NOT_IN_MATRIX_NAMESPACES:
                continue
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


def test_every_url_pattern_is_in_the_matrix():
    from tests.campaigns.test_campaign_permissions import CAMPAIGN_MATRIX
    from tests.campaigns.test_feedback_permissions import FEEDBACK_MATRIX
    from tests.reports.test_report_permissions import REPORT_MATRIX

    listed = {name for name, *_ in MATRIX + CAMPAIGN_MATRIX + REPORT_MATRIX + FEEDBACK_MATRIX}
    missing = sorted(set(_url_names()) - listed)
    assert missing == [], f"URL patterns without a row in the permission matrix: {missing}"


def _url(name, target, objects):
    if target is None:
        return reverse(name)
    if target == "reset_link":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "set-password"})
    if target.endswith("_download"):
        return reverse(name, args=[target.removesuffix("_download")])
    if target == "import_job":
        return reverse(name, args=[objects["import_job"].pk])
    if target.startswith("checkin_"):
        return reverse(name, args=[objects[target.replace("checkin_", "activity_")].checkin_token])
    if target.endswith("_review"):
        return reverse(name, args=[objects[target.removesuffix("_review")].pk, "open_review"])
    if target.endswith("_approve"):
        return reverse(name, args=[objects[target.removesuffix("_approve")].pk, "approve"])
    return reverse(name, args=[objects[target].pk])


def _evidence_with_file(commitment):
    evidence = Evidence.objects.create(pledge=commitment.pledges.first(), done_on=commitment.created_at.date(),
                                       description="Minh chứng")
    stored = EvidenceFile(evidence=evidence, stored_name="matrix.pdf", original_name="matrix.pdf",
                          content_type="application/pdf", size=9)
    stored.file.save("matrix.pdf", ContentFile(b"%PDF-1.4\n"))
    return evidence, stored


@pytest.mark.parametrize(("name", "target", "method", "expected"), MATRIX,
                         ids=[f"{name}-{target or 'page'}" for name, target, *_ in MATRIX])
def test_permission_matrix(name, target, method, expected, personas, tree, member_in_a, member_in_c,
                           movement_year, commitment_in_a, commitment_in_c, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evidence_in_a, file_in_a = _evidence_with_file(commitment_in_a)
    evidence_in_c, file_in_c = _evidence_with_file(commitment_in_c)
    amendment_in_a, amendment_in_c = (
        PledgeAmendment.objects.create(pledge=evidence.pledge, text="Sửa", target_kind="done", reason="Lý do",
                                       due_date=evidence.done_on)
        for evidence in (evidence_in_a, evidence_in_c))
    objects = {"import_job": MemberImport.objects.create(created_by=personas["secretary"], unit=tree.branch_a,
                                                         path="imports/none.xlsx", total_rows=3),
               "member_in_a": member_in_a, "member_in_c": member_in_c, "unit_a": tree.branch_a,
               "unit_c": tree.branch_c, "year": movement_year, "commitment_in_a": commitment_in_a,
               "commitment_in_c": commitment_in_c, "pledge_in_a": evidence_in_a.pledge,
               "pledge_in_c": evidence_in_c.pledge, "evidence_in_a": evidence_in_a, "evidence_in_c": evidence_in_c,
               "file_in_a": file_in_a, "file_in_c": file_in_c, "amendment_in_a": amendment_in_a,
               "amendment_in_c": amendment_in_c}
    for branch, key in ((tree.branch_a, "a"), (tree.branch_c, "c")):
        project = YouthProject.objects.create(unit=branch, year=2026, kind="community", title="Công trình",
                                              goal="Mục tiêu", starts_on=commitment_in_a.created_at.date(),
                                              ends_on=commitment_in_a.created_at.date())
        report = ProjectReport.objects.create(project=project, reported_on=project.starts_on, text="Báo cáo")
        photo = ProjectPhoto(report=report, stored_name=f"p{key}.png", original_name="anh.png",
                             content_type="image/png", size=8)
        photo.file.save(f"p{key}.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
        objects[f"project_in_{key}"], objects[f"photo_in_{key}"] = project, photo
        author = Member.objects.filter(unit=branch).first()
        initiative = Initiative.objects.create(unit=branch, year=2026, kind="initiative", title="Sáng kiến",
                                               problem="Vấn đề", solution="Giải pháp", submitted_by=author)
        initiative.authors.set([author])
        objects[f"initiative_in_{key}"] = initiative
        objects[f"collective_in_{key}"] = Collective.objects.create(
            unit=branch, year=2026, model=CollectiveModel.objects.first(), name="Tập thể", commitments="Cam kết")
        objects[f"activity_in_{key}"] = Activity.objects.create(unit=branch, year=2026, kind="talk", title="Tọa đàm",
                                                                starts_at=commitment_in_a.created_at)
    url = _url(name, target, objects)
    failures = []
    for persona in PERSONAS:
        # A review that passes the policy moves the commitment on; put it back so each persona meets the same.
        Commitment.objects.filter(pk__in=[commitment_in_a.pk, commitment_in_c.pk]).update(state="submitted")
        Evidence.objects.update(state="pending")
        PledgeAmendment.objects.update(state="pending")
        YouthProject.objects.update(state="proposed")
        Initiative.objects.update(state="submitted")
        Collective.objects.update(state="registered")
        data = ({"comment": "Cần bổ sung", "reason": "Thiếu xác nhận", "classification": "good", "note": "Ghi chú",
                 "council": "Hội đồng", "reviewer": "BS. A", "score": "70"}
                if method == "post" else None)
        response = getattr(client_for(personas[persona]), method)(url, data)
        if not meets(response, expected[persona]):
            failures.append(f"{persona}: got {response.status_code}, want {expected[persona]}")
    assert failures == [], f"{method.upper()} {url}: " + "; ".join(failures)


@pytest.mark.parametrize("name", ["members:deactivate", "members:transfer", "members:edit"])
def test_a_refused_post_changes_nothing(name, personas, tree, member_in_a):
    before = Member.objects.values().get(pk=member_in_a.pk)
    url = reverse(name, args=[member_in_a.pk])
    data = {"reason": "thử", "to_unit": tree.branch_b.pk, "full_name": "Tên khác"}
    assert client_for(personas["sibling_secretary"]).post(url, data).status_code == 404
    assert client_for(personas["member_user"]).post(url, data).status_code == 403
    assert client_for(personas["outsider"]).post(url, data).status_code == 404
    assert Member.objects.values().get(pk=member_in_a.pk) == before
