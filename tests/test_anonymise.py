"""Anonymising a member (PIPL art. 47): committee staff erase a member's name and contact details
everywhere — the register, its history, their records' words, the admin's log, their files'
names, pending imports, their login — while every total stays exact. The proof: every text
column of every table, searched in SQL for the old name, phone, e-mail and member number."""

import datetime
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from campaigns import progress
from campaigns.models import Campaign, Goal
from honours.models import CareVisit, Citation
from members.anonymise import member_anonymise
from members.models import CorrectionRequest, Enterprise, Member
from portal.models import PendingImport
from suggestions.models import Forwarding
from tests.factories import (
    AssignmentFactory,
    BloodDonationFactory,
    CampaignFactory,
    DonationFactory,
    HigherBodyFactory,
    MemberFactory,
    PostingSignupFactory,
    RecipientFactory,
    SuggestionFactory,
    UserFactory,
)
from tests.pages import messages_of

pytestmark = pytest.mark.django_db

OLD_NAME, FORMER_NAME = "赵丽", "赵莉"
PHONE, EMAIL, NUMBER = "13911112222", "zhaoli-private@example.org", "LYG0417"
WORKPLACE = "连云港市第四人民医院结核二科"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def text_columns() -> list[tuple[str, str, str]]:
    """(table, column, type) of every column of every table that can hold text or bytes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name, c.data_type
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND c.data_type IN
                ('character varying', 'text', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')
            ORDER BY c.table_name, c.column_name
            """
        )
        return cursor.fetchall()


def everywhere(needle: str) -> list[str]:
    """Every "table.column" holding ``needle`` anywhere in its text (or its bytes, as UTF-8)."""
    found = []
    with connection.cursor() as cursor:
        for table, column, kind in text_columns():
            if kind == "bytea":
                condition = f"position(convert_to(%s, 'UTF8') in \"{column}\") > 0"
            else:
                condition = f"\"{column}\"::text LIKE '%%' || %s || '%%'"
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE {condition}', [needle])
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


@pytest.fixture
def zhao(client, alice, hospital, haizhou):
    """赵丽 as the portal knows her after a few years: a corrected name, a login, records of every
    kind that name her, staff's edits in the admin, files, a pending import, a failed login."""
    member = MemberFactory(
        name=FORMER_NAME,
        branch=hospital,
        phone="13900009999",  # changed since: the old one must go too
        email=EMAIL,
        number=NUMBER,
        workplace=WORKPLACE,
        position="结核二科主任",
        joined_on=datetime.date(2005, 6, 6),
    )
    member.name, member.phone = OLD_NAME, PHONE
    member._change_reason = f"更正姓名为{OLD_NAME}"
    member.save()
    member.user = UserFactory(username=NUMBER, is_staff=False, first_name=OLD_NAME, email=EMAIL)
    member.save()

    drive = CampaignFactory(title="特殊社费", slug="dues")
    drive.recipients.add(RecipientFactory())
    Goal.objects.create(campaign=drive, metric="amount", target=Decimal("1000"))
    DonationFactory(campaign=drive, member=member, recipient=drive.recipients.get(), amount=300)
    DonationFactory(campaign=drive, recipient=drive.recipients.get(), amount=200)  # another's
    blood = CampaignFactory(kind="blood", slug="blood")
    for _ in range(5):
        BloodDonationFactory(campaign=blood)
    BloodDonationFactory(campaign=blood, member=member, station=f"{OLD_NAME}常去的血站")
    AssignmentFactory(member=member)
    PostingSignupFactory(member=member, note=f"{OLD_NAME}可以周末值守，电话{PHONE}")
    suggestion = SuggestionFactory(
        title=f"{OLD_NAME}关于口罩的建议",
        text=f"执笔：{OLD_NAME}（{WORKPLACE}），联系电话 {PHONE}。",
        branch=hospital,
        authors=[member],
    )
    suggestion.attachments.create(file=SimpleUploadedFile(f"{OLD_NAME}的调研报告.pdf", b"%PDF-1"))
    Forwarding.objects.create(
        suggestion=suggestion,
        body=HigherBodyFactory(),
        forwarded_on=datetime.date(2020, 2, 10),
        feedback=f"感谢{OLD_NAME}同志的建议。",
    )
    Citation.objects.create(
        kind="artwork",
        member=member,
        title="《致敬》",
        text=f"{OLD_NAME}创作",
        image=SimpleUploadedFile(f"{OLD_NAME}.png", PNG),
    )
    visit = CareVisit.objects.create(date="2020-02-25", sites="四院", note=f"看望{OLD_NAME}")
    visit.visited.set([member])
    enterprise = Enterprise.objects.create(name="某医疗公司", description=f"联系人{OLD_NAME}")
    enterprise.contacts.set([member])
    CorrectionRequest.objects.create(member=member, text=f"我的手机应为{PHONE}，邮箱{EMAIL}。")

    # Staff's edits, which the admin's log names her in.
    client.force_login(alice)
    for record in (member, member.blood_donations.get()):
        LogEntry.objects.log_actions(
            user_id=alice.pk,
            queryset=[record],
            action_flag=CHANGE,
            change_message=f'[{{"changed": {{"name": "{OLD_NAME}"}}}}]',
            single_object=True,
        )
    # An upload waiting for its confirmation that lists her, and one that does not.
    PendingImport.objects.create(
        uploaded_by=alice.pk,
        model="members.member",
        file_name="名册.csv",
        data=f"姓名,手机\n{OLD_NAME},{PHONE}\n".encode(),
    )
    PendingImport.objects.create(
        uploaded_by=alice.pk, model="members.member", file_name="别人.csv", data=b"x,y\n1,2\n"
    )
    AccessAttempt.objects.create(
        username=NUMBER, ip_address="10.0.0.1", user_agent="test", failures_since_start=1
    )
    return member


def figures() -> dict:
    return {
        campaign.slug: progress.campaign_progress(campaign)
        for campaign in Campaign.objects.order_by("slug")
    }


def anonymise_in_admin(client, member):
    url = "/admin/members/member/"
    asked = client.post(url, {"action": "anonymise", "_selected_action": [member.pk]})
    done = client.post(
        url,
        {"action": "anonymise", "_selected_action": [member.pk], "confirmed": "yes"},
        follow=True,
    )
    return asked, done


def test_no_trace_of_the_old_name_or_phone_remains_in_any_table(client, zhao):
    needles = [OLD_NAME, FORMER_NAME, PHONE, "13900009999", EMAIL, NUMBER, WORKPLACE]
    before = {needle: everywhere(needle) for needle in needles}

    anonymise_in_admin(client, zhao)

    # Before, they were everywhere: the check itself sees them.
    assert {
        "members_member.name",
        "members_historicalmember.name",
        "django_admin_log.object_repr",
        "portal_pendingimport.data",
        "suggestions_historicalsuggestion.text",
        "suggestions_attachment.file",
        "honours_citation.image",
        "campaigns_postingsignup.note",
        "members_correctionrequest.text",
    } <= set(before[OLD_NAME]) | set(before[PHONE])
    assert "axes_accessattempt.username" in before[NUMBER]
    assert {needle: everywhere(needle) for needle in needles} == {needle: [] for needle in needles}


def test_anonymised_member_keeps_records_and_every_total(client, zhao):
    before = figures()
    counts = (zhao.donations.count(), zhao.blood_donations.count(), zhao.suggestions.count())

    anonymise_in_admin(client, zhao)
    zhao.refresh_from_db()

    assert figures() == before
    assert (
        zhao.donations.count(),
        zhao.blood_donations.count(),
        zhao.suggestions.count(),
    ) == counts
    assert (zhao.name, zhao.phone, zhao.email, zhao.number, zhao.workplace, zhao.position) == (
        f"匿名社员{zhao.pk}",
        "",
        "",
        "",
        "",
        "",
    )
    assert (zhao.status, zhao.listing_consent, zhao.joined_on) == ("left", False, None)


def test_anonymised_member_can_no_longer_log_in_nor_is_listed(client, zhao):
    anonymise_in_admin(client, zhao)
    zhao.refresh_from_db()
    login = zhao.user

    assert (login.username, login.is_active, login.has_usable_password()) == (
        f"anonymised-{zhao.pk}",
        False,
        False,
    )
    assert not Member.objects.listable().filter(pk=zhao.pk).exists()


def test_anonymised_records_read_with_the_placeholder(client, zhao):
    anonymise_in_admin(client, zhao)
    suggestion = zhao.suggestions.get()
    placeholder = f"匿名社员{zhao.pk}"

    assert suggestion.title == f"{placeholder}关于口罩的建议"
    assert suggestion.text == f"执笔：{placeholder}（***），联系电话 ***。"
    # The file is kept as sent, under a name of its own.
    attachment = suggestion.attachments.get()
    assert attachment.file.name.endswith(f"attachment-{attachment.pk}.pdf")
    with attachment.file.open("rb") as kept:
        assert kept.read() == b"%PDF-1"
    assert (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Member), object_id=str(zhao.pk)
        ).values_list("object_repr", flat=True)[0]
        == placeholder
    )


def test_anonymising_deletes_pending_imports_that_mention_the_member_only(client, zhao):
    anonymise_in_admin(client, zhao)

    assert list(PendingImport.objects.values_list("file_name", flat=True)) == ["别人.csv"]


def test_anonymising_asks_first_and_says_what_it_did(client, zhao):
    url = "/admin/members/member/"

    asked = client.post(url, {"action": "anonymise", "_selected_action": [zhao.pk]})
    zhao.refresh_from_db()
    name_after_asking = zhao.name
    done = client.post(
        url,
        {"action": "anonymise", "_selected_action": [zhao.pk], "confirmed": "yes"},
        follow=True,
    )

    assert asked.status_code == 200
    assert "以下社员将被匿名化，此操作不可撤销。" in asked.content.decode()
    assert name_after_asking == OLD_NAME
    assert messages_of(done) == [
        "已将 1 名社员匿名化：其姓名和联系方式已从各处删除，其记录和各项合计保持不变。"
    ]


def test_clerk_may_not_anonymise(client, bob, zhao):
    client.force_login(bob)

    client.post(
        "/admin/members/member/",
        {"action": "anonymise", "_selected_action": [zhao.pk], "confirmed": "yes"},
    )
    zhao.refresh_from_db()

    assert zhao.name == OLD_NAME


def test_anonymising_one_member_leaves_a_namesake_alone(alice, hospital):
    leaving = MemberFactory(name="张伟", branch=hospital, phone="13911110000")
    namesake = MemberFactory(name="张伟民", branch=hospital, phone="13911110001")
    SuggestionFactory(title="张伟民的建议", branch=hospital, authors=[namesake])

    member_anonymise(member=leaving, user=alice)
    namesake.refresh_from_db()

    assert namesake.name == "张伟民"
    assert namesake.suggestions.get().title == "张伟民的建议"
