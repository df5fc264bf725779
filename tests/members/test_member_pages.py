import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import audit
from members.models import AuditEntry, Member
from reports import caching
from tests.conftest import client_for
from tests.factories import MemberFactory


def test_the_list_finds_a_member_without_diacritics(secretary, member_in_a):
    response = client_for(secretary).get(reverse("members:list"), {"q": "le minh"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [member_in_a]


def test_the_list_finds_a_member_by_card_number(secretary, member_in_a):
    response = client_for(secretary).get(reverse("members:list"), {"q": member_in_a.card_number[-6:]})
    assert list(response.context["page"].object_list) == [member_in_a]


def test_the_list_never_shows_another_branch(secretary, member_in_a, tree):
    MemberFactory(unit=tree.branch_b, full_name="Lê Minh Khoa")
    response = client_for(secretary).get(reverse("members:list"), {"q": "Lê Minh Khoa"})
    assert [m.unit for m in response.context["page"].object_list] == [tree.branch_a]


def test_a_committee_filters_by_a_branch_of_its_subtree(grassroots_committee, tree):
    MemberFactory(unit=tree.branch_a, position="Bác sĩ")
    in_b = MemberFactory(unit=tree.branch_b, position="Bác sĩ")
    response = client_for(grassroots_committee).get(reverse("members:list"),
                                                    {"unit": tree.branch_b.pk, "position": "bác"})
    assert list(response.context["page"].object_list) == [in_b]


def test_a_unit_outside_the_subtree_is_not_a_valid_filter(grassroots_committee, member_in_c, tree):
    response = client_for(grassroots_committee).get(reverse("members:list"), {"unit": tree.branch_c.pk})
    assert member_in_c not in response.context["page"].object_list
    assert "unit" in response.context["filter"].form.errors


def test_htmx_requests_get_only_the_results(secretary, member_in_a):
    response = client_for(secretary).get(reverse("members:list"), HTTP_HX_REQUEST="true")
    assert b"<nav class=\"navbar" not in response.content
    assert member_in_a.full_name.encode() in response.content


def _count_queries(client, url):
    caching.new_version()  # the count of rows taken again, not read from the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["secretary", "grassroots_committee"])
def test_the_member_list_costs_the_same_queries_for_5_and_50_rows(persona, personas, tree):
    client = client_for(personas[persona])
    url = reverse("members:list")
    MemberFactory.create_batch(5, unit=tree.branch_a)
    caching.new_version()  # stands for the commit of the fixtures: the menu, kept by its parts, is kept from here
    client.get(url)  # the first request of a session also reads content types and the like
    few = _count_queries(client, url)
    MemberFactory.create_batch(45, unit=tree.branch_a)
    many = _count_queries(client, url)
    assert few == many
    with CaptureQueriesContext(connection) as settled:  # the count kept in the cache from the last request
        client.get(url)
    assert len(settled) <= 11  # two of them the tables' versions and the count, from the database cache


def test_editing_a_member_leaves_an_audit_entry_shown_on_the_page(secretary, member_in_a):
    client = client_for(secretary)
    url = reverse("members:edit", args=[member_in_a.pk])
    data = {"full_name": member_in_a.full_name, "gender": "male", "is_union_member": "on",
            "card_number": member_in_a.card_number, "position": "Bác sĩ nội trú", "phone": "", "email": ""}
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(reverse("members:detail", args=[member_in_a.pk])).content.decode()
    assert "Bác sĩ nội trú" in page
    assert AuditEntry.objects.filter(action=audit.MEMBER_UPDATED, target_id=str(member_in_a.pk)).exists()


def test_a_failed_form_keeps_what_was_typed(secretary, member_in_a, tree):
    response = client_for(secretary).post(reverse("members:create"), {
        "unit": tree.branch_a.pk, "full_name": "Phan Thị Mai", "card_number": member_in_a.card_number,
        "position": "Dược sĩ", "email": "không-phải-email",
    })
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"card_number", "email"}
    content = response.content.decode()
    assert 'value="Phan Thị Mai"' in content and 'value="Dược sĩ"' in content
    assert not Member.objects.filter(full_name="Phan Thị Mai").exists()


def test_transfer_through_the_page(grassroots_committee, secretary, member_in_a, tree):
    response = client_for(grassroots_committee).post(reverse("members:transfer", args=[member_in_a.pk]),
                                                      {"to_unit": tree.branch_b.pk, "reason": "Điều động"})
    assert response.status_code == 302
    assert client_for(secretary).get(reverse("members:detail", args=[member_in_a.pk])).status_code == 404


def test_a_secretary_is_offered_only_their_own_branch(secretary, tree):
    form = client_for(secretary).get(reverse("members:create")).context["form"]
    assert list(form.fields["unit"].queryset) == [tree.branch_a]


def test_deactivation_needs_a_reason(secretary, member_in_a):
    response = client_for(secretary).post(reverse("members:deactivate", args=[member_in_a.pk]), {"reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    member_in_a.refresh_from_db()
    assert member_in_a.is_active


def test_the_unit_switcher_changes_the_working_unit(grassroots_committee, tree, member_in_a):
    MemberFactory(unit=tree.branch_b)
    client = client_for(grassroots_committee)
    client.post(reverse("members:unit_switch"), {"unit": tree.branch_a.pk, "next": reverse("members:list")})
    response = client.get(reverse("members:list"))
    assert {m.unit for m in response.context["page"].object_list} == {tree.branch_a}


def test_the_unit_switcher_refuses_a_unit_outside_the_subtree(secretary, tree):
    response = client_for(secretary).post(reverse("members:unit_switch"), {"unit": tree.branch_b.pk})
    assert response.status_code == 404


def test_the_unit_switcher_does_not_redirect_off_site(secretary, tree):
    response = client_for(secretary).post(reverse("members:unit_switch"),
                                          {"unit": tree.branch_a.pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_the_home_page_shows_units_and_roles(grassroots_committee, tree, member_in_a):
    content = client_for(grassroots_committee).get(reverse("home")).content.decode()
    assert tree.g1.name in content
    assert "Ban chấp hành" in content or "Committee" in content


def test_a_member_edits_their_contact_details(member_user):
    client = client_for(member_user)
    response = client.post(reverse("members:profile"), {"phone": "0987654321", "email": "ha@example.org"})
    assert response.status_code == 302
    assert Member.objects.get(user=member_user).phone == "0987654321"


def test_the_export_link_follows_the_filters_of_the_results(secretary, member_in_a):
    response = client_for(secretary).get(reverse("members:list"), {"q": "khoa"}, HTTP_HX_REQUEST="true")
    assert f'{reverse("members:export")}?q=khoa' in response.content.decode()


def test_the_unit_filter_offers_the_way_down_and_accepts_any_unit_of_the_subtree(city_committee, tree, member_in_a):
    client = client_for(city_committee)

    def offered(**query):
        response = client.get(reverse("members:list"), query)
        return response, [label for value, label in response.context["filter"].form.fields["unit"].widget.choices
                          if value]

    _page, labels = offered()
    assert labels == [tree.city.name, tree.sector.name]  # not every branch of a city at once
    _page, labels = offered(unit=tree.g1.pk)
    assert labels == [tree.city.name, tree.sector.name, tree.g1.name, tree.branch_a.name, tree.branch_b.name]
    page, labels = offered(unit=tree.branch_a.pk)  # a link naming a branch straight away
    assert labels == [tree.city.name, tree.sector.name, tree.g1.name, tree.branch_a.name]
    assert member_in_a in page.context["page"].object_list


def test_a_unit_typed_in_strange_digits_is_refused_not_a_server_error(city_committee, tree):
    response = client_for(city_committee).get(reverse("members:list"), {"unit": "²"})
    assert response.status_code == 200 and "unit" in response.context["filter"].form.errors
