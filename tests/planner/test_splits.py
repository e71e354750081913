import numpy as np

from chapterhouse.core.reasons import explain_english
from chapterhouse.domain.reasons import reason
from chapterhouse.planning.rule import Rule
from chapterhouse.planning.splits import reason_shown, split

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
    # 3 people are fewer than the rule's 5: nothing is said of their women (disclosure.py)
    assert reason("planner.split.centre_short_hidden", centre="Staten Island", members=3,
                  km=8) in result.reasons
    assert all("women" not in r.params for r in result.reasons
               if r.code.startswith("planner.split.centre_short"))
    english = [explain_english(r) for r in result.reasons]
    assert english[0] == "only 1 of 3 groups reach 5 members with 30% women"
    assert "Staten Island: 3 members within 8 km" in english
    assert [p.reach_women for p in result.parts] == [3, 0, 1]  # the engine's own figures


def test_a_short_centre_says_its_women_only_for_enough_people_of_both_kinds():
    # Brooklyn: 6 members, 1 woman (short of 30%, enough people: said); Staten Island: 5, no
    # woman (a count of none would say each one's gender: hidden); Manhattan 4 (too few)
    lat, lon, woman = _members([(CENTRES[0], 2, 2), (CENTRES[1], 1, 5), (CENTRES[2], 0, 5)])
    result = split(lat, lon, woman, CENTRES[:, 0], CENTRES[:, 1], Rule(radius_km=8), NAMES)
    short = {r.params["centre"]: r for r in result.reasons
             if r.code.startswith("planner.split.centre_short")}
    assert short == {
        "Manhattan": reason("planner.split.centre_short_hidden", centre="Manhattan",
                            members=4, km=8),
        "Brooklyn": reason("planner.split.centre_short", centre="Brooklyn", members=6, km=8,
                           women=1),
        "Staten Island": reason("planner.split.centre_short_hidden", centre="Staten Island",
                                members=5, km=8)}
    assert "Brooklyn: 6 members within 8 km, 1 of them a woman" in [
        explain_english(r) for r in result.reasons]


def test_a_stored_reason_with_a_small_groups_women_is_shown_without_them():
    small = reason("planner.split.centre_short", centre="Brooklyn", members=3, km=25.0,
                   women=1).as_json()
    shown = reason_shown(small, minimum=5)
    assert shown == {"code": "planner.split.centre_short_hidden",
                     "params": {"centre": "Brooklyn", "members": 3, "km": 25.0}}
    assert reason_shown(shown, minimum=5) == shown
    enough = {**small, "params": {**small["params"], "members": 7}}
    assert reason_shown(enough, minimum=5) == enough
    assert reason_shown(enough, minimum=8)["code"] == "planner.split.centre_short_hidden"


def test_members_in_reach_of_several_centres_are_shared_to_make_more_chapters():
    # 10 members (4 women) at one point within reach of both centres: two chapters of 5
    mid = (CENTRES[0] + CENTRES[1]) / 2
    lat, lon, woman = _members([(mid, 4, 6)])
    result = split(lat, lon, woman, CENTRES[:2, 0], CENTRES[:2, 1], Rule(radius_km=25), NAMES)
    assert result.works
    assert [len(p.members) for p in result.parts] == [5, 5]
    assert [p.women for p in result.parts] == [2, 2]
