"""The admin's member form must not tell a clerk that a person is on file in another branch
(issue 13, 11d): the register's name + phone and member number are unique across every branch,
so a clerk who types those of 寇晶磊 (海州支社) is refused, with the same neutral message as for
any clash, naming whom to ask. Committee staff, who see every branch, keep the precise one."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from members.models import Member
from tests.pages import text
from tests.test_scoping import member_form

pytestmark = pytest.mark.django_db

MEMBERS = "/admin/members/member/"
CANNOT_ADD = "不能在此添加或修改该社员，请联系社市委机关工作人员。"


def zh(message):
    with translation.override("zh-hans"):
        return gettext(message)


PRECISE = [
    zh("A member with this name and phone is already on file."),
    zh("Another member already has this member number."),
]


@pytest.fixture
def numbered(zhao_li, outsider):
    outsider.number = "HZ1"
    outsider.save()
    zhao_li.number = "YY1"
    zhao_li.save()


def form_errors(response):
    return response.context["adminform"].form.errors


def assert_tells_nothing_of_haizhou(response):
    page = text(response)
    assert "海州支社" not in page
    assert "寇晶磊" not in page
    assert not any(message in page for message in PRECISE)


def test_member_add_by_a_clerk_with_another_branchs_name_and_phone_is_refused_neutrally(
    client, bob, hospital, outsider
):
    client.force_login(bob)

    response = client.post(
        f"{MEMBERS}add/", member_form(name="寇晶磊", phone="13900003333", branch=hospital.pk)
    )

    assert form_errors(response) == {"__all__": [CANNOT_ADD]}
    assert_tells_nothing_of_haizhou(response)
    assert Member.objects.filter(name="寇晶磊").count() == 1


@pytest.mark.parametrize("number", ["HZ1", "YY1"], ids=["other-branch", "own-branch"])
def test_member_add_by_a_clerk_with_a_number_on_file_says_the_same_wherever_its_member_is(
    client, bob, hospital, numbered, number
):
    client.force_login(bob)

    response = client.post(
        f"{MEMBERS}add/", member_form(name="王芳", number=number, branch=hospital.pk)
    )

    assert form_errors(response) == {"__all__": [CANNOT_ADD]}
    assert_tells_nothing_of_haizhou(response)
    assert Member.objects.filter(name="王芳").exists() is False


def test_member_change_by_a_clerk_to_another_branchs_number_is_refused_neutrally(
    client, bob, zhao_li, numbered
):
    client.force_login(bob)

    response = client.post(f"{MEMBERS}{zhao_li.pk}/change/", member_form(zhao_li, number="HZ1"))

    assert form_errors(response) == {"__all__": [CANNOT_ADD]}
    assert_tells_nothing_of_haizhou(response)
    zhao_li.refresh_from_db()
    assert zhao_li.number == "YY1"


def test_member_add_by_a_clerk_keeps_other_errors_beside_the_neutral_one(
    client, bob, hospital, outsider
):
    client.force_login(bob)

    response = client.post(
        f"{MEMBERS}add/",
        member_form(name="寇晶磊", phone="13900003333", branch=hospital.pk, email="not-an-email"),
    )

    assert form_errors(response) == {
        "email": ["输入一个有效的 Email 地址。"],
        "__all__": [CANNOT_ADD],
    }


def test_member_add_by_committee_staff_keeps_the_precise_clash_messages(
    client, alice, hospital, numbered
):
    client.force_login(alice)

    response = client.post(
        f"{MEMBERS}add/",
        member_form(name="寇晶磊", phone="13900003333", number="HZ1", branch=hospital.pk),
    )

    assert form_errors(response) == {"__all__": PRECISE}


def test_member_add_by_a_clerk_in_english_names_the_committee_staff(
    client, bob, hospital, outsider
):
    client.cookies["django_language"] = "en"
    client.force_login(bob)

    response = client.post(
        f"{MEMBERS}add/", member_form(name="寇晶磊", phone="13900003333", branch=hospital.pk)
    )

    assert form_errors(response) == {
        "__all__": [
            "This member cannot be added or changed here: please ask the committee staff "
            "(社市委机关工作人员)."
        ]
    }


def test_member_revert_by_a_clerk_to_a_number_now_another_branchs_is_refused_neutrally(
    client, bob, zhao_li, outsider
):
    zhao_li.number = "HZ1"
    zhao_li.save()
    old = zhao_li.history.latest()
    zhao_li.number = "YY1"
    zhao_li.save()
    outsider.number = "HZ1"
    outsider.save()
    client.force_login(bob)

    response = client.post(
        f"{MEMBERS}{zhao_li.pk}/history/{old.history_id}/", member_form(zhao_li, number="HZ1")
    )

    assert form_errors(response) == {"__all__": [CANNOT_ADD]}
    assert_tells_nothing_of_haizhou(response)
    zhao_li.refresh_from_db()
    assert zhao_li.number == "YY1"


def test_member_add_without_gender_saves_the_member_without_one(client, alice, hospital):
    client.force_login(alice)

    response = client.post(
        f"{MEMBERS}add/",
        member_form(name="王芳", gender="", phone="13900004444", branch=hospital.pk),
    )
    member = Member.objects.get(name="王芳")
    change = client.get(f"{MEMBERS}{member.pk}/change/")

    assert (response.status_code, member.gender, member.get_gender_display()) == (302, "", "未填")
    selected = change.context["adminform"].form["gender"]
    assert (selected.value(), [str(label) for _value, label in selected.field.choices]) == (
        "",
        ["未填", "女", "男"],
    )
