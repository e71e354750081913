import numpy as np

from chapterhouse.core.reasons import explain_english
from chapterhouse.domain.reasons import reason
from chapterhouse.planning.rule import Rule
from chapterhouse.planning.splits import split

# Manhattan, Brooklyn, Staten Island (GeoNames points)
CENTRES = np.array([[40.78343, -73.96625], [40.6501, -73.94958], [40.56233, -74.13986]])
NAMES = ["Manhattan", "Brooklyn", "Staten Island"]


def _members(groups):
    lat, lon, woman = [], [], []
    for (la, lo), women, men in groups:
        lat += [la] * (women + men)
        lon += [lo] * (women + men)
        woman += [True] * women + [False] * men
    return np.array(lat), np.array(lon), np.array(woman)


def test_a_chapter_splits_into_valid_neighbourhood_chapters():
    # 6 (2 women) at Manhattan, 7 (3 women) at Brooklyn; radius small so they are apart
    lat, lon, woman = _members([(CENTRES[0], 2, 4), (CENTRES[1], 3, 4)])
    result = split(lat, lon, woman, CENTRES[:2, 0], CENTRES[:2, 1], Rule(radius_km=8),
                   NAMES[:2])
    assert result.works
    assert [p.valid for p in result.parts] == [True, True]
    assert sorted(len(p.members) for p in result.parts) == [6, 7]
    assert result.unplaced == []
    for part in result.parts:
        assert part.women >= 0.3 * len(part.members)


def test_no_split_says_how_many_groups_reach_the_rule_and_why_others_do_not():
    lat, lon, woman = _members([(CENTRES[0], 3, 5), (CENTRES[2], 1, 2)])
    result = split(lat, lon, woman, CENTRES[:, 0], CENTRES[:, 1], Rule(radius_km=8), NAMES)
    assert not result.works
    assert result.reasons[0] == reason("planner.split.too_few_groups", valid=1, groups=3,
                                       size=5, percent=30)
    assert reason("planner.split.centre_short", centre="Staten Island", members=3, km=8,
                  women=1) in result.reasons
    english = [explain_english(r) for r in result.reasons]
    assert english[0] == "only 1 of 3 groups reach 5 members with 30% women"
    assert "Staten Island: 3 members within 8 km, 1 of them women" in english


def test_members_in_reach_of_several_centres_are_shared_to_make_more_chapters():
    # 10 members (4 women) at one point within reach of both centres: two chapters of 5
    mid = (CENTRES[0] + CENTRES[1]) / 2
    lat, lon, woman = _members([(mid, 4, 6)])
    result = split(lat, lon, woman, CENTRES[:2, 0], CENTRES[:2, 1], Rule(radius_km=25), NAMES)
    assert result.works
    assert [len(p.members) for p in result.parts] == [5, 5]
    assert [p.women for p in result.parts] == [2, 2]
