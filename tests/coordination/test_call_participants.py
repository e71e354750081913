"""A call's notes, link and invitee list are for its participants (issue 9, attack 6: "call
notes and the invitee list open to anyone who presses 'sign up'").

Participants are staff, the call's organizer, and the members the organizer let in. Pressing
"sign up" asks to take part; it shows nothing more than before.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.coordination.models import Signup
from chapterhouse.coordination.services import call_create
from tests.conftest import VIENNA, client_for, login_staff, make_member, make_organizer

pytestmark = pytest.mark.django_db

NOTES = "Agenda: who can help Boston"
LINK = "https://calls.example.org/organizers"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def oscar(organization):
    member = make_member("oscar@example.org", "Oscar Organizer")
    make_organizer(member)
    return member


@pytest.fixture
def call(oscar, charlie, vienna):
    vienna.coordinators.add(charlie)  # invited to Europe's calls without signing up
    call = call_create(context_for(oscar), title="Organizers", scope="region", continent="EU",
                       link=LINK)
    call.notes = NOTES
    call.save(update_fields=["notes"])
    return call


def page(client, member, call) -> str:
    client.logout()
    return client_for(client, member).get(reverse("call_detail", args=[call.pk])).text


def assert_sees_nothing_private(text: str) -> None:
    assert NOTES not in text
    assert LINK not in text
    assert "Charlie" not in text  # a regional invitee, named to participants only


def test_signing_up_alone_shows_neither_notes_nor_link_nor_who_takes_part(client, call, bob):
    assert_sees_nothing_private(page(client, bob, call))
    client.post(reverse("call_signup", args=[call.pk]))
    text = page(client, bob, call)
    assert "the organizer has not let you in yet" in text
    assert_sees_nothing_private(text)


def test_the_organizer_lets_a_member_in_and_then_they_see_notes_link_and_invitees(
        client, call, oscar, bob):
    client_for(client, bob).post(reverse("call_signup", args=[call.pk]))
    signup = Signup.objects.get(call=call, member=bob)
    assert "Bob" in page(client, oscar, call)  # the organizer sees who asks
    client.post(reverse("call_signup_accept", args=[call.pk, signup.pk]))
    text = page(client, bob, call)
    assert NOTES in text
    assert LINK in text
    assert "Charlie" in text


@pytest.mark.parametrize("persona", ["bob", "alice", "charlie"])
def test_only_the_calls_organizer_or_staff_let_members_in(client, call, persona, request,
                                                          olivia):
    signup = Signup.objects.create(call=call, member=olivia)
    response = client_for(client, request.getfixturevalue(persona)).post(
        reverse("call_signup_accept", args=[call.pk, signup.pk]))
    assert response.status_code == 404
    signup.refresh_from_db()
    assert signup.accepted_at is None


def test_another_organizer_cannot_let_members_into_a_call_not_theirs(client, call, olivia):
    other = make_member("otto@example.org", "Otto")
    make_organizer(other)
    signup = Signup.objects.create(call=call, member=olivia)
    response = client_for(client, other).post(
        reverse("call_signup_accept", args=[call.pk, signup.pk]))
    assert response.status_code == 404
    assert_sees_nothing_private(page(client, other, call))


def test_staff_see_and_let_in(client, call, staff, olivia):
    signup = Signup.objects.create(call=call, member=olivia)
    login_staff(client, staff)
    assert NOTES in client.get(reverse("call_detail", args=[call.pk])).text
    client.post(reverse("call_signup_accept", args=[call.pk, signup.pk]))
    signup.refresh_from_db()
    assert signup.accepted_at is not None


def test_a_self_made_coordinator_in_the_region_does_not_see_a_regional_calls_notes(
        client, call, olivia):
    """Founding a forming chapter in Europe puts you in the region's invitee count, not in
    the call: no notes, no link, no names."""
    olivia.place = make_member("x@example.org", "X", VIENNA).place
    olivia.save(update_fields=["place"])
    client_for(client, olivia).post(reverse("chapter_list"), {
        "name": "Olivia's Vienna", "description": "", "radius_km": "25", "invite": "",
        "despite_covering": "on"})  # inside an existing chapter's area: warned, goes on
    assert olivia.coordinated_chapters.exists()
    assert_sees_nothing_private(page(client, olivia, call))


def test_anonymous_visitors_are_sent_to_log_in_and_cannot_let_anyone_in(client, call, olivia):
    signup = Signup.objects.create(call=call, member=olivia)
    response = client.post(reverse("call_signup_accept", args=[call.pk, signup.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    signup.refresh_from_db()
    assert signup.accepted_at is None


def test_the_migration_lets_in_only_each_calls_organizer(call, oscar, bob):
    """Sign-ups made before this rule wait for the organizer."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "chapterhouse.coordination.migrations.0002_signup_accepted_at")
    Signup.objects.create(call=call, member=bob)
    Signup.objects.update(accepted_at=None)
    migration.accept_organizers(apps, None)
    assert list(Signup.objects.accepted().values_list("member", flat=True)) == [oscar.pk]
