"""The permission matrix of the feedback pages: the public ones for everybody, the unit's for its officers.
tests/test_permissions.py checks that every URL pattern of the project has a row here or in another matrix."""

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Feedback, FeedbackPoint, FeedbackState
from tests.campaigns.test_feedback import make_point, ratings
from tests.conftest import PERSONAS, client_for
from tests.test_permissions import ALL_200, IN_A_OFFICERS, IN_C_OFFICERS, OFFICERS, meets, row

# Column order: anonymous, member of A, secretary of A, secretary of B, committee of G1, city committee,
# outsider (secretary of C under G2), superuser.
POST_IN_A = row("login", 403, 302, 404, 302, 302, 404, 302)
POST_IN_C = row("login", 404, 404, 404, 404, 302, 302, 302)

FEEDBACK_MATRIX = [
    # The poster's address: anyone, with no account, and nothing else of the unit on it.
    ("campaigns:feedback_public", "point_in_a", "get", ALL_200),
    ("campaigns:feedback_public", "point_in_c", "get", ALL_200),
    ("campaigns:feedback_thanks", "point_in_a", "get", ALL_200),
    ("campaigns:feedback_points", None, "get", OFFICERS),
    ("campaigns:feedback_point_create", None, "get", OFFICERS),
    ("campaigns:feedback_point", "point_in_a", "get", IN_A_OFFICERS),
    ("campaigns:feedback_point", "point_in_c", "get", IN_C_OFFICERS),
    ("campaigns:feedback_point_edit", "point_in_a", "get", IN_A_OFFICERS),
    ("campaigns:feedback_point_edit", "point_in_c", "get", IN_C_OFFICERS),
    ("campaigns:feedback_poster", "point_in_a", "get", IN_A_OFFICERS),
    ("campaigns:feedback_poster", "point_in_c", "get", IN_C_OFFICERS),
    ("campaigns:feedback_point_open", "point_in_a_close", "post", POST_IN_A),
    ("campaigns:feedback_point_open", "point_in_c_close", "post", POST_IN_C),
    ("campaigns:feedback", "feedback_in_a", "get", IN_A_OFFICERS),
    ("campaigns:feedback", "feedback_in_c", "get", IN_C_OFFICERS),
    ("campaigns:feedback_reply", "feedback_in_a", "post", POST_IN_A),
    ("campaigns:feedback_reply", "feedback_in_c", "post", POST_IN_C),
    ("campaigns:feedback_attribute", "feedback_in_a", "post", POST_IN_A),
    ("campaigns:feedback_attribute", "feedback_in_c", "post", POST_IN_C),
    ("campaigns:feedback_move", "feedback_in_a_hide", "post", POST_IN_A),
    ("campaigns:feedback_move", "feedback_in_c_hide", "post", POST_IN_C),
]


def _objects(personas, tree):
    objects = {}
    for key, branch, officer in (("a", tree.branch_a, personas["secretary"]),
                                 ("c", tree.branch_c, personas["outsider"])):
        point = make_point(officer, branch)
        objects[f"point_in_{key}"] = point
        objects[f"feedback_in_{key}"] = services.feedback_submit(point=point, scores=ratings(point, 4),
                                                                 comment="Góp ý", contact="an@example.org")
    return objects


def _url(name, target, objects):
    if target is None:
        return reverse(name)
    for move in ("_close", "_hide"):
        if target.endswith(move):
            return reverse(name, args=[objects[target.removesuffix(move)].pk, move[1:]])
    if name in ("campaigns:feedback_public", "campaigns:feedback_thanks"):
        return reverse(name, args=[objects[target].token])
    return reverse(name, args=[objects[target].pk])


@pytest.mark.parametrize(("name", "target", "method", "expected"), FEEDBACK_MATRIX,
                         ids=[f"{name}-{target or 'page'}" for name, target, *_ in FEEDBACK_MATRIX])
def test_feedback_permission_matrix(name, target, method, expected, personas, tree):
    objects = _objects(personas, tree)
    url = _url(name, target, objects)
    failures = []
    for persona in PERSONAS:
        # A move that passes the policy changes the object; put it back so each persona meets the same.
        FeedbackPoint.objects.update(is_open=True)
        Feedback.objects.update(state=FeedbackState.SHOWN, replied_at=None, reply="", member=None)
        data = {"reply": "Cảm ơn", "reason": "Xúc phạm", "member": ""} if method == "post" else None
        response = getattr(client_for(personas[persona]), method)(url, data)
        if not meets(response, expected[persona]):
            failures.append(f"{persona}: got {response.status_code}, want {expected[persona]}")
    assert failures == [], f"{method.upper()} {url}: " + "; ".join(failures)


def test_a_refused_post_changes_nothing(personas, tree, member_in_a):
    objects = _objects(personas, tree)
    feedback, point = objects["feedback_in_a"], objects["point_in_a"]
    for persona in ("member_user", "sibling_secretary", "outsider"):
        client = client_for(personas[persona])
        client.post(reverse("campaigns:feedback_reply", args=[feedback.pk]), {"reply": "Không được"})
        client.post(reverse("campaigns:feedback_move", args=[feedback.pk, "hide"]), {"reason": "Không được"})
        client.post(reverse("campaigns:feedback_attribute", args=[feedback.pk]), {"member": member_in_a.pk})
        client.post(reverse("campaigns:feedback_point_open", args=[point.pk, "close"]))
        client.post(reverse("campaigns:feedback_point_edit", args=[point.pk]),
                    {"name": "Đổi tên", "invitation": "x", "questions": "Một câu"})
    feedback.refresh_from_db()
    point.refresh_from_db()
    assert (feedback.replied_at, feedback.state, feedback.member) == (None, FeedbackState.SHOWN, None)
    assert (point.is_open, point.name) == (True, "Bàn hướng dẫn – Khoa Nội")
