"""Attack 2 on the site: a voter who may see live results (results shown after voting) reads
the result and "who has voted" before and after each new vote, and so learns what each new
voter chose. A secret poll's result, voter count and voter list now change only together, in
batches of at least k (SECRET_BALLOT_BATCH) new ballots: between two reads either nothing
changed or k voters and k ballots were added at once.
"""

import pytest
from django.test import Client
from django.urls import reverse

from chapterhouse.context import context_for
from tests.decisions.conftest import make_poll, option_ids, quick_member

pytestmark = pytest.mark.django_db
K = 5


def read(client, poll) -> tuple:
    """All an observer can read about who voted and what was counted."""
    results = client.get(reverse("poll_results", args=[poll.pk])).context["result"]
    voters = client.get(reverse("poll_voters", args=[poll.pk])).context
    detail = client.get(reverse("poll_detail", args=[poll.pk])).context
    listed = next(p for group in client.get(reverse("polls")).context["groups"].values()
              for p in group if p.pk == poll.pk)
    return (results["ballots"], results["count"]["rounds"][0]["tallies"], voters["count"],
            voters["names"], detail["voters"], listed.voters)


def test_reading_the_result_around_each_vote_tells_nothing_until_k_votes(
        organization, springfield, alice, settings, django_capture_on_commit_callbacks):
    settings.SECRET_BALLOT_BATCH = K
    poll = make_poll(organization, chapter=springfield, results_shown="after_voting")
    ids = option_ids(poll)
    observer = Client()
    observer.force_login(alice)
    others = [quick_member(f"v{i}@example.org", f"Voter {i}", springfield) for i in range(2 * K)]

    def vote(member, label):
        voter = Client()
        voter.force_login(member)
        with django_capture_on_commit_callbacks(execute=True):
            response = voter.post(reverse("ballot_submit", args=[poll.pk]),
                                  {"choice": [ids[label]]})
        assert response.status_code == 200  # the receipt page
        return voter

    vote(alice, "Apples")
    page = observer.get(reverse("poll_detail", args=[poll.pk]))
    assert page.context["waiting"]
    assert "waits sealed in the box" in page.text
    before = read(observer, poll)
    assert before == (0, {"Apples": 0, "Pears": 0, "Plums": 0}, 0, None, 0, 0)
    reads = []
    for member, label in zip(others, ["Pears", "Plums", "Plums", "Pears", "Plums", "Pears",
                                      "Apples", "Plums", "Pears", "Apples"], strict=True):
        vote(member, label)
        reads.append(read(observer, poll))
    # Votes 2-4 change nothing; the 5th counts and lists five at once; 6-9 nothing; the 10th
    # the next five.
    assert reads[:3] == [before] * 3
    assert reads[3][0] == reads[3][2] == reads[3][4] == reads[3][5] == K
    assert reads[3][1] == {"Apples": 1, "Pears": 2, "Plums": 2}
    assert reads[4:8] == [reads[3]] * 4
    assert reads[8][0] == reads[8][2] == 2 * K
    assert not observer.get(reverse("poll_detail", args=[poll.pk])).context["waiting"]
    assert reads[9] == reads[8]  # the 11th vote waits in the box


def test_a_lone_vote_after_the_last_batch_is_counted_at_the_close_but_its_voter_not_named(
        organization, springfield, alice, settings, django_capture_on_commit_callbacks):
    # Review of issue 9: with live results, the final result minus the last live one is what
    # the late voters chose; naming them at the close would link a lone late voter.
    import datetime

    from django.utils import timezone

    from chapterhouse.decisions.services import poll_close

    settings.SECRET_BALLOT_BATCH = K
    poll = make_poll(organization, chapter=springfield, results_shown="after_voting")
    ids = option_ids(poll)
    voters = [alice] + [quick_member(f"w{i}@example.org", f"Voter {i}", springfield)
                        for i in range(K)]
    for member, label in zip(voters, ["Pears"] * K + ["Plums"], strict=True):
        client = Client()
        client.force_login(member)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("ballot_submit", args=[poll.pk]), {"choice": [ids[label]]})
    observer = Client()
    observer.force_login(alice)
    assert read(observer, poll)[:3] == (K, {"Apples": 0, "Pears": K, "Plums": 0}, K)
    poll_close(context_for(), poll=poll, now=timezone.now() + datetime.timedelta(days=2),
               announce=False)
    poll.refresh_from_db()
    assert poll.result["ballots"] == K + 1  # counted
    page = observer.get(reverse("poll_voters", args=[poll.pk]))
    assert page.context["count"] == K
    assert "Voter 4" not in page.context["names"]
    assert page.context["unnamed"] == 1
    assert "1 more member voted" in page.text


def test_a_poll_that_showed_results_only_after_the_close_names_every_voter(
        organization, springfield, alice, settings, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from chapterhouse.decisions.services import poll_close

    settings.SECRET_BALLOT_BATCH = K
    poll = make_poll(organization, chapter=springfield)  # results after the close
    ids = option_ids(poll)
    voters = [alice] + [quick_member(f"w{i}@example.org", f"Voter {i}", springfield)
                        for i in range(K)]
    for member in voters:
        client = Client()
        client.force_login(member)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("ballot_submit", args=[poll.pk]), {"choice": [ids["Pears"]]})
    poll_close(context_for(), poll=poll, now=timezone.now() + datetime.timedelta(days=2),
               announce=False)
    observer = Client()
    observer.force_login(alice)
    page = observer.get(reverse("poll_voters", args=[poll.pk]))
    assert page.context["count"] == K + 1
    assert page.context["unnamed"] == 0
