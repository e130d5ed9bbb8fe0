"""Change history of the member register: who did what and when, shown in the admin, and the
restore of a deleted member from it (scoped like everything else)."""

import pytest
from django.utils import timezone

from members.models import Branch, Enterprise, Member
from tests.factories import UserFactory
from tests.test_scoping import member_form, version

MEMBERS = "/admin/members/member/"
DELETED = "/admin/members/member/deleted/"


def trail(history):
    """(type, acting user) of each record, oldest first."""
    return [
        (record.history_type, record.history_user.username if record.history_user else None)
        for record in history.order_by("history_date", "history_id")
    ]


def history_page(client, url):
    """(type, acting user) of each record the admin history page lists, newest first."""
    response = client.get(url)
    assert response.status_code == 200
    return [
        (record.history_type, record.history_user.username if record.history_user else None)
        for record in response.context["page_obj"].object_list
    ]


def deleted_names(client):
    response = client.get(DELETED)
    assert response.status_code == 200
    return [record.name for record in response.context["page_obj"].object_list]


@pytest.fixture
def deleted_members(client, alice, zhao_li, outsider):
    """赵丽 (医院支社) and 寇晶磊 (海州支社) deleted by alice through the admin."""
    client.force_login(alice)
    for member in (zhao_li, outsider):
        response = client.post(f"{MEMBERS}{member.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
    client.logout()
    return zhao_li, outsider


# Every create, change and delete is kept with the acting user and time


def test_member_history_admin_create_change_delete_recorded(client, alice, hospital):
    client.force_login(alice)
    before = timezone.now()

    client.post(f"{MEMBERS}add/", member_form(name="王芳", branch=hospital.pk))
    member = Member.objects.get(name="王芳")
    client.post(f"{MEMBERS}{member.pk}/change/", member_form(member, position="主任"))
    client.post(f"{MEMBERS}{member.pk}/delete/", {"post": "yes"})

    history = Member.history.filter(id=member.pk)
    assert trail(history) == [("+", "alice"), ("~", "alice"), ("-", "alice")]
    assert [r.position for r in history.order_by("history_date")] == ["", "主任", "主任"]
    assert all(before <= r.history_date <= timezone.now() for r in history)


def test_branch_history_admin_create_change_delete_recorded(client, alice, committee):
    client.force_login(alice)

    client.post(
        "/admin/members/branch/add/", {"name": "新支社", "kind": "branch", "parent": committee.pk}
    )
    branch = Branch.objects.get(name="新支社")
    client.post(
        f"/admin/members/branch/{branch.pk}/change/",
        {"name": "新支社二", "kind": "branch", "parent": committee.pk, **version(branch)},
    )
    client.post(f"/admin/members/branch/{branch.pk}/delete/", {"post": "yes"})

    history = Branch.history.filter(id=branch.pk)
    assert trail(history) == [("+", "alice"), ("~", "alice"), ("-", "alice")]
    assert [r.name for r in history.order_by("history_date")] == ["新支社", "新支社二", "新支社二"]


def test_enterprise_history_admin_create_change_delete_recorded(client, alice, zhao_li, outsider):
    client.force_login(alice)
    enterprises = "/admin/members/enterprise/"

    client.post(
        f"{enterprises}add/", {"name": "连云港药业", "description": "", "contacts": [zhao_li.pk]}
    )
    enterprise = Enterprise.objects.get(name="连云港药业")
    client.post(
        f"{enterprises}{enterprise.pk}/change/",
        {
            "name": "连云港药业",
            "description": "",
            "contacts": [zhao_li.pk, outsider.pk],
            **version(enterprise),
        },
    )
    client.post(f"{enterprises}{enterprise.pk}/delete/", {"post": "yes"})

    history = Enterprise.history.filter(id=enterprise.pk).order_by("history_date", "history_id")
    # simple-history adds a record of its own for each save of the contacts.
    assert trail(history) == [
        ("+", "alice"),
        ("~", "alice"),
        ("~", "alice"),
        ("~", "alice"),
        ("-", "alice"),
    ]
    assert [sorted(c.member_id for c in record.contacts.all()) for record in history] == [
        [],
        [zhao_li.pk],
        [zhao_li.pk],
        sorted([zhao_li.pk, outsider.pk]),
        [],
    ]


def test_member_history_page_shows_each_change_with_user(client, alice, bob, zhao_li):
    client.force_login(bob)
    client.post(f"{MEMBERS}{zhao_li.pk}/change/", member_form(zhao_li, position="院长"))
    client.force_login(alice)
    client.post(f"{MEMBERS}{zhao_li.pk}/change/", member_form(zhao_li, position="副院长"))

    shown = history_page(client, f"{MEMBERS}{zhao_li.pk}/history/")

    # The factory created the member outside any request, so that record has no user.
    assert shown == [("~", "alice"), ("~", "bob"), ("+", None)]


def test_member_history_page_of_deleted_member_shows_the_deletion(client, alice, deleted_members):
    zhao_li, _outsider = deleted_members
    client.force_login(alice)

    shown = history_page(client, f"{MEMBERS}{zhao_li.pk}/history/")

    assert shown == [("-", "alice"), ("+", None)]


def test_member_history_page_leadership_reads_with_revert_disabled(client, carol, outsider):
    client.force_login(carol)

    response = client.get(f"{MEMBERS}{outsider.pk}/history/")

    assert response.status_code == 200
    assert response.context["revert_disabled"] is True


# Restoring a deleted member


def test_member_restore_staff_from_revert_form_keeps_pk(client, alice, deleted_members):
    zhao_li, _outsider = deleted_members
    deletion = Member.history.get(id=zhao_li.pk, history_type="-")
    client.force_login(alice)
    url = f"{MEMBERS}{zhao_li.pk}/history/{deletion.history_id}/"

    form = client.get(url)
    response = client.post(url, member_form(zhao_li))

    assert form.status_code == 200
    assert form.context["adminform"].form.initial["name"] == "赵丽"
    assert response.status_code == 302
    restored = Member.objects.get(pk=zhao_li.pk)
    assert (restored.name, restored.branch, restored.phone) == (
        "赵丽",
        zhao_li.branch,
        "13900001111",
    )
    assert trail(Member.history.filter(id=zhao_li.pk)) == [
        ("+", None),
        ("-", "alice"),
        ("+", "alice"),
    ]


def test_member_restore_clerk_own_deleted_member(client, bob, deleted_members):
    zhao_li, _outsider = deleted_members
    deletion = Member.history.get(id=zhao_li.pk, history_type="-")
    client.force_login(bob)

    response = client.post(
        f"{MEMBERS}{zhao_li.pk}/history/{deletion.history_id}/", member_form(zhao_li)
    )

    assert response.status_code == 302
    assert Member.objects.get(pk=zhao_li.pk).name == "赵丽"


def test_member_restore_clerk_forged_foreign_deleted_member_is_not_found(
    client, bob, hospital, deleted_members
):
    _zhao_li, outsider = deleted_members
    deletion = Member.history.get(id=outsider.pk, history_type="-")
    client.force_login(bob)
    url = f"{MEMBERS}{outsider.pk}/history/{deletion.history_id}/"

    got = client.get(url)
    posted = client.post(url, member_form(outsider, branch=hospital.pk))

    assert (got.status_code, posted.status_code) == (404, 404)
    assert not Member.objects.filter(pk=outsider.pk).exists()


def test_member_restore_clerk_forged_foreign_branch_is_refused(
    client, bob, haizhou, deleted_members
):
    zhao_li, _outsider = deleted_members
    deletion = Member.history.get(id=zhao_li.pk, history_type="-")
    client.force_login(bob)

    response = client.post(
        f"{MEMBERS}{zhao_li.pk}/history/{deletion.history_id}/",
        member_form(zhao_li, branch=haizhou.pk),
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["branch"]
    assert not Member.objects.filter(pk=zhao_li.pk).exists()


def test_member_restore_leadership_is_refused(client, carol, deleted_members):
    zhao_li, _outsider = deleted_members
    deletion = Member.history.get(id=zhao_li.pk, history_type="-")
    client.force_login(carol)
    url = f"{MEMBERS}{zhao_li.pk}/history/{deletion.history_id}/"

    got = client.get(url)
    posted = client.post(url, member_form(zhao_li))

    assert got.status_code == 200
    assert got.context["revert_disabled"] is True
    assert posted.status_code == 403
    assert not Member.objects.filter(pk=zhao_li.pk).exists()


def test_sector_revert_leadership_is_refused(client, carol, zhao_li):
    sector = zhao_li.sector
    version = sector.history.get()
    client.force_login(carol)

    response = client.post(
        f"/admin/members/sector/{sector.pk}/history/{version.history_id}/", {"name": "改名"}
    )

    assert response.status_code == 403
    sector.refresh_from_db()
    assert sector.name == "医药卫生界"


# The list of deleted members


def test_deleted_members_staff_sees_all_with_restore_links(client, alice, deleted_members):
    zhao_li, outsider = deleted_members
    client.force_login(alice)

    response = client.get(DELETED)

    assert response.status_code == 200
    records = response.context["page_obj"].object_list
    assert [(r.name, r.branch.name, r.history_user.username) for r in records] == [
        ("寇晶磊", "海州支社", "alice"),
        ("赵丽", "医院支社", "alice"),
    ]
    for record in records:
        assert (
            f'href="{MEMBERS}{record.id}/history/{record.history_id}/"' in response.content.decode()
        )


def test_deleted_members_clerk_sees_own_subtree_only(client, bob, dave, deleted_members):
    client.force_login(bob)
    assert deleted_names(client) == ["赵丽"]
    client.force_login(dave)
    assert deleted_names(client) == ["寇晶磊"]


def test_deleted_members_leadership_sees_all(client, carol, deleted_members):
    client.force_login(carol)

    assert deleted_names(client) == ["寇晶磊", "赵丽"]


def test_deleted_members_restored_member_leaves_the_list(client, alice, deleted_members):
    zhao_li, _outsider = deleted_members
    deletion = Member.history.get(id=zhao_li.pk, history_type="-")
    client.force_login(alice)

    client.post(f"{MEMBERS}{zhao_li.pk}/history/{deletion.history_id}/", member_form(zhao_li))

    assert deleted_names(client) == ["寇晶磊"]


def test_deleted_members_without_member_permission_is_refused(client, deleted_members):
    client.force_login(UserFactory(username="nobody"))

    assert client.get(DELETED).status_code == 403


def test_member_changelist_links_deleted_members_and_keeps_import_export(client, bob, zhao_li):
    client.force_login(bob)

    page = client.get(MEMBERS).content.decode()

    assert f'href="{DELETED}"' in page
    assert f"href='{MEMBERS}import/'" in page
    assert f'href="{MEMBERS}export/?"' in page


def test_sector_and_enterprise_history_pages_render(client, alice, zhao_li):
    # Models without a foreign key once hit a deprecated select_related() in simple-history.
    enterprise = Enterprise.objects.create(name="连云港药业")
    client.force_login(alice)

    sector = history_page(client, f"/admin/members/sector/{zhao_li.sector_id}/history/")
    company = history_page(client, f"/admin/members/enterprise/{enterprise.pk}/history/")

    assert (sector, company) == ([("+", None)], [("+", None)])
