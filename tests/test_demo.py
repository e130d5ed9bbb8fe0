import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from members import demo, roles
from members.management.commands.demo_accounts import DEMO_PASSWORD
from members.models import Branch, Enterprise, Member, User

pytestmark = pytest.mark.django_db


def _counts():
    return (Branch.objects.count(), Member.objects.count(), Enterprise.objects.count())


def test_load_demo_is_idempotent():
    call_command("load_demo")
    first = _counts()
    zhao_li = Member.objects.get(name="赵丽")
    zhao_li.position = "被改动的职务"
    zhao_li.save()

    call_command("load_demo")

    assert _counts() == first == (len(demo.BRANCHES), 17 + demo.GENERATED_MEDICAL, 3)
    assert Member.objects.get(name="赵丽").position == "结核二科主任"


def test_load_demo_if_empty_keeps_edits():
    call_command("load_demo")
    Member.objects.filter(name="赵丽").update(position="被改动的职务")

    call_command("load_demo", if_empty=True)

    assert Member.objects.get(name="赵丽").position == "被改动的职务"


def test_load_demo_has_the_story_people_and_consent_for_most_but_not_all():
    call_command("load_demo")

    assert Member.objects.get(name="赵丽").workplace == "连云港市第四人民医院"
    assert Member.objects.get(name="张维亮").branch.name == "赣榆区支社"
    assert Member.objects.get(name="陈丹").branch.parent.parent.name == "海州区基层委员会"
    without_consent = Member.objects.filter(listing_consent=False).count()
    assert without_consent == demo.GENERATED_MEDICAL // demo.WITHOUT_CONSENT_EVERY
    assert Member.objects.filter(sector__name="医药卫生界").count() == 7 + demo.GENERATED_MEDICAL
    assert list(
        Enterprise.objects.get(name="江苏同德信息科技有限公司").contacts.values_list(
            "name", flat=True
        )
    ) == ["张维亮"]


def test_demo_accounts_are_refused_without_debug(settings):
    call_command("load_demo")
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("demo_accounts")

    assert User.objects.count() == 0


def test_demo_accounts_one_per_role(settings):
    call_command("load_demo")
    settings.DEBUG = True

    call_command("demo_accounts")
    call_command("demo_accounts")  # a second make run must not fail or duplicate

    roles_by_user = {
        user.username: (
            user.is_superuser,
            user.is_staff,
            list(user.groups.values_list("name", flat=True)),
        )
        for user in User.objects.order_by("username")
    }
    assert roles_by_user == {
        "admin": (True, True, []),
        "clerk": (False, True, [roles.BRANCH_CLERK]),
        "leader": (False, True, [roles.LEADERSHIP]),
        "member": (False, False, []),
        "staff": (False, True, [roles.COMMITTEE_STAFF]),
    }
    assert User.objects.get(username="clerk").branch.name == demo.HOSPITAL_BRANCH
    assert User.objects.get(username="member").member.name == "赵丽"
    assert authenticate(username="leader", password=DEMO_PASSWORD) is not None
