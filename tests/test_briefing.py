"""The Word briefing (issue 17): the committee's account drafted in sentences from the records
only, sections with nothing to say left out, the A4 layout Chinese offices use; the demo's states
every figure of the story (../shared/story/FIGURES.md) that the records hold."""

import io
import re
from decimal import Decimal
from urllib.parse import quote

import docx
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from members import roles
from members.models import Branch
from tests.factories import (
    BloodDonationFactory,
    CampaignFactory,
    DonationFactory,
    MemberFactory,
    RecipientFactory,
    UserFactory,
)
from tests.pages import shows

pytestmark = pytest.mark.django_db

URL = "/reports/briefing.docx"
STORY = {"start": "2020-01-01", "end": "2020-12-31"}


def document(response):
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    return docx.Document(io.BytesIO(response.content))


def text(doc) -> str:
    return "\n".join(paragraph.text for paragraph in doc.paragraphs)


def headings(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]


@pytest.fixture
def story_leader(db):
    """A leader of the story's committee, the one branch at the top of the demo's tree."""
    call_command("load_demo")
    user = UserFactory(username="leader", branch=Branch.objects.get(name="九三学社连云港市委"))
    user.groups.add(Group.objects.get(name=roles.LEADERSHIP))
    return user


@pytest.fixture
def story(client, story_leader):
    client.force_login(story_leader)
    return document(client.get(URL, STORY))


def test_story_briefing_states_every_figure_the_records_hold(story):
    body = text(story)

    sentences = [
        # Donations: 86,556 of members' own money, 26,600 and 59,956 to the two bodies,
        # 1,000 apart, 1,000,000 facilitated, the goods and their 9,800.
        "59名社员捐款86,556元，其中向连云港市红十字会捐款59,956元；"
        "向九三学社王选关怀基金会抗击新冠肺炎专项基金捐款26,600元。",
        "另有社员向江苏省慈善总会捐款1,000元，另行统计。",
        "社员促成所在企业等捐款1,000,000元（100万元），另行统计。",
        "捐赠物资：一次性医用外科口罩250只、八宝粥42箱、医用手套400副、方便面8箱、火腿肠2箱、"
        "牛奶38箱，估值9,800元。",
        "社员促成捐赠物资：蔬菜300斤、防护服225套。",
        # Blood: the call of 2月5日, 10余 (12) donors at the central blood station.
        "2020年2月5日，九三学社连云港市委发出无偿献血倡议。",
        "12名社员在连云港市中心血站献血12人次，共3,800毫升。",
        # Postings: 10余 (13) members, their places and duties.
        "13名社员下沉到4个地点，参加",
        "卡口值守",
        "逐户排查",
        "宣传",
        "浦西街道电台社区（海州区）",
        "寇晶磊",
        "新东街道巨龙路沿线小区和商户（海州区）",
        "张明燕",
        "赣榆区六里桥社区（赣榆区）",
        "张维亮",
        # Front line: 近60 (59) medical members, the named ones with their unit and role.
        "59名社员奋战在一线，其中医药卫生界59名。",
        "孟尔旺（连云港市第四人民医院院长）",
        "赵丽（连云港市第四人民医院结核二科主任）：专家组成员、医疗救援队第二队队长，"
        "连续14天坚守隔离病区",
        "侍羽（连云港市第四人民医院物资采购科科长）",
        "陈丹（海州区孔望山社区卫生服务中心全科医生）：驻守一级隔离点河畔花城。",
        "杨焕森（连云港市疾病预防控制中心检验科副科长）",
        "周新华（连云港市第二人民医院急诊科主任）",
        "顾扬（连云港市妇幼保健院副院长）",
        # Suggestions: 60余 (62) received, 40 forwarded to the two bodies, the named two.
        "共收到社员建议62条，向上级报送40条（九三学社江苏省委27条、中共连云港市委统战部15条）。",
        "“我为抗疫献一策”征集62条",
        "《关于稳定口罩价格的建议》",
        "《疫情对连云港“一带一路”物流和中欧班列的影响》",
        # Enterprises, artworks.
        "连云港三瑞医疗器械制造有限公司（医用口罩生产线）：日产医用口罩四至五万只",
        "连云港太阳石农业开发有限公司",
        "江苏同德信息科技有限公司（疫情服务平台）：开发“疫通行”“港城速行通”",
        "江涛创作《致敬》；常德强创作《众志成城抗疫情》；徐开军创作《西游记》主题抗疫系列漫画。",
        # Care: 2月22日, the two leaders, the three sites and members, the letters.
        "2020年2月22日，陈晓平、徐大勇到市第四人民医院、河畔花城隔离点、"
        "连云港三瑞医疗器械制造有限公司看望慰问陈丹、刘保、孟尔旺。",
        "向59名社员寄送慰问信。",
        # Goals against progress.
        "完成86,556元，完成率108%",
    ]
    assert [sentence for sentence in sentences if sentence not in body] == []


def test_story_briefing_is_laid_out_as_chinese_offices_do(story):
    section = story.sections[0]
    paragraphs = [p.text for p in story.paragraphs]

    sizes = [section.page_width, section.page_height, section.top_margin, section.left_margin]
    assert [round(size.mm) for size in sizes] == [210, 297, 37, 28]
    assert paragraphs[0] == "工作简报"
    assert paragraphs[1].startswith("九三学社连云港市委\t") and "年" in paragraphs[1]
    assert paragraphs[2] == "2020年工作情况"
    assert paragraphs[3] == "2020年，九三学社连云港市委及全部基层组织有关工作情况简报如下。"
    assert headings(story) == [
        "一、活动目标完成情况",
        "二、捐款捐物",
        "三、无偿献血",
        "四、下沉一线",
        "五、奋战一线",
        "六、建言献策",
        "七、社员企业",
        "八、文艺作品",
        "九、组织关怀",
    ]
    assert story.styles["Normal"].font.size.pt == 16


def test_briefing_of_a_campaigns_period_is_titled_by_it(client, story_leader):
    client.force_login(story_leader)

    doc = document(client.get(URL, {"start": "2020-02-05", "end": "2020-03-15"}))

    assert doc.paragraphs[2].text == "关于“无偿献血 挽救生命”活动情况"


def test_briefing_quotes_a_title_within_a_title(story):
    assert "“缴纳‘特殊社费’ 支援疫情防控”（捐赠活动，2020年1月28日起）" in text(story)


def test_briefing_leaves_out_sections_with_nothing_to_say(client, carol):
    campaign = CampaignFactory(title="洪灾救助")
    recipient = RecipientFactory(name="某市红十字会")
    campaign.recipients.add(recipient)
    DonationFactory(campaign=campaign, recipient=recipient, amount=Decimal("1050.50"))
    client.force_login(carol)

    doc = document(client.get(URL))

    assert headings(doc) == ["一、捐款捐物"]
    assert "1名社员捐款1,050.50元，其中向某市红十字会捐款1,050.50元。" in text(doc)
    assert "献血" not in text(doc) and "另行统计" not in text(doc)


def test_briefing_of_an_empty_register_says_nothing_but_its_heading(client, carol):
    client.force_login(carol)

    doc = document(client.get(URL))

    assert headings(doc) == []
    assert doc.paragraphs[0].text == "工作简报"


def test_clerk_briefing_holds_only_their_branch(client, bob, zhao_li, outsider):
    DonationFactory(member=zhao_li, amount=Decimal("11.00"))
    DonationFactory(member=outsider, amount=Decimal("99999.00"))
    BloodDonationFactory(member=outsider, station="海州血站")
    client.force_login(bob)

    body = text(document(client.get(URL)))

    assert shows(body, "11") and not shows(body, "99,999")
    assert "海州血站" not in body and "献血" not in body


def test_briefing_shows_text_from_the_records_as_it_is(client, carol, committee):
    name = "蒙\x0b太<b>&奇"
    DonationFactory(member=MemberFactory(branch=committee), recipient=RecipientFactory(name=name))
    client.force_login(carol)

    response = client.get(URL)

    assert response.status_code == 200
    assert "蒙\ufffd太<b>&奇" in text(document(response))


def test_briefing_file_name_carries_the_period_and_scope(client, carol, committee):
    client.force_login(carol)

    response = client.get(URL, STORY)

    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote(
        "工作简报-市委-20200101-20201231.docx"
    )


def test_briefing_in_english(client, carol):
    campaign = CampaignFactory()
    recipient = RecipientFactory()
    campaign.recipients.add(recipient)
    DonationFactory(campaign=campaign, recipient=recipient, amount=Decimal("86556"))
    client.force_login(carol)
    client.cookies["django_language"] = "en"

    body = text(document(client.get(URL)))

    assert re.search(r"^1\. Donations of money and goods$", body, re.MULTILINE)
    assert "86,556 yuan" in body and "1 member gave" in body
