"""Asking to join a chapter, and its coordinators answering."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from chapterhouse.chapters.models import ChapterMembership, JoinRequest

pytestmark = pytest.mark.django_db
ON = datetime.date(2014, 2, 1)


def ask(client, chapter, member, capture):
    client.force_login(member)
    with capture(execute=True):
        return client.post(reverse("chapter_join", args=[chapter.slug]))


@pytest.fixture
def asked(client, springfield, alice, olivia, django_capture_on_commit_callbacks):
    ask(client, springfield, olivia, django_capture_on_commit_callbacks)
    return JoinRequest.objects.get()


def answer(client, join_request, answer, slug=None):
    return client.post(reverse("join_request_answer",
                               args=[slug or join_request.chapter.slug, join_request.pk]),
                       {"answer": answer})


def test_asking_to_join_tells_the_coordinators_by_email(asked, alice, olivia):
    assert asked.status == "pending"
    assert asked.member == olivia
    [message] = mail.outbox
    assert message.to == [alice.email]
    assert "Olivia asks to join Springfield" in message.subject
    assert settings.SITE_URL + "/chapters/springfield/requests/" in message.body
    assert olivia.email not in message.body


def test_the_coordinator_sees_name_and_city_and_accepts(client, asked, alice, olivia,
                                                        django_capture_on_commit_callbacks):
    client.force_login(alice)
    page = client.get(reverse("chapter_join_requests", args=["springfield"])).text
    assert "Olivia" in page
    assert "New York City" in page
    assert olivia.email not in page
    assert "woman" not in page.lower().replace("women", "")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, asked, "accept")
    asked.refresh_from_db()
    assert asked.status == "accepted"
    assert asked.answered_by == alice
    membership = ChapterMembership.objects.get(member=olivia)
    assert membership.chapter.slug == "springfield"
    assert membership.joined_on == ON
    assert mail.outbox[0].to == [olivia.email]
    assert "Welcome to Springfield" in mail.outbox[0].subject


def test_declining_does_not_join(client, asked, alice, olivia):
    client.force_login(alice)
    answer(client, asked, "decline")
    asked.refresh_from_db()
    assert asked.status == "declined"
    assert not ChapterMembership.objects.filter(member=olivia).exists()


def test_an_answered_request_cannot_be_answered_again(client, asked, alice, olivia):
    client.force_login(alice)
    answer(client, asked, "decline")
    response = answer(client, asked, "accept")
    assert "already been answered" in client.get(response.url).text
    assert not ChapterMembership.objects.filter(member=olivia).exists()


def test_asking_twice_is_refused_and_creates_nothing(client, asked, springfield, olivia,
                                                     django_capture_on_commit_callbacks):
    response = ask(client, springfield, olivia, django_capture_on_commit_callbacks)
    assert "already asked to join Springfield" in client.get(response.url).text
    assert JoinRequest.objects.count() == 1


def test_a_member_cannot_ask_to_join_their_own_chapter(client, springfield, bob,
                                                       django_capture_on_commit_callbacks):
    response = ask(client, springfield, bob, django_capture_on_commit_callbacks)
    assert "already a member of Springfield" in client.get(response.url).text
    assert not JoinRequest.objects.exists()


def test_asking_needs_a_login_and_a_post(client, springfield):
    url = reverse("chapter_join", args=["springfield"])
    assert client.post(url).url.startswith(reverse("login"))
    assert not JoinRequest.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "charlie", "olivia"])
def test_it_checks_ownership_of_the_requests_page(client, asked, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("chapter_join_requests", args=["springfield"])).status_code == 404


def test_it_checks_ownership_of_answering_for_a_non_coordinator(client, asked, bob, olivia):
    client.force_login(bob)
    assert answer(client, asked, "accept").status_code == 404
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_a_coordinator_of_a_cannot_see_or_answer_bs_requests(client, vienna, charlie, alice,
                                                             olivia,
                                                             django_capture_on_commit_callbacks):
    vienna.coordinators.add(charlie)
    ask(client, vienna, olivia, django_capture_on_commit_callbacks)
    other = JoinRequest.objects.get(chapter=vienna)
    client.force_login(alice)  # coordinator of Springfield only
    assert client.get(reverse("chapter_join_requests", args=["vienna"])).status_code == 404
    assert answer(client, other, "accept").status_code == 404
    # ...nor through her own chapter's address
    assert answer(client, other, "accept", slug="springfield").status_code == 404
    other.refresh_from_db()
    assert other.status == "pending"


def test_anonymous_visitors_get_sent_to_log_in(client, asked):
    client.logout()
    response = client.get(reverse("chapter_join_requests", args=["springfield"]))
    assert response.status_code == 302
