"""A member's own data (PIPL arts. 44–46): the copy of everything the portal holds about them, as
JSON and XLSX, and their requests to correct it, answered by the staff of their branch."""

import datetime
import io
import json

import openpyxl
import pytest
from django.apps import apps

from campaigns.models import GoodsLine
from honours.models import CareVisit, Citation
from members import data
from members.models import CorrectionRequest, Enterprise
from suggestions.models import Forwarding
from tests.factories import (
    AssignmentFactory,
    BloodDonationFactory,
    DonationFactory,
    HigherBodyFactory,
    PostingSignupFactory,
    SuggestionFactory,
    UserFactory,
)
from tests.pages import messages_of, text
from tests.test_scoping import version

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def zhao_login(zhao_li):
    zhao_li.user = UserFactory(username="zhaoli", is_staff=False)
    zhao_li.save()
    return zhao_li.user


@pytest.fixture
def her_records(zhao_li, outsider, group_member):
    """One record of every kind about 赵丽, and others' records beside them."""
    donation = DonationFactory(member=zhao_li, amount="321.00", receipt_no="R-321")
    goods = DonationFactory(member=zhao_li, form="goods", amount=None, receipt_no="R-GOODS")
    GoodsLine.objects.create(donation=goods, item="口罩", quantity=100, unit="只")
    BloodDonationFactory(member=zhao_li, station="赵丽的血站", volume_ml=300)
    AssignmentFactory(member=zhao_li, posting__place="朝阳社区")
    PostingSignupFactory(member=zhao_li, posting__place="新浦车站")
    suggestion = SuggestionFactory(
        title="我的建议", text="建议全文。", branch=zhao_li.branch, authors=[zhao_li, group_member]
    )
    Forwarding.objects.create(
        suggestion=suggestion,
        body=HigherBodyFactory(name="九三学社江苏省委"),
        forwarded_on=datetime.date(2020, 2, 10),
    )
    Citation.objects.create(kind="front_line", member=zhao_li, title="抗疫一线", unit="四院")
    visit = CareVisit.objects.create(date="2020-02-25", sites="市第四人民医院")
    visit.visited.set([zhao_li, outsider])
    enterprise = Enterprise.objects.create(name="赵丽诊所")
    enterprise.contacts.set([zhao_li])
    CorrectionRequest.objects.create(member=zhao_li, text="我的手机号码有误。")
    zhao_li.listing_consent = False
    zhao_li._change_reason = "社员本人撤回"
    zhao_li.save()
    # Others' records: none of them is hers.
    DonationFactory(member=outsider, amount="999.00", receipt_no="R-OTHER")
    BloodDonationFactory(member=outsider, station="寇晶磊的血站")
    return donation


def download(client, extension):
    response = client.get(f"/me/data.{extension}")
    assert response.status_code == 200
    return response


def test_json_copy_holds_every_kind_of_her_records(client, zhao_login, zhao_li, her_records):
    client.force_login(zhao_login)

    response = download(client, "json")
    copy = json.loads(response.content)
    tables = {table["key"]: table for table in copy["tables"]}

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert copy["member"]["name"] == "赵丽" and copy["member"]["phone"] == "13900001111"
    assert tables["login"]["rows"][0]["username"] == "zhaoli"
    assert sorted(row["receipt_no"] for row in tables["campaigns.donation"]["rows"]) == [
        "R-321",
        "R-GOODS",
    ]
    assert [row["item"] for row in tables["campaigns.goodsline"]["rows"]] == ["口罩"]
    assert [row["station"] for row in tables["campaigns.blooddonation"]["rows"]] == ["赵丽的血站"]
    assert [row["volume_ml"] for row in tables["campaigns.blooddonation"]["rows"]] == [300]
    assert len(tables["campaigns.assignment"]["rows"]) == 1
    assert len(tables["campaigns.postingsignup"]["rows"]) == 1
    assert [row["text"] for row in tables["suggestions.suggestion"]["rows"]] == ["建议全文。"]
    assert [row["body"] for row in tables["suggestions.forwarding"]["rows"]] == ["九三学社江苏省委"]
    assert [row["unit"] for row in tables["honours.citation"]["rows"]] == ["四院"]
    assert [row["visited"] for row in tables["honours.carevisit"]["rows"]] == [True]
    assert [row["name"] for row in tables["members.enterprise"]["rows"]] == ["赵丽诊所"]
    assert [row["text"] for row in tables["members.correctionrequest"]["rows"]] == [
        "我的手机号码有误。"
    ]
    # Her consent: given when she was added (the factory), withdrawn since, with the reason.
    assert [(row["consent"], row["reason"]) for row in tables["consent"]["rows"]] == [
        (True, ""),
        (False, "社员本人撤回"),
    ]


def test_copy_names_no_one_else(client, zhao_login, her_records, outsider, group_member):
    client.force_login(zhao_login)

    copies = [download(client, "json").content.decode(), xlsx_text(download(client, "xlsx"))]

    for copy in copies:
        # A care visit says she was visited, not who else was; a co-author is not named.
        for other in [outsider.name, outsider.phone, "R-OTHER", "寇晶磊的血站", group_member.name]:
            assert other not in copy


def xlsx_text(response) -> str:
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    book.close()
    return "\n".join(cells)


def test_xlsx_copy_has_a_sheet_per_table_with_labelled_columns(client, zhao_login, her_records):
    client.force_login(zhao_login)

    response = download(client, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    assert response["Content-Type"] == XLSX_TYPE
    assert book.sheetnames[:4] == ["社员", "登录账号", "名册变更记录", "公开列名授权"]
    blood = book["献血记录"]
    header = [cell.value for cell in blood[1]]
    row = dict(zip(header, [cell.value for cell in blood[2]], strict=True))
    assert (row["血站"], row["献血量（毫升）"], row["成分"]) == ("赵丽的血站", 300, "全血")


def test_every_model_about_members_is_in_the_copy(client, zhao_login):
    """A model any app adds with a link to members is in the copy without a change here."""
    linked = {
        model._meta.label_lower
        for model in apps.get_models()
        if not model._meta.auto_created
        and not model._meta.proxy
        and not model.__name__.startswith("Historical")
        and model._meta.label_lower != "members.member"
        and any(
            f.is_relation and f.related_model._meta.label_lower == "members.member"
            for f in model._meta.get_fields()
            if not f.auto_created
        )
    }
    client.force_login(zhao_login)

    keys = {table["key"] for table in json.loads(download(client, "json").content)["tables"]}

    assert linked <= keys
    assert linked == {model._meta.label_lower for model in data.record_models()}


def test_copy_is_hers_only_and_needs_her_login(client, alice):
    anonymous = client.get("/me/data.json")
    client.force_login(alice)  # a staff login, not a member's

    assert anonymous.status_code == 302
    assert client.get("/me/data.xlsx").status_code == 403


def test_me_offers_the_copy_and_a_correction(client, zhao_login):
    client.force_login(zhao_login)

    content = client.get("/me/").content.decode()

    assert 'href="/me/data.xlsx" download' in content
    assert 'href="/me/data.json" download' in content
    assert 'action="/me/corrections/"' in content


# Corrections


def test_member_asks_for_a_correction_and_reads_the_answer(client, zhao_login, zhao_li, bob):
    client.force_login(zhao_login)
    asked = client.post("/me/corrections/", {"text": "工作单位应为市第一人民医院。"}, follow=True)
    request = CorrectionRequest.objects.get()
    client.force_login(bob)
    url = f"/admin/members/correctionrequest/{request.pk}/change/"
    client.post(
        url,
        {"state": "corrected", "answer": "已更正。", **version(request)},
    )
    client.force_login(zhao_login)

    page = text(client.get("/me/"))

    assert messages_of(asked) == ["谢谢，所在组织的工作人员会在这里答复您的申请。"]
    assert (request.member, request.state) == (zhao_li, "open")
    request.refresh_from_db()
    assert (request.state, request.answered_by) == ("corrected", bob)
    assert "已更正 工作单位应为市第一人民医院。" in page
    assert "答复： 已更正。" in page


def test_empty_correction_request_is_refused_with_a_message(client, zhao_login):
    client.force_login(zhao_login)

    response = client.post("/me/corrections/", {"text": "  "}, follow=True)

    assert messages_of(response) == ["请写明需要更正的内容。"]
    assert CorrectionRequest.objects.count() == 0


def test_request_answered_needs_words(client, alice, zhao_li):
    request = CorrectionRequest.objects.create(member=zhao_li, text="电话有误")
    client.force_login(alice)
    url = f"/admin/members/correctionrequest/{request.pk}/change/"

    response = client.post(url, {"state": "declined", "answer": "", **version(request)})

    assert response.context["adminform"].form.errors == {
        "answer": ["请在答复中说明更正了什么，或为何不予更正。"]
    }


def test_clerk_sees_the_requests_of_his_branch_only(client, bob, zhao_li, outsider):
    CorrectionRequest.objects.create(member=zhao_li, text="赵丽的申请")
    CorrectionRequest.objects.create(member=outsider, text="寇晶磊的申请")
    client.force_login(bob)

    content = client.get("/admin/members/correctionrequest/").content.decode()

    assert "赵丽" in content and "寇晶磊" not in content


def test_xlsx_copy_says_not_given_for_no_gender(client, zhao_login, zhao_li):
    zhao_li.gender = ""
    zhao_li.save()
    client.force_login(zhao_login)

    book = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx").content))
    sheet = book["社员"]
    row = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))

    assert row["性别"] == "未填"
