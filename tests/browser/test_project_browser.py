"""bithu proposes a youth project, thuongvu approves it, bithu reports progress and completes it, thuongvu
accepts it with the final figures."""

import pytest
from django.utils import timezone

from members.demo import DEMO_PASSWORD, load_demo
from movements.models import ProjectState, YouthProject
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _switch_to_user(page, username):
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)


def _press(page, button):
    """A transition's button, and the page it leads back to: the same address as before, so waiting for the
    address would go on at once, before the change was made."""
    with page.expect_navigation():
        page.click(button)


def test_a_project_from_proposal_to_acceptance(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    today = timezone.localdate()
    photo = tmp_path / "kham-benh.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)

    sign_in(page, "bithu", DEMO_PASSWORD)
    page.goto("/projects/new/")
    page.fill("input[name=title]", "Khám sức khỏe miễn phí cho người cao tuổi")
    page.select_option("select[name=kind]", value="community")
    page.fill("textarea[name=goal]", "Khám và tư vấn cho 200 người cao tuổi trong phường")
    page.fill("input[name=starts_on]", today.isoformat())
    page.fill("input[name=ends_on]", today.replace(day=28).isoformat() if today.day < 28 else today.isoformat())
    page.fill("input[name=budget]", "15000000")
    page.fill("input[name=promised_beneficiaries]", "200")
    screenshot(page, "project-form")
    page.click("main form.card button[type=submit]")
    page.wait_for_url("**/projects/*/")
    project = YouthProject.objects.get()
    assert project.state == ProjectState.PROPOSED

    _switch_to_user(page, "thuongvu")
    page.goto(f"/projects/{project.pk}/")
    _press(page, f"form[action$='/projects/{project.pk}/approve/'] button")

    _switch_to_user(page, "bithu")
    page.goto(f"/projects/{project.pk}/")
    _press(page, f"form[action$='/projects/{project.pk}/start/'] button")
    page.goto(f"/projects/{project.pk}/reports/new/")
    page.fill("textarea[name=text]", "Khám cho 120 người, cấp thuốc miễn phí")
    page.fill("input[name=beneficiaries]", "120")
    page.fill("input[name=volunteer_hours]", "60")
    page.set_input_files("input[name=photos]", str(photo))
    page.click("main form.card button[type=submit]")
    page.wait_for_url(f"**/projects/{project.pk}/")
    _press(page, f"form[action$='/projects/{project.pk}/complete/'] button")

    _switch_to_user(page, "thuongvu")
    page.goto(f"/projects/{project.pk}/")
    page.fill("input[name=final_beneficiaries]", "210")
    page.fill("input[name=final_volunteer_hours]", "80")
    page.fill("input[name=final_value]", "30000000")
    page.fill("input[name=final_volunteers]", "12")
    _press(page, f"form[action$='/projects/{project.pk}/accept/'] button")
    project.refresh_from_db()
    assert (project.state, project.final_beneficiaries) == (ProjectState.ACCEPTED, 210)
    screenshot(page, "project-accepted")
    assert page.csp_violations == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
