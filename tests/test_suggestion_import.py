"""Suggestions received on paper, imported from a spreadsheet: all or nothing, scoped, authors
matched among the branch's members, the workflow never touched by a file."""

import datetime

import pytest

from suggestions.models import Suggestion
from suggestions.resources import SuggestionResource
from tests.factories import (
    HigherBodyFactory,
    MemberFactory,
    SuggestionCallFactory,
    SuggestionFactory,
)
from tests.pages import text
from tests.spreadsheets import (
    confirm,
    confirm_data,
    csv_bytes,
    csv_rows,
    export,
    import_file,
    invalid_rows,
    preview,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

URL = "/admin/suggestions/suggestion/"
HEADERS = [
    "记录编号",
    "标题",
    "内容",
    "主题",
    "征集活动",
    "所属组织",
    "集体建议",
    "作者",
    "收到日期",
    "公开",
]


@pytest.fixture
def call():
    return SuggestionCallFactory(title="我为抗疫献一策")


def row(title="关于口罩价格的建议", authors="赵丽", branch="医院支社", **changes):
    values = {
        "记录编号": "",
        "标题": title,
        "内容": "正文",
        "主题": "经济发展",
        "征集活动": "我为抗疫献一策",
        "所属组织": branch,
        "集体建议": "否",
        "作者": authors,
        "收到日期": "2020/2/3",
        "公开": "是",
    } | changes
    return [values[header] for header in HEADERS]


def test_import_xlsx_adds_paper_suggestions_logged_as_received(
    client, alice, call, zhao_li, group_member
):
    client.force_login(alice)

    import_file(
        client,
        URL,
        xlsx_bytes(
            HEADERS,
            [
                row(authors="赵丽、陈丹"),
                row(title="集体调研建议", authors="", **{"集体建议": "是"}),
            ],
        ),
        "纸质建议.xlsx",
    )

    imported = Suggestion.objects.order_by("title")
    assert [
        (s.title, s.source, s.state, s.call, s.branch.name, s.by_branch, s.is_public)
        for s in imported
    ] == [
        ("关于口罩价格的建议", "paper", "received", call, "医院支社", False, True),
        ("集体调研建议", "paper", "received", call, "医院支社", True, True),
    ]
    assert sorted(imported[0].authors.values_list("name", flat=True)) == ["赵丽", "陈丹"]
    assert list(imported[0].state_changes.values_list("to_state", "changed_by")) == [
        ("received", alice.pk)
    ]


def test_import_gbk_csv(client, alice, call, zhao_li):
    client.force_login(alice)

    import_file(client, URL, csv_bytes(HEADERS, [row()], encoding="gbk"))

    assert Suggestion.objects.get().title == "关于口罩价格的建议"


def test_import_bad_row_imports_nothing_and_names_row_and_column(client, alice, call, zhao_li):
    client.force_login(alice)

    response = preview(
        client,
        URL,
        csv_bytes(HEADERS, [row(), row(authors="无此人"), row(authors="", title="无作者")]),
    )

    assert invalid_rows(response) == [
        (3, {"作者": ["医院支社及其下级组织中没有社员 无此人。"]}),
        (4, {"作者": ["请至少填写一位社员作者，或标明为集体建议。"]}),
    ]
    assert Suggestion.objects.count() == 0


def test_import_ambiguous_author_asks_for_member_number(client, alice, call, hospital):
    MemberFactory(name="王伟", branch=hospital, number="LYG1")
    second = MemberFactory(name="王伟", branch=hospital, number="LYG2")
    client.force_login(alice)

    ambiguous = preview(client, URL, csv_bytes(HEADERS, [row(authors="王伟")]))
    import_file(client, URL, csv_bytes(HEADERS, [row(authors="LYG2")]))

    assert invalid_rows(ambiguous) == [(2, {"作者": ["有多位社员名为 王伟：请改填社员编号。"]})]
    assert list(Suggestion.objects.get().authors.all()) == [second]


def test_import_clerk_cannot_name_other_branch_or_its_members(client, bob, call, zhao_li, outsider):
    client.force_login(bob)

    response = preview(
        client,
        URL,
        csv_bytes(HEADERS, [row(branch="海州支社", authors="寇晶磊"), row(authors="寇晶磊")]),
    )

    errors = dict(invalid_rows(response))
    assert errors[2]["所属组织"] == ["您所辖组织中没有名为 海州支社 的组织。"]
    assert errors[3] == {"作者": [not_found_by_clerk("寇晶磊")]}
    assert Suggestion.objects.count() == 0


def not_found_by_clerk(name):
    return (
        f"医院支社及其下级组织中没有社员 {name}。如该社员属于其他组织，请联系社市委机关工作人员。"
    )


def test_import_clerk_is_told_the_same_of_another_branchs_member_as_of_nobody(
    client, bob, call, zhao_li, outsider
):
    # 寇晶磊 is a member of 海州支社; 王五 is no one's.
    client.force_login(bob)

    response = preview(
        client, URL, csv_bytes(HEADERS, [row(authors="寇晶磊"), row(authors="王五")])
    )

    assert invalid_rows(response) == [
        (2, {"作者": [not_found_by_clerk("寇晶磊")]}),
        (3, {"作者": [not_found_by_clerk("王五")]}),
    ]
    assert "海州支社" not in text(response)


def test_import_by_committee_staff_of_an_unknown_author_is_not_referred_to_itself(
    client, alice, call, zhao_li
):
    client.force_login(alice)

    response = preview(client, URL, csv_bytes(HEADERS, [row(authors="王五")]))

    assert invalid_rows(response) == [(2, {"作者": ["医院支社及其下级组织中没有社员 王五。"]})]


def test_import_clerk_cannot_update_other_branch_by_number(client, bob, call, zhao_li, haizhou):
    other = SuggestionFactory(branch=haizhou, title="海州的建议")
    client.force_login(bob)

    response = preview(client, URL, csv_bytes(HEADERS, [row(**{"记录编号": other.pk})]))

    assert invalid_rows(response) == [
        (2, {"记录编号": [f"您所辖组织中没有编号为 {other.pk} 的记录。"]})
    ]
    other.refresh_from_db()
    assert other.title == "海州的建议"


def test_export_is_scoped_and_reimports_unchanged(client, bob, call, zhao_li, outsider, hospital):
    ours = SuggestionFactory(branch=hospital, call=call, title="医院的建议", authors=[zhao_li])
    SuggestionFactory(branch=outsider.branch, call=call, title="海州的建议", authors=[outsider])
    client.force_login(bob)

    history_before = ours.history.count()
    content = export(client, URL, SuggestionResource).content
    rows = csv_rows(content)
    again = import_file(client, URL, content, "导出.csv")

    assert [r[1] for r in rows[1:]] == ["医院的建议"]
    assert rows[1][7] == "赵丽" and rows[1][-1] == "已收到"
    assert again.status_code == 302
    assert ours.history.count() == history_before


def test_import_without_authors_column_is_refused(client, alice, call, hospital):
    client.force_login(alice)
    headers = ["标题", "内容", "主题", "所属组织", "收到日期"]

    response = preview(
        client, URL, csv_bytes(headers, [["标题", "正文", "其他", "医院支社", "2020-02-01"]])
    )

    assert invalid_rows(response) == [(2, {"作者": ["请至少填写一位社员作者，或标明为集体建议。"]})]


def test_import_bad_record_number_names_its_column(client, alice, call, zhao_li):
    client.force_login(alice)

    response = preview(client, URL, csv_bytes(HEADERS, [row(**{"记录编号": "abc"})]))

    assert invalid_rows(response) == [(2, {"记录编号": ["输入整数。"]})]


def test_import_call_named_twice_is_a_clear_error(client, alice, call, zhao_li):
    SuggestionCallFactory(title="我为抗疫献一策")
    client.force_login(alice)

    response = preview(client, URL, csv_bytes(HEADERS, [row()]))

    assert invalid_rows(response) == [
        (2, {"征集活动": ["有多条记录名为 我为抗疫献一策：请先在平台中改名区分。"]})
    ]


def test_import_clerk_file_cannot_publish(client, bob, call, zhao_li):
    client.force_login(bob)

    import_file(client, URL, csv_bytes(HEADERS, [row(**{"公开": "是"})]))

    assert Suggestion.objects.get().is_public is False


# Duplicates: suggestions already entered, imported again without record numbers


def test_import_again_flags_suggestions_already_held_and_a_plain_confirm_adds_none(
    client, alice, call, zhao_li, group_member
):
    client.force_login(alice)
    rows = [row(authors="赵丽、陈丹"), row(title="集体调研建议", authors="", **{"集体建议": "是"})]
    import_file(client, URL, csv_bytes(HEADERS, rows))
    held = dict(Suggestion.objects.values_list("title", "pk"))
    # The same title by other authors, or in another call, is another suggestion.
    others = [row(authors="赵丽"), row(**{"征集活动": "", "作者": "陈丹、赵丽"})]

    page = preview(client, URL, csv_bytes(HEADERS, [*reversed(rows), *others, rows[0]]))
    response = confirm(client, URL, page)

    assert list(page.context["outcome"].duplicates) == [
        (2, held["集体调研建议"], None),
        (3, held["关于口罩价格的建议"], None),
        (6, held["关于口罩价格的建议"], None),
    ]
    assert page.context["outcome"].totals["new"] == 2
    assert Suggestion.objects.count() == 4
    assert "2 行与已有记录重复" not in text(response)


def test_import_of_duplicate_suggestions_anyway_adds_them(client, alice, call, zhao_li):
    client.force_login(alice)
    import_file(client, URL, csv_bytes(HEADERS, [row()]))
    held = Suggestion.objects.get()

    page = preview(client, URL, csv_bytes(HEADERS, [row(), row()]))
    client.post(URL + "process_import/", confirm_data(page) | {"import_duplicates": "on"})

    assert list(page.context["outcome"].duplicates) == [
        (2, held.pk, None),
        (3, held.pk, None),
    ]
    assert Suggestion.objects.filter(title="关于口罩价格的建议").count() == 3


# A paper suggestion's history: 状态, 报送单位, 报送日期, 采纳情况

HISTORY_HEADERS = [*HEADERS, "状态", "报送单位", "报送日期", "采纳情况"]


def history_row(title="关于口罩价格的建议", state="", bodies="", on="", answers="", **changes):
    return row(title=title, **changes) + [state, bodies, on, answers]


@pytest.fixture
def bodies(db):
    return HigherBodyFactory(name="市政协"), HigherBodyFactory(name="市卫健委")


def test_import_applies_a_paper_suggestions_history_through_the_workflow(
    client, alice, call, zhao_li, bodies
):
    client.force_login(alice)
    rows = [
        history_row(state="已采纳", bodies="市政协、市卫健委", on="2020/2/10", answers="否、是"),
        history_row(title="在审的建议", state="审阅中"),
        history_row(title="撤回的建议", state="已撤回"),
        history_row(title="待回复的建议", bodies="市政协", on="2020-02-05"),
    ]

    response = import_file(client, URL, xlsx_bytes(HISTORY_HEADERS, rows), "纸质建议.xlsx")

    assert response.status_code == 302
    states = dict(Suggestion.objects.values_list("title", "state"))
    assert states == {
        "关于口罩价格的建议": "adopted",
        "在审的建议": "under_review",
        "撤回的建议": "withdrawn",
        "待回复的建议": "forwarded",
    }
    adopted = Suggestion.objects.get(title="关于口罩价格的建议")
    forwardings = adopted.forwardings.order_by("body__name")
    assert list(forwardings.values_list("body__name", "forwarded_on", "adopted")) == [
        ("市卫健委", datetime.date(2020, 2, 10), True),
        ("市政协", datetime.date(2020, 2, 10), False),
    ]
    assert list(
        adopted.state_changes.order_by("pk").values_list("from_state", "to_state", "changed_by")
    ) == [
        ("", "received", alice.pk),
        ("received", "forwarded", alice.pk),
        ("forwarded", "adopted", alice.pk),
    ]
    withdrawn = Suggestion.objects.get(title="撤回的建议")
    assert list(withdrawn.state_changes.values_list("to_state", flat=True).order_by("pk")) == [
        "received",
        "withdrawn",
    ]


def test_import_of_an_impossible_history_names_row_and_column_and_saves_nothing(
    client, alice, call, zhao_li, bodies
):
    on_file = SuggestionFactory(branch=zhao_li.branch, call=call, authors=[zhao_li])
    client.force_login(alice)
    rows = [
        history_row(state="已采纳", bodies="市政协", on="2020/2/10", answers="是"),
        history_row(title="未报送", state="已报送"),
        history_row(title="太早", bodies="市政协", on="2020/2/1"),
        history_row(title="无此单位", bodies="省政府", on="2020/2/10"),
        history_row(title="不符", state="已采纳", bodies="市政协", on="2020/2/10", answers="否"),
        history_row(title="已合并", state="已合并"),
        history_row(title=on_file.title, state="已报送", **{"记录编号": on_file.pk}),
    ]

    response = preview(client, URL, csv_bytes(HISTORY_HEADERS, rows))

    assert invalid_rows(response) == [
        (3, {"报送单位": ["请选择建议报送的单位。"]}),
        (4, {"报送日期": ["《太早》到 2020-02-03 才收到。"]}),
        (5, {"报送单位": ["没有名为 省政府 的上级单位。"]}),
        (6, {"状态": ["已采纳 与报送单位和采纳情况不符：按它们应为 未采纳。"]}),
        (7, {"状态": ["建议的合并请在管理后台中进行。"]}),
        (8, {"状态": ["已登记的建议只能通过管理后台的操作改变状态。"]}),
    ]
    assert Suggestion.objects.count() == 1
