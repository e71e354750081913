"""STV with the women's share rule (decisions/counting/stv.py, Reserve): applied by excluding
the others once the seats left are owed to women, and by not electing a man at the quota when
the seats after him would no longer cover what the women are owed."""

from hypothesis import given, settings
from hypothesis import strategies as st

from chapterhouse.decisions.counting import Ballot, count_stv
from chapterhouse.decisions.counting.stv import Reserve


def ballots(*groups: tuple[int, str]) -> list[Ballot]:
    out, n = [], 0
    for times, ranking in groups:
        for _ in range(times):
            n += 1
            out.append(Ballot(str(n), tuple(ranking.split(">"))))
    return out


VOTES = ballots((5, "Ana>Bruno"), (4, "Bruno>Ana"), (2, "Wen"))
MEN = frozenset()


def test_without_the_rule_two_men_are_elected():
    assert set(count_stv(VOTES, seats=2).winners) == {"Ana", "Bruno"}


def test_the_rule_elects_the_woman_in_place_of_the_last_man():
    result = count_stv(VOTES, seats=2, reserve=Reserve(frozenset({"Wen"}), 1))
    assert set(result.winners) == {"Ana", "Wen"}
    codes = [r.code for rnd in result.rounds for r in rnd.explanation]
    assert "stv.reserve.excluded" in codes
    assert any("Bruno" in rnd.excluded for rnd in result.rounds)


def test_the_rule_changes_nothing_when_women_win_anyway():
    votes = ballots((5, "Wen>Bruno"), (4, "Bruno>Wen"), (2, "Ana"))
    plain = count_stv(votes, seats=2)
    ruled = count_stv(votes, seats=2, reserve=Reserve(frozenset({"Wen"}), 1))
    assert plain.winners == ruled.winners


def test_when_too_few_women_stand_the_count_says_so_and_fills_the_seats():
    result = count_stv(VOTES, seats=2, reserve=Reserve(frozenset({"Wen"}), 2))
    assert len(result.winners) == 2
    assert "Wen" in result.winners
    assert [n.code for n in result.notes].count("stv.reserve.short") == 1


names = ["A", "B", "C", "D", "E", "F"]


@given(st.lists(st.permutations(names).map(lambda p: p[:3]), min_size=1, max_size=40),
       st.integers(min_value=1, max_value=4), st.sets(st.sampled_from(names), min_size=0,
                                                       max_size=6),
       st.integers(min_value=0, max_value=4))
@settings(max_examples=200, deadline=None)
def test_the_rule_is_met_whenever_enough_of_the_group_stand(rankings, seats, group, at_least):
    votes = [Ballot(str(i), tuple(r)) for i, r in enumerate(rankings)]
    at_least = min(at_least, seats)
    result = count_stv(votes, seats=seats, options=names,
                       reserve=Reserve(frozenset(group), at_least))
    assert len(result.winners) == seats
    assert len(set(result.winners)) == seats
    assert sum(1 for w in result.winners if w in group) >= min(at_least, len(group))
