"""The honour roll: everyone who did something and consented is there, no one else, no private
data; filters, search, the registry of kinds, and a query count that does not grow."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from honours.models import Citation, RollCategoryWording
from members import contributions
from suggestions.models import Suggestion
from tests.factories import (
    AssignmentFactory,
    BloodDonationFactory,
    BranchFactory,
    CampaignFactory,
    DonationFactory,
    MemberFactory,
    PostingFactory,
    SectorFactory,
    SuggestionFactory,
)
from tests.pages import a_day_not_today, shows, text

pytestmark = pytest.mark.django_db

URL = "/honour-roll/"


def names(response, key):
    """The names listed under ``key``; none when the kind is left out (no one in it)."""
    section = next((s for s in response.context["sections"] if s["kind"].key == key), None)
    if section is None:
        return []
    members = section.get("page") or section["members"]
    return [member["name"] for member in members]


def front_line(member, **fields):
    return Citation.objects.create(
        kind="front_line", member=member, title="抗疫一线", unit="市第四人民医院", **fields
    )


def test_registry_holds_every_kind_in_order():
    assert [kind.key for kind in contributions.kinds()] == [
        "front_line",
        "donors",
        "blood_donors",
        "volunteers",
        "suggestion_authors",
        "artworks",
        "enterprises",
    ]


def test_roll_lists_each_kind_with_its_few_words(client):
    hero = MemberFactory(name="赵丽")
    front_line(hero, role="结核二科主任", text="连续14天坚守隔离病区")
    drive = CampaignFactory(title="特殊社费")
    DonationFactory(campaign=drive, member=MemberFactory(name="王芳"))
    BloodDonationFactory(member=MemberFactory(name="李华"))
    AssignmentFactory(posting=PostingFactory(place="电台社区"), member=MemberFactory(name="寇晶磊"))
    SuggestionFactory(title="关于口罩价格的建议", authors=[MemberFactory(name="张三")])
    Citation.objects.create(kind="artwork", member=MemberFactory(name="江涛"), title="《致敬》")

    page = text(client.get(URL))

    for line in [
        "赵丽 ",
        "市第四人民医院 结核二科主任：连续14天坚守隔离病区",
        "王芳",
        "特殊社费",
        "寇晶磊",
        "电台社区",
        "《关于口罩价格的建议》",
        "《致敬》",
    ]:
        assert line in page


def test_roll_never_lists_non_consenting_or_former_members_anywhere(client):
    silent = MemberFactory(name="不公开", listing_consent=False)
    gone = MemberFactory(name="已退社", status="left")
    for member in (silent, gone):
        front_line(member)
        DonationFactory(member=member)
        BloodDonationFactory(member=member)
        SuggestionFactory(authors=[member])

    content = client.get(URL).content.decode()
    searched = client.get(URL, {"q": "不公开"}).content.decode()

    assert "不公开" not in content.replace('value="不公开"', "")
    assert "已退社" not in content
    assert "不公开" not in searched.replace('value="不公开"', "")


def test_roll_never_lists_anonymous_donor_pledger_or_non_public_author(client):
    DonationFactory(member=MemberFactory(name="匿名者"), anonymous=True)
    DonationFactory(member=MemberFactory(name="认捐者"), state="pledged")
    BloodDonationFactory(member=MemberFactory(name="认献者"), state="pledged")
    SuggestionFactory(authors=[MemberFactory(name="内部作者")], is_public=False)

    content = client.get(URL).content.decode()

    for hidden in ["匿名者", "认捐者", "认献者", "内部作者"]:
        assert hidden not in content


def test_roll_shows_no_contact_details_amounts_or_blood_data(client):
    with connection.cursor() as cursor:  # the member's branch is then number 300
        cursor.execute("SELECT setval(pg_get_serial_sequence('members_branch', 'id'), 299)")
    member = MemberFactory(name="李华", phone="13912345678", email="lihua@example.org")
    DonationFactory(member=member, amount=Decimal("4321.00"))
    BloodDonationFactory(member=member, volume_ml=300, date=(day := a_day_not_today(2020, 2, 7)))

    # The filters' options are valued by ids, which the database's sequences give: one could be
    # 300 (it was, after enough tests had made branches and campaigns).
    content = re.sub(r'<option value="\d+"', "<option", client.get(URL).content.decode())

    assert "李华" in content
    secrets = ["13912345678", "lihua@example.org", "4,321", "4321", "300"]
    for secret in [*secrets, f"{day.month}月{day.day}日"]:
        assert not shows(content, secret), secret


def test_roll_search_by_traditional_or_pinyin_never_by_phone(client):
    zhao = MemberFactory(name="赵丽", phone="13900001111")
    front_line(zhao)
    front_line(MemberFactory(name="王芳"))

    found = [
        names(client.get(URL, {"category": "front_line", "q": q}), "front_line")
        for q in ["趙麗", "zhaoli", "zl", "13900001111"]
    ]

    assert found == [["赵丽"], ["赵丽"], ["赵丽"], []]


def test_roll_filters_by_branch_tree_sector_and_campaign(client):
    hospital = BranchFactory(name="医院支社")
    group = BranchFactory(name="医院小组", parent=hospital)
    medicine = SectorFactory(name="医药卫生界")
    education = SectorFactory(name="教育界")
    in_group = MemberFactory(name="小组社员", branch=group, sector=medicine)
    elsewhere = MemberFactory(name="别处社员", sector=education)
    drive, other = CampaignFactory(), CampaignFactory()
    DonationFactory(campaign=drive, member=in_group)
    DonationFactory(campaign=other, member=elsewhere)

    by_branch = client.get(URL, {"category": "donors", "branch": hospital.pk})
    by_sector = client.get(URL, {"category": "donors", "sector": education.pk})
    by_campaign = client.get(URL, {"category": "donors", "campaign": drive.pk})

    assert names(by_branch, "donors") == ["小组社员"]
    assert names(by_sector, "donors") == ["别处社员"]
    assert names(by_campaign, "donors") == ["小组社员"]
    # Suggestions answer calls, not campaigns: a campaign filter leaves them out.
    keys = [s["kind"].key for s in client.get(URL, {"campaign": drive.pk}).context["sections"]]
    assert "suggestion_authors" not in keys


def test_roll_unknown_filter_is_ignored_with_a_message(client):
    response = client.get(URL, {"campaign": "999999", "branch": "abc"})

    assert response.status_code == 200
    assert "部分筛选条件无法识别，已忽略" in text(response)


def test_roll_pinyin_order_and_pages(client):
    for name in ["周", "安", "李"]:
        front_line(MemberFactory(name=name))

    response = client.get(URL, {"category": "front_line"})

    assert names(response, "front_line") == ["安", "李", "周"]


def test_roll_members_only_when_setting_off(client, settings):
    settings.HONOUR_ROLL_PUBLIC = False

    response = client.get(URL)

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/honour-roll/",
    )


def test_roll_queries_do_not_grow(client):
    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, params).status_code == 200
        return len(captured)

    def add(count):
        for _ in range(count):
            member = MemberFactory()
            front_line(member)
            DonationFactory(member=member)
            BloodDonationFactory(member=member)
            SuggestionFactory(authors=[member])

    add(1)
    few = (queries({}), queries({"category": "donors"}))
    add(30)

    # Cold cache (each write moves the version): its version, the categories' wording, the
    # filter lists, the roll.
    assert (queries({}), queries({"category": "donors"})) == few == (19, 7)


def test_story_roll_has_the_front_line_artworks_and_enterprises(client):
    call_command("load_demo")

    response = client.get(URL)
    page = text(response)
    counts = {s["kind"].key: s["count"] for s in response.context["sections"]}

    # 59 on the front line, of whom the generated members without consent are not listed.
    assert Citation.objects.filter(kind="front_line").count() == 59
    assert counts["front_line"] == 52
    # The story's 12 blood donors join the roll in steps of five: the last two wait for more.
    assert counts["artworks"] == 3 and counts["blood_donors"] == 10
    for line in [
        "《致敬》",
        "《众志成城抗疫情》",
        "连云港三瑞医疗器械制造有限公司：医用口罩生产线",
    ]:
        assert line in page


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_artwork_picture_shown_while_its_member_is_listed(client, settings, tmp_path, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    member = MemberFactory(name="江涛")
    artwork = Citation.objects.create(
        kind="artwork", member=member, title="致敬", image=SimpleUploadedFile("致敬.png", PNG)
    )
    url = artwork.image.url

    shown = client.get(url)
    member.listing_consent = False
    member.save()
    hidden = client.get(url)
    client.force_login(alice)
    staff = client.get(url)

    assert url.startswith("/honour-roll/artworks/artworks/")
    assert (shown.status_code, b"".join(shown.streaming_content)) == (200, PNG)
    assert hidden.status_code == 404
    assert (staff.status_code, b"".join(staff.streaming_content)) == (200, PNG)


def test_artwork_picture_must_be_a_real_jpeg_or_png():
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from honours.models import validate_image

    with pytest.raises(ValidationError) as error:
        validate_image(SimpleUploadedFile("假图.png", b"<script>"))

    assert error.value.messages == ["请上传 JPEG 或 PNG 图片；假图.png 不是。"]


def test_roll_never_shows_a_draft_or_non_public_campaign_or_its_givers(client):
    draft = CampaignFactory(title="筹备中的活动", status="draft")
    hidden = CampaignFactory(kind="blood", title="内部献血", is_public=False)
    DonationFactory(campaign=draft, member=MemberFactory(name="草稿捐赠者"))
    BloodDonationFactory(campaign=hidden, member=MemberFactory(name="内部献血者"))

    content = client.get(URL).content.decode()

    for secret in ["筹备中的活动", "内部献血", "草稿捐赠者", "内部献血者"]:
        assert secret not in content


# Found in issue 18: empty states, counts, repeated titles, pictures and the printout


def test_search_that_finds_nobody_says_so_once(client):
    front_line(MemberFactory(name="赵丽"))
    DonationFactory(member=MemberFactory(name="王芳"))

    response = client.get(URL, {"q": "nobodyhere"})
    page = text(response)

    assert "找到 0 位社员。" in page
    # One empty state, not one empty box per category.
    assert response.context["sections"] == []
    assert "这里暂无社员。" not in page


def test_roll_says_how_many_members_it_found(client):
    zhao = MemberFactory(name="赵丽")
    front_line(zhao)
    DonationFactory(member=zhao)
    DonationFactory(member=MemberFactory(name="王芳"))
    MemberFactory(name="未参与")

    everyone = text(client.get(URL))
    searched = text(client.get(URL, {"q": "zhaoli"}))

    # A search says how many it found, each member once whatever they did; the whole roll says
    # each kind's count (a total over every member would read every member at each change).
    assert "找到 1 位社员。" in searched
    shown = ["一线服务 1 位社员" in everyone, "捐赠 2 位社员" in everyone, "共 2 位" in everyone]
    assert shown == [True, True, False]


def test_donors_of_one_campaign_read_its_title_once(client):
    drive = CampaignFactory(title="缴纳特殊社费")
    for name in ["王芳", "李华", "张三"]:
        DonationFactory(campaign=drive, member=MemberFactory(name=name))

    donors = text(client.get(URL)).split("捐赠 3 位社员")[1]

    assert donors.count("缴纳特殊社费") == 1


def test_donors_of_different_campaigns_each_say_theirs(client):
    DonationFactory(campaign=CampaignFactory(title="特殊社费"), member=MemberFactory(name="王芳"))
    DonationFactory(campaign=CampaignFactory(title="冬日助学"), member=MemberFactory(name="李华"))

    page = text(client.get(URL))

    assert "李华 第" in page and "冬日助学" in page and "特殊社费" in page


def test_artworks_are_shown_with_their_pictures(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    artist = MemberFactory(name="江涛")
    artwork = Citation.objects.create(
        kind="artwork", member=artist, title="《致敬》", image=SimpleUploadedFile("z.png", PNG)
    )
    Citation.objects.create(kind="artwork", member=MemberFactory(name="常德强"), title="《无图》")

    content = client.get(URL, {"category": "artworks"}).content.decode()

    assert f'<img src="{artwork.image.url}" alt="《致敬》"' in content
    assert content.count("<img ") == 1


def test_printout_lists_everyone_the_roll_counts(client):
    for number in range(30):  # more than the overview's 24 per category
        front_line(MemberFactory(name=f"一线{number:02d}"))

    overview = text(client.get(URL))
    printout = client.get("/honour-roll/print/")
    printed = text(printout)

    assert "一线服务 30 位社员" in overview and "一线服务 30 位社员" in printed
    assert all(f"一线{number:02d}" in printed for number in range(30))
    assert 'href="/honour-roll/print/"' in client.get(URL).content.decode()


def test_printout_keeps_the_filters(client):
    front_line(MemberFactory(name="赵丽"))
    front_line(MemberFactory(name="王芳"))

    printed = text(client.get("/honour-roll/print/", {"q": "zhaoli"}))
    link = client.get(URL, {"q": "zhaoli"}).content.decode()

    assert "赵丽" in printed and "王芳" not in printed
    assert 'href="/honour-roll/print/?q=zhaoli"' in link


def test_printout_members_only_when_setting_off(client, settings):
    settings.HONOUR_ROLL_PUBLIC = False

    response = client.get("/honour-roll/print/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/honour-roll/print/",
    )


def test_roll_categories_say_the_general_words_until_staff_write_their_own(client):
    front_line(MemberFactory(name="赵丽"))
    artwork = MemberFactory(name="常德强")
    Citation.objects.create(kind="artwork", member=artwork, title="《致敬》")

    def headings(response):
        return [(s["title"], s["intro"]) for s in response.context["sections"]]

    general = client.get(URL)
    RollCategoryWording.objects.create(
        kind="front_line", title="防汛一线", intro="坚守大堤的社员。"
    )
    written = client.get(URL)  # the wording row moves the roll's version: not the cached page
    category = text(client.get(URL, {"category": "front_line"}))

    assert [(str(title), str(intro)) for title, intro in headings(general)] == [
        ("一线服务", "一线服务的社员。"),
        ("文艺作品", "以文艺作品参与的社员。"),
    ]
    assert [(str(title), str(intro)) for title, intro in headings(written)] == [
        ("防汛一线", "坚守大堤的社员。"),
        ("文艺作品", "以文艺作品参与的社员。"),
    ]
    assert "防汛一线 1 位社员 坚守大堤的社员。" in category
    assert ("防汛一线", "front_line") in [
        (str(label), key) for key, label in written.context["form"].fields["category"].choices
    ]


def test_staff_list_of_roll_wordings_names_each_category_not_its_key(client, alice):
    RollCategoryWording.objects.create(
        kind="front_line", title="防汛一线", intro="坚守大堤的社员。"
    )
    client.force_login(alice)

    listed = text(client.get("/admin/honours/rollcategorywording/"))

    assert "防汛一线 一线服务 坚守大堤的社员。" in listed
    assert "front_line" not in listed


def test_roll_counts_suggestion_authors_again_only_when_suggestions_or_members_change(client):
    """The roll is drawn again at every gift; the count of suggestion authors is kept under the
    suggestions' scope, so a gift does not count them again, while a new author, or an author's
    consent withdrawn, does."""
    author = MemberFactory(name="王芳")
    SuggestionFactory(authors=[author])
    gift = DonationFactory()  # its member, campaign and body made now: they move the register

    def authors_count():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        sections = {s["kind"].key: s["count"] for s in response.context["sections"]}
        counted = any(
            q["sql"].startswith("SELECT COUNT(*)") and "suggestions_suggestion_authors" in q["sql"]
            for q in captured
        )
        return sections["suggestion_authors"], counted

    assert authors_count() == (1, True)
    DonationFactory(member=gift.member, campaign=gift.campaign, recipient=gift.recipient)
    assert authors_count() == (1, False)
    SuggestionFactory(authors=[MemberFactory()])
    assert authors_count() == (2, True)
    # A suggestion alone (no member written): the suggestions' scope moves the count.
    Suggestion.objects.filter(authors=author).update(is_public=False)
    assert authors_count() == (1, True)
    SuggestionFactory(authors=[author])
    author.listing_consent = False
    author.save()
    assert authors_count() == (1, True)
