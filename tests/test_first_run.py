"""A new committee from an empty register: ``start_committee`` makes the top branch and the first
committee staff account, who logs in and works; ``demo_accounts`` on an empty register says what
to do instead of failing with a traceback (docs/first-run.md)."""

import io

import pytest
from django.core.management import CommandError, call_command

from members import roles
from members.models import Branch, User
from tests.pages import text

pytestmark = pytest.mark.django_db

PASSWORD = "lyg-first-run-2026"


def start(name="九三学社某市委", username="wang", variable="BP_FIRST_PASSWORD"):
    out = io.StringIO()
    call_command(
        "start_committee",
        name=name,
        username=username,
        password_from_env=variable,
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("BP_FIRST_PASSWORD", PASSWORD)
    return PASSWORD


def test_start_committee_on_empty_register_makes_branch_and_staff_account(password):
    output = start()

    user = User.objects.get(username="wang")
    branch = Branch.objects.get()
    assert (
        branch.name,
        branch.kind,
        branch.parent,
        user.branch,
        user.is_staff,
        user.is_superuser,
        list(user.groups.values_list("name", flat=True)),
        user.check_password(PASSWORD),
    ) == (
        "九三学社某市委",
        Branch.Kind.COMMITTEE,
        None,
        branch,
        True,
        False,
        [roles.COMMITTEE_STAFF],
        True,
    )
    assert output == "已建立市委会“九三学社某市委”；wang 可以登录管理后台。\n"


def test_start_committee_account_logs_in_to_the_workbench(client, password):
    start()

    login = client.post(
        "/accounts/login/", {"username": "wang", "password": PASSWORD, "next": "/admin/"}
    )
    response = client.get("/admin/")

    assert (login.status_code, login["Location"], response.status_code) == (302, "/admin/", 200)
    assert text(response).count("您负责全部组织的记录。") == 1


def test_start_committee_again_with_same_name_changes_nothing(password):
    start()

    output = start()

    assert (Branch.objects.count(), User.objects.count()) == (1, 1)
    assert output == "市委会“九三学社某市委”已建立；wang 是其社市委机关工作人员。\n"


def test_start_committee_with_another_name_is_refused(password):
    start()

    with pytest.raises(CommandError) as refused:
        start(name="另一个市委", username="li")

    assert (str(refused.value), refused.value.returncode) == (
        "此登记册已属于市委会“九三学社某市委”，不再建立第二个顶层组织“另一个市委”。",
        1,
    )
    assert (list(Branch.objects.values_list("name", flat=True)), User.objects.count()) == (
        ["九三学社某市委"],
        1,
    )


def test_start_committee_without_password_in_environment_is_refused(monkeypatch):
    monkeypatch.delenv("BP_FIRST_PASSWORD", raising=False)

    with pytest.raises(CommandError) as refused:
        start()

    assert str(refused.value) == "环境变量 BP_FIRST_PASSWORD 中没有密码。"
    assert (Branch.objects.count(), User.objects.count()) == (0, 0)


def test_demo_accounts_on_empty_register_says_what_to_do(settings):
    settings.DEBUG = True

    with pytest.raises(CommandError) as refused:
        call_command("demo_accounts")

    assert (str(refused.value), refused.value.returncode) == (
        "登记册中没有演示账号所需的组织“九三学社连云港市委”：请先加载演示数据"
        "（manage.py load_demo），或用 manage.py start_committee 建立新的市委会。",
        1,
    )
