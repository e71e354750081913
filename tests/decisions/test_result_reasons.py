"""A closed poll's result keeps reason codes, not prose (issue 11): the page reads in the
reader's language, and migration 0005 turns the sentences stored before into codes without
changing a number."""

from __future__ import annotations

import html
import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from chapterhouse.context import context_for
from chapterhouse.core.reasons import explain_english
from chapterhouse.decisions.models import Kind, Level, Poll
from chapterhouse.decisions.reasons import LEGACY_TEXT
from chapterhouse.decisions.services import ballot_cast, poll_close
from tests.decisions.conftest import make_poll, option_ids, quick_member

codes = importlib.import_module("chapterhouse.decisions.migrations.0005_result_reason_codes")


def reasons_in(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every reason a stored result holds."""
    yield from result.get("reasons") or []
    yield from result.get("explanation") or []
    yield from (i["reason"] for i in result.get("invalid") or [])
    count = result.get("count") or {}
    if count:
        yield count["tie_break"]
        yield from count["ties"]
        for r in count["rounds"]:
            yield from r["explanation"]


@pytest.fixture
def ranked(organization, springfield, alice, bob) -> Poll:
    """Three voters, three first preferences: a tie settled by the order, then a majority."""
    poll = make_poll(organization, kind=Kind.RANKED, chapter=springfield)
    carol = quick_member("carol@example.org", "Carol", springfield)
    ids = option_ids(poll)
    for voter, ranking in ((alice, ["Plums", "Apples"]), (bob, ["Apples"]),
                           (carol, ["Pears", "Apples"])):
        ballot_cast(context_for(voter), poll=poll, data={"ranking": [ids[o] for o in ranking]})
    assert poll_close(context_for(), poll=poll, now=poll.closes_at, announce=False)
    poll.refresh_from_db()
    return poll


@pytest.fixture
def blocked(organization, springfield, alice, bob) -> Poll:
    poll = make_poll(organization, kind=Kind.PROPOSAL, level=Level.CHAPTER, chapter=springfield)
    ballot_cast(context_for(alice), poll=poll, data={"stance": ["agree"]})
    ballot_cast(context_for(bob), poll=poll, data={"stance": ["block"]})
    assert poll_close(context_for(), poll=poll, now=poll.closes_at, announce=False)
    poll.refresh_from_db()
    return poll


def test_a_closed_poll_stores_codes_and_the_english_renders_from_them(ranked, blocked):
    assert ranked.result["winners"] == ["Apples"]
    said = list(reasons_in(ranked.result))
    assert {r["code"] for r in said} >= {"irv.round", "irv.excluded.fewest", "irv.wins.majority",
                                         "ties.order.alphabetical", "ties.exclusion.by_order"}
    assert explain_english(ranked.result["count"]["rounds"][-1]["explanation"][-1]) == (
        "Apples wins with 2 votes, more than half of the 3 continuing ballots.")
    assert [r["code"] for r in blocked.result["reasons"]] == ["consent.fails.blocks"]
    assert explain_english(blocked.result["reasons"][0]) == "1 block; at most 0 allowed"


@pytest.mark.parametrize("which", ["ranked", "blocked"])
def test_a_result_read_in_german_shows_none_of_the_english_sentences(request, client, alice,
                                                                     which):
    poll = request.getfixturevalue(which)
    english = {explain_english(r) for r in reasons_in(poll.result)}
    client.force_login(alice)
    with translation.override("de"):
        page = client.get(reverse("poll_results", args=[poll.pk]),
                          HTTP_ACCEPT_LANGUAGE="de").text
    assert english
    for sentence in english:
        assert sentence not in page, sentence
        assert html.escape(sentence) not in page, sentence


def test_the_migration_recounts_old_sentences_into_the_same_codes(ranked, blocked):
    coded = {poll.pk: poll.result for poll in (ranked, blocked)}
    codes.to_prose(apps, None)  # the migration backwards: the sentences as stored before
    for poll in Poll.objects.filter(pk__in=coded):
        assert isinstance(poll.result["count"]["tie_break"] if poll.kind == Kind.RANKED
                          else poll.result["explanation"], str)
    codes.to_codes(apps, None)
    assert {poll.pk: poll.result for poll in Poll.objects.filter(pk__in=coded)} == coded


def test_sentences_a_recount_cannot_reproduce_are_kept_word_for_word(ranked):
    codes.to_prose(apps, None)
    prose = Poll.objects.get(pk=ranked.pk).result
    prose["count"]["rounds"][0]["tallies"]["Plums"] = 7  # not what the ballots say
    Poll.objects.filter(pk=ranked.pk).update(result=prose)
    codes.to_codes(apps, None)
    kept = Poll.objects.get(pk=ranked.pk).result
    assert kept["count"]["rounds"][0]["tallies"]["Plums"] == 7  # no number is changed
    first = kept["count"]["rounds"][0]["explanation"]
    assert first == [{"code": LEGACY_TEXT,
                      "params": {"text": prose["count"]["rounds"][0]["explanation"]}}]
    assert explain_english(first[0]) == prose["count"]["rounds"][0]["explanation"]
    assert kept["winners"] == prose["winners"]


def test_every_reason_the_count_returns_has_words():
    """Counts that reach every kind of sentence: none may render as its bare code."""
    from fractions import Fraction as F

    from chapterhouse.decisions.ballots_csv import parse_choice_ballots, parse_score_ballots
    from chapterhouse.decisions.counting import (
        Ballot,
        Position,
        ScoreBallot,
        count_approval,
        count_irv,
        count_plurality,
        count_score,
        count_stv,
        decide_proposal,
    )
    from tests.decisions.ballots import many, party_food, tennessee

    def ranked(*choices: str) -> Ballot:
        return Ballot("".join(choices), choices)

    results = [
        count_irv(tennessee()), count_irv(many(2, "x", "X") + many(2, "y", "Y")),
        count_irv(many(2, "a", "A") + many(1, "c", "C", "A"), options=["A", "B", "C", "D"]),
        count_irv([Ballot("1", ())]), count_irv(many(3, "a", "A")),
        count_irv([*many(5, "a", "A"), *many(3, "b", "B", "C"), *many(4, "c", "C"),
                   *many(1, "d", "D", "B")]),
        count_stv(party_food(), seats=3), count_stv([Ballot("1", ())], seats=2),
        count_stv(many(4, "a", "A") + many(2, "b", "B") + many(2, "c", "C"), seats=1, seed="s"),
        count_stv(many(8, "a", "A", "C") + many(8, "b", "B", "D") + many(1, "e", "E"), seats=2),
        count_stv(many(5, "a", "A") + many(3, "b", "B") + many(2, "c", "C"), seats=2),
        count_plurality(many(2, "b", "Bea") + many(2, "a", "Al") + [ranked("A", "B"),
                                                                   ranked("A", "A")]),
        count_plurality([Ballot("q", ("Q",)), Ballot("e", ("",))], options=["A"]),
        count_approval(many(3, "x", "A", "B") + many(2, "y", "C") + many(2, "z", "D")
                       + [Ballot("e", ())], seats=3),
        count_score([ScoreBallot("1", (("A", F(-1)),)), ScoreBallot("2", (("A", F(6)),)),
                     ScoreBallot("3", (("A", F(1)), ("A", F(2)))), ScoreBallot("4", ()),
                     ScoreBallot("5", (("A", F(2)),)), ScoreBallot("6", (("B", F(2)),))],
                    max_score=F(5), seats=1),
    ]
    said = []
    for result in results:
        said += [result.tie_break, *result.notes, *(i.reason for i in result.invalid)]
        said += [e for r in result.rounds for e in r.explanation]
    for quorum, blocks, stances in ((F(1, 2), 0, ["agree", "block", "maybe"]),
                                    (F(0), 0, ["abstain", "abstain"]),
                                    (F(0), 1, ["agree", "disagree", "disagree"]),
                                    (F(0), 0, ["agree"])):
        from chapterhouse.decisions.counting import ConsentRules

        decided = decide_proposal([Position(str(i), s) for i, s in enumerate(stances)]
                                  + [Position("0", "agree")], eligible=10,
                                  rules=ConsentRules(quorum=quorum, max_blocks=blocks))
        said += [*decided.reasons, *decided.explanation, *(r for _v, r in decided.invalid)]
    lines = ["ballot,choices", "1,A>>B", "2,=3", "3,A", "4,A=x"]
    said += [i.reason for i in parse_choice_ballots(lines[:2], "irv").invalid]
    said += [i.reason for i in parse_score_ballots([lines[0], *lines[2:]]).invalid]
    codes_said = {r.code for r in said}
    assert len(codes_said) >= 40
    for r in said:
        assert explain_english(r) != r.code, r.code
