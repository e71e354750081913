"""The large-input path (numpy grid, vectorised cores, attach and member ids), warm starts of
the exact program and the window search's spare women."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chapterhouse.planning.new_chapters as nc
from chapterhouse.planning import exact, lns
from chapterhouse.planning.aggregate import MemberPool, aggregate
from chapterhouse.planning.attach import attach
from chapterhouse.planning.candidates import Cover, cover, pair_centres
from chapterhouse.planning.geo import km_between, unit_vectors
from chapterhouse.planning.groups import Cores, Group
from chapterhouse.planning.rule import Rule
from chapterhouse.planning.seeding import (
    _fill,
    _place_cores,
    greedy,
    grid_cells,
    grid_sides,
    saturate,
)
from tests.planner.checker import Person, problems
from tests.planner.test_new_chapters import _chapters, _instance

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("side", [0.86, 6.0, 15.9])
def test_grid_cells_are_small_and_shared(side):
    rng = np.random.default_rng(1)
    lat = rng.uniform(-80, 80, 5000)
    lon = rng.uniform(-180, 180, 5000)
    key, centre = grid_cells(lat, lon, side)
    far = km_between(unit_vectors(lat, lon), centre)
    assert far.max() <= side * np.sqrt(2) / 2 * 1.01 + 1e-6  # within half a diagonal
    # points of one cell share its centre
    order = np.argsort(key, kind="stable")
    same = key[order][1:] == key[order][:-1]
    assert np.allclose(centre[order][1:][same], centre[order][:-1][same])
    assert grid_sides(25.0) == (0.86, 2.27, 6.0, 15.9)
    assert grid_sides(5.0) == (0.86, 2.27)


def test_grid_saturation_forms_valid_cores_and_counts_what_it_takes():
    lat, lon, woman = _instance(4, 400, 6, 3, 0.35)
    places = aggregate(lat, lon, woman)
    rule = Rule()
    w, o = places.women.copy(), places.others.copy()
    groups = saturate(places.lat, places.lon, w, o, rule, grid_sides(rule.radius_km))
    assert groups
    used_w, used_o = np.zeros_like(w), np.zeros_like(o)
    for g in groups:
        assert g.size == rule.min_size
        assert g.women >= rule.core_women
        for p, (gw, go) in g.takes.items():
            used_w[p] += gw
            used_o[p] += go
            assert km_between(places.xyz[p], g.centre) <= rule.radius_km
    assert (used_w + w == places.women).all()
    assert (used_o + o == places.others).all()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n=st.integers(0, 300), spread=st.floats(0.5, 60),
       hubs=st.integers(1, 6), share=st.floats(0.0, 0.8), radius=st.sampled_from([5, 25, 40]),
       min_size=st.integers(3, 7), min_share=st.sampled_from([0.0, 0.3, 0.5]))
def test_the_large_input_path_passes_the_checker(monkeypatch, seed, n, spread, hubs, share,
                                                  radius, min_size, min_share):
    monkeypatch.setattr(nc, "SCALE_PLACES", 0)  # grid saturation, no search, at any size
    lat, lon, woman = _instance(seed, n, spread, hubs, share)
    rule = Rule(min_size, min_share, radius)
    found = nc.find_new_chapters(lat, lon, woman, rule)
    assert found.stats.get("mode") in ("scale", "empty")
    people = [Person(str(i), lat[i], lon[i], bool(woman[i])) for i in range(n)]
    assert problems(_chapters(found), people, radius_km=radius, min_size=min_size,
                    min_share=min_share) == []


def test_member_ids_match_the_member_pool():
    lat, lon, woman = _instance(7, 300, 10, 4, 0.4)
    places = aggregate(lat, lon, woman)
    rule = Rule()
    w, o = places.women.copy(), places.others.copy()
    groups = saturate(places.lat, places.lon, w, o, rule, grid_sides(25.0))
    attach(groups, places.xyz, w, o, rule)
    pool = MemberPool(places)
    expected = [sorted(i for p, (gw, go) in g.takes.items() for i in pool.take(p, gw, go))
                for g in groups]
    got = [c.members.tolist() for c in nc._materialise(places, groups)]
    assert got == expected


def test_attach_fills_a_chapter_up_to_its_share_women_first():
    xyz = unit_vectors(np.full(3, 48.0), np.array([2.0, 2.05, 2.1]))
    chapter = Group(xyz[0].copy(), {0: [2, 3]})
    women = np.array([0, 1, 0])
    others = np.array([0, 0, 10])
    joined = attach([chapter], xyz, women, others, Rule())
    # 3 women carry 10 members at 30%: the woman joins, then 4 of the 10 others
    assert chapter.women == 3
    assert chapter.size == 10
    assert joined == 5
    assert others[2] == 6
    assert women[1] == 0


def test_fill_takes_women_for_their_slots_then_others_first():
    women = np.array([1, 0, 2, 1])
    others = np.array([0, 5, 1, 0])
    g = Group(np.zeros(3))
    _fill(g, np.array([3, 1, 2, 0]), women, others, 2, 3)
    assert g.takes == {3: [1, 0], 1: [0, 3], 2: [1, 0]}
    assert women.tolist() == [1, 0, 1, 0]
    assert others.tolist() == [0, 2, 1, 0]


def _greedy(places, rule):
    w, o = places.women.copy(), places.others.copy()
    centres = np.concatenate([places.xyz, pair_centres(places.xyz, rule.radius_km, 8)])
    return greedy(places.xyz, w, o, rule, cover(centres, places.xyz, rule.radius_km))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_warm_start_is_feasible_and_never_lost(seed):
    rule = Rule()
    lat, lon, woman = _instance(seed, 100, 15, 3, 0.35)
    places = aggregate(lat, lon, woman)
    start = _greedy(places, rule)
    cov = exact.exact_cover(places.xyz, rule.radius_km)
    model = exact.build_model(places.women, places.others, rule, cov)
    x, used = exact.start_vector(model, cov, start, rule)
    assert used == len(start)
    row = model.a_mat @ x
    assert (row >= model.lower - 1e-9).all()
    assert (row <= model.upper + 1e-9).all()
    assert (x >= 0).all()
    assert (x <= model.var_ub + 1e-9).all()
    result = exact.solve(places.xyz, places.women, places.others, rule, cov=cov, start=start,
                         time_limit=5)
    assert result.count >= len(start)
    cold = exact.solve(places.xyz, places.women, places.others, rule, cov=cov, time_limit=20)
    assert cold.optimal
    assert result.count == cold.count
    for g in result.groups:
        assert rule.is_valid(g.size, g.women)


def test_the_highs_banner_does_not_reach_stdout():
    code = ("import numpy as np\n"
            "from chapterhouse.planning import exact\n"
            "from chapterhouse.planning.geo import unit_vectors\n"
            "from chapterhouse.planning.groups import Group\n"
            "from chapterhouse.planning.rule import Rule\n"
            "xyz = unit_vectors(np.full(2, 48.0), np.array([2.0, 2.01]))\n"
            "start = [Group(xyz[0].copy(), {0: [2, 0], 1: [0, 3]})]\n"
            "r = exact.solve(xyz, np.array([2, 0]), np.array([0, 3]), Rule(), start=start)\n"
            "print(r.count)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                         check=True, cwd=ROOT)
    assert out.stdout == "1\n"


def test_women_beyond_a_core_s_share_are_spare_for_the_search():
    rule = Rule()
    women = np.array([3, 1, 0])
    others = np.array([2, 0, 4])
    groups = [Group(np.zeros(3), {0: [3, 0], 2: [0, 2]})]
    state = Cores(groups, women, others)
    spare = lns._spare(state, women, women + others, rule)
    assert spare.tolist() == [1, 1, 0]  # one beyond the core's 2 at place 0, one free at 1


def test_cores_keep_women_out_of_open_slots_when_others_may_come_from_elsewhere():
    rule = Rule()
    women, others = np.array([10, 4]), np.array([3, 3])
    xyz = unit_vectors(np.array([48.0, 50.0]), np.array([2.0, 2.0]))
    groups = _place_cores(xyz, women, others, rule, keep=0)
    # 10 women and 3 others could make 2 cores, but only by seating a woman in an open slot
    assert [g.takes for g in groups] == [{0: [2, 3]}, {1: [2, 3]}]
    assert women.tolist() == [8, 2]
    assert others.tolist() == [0, 0]


def test_the_greedy_prefers_a_centre_whose_others_fill_the_open_slots():
    rule = Rule()
    xyz = unit_vectors(np.array([48.0, 48.05, 48.1]), np.array([2.0, 2.0, 2.0]))
    women, others = np.array([2, 3, 0]), np.array([0, 0, 3])
    # centre 0 reaches places 0 and 1 (5 women: tightest, but a woman would fill an open
    # slot), centre 1 reaches all three
    cov = Cover(xyz[[0, 1]], np.array([0, 2, 5]), np.array([0, 1, 0, 1, 2]))
    groups = greedy(xyz, women, others, rule, cov)
    assert len(groups) == 1
    assert groups[0].takes == {0: [2, 0], 2: [0, 3]}


def test_pair_centres_among_marked_places_and_a_shifted_grid():
    lat, lon, woman = _instance(2, 200, 10, 3, 0.3)
    places = aggregate(lat, lon, woman)
    every = pair_centres(places.xyz, 25.0, k_nearest=1)
    marked = places.women > 0
    some = pair_centres(places.xyz, 25.0, k_nearest=1, among=marked)
    assert 0 < len(some) < len(every)
    # every kept point is at R from a marked place
    dist = km_between(some[:, None], places.xyz[marked][None])
    assert np.isclose(dist, 25.0, atol=1e-3).any(axis=1).all()
    key, centre = grid_cells(places.lat, places.lon, 15.9, shift=0.5)
    key0, _ = grid_cells(places.lat, places.lon, 15.9)
    assert not np.array_equal(np.unique(key, return_inverse=True)[1],
                              np.unique(key0, return_inverse=True)[1])
    assert km_between(places.xyz, centre).max() <= 15.9 * np.sqrt(2) / 2 * 1.01


def test_a_window_solved_to_optimality_is_not_solved_again_until_something_changes():
    rule = Rule()
    # a woman at 0 km, one 48 km north, three others 30 km south: enough members and women
    # for one core by count, but no disc of radius 25 km holds two women and three more
    lat = 48.0 + np.array([0, 48, -30, -30, -30]) / 111.2
    lon = np.full(5, 2.0)
    woman = np.array([True, True, False, False, False])
    places = aggregate(lat, lon, woman)
    state = Cores([], places.women, places.others)
    from scipy.spatial import cKDTree

    from chapterhouse.planning.geo import chord_for_km

    tree = cKDTree(places.xyz)
    reach = chord_for_km(2 * rule.radius_km)
    stats = lns.LnsStats()
    total = places.women + places.others
    seed = int(np.argmin(np.abs(places.lat - 48.0)))
    args = (seed, [seed], places.xyz, places.women, places.others, total, rule, state, tree,
            reach, len(places), 10_000, float("inf"), stats)
    lns._window(*args)
    lns._window(*args)
    assert stats.windows == 1
    assert state.solved
    assert stats.unchanged == 1  # the second call found nothing changed
    state.changed[:] = state.step + 1  # a change anywhere in the window: solve again
    lns._window(*args)
    assert stats.windows == 2
