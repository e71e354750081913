"""One-click unsubscribe works without logging in, only with the signed link, only for its
member; the settings page is for the member themself."""

import pytest
from django.core import signing
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.notices.models import DigestEntry, Preference
from chapterhouse.notices.tokens import unsubscribe_token
from chapterhouse.privacy.services import member_erase
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def link(member, category="polls"):
    return reverse("notices_unsubscribe", args=[unsubscribe_token(member.pk, category)])


def never(member):
    return set(Preference.objects.filter(member=member, frequency="never")
               .values_list("category", flat=True))


def test_get_asks_and_post_unsubscribes_without_logging_in(client, bob):
    page = client.get(link(bob))
    assert page.status_code == 200
    assert b"<form method=\"post\"" in page.content
    assert never(bob) == set()  # a GET (a mail scanner following links) changes nothing
    assert client.post(link(bob)).status_code == 200
    assert never(bob) == {"polls"}


def test_the_one_click_post_of_a_mail_provider_unsubscribes_from_everything(client, bob):
    DigestEntry.objects.create(member=bob, category="polls", kind="poll_opening",
                               frequency="daily", subject="Poll")
    response = client.post(link(bob, "all"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert never(bob) == {"chapter", "meetings", "polls", "helpboard", "organizing",
                          "messages"}
    assert not DigestEntry.objects.exists()  # what waited is not sent either


def test_a_tampered_token_is_refused_and_changes_nothing(client, bob, alice):
    token = unsubscribe_token(bob.pk, "polls")
    payload, rest = token.split(":", 1)  # another member's id with bob's signature
    forged = signing.b64_encode(f'[{alice.pk},"polls"]'.encode()).decode() + ":" + rest
    assert forged != token
    assert payload
    for bad in (token[:-2] + "xx", forged, unsubscribe_token(bob.pk, "account")):
        url = reverse("notices_unsubscribe", args=[bad])
        assert client.post(url).status_code == 400
    assert not Preference.objects.exists()


def test_a_members_link_unsubscribes_that_member_only(client, bob, alice):
    client_for(client, alice)  # even logged in as someone else
    client.post(link(bob))
    assert never(bob) == {"polls"}
    assert never(alice) == set()


def test_the_settings_page_is_for_members_and_saves_their_choices(client, bob):
    url = reverse("notices_settings")
    assert client.get(url).status_code == 302  # a visitor is sent to log in
    client_for(client, bob)
    page = client.get(url)
    assert "Email settings" in page.content.decode()
    choices = {"chapter": "immediately", "meetings": "daily", "polls": "weekly",
               "helpboard": "never", "organizing": "daily", "messages": "immediately"}
    assert client.post(url, choices).status_code == 302
    assert dict(Preference.objects.filter(member=bob).values_list(
        "category", "frequency")) == choices
    bad = client.post(url, {**choices, "polls": "hourly"})
    assert bad.status_code == 200  # shown again with the error, nothing changed
    assert Preference.objects.get(member=bob, category="polls").frequency == "weekly"


def test_erasure_removes_preferences_and_waiting_entries(bob, alice):
    client_ctx = context_for(bob)
    Preference.objects.create(member=bob, category="polls", frequency="never")
    DigestEntry.objects.create(member=bob, category="meetings", kind="meeting_changed",
                               frequency="daily", subject="Moved")
    member_erase(client_ctx, member=bob)
    assert not Preference.objects.filter(member=bob).exists()
    assert not DigestEntry.objects.filter(member=bob).exists()
