"""Invitations: how a member gets a login without anyone sending them a password.

Staff make a link (the member list's action "Give a login"); the member opens it and chooses a
password. A link is only ever for a member's own login that has no password yet: never for a
staff or superuser account, never for a login someone already uses. The link's token is its own
kind (not a password-reset token), and the page behind it checks the same rule again, so a link
made before a login was promoted, or a token of another kind, sets nothing.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from members.models import User


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    # Its own salt: a password-reset token is not an invitation, nor the other way round. The
    # token still dies with the first password set (the password's hash is part of it).
    key_salt = "members.invitations.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def may_be_invited(user: User) -> bool:
    """Whether the invitation page may set this login's password."""
    return not (user.is_staff or user.is_superuser or user.has_usable_password())


def refusal(member) -> str | None:
    """Why no invitation can be made for ``member``'s login, or None."""
    user = member.user
    if user is None:
        return None
    if user.is_staff or user.is_superuser:
        return gettext(
            "%(member)s's login is a staff account, which cannot be a member's login."
        ) % {"member": member.name}
    if user.has_usable_password():
        return gettext(
            "%(member)s has already set a password. If they forgot it, staff can set a new one "
            "under “Users”."
        ) % {"member": member.name}
    return None


def invite(request, member) -> tuple:
    """The member's login (made if missing, with no usable password) and a link to set its
    password, valid for PASSWORD_RESET_TIMEOUT. The caller has checked ``refusal``."""
    user = member.user
    if user is None:
        username = member.number or f"member{member.pk}"
        if User.objects.filter(username=username).exists():  # a staff login may have it
            username = f"member{member.pk}"
        user = User(username=username, first_name=member.name, is_staff=False)
        user.set_unusable_password()
        user.save()
        member.user = user
        member._change_reason = gettext("Login given")
        member.save()
    link = request.build_absolute_uri(
        reverse(
            "members:invite",
            args=[urlsafe_base64_encode(force_bytes(user.pk)), invitation_tokens.make_token(user)],
        )
    )
    return member, user.get_username(), link
