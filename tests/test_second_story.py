"""A second story (issue 16): 2023, the flood relief of 九三学社宜江市委 (an invented committee
in an invented city), built from an empty register through the admin only: its add forms with
their inlines, its spreadsheet imports (real CSV and XLSX bytes made here) and its actions. The
only write of the ORM is the first login. Then every figure the story gives is read back, exactly,
from every public page and from the four formats of the leadership report, and no name of a
member who did not consent, and no phone, is on a public page or a share card.

One test function builds the story and asserts in sections: building it once keeps it fast.
"""

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from PIL import Image

from campaigns.models import Campaign, Recipient
from members.models import Branch, Enterprise, Member, User
from portal.models import PendingImport
from suggestions.models import HigherBody, Suggestion, SuggestionCall
from tests.pages import shows, text
from tests.spreadsheets import (
    DONATION_HEADERS,
    MEMBER_HEADERS,
    confirm,
    csv_bytes,
    job_page,
    preview,
    xlsx_bytes,
)
from tests.test_privacy_crawler import crawl, public_link

pytestmark = pytest.mark.django_db

# --- The story's own words: a volunteer drive's duties and a call's topics are words staff set
# (campaigns and calls), gender a word of the member import.
GENDER_COLUMN = "性别"  # the member import's gender column, and its two words
FEMALE, MALE = "女", "男"
CAMPAIGN_DUTIES = "巡堤查险、宣传引导、物资分发、重点人群服务"  # as typed in the campaign's form
DUTIES = {"embankment": ["巡堤查险", "宣传引导"], "shelter": ["物资分发", "重点人群服务"]}
CALL_TOPICS = "防汛救灾、医疗卫生、灾后重建、科教文卫、民生保障"  # as typed in the call's form
TOPICS = {  # the suggestion import's 主题 words, and the admin form's topic values
    "governance": "防汛救灾",
    "health": "医疗卫生",
    "economy": "灾后重建",
    "science": "科教文卫",
    "livelihood": "民生保障",
}
# ... and as the public pages show them.
DUTY_WORDS = {"embankment": "巡堤查险、宣传引导", "shelter": "物资分发、重点人群服务"}
TOPIC_WORDS = {"science": "科教文卫", "health": "医疗卫生"}
# ---

MEMBERS = "/admin/members/member/"
DONATIONS = "/admin/campaigns/donation/"
BLOOD = "/admin/campaigns/blooddonation/"
ASSIGNMENTS = "/admin/campaigns/assignment/"
SUGGESTIONS = "/admin/suggestions/suggestion/"
PERSON_HEADERS = ["记录编号", "姓名", "手机", "社员编号"]
BLOOD_HEADERS = [*PERSON_HEADERS, "活动", "日期", "血站", "献血量（ml）", "成分", "状态"]
ASSIGNMENT_HEADERS = [
    *PERSON_HEADERS,
    *["活动", "地点", "开始日期", "结束日期", "服务天数", "服务时长（小时）", "已确认"],
]
SUGGESTION_HEADERS = [
    *["记录编号", "标题", "内容", "主题", "征集活动", "所属组织", "集体建议", "作者"],
    *["收到日期", "公开"],
]

COMMITTEE = "九三学社宜江市委"
HOSPITAL = "市中心医院支社"
GRASSROOTS = "沿江区基层委员会"
SCHOOLS = "沿江区教育支社"
ECONOMY = "科技经济支社"
WATER = "水利环保支社"
# (name, kind, parent)
BRANCHES = [
    (COMMITTEE, "committee", None),
    (HOSPITAL, "branch", COMMITTEE),
    (GRASSROOTS, "grassroots_committee", COMMITTEE),
    (SCHOOLS, "branch", GRASSROOTS),
    (ECONOMY, "branch", COMMITTEE),
    (WATER, "branch", COMMITTEE),
]
SECTORS = ["医药卫生界", "教育界", "经济界", "科技界"]
CONSENT_SIGNED = "2023-06-01"
# (name, number, gender, branch, sector, workplace, consents); phone 1377001 + the number's digits.
MEMBERS_ON_FILE = [
    ("林海涛", "YJ001", MALE, HOSPITAL, "医药卫生界", "宜江市中心医院", True),
    ("方慧", "YJ002", FEMALE, HOSPITAL, "医药卫生界", "宜江市中心医院", True),
    ("唐志远", "YJ003", MALE, HOSPITAL, "医药卫生界", "宜江市中心医院", True),
    ("邵静怡", "YJ004", FEMALE, HOSPITAL, "医药卫生界", "宜江市中心医院", False),
    ("钟晓峰", "YJ005", MALE, HOSPITAL, "医药卫生界", "宜江市中心医院", True),
    ("罗文娟", "YJ006", FEMALE, SCHOOLS, "教育界", "沿江区第一中学", True),
    ("谢明辉", "YJ007", MALE, SCHOOLS, "教育界", "沿江区第一中学", True),
    ("曹雨欣", "YJ008", FEMALE, SCHOOLS, "教育界", "沿江区实验小学", True),
    ("龚立新", "YJ009", MALE, SCHOOLS, "教育界", "沿江区实验小学", False),
    ("彭立军", "YJ010", MALE, ECONOMY, "经济界", "宜江长青建材有限公司", True),
    ("蒋丽萍", "YJ011", FEMALE, ECONOMY, "经济界", "宜江市统计局", True),
    ("许家豪", "YJ012", MALE, ECONOMY, "经济界", "宜江绿源农业发展有限公司", True),
    ("魏思远", "YJ013", MALE, ECONOMY, "科技界", "宜江软件园", True),
    ("沈嘉禾", "YJ014", FEMALE, WATER, "科技界", "宜江市水利局", True),
    ("葛慧敏", "YJ015", FEMALE, WATER, "科技界", "宜江市环境监测站", False),
    ("范志刚", "YJ016", MALE, WATER, "科技界", "宜江市水文站", True),
    ("汪晓燕", "YJ017", FEMALE, GRASSROOTS, "教育界", "沿江区街道办事处", True),
    ("潘国栋", "YJ018", MALE, GRASSROOTS, "经济界", "沿江区江滨社区", True),
    ("苏静", "YJ019", FEMALE, COMMITTEE, "教育界", "九三学社宜江市委", True),
    ("廖建华", "YJ020", MALE, COMMITTEE, "科技界", "宜江市气象局", False),
]
NOT_CONSENTING = ["邵静怡", "龚立新", "葛慧敏", "廖建华"]


def phone(number: str) -> str:
    return "1377001" + number[2:].rjust(4, "0")


PHONES = [phone(number) for _, number, *_ in MEMBERS_ON_FILE]

RED_CROSS = "宜江市红十字会"
COMMUNITY = "沿江区受灾社区"
CHARITY = "宜江市慈善总会"
BUILDER = "宜江长青建材有限公司"
FARM = "宜江绿源农业发展有限公司"
DRIVE = "驰援洪灾 共渡难关"
BLOOD_DRIVE = "热血援汛 无偿献血"
POSTINGS = "防汛下沉 守护家园"
PROVINCE = "九三学社江汉省委"
UNITED_FRONT = "中共宜江市委统战部"
CALL = "防汛救灾献一策"


# --- The admin, driven as a browser would.


def form_errors(response) -> dict:
    """What an add form that was refused says, for the assertion's message."""
    context = response.context
    if context is None or "adminform" not in context:
        return {"status": response.status_code}
    errors = {"form": context["adminform"].form.errors}
    for inline in context["inline_admin_formsets"]:
        errors[inline.formset.prefix] = [inline.formset.non_form_errors(), *inline.formset.errors]
    return errors


def add(client, url, fields, inlines=None, query=""):
    """Post the admin's add form at ``url`` as the page gives it (its hidden fields, its inlines'
    management forms) with ``fields`` and ``inlines`` ({prefix: [row fields]}) filled in."""
    page = client.get(f"{url}add/{query}")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: form[name].value() for name, field in form.fields.items() if field.widget.is_hidden
    }
    rows_by_prefix = inlines or {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management.add_prefix(name): management[name].value() for name in management.fields}
        )
        rows = rows_by_prefix.get(formset.prefix, [])
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            data.update({f"{formset.prefix}-{i}-{name}": value for name, value in row.items()})
    data.update({name: value for name, value in fields.items() if value is not None})
    response = client.post(f"{url}add/{query}", data)
    assert response.status_code == 302, form_errors(response)
    return response


def imported(client, url, content, file_name):
    """Import ``content`` through the list's import page, its preview and its confirmation."""
    checked = preview(client, url, content, file_name)
    assert checked.status_code == 200
    assert checked.context["job"].state == PendingImport.State.AWAITING, (
        checked.context["job"].message,
        [(row.number, row.error_dict) for row in checked.context["result"].invalid_rows]
        if checked.context.get("result")
        else None,
    )
    done = job_page(client, confirm(client, url, checked))
    assert done.context["job"].state == PendingImport.State.IMPORTED, done.context["job"].message
    return done


def run_action(client, name, suggestions, **fields):
    response = client.post(
        SUGGESTIONS,
        {"action": name, "_selected_action": [s.pk for s in suggestions], **fields},
        follow=True,
    )
    assert response.status_code == 200
    return response


def pk(model, **lookup) -> int:
    return model.objects.get(**lookup).pk


def suggestion(title) -> Suggestion:
    return Suggestion.objects.get(title=title)


# --- The story, built.


def build_register(client):
    for name, kind, parent in BRANCHES:
        add(
            client,
            "/admin/members/branch/",
            {"name": name, "kind": kind, "parent": parent and pk(Branch, name=parent)},
        )
    for name in SECTORS:
        add(client, "/admin/members/sector/", {"name": name})
    rows = [
        [name, number, gender, branch, sector, workplace, "委员", phone(number), "", "2015-05-04"]
        + ["在册", "是" if consents else "", CONSENT_SIGNED if consents else ""]
        for name, number, gender, branch, sector, workplace, consents in MEMBERS_ON_FILE
    ]
    headers = [GENDER_COLUMN if h == "性别" else h for h in MEMBER_HEADERS]
    imported(client, MEMBERS, xlsx_bytes(headers, rows), "宜江社员名册.xlsx")
    for enterprise, contact in [(BUILDER, "彭立军"), (FARM, "许家豪")]:
        add(
            client,
            "/admin/members/enterprise/",
            {"name": enterprise, "contacts": [pk(Member, name=contact)]},
        )
    for name, kind in [(RED_CROSS, "red_cross"), (COMMUNITY, "community"), (CHARITY, "charity")]:
        add(client, "/admin/campaigns/recipient/", {"name": name, "kind": kind})


def campaign_fields(kind, title, slug, starts, ends, **more):
    return {
        "kind": kind,
        "title": title,
        "slug": slug,
        "organiser": pk(Branch, name=COMMITTEE),
        "call_date": starts,
        "starts_on": starts,
        "ends_on": ends,
        "status": "closed",
        "is_public": "on",
        "summary": more.pop("summary"),
        "text": "",
        "take_part": "",
        **more,
    }


def build_campaigns(client):
    add(
        client,
        "/admin/campaigns/campaign/",
        campaign_fields(
            "donation",
            DRIVE,
            "flood-relief-2023",
            "2023-07-10",
            "2023-08-31",
            summary="七月沿江洪水，社市委倡议社员捐款捐物，支援受灾群众。",
            recipients=[pk(Recipient, name=RED_CROSS), pk(Recipient, name=COMMUNITY)],
        ),
        {"goals": [{"metric": "amount", "target": "10000"}, {"metric": "donors", "target": "8"}]},
    )
    add(
        client,
        "/admin/campaigns/campaign/",
        campaign_fields(
            "blood",
            BLOOD_DRIVE,
            "flood-blood-2023",
            "2023-07-15",
            "2023-08-15",
            summary="汛期血液告急，社市委倡议社员到市中心血站无偿献血。",
        ),
        {"goals": [{"metric": "donors", "target": "10"}]},
    )
    add(
        client,
        "/admin/campaigns/campaign/",
        campaign_fields(
            "volunteer",
            POSTINGS,
            "flood-posting-2023",
            "2023-07-12",
            "2023-08-20",
            summary="社员下沉沿江大堤和安置点，巡堤查险、服务受灾群众。",
            duty_words=CAMPAIGN_DUTIES,
        ),
        {"goals": [{"metric": "people_posted", "target": "8"}]},
    )


def donation_row(name, day, form, amount, recipient, **more):
    cells = {
        "姓名": name,
        "社员编号": more.get("number", ""),
        "活动": DRIVE,
        "日期": day,
        "形式": form,
        "金额（元）": amount,
        "受赠方": recipient,
        **more.get("cells", {}),
    }
    return [cells.get(header, "") for header in DONATION_HEADERS]


def build_donations(client):
    rows = [
        donation_row(
            "林海涛", "2023-07-11", "钱款", "1050.50", RED_CROSS, cells={"收据号": "YJHZ-001"}
        ),
        donation_row("方慧", "2023-07-12", "钱款", "2000", RED_CROSS),
        donation_row("唐志远", "2023-07-12", "钱款", "500", RED_CROSS, cells={"匿名": "是"}),
        donation_row("邵静怡", "2023-07-13", "钱款", "800", RED_CROSS),
        donation_row("罗文娟", "2023-07-14", "钱款", "300.25", COMMUNITY),
        donation_row("谢明辉", "2023-07-14", "钱款", "1200", COMMUNITY),
        donation_row("龚立新", "2023-07-16", "钱款", "600", RED_CROSS),
        donation_row("林海涛", "2023-08-01", "钱款", "499.50", RED_CROSS),
        # A pledge, not yet received.
        donation_row("曹雨欣", "2023-08-10", "钱款", "3000", RED_CROSS, cells={"状态": "认捐"}),
        # Given to a body the drive does not collect for: counted apart.
        donation_row("沈嘉禾", "2023-07-18", "钱款", "1000", CHARITY),
        # Facilitated by a member: an enterprise's money.
        donation_row(
            "彭立军",
            "2023-07-15",
            "钱款",
            "50000",
            RED_CROSS,
            cells={"方式": "促成", "企业": BUILDER},
        ),
        # An enterprise's own gift, and an outside donor's.
        donation_row("", "2023-07-17", "钱款", "20000", COMMUNITY, cells={"企业": FARM}),
        donation_row("", "2023-07-19", "钱款", "5000", RED_CROSS, cells={"社外捐赠人": "陈志明"}),
        # Goods facilitated by a member from an outside donor.
        donation_row(
            "许家豪",
            "2023-07-20",
            "物资",
            "",
            COMMUNITY,
            cells={
                "方式": "促成",
                "社外捐赠人": "宜江顺达物流",
                "物品": "冲锋舟",
                "数量": "2",
                "单位": "艘",
                "估值（元）": "36000",
            },
        ),
    ]
    imported(client, DONATIONS, csv_bytes(DONATION_HEADERS, rows), "洪灾捐赠.csv")
    drive = pk(Campaign, slug="flood-relief-2023")
    # A member's money and a member's goods with two lines, through the donation form.
    add(
        client,
        DONATIONS,
        {
            "campaign": drive,
            "date": "2023-07-20",
            "form": "money",
            "amount": "700",
            "state": "received",
            "channel": "direct",
            "member": pk(Member, name="蒋丽萍"),
            "recipient": pk(Recipient, name=RED_CROSS),
        },
    )
    add(
        client,
        DONATIONS,
        {
            "campaign": drive,
            "date": "2023-07-15",
            "form": "goods",
            "state": "received",
            "channel": "direct",
            "member": pk(Member, name="钟晓峰"),
            "recipient": pk(Recipient, name=COMMUNITY),
        },
        {
            "goods": [
                {"item": "矿泉水", "quantity": "200", "unit": "箱", "estimated_value": "6000"},
                {"item": "救生衣", "quantity": "50", "unit": "件", "estimated_value": "4500.50"},
            ]
        },
        query="?form=goods",
    )


# (member, date, ml, component, state), in the order recorded: 林海涛's second donation (platelets)
# comes before the tenth donor's first, so the public step of ten donors counts all eleven.
BLOOD_ROWS = [
    ("林海涛", "2023-07-16", "400", "全血", "已献"),
    ("林海涛", "2023-08-05", "250", "血小板", "已献"),
    ("方慧", "2023-07-16", "300", "全血", "已献"),
    ("唐志远", "2023-07-17", "400", "全血", "已献"),
    ("邵静怡", "2023-07-17", "200", "全血", "已献"),
    ("钟晓峰", "2023-07-18", "400", "全血", "已献"),
    ("谢明辉", "2023-07-20", "300", "全血", "已献"),
    ("彭立军", "2023-07-21", "400", "全血", "已献"),
    ("许家豪", "2023-07-22", "200", "全血", "已献"),
    ("沈嘉禾", "2023-07-24", "300", "全血", "已献"),
    ("葛慧敏", "2023-07-25", "400", "全血", "已献"),
    ("苏静", "2023-08-12", "400", "全血", "认献"),
]


def build_blood(client):
    rows = [
        ["", name, "", "", BLOOD_DRIVE, day, "宜江市中心血站", ml, component, state]
        for name, day, ml, component, state in BLOOD_ROWS
    ]
    imported(client, BLOOD, xlsx_bytes(BLOOD_HEADERS, rows), "汛期献血.xlsx")


def build_postings(client):
    campaign = pk(Campaign, slug="flood-posting-2023")

    def posting(place, kind, district, duties, needed, assignments):
        add(
            client,
            "/admin/campaigns/posting/",
            {
                "campaign": campaign,
                "place": place,
                "place_kind": kind,
                "district": district,
                "duties": duties,
                "starts_on": "2023-07-12",
                "ends_on": "2023-08-20",
                "people_needed": str(needed),
            },
            {"assignments": assignments},
        )

    def assignment(name, starts, ends, days, hours, confirmed):
        row = {
            "member": pk(Member, name=name),
            "starts_on": starts,
            "ends_on": ends,
            "days_served": days,
            "hours_logged": hours,
        }
        return row | ({"confirmed": "on"} if confirmed else {})

    posting(
        "沿江大堤巡查点",
        "street",
        "沿江区",
        DUTIES["embankment"],
        4,
        [
            assignment("罗文娟", "2023-07-12", "2023-07-21", "10", "80", True),
            assignment("汪晓燕", "2023-07-12", "2023-07-16", "5", "40", True),
            assignment("龚立新", "2023-07-13", "2023-07-17", "5", "36.5", False),
        ],
    )
    posting("江滨社区安置点", "community", "沿江区", DUTIES["shelter"], 3, [])
    posting("城东转移安置点", "town", "城东区", DUTIES["shelter"], 2, [])
    rows = [
        [
            "",
            "潘国栋",
            "",
            "",
            POSTINGS,
            "江滨社区安置点",
            "2023-07-14",
            "2023-07-23",
            "10",
            "75.5",
            "是",
        ],
        [
            "",
            "魏思远",
            "",
            "",
            POSTINGS,
            "江滨社区安置点",
            "2023-07-20",
            "2023-07-24",
            "5",
            "40",
            "否",
        ],
        [
            "",
            "范志刚",
            "",
            "",
            POSTINGS,
            "江滨社区安置点",
            "2023-07-15",
            "2023-07-19",
            "4",
            "30",
            "是",
        ],
        [
            "",
            "廖建华",
            "",
            "",
            POSTINGS,
            "城东转移安置点",
            "2023-07-25",
            "2023-07-27",
            "3",
            "24",
            "是",
        ],
    ]
    imported(client, ASSIGNMENTS, csv_bytes(ASSIGNMENT_HEADERS, rows), "下沉名单.csv")


S1 = "关于加固沿江堤防的建议"
S2 = "关于完善灾后防疫工作的建议"
S3 = "关于受灾中小企业纾困的建议"
S4 = "关于安置点学生复课的建议"
S5 = "关于灾后心理援助的建议"
S6 = "关于防汛物资储备的建议"
S7 = "关于建立洪水预警信息共享平台的建议"


def build_suggestions(client):
    for name in [PROVINCE, UNITED_FRONT]:
        add(client, "/admin/suggestions/higherbody/", {"name": name})
    add(
        client,
        "/admin/suggestions/suggestioncall/",
        {
            "title": CALL,
            "organiser": COMMITTEE,
            "opens_on": "2023-07-10",
            "closes_on": "2023-08-31",
            "description": "",
            "topic_words": CALL_TOPICS,
        },
    )
    # (title, topic, branch, by the branch, authors, received, public)
    rows = [
        (S1, "governance", WATER, "", "沈嘉禾、葛慧敏", "2023-07-20", "是"),
        (S2, "health", HOSPITAL, "", "方慧", "2023-07-22", "是"),
        (S3, "economy", ECONOMY, "", "彭立军", "2023-07-25", "是"),
        (S4, "science", SCHOOLS, "是", "", "2023-07-28", "否"),
        (S5, "health", HOSPITAL, "", "邵静怡", "2023-07-30", "是"),
        (S6, "livelihood", GRASSROOTS, "", "汪晓燕", "2023-08-02", "否"),
    ]
    content = csv_bytes(
        SUGGESTION_HEADERS,
        [
            [
                "",
                title,
                f"{title}的正文。",
                TOPICS[topic],
                CALL,
                branch,
                collective,
                authors,
                day,
                public,
            ]
            for title, topic, branch, collective, authors, day, public in rows
        ],
    )
    imported(client, SUGGESTIONS, content, "纸质建议.csv")
    add(
        client,
        SUGGESTIONS,
        {
            "title": S7,
            "topic": TOPICS["science"],
            "call": pk(SuggestionCall, title=CALL),
            "text": "建立水文、气象和社区之间的洪水预警信息共享平台。",
            "branch": pk(Branch, name=ECONOMY),
            "authors": [pk(Member, name="许家豪")],
            "received_on": "2023-08-03",
            "source": "staff",
            "is_public": "on",
            "public_summary": "建议建立洪水预警信息共享平台。",
        },
    )
    province, united_front = pk(HigherBody, name=PROVINCE), pk(HigherBody, name=UNITED_FRONT)
    reviewed = [suggestion(title) for title in (S1, S2, S3, S5, S7)]
    run_action(client, "start_review", reviewed)
    to_province = [suggestion(title) for title in (S1, S2, S3, S7)]
    to_united_front = [suggestion(title) for title in (S1, S3, S5)]
    for chosen, body, day in [
        (to_province, province, "2023-08-05"),
        (to_united_front, united_front, "2023-08-06"),
    ]:
        run_action(client, "forward", chosen, apply="1", body=body, forwarded_on=day)
    for titles, body, adopted in [
        ((S1, S2), province, "yes"),
        ((S3,), province, "no"),
        ((S1, S5), united_front, "yes"),
    ]:
        run_action(
            client,
            "record_answer",
            [suggestion(title) for title in titles],
            apply="1",
            body=body,
            adopted=adopted,
            feedback="",
        )


def build_honours(client):
    drive = pk(Campaign, slug="flood-relief-2023")
    # (kind, member, enterprise, title, unit, role, text, medium, date)
    citations = [
        ("front_line", "林海涛", None, "抗洪医疗队队长", "宜江市中心医院", "急诊科主任")
        + ("带领医疗队在沿江安置点连续巡诊十二天。", "", "2023-07-14"),
        ("front_line", "邵静怡", None, "安置点防疫", "宜江市中心医院", "护士长")
        + ("在江滨社区安置点负责消杀和防疫。", "", "2023-07-18"),
        ("artwork", "罗文娟", None, "众志成城 抗洪救灾", "沿江区第一中学", "美术教师")
        + ("", "国画", "2023-08-08"),
        ("enterprise", None, BUILDER, "捐建临时安置板房", "", "")
        + ("为受灾群众搭建临时安置板房四十间。", "", "2023-07-22"),
    ]
    for kind, member, enterprise, title, unit, role, words, medium, day in citations:
        add(
            client,
            "/admin/honours/citation/",
            {
                "kind": kind,
                "member": member and pk(Member, name=member),
                "enterprise": enterprise and pk(Enterprise, name=enterprise),
                "campaign": drive,
                "date": day,
                "title": title,
                "unit": unit,
                "role": role,
                "text": words,
                "medium": medium,
            },
        )
    add(
        client,
        "/admin/honours/carevisit/",
        {
            "date": "2023-07-28",
            "leaders": [pk(Member, name="苏静")],
            "visited": [pk(Member, name="林海涛"), pk(Member, name="邵静怡")],
            "sites": "宜江市中心医院、江滨社区安置点",
            "letters_sent": "7",
            "note": "",
            "campaign": drive,
        },
    )


def build_story(client):
    build_register(client)
    build_campaigns(client)
    build_donations(client)
    build_blood(client)
    build_postings(client)
    build_suggestions(client)
    build_honours(client)


# --- What the story gives, worked out by hand.
#
# Money received, given directly by members to the bodies the drive collects for (members' own):
#   宜江市红十字会 1,050.50 (林海涛) + 2,000 (方慧) + 500 (唐志远, anonymous) + 800 (邵静怡)
#                 + 600 (龚立新) + 499.50 (林海涛 again) + 700 (蒋丽萍, the form) = 6,150
#   沿江区受灾社区 300.25 (罗文娟) + 1,200 (谢明辉) = 1,500.25
#   in all 6,150 + 1,500.25 = 7,650.25: 76.5 % of the 10,000 goal, shown as 76 %.
# Apart: 1,000 (沈嘉禾 to 宜江市慈善总会). Facilitated: 50,000 (彭立军, 宜江长青建材).
# Other donors: 20,000 (宜江绿源农业, to the community) + 5,000 (陈志明) = 25,000.
# Pledged: 3,000 (曹雨欣), one pledge, not counted.
# Members who gave (直接, received, money or goods, to any body): 林海涛, 方慧, 唐志远, 邵静怡,
#   罗文娟, 谢明辉, 龚立新, 蒋丽萍, 沈嘉禾 (apart) and 钟晓峰 (goods) = 10: 125 % of the goal of 8.
#   The branch ranking counts them alike: 5 + 3 + 1 + 1 + 0 = 10 (钟晓峰 in 市中心医院支社).
# Received gifts: 16 recorded - 1 pledge = 15. Per body, money gifts: 红十字会 7 members' + 彭立军's
#   facilitated + 陈志明's = 9; 受灾社区 罗文娟, 谢明辉, 宜江绿源 = 3; 慈善总会 1.
# Goods: 钟晓峰's 矿泉水 200 箱 6,000 + 救生衣 50 件 4,500.50 = 10,500.50; facilitated: 许家豪's
#   冲锋舟 2 艘 36,000.
# Blood (BLOOD_ROWS): 10 members donated (苏静 only pledged), 11 donations (林海涛 twice);
#   400 + 250 + 300 + 400 + 200 + 400 + 300 + 400 + 200 + 300 + 400 = 3,550 ml.
#   Ten donors is two full steps of five: every donation is public. Named: the 8 consenting
#   donors; 邵静怡 and 葛慧敏 did not consent: 2 unnamed.
# Postings: 7 members (罗文娟, 汪晓燕, 龚立新; 潘国栋, 魏思远, 范志刚; 廖建华) at 3 places;
#   days 10 + 5 + 5 + 10 + 5 + 4 + 3 = 42; hours 80 + 40 + 36.5 + 75.5 + 40 + 30 + 24 = 326, of
#   which confirmed 80 + 40 + 75.5 + 30 + 24 = 249.5 (龚立新's 36.5 and 魏思远's 40 are not);
#   7 of the goal of 8 = 87.5 %, shown as 87 %. Unnamed: 龚立新 and 廖建华 = 2.
# Suggestions: 7 received (6 imported, 1 from the form); reviewed and forwarded S1, S2, S3, S5,
#   S7 = 5; S4 and S6 wait = 2. 社省委: S1, S2, S3, S7 = 4, adopted S1, S2 = 2; 统战部: S1, S3,
#   S5 = 3, adopted S1, S5 = 2; adopted by any: S1, S2, S5 = 3. Public: S1, S2, S3, S5, S7 = 5.
# Citations: front line 林海涛 and 邵静怡 = 2 (both 医药卫生界, 市中心医院支社; only 林海涛 listed),
#   one artwork, one enterprise's work (its contact 彭立军 honoured); one care visit, 7 letters.

PERIOD = "2023年7月1日 – 2023年8月31日"


def between(page: str, start: str, end: str) -> str:
    """The text after the first ``start`` and before the next ``end``."""
    assert start in page, start
    after = page.split(start, 1)[1]
    assert end in after, end
    return after.split(end, 1)[0].strip()


def squeezed(value: str) -> str:
    # PDF text breaks lines anywhere: compare without white space.
    return re.sub(r"\s+", "", value)


def visit(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return text(response)


def check_public_pages(client):
    home = visit(client, "/")
    assert between(home, "热血援汛 无偿献血 2023年7月15日 至 2023年8月15日", "查看进展") == (
        "· 九三学社宜江市委 汛期血液告急，社市委倡议社员到市中心血站无偿献血。 "
        "献血人数 10 / 10 100% 已完成 100%"
    )
    assert between(home, "防汛下沉 守护家园 2023年7月12日 至 2023年8月20日", "查看进展") == (
        "· 九三学社宜江市委 社员下沉沿江大堤和安置点，巡堤查险、服务受灾群众。 "
        "下沉人数 7 / 8 87% 已完成 87%"
    )
    assert between(home, "驰援洪灾 共渡难关 2023年7月10日 至 2023年8月31日", "查看进展") == (
        "· 九三学社宜江市委 七月沿江洪水，社市委倡议社员捐款捐物，支援受灾群众。 "
        "金额（元） 7,650.25 元 / 10,000 元 76% 已完成 76% 捐赠人数 10 / 8 125% 已完成 125%"
    )

    drive = visit(client, "/campaigns/flood-relief-2023/")
    assert between(drive, "已筹", "分享本页") == "7,650.25元 目标 1万元 · 已完成 76% 76%"
    assert between(drive, "其他目标", "已收到合计") == "捐赠人数 10 / 8 125% 已完成 125%"
    assert between(drive, "已收到合计", "只计已收到的捐赠") == (
        "社员捐款 7,650.25 元 捐赠人数 10 已收到笔数 15 社员另捐其他机构（另计） 1,000 元 "
        "社员促成捐赠（另计） 50,000 元 其他捐赠人 25,000 元 捐赠物资估值 10,500.50 元 "
        "促成物资估值 36,000 元 尚未计入：1 笔认捐共 3,000 元，尚未收到。"
    )
    assert between(drive, "按受赠方 受赠方 社员捐款 促成 其他捐赠人 笔数", "物资明细") == (
        "宜江市红十字会 ¥6,150 ¥50,000 ¥5,000 9 "
        "沿江区受灾社区 ¥1,500.25 ¥0 ¥20,000 3 "
        "宜江市慈善总会 另计 ¥1,000 ¥0 ¥0 1"
    )
    assert between(drive, "物资明细 物品 数量 估值", "进展") == (
        "救生衣 50 件 ¥4,500.50 矿泉水 200 箱 ¥6,000 冲锋舟 促成 2 艘 ¥36,000"
    )
    # Received money per day, facilitated gifts aside (members' own, apart and other donors):
    # the running total ends at 7,650.25 + 1,000 + 25,000 = 33,650.25.
    assert between(drive, "按日数据 日期 当日 累计", "参与社员") == (
        "2023年7月11日 ¥1,050.50 ¥1,050.50 "
        "2023年7月12日 ¥2,500 ¥3,550.50 "  # 2,000 + 500
        "2023年7月13日 ¥800 ¥4,350.50 "
        "2023年7月14日 ¥1,500.25 ¥5,850.75 "  # 300.25 + 1,200
        "2023年7月16日 ¥600 ¥6,450.75 "
        "2023年7月17日 ¥20,000 ¥26,450.75 "
        "2023年7月18日 ¥1,000 ¥27,450.75 "
        "2023年7月19日 ¥5,000 ¥32,450.75 "
        "2023年7月20日 ¥700 ¥33,150.75 "
        "2023年8月1日 ¥499.50 ¥33,650.25"
    )
    # Named: consenting members who gave or facilitated (唐志远 gave anonymously; 邵静怡 and
    # 龚立新 did not consent; 曹雨欣 only pledged).
    assert between(drive, "匿名捐赠一律不具名。", "分享本页") == (
        "方慧 市中心医院支社 蒋丽萍 科技经济支社 林海涛 市中心医院支社 罗文娟 沿江区教育支社 "
        "彭立军 科技经济支社 沈嘉禾 水利环保支社 谢明辉 沿江区教育支社 许家豪 科技经济支社 "
        "钟晓峰 市中心医院支社 另有 3 名社员参与但未具名。"
    )

    blood = visit(client, "/campaigns/flood-blood-2023/")
    assert between(blood, "献血人数", "分享本页") == "10 目标 10 · 已完成 100% 100%"
    assert between(blood, "感谢每一位参与的社员。 合计", "进展") == (
        "献血人数 10 献血人次 11 献血量 3,550 毫升 尚未计入：1 人次认献。"
    )
    # Per week from Monday 10 July: 16 Jul ×2; 17, 17, 18, 20, 21, 22 Jul; 24, 25 Jul; 5 Aug.
    assert between(blood, "按周数据 周起始日 当周 累计", "参与社员") == (
        "2023年7月10日 2 2 2023年7月17日 6 8 2023年7月24日 2 10 2023年7月31日 1 11"
    )
    assert between(blood, "不逐一公布。", "分享本页") == (
        "方慧 市中心医院支社 林海涛 市中心医院支社 彭立军 科技经济支社 沈嘉禾 水利环保支社 "
        "唐志远 市中心医院支社 谢明辉 沿江区教育支社 许家豪 科技经济支社 钟晓峰 市中心医院支社 "
        "另有 2 名社员参与但未具名。"
    )

    posted = visit(client, "/campaigns/flood-posting-2023/")
    assert between(posted, "下沉人数", "分享本页") == "7 目标 8 · 已完成 87% 87%"
    assert between(posted, "感谢每一位参与的社员。 合计", "下沉地点与岗位") == (
        "下沉人数 7 下沉地点 3 服务天数 42 服务时长（小时） 326 其中 249.5 小时已经工作人员确认。"
    )
    assert between(posted, "地点 任务 日期 到岗 / 需要", "进展") == (
        f"城东转移安置点 城东区 · 乡镇 {DUTY_WORDS['shelter']} 2023年7月12日 – 2023年8月20日 1 / 2 "
        f"江滨社区安置点 沿江区 · 社区 {DUTY_WORDS['shelter']} 2023年7月12日 – 2023年8月20日 3 / 3 "
        f"沿江大堤巡查点 沿江区 · 街道 {DUTY_WORDS['embankment']} "
        "2023年7月12日 – 2023年8月20日 3 / 4"
    )
    assert between(posted, "按日数据 日期 当日 累计", "参与社员") == (
        "2023年7月12日 2 2 2023年7月13日 1 3 2023年7月14日 1 4 2023年7月15日 1 5 "
        "2023年7月20日 1 6 2023年7月25日 1 7"
    )
    assert between(posted, "只列出同意公开的社员。", "分享本页") == (
        "范志刚 水利环保支社 江滨社区安置点 罗文娟 沿江区教育支社 沿江大堤巡查点 "
        "潘国栋 沿江区基层委员会 江滨社区安置点 汪晓燕 沿江区基层委员会 沿江大堤巡查点 "
        "魏思远 科技经济支社 江滨社区安置点 另有 2 名社员参与但未具名。"
    )

    roll = visit(client, "/honour-roll/")
    listed = (
        # 邵静怡's front-line citation is not listed: she did not consent.
        "一线服务 1 位社员 一线服务的社员。 林海涛 市中心医院支社 · 医药卫生界 "
        "宜江市中心医院 急诊科主任：带领医疗队在沿江安置点连续巡诊十二天。 "
        "捐赠 9 位社员 驰援洪灾 共渡难关 "
        "方慧 市中心医院支社 · 医药卫生界 蒋丽萍 科技经济支社 · 经济界 "
        "林海涛 市中心医院支社 · 医药卫生界 罗文娟 沿江区教育支社 · 教育界 "
        "彭立军 科技经济支社 · 经济界 沈嘉禾 水利环保支社 · 科技界 "
        "谢明辉 沿江区教育支社 · 教育界 许家豪 科技经济支社 · 经济界 "
        "钟晓峰 市中心医院支社 · 医药卫生界 "
        "献血 8 位社员 热血援汛 无偿献血 "
        "方慧 市中心医院支社 · 医药卫生界 林海涛 市中心医院支社 · 医药卫生界 "
        "彭立军 科技经济支社 · 经济界 沈嘉禾 水利环保支社 · 科技界 "
        "唐志远 市中心医院支社 · 医药卫生界 谢明辉 沿江区教育支社 · 教育界 "
        "许家豪 科技经济支社 · 经济界 钟晓峰 市中心医院支社 · 医药卫生界 "
        "志愿下沉 5 位社员 "
        "范志刚 水利环保支社 · 科技界 江滨社区安置点 罗文娟 沿江区教育支社 · 教育界 沿江大堤巡查点 "
        "潘国栋 沿江区基层委员会 · 经济界 江滨社区安置点 "
        "汪晓燕 沿江区基层委员会 · 教育界 沿江大堤巡查点 "
        "魏思远 科技经济支社 · 科技界 江滨社区安置点 "
        # Consenting authors of public suggestions: 葛慧敏 (S1) and 邵静怡 (S5) did not consent.
        f"建言献策 4 位社员 方慧 市中心医院支社 · 医药卫生界 《{S2}》 "
        f"彭立军 科技经济支社 · 经济界 《{S3}》 沈嘉禾 水利环保支社 · 科技界 《{S1}》 "
        f"许家豪 科技经济支社 · 经济界 《{S7}》 "
        "文艺作品 1 位社员 以文艺作品参与的社员。 罗文娟 沿江区教育支社 · 教育界 众志成城 抗洪救灾 "
        # An enterprise's citation honours its contact member.
        f"社员企业 1 位社员 彭立军 科技经济支社 · 经济界 {BUILDER}：捐建临时安置板房"
    )
    assert between(roll, "打印完整名单", "主办单位") == listed
    # The printable roll lists the same.
    printed = visit(client, "/honour-roll/print/")
    assert between(printed, "这里只列出同意公开的社员。 打印", "http://testserver/") == listed

    overview = visit(client, "/suggestions/")
    assert between(overview, "2023年7月10日 至 2023年8月31日", "报送单位") == (
        "已收到 7 待决定 2 已报送上级 5 已采纳 3"
    )
    assert between(overview, "报送单位 建言献策 已采纳", "公开的建议") == (
        "九三学社江汉省委 4 2 中共宜江市委统战部 3 2"
    )
    assert between(overview, "找到", "主办单位") == (
        "5 条建议。 社员作者只有同意公开才会署名。 "
        f"《{S7}》 许家豪 · 已报送 · 2023年8月3日 · {CALL} "
        f"《{S5}》 已采纳 · 2023年7月30日 · {CALL} "
        f"《{S3}》 彭立军 · 已报送 · 2023年7月25日 · {CALL} "
        f"《{S2}》 方慧 · 已采纳 · 2023年7月22日 · {CALL} "
        f"《{S1}》 沈嘉禾 · 已采纳 · 2023年7月20日 · {CALL}"
    )
    page = visit(client, f"/suggestions/{suggestion(S7).pk}/")
    assert between(page, "← 全部建议", "主办单位") == (
        f"{TOPIC_WORDS['science']} 已报送 《{S7}》 作者 许家豪 收到日期 2023年8月3日 "
        f"征集活动 {CALL} {COMMITTEE} 社员作者只有同意公开才会署名。 "
        "摘要 建议建立洪水预警信息共享平台。 "
        "报送与答复 2023年8月5日 报送九三学社江汉省委 · 等待答复"
    )
    page = visit(client, f"/suggestions/{suggestion(S5).pk}/")
    assert between(page, "← 全部建议", "主办单位") == (
        f"{TOPIC_WORDS['health']} 已采纳 《{S5}》 作者 未具名 收到日期 2023年7月30日 "
        f"征集活动 {CALL} {COMMITTEE} 社员作者只有同意公开才会署名。 "
        f"建议内容 {S5}的正文。 报送与答复 2023年8月6日 报送中共宜江市委统战部 · 已采纳"
    )
    for private in (S4, S6):
        assert client.get(f"/suggestions/{suggestion(private).pk}/").status_code == 404

    cards = {
        slug: Image.open(io.BytesIO(client.get(f"/campaigns/{slug}/share-{variant}.png").content))
        .text["Description"]
        .split("\n")
        for slug, variant in [
            ("flood-relief-2023", "wide"),
            ("flood-blood-2023", "square"),
            ("flood-posting-2023", "wide"),
        ]
    }
    assert cards == {
        "flood-relief-2023": [
            COMMITTEE,
            "捐赠活动",
            DRIVE,
            "已筹",
            "7,650.25元",
            "目标 1万元 · 已完成 76%",
            "已结束 · 2023年7月10日 至 2023年8月31日",
        ],
        "flood-blood-2023": [
            COMMITTEE,
            "献血活动",
            BLOOD_DRIVE,
            "献血人数",
            "10",
            "目标 10 · 已完成 100%",
            "已结束 · 2023年7月15日 至 2023年8月15日",
        ],
        "flood-posting-2023": [
            COMMITTEE,
            "志愿下沉活动",
            POSTINGS,
            "下沉人数",
            "7",
            "目标 8 · 已完成 87%",
            "已结束 · 2023年7月12日 至 2023年8月20日",
        ],
    }


def check_no_private_data_public(client):
    seeds = [
        "/",
        "/honour-roll/",
        "/suggestions/",
        *(f"/campaigns/{slug}/" for slug in ("flood-relief-2023", "flood-blood-2023")),
        "/campaigns/flood-posting-2023/",
        *(
            f"/campaigns/{slug}/share-{variant}.png"
            for slug in ("flood-relief-2023", "flood-blood-2023", "flood-posting-2023")
            for variant in ("wide", "square")
        ),
    ]
    bodies = crawl(client, seeds, follow=public_link)

    private = NOT_CONSENTING + PHONES
    found = {
        url: hits
        for url, body in bodies.items()
        if (hits := [value for value in private if shows(squeezed(body), value)])
    }
    assert found == {}
    # The crawl reached every page of the story: each suggestion made public, and the roll.
    reached = {url.split("?")[0] for url in bodies}
    public = [suggestion(title).pk for title in (S1, S2, S3, S5, S7)]
    assert {f"/suggestions/{number}/" for number in public} <= reached
    assert "/honour-roll/print/" in reached


def report_sections(page: str, year_ago: bool) -> dict:
    header = "主要数据 CSV 项目 数值 单位" + (" 上年同期" if year_ago else "")
    return {
        "overview": between(page, "概览", "主要数据"),
        "summary": between(page, header, "各组织排名"),
        "branches": between(
            page, "名次 所属组织 社员捐款 捐赠人数 献血人数 下沉人数 收到建议", "活动："
        ),
        "campaigns": between(page, "活动：目标与进展 CSV", "按受赠方"),
        "money_by_recipient": between(
            page, "受赠方 另计 社员捐款 促成 其他捐赠人 笔数", "物资明细"
        ),
        "goods": between(page, "物资明细 CSV 物品 单位 数量 估值 促成", "一线社员"),
        "suggestions_by_body": between(page, "报送上级的建议（按单位） CSV", "文艺作品"),
        "front_line_by_sector": between(page, "一线社员（按界别） CSV", "一线社员（按组织）"),
        "front_line_by_branch": between(page, "一线社员（按组织） CSV", "报送上级的建议"),
        "artworks": between(page, "文艺作品 CSV", "社员企业的贡献"),
        "enterprise_work": between(page, "社员企业的贡献 CSV", "组织关怀与慰问信"),
        "care_visits": between(page, "组织关怀与慰问信 CSV", "本时间段与组织的全部记录"),
    }


# The report's key figures: (name, CSV text, page text, PDF text, unit). The XLSX holds the
# CSV's number.
KEY_FIGURES = [
    ("社员捐款", "7650.25", "7,650.25", "¥7,650.25", "元"),
    ("捐赠人数", "10", "10", "10", "人"),
    ("已收到笔数", "15", "15", "15", "次"),
    ("社员另捐其他机构（另计）", "1000.00", "1,000", "¥1,000.00", "元"),
    ("社员促成捐赠（另计）", "50000.00", "50,000", "¥50,000.00", "元"),
    ("其他捐赠人", "25000.00", "25,000", "¥25,000.00", "元"),
    ("认捐未收到", "3000.00", "3,000", "¥3,000.00", "元"),
    ("捐赠物资估值", "10500.50", "10,500.50", "¥10,500.50", "元"),
    ("促成物资估值", "36000.00", "36,000", "¥36,000.00", "元"),
    ("献血人数", "10", "10", "10", "人"),
    ("献血记录", "11", "11", "11", "次"),
    ("献血量（毫升）", "3550", "3,550", "3,550", "ml"),
    ("下沉人数", "7", "7", "7", "人"),
    ("下沉地点", "3", "3", "3", ""),
    ("服务天数", "42", "42", "42", "天"),
    ("服务时长（小时）", "326", "326", "326", "小时"),
    ("经工作人员确认的时长（小时）", "249.5", "249.5", "249.5", "小时"),
    ("一线社员", "2", "2", "2", "人"),  # 林海涛 and 邵静怡 (counted, though not listed)
    ("收到建议", "7", "7", "7", "条"),
    ("报送上级的建议", "5", "5", "5", "条"),
    ("采纳的建议", "3", "3", "3", "条"),
    ("文艺作品", "1", "1", "1", "条"),
    ("企业贡献", "1", "1", "1", "条"),
    ("组织关怀", "1", "1", "1", "次"),
    ("寄送慰问信", "7", "7", "7", "封"),
]
SUMMARY_ROWS = [[name, csv_text, unit] for name, csv_text, _, _, unit in KEY_FIGURES]


def key_figures_as_shown(column: int, year_ago: str | None) -> str:
    """The key figures table as the page (column 2) or the PDF (3) shows it, with the year
    before's column (nothing in 2022, written as ``year_ago`` for money, "0" for counts)."""
    cells = []
    for row in KEY_FIGURES:
        cells += [row[0], row[column], row[4]]
        if year_ago is not None:
            cells.append(year_ago if row[4] == "元" else "0")
    return " ".join(cell for cell in cells if cell)


# Per unit under the committee (沿江区教育支社 counts in 沿江区基层委员会): members' own money,
# members who gave (money or goods), blood donors, members posted, suggestions received.
#   市中心医院支社 1,050.50 + 499.50 + 2,000 + 500 + 800 = 4,850; 林海涛, 方慧, 唐志远, 邵静怡,
#     钟晓峰 (goods);
#     blood 林海涛, 方慧, 唐志远, 邵静怡, 钟晓峰; S2, S5
#   沿江区基层委员会 300.25 + 1,200 + 600 = 2,100.25; 罗文娟, 谢明辉, 龚立新; blood 谢明辉;
#     posted 罗文娟, 龚立新, 汪晓燕, 潘国栋; S4, S6
#   科技经济支社 700 (蒋丽萍); blood 彭立军, 许家豪; posted 魏思远; S3, S7
#   水利环保支社 0 (沈嘉禾's 1,000 is apart, but she gave); blood 沈嘉禾, 葛慧敏; 范志刚; S1
#   the committee's own members: 廖建华 posted (苏静 only pledged blood)
BRANCH_ROWS = [
    ["1", "市中心医院支社", "4850.00", "5", "5", "0", "2"],
    ["2", "沿江区基层委员会", "2100.25", "3", "1", "4", "2"],
    ["3", "科技经济支社", "700.00", "1", "2", "1", "2"],
    ["4", "水利环保支社", "0.00", "1", "2", "1", "1"],
    ["5", "九三学社宜江市委（本级）", "0.00", "0", "0", "1", "0"],
]
CAMPAIGN_ROWS = [
    [DRIVE, "捐赠活动", "金额（元）", "10000.00", "7650.25", "76"],
    [DRIVE, "捐赠活动", "捐赠人数", "8", "10", "125"],
    [POSTINGS, "志愿下沉活动", "下沉人数", "8", "7", "87"],
    [BLOOD_DRIVE, "献血活动", "献血人数", "10", "10", "100"],
]
RECIPIENT_ROWS = [
    [RED_CROSS, "", "6150.00", "50000.00", "5000.00", "9"],
    [COMMUNITY, "", "1500.25", "0.00", "20000.00", "3"],
    [CHARITY, "是", "1000.00", "0.00", "0.00", "1"],
]
GOODS_ROWS = [
    ["救生衣", "件", "50", "4500.50", ""],
    ["矿泉水", "箱", "200", "6000.00", ""],
    ["冲锋舟", "艘", "2", "36000.00", "是"],
]
BODY_ROWS = [[PROVINCE, "4", "2"], [UNITED_FRONT, "3", "2"]]
SECTOR_ROWS = [["医药卫生界", "2"]]
FRONT_LINE_BRANCH_ROWS = [[HOSPITAL, "2"]]
ARTWORK_ROWS = [["罗文娟", "众志成城 抗洪救灾", "2023-08-08"]]
ENTERPRISE_ROWS = [[BUILDER, "捐建临时安置板房", "为受灾群众搭建临时安置板房四十间。"]]
CARE_ROWS = [["2023-07-28", "宜江市中心医院、江滨社区安置点", "苏静", "林海涛、邵静怡", "7"]]
TABLES = {
    "branches": ("各组织排名", BRANCH_ROWS),
    "campaigns": ("活动：目标与进展", CAMPAIGN_ROWS),
    "money_by_recipient": ("按受赠方", RECIPIENT_ROWS),
    "goods": ("物资明细", GOODS_ROWS),
    "front_line_by_sector": ("一线社员（按界别）", SECTOR_ROWS),
    "front_line_by_branch": ("一线社员（按组织）", FRONT_LINE_BRANCH_ROWS),
    "suggestions_by_body": ("报送上级的建议（按单位）", BODY_ROWS),
    "artworks": ("文艺作品", ARTWORK_ROWS),
    "enterprise_work": ("社员企业的贡献", ENTERPRISE_ROWS),
    "care_visits": ("组织关怀与慰问信", CARE_ROWS),
}


def as_xlsx_cell(value: str):
    """A CSV cell as the XLSX holds it: numbers and dates typed, blanks empty."""
    if re.fullmatch(r"[\d.]+", value):
        return Decimal(value)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return datetime.datetime.fromisoformat(value)
    return value or None


def csv_table(client, key, query):
    content = client.get(f"/reports/tables/{key}.csv{query}").content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def check_report(client, query, period):
    page = visit(client, f"/reports/{query}")
    assert between(page, "社员奉献与活动情况汇总", "生成于") == (
        f"{COMMITTEE}及全部基层组织 · 时间：{period} ·"
    )
    year_ago = period == PERIOD  # a period has the same period a year before beside it
    sections = report_sections(page, year_ago)
    compared = " 上年同期：0 元" if year_ago else ""
    counts = " 上年同期：0" if year_ago else ""
    hint = "" if year_ago else " 选择有起始日期的时间段，即可与上年同期比较。"
    assert sections["overview"] == (
        f"社员捐款 7,650.25 元{compared} 捐赠人数 10{counts} 献血人数 10{counts} "
        f"下沉人数 7{counts} 经工作人员确认的时长（小时） 249.5 共登记 326{counts} "
        f"收到建议 7 报送 5 条，采纳 3 条{counts}{hint}"
    )
    assert sections["summary"] == key_figures_as_shown(2, "0" if year_ago else None)
    assert sections["branches"] == (
        "1 市中心医院支社 4,850 元 5 5 0 2 2 沿江区基层委员会 2,100.25 元 3 1 4 2 "
        "3 科技经济支社 700 元 1 2 1 2 4 水利环保支社 0 元 1 2 1 1 "
        "5 九三学社宜江市委（本级） 0 元 0 0 1 0"
    )
    assert sections["campaigns"] == (
        f"{DRIVE} 捐赠活动 金额（元） 7,650.25 元 / 10,000 元 76% 已完成 76% "
        "捐赠人数 10 / 8 125% 已完成 125% "
        f"{POSTINGS} 志愿下沉活动 下沉人数 7 / 8 87% 已完成 87% "
        f"{BLOOD_DRIVE} 献血活动 献血人数 10 / 10 100% 已完成 100%"
    )
    assert sections["money_by_recipient"] == (
        f"{RED_CROSS} 6,150 元 50,000 元 5,000 元 9 {COMMUNITY} 1,500.25 元 0 元 20,000 元 3 "
        f"{CHARITY} 是 1,000 元 0 元 0 元 1"
    )
    assert sections["goods"] == (
        "救生衣 件 50 4,500.50 元 矿泉水 箱 200 6,000 元 冲锋舟 艘 2 36,000 元 是"
    )
    # A chart of counts above each table of counts: its bars read 4 and 3, not ¥4 and ¥3.
    assert sections["suggestions_by_body"] == (
        f"{PROVINCE} 4 {UNITED_FRONT} 3 上级单位 报送 已采纳 {PROVINCE} 4 2 {UNITED_FRONT} 3 2"
    )
    assert sections["front_line_by_sector"] == "医药卫生界 2 界别 社员 医药卫生界 2"
    assert sections["front_line_by_branch"] == f"所属组织 社员 {HOSPITAL} 2"
    assert sections["artworks"] == "社员 标题 日期 罗文娟 众志成城 抗洪救灾 2023年8月8日"
    assert sections["enterprise_work"] == (
        f"企业 工作 事迹 {BUILDER} 捐建临时安置板房 为受灾群众搭建临时安置板房四十间。"
    )
    # The report is not public: it names the members visited, 邵静怡 too.
    assert sections["care_visits"] == (
        "日期 地点 慰问领导 慰问社员 慰问信 "
        "2023年7月28日 宜江市中心医院、江滨社区安置点 苏静 林海涛、邵静怡 7"
    )
    # The ranking's chart: money, in yuan.
    assert between(page, "各组织排名 CSV", "名次") == (
        f"{HOSPITAL} ¥4,850 {GRASSROOTS} ¥2,100.25 {ECONOMY} ¥700 {WATER} ¥0 {COMMITTEE}（本级） ¥0"
    )

    summary_csv = csv_table(client, "summary", query)
    assert [row[:3] for row in summary_csv[1:]] == SUMMARY_ROWS
    for key, (_, rows) in TABLES.items():
        assert csv_table(client, key, query)[1:] == rows, key

    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/summary.xlsx{query}").content))
    key_figures = [
        [row[0], row[1], row[2] or ""]
        for row in book["汇总"].iter_rows(min_row=7, values_only=True)
    ]
    assert key_figures == [[name, Decimal(value), unit] for name, value, unit in SUMMARY_ROWS]
    for sheet, rows in TABLES.values():
        cells = [list(row) for row in book[sheet].iter_rows(min_row=2, values_only=True)]
        assert cells == [[as_xlsx_cell(value) for value in row] for row in rows], sheet

    response = client.get(f"/reports/summary.pdf{query}")
    pdf = squeezed(
        " ".join(
            page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
        )
    )
    header = "主要数据 项目 数值 单位" + (" 上年同期" if year_ago else "")
    shown = key_figures_as_shown(3, "¥0.00" if year_ago else None)
    assert squeezed(f"{header} {shown}") in pdf
    for table in [
        "名次 所属组织 社员捐款 捐赠人数 献血人数 下沉人数 收到建议 "
        "1 市中心医院支社 ¥4,850.00 5 5 0 2 "
        "2 沿江区基层委员会 ¥2,100.25 3 1 4 2 3 科技经济支社 ¥700.00 1 2 1 2 "
        "4 水利环保支社 ¥0.00 1 2 1 1 5 九三学社宜江市委（本级） ¥0.00 0 0 1 0",
        f"{DRIVE} 捐赠活动 金额（元） ¥10,000.00 ¥7,650.25 76 {DRIVE} 捐赠活动 捐赠人数 8 10 125 "
        f"{POSTINGS} 志愿下沉活动 下沉人数 8 7 87 {BLOOD_DRIVE} 献血活动 献血人数 10 10 100",
        f"受赠方 另计 社员捐款 促成 其他捐赠人 笔数 {RED_CROSS} ¥6,150.00 ¥50,000.00 ¥5,000.00 9 "
        f"{COMMUNITY} ¥1,500.25 ¥0.00 ¥20,000.00 3 {CHARITY} 是 ¥1,000.00 ¥0.00 ¥0.00 1",
        "物品 单位 数量 估值 促成 救生衣 件 50 ¥4,500.50 矿泉水 箱 200 ¥6,000.00 "
        "冲锋舟 艘 2 ¥36,000.00 是",
        f"上级单位 报送 已采纳 {PROVINCE} 4 2 {UNITED_FRONT} 3 2",
        "界别 社员 医药卫生界 2",
        f"所属组织 社员 {HOSPITAL} 2",
        "社员 标题 日期 罗文娟 众志成城 抗洪救灾 2023年8月8日",
        f"企业 工作 事迹 {BUILDER} 捐建临时安置板房 为受灾群众搭建临时安置板房四十间。",
        "日期 地点 慰问领导 慰问社员 慰问信 "
        "2023年7月28日 宜江市中心医院、江滨社区安置点 苏静 林海涛、邵静怡 7",
    ]:
        assert squeezed(table) in pdf, table


def test_second_story_figures_everywhere_and_no_private_data_public(client):
    # The first login: the only record written without the admin.
    admin = User.objects.create_superuser("story-admin", "admin@example.org", "pw")
    client.force_login(admin)

    build_story(client)

    assert Member.objects.count() == 20

    client.logout()
    check_public_pages(client)
    check_no_private_data_public(client)
    client.force_login(admin)
    committee = pk(Branch, name=COMMITTEE)
    # The story's period, and the committee's whole subtree at any time: the same figures.
    for query, period in [
        ("?start=2023-07-01&end=2023-08-31", PERIOD),
        (f"?branch={committee}", "全部记录"),
    ]:
        check_report(client, query, period)
