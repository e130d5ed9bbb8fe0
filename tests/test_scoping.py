"""Branch scoping of the member register's admin, proved with records that could leak.

bob (clerk of 医院支社 and its group) must never see or change 寇晶磊 (outsider, 海州支社);
carol (leadership) sees every branch and changes nothing; alice (committee staff) changes all.
"""

import csv
import io

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from members import roles
from members.models import Enterprise, Member
from members.scoping import BranchTreeFilter
from portal.concurrency import VERSION_FIELD
from tests.conftest import _staff
from tests.factories import BranchFactory, MemberFactory, UserFactory

MEMBERS = "/admin/members/member/"
ENTERPRISES = "/admin/members/enterprise/"
BRANCHES = "/admin/members/branch/"
MISSING_PK = 987654321


def names(response):
    return [str(obj) for obj in response.context["cl"].result_list]


def version(record) -> dict:
    """The hidden field of ``record``'s change form opened now: the version of the record it
    was opened on, without which a change is refused (portal/concurrency.py)."""
    model_admin = admin.site.get_model_admin(type(record))
    return {VERSION_FIELD: str(model_admin.record_version(record.pk))}


def member_form(member=None, **changes):
    """The POST of the member change form opened now, filled from ``member``, then from
    ``changes``."""
    data = {
        "name": "",
        "number": "",
        "gender": "female",
        "branch": "",
        "sector": "",
        "workplace": "",
        "position": "",
        "joined_on": "",
        "status": "active",
        "phone": "",
        "email": "",
        "user": "",
    }
    if member is not None:
        data.update(
            name=member.name,
            number=member.number,
            gender=member.gender,
            branch=member.branch_id,
            sector=member.sector_id or "",
            workplace=member.workplace,
            position=member.position,
            status=member.status,
            phone=member.phone,
            email=member.email,
        )
        if member.listing_consent:
            data["listing_consent"] = "on"
        data.update(version(member))
    data.update(changes)
    return data


def autocomplete(client, model_name, field_name, term=""):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "members", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [result["id"] for result in response.json()["results"]]


def followed(client, url):
    """Where the admin sends a GET of ``url``, and the messages it shows there."""
    response = client.get(url, follow=True)
    return response.redirect_chain, [str(m) for m in response.context["messages"]]


@pytest.fixture
def members(zhao_li, group_member, outsider):
    return zhao_li, group_member, outsider


@pytest.fixture
def erin(hospital):
    """A branch clerk whose account has no branch yet."""
    return _staff("erin", roles.BRANCH_CLERK, None)


@pytest.fixture
def enterprises(zhao_li, group_member, outsider):
    hospital_only = Enterprise.objects.create(name="Hospital Pharmacy")
    hospital_only.contacts.set([zhao_li])
    haizhou_only = Enterprise.objects.create(name="Haizhou Logistics")
    haizhou_only.contacts.set([outsider])
    shared = Enterprise.objects.create(name="Shared Clinic")
    shared.contacts.set([group_member, outsider])
    return hospital_only, haizhou_only, shared


# The member change list


def test_member_changelist_clerk_sees_own_subtree_only(client, bob, members):
    client.force_login(bob)

    response = client.get(MEMBERS)

    assert response.status_code == 200
    assert names(response) == ["陈丹", "赵丽"]


def test_member_changelist_other_clerk_sees_own_branch_only(client, dave, members):
    client.force_login(dave)

    assert names(client.get(MEMBERS)) == ["寇晶磊"]


@pytest.mark.parametrize("username", ["alice", "carol"])
def test_member_changelist_staff_and_leadership_see_every_branch(
    client, request, username, members
):
    client.force_login(request.getfixturevalue(username))

    response = client.get(MEMBERS)

    assert response.status_code == 200
    assert names(response) == ["陈丹", "寇晶磊", "赵丽"]


def test_member_changelist_clerk_without_branch_sees_nothing(client, erin, members):
    client.force_login(erin)

    response = client.get(MEMBERS)

    assert response.status_code == 200
    assert names(response) == []
    assert autocomplete(client, "enterprise", "contacts") == []
    assert autocomplete(client, "member", "branch") == []


def test_member_changelist_search_clerk_finds_nothing_outside(client, bob, members):
    client.force_login(bob)

    assert names(client.get(MEMBERS, {"q": "寇晶磊"})) == []
    assert names(client.get(MEMBERS, {"q": "13900003333"})) == []
    assert names(client.get(MEMBERS, {"q": "zhaoli"})) == ["赵丽"]


# The branch list filter


def test_branch_filter_clerk_offered_own_subtree_only(
    client, bob, hospital, hospital_group, members
):
    client.force_login(bob)

    response = client.get(MEMBERS)

    [tree_filter] = [
        f for f in response.context["cl"].filter_specs if isinstance(f, BranchTreeFilter)
    ]
    assert tree_filter.lookup_choices == [
        (str(hospital.pk), "— 医院支社"),
        (str(hospital_group.pk), "— — 医院小组"),
    ]


def branch_choices(response):
    [tree_filter] = [
        f for f in response.context["cl"].filter_specs if isinstance(f, BranchTreeFilter)
    ]
    return [label for _, label in tree_filter.lookup_choices]


def test_branch_filter_drills_down_from_the_top_two_levels(
    client, alice, committee, hospital, hospital_group, haizhou, members
):
    ward = BranchFactory(name="病区小组", kind="group", parent=hospital_group)
    client.force_login(alice)

    top = branch_choices(client.get(MEMBERS))
    at_group = branch_choices(client.get(MEMBERS, {"branch": hospital_group.pk}))
    at_haizhou = branch_choices(client.get(MEMBERS, {"branch": haizhou.pk}))

    # A national tree has hundreds of branches: never all at once, only the way down.
    assert top == ["市委", "— 医院支社", "— 海州支社"]
    assert at_group == ["市委", "— 医院支社", "— — 医院小组", "— — — 病区小组"]
    assert at_haizhou == ["市委", "— 海州支社"]
    assert names(client.get(MEMBERS, {"branch": ward.pk})) == []


def test_branch_filter_clerk_drills_down_inside_own_subtree_only(
    client, bob, hospital, hospital_group, members
):
    BranchFactory(name="病区小组", kind="group", parent=hospital_group)
    client.force_login(bob)

    at_group = branch_choices(client.get(MEMBERS, {"branch": hospital_group.pk}))

    assert at_group == ["— 医院支社", "— — 医院小组", "— — — 病区小组"]


def test_branch_filter_clerk_by_own_group_lists_its_members(client, bob, hospital_group, members):
    client.force_login(bob)

    assert names(client.get(MEMBERS, {"branch": hospital_group.pk})) == ["陈丹"]


@pytest.mark.parametrize("branch_name", ["haizhou", "committee"])
def test_branch_filter_clerk_by_foreign_branch_lists_nothing(
    client, request, bob, branch_name, members
):
    client.force_login(bob)
    branch = request.getfixturevalue(branch_name)

    response = client.get(MEMBERS, {"branch": branch.pk})

    assert response.status_code == 200
    assert names(response) == []


def test_branch_filter_not_a_number_is_an_incorrect_lookup(client, bob, members):
    client.force_login(bob)

    response = client.get(MEMBERS, {"branch": "1 OR 1=1"})

    assert (response.status_code, response["Location"]) == (302, f"{MEMBERS}?e=1")


def test_branch_filter_staff_by_haizhou_lists_outsider(client, alice, haizhou, members):
    client.force_login(alice)

    assert names(client.get(MEMBERS, {"branch": haizhou.pk})) == ["寇晶磊"]


# Change, delete and history URLs of a member outside the scope


def test_member_change_url_clerk_gets_the_missing_record_redirect(client, bob, outsider):
    client.force_login(bob)
    missing_chain, missing_messages = followed(client, f"{MEMBERS}{MISSING_PK}/change/")

    chain, shown = followed(client, f"{MEMBERS}{outsider.pk}/change/")

    # Exactly what a record that never existed gets: no hint that this one does.
    assert chain == missing_chain == [("/admin/", 302)]
    assert shown == [m.replace(str(MISSING_PK), str(outsider.pk)) for m in missing_messages]
    assert len(shown) == 1


def test_member_delete_url_clerk_get_and_post_redirect_and_delete_nothing(client, bob, outsider):
    client.force_login(bob)

    got = client.get(f"{MEMBERS}{outsider.pk}/delete/")
    posted = client.post(f"{MEMBERS}{outsider.pk}/delete/", {"post": "yes"})

    assert (got.status_code, got["Location"]) == (302, "/admin/")
    assert (posted.status_code, posted["Location"]) == (302, "/admin/")
    assert Member.objects.filter(pk=outsider.pk).exists()


def test_member_history_url_clerk_outsider_is_not_found(client, bob, outsider):
    client.force_login(bob)

    assert client.get(f"{MEMBERS}{MISSING_PK}/history/").status_code == 404
    assert client.get(f"{MEMBERS}{outsider.pk}/history/").status_code == 404


def test_member_history_url_clerk_deleted_outsider_is_not_found(client, bob, outsider):
    client.force_login(bob)
    pk = outsider.pk
    outsider.delete()

    assert client.get(f"{MEMBERS}{pk}/history/").status_code == 404


def test_member_history_url_own_clerk_sees_outsider_history(client, dave, outsider):
    client.force_login(dave)

    response = client.get(f"{MEMBERS}{outsider.pk}/history/")

    assert response.status_code == 200
    assert [r.history_type for r in response.context["page_obj"].object_list] == ["+"]


def test_member_history_url_not_a_number_is_not_found(client, bob, outsider):
    client.force_login(bob)

    assert client.get(f"{MEMBERS}abc/history/").status_code == 404


def test_member_revert_url_clerk_outsider_version_is_not_found(client, bob, outsider):
    client.force_login(bob)
    version = outsider.history.get()
    url = f"{MEMBERS}{outsider.pk}/history/{version.history_id}/"

    got = client.get(url)
    posted = client.post(url, member_form(outsider, name="改名"))

    assert (got.status_code, posted.status_code) == (404, 404)
    assert Member.objects.get(pk=outsider.pk).name == "寇晶磊"


def test_member_revert_url_clerk_old_in_scope_version_of_moved_member_is_not_found(
    client, bob, alice, hospital, outsider
):
    # 寇晶磊 was once in bob's branch; the old version must not let bob pull her back.
    old_branch = outsider.branch
    outsider.branch = hospital
    outsider.save()
    outsider.branch = old_branch
    outsider.save()
    version = outsider.history.filter(branch=hospital).get()
    client.force_login(bob)

    posted = client.post(
        f"{MEMBERS}{outsider.pk}/history/{version.history_id}/",
        member_form(outsider, branch=hospital.pk),
    )

    assert posted.status_code == 404
    assert Member.objects.get(pk=outsider.pk).branch == old_branch


# Autocomplete


def test_member_autocomplete_clerk_offers_own_subtree(client, bob, zhao_li, group_member, outsider):
    client.force_login(bob)

    assert autocomplete(client, "enterprise", "contacts") == [str(group_member.pk), str(zhao_li.pk)]
    assert autocomplete(client, "enterprise", "contacts", "寇") == []
    assert autocomplete(client, "enterprise", "contacts", "13900003333") == []


def test_member_autocomplete_leadership_offers_every_branch(
    client, carol, zhao_li, group_member, outsider
):
    client.force_login(carol)

    assert autocomplete(client, "enterprise", "contacts") == [
        str(group_member.pk),
        str(outsider.pk),
        str(zhao_li.pk),
    ]


def test_branch_autocomplete_clerk_offers_own_subtree(
    client, committee, hospital, hospital_group, haizhou, bob
):
    client.force_login(bob)

    assert autocomplete(client, "member", "branch") == [str(hospital.pk), str(hospital_group.pk)]
    assert autocomplete(client, "member", "branch", "海州") == []


def test_branch_autocomplete_staff_offers_every_branch(
    client, committee, hospital, hospital_group, haizhou, alice
):
    client.force_login(alice)

    assert autocomplete(client, "member", "branch") == [
        str(committee.pk),
        str(hospital.pk),
        str(hospital_group.pk),
        str(haizhou.pk),
    ]


# Forged POSTs


def test_member_add_clerk_forged_foreign_branch_is_refused(client, bob, haizhou):
    client.force_login(bob)

    response = client.post(f"{MEMBERS}add/", member_form(name="伪造", branch=haizhou.pk))

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["branch"]
    assert not Member.objects.filter(name="伪造").exists()


def test_member_add_clerk_own_group_is_saved(client, bob, hospital_group):
    client.force_login(bob)

    response = client.post(f"{MEMBERS}add/", member_form(name="新会员", branch=hospital_group.pk))

    assert (response.status_code, response["Location"]) == (302, MEMBERS)
    assert Member.objects.get(name="新会员").branch == hospital_group


def test_member_change_clerk_forged_login_link_is_ignored(client, bob, alice, zhao_li):
    client.force_login(bob)

    response = client.post(f"{MEMBERS}{zhao_li.pk}/change/", member_form(zhao_li, user=alice.pk))

    assert (response.status_code, response["Location"]) == (302, MEMBERS)
    assert Member.objects.get(pk=zhao_li.pk).user is None


def test_member_change_staff_links_a_login(client, alice, zhao_li):
    login = UserFactory(username="zhaoli", is_staff=False)
    client.force_login(alice)

    client.post(f"{MEMBERS}{zhao_li.pk}/change/", member_form(zhao_li, user=login.pk))

    assert Member.objects.get(pk=zhao_li.pk).user == login


def test_member_change_clerk_forged_move_to_foreign_branch_is_refused(
    client, bob, haizhou, hospital, zhao_li
):
    client.force_login(bob)

    response = client.post(
        f"{MEMBERS}{zhao_li.pk}/change/", member_form(zhao_li, branch=haizhou.pk)
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["branch"]
    assert Member.objects.get(pk=zhao_li.pk).branch == hospital


def test_member_change_clerk_forged_post_to_outsider_changes_nothing(
    client, bob, hospital, outsider
):
    client.force_login(bob)

    response = client.post(
        f"{MEMBERS}{outsider.pk}/change/", member_form(outsider, name="改名", branch=hospital.pk)
    )

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    outsider.refresh_from_db()
    assert (outsider.name, outsider.branch.name) == ("寇晶磊", "海州支社")


def test_member_bulk_delete_clerk_forged_outsider_id_deletes_nothing(client, bob, outsider):
    client.force_login(bob)

    response = client.post(
        MEMBERS,
        {"action": "delete_selected", "_selected_action": [outsider.pk], "post": "yes"},
    )

    assert (response.status_code, response["Location"]) == (302, MEMBERS)
    assert Member.objects.filter(pk=outsider.pk).exists()


# Leadership reads everything and changes nothing


def test_member_change_url_leadership_views_outsider_read_only(client, carol, outsider):
    client.force_login(carol)

    response = client.get(f"{MEMBERS}{outsider.pk}/change/")

    assert response.status_code == 200
    assert response.context["original"] == outsider
    assert response.context["has_change_permission"] is False


def test_member_writes_leadership_are_all_refused(client, carol, hospital, zhao_li):
    client.force_login(carol)
    version = zhao_li.history.get()

    responses = [
        client.get(f"{MEMBERS}add/"),
        client.post(f"{MEMBERS}add/", member_form(name="领导加", branch=hospital.pk)),
        client.post(f"{MEMBERS}{zhao_li.pk}/change/", member_form(zhao_li, name="领导改")),
        client.get(f"{MEMBERS}{zhao_li.pk}/delete/"),
        client.post(f"{MEMBERS}{zhao_li.pk}/delete/", {"post": "yes"}),
        client.post(
            f"{MEMBERS}{zhao_li.pk}/history/{version.history_id}/",
            member_form(zhao_li, name="领导改"),
        ),
        client.get(f"{MEMBERS}import/"),
    ]

    assert [r.status_code for r in responses] == [403] * 7
    assert list(Member.objects.values_list("name", flat=True)) == ["赵丽"]


def test_member_bulk_delete_leadership_has_no_delete_action(client, carol, zhao_li):
    client.force_login(carol)

    response = client.post(
        MEMBERS, {"action": "delete_selected", "_selected_action": [zhao_li.pk], "post": "yes"}
    )

    assert response.status_code == 200
    assert Member.objects.filter(pk=zhao_li.pk).exists()


# Committee staff change everything


def test_member_change_staff_moves_outsider(client, alice, hospital, outsider):
    client.force_login(alice)

    response = client.post(
        f"{MEMBERS}{outsider.pk}/change/", member_form(outsider, branch=hospital.pk)
    )

    assert (response.status_code, response["Location"]) == (302, MEMBERS)
    assert Member.objects.get(pk=outsider.pk).branch == hospital


def test_member_delete_staff_deletes_outsider(client, alice, outsider):
    client.force_login(alice)

    response = client.post(f"{MEMBERS}{outsider.pk}/delete/", {"post": "yes"})

    assert (response.status_code, response["Location"]) == (302, MEMBERS)
    assert not Member.objects.filter(pk=outsider.pk).exists()


# Exports


def export_names(client, query=""):
    form = client.get(f"{MEMBERS}export/{query}").context["form"]
    fields = {name: "on" for name in form.fields if name.startswith("memberresource_")}
    [csv_format] = [value for value, label in form.fields["format"].choices if label == "csv"]
    response = client.post(
        f"{MEMBERS}export/{query}", {"format": csv_format, "resource": 0, **fields}
    )
    assert (response.status_code, response["Content-Type"]) == (200, "text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [row[rows[0].index("姓名")] for row in rows[1:]]


def test_member_export_clerk_holds_own_subtree_only(client, bob, members):
    client.force_login(bob)

    assert export_names(client) == ["陈丹", "赵丽"]


def test_member_export_clerk_filtered_by_foreign_branch_is_empty(client, bob, haizhou, members):
    client.force_login(bob)

    assert export_names(client, f"?branch={haizhou.pk}") == []


def test_member_export_leadership_holds_every_branch(client, carol, members):
    client.force_login(carol)

    assert export_names(client) == ["陈丹", "寇晶磊", "赵丽"]


# Enterprises: scoped through their contact members


def test_enterprise_changelist_clerk_sees_those_with_own_contacts(client, bob, enterprises):
    client.force_login(bob)

    assert names(client.get(ENTERPRISES)) == ["Hospital Pharmacy", "Shared Clinic"]


def test_enterprise_changelist_leadership_sees_all(client, carol, enterprises):
    client.force_login(carol)

    assert names(client.get(ENTERPRISES)) == [
        "Haizhou Logistics",
        "Hospital Pharmacy",
        "Shared Clinic",
    ]


def test_enterprise_changelist_clerk_without_branch_sees_nothing(client, erin, enterprises):
    client.force_login(erin)

    assert names(client.get(ENTERPRISES)) == []


def test_enterprise_branch_filter_clerk(client, bob, hospital_group, haizhou, enterprises):
    client.force_login(bob)

    assert names(client.get(ENTERPRISES, {"branch": hospital_group.pk})) == ["Shared Clinic"]
    assert names(client.get(ENTERPRISES, {"branch": haizhou.pk})) == []


def test_enterprise_urls_clerk_foreign_enterprise_as_if_missing(client, bob, enterprises):
    _hospital_only, haizhou_only, _shared = enterprises
    client.force_login(bob)
    url = f"{ENTERPRISES}{haizhou_only.pk}/"

    change = client.get(f"{url}change/")
    forged = client.post(f"{url}change/", {"name": "Renamed", "description": ""})
    delete = client.post(f"{url}delete/", {"post": "yes"})
    history = client.get(f"{url}history/")

    assert [(r.status_code, r.get("Location")) for r in (change, forged, delete)] == [
        (302, "/admin/")
    ] * 3
    assert history.status_code == 404
    assert Enterprise.objects.get(pk=haizhou_only.pk).name == "Haizhou Logistics"


def test_enterprise_history_clerk_deleted_foreign_enterprise_is_not_found(client, bob, enterprises):
    _hospital_only, haizhou_only, _shared = enterprises
    pk = haizhou_only.pk
    haizhou_only.delete()
    client.force_login(bob)

    assert client.get(f"{ENTERPRISES}{pk}/history/").status_code == 404


def test_enterprise_add_clerk_forged_foreign_contact_is_refused(client, bob, outsider):
    client.force_login(bob)

    response = client.post(
        f"{ENTERPRISES}add/", {"name": "Forged", "description": "", "contacts": [outsider.pk]}
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["contacts"]
    assert not Enterprise.objects.filter(name="Forged").exists()


def test_enterprise_add_clerk_without_contacts_is_refused(client, bob):
    client.force_login(bob)

    response = client.post(f"{ENTERPRISES}add/", {"name": "无联系人", "description": ""})

    assert response.context["adminform"].form.errors == {
        "contacts": ["请至少填写一位本组织的联系社员。"]
    }
    assert not Enterprise.objects.filter(name="无联系人").exists()


def test_enterprise_add_staff_without_contacts_is_saved(client, alice):
    client.force_login(alice)

    client.post(f"{ENTERPRISES}add/", {"name": "无联系人", "description": ""})

    assert Enterprise.objects.filter(name="无联系人").exists()


def test_enterprise_change_clerk_keeps_foreign_contacts_of_shared_enterprise(
    client, bob, zhao_li, group_member, outsider, enterprises
):
    _hospital_only, _haizhou_only, shared = enterprises
    client.force_login(bob)

    form = client.get(f"{ENTERPRISES}{shared.pk}/change/")
    response = client.post(
        f"{ENTERPRISES}{shared.pk}/change/",
        {"name": "Shared Clinic", "description": "", "contacts": [zhao_li.pk], **version(shared)},
    )

    assert "寇晶磊" not in form.content.decode()
    assert (response.status_code, response["Location"]) == (302, ENTERPRISES)
    assert set(shared.contacts.all()) == {zhao_li, outsider}


def test_enterprise_delete_clerk_shared_enterprise_is_refused(client, bob, enterprises):
    hospital_only, _haizhou_only, shared = enterprises
    client.force_login(bob)

    shared_delete = client.post(f"{ENTERPRISES}{shared.pk}/delete/", {"post": "yes"})
    bulk_delete = client.post(
        ENTERPRISES,
        {"action": "delete_selected", "_selected_action": [shared.pk], "post": "yes"},
    )
    own_delete = client.post(f"{ENTERPRISES}{hospital_only.pk}/delete/", {"post": "yes"})

    assert (shared_delete.status_code, bulk_delete.status_code) == (403, 403)
    assert (own_delete.status_code, own_delete["Location"]) == (302, ENTERPRISES)
    assert list(Enterprise.objects.values_list("name", flat=True)) == [
        "Haizhou Logistics",
        "Shared Clinic",
    ]


def test_enterprise_writes_leadership_are_refused(client, carol, enterprises):
    hospital_only, _haizhou_only, _shared = enterprises
    client.force_login(carol)
    url = f"{ENTERPRISES}{hospital_only.pk}/"

    responses = [
        client.post(f"{ENTERPRISES}add/", {"name": "New", "description": ""}),
        client.post(f"{url}change/", {"name": "Renamed", "description": ""}),
        client.post(f"{url}delete/", {"post": "yes"}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert client.get(f"{url}change/").status_code == 200
    assert Enterprise.objects.count() == 3


def test_enterprise_change_staff_changes_foreign_enterprise(client, alice, outsider, enterprises):
    _hospital_only, haizhou_only, _shared = enterprises
    client.force_login(alice)

    response = client.post(
        f"{ENTERPRISES}{haizhou_only.pk}/change/",
        {
            "name": "Haizhou Freight",
            "description": "",
            "contacts": [outsider.pk],
            **version(haizhou_only),
        },
    )

    assert (response.status_code, response["Location"]) == (302, ENTERPRISES)
    assert Enterprise.objects.get(pk=haizhou_only.pk).name == "Haizhou Freight"


# Branches: clerks read their subtree, committee staff keep the tree


def test_branch_changelist_clerk_sees_own_subtree_read_only(
    client, bob, committee, hospital, hospital_group, haizhou
):
    client.force_login(bob)

    response = client.get(BRANCHES)
    change = client.post(
        f"{BRANCHES}{hospital.pk}/change/",
        {"name": "改名", "kind": "branch", "parent": committee.pk},
    )

    assert names(response) == ["医院支社", "医院小组"]
    assert client.get(f"{BRANCHES}{haizhou.pk}/change/").status_code == 302
    assert change.status_code == 403


# No N+1 on the member change list


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MEMBERS)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


@pytest.mark.parametrize(("username", "sizes"), [("bob", (5, 25)), ("alice", (6, 25))])  # 25 a page
def test_member_changelist_query_count_same_for_5_members_and_a_full_page(
    client, request, username, sizes, hospital, hospital_group, haizhou
):
    client.force_login(request.getfixturevalue(username))
    MemberFactory.create_batch(5, branch=hospital)
    MemberFactory(branch=haizhou)
    client.get(MEMBERS)  # warm caches (content types, permissions) out of the count
    few = changelist_queries(client)
    MemberFactory.create_batch(13, branch=hospital)
    MemberFactory.create_batch(12, branch=hospital_group)
    MemberFactory.create_batch(2, branch=haizhou)

    many = changelist_queries(client)

    assert (few[1], many[1]) == sizes
    assert few[0] == many[0]


def test_enterprise_history_clerk_shared_enterprise_hides_foreign_contact_names(
    client, alice, bob, zhao_li, enterprises
):
    _hospital_only, _haizhou_only, shared = enterprises
    client.force_login(alice)
    client.post(
        f"{ENTERPRISES}{shared.pk}/change/",
        {"name": "Shared Clinic", "description": "", "contacts": [zhao_li.pk], **version(shared)},
    )
    client.force_login(bob)

    response = client.get(f"{ENTERPRISES}{shared.pk}/history/")

    assert response.status_code == 200
    changes = [
        (str(change["field"]), change["old"], change["new"])
        for record in response.context["page_obj"].object_list
        for change in getattr(record, "history_delta_changes", [])
    ]
    with translation.override("zh-hans"):  # the pages' language
        field = capfirst(Enterprise._meta.get_field("contacts").verbose_name)
        hidden = gettext("(a member of another branch)")
    # In words (portal.admin.ReadableHistoryContextHelper): names joined by 、, none as —.
    assert changes == [
        (field, "—", "赵丽"),
        (field, f"陈丹、{hidden}", "—"),
        (field, "—", f"陈丹、{hidden}"),
    ]
    assert "寇晶磊" not in response.content.decode()


def test_enterprise_history_own_clerk_sees_contact_names(client, dave, enterprises):
    _hospital_only, _haizhou_only, shared = enterprises
    client.force_login(dave)

    response = client.get(f"{ENTERPRISES}{shared.pk}/history/")

    assert response.status_code == 200
    assert "寇晶磊" in response.content.decode()
