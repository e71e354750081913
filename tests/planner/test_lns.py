"""Large-neighbourhood search: never fewer chapters than the greedy, always valid."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chapterhouse.planning import lns
from chapterhouse.planning.aggregate import aggregate
from chapterhouse.planning.candidates import cover, drop_dominated, pair_centres
from chapterhouse.planning.new_chapters import find_new_chapters, search_seconds
from chapterhouse.planning.rule import Rule
from chapterhouse.planning.seeding import greedy
from tests.planner.checker import Person, problems
from tests.planner.test_new_chapters import _chapters, _instance


def _greedy_cores(places, rule):
    w, o = places.women.copy(), places.others.copy()
    centres = np.concatenate([places.xyz, pair_centres(places.xyz, rule.radius_km, 8)])
    return greedy(places.xyz, w, o, rule, cover(centres, places.xyz, rule.radius_km))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(5, 150), spread=st.floats(2, 60),
       hubs=st.integers(1, 6), share=st.floats(0.2, 0.6), radius=st.sampled_from([10, 25]))
def test_the_search_never_loses_a_core_and_keeps_members_disjoint(seed, n, spread, hubs, share,
                                                                  radius):
    rule = Rule(radius_km=radius)
    lat, lon, woman = _instance(seed, n, spread, hubs, share)
    places = aggregate(lat, lon, woman)
    cores = _greedy_cores(places, rule)
    before = len(cores)
    better, stats = lns.improve(places.xyz, places.women, places.others, cores, rule, 0.3,
                                max_members=60, max_places=20)
    assert len(better) >= before
    assert stats.gained == len(better) - before
    used_w = np.zeros(len(places), dtype=np.int64)
    used_o = np.zeros(len(places), dtype=np.int64)
    for g in better:
        assert rule.is_valid(g.size, g.women)
        for p, (w, o) in g.takes.items():
            used_w[p] += w
            used_o[p] += o
            assert np.linalg.norm(places.xyz[p] - g.centre) <= 2 * np.sin(radius / 6371.0088 / 2)
    assert (used_w <= places.women).all()
    assert (used_o <= places.others).all()


def test_the_search_finds_chapters_the_greedy_misses_and_passes_the_checker():
    rule = Rule()
    gained = 0
    for seed in range(6):
        lat, lon, woman = _instance(seed, 200, 25, 4, 0.35)
        plain = find_new_chapters(lat, lon, woman, rule, exact_seconds=0)
        found = find_new_chapters(lat, lon, woman, rule, mode="quality", exact_seconds=1.0)
        assert len(found.chapters) >= len(plain.chapters)
        gained += len(found.chapters) - len(plain.chapters)
        people = [Person(str(i), lat[i], lon[i], bool(woman[i])) for i in range(len(lat))]
        assert problems(_chapters(found), people) == []
    assert gained > 0


def test_the_default_budget_grows_with_places_and_mode():
    assert search_seconds(500) < search_seconds(3443) <= 1.0
    assert search_seconds(3443, "quality") > search_seconds(3443)


def test_vectorised_domination_matches_the_set_version():
    lat, lon, woman = _instance(3, 120, 20, 3, 0.4)
    places = aggregate(lat, lon, woman)
    centres = np.concatenate([places.xyz, pair_centres(places.xyz, 25.0)])
    cov = cover(centres, places.xyz, 25.0)
    import chapterhouse.planning.candidates as cand

    fast = drop_dominated(cov)
    old, cand._DEDUPE_CELLS = cand._DEDUPE_CELLS, 0
    try:
        slow = drop_dominated(cov)
    finally:
        cand._DEDUPE_CELLS = old
    as_sets = lambda c: sorted(tuple(c.places(i).tolist()) for i in range(len(c)))  # noqa: E731
    assert as_sets(fast) == as_sets(slow)
