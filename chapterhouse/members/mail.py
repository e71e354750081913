"""Email to one member, in their language, as plain text, with full links to the site."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from chapterhouse.members.language import member_language
from chapterhouse.members.tokens import CONFIRM_DAYS, confirmation_token


def site_link(view: str, *args) -> str:
    """A page's full address for an email (read outside the site): SITE_URL + its path."""
    return settings.SITE_URL.rstrip("/") + reverse(view, args=args)


def member_mail(member, compose: Callable[[], tuple[str, str]]) -> None:
    """Send what `compose` writes (subject, body), translated into the member's language."""
    with translation.override(member_language(member)):
        subject, body = compose()
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[member.email])


def confirmation_send(member, base_url: str) -> None:
    link = base_url + reverse("member_confirm", args=[confirmation_token(member)])

    def compose() -> tuple[str, str]:
        return (
            _("Confirm your email address"),
            _("Hello %(name)s,\n\nTo finish joining, confirm your email address by opening "
              "this link within %(days)d days:\n\n%(link)s\n\nIf you did not sign up, ignore "
              "this email and no account will be usable.")
            % {"name": member.display_name, "link": link, "days": CONFIRM_DAYS},
        )

    member_mail(member, compose)


def existing_account_notice_send(member, base_url: str) -> None:
    """Someone signed up with the address of an existing account: tell its owner, not them."""
    login = base_url + reverse("login")
    reset = base_url + reverse("password_reset")

    def compose() -> tuple[str, str]:
        return (
            _("Someone tried to sign up with your email address"),
            _("Hello %(name)s,\n\nSomeone (perhaps you) tried to sign up with this email "
              "address, but you already have an account. Log in here:\n\n%(login)s\n\nIf you "
              "forgot your password, reset it here:\n\n%(reset)s\n\nIf it was not you, you can "
              "ignore this email: nothing has changed in your account.")
            % {"name": member.display_name, "login": login, "reset": reset},
        )

    member_mail(member, compose)
