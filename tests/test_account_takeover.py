"""Only a superuser touches a superuser's account, and a member's login is only ever a non-staff
account (issue 13, items 1 and 2).

The attack these close: committee staff linked a member to the superuser's login, made an
invitation link for it, set its password and logged in as the superuser; or posted an old
version of the superuser to its history's revert form."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from members.invitations import invitation_tokens
from members.models import Member, User
from tests.factories import MemberFactory, UserFactory
from tests.pages import messages_of, text
from tests.test_permission_matrix import BrowserForm

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "taken-over-2026"


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, first_name="超级")


def change_form(client, url, form_id):
    return BrowserForm(client.get(url).content.decode(), form_id).data


def invite(client, member):
    return client.post(
        reverse("admin:members_member_changelist"),
        {"action": "invite", "_selected_action": [member.pk]},
    )


def link_for(user, tokens=invitation_tokens) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("members:invite", args=[uid, tokens.make_token(user)])


def set_password_through(client, link) -> int:
    """Follow an invitation link as a stranger would and choose a password: the status of the
    final POST (0 when the link offered no form)."""
    client.logout()
    page = client.get(link, follow=True)
    if "new_password1" not in page.content.decode():
        return 0
    done = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    return done.status_code


# The member form: only a member's own kind of login may be linked


def test_member_form_offers_no_staff_or_superuser_login(client, alice, root, zhao_li):
    plain = UserFactory(username="zhaoli", is_staff=False)
    client.force_login(alice)

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "members", "model_name": "member", "field_name": "user", "term": ""},
    )

    assert [result["text"] for result in response.json()["results"]] == [plain.username]


@pytest.mark.parametrize("target", ["root", "alice", "carol"])
def test_member_form_refuses_linking_a_staff_or_superuser_login(request, client, alice, target):
    account = request.getfixturevalue(target)
    member = MemberFactory(name="冒名者")
    client.force_login(alice)
    url = reverse("admin:members_member_change", args=[member.pk])
    form = change_form(client, url, "member_form")

    response = client.post(url, {**form, "user": account.pk})

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["user"]
    assert Member.objects.get(pk=member.pk).user_id is None


def test_member_model_refuses_a_staff_login(root):
    member = MemberFactory(user=None)
    member.user = root

    with pytest.raises(Exception) as refused:
        member.full_clean()

    assert "user" in refused.value.message_dict


def test_user_linked_to_a_member_cannot_be_made_staff(client, alice, zhao_li):
    zhao_li.user = UserFactory(username="zhaoli", is_staff=False)
    zhao_li.save()
    client.force_login(alice)
    url = reverse("admin:members_user_change", args=[zhao_li.user.pk])
    form = change_form(client, url, "user_form")

    response = client.post(url, {**form, "is_staff": "on"})

    assert response.status_code == 200
    assert "is_staff" in response.context["adminform"].form.errors
    assert User.objects.get(pk=zhao_li.user.pk).is_staff is False


# Invitations: only for a member's login that has no password yet


def test_invitation_refused_for_a_member_linked_to_the_superuser(client, alice, root):
    # A link made before this fix, or by a path that skipped the form: the data is already there.
    member = MemberFactory(name="冒名者")
    Member.objects.filter(pk=member.pk).update(user=root)
    client.force_login(alice)

    response = invite(client, member)

    assert response.status_code == 302
    assert messages_of(client.get(response["Location"])) == [
        "没有生成邀请链接：冒名者的登录账号是工作人员账号，不能用作社员的登录。"
    ]


def test_invitation_refused_for_a_login_that_has_a_password(client, alice):
    member = MemberFactory(name="已有密码者")
    user = UserFactory(username="has-password", is_staff=False)
    user.set_password("own-password-2020")
    user.save()
    member.user = user
    member.save()
    client.force_login(alice)

    response = invite(client, member)

    assert messages_of(client.get(response["Location"])) == [
        "没有生成邀请链接：已有密码者已经设置了密码。忘记密码时，请工作人员在“用户”中为其重设密码。"
    ]
    user.refresh_from_db()
    assert user.check_password("own-password-2020")


def test_invitation_is_all_or_nothing(client, alice, root):
    fresh = MemberFactory(name="新社员")
    taken = MemberFactory(name="冒名者")
    Member.objects.filter(pk=taken.pk).update(user=root)
    client.force_login(alice)

    client.post(
        reverse("admin:members_member_changelist"),
        {"action": "invite", "_selected_action": [fresh.pk, taken.pk]},
    )

    assert Member.objects.get(pk=fresh.pk).user_id is None


@pytest.mark.parametrize("tokens", [invitation_tokens, default_token_generator])
def test_invitation_link_never_sets_a_staff_or_superuser_password(client, root, tokens):
    # Even with a valid token (an old link, or a password-reset token), the page refuses.
    status = set_password_through(client, link_for(root, tokens))

    root.refresh_from_db()
    assert status == 0
    assert root.check_password(NEW_PASSWORD) is False


def test_invitation_link_refuses_a_login_that_has_a_password(client):
    member = MemberFactory()
    member.user = UserFactory(username="has-password", is_staff=False)
    member.user.set_password("own-password-2020")
    member.user.save()
    member.save()

    status = set_password_through(client, link_for(member.user))

    assert status == 0


def test_password_reset_token_is_not_an_invitation(client):
    member = MemberFactory()
    member.user = UserFactory(username="fresh-login", is_staff=False)
    member.user.set_unusable_password()
    member.user.save()
    member.save()

    status = set_password_through(client, link_for(member.user, default_token_generator))

    assert status == 0


def test_staff_cannot_take_over_the_superuser_by_the_reported_steps(client, alice, root):
    """The review's steps: link a member to the superuser, invite, set the password, log in."""
    member = MemberFactory(name="冒名者")
    client.force_login(alice)
    url = reverse("admin:members_member_change", args=[member.pk])
    client.post(url, {**change_form(client, url, "member_form"), "user": root.pk})
    response = invite(client, member)
    links = (response.context or {}).get("invitations", [])

    for row in links:
        set_password_through(client, row["link"])

    # The member got a login of their own, not the superuser's.
    assert Member.objects.get(pk=member.pk).user_id != root.pk
    assert [row["username"] for row in links] == [f"member{member.pk}"]
    assert client.login(username="root", password=NEW_PASSWORD) is False


# The superuser's account, by every path


def test_staff_cannot_revert_the_superuser_through_its_history(client, alice, root):
    root.first_name = "改过的名"
    root.save()
    version = root.history.earliest()
    client.force_login(alice)
    url = reverse("admin:members_user_simple_history", args=[root.pk, version.history_id])
    form = change_form(client, reverse("admin:members_user_change", args=[alice.pk]), "user_form")

    response = client.post(url, {**form, "first_name": "超级", "is_active": ""})

    root.refresh_from_db()
    assert response.status_code == 403
    assert (root.first_name, root.is_active) == ("改过的名", True)


def test_staff_cannot_revert_a_superuser_to_a_version_before_promotion(client, alice):
    # The old version was an ordinary login; the account as it is now is the superuser's.
    user = UserFactory(username="promoted", is_superuser=False)
    version = user.history.earliest()
    user.is_superuser = True
    user.save()
    client.force_login(alice)
    url = reverse("admin:members_user_simple_history", args=[user.pk, version.history_id])
    form = change_form(client, reverse("admin:members_user_change", args=[alice.pk]), "user_form")

    response = client.post(url, {**form, "is_active": ""})

    user.refresh_from_db()
    assert response.status_code == 403
    assert (user.is_superuser, user.is_active) == (True, True)


@pytest.mark.parametrize(
    ("view", "data"),
    [
        ("auth_user_password_change", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}),
        ("members_user_delete", {"post": "yes"}),
    ],
)
def test_staff_cannot_change_the_superusers_password_or_delete_it(client, alice, root, view, data):
    client.force_login(alice)

    response = client.post(reverse(f"admin:{view}", args=[root.pk]), data)

    root.refresh_from_db()
    assert response.status_code == 403
    assert root.check_password(NEW_PASSWORD) is False


def test_staff_cannot_delete_the_superuser_through_the_bulk_action(client, alice, root):
    client.force_login(alice)

    response = client.post(
        reverse("admin:members_user_changelist"),
        {"action": "delete_selected", "_selected_action": [root.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert User.objects.filter(pk=root.pk).exists()


def test_superuser_may_revert_a_superuser(client, root):
    root.first_name = "改过的名"
    root.save()
    version = root.history.earliest()
    client.force_login(root)
    url = reverse("admin:members_user_simple_history", args=[root.pk, version.history_id])
    form = change_form(client, reverse("admin:members_user_change", args=[root.pk]), "user_form")

    response = client.post(url, {**form, "first_name": "超级"})

    root.refresh_from_db()
    assert response.status_code == 302
    assert root.first_name == "超级"
    assert "改过的名" not in text(client.get(reverse("admin:members_user_changelist")))
