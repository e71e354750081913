"""Email to one member, in their language, as plain text, with full links to the site."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from chapterhouse.members.language import member_language
from chapterhouse.members.tokens import (
    CONFIRM_DAYS,
    INVITATION_DAYS,
    confirmation_token,
    invitation_token_generator,
)
from chapterhouse.outbox.services import message_queue

if TYPE_CHECKING:
    from chapterhouse.members.models import Member


def site_link(view: str, *args: Any) -> str:
    """A page's full address for an email (read outside the site): SITE_URL + its path. Without
    SITE_URL (a server without DEBUG) no email may leave with a link that leads nowhere."""
    if not settings.SITE_URL:
        raise ImproperlyConfigured(settings.SITE_URL_MISSING)
    return settings.SITE_URL.rstrip("/") + reverse(view, args=args)


def member_mail(member: Member, compose: Callable[[], tuple[str, str]], *, kind: str = "") -> None:
    """Queue what `compose` writes (subject, body), translated into the member's language, in
    the current transaction: it leaves through the outbox once that commits."""
    with translation.override(member_language(member)):
        subject, body = compose()
    message_queue(to=member.email, subject=subject, body=body, member=member,
                  kind=kind)


def confirmation_send(member: Member, base_url: str) -> None:
    link = base_url + reverse("member_confirm", args=[confirmation_token(member)])

    def compose() -> tuple[str, str]:
        return (
            _("Confirm your email address"),
            _("Hello %(name)s,\n\nTo finish joining, confirm your email address by opening "
              "this link within %(days)d days:\n\n%(link)s\n\nIf you did not sign up, ignore "
              "this email and no account will be usable.")
            % {"name": member.display_name, "link": link, "days": CONFIRM_DAYS},
        )

    member_mail(member, compose, kind="confirmation")


def existing_account_notice_send(member: Member, base_url: str) -> None:
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

    member_mail(member, compose, kind="existing_account")


def import_invitation_send(member: Member) -> None:
    """An imported member's invitation to choose a password, and so to log in."""
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from chapterhouse.organizations.models import Organization

    link = site_link("member_invitation_accept", urlsafe_base64_encode(force_bytes(member.pk)),
                     invitation_token_generator.make_token(member))
    organization = Organization.objects.current().name

    def compose() -> tuple[str, str]:
        return (
            _("Your account with %(organization)s: choose a password")
            % {"organization": organization},
            _("Hello %(name)s,\n\n%(organization)s now keeps its member list on this site, "
              "and you have an account with this email address. To use it, choose a password "
              "by opening this link within %(days)d days:\n\n%(link)s\n\nOnce it has expired, use "
              "\"Forgot your password?\" on the login page. If you do not want an account, "
              "ignore this email, or log in and delete it from your profile.")
            % {"name": member.display_name, "organization": organization, "link": link,
               "days": INVITATION_DAYS},
        )

    member_mail(member, compose, kind="import_invitation")
