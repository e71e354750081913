"""The history's arithmetic (domain/history.py), on plain data."""

import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chapterhouse.domain import qualification
from chapterhouse.domain.history import ChapterFacts, MonthRecord, history, point_dates
from chapterhouse.domain.qualification import Attendee, MeetingRecord, Rule, Status

D = datetime.date
RULE = Rule()  # 5 attendees, 30% women, 3 months
UTC = ZoneInfo("UTC")


def run(**changes):
    fields = {"founded": D(2012, 2, 1), "today": D(2012, 8, 1), "joins": {}, "leaves": {},
              "chapters": {}, "months": [], "rule_months": 3, "min_attendees": 5,
              "required_share": Fraction(3, 10)}
    fields.update(changes)
    return history(**fields)


def passing(chapter, *months, attendees=10, counted=4):
    """Consecutive passing months, as meetings/months.py stores them."""
    return [MonthRecord(chapter, month, k + 1, attendees, counted)
            for k, month in enumerate(months)]


def test_a_point_on_the_first_of_each_month_and_on_the_figures_date():
    assert point_dates(D(2012, 2, 1), D(2012, 4, 15)) == [
        D(2012, 2, 1), D(2012, 3, 1), D(2012, 4, 1), D(2012, 4, 15)]
    assert point_dates(D(2012, 2, 10), D(2012, 4, 1)) == [D(2012, 3, 1), D(2012, 4, 1)]
    assert point_dates(D(2012, 2, 10), D(2012, 2, 20)) == [D(2012, 2, 20)]


def test_members_are_counted_from_the_day_they_joined_until_the_day_they_left():
    result = run(joins={D(2012, 2, 1): 3, D(2012, 3, 15): 2, D(2012, 6, 1): 1},
                 leaves={D(2012, 5, 1): 1})
    assert [p.members for p in result.points] == [3, 3, 5, 4, 5, 5, 5]


def test_a_chapter_qualifies_from_the_month_after_its_third_passing_month():
    months = passing(1, D(2012, 2, 1), D(2012, 3, 1), D(2012, 4, 1), D(2012, 5, 1))
    result = run(chapters={1: ChapterFacts(D(2012, 2, 1), "EU")}, months=months)
    # Feb, Mar, Apr pass: it qualifies on 1 May; 1 July's window (Apr-Jun) lacks June.
    assert [p.chapters for p in result.points] == [0, 0, 0, 1, 1, 0, 0]
    assert [p.continents for p in result.points] == [0, 0, 0, 1, 1, 0, 0]
    assert [(p.started, p.stopped) for p in result.points][3:6] == [(1, 0), (0, 0), (0, 1)]


def test_a_failed_month_ends_the_run():
    months = [*passing(1, D(2012, 2, 1), D(2012, 3, 1)),
              MonthRecord(1, D(2012, 4, 1), 0, 4, 2),
              *passing(1, D(2012, 5, 1), D(2012, 6, 1))]
    result = run(chapters={1: ChapterFacts(D(2012, 2, 1), "EU")}, months=months)
    assert all(p.chapters == 0 for p in result.points)


def test_chapters_on_two_continents_and_the_womens_share_over_their_window():
    months = [*passing(1, D(2012, 3, 1), D(2012, 4, 1), D(2012, 5, 1), attendees=10, counted=3),
              *passing(2, D(2012, 3, 1), D(2012, 4, 1), D(2012, 5, 1), attendees=10, counted=5)]
    result = run(chapters={1: ChapterFacts(D(2012, 2, 1), "EU"),
                           2: ChapterFacts(D(2012, 2, 1), "OC")}, months=months)
    june = result.points[4]
    assert (june.on, june.chapters, june.continents) == (D(2012, 6, 1), 2, 2)
    assert (june.attendees, june.counted) == (60, 24)
    assert june.women_share == Fraction(24, 60)


def test_a_group_too_small_to_speak_about_is_a_gap_not_a_point():
    # A rule of one attendee: one chapter whose meetings had 1 person a month (3 in all,
    # 1 a woman) qualifies, but 3 people are fewer than the 5 the disclosure rule wants.
    months = passing(1, D(2012, 3, 1), D(2012, 4, 1), D(2012, 5, 1), attendees=1, counted=0)
    result = run(chapters={1: ChapterFacts(D(2012, 2, 1), "EU")}, months=months,
                 min_attendees=5, required_share=Fraction(0))
    june = result.points[4]
    assert june.chapters == 1
    assert june.women_share is None


def test_all_women_or_none_is_also_a_gap():
    months = passing(1, D(2012, 3, 1), D(2012, 4, 1), D(2012, 5, 1), attendees=10, counted=10)
    result = run(chapters={1: ChapterFacts(D(2012, 2, 1), "EU")}, months=months)
    assert result.points[4].chapters == 1
    assert result.points[4].women_share is None


def test_a_chapter_not_yet_founded_or_unknown_is_not_counted():
    months = [*passing(1, D(2012, 3, 1), D(2012, 4, 1), D(2012, 5, 1)),
              *passing(9, D(2012, 3, 1), D(2012, 4, 1), D(2012, 5, 1))]
    result = run(chapters={1: ChapterFacts(D(2012, 6, 15), "EU")}, months=months)
    assert [p.chapters for p in result.points][4:] == [0, 0, 0]


def test_the_monthly_series_of_qualifying_chapters():
    months = passing(1, D(2012, 3, 1), D(2012, 4, 1), D(2012, 5, 1), D(2012, 6, 1),
                     D(2012, 7, 1))
    result = run(chapters={1: ChapterFacts(D(2012, 2, 1), "EU")}, months=months)
    assert result.chapters_by_month()[-3:] == [
        (D(2012, 6, 1), 1), (D(2012, 7, 1), 1), (D(2012, 8, 1), 1)]


def test_a_rule_of_no_months_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        run(rule_months=0)


MONTHS = [qualification.add_months(D(2012, 1, 1), k) for k in range(18)]


@st.composite
def meetings(draw):
    """A chapter's meetings: some months with one meeting of some people, some women."""
    records = []
    for index, month in enumerate(MONTHS):
        if not draw(st.booleans()):
            continue
        people = draw(st.integers(1, 8))
        women = draw(st.integers(0, people))
        attendees = tuple(Attendee(f"{index}-{k}", "woman" if k < women else "man")
                          for k in range(people))
        start = datetime.datetime.combine(month + datetime.timedelta(days=9),
                                          datetime.time(18), tzinfo=datetime.UTC)
        records.append(MeetingRecord(str(index), start, attendees))
    return records


@settings(max_examples=60, deadline=None)
@given(chapters=st.lists(meetings(), min_size=1, max_size=4), months=st.integers(1, 4))
def test_every_point_agrees_with_the_qualification_rule(chapters, months):
    rule = Rule(months=months)
    stored = [MonthRecord(pk, month, result.run, result.attendees, result.counted)
              for pk, records in enumerate(chapters)
              for month, result in qualification.month_results(records, rule, UTC).items()]
    facts = {pk: ChapterFacts(D(2012, 1, 1), "EU" if pk % 2 else "NA")
             for pk in range(len(chapters))}
    result = history(founded=D(2012, 1, 1), today=D(2013, 6, 20), joins={}, leaves={},
                     chapters=facts, months=stored, rule_months=months, min_attendees=5,
                     required_share=rule.share)
    for point in result.points:
        expected = [pk for pk, records in enumerate(chapters)
                    if qualification.verdict(records, rule, point.on, UTC).status
                    is Status.QUALIFYING]
        assert point.chapters == len(expected), point.on
        assert point.continents == len({facts[pk].continent for pk in expected})
