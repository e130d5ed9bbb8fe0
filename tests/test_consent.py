"""Consent to public listing is the member's own: a staff form or an import records it only as a
deliberate change, never by saving again what an old form or an old export said.

- the admin: a change form opened before the member withdrew is refused (portal/concurrency.py),
  a revert never brings old consent back, and staff change it only by ticking or unticking it;
- the import: 同意公开 is read only with 同意公开签字日期, the day the member signed a paper form,
  later than their last change; an export re-imported leaves consent as it is.
"""

import datetime

import pytest
from django.test import Client
from django.utils import formats, timezone, translation

from members.models import Member
from members.resources import MemberResource
from tests.factories import UserFactory
from tests.pages import messages_of
from tests.spreadsheets import (
    CSV,
    MEMBER_HEADERS,
    XLSX,
    csv_bytes,
    export,
    import_file,
    invalid_rows,
    outcome_texts,
    preview,
)
from tests.test_permission_matrix import BrowserForm

MEMBERS = "/admin/members/member/"


@pytest.fixture
def zhao_login(zhao_li):
    zhao_li.user = UserFactory(username="zhaoli", is_staff=False)
    zhao_li.save()
    return zhao_li.user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def opened(client, url, form_id="member_form") -> dict:
    """The form at ``url``, opened now, as the browser sends it back."""
    return BrowserForm(client.get(url).content.decode(), form_id).data


def listable(member) -> bool:
    return Member.objects.listable().filter(pk=member.pk).exists()


def consent_changed_on(member, day: datetime.date):
    """Set when the member's consent last changed, as if they changed it on ``day``."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Member.objects.filter(pk=member.pk).update(consent_changed_at=moment)
    member.refresh_from_db()


# The admin


def test_member_withdrawal_after_staff_opened_the_form_is_not_undone_by_its_save(
    alice, zhao_login, zhao_li
):
    staff, member = logged_in(alice), logged_in(zhao_login)
    url = f"{MEMBERS}{zhao_li.pk}/change/"
    form = opened(staff, url)  # 同意公开 ticked, as it is when she opens it
    member.post("/me/consent/", {"consent": "withdraw"})

    response = staff.post(url, {**form, "workplace": "连云港市第一人民医院"}, follow=True)

    withdrawal = zhao_li.history.order_by("history_id").last()
    with translation.override("zh-hans"):
        when = formats.date_format(timezone.localtime(withdrawal.history_date), "DATETIME_FORMAT")
    zhao_li.refresh_from_db()
    assert (zhao_li.listing_consent, zhao_li.workplace) == (False, "连云港市第四人民医院")
    assert listable(zhao_li) is False
    assert messages_of(response) == [
        f"未保存：您打开表单后，此社员已被修改。zhaoli于{when}修改了：同意公开列名。 "
        "原因：社员本人更改公开意愿。 表单现在显示的是最新内容：请重新修改。"
    ]
    assert response.context["adminform"].form["listing_consent"].value() is False


def test_member_form_opened_after_the_withdrawal_saves_and_keeps_it(alice, zhao_login, zhao_li):
    staff, member = logged_in(alice), logged_in(zhao_login)
    url = f"{MEMBERS}{zhao_li.pk}/change/"
    member.post("/me/consent/", {"consent": "withdraw"})
    form = opened(staff, url)

    response = staff.post(url, {**form, "workplace": "连云港市第一人民医院"})

    zhao_li.refresh_from_db()
    assert response.status_code == 302
    assert (zhao_li.listing_consent, zhao_li.workplace) == (False, "连云港市第一人民医院")


def test_member_consent_ticked_by_staff_on_a_fresh_form_is_given(client, alice, zhao_li):
    zhao_li.listing_consent = False
    zhao_li.save()
    consent_changed_on(zhao_li, datetime.date(2020, 3, 1))
    client.force_login(alice)
    url = f"{MEMBERS}{zhao_li.pk}/change/"

    client.post(url, {**opened(client, url), "listing_consent": "on"})

    zhao_li.refresh_from_db()
    assert zhao_li.listing_consent is True
    assert zhao_li.consent_changed_at.date() > datetime.date(2020, 3, 1)


def test_member_revert_to_a_version_before_the_withdrawal_keeps_it_withdrawn(
    alice, zhao_login, zhao_li
):
    zhao_li.position = "主任"
    zhao_li.save()
    before = zhao_li.history.order_by("history_id").last()  # consenting, 主任
    zhao_li.position = "副主任"
    zhao_li.save()
    logged_in(zhao_login).post("/me/consent/", {"consent": "withdraw"})
    staff = logged_in(alice)
    url = f"{MEMBERS}{zhao_li.pk}/history/{before.history_id}/"
    form = opened(staff, url, "historicalmember_form")

    response = staff.post(url, form)

    zhao_li.refresh_from_db()
    assert form.get("listing_consent") is None  # shown unticked: as it is now, not as it was
    assert response.status_code == 302
    assert (zhao_li.position, zhao_li.listing_consent) == ("主任", False)
    assert listable(zhao_li) is False


# The import


def row(member, consent="是", signed_on=""):
    """A member import row for ``member`` as on file, with the consent columns given."""
    return [
        member.name,
        member.number,
        "女",
        member.branch.name,
        member.sector.name,
        member.workplace,
        member.position,
        member.phone,
        member.email,
        "",
        "在册",
        consent,
        signed_on,
    ]


@pytest.mark.parametrize("file_format", [CSV, XLSX], ids=["csv", "xlsx"])
def test_member_export_reimported_after_a_withdrawal_keeps_it(
    client, alice, zhao_login, zhao_li, file_format
):
    client.force_login(alice)
    exported = export(client, MEMBERS, MemberResource, file_format).content  # 同意公开: 是
    logged_in(zhao_login).post("/me/consent/", {"consent": "withdraw"})

    response = import_file(
        client, MEMBERS, exported, "会员.xlsx" if file_format == XLSX else "会员.csv"
    )

    zhao_li.refresh_from_db()
    assert outcome_texts(client, response) == [
        "导入成功，新增0条记录，更新0条记录，删除0条记录，忽略1条记录。"
    ]
    assert zhao_li.listing_consent is False
    assert listable(zhao_li) is False


@pytest.mark.parametrize(("consent", "written"), [("是", "否"), ("否", "是")])
def test_member_import_without_a_signing_date_leaves_consent_as_on_file(
    client, alice, zhao_li, consent, written
):
    zhao_li.listing_consent = consent == "是"
    zhao_li.save()
    client.force_login(alice)

    import_file(client, MEMBERS, csv_bytes(MEMBER_HEADERS, [row(zhao_li, written)]))

    zhao_li.refresh_from_db()
    assert zhao_li.listing_consent is (consent == "是")


@pytest.mark.parametrize(("before", "signed", "after"), [(True, "否", False), (False, "是", True)])
def test_member_import_with_a_form_signed_after_the_last_change_records_it(
    client, alice, zhao_li, before, signed, after
):
    zhao_li.listing_consent = before
    zhao_li.save()
    consent_changed_on(zhao_li, datetime.date(2020, 3, 1))
    client.force_login(alice)

    response = import_file(
        client, MEMBERS, csv_bytes(MEMBER_HEADERS, [row(zhao_li, signed, "2020/3/2")])
    )

    zhao_li.refresh_from_db()
    latest = zhao_li.history.order_by("history_id").last()
    assert outcome_texts(client, response) == [
        "导入成功，新增0条记录，更新1条记录，删除0条记录，忽略0条记录。"
    ]
    assert (zhao_li.listing_consent, listable(zhao_li)) == (after, after)
    assert zhao_li.consent_changed_at.date() > datetime.date(2020, 3, 1)
    assert (latest.history_user, latest.history_change_reason) == (
        alice,
        "依据社员于2020年3月2日签字的同意书",
    )


@pytest.mark.parametrize(
    ("signed_on", "signed"),
    [("2020/3/10", "2020年3月10日"), ("2020-02-01", "2020年2月1日")],
    ids=["same day", "before"],
)
def test_member_import_with_a_form_signed_before_the_last_change_is_refused(
    client, alice, zhao_li, signed_on, signed
):
    zhao_li.listing_consent = False
    zhao_li.save()
    consent_changed_on(zhao_li, datetime.date(2020, 3, 10))
    client.force_login(alice)

    response = preview(client, MEMBERS, csv_bytes(MEMBER_HEADERS, [row(zhao_li, "是", signed_on)]))

    zhao_li.refresh_from_db()
    assert invalid_rows(response) == [
        (
            2,
            {
                "同意公开签字日期": [
                    "赵丽的公开意愿已于2020年3月10日更改，不早于这份同意书的签字日期"
                    f"（{signed}），因此保持不变。请向本人确认，或将签字日期留空以保留现有的"
                    "公开意愿。"
                ]
            },
        )
    ]
    assert "confirm_form" not in response.context
    assert zhao_li.listing_consent is False


NEW_MEMBER = ["王芳", "", "女", "医院支社", "", "", "", "13812345678", "", "", "在册"]


def test_member_import_new_member_is_listed_only_with_a_signing_date(client, alice, hospital):
    client.force_login(alice)
    undated = csv_bytes(MEMBER_HEADERS, [[*NEW_MEMBER, "是", ""]])
    dated = csv_bytes(MEMBER_HEADERS, [[*NEW_MEMBER, "是", "2020/2/5"]])

    refused = preview(client, MEMBERS, undated)
    imported = import_file(client, MEMBERS, dated)

    assert invalid_rows(refused) == [
        (2, {"同意公开": ["新社员只有本人签字同意才会公开：请在同意公开签字日期中填写签字日期。"]})
    ]
    assert outcome_texts(client, imported) == [
        "导入成功，新增1条记录，更新0条记录，删除0条记录，忽略0条记录。"
    ]
    assert listable(Member.objects.get(name="王芳")) is True


@pytest.mark.parametrize(
    ("consent", "signed_on", "column", "message"),
    [
        ("", "2020/2/5", "同意公开", "请填写是或否：社员在该日期签字表达的意愿。"),
        ("否", "2999/1/1", "同意公开签字日期", "这个日期在将来。"),
        (
            "否",
            "2020年13月1日",
            "同意公开签字日期",
            "请按“年-月-日”填写日期，例如 2020-02-05（也可写 2020/2/5 或 2020年2月5日）。",
        ),
    ],
    ids=["no consent", "future", "no date"],
)
def test_member_import_bad_consent_cells_name_their_column(
    client, alice, hospital, consent, signed_on, column, message
):
    client.force_login(alice)

    response = preview(
        client, MEMBERS, csv_bytes(MEMBER_HEADERS, [[*NEW_MEMBER, consent, signed_on]])
    )

    assert invalid_rows(response) == [(2, {column: [message]})]
    assert Member.objects.count() == 0


def test_member_import_template_and_export_have_the_signing_date_column_blank(
    client, alice, zhao_li
):
    client.force_login(alice)

    exported = export(client, MEMBERS, MemberResource, CSV).content.decode("utf-8-sig")

    header, line = exported.splitlines()
    assert header.split(",")[-2:] == ["同意公开", "同意公开签字日期"]
    assert line.split(",")[-2:] == ["是", ""]
