"""The qualification rule as a pure function: no database, plain records in, a verdict out."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chapterhouse.core.reasons import explain_english
from chapterhouse.domain.qualification import (
    Attendee,
    MeetingRecord,
    Rule,
    Status,
    Verdict,
    add_months,
    verdict,
    window,
)

UTC = datetime.UTC
AUCKLAND = ZoneInfo("Pacific/Auckland")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
RULE = Rule()
NEW_YEAR = datetime.date(2014, 1, 1)  # window: October, November, December 2013


def english(result: Verdict) -> list[str]:
    """The verdict's reasons as the command line prints them."""
    return [explain_english(r) for r in result.reasons]


def crowd(women: int = 2, men: int = 3, undisclosed: int = 0, nonbinary: int = 0,
          prefix: str = "") -> tuple[Attendee, ...]:
    genders = ["woman"] * women + ["man"] * men + [None] * undisclosed + ["nonbinary"] * nonbinary
    return tuple(Attendee(f"{prefix}p{i}", g) for i, g in enumerate(genders))


def meeting(day: str | datetime.datetime, attendees: tuple[Attendee, ...] | None = None,
            name: str | None = None) -> MeetingRecord:
    start = day if isinstance(day, datetime.datetime) else (
        datetime.datetime.fromisoformat(day) if "T" in day
        else datetime.datetime.fromisoformat(f"{day}T19:00+00:00")
    )
    return MeetingRecord(name or start.isoformat(), start, crowd() if attendees is None
                         else attendees)


def good(*days: str) -> list[MeetingRecord]:
    """A passing meeting (5 attendees, 2 women) on each day, 19:00 UTC."""
    return [meeting(day) for day in days]


def month(year: int, number: int) -> datetime.date:
    return datetime.date(year, number, 1)


# Month and year boundaries


def test_a_verdict_on_new_years_day_looks_at_october_to_december_of_the_year_before() -> None:
    assert window(NEW_YEAR, 3) == [month(2013, 10), month(2013, 11), month(2013, 12)]
    result = verdict(good("2013-10-05", "2013-11-05", "2013-12-05"), RULE, NEW_YEAR, UTC)
    assert result.status is Status.QUALIFYING
    assert [m.month for m in result.months] == [month(2013, 10), month(2013, 11), month(2013, 12)]


def test_a_verdict_mid_month_ignores_the_current_partial_month() -> None:
    on = datetime.date(2014, 1, 15)
    assert window(on, 3) == window(NEW_YEAR, 3)
    failing_in_january = meeting("2014-01-05", crowd(women=0, men=1))
    meetings = [*good("2013-10-05", "2013-11-05", "2013-12-05"), failing_in_january]
    assert verdict(meetings, RULE, on, UTC).status is Status.QUALIFYING


def test_a_meeting_earlier_in_the_current_month_does_not_make_up_for_a_missed_month() -> None:
    meetings = good("2013-10-05", "2013-11-05", "2014-01-05")
    result = verdict(meetings, RULE, datetime.date(2014, 1, 15), UTC)
    assert result.status is Status.FORMING
    assert not result.months[-1].ok


def test_meetings_after_the_verdict_date_are_ignored() -> None:
    meetings = good("2013-10-05", "2013-11-05", "2013-12-05", "2014-03-01")
    assert verdict(meetings, RULE, NEW_YEAR, UTC).status is Status.QUALIFYING


def test_adding_months_crosses_year_boundaries_both_ways() -> None:
    assert add_months(month(2013, 11), 2) == month(2014, 1)
    assert add_months(month(2014, 1), -1) == month(2013, 12)
    assert add_months(month(2014, 1), -13) == month(2012, 12)
    assert window(datetime.date(2014, 2, 28), 2) == [month(2013, 12), month(2014, 1)]


# Time zones: the chapter's own calendar decides the month


def test_a_meeting_late_on_new_years_eve_in_auckland_counts_for_december() -> None:
    late = meeting("2013-12-31T23:30+13:00")
    result = verdict([*good("2013-10-05", "2013-11-05"), late], RULE, NEW_YEAR, AUCKLAND)
    assert result.status is Status.QUALIFYING
    assert result.months[-1].best is not None
    assert result.months[-1].best.meeting == late.meeting


def test_new_years_eve_late_in_utc_is_already_january_for_a_chapter_in_auckland() -> None:
    late = meeting("2013-12-31T23:30+00:00")  # 2014-01-01 12:30 in Auckland
    meetings = [*good("2013-10-05", "2013-11-05"), late]
    in_auckland = verdict(meetings, RULE, NEW_YEAR, AUCKLAND)
    assert in_auckland.status is Status.FORMING
    assert english(in_auckland)[-1] == "December 2013: no meeting."
    assert verdict(meetings, RULE, NEW_YEAR, UTC).status is Status.QUALIFYING


def test_an_evening_meeting_in_los_angeles_counts_for_october_though_utc_says_november() -> None:
    # 2013-10-31 22:00 PDT is 2013-11-01 05:00 UTC; stored in UTC as a database would.
    halloween = meeting(datetime.datetime(2013, 11, 1, 5, 0, tzinfo=UTC), name="halloween")
    meetings = [halloween, *good("2013-11-15", "2013-12-05")]
    result = verdict(meetings, RULE, NEW_YEAR, LOS_ANGELES)
    assert result.status is Status.QUALIFYING
    october, november, _ = result.months
    assert october.best is not None
    assert october.best.meeting == "halloween"
    assert november.meetings == 1
    assert verdict(meetings, RULE, NEW_YEAR, UTC).status is Status.FORMING


def test_a_meeting_without_a_utc_offset_is_refused() -> None:
    naive = MeetingRecord("m", datetime.datetime(2013, 10, 5, 19, 0), crowd())
    with pytest.raises(ValueError, match="naive"):
        verdict([naive], RULE, NEW_YEAR, UTC)


# The women's share


@pytest.mark.parametrize("share", [0.3, Decimal("0.3"), Decimal("0.30"), "0.3"])
def test_three_women_of_ten_attendees_is_exactly_thirty_percent_and_passes(share) -> None:
    rule = Rule(min_women_share=share)
    ten = crowd(women=3, men=7)
    meetings = [meeting(day, ten) for day in ("2013-10-05", "2013-11-05", "2013-12-05")]
    result = verdict(meetings, rule, NEW_YEAR, UTC)
    assert result.status is Status.QUALIFYING
    assert all(m.enough_women for m in result.months)


def test_two_women_of_seven_attendees_is_below_thirty_percent() -> None:
    result = verdict([meeting("2013-12-05", crowd(women=2, men=5))], RULE, NEW_YEAR, UTC)
    december = result.months[-1]
    assert december.enough_attendees
    assert not december.enough_women


def test_undisclosed_genders_count_as_not_women() -> None:
    one_woman = crowd(women=1, men=0, undisclosed=4)
    result = verdict([meeting("2013-12-05", one_woman)], RULE, NEW_YEAR, UTC)
    december = result.months[-1]
    assert december.best is not None
    assert december.best.counted == 1
    assert not december.enough_women
    assert english(result)[-1] == (
        "December 2013: best meeting had 5 attendees, of whom 20% women (1); needs 30% women."
    )


def test_the_organization_chooses_which_genders_count_toward_the_share() -> None:
    mixed = crowd(women=1, nonbinary=1, men=3)
    meetings = [meeting(day, mixed) for day in ("2013-10-05", "2013-11-05", "2013-12-05")]
    assert verdict(meetings, RULE, NEW_YEAR, UTC).status is Status.FORMING
    inclusive = Rule(counted_genders=frozenset({"woman", "nonbinary"}))
    assert verdict(meetings, inclusive, NEW_YEAR, UTC).status is Status.QUALIFYING


# Attendance, not the roster


def test_past_attendance_of_members_who_have_since_left_still_counts() -> None:
    # p4 left the chapter in December; the rule only sees who came to each meeting.
    meetings = good("2013-10-05", "2013-11-05", "2013-12-05")
    assert verdict(meetings, RULE, NEW_YEAR, UTC).status is Status.QUALIFYING


def test_a_month_where_only_four_members_remained_fails() -> None:
    remaining = crowd(women=2, men=2)
    meetings = [*good("2013-10-05", "2013-11-05"), meeting("2013-12-05", remaining)]
    result = verdict(meetings, RULE, NEW_YEAR, UTC)
    assert result.status is Status.FORMING
    assert [m.ok for m in result.months] == [True, True, False]
    assert english(result)[-1].endswith("; needs 5 attendees.")


def test_the_same_attendee_listed_twice_counts_once() -> None:
    twice = (*crowd(women=2, men=2), Attendee("p0", "woman"))
    result = verdict([meeting("2013-12-05", twice)], RULE, NEW_YEAR, UTC)
    best = result.months[-1].best
    assert best is not None
    assert (best.attendees, best.counted) == (4, 2)
    assert not result.months[-1].enough_attendees


@pytest.mark.parametrize(("first", "second"), [(None, "woman"), ("woman", None)])
def test_a_duplicate_listing_without_gender_does_not_hide_a_disclosed_one(first, second) -> None:
    listed = (Attendee("x", first), Attendee("x", second), *crowd(women=1, men=3))
    result = verdict([meeting("2013-12-05", listed)], RULE, NEW_YEAR, UTC)
    best = result.months[-1].best
    assert best is not None
    assert (best.attendees, best.counted) == (5, 2)


def test_a_member_listed_with_contradicting_genders_does_not_count() -> None:
    listed = (Attendee("x", "woman"), Attendee("x", "man"), *crowd(women=1, men=3))
    result = verdict([meeting("2013-12-05", listed)], RULE, NEW_YEAR, UTC)
    best = result.months[-1].best
    assert best is not None
    assert (best.attendees, best.counted) == (5, 1)


# A chapter split mid-month


def test_a_child_chapter_whose_first_meeting_is_on_the_twentieth_counts_that_month() -> None:
    child = [meeting("2013-10-20", crowd(prefix="child")), *good("2013-11-05", "2013-12-05")]
    result = verdict(child, RULE, NEW_YEAR, UTC)
    assert result.status is Status.QUALIFYING
    assert result.months[0].meetings == 1


def test_the_parents_meetings_before_the_split_count_for_the_parent_only() -> None:
    parent = [meeting("2013-10-05", crowd(prefix="all")), *good("2013-11-05", "2013-12-05")]
    child = [meeting("2013-10-20", crowd(women=1, men=2, prefix="child")),
             *good("2013-11-06", "2013-12-06")]
    assert verdict(parent, RULE, NEW_YEAR, UTC).status is Status.QUALIFYING
    child_verdict = verdict(child, RULE, NEW_YEAR, UTC)
    assert child_verdict.status is Status.FORMING
    assert english(child_verdict)[1] == (
        "October 2013: best meeting had 3 attendees; needs 5 attendees."
    )


# Forming and lapsed


def test_a_chapter_with_no_meetings_is_forming_and_says_so_for_each_month() -> None:
    result = verdict([], RULE, NEW_YEAR, UTC)
    assert result.status is Status.FORMING
    assert result.qualified_before is None
    assert english(result) == [
        "Forming: 3 of the last 3 whole months did not meet the rule.",
        "October 2013: no meeting.",
        "November 2013: no meeting.",
        "December 2013: no meeting.",
    ]


def test_a_chapter_that_qualified_and_then_missed_a_month_is_lapsed() -> None:
    meetings = good("2013-06-05", "2013-07-05", "2013-08-05", "2013-09-05",
                    "2013-11-05", "2013-12-05")
    result = verdict(meetings, RULE, NEW_YEAR, UTC)
    assert result.status is Status.LAPSED
    assert result.qualified_before == month(2013, 9)
    assert english(result)[:2] == [
        "Lapsed: 1 of the last 3 whole months did not meet the rule.",
        "Last qualified through September 2013.",
    ]


def test_a_chapter_that_never_had_three_good_months_in_a_row_is_forming() -> None:
    meetings = good("2013-07-05", "2013-08-05", "2013-10-05", "2013-11-05")
    result = verdict(meetings, RULE, NEW_YEAR, UTC)
    assert result.status is Status.FORMING
    assert result.qualified_before is None


def test_a_lapsed_chapter_that_meets_the_rule_again_is_qualifying() -> None:
    meetings = good("2013-05-05", "2013-06-05", "2013-07-05",
                    "2013-10-05", "2013-11-05", "2013-12-05")
    result = verdict(meetings, RULE, NEW_YEAR, UTC)
    assert result.status is Status.QUALIFYING
    assert result.qualified_before is None


# The best meeting of a month


def test_the_best_of_several_meetings_in_a_month_decides_it() -> None:
    october = [
        meeting("2013-10-02", crowd(women=4, men=0), name="small"),
        meeting("2013-10-09", crowd(women=1, men=5), name="few women"),
        meeting("2013-10-16", crowd(women=2, men=3), name="passing"),
    ]
    result = verdict([*october, *good("2013-11-05", "2013-12-05")], RULE, NEW_YEAR, UTC)
    assert result.status is Status.QUALIFYING
    first = result.months[0]
    assert first.meetings == 3
    assert first.best is not None
    assert first.best.meeting == "passing"


def test_when_no_meeting_passes_the_closest_one_is_reported() -> None:
    september = [
        meeting("2013-09-03", crowd(women=3, men=0), name="three"),
        meeting("2013-09-17", crowd(women=2, men=2), name="four"),
    ]
    result = verdict(september, RULE, datetime.date(2013, 11, 1), UTC)
    assert result.months[1].best is not None
    assert result.months[1].best.meeting == "four"
    assert english(result) == [
        "Forming: 3 of the last 3 whole months did not meet the rule.",
        "August 2013: no meeting.",
        "September 2013: best meeting had 4 attendees; needs 5 attendees.",
        "October 2013: no meeting.",
    ]


def test_the_reasons_of_a_qualifying_chapter_name_each_month() -> None:
    result = verdict(good("2013-10-05", "2013-11-05", "2013-12-05"), RULE, NEW_YEAR, UTC)
    assert english(result) == [
        "Met the rule in each of the last 3 whole months.",
        "October 2013: best meeting had 5 attendees, of whom 40% women (2) ✓",
        "November 2013: best meeting had 5 attendees, of whom 40% women (2) ✓",
        "December 2013: best meeting had 5 attendees, of whom 40% women (2) ✓",
    ]


def test_a_one_person_meeting_names_only_the_attendees_it_needs_not_her_gender() -> None:
    for gender in ("woman", "man"):
        result = verdict([meeting("2013-12-05", (Attendee("solo", gender),))], RULE, NEW_YEAR,
                         UTC)
        assert english(result)[-1] == (
            "December 2013: best meeting had 1 attendee; needs 5 attendees.")


# The rule's own settings


@pytest.mark.parametrize("fields", [
    {"min_women_share": Decimal("1.5")},
    {"min_women_share": -0.1},
    {"min_women_share": "a third"},
    {"months": 0},
    {"min_attendees": 0},
])
def test_a_rule_with_impossible_settings_is_refused(fields) -> None:
    with pytest.raises(ValueError, match=r"must be|Invalid literal"):
        Rule(**fields)


def test_counted_genders_given_as_a_plain_set_keep_the_rule_hashable() -> None:
    rule = Rule(counted_genders={"woman", "nonbinary"})  # type: ignore[arg-type]
    assert rule.counted_genders == frozenset({"woman", "nonbinary"})
    assert hash(rule) == hash(Rule(counted_genders=frozenset({"nonbinary", "woman"})))


# Properties

ZONES = [UTC, AUCKLAND, LOS_ANGELES]
MEMBERS = [f"m{i}" for i in range(9)]
GENDERS = ["woman", "man", "nonbinary", None]

attendees_st = st.lists(
    st.builds(Attendee, st.sampled_from(MEMBERS), st.sampled_from(GENDERS)), max_size=9
)
start_st = st.datetimes(
    min_value=datetime.datetime(2013, 7, 1), max_value=datetime.datetime(2014, 1, 31),
    timezones=st.just(UTC),
)
meetings_st = st.lists(
    st.builds(MeetingRecord, st.sampled_from(["a", "b", "c", "d"]), start_st,
              attendees_st.map(tuple)),
    max_size=12,
)
rules_st = st.builds(
    Rule,
    min_attendees=st.integers(1, 6),
    min_women_share=st.sampled_from([0, 0.25, Decimal("0.3"), 0.5, 1]),
    months=st.integers(1, 3),
    counted_genders=st.sampled_from([frozenset({"woman"}), frozenset({"woman", "nonbinary"})]),
)
on_st = st.dates(datetime.date(2013, 9, 1), datetime.date(2014, 2, 28))


@settings(max_examples=200, deadline=None)
@given(meetings_st, rules_st, on_st, st.sampled_from(ZONES), st.data())
def test_adding_a_woman_to_a_meeting_never_makes_a_qualifying_chapter_lose_it(
    meetings, rule, on, zone, data
) -> None:
    before = verdict(meetings, rule, on, zone)
    if not meetings:
        return
    index = data.draw(st.integers(0, len(meetings) - 1))
    member = data.draw(st.sampled_from([*MEMBERS, "newcomer"]))
    changed = list(meetings)
    target = changed[index]
    changed[index] = MeetingRecord(
        target.meeting, target.start, (*target.attendees, Attendee(member, "woman"))
    )
    after = verdict(changed, rule, on, zone)
    if before.status is Status.QUALIFYING:
        assert after.status is Status.QUALIFYING
    # Stronger: no month of the window gets worse.
    for was, now in zip(before.months, after.months, strict=True):
        assert now.ok or not was.ok


@settings(max_examples=200, deadline=None)
@given(meetings_st, rules_st, on_st, st.sampled_from(ZONES), st.randoms(use_true_random=False))
def test_the_verdict_does_not_depend_on_the_order_of_meetings_or_attendees(
    meetings, rule, on, zone, rng: random.Random
) -> None:
    shuffled = [
        MeetingRecord(m.meeting, m.start, tuple(rng.sample(m.attendees, len(m.attendees))))
        for m in meetings
    ]
    rng.shuffle(shuffled)
    assert verdict(shuffled, rule, on, zone) == verdict(meetings, rule, on, zone)
