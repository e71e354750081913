import datetime

import numpy as np

from chapterhouse.planning.geo import unit_vectors
from chapterhouse.planning.organizers import Organizer, assign, recruits_needed

TODAY = datetime.date(2014, 2, 1)
PARIS = (48.8566, 2.3522)


def _candidates(points):
    return unit_vectors([p[0] for p in points], [p[1] for p in points])


def test_an_organizer_takes_no_more_than_capacity_nearest_first():
    # 15 h/week for 4 months: 3 chapters. Five candidates at 10, 20, 30, 40, 50 km north.
    points = [(PARIS[0] + d / 111.2, PARIS[1]) for d in (50, 10, 40, 20, 30)]
    result = assign([Organizer("ann", *PARIS, 15, 4)], _candidates(points), TODAY)
    chosen = sorted((a.order, a.candidate) for a in result.assignments)
    assert chosen == [(1, 1), (2, 3), (3, 4)]
    assert sorted(result.over_capacity) == [0, 2]
    assert result.unreachable == []


def test_candidates_beyond_every_reach_are_listed_as_unreachable():
    points = [(PARIS[0] + 0.1, PARIS[1]), (40.71, -74.0)]
    result = assign([Organizer("ann", *PARIS, 15, 4, reach_km=50)], _candidates(points), TODAY)
    assert [a.candidate for a in result.assignments] == [0]
    assert result.unreachable == [1]


def test_two_organizers_split_candidates_to_maximise_the_number_taken():
    # bob can reach only candidate 0; ann reaches both but has capacity 1
    points = [(PARIS[0] + 0.5, PARIS[1]), (PARIS[0] - 0.5, PARIS[1])]
    ann = Organizer("ann", *PARIS, 20, 1, reach_km=100)  # 20*4.33/80: 1 chapter
    bob = Organizer("bob", PARIS[0] + 1.0, PARIS[1], 20, 1, reach_km=60)
    result = assign([ann, bob], _candidates(points), TODAY)
    assert {(a.organizer, a.candidate) for a in result.assignments} == {("bob", 0), ("ann", 1)}


def test_slots_that_cannot_count_by_the_deadline_are_not_used():
    points = [(PARIS[0] + d / 111.2, PARIS[1]) for d in (10, 20, 30)]
    # 10 h/week: 8 weeks per chapter; from 2014-02-01 only the first starts by 2014-04-01
    result = assign([Organizer("ann", *PARIS, 10, 6)], _candidates(points), TODAY,
                    deadline=datetime.date(2014, 7, 1))
    assert [a.candidate for a in result.assignments] == [0]
    assert result.assignments[0].starts == datetime.date(2014, 3, 29)


def test_recruits_go_to_the_largest_cluster_of_open_candidates_first():
    points = [(10.0, 10.0 + 0.01 * i) for i in range(5)] + [(-20.0, 30.0)]
    xyz = _candidates(points)
    lat = np.array([p[0] for p in points])
    lon = np.array([p[1] for p in points])
    out = recruits_needed(xyz, lat, lon, list(range(6)), gap=4, slots=3)
    assert len(out) == 2
    assert abs(out[0].lat - 10.0) < 1e-9
    assert len(out[0].candidates) == 3
