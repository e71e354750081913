"""Issue 13, item 2: the follow-up queue, the conversation log and the email consent, through
the real pages, for each persona: a visitor, a member of the chapter, a member of another
chapter, a coordinator of another chapter, the chapter's coordinator, the organizer who carries
it, another organizer, and staff. Only the chapter's coordinators and its organizer see the
queue and the log, or write to it; everyone else gets 404 and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_for
from chapterhouse.followups.models import Conversation, Kind, WelcomeReminder
from chapterhouse.followups.services import (
    KIND_COORDINATORS,
    KIND_ORGANIZER,
    conversation_log,
    welcome_reminders_send,
)
from chapterhouse.members.models import Member, recorded_on
from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.privacy.services import member_erase
from tests.conftest import VIENNA, client_for, join, make_member, make_organizer

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
TODAY = datetime.date(2014, 2, 1)  # the organization's clock: noon UTC of this day
PERSONAS = ["visitor", "member", "other_member", "other_coordinator", "coordinator",
            "organizer", "other_organizer", "staff"]
ALLOWED = {"coordinator", "organizer"}


@pytest.fixture
def people(springfield, vienna, alice, bob, charlie, staff) -> dict[str, Member]:
    vienna_coordinator = make_member("victor@example.org", "Victor", VIENNA)
    join(vienna, vienna_coordinator)
    vienna.coordinators.add(vienna_coordinator)
    oscar = make_member("oscar@example.org", "Oscar")
    springfield.organizer = make_organizer(oscar)
    springfield.save(update_fields=["organizer"])
    otto = make_member("otto@example.org", "Otto")
    vienna.organizer = make_organizer(otto)  # carries another chapter
    vienna.save(update_fields=["organizer"])
    return {"member": bob, "other_member": charlie, "other_coordinator": vienna_coordinator,
            "coordinator": alice, "organizer": oscar, "other_organizer": otto,
            "staff": staff}


@pytest.fixture
def nina(springfield) -> Member:
    """New in Springfield three days ago: her welcome is due."""
    member = make_member("nina@example.org", "Nina", joined_on=datetime.date(2012, 1, 1))
    join(springfield, member, on=datetime.date(2014, 1, 29))
    return member


@pytest.fixture
def ned(organization) -> Member:
    """New without a chapter, living in Springfield's area, two days and a half ago."""
    return make_member("ned@example.org", "Ned", willing_to_meet=True,
                       joined_on=datetime.date(2014, 1, 30))


def as_persona(persona: str, people: dict[str, Member]) -> Client:
    client = Client()
    return client if persona == "visitor" else client_for(client, people[persona])


def hidden(response) -> bool:
    """404, or the visitor sent to log in."""
    return response.status_code == 404 or (
        response.status_code == 302 and reverse("login") in response["Location"])


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_coordinators_and_the_organizer_see_and_write_the_queue_and_the_log(
        persona, people, springfield, nina, ned):
    client = as_persona(persona, people)
    queue = client.get(reverse("followups_chapter", args=[springfield.slug]))
    person = client.get(reverse("followups_person", args=[springfield.slug, nina.pk]))
    mine = client.get(reverse("followups_mine"))
    logged = client.post(reverse("followups_person", args=[springfield.slug, nina.pk]), {
        "occurred_on": "2014-01-31", "kind": Kind.ONE_TO_ONE, "notes": "Likes gardening."})
    welcomed = client.post(reverse("followups_welcomed", args=[springfield.slug, ned.pk]))
    rows = list(Conversation.objects.values_list("member__display_name", "talked_by_id",
                                                 "kind"))
    if persona in ALLOWED:
        assert queue.status_code == person.status_code == mine.status_code == 200
        html = queue.content.decode()
        for text in ("Nina", "Ned", "Waiting for a welcome"):
            assert text in html
        assert "Nina" in mine.content.decode()
        assert logged.status_code == welcomed.status_code == 302
        me = people[persona].pk
        assert sorted(rows) == [("Ned", me, Kind.WELCOME), ("Nina", me, Kind.ONE_TO_ONE)]
    else:
        for response in (queue, person, logged, welcomed):
            assert hidden(response)
        assert rows == []
        if persona in {"other_coordinator", "other_organizer"}:
            # Their own page lists Vienna, never Springfield or its people.
            assert mine.status_code == 200
            assert "Nina" not in mine.content.decode()
            assert "Springfield" not in mine.content.decode()
        else:
            assert hidden(mine)


def test_the_log_is_not_shown_for_someone_outside_the_chapter_and_its_area(
        people, springfield, charlie):
    client = client_for(Client(), people["coordinator"])
    url = reverse("followups_person", args=[springfield.slug, charlie.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"occurred_on": "2014-01-31", "kind": Kind.ONE_TO_ONE}
                       ).status_code == 404
    assert not Conversation.objects.exists()


def test_another_chapters_log_stays_there(people, springfield, vienna, charlie):
    """Vienna's coordinator logs a talk with Charlie; Springfield's people never see it."""
    conversation_log(context_for(people["other_coordinator"]), chapter=vienna, member=charlie,
                     occurred_on=TODAY, notes="Secret to Vienna")
    for persona in ALLOWED:
        client = client_for(Client(), people[persona])
        assert client.get(reverse("followups_person", args=[springfield.slug, charlie.pk])
                          ).status_code == 404
        assert client.get(reverse("followups_person", args=[vienna.slug, charlie.pk])
                          ).status_code == 404


# The email consent -----------------------------------------------------------------------

def test_organizers_see_an_email_only_when_the_member_allowed_it(people, springfield, nina):
    url = reverse("followups_chapter", args=[springfield.slug])
    organizer = client_for(Client(), people["organizer"])
    coordinator = client_for(Client(), people["coordinator"])
    assert "nina@example.org" not in organizer.get(url).content.decode()
    Member.objects.filter(pk=nina.pk).update(email_visible_to_organizers=True)
    assert "nina@example.org" in organizer.get(url).content.decode()
    # A coordinator never sees addresses (as everywhere on the site), allowed or not.
    assert "nina@example.org" not in coordinator.get(url).content.decode()
    assert "@" not in "".join(
        line for line in coordinator.get(url).content.decode().splitlines()
        if "mailto:" in line)


@pytest.mark.urls("tests.followups.urls_with_inbox")
def test_without_the_email_the_page_offers_to_write_through_the_site(
        people, springfield, nina):
    html = client_for(Client(), people["organizer"]).get(
        reverse("followups_chapter", args=[springfield.slug])).content.decode()
    assert f"/inbox/write/{nina.pk}/" in html
    assert "nina@example.org" not in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_member_sets_their_own_consent(persona, people, bob):
    client = as_persona(persona, people)
    response = client.post(reverse("member_email_consent"),
                           {"email_visible_to_organizers": "on"})
    allowed = dict(Member.objects.values_list("pk", "email_visible_to_organizers"))
    if persona == "visitor":
        assert hidden(response)
        assert not any(allowed.values())
    else:
        assert response.status_code == 302
        assert {pk for pk, on in allowed.items() if on} == {people[persona].pk}


def test_the_consent_is_off_by_default_and_can_be_withdrawn(bob):
    client = client_for(Client(), bob)
    page = client.get(reverse("member_profile")).content.decode()
    assert "Organizers may see my email address" in page
    assert not Member.objects.get(pk=bob.pk).email_visible_to_organizers
    client.post(reverse("member_email_consent"), {"email_visible_to_organizers": "on"})
    assert Member.objects.get(pk=bob.pk).email_visible_to_organizers
    client.post(reverse("member_email_consent"), {})
    assert not Member.objects.get(pk=bob.pk).email_visible_to_organizers


# Bad input, double submits, erasure -----------------------------------------------------

def test_notes_beyond_the_limit_get_a_clear_message_and_nothing_is_logged(
        people, springfield, nina):
    client = client_for(Client(), people["coordinator"])
    response = client.post(reverse("followups_person", args=[springfield.slug, nina.pk]), {
        "occurred_on": "2014-01-31", "kind": Kind.ONE_TO_ONE, "notes": "x" * 2001})
    assert response.status_code == 200
    assert "at most 2000 characters; these have 2001" in response.content.decode()
    future = client.post(reverse("followups_person", args=[springfield.slug, nina.pk]), {
        "occurred_on": "2014-02-02", "kind": Kind.ONE_TO_ONE})
    assert "cannot be in the future" in future.content.decode()
    assert not Conversation.objects.exists()


def test_a_double_submit_logs_once(people, springfield, nina):
    client = client_for(Client(), people["coordinator"])
    data = {"occurred_on": "2014-01-31", "kind": Kind.WELCOME, "notes": "Hello"}
    url = reverse("followups_person", args=[springfield.slug, nina.pk])
    client.post(url, data)
    client.post(url, data)
    assert Conversation.objects.count() == 1


def test_a_logged_welcome_takes_the_member_off_the_queue(people, springfield, nina):
    client = client_for(Client(), people["coordinator"])
    url = reverse("followups_chapter", args=[springfield.slug])
    assert "Nina" in _queue_of(client.get(url).content.decode())
    client.post(reverse("followups_welcomed", args=[springfield.slug, nina.pk]))
    assert "Nina" not in _queue_of(client.get(url).content.decode())


def _queue_of(html: str) -> str:
    return html.split('id="queue"')[1].split('id="ladder"')[0]


def test_erasing_a_member_deletes_the_conversations_about_them(people, springfield, nina,
                                                               alice):
    ctx = context_for(people["coordinator"])
    conversation_log(ctx, chapter=springfield, member=nina, occurred_on=TODAY, notes="About Nina")
    kept = conversation_log(context_for(people["organizer"]), chapter=springfield,
                            member=people["member"], occurred_on=TODAY, notes="About Bob")
    WelcomeReminder.objects.create(chapter=springfield, member=nina)
    member_erase(context_for(), member=nina)
    assert not Conversation.objects.filter(member=nina).exists()
    assert not WelcomeReminder.objects.filter(member=nina).exists()
    assert not Conversation.objects.filter(notes__contains="Nina").exists()
    # Erasing the coordinator who logged a conversation keeps it (about someone else).
    conversation_log(ctx, chapter=springfield, member=people["member"], occurred_on=TODAY,
                     notes="Bob again")
    member_erase(context_for(), member=alice)
    assert set(Conversation.objects.values_list("notes", flat=True)) == {"About Bob",
                                                                          "Bob again"}
    assert Conversation.objects.filter(pk=kept.pk).exists()


# The ladder on the page, on the organization's clock -------------------------------------

def test_the_page_counts_members_per_rung_and_explains_the_rules(people, springfield, nina):
    eve = make_member("eve@example.org", "Eve")
    join(springfield, eve, on=datetime.date(2014, 1, 18))  # 14 days ago: no longer new
    html = client_for(Client(), people["coordinator"]).get(
        reverse("followups_chapter", args=[springfield.slug])).content.decode()
    ladder = html.split('id="ladder"')[1].split('id="people"')[0]
    rows = dict(_rows(ladder))
    assert rows["New"] == "1"  # Nina
    assert rows["Not reached yet"] == "2"  # Bob (2012) and Eve
    assert rows["Core"] == "1"  # Alice coordinates
    assert "each of the last 3 calendar months" in html


def _rows(html: str):
    import re

    return re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', html)


# Reminders --------------------------------------------------------------------------------

def _newcomer(chapter: Chapter, email: str, at: datetime.datetime) -> Member:
    member = make_member(email, email.split("@")[0].title())
    membership = join(chapter, member, on=at.date())
    type(membership).objects.filter(pk=membership.pk).update(created_at=at)
    return member


def test_coordinators_are_reminded_at_48_hours_then_the_organizer_once_each(
        people, springfield, settings, django_capture_on_commit_callbacks):
    settings.FOLLOWUP_ORGANIZER_AFTER_HOURS = 24
    noon = datetime.datetime(2014, 2, 1, 12, tzinfo=UTC)
    _newcomer(springfield, "due@example.org", noon - datetime.timedelta(hours=48))
    _newcomer(springfield, "early@example.org",
              noon - datetime.timedelta(hours=47, minutes=59))
    ctx = context_for()

    def send():
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return welcome_reminders_send(ctx,
                                          link_for=lambda c: f"http://testserver/{c.slug}/")

    first = send()
    assert (first.coordinators, first.organizers, first.people) == (1, 0, 1)
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "Due" in mail.outbox[0].body
    assert "Early" not in mail.outbox[0].body
    assert "due@example.org" not in mail.outbox[0].body  # names only, never addresses
    assert send() == type(first)(0, 0, 0)  # idempotent: nothing twice
    assert OutboxMessage.objects.filter(kind=KIND_COORDINATORS).count() == 1
    # 72 hours after arriving (48 + 24), still not welcomed: the organizer, once.
    _newcomer(springfield, "later@example.org", noon - datetime.timedelta(hours=72))
    third = send()
    assert (third.coordinators, third.organizers) == (1, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "oscar@example.org"]
    assert send() == type(first)(0, 0, 0)
    assert OutboxMessage.objects.filter(kind=KIND_ORGANIZER).count() == 1


def test_no_reminder_for_someone_already_welcomed(people, springfield):
    noon = datetime.datetime(2014, 2, 1, 12, tzinfo=UTC)
    member = _newcomer(springfield, "welcomed@example.org", noon - datetime.timedelta(days=3))
    conversation_log(context_for(people["coordinator"]), chapter=springfield, member=member,
                     occurred_on=TODAY, kind=Kind.WELCOME)
    sent = welcome_reminders_send(context_for(), link_for=lambda c: "http://testserver/")
    assert sent.people == 0


def test_new_members_without_a_chapter_remind_the_chapters_whose_area_they_live_in(
        people, springfield, ned):
    sent = welcome_reminders_send(context_for(), link_for=lambda c: "http://testserver/")
    assert sent.people == 1
    assert WelcomeReminder.objects.get().member == ned
    assert recorded_on(ned.joined_on).date() == datetime.date(2014, 1, 30)


def test_the_members_own_data_download_holds_the_conversations_about_them_and_the_consent(
        people, springfield, nina):
    import io
    import json
    import zipfile

    conversation_log(context_for(people["coordinator"]), chapter=springfield, member=nina,
                     occurred_on=TODAY, kind=Kind.WELCOME, notes="Wants to help with flyers")
    response = client_for(Client(), nina).post(reverse("member_data_download"))
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    assert data["conversations"] == [{"chapter": "Springfield", "date": "2014-02-01",
                                      "kind": "welcome", "notes": "Wants to help with flyers"}]
    assert data["profile"][0]["email_visible_to_organizers"] is False
    assert "Alice" not in json.dumps(data["conversations"])


def test_the_command_sends_the_same_reminders_once(people, springfield, nina):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("send_welcome_reminders", stdout=out)
    call_command("send_welcome_reminders", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 email(s) to coordinators, 0 to organizers, about 1 new member(s)",
        "0 email(s) to coordinators, 0 to organizers, about 0 new member(s)"]
