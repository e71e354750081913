"""The poll pages: list, detail (with the ballot), vote, results, who has voted, create.

Every page that takes a poll id answers 404 to a member who may not see the poll."""

import datetime

import pytest
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.decisions.models import Ballot, Kind, Level, Participation, Poll
from chapterhouse.decisions.services import ballot_cast, poll_close
from tests.conftest import make_qualifying
from tests.decisions.conftest import make_poll, option_ids, quick_member

pytestmark = pytest.mark.django_db
PAGES = ["poll_detail", "poll_results", "poll_voters"]


@pytest.mark.parametrize("name", PAGES)
def test_it_checks_ownership_for_a_member_of_another_chapter(client, chapter_poll, charlie,
                                                             name):
    client.force_login(charlie)
    assert client.get(reverse(name, args=[chapter_poll.pk])).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_a_member_of_the_chapter_sees_each_page(client, chapter_poll, bob, name):
    client.force_login(bob)
    assert client.get(reverse(name, args=[chapter_poll.pk])).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, chapter_poll, name):
    response = client.get(reverse(name, args=[chapter_poll.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_voting_is_refused_to_a_member_of_another_chapter_with_404(client, chapter_poll,
                                                                   charlie):
    client.force_login(charlie)
    response = client.post(reverse("ballot_submit", args=[chapter_poll.pk]),
                           {"choice": option_ids(chapter_poll)["Pears"]})
    assert response.status_code == 404
    assert not Ballot.objects.exists()


def test_a_regional_poll_is_hidden_from_members_elsewhere(client, organization, bob, charlie):
    poll = make_poll(organization, level=Level.REGION, region="EU")
    client.force_login(bob)  # New York
    assert client.get(reverse("poll_detail", args=[poll.pk])).status_code == 404
    client.force_login(charlie)  # Vienna
    assert client.get(reverse("poll_detail", args=[poll.pk])).status_code == 200


def test_a_member_votes_through_the_page_and_gets_a_receipt_once(client, chapter_poll, bob):
    client.force_login(bob)
    page = client.get(reverse("poll_detail", args=[chapter_poll.pk])).text
    assert "Pears" in page
    assert 'name="choice"' in page
    assert "America/New_York" in page  # times in the voter's zone
    response = client.post(reverse("ballot_submit", args=[chapter_poll.pk]),
                           {"choice": option_ids(chapter_poll)["Pears"]})
    assert response.status_code == 200
    assert "Your receipt" in response.text
    receipt = response.context["receipt"]
    assert receipt not in str(dict(client.session))  # not kept in the session
    page = client.get(reverse("poll_detail", args=[chapter_poll.pk])).text
    assert "You have voted." in page
    assert 'name="receipt"' in page


def test_a_forged_voter_id_is_ignored(client, chapter_poll, alice, bob):
    client.force_login(bob)
    client.post(reverse("ballot_submit", args=[chapter_poll.pk]),
                {"choice": option_ids(chapter_poll)["Pears"], "member": alice.pk,
                 "voter": alice.pk, "member_id": alice.pk})
    assert list(Participation.objects.values_list("member", flat=True)) == [bob.pk]


def test_a_vote_after_the_close_shows_a_message_and_changes_nothing(client, organization,
                                                                     springfield, bob):
    past = datetime.datetime(2013, 1, 1, tzinfo=datetime.UTC)
    poll = make_poll(organization, chapter=springfield, opens=past,
                     closes=past + datetime.timedelta(days=1))
    client.force_login(bob)
    response = client.post(reverse("ballot_submit", args=[poll.pk]),
                           {"choice": option_ids(poll)["Pears"]}, follow=True)
    assert "votes are no longer accepted" in response.text
    assert not Ballot.objects.exists()
    assert not Participation.objects.exists()


def test_a_bad_ranking_shows_a_message(client, organization, springfield, bob):
    poll = make_poll(organization, kind=Kind.RANKED, chapter=springfield)
    ids = option_ids(poll)
    client.force_login(bob)
    response = client.post(reverse("ballot_submit", args=[poll.pk]),
                           {f"rank_{ids['Pears']}": "1", f"rank_{ids['Plums']}": "1"},
                           follow=True)
    assert "Two options have rank 1" in response.text
    assert not Ballot.objects.exists()


def test_results_are_hidden_until_the_close(client, chapter_poll, bob):
    ballot_cast(context_for(bob), poll=chapter_poll,
                data={"choice": [option_ids(chapter_poll)["Plums"]]})
    client.force_login(bob)
    page = client.get(reverse("poll_results", args=[chapter_poll.pk]))
    assert page.context["result"] is None
    assert "shown when the poll closes" in page.text
    poll_close(context_for(), poll=chapter_poll, now=chapter_poll.closes_at)
    page = client.get(reverse("poll_results", args=[chapter_poll.pk]))
    assert "Chosen: Plums" in page.text
    assert "Round 1" in page.text
    detail = client.get(reverse("poll_detail", args=[chapter_poll.pk])).text
    # alice and bob were eligible; bob voted: 1 of 2, turnout 50%, no quorum set.
    assert "1 ballot of 2 eligible voters (turnout 50.0%; quorum 0%)" in detail
    assert "1 member has voted" in detail


def test_results_after_voting_are_shown_to_those_who_voted(client, organization, springfield,
                                                           alice, bob):
    # An open ballot: a secret one's live result waits for a batch (test_secret_ballot_batches).
    poll = make_poll(organization, chapter=springfield, results_shown="after_voting",
                     secret=False)
    client.force_login(alice)
    assert client.get(reverse("poll_detail", args=[poll.pk])).context["result"] is None
    ballot_cast(context_for(alice), poll=poll, data={"choice": [option_ids(poll)["Plums"]]})
    page = client.get(reverse("poll_detail", args=[poll.pk]))
    assert page.context["result"]["winners"] == ["Plums"]
    client.force_login(bob)
    assert client.get(reverse("poll_detail", args=[poll.pk])).context["result"] is None


def test_who_has_voted_is_named_only_from_three_voters(client, chapter_poll, alice, bob,
                                                      settings,
                                                      django_capture_on_commit_callbacks):
    settings.SECRET_BALLOT_BATCH = 1  # even counted one by one, two voters are not named
    url = reverse("poll_voters", args=[chapter_poll.pk])
    pears = option_ids(chapter_poll)["Pears"]
    with django_capture_on_commit_callbacks(execute=True):
        ballot_cast(context_for(alice), poll=chapter_poll, data={"choice": [pears]})
        ballot_cast(context_for(bob), poll=chapter_poll, data={"choice": [pears]})
    client.force_login(bob)
    page = client.get(url)
    assert page.context["count"] == 2
    assert page.context["names"] is None
    assert "Alice" not in page.text
    third = quick_member("c@example.org", "Carol", chapter_poll.chapter)
    with django_capture_on_commit_callbacks(execute=True):
        ballot_cast(context_for(third), poll=chapter_poll, data={"choice": [pears]})
    page = client.get(url)
    assert page.context["names"] == ["Alice", "Bob", "Carol"]


def test_an_open_poll_shows_names_with_votes_after_the_close(client, organization,
                                                              springfield, alice, bob):
    poll = make_poll(organization, kind=Kind.RANKED, chapter=springfield, secret=False)
    ids = option_ids(poll)
    ballot_cast(context_for(bob), poll=poll, data={"ranking": [ids["Plums"], ids["Apples"]]})
    poll_close(context_for(), poll=poll, now=poll.closes_at)
    client.force_login(alice)
    assert "Bob: Plums &gt; Apples" in client.get(reverse("poll_results", args=[poll.pk])).text


def test_the_list_shows_my_polls_without_n_plus_1(client, organization, springfield, vienna,
                                                  bob, charlie, django_assert_max_num_queries):
    for i in range(6):
        make_poll(organization, chapter=springfield, title=f"Springfield {i}")
        make_poll(organization, chapter=vienna, title=f"Vienna {i}")
    make_poll(organization, level=Level.ORGANIZATION, title="Everyone")
    client.force_login(bob)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("polls")).text
    assert "Springfield 5" in page
    assert "Everyone" in page
    assert "Vienna" not in page


def test_a_coordinator_creates_a_chapter_poll_in_their_own_zone(client, springfield, alice):
    client.force_login(alice)
    response = client.post(reverse("poll_create"), {
        "title": "Meeting day", "kind": "single", "level": "chapter",
        "chapter": springfield.pk, "opens_at": "2030-03-01T09:00",
        "closes_at": "2030-03-08T09:00", "options": "Monday\nThursday", "seats": 1,
        "max_score": 5, "quorum": "0", "pass_threshold": "50", "max_blocks": 0,
        "secret": "on", "results_shown": "after_close", "changeable": "on"})
    assert response.status_code == 302, response.context["form"].errors
    poll = Poll.objects.get()
    assert poll.opens_at == datetime.datetime(2030, 3, 1, 14, 0, tzinfo=datetime.UTC)  # EST
    assert [o.label for o in poll.options.all()] == ["Monday", "Thursday"]


def test_a_member_cannot_create_polls_and_a_coordinator_not_for_everyone(client, springfield,
                                                                         alice, bob):
    client.force_login(bob)
    assert client.get(reverse("poll_create")).status_code == 404
    client.force_login(alice)
    response = client.post(reverse("poll_create"), {
        "title": "Everyone", "kind": "single", "level": "organization",
        "opens_at": "2030-03-01T09:00", "closes_at": "2030-03-08T09:00",
        "options": "A\nB", "seats": 1, "max_score": 5, "quorum": "0",
        "pass_threshold": "50", "max_blocks": 0, "results_shown": "after_close"})
    assert response.status_code == 200
    assert not Poll.objects.exists()


def test_a_member_puts_a_plan_to_their_chapter(client, springfield, bob, charlie):
    make_qualifying(springfield)  # only a qualifying chapter endorses organizers
    client.force_login(bob)
    response = client.post(reverse("endorsement_new"), {
        "chapter": springfield.pk, "hours_per_week": "10", "months": "3",
        "starts_on": "2030-01-01", "reach_km": "100", "target_areas": "Queens"})
    assert response.status_code == 302
    poll = Poll.objects.get()
    assert poll.kind == "proposal"
    assert poll.endorsement.member == bob
    page = client.get(reverse("poll_detail", args=[poll.pk])).text
    assert "Endorses Bob as an organizer" in page
    assert "Queens" in page
    client.force_login(charlie)
    response = client.post(reverse("endorsement_new"), {
        "chapter": springfield.pk, "hours_per_week": "10", "months": "3",
        "starts_on": "2030-01-01", "reach_km": "100"})
    assert response.status_code == 200
    assert Poll.objects.count() == 1
