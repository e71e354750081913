"""Attack 4 of issue 9: counts of women are shown only for groups of at least the rule's minimum
attendees; below it nothing about the group's women is shown, not even whether it met the share."""

import datetime
from fractions import Fraction

import pytest
from django.urls import reverse

from chapterhouse.domain.disclosure import WomenFigure, women_figure
from tests.conftest import client_for, join, make_meeting, make_member

THIRTY = Fraction(3, 10)
JANUARY = datetime.datetime(2014, 1, 15, 0, tzinfo=datetime.UTC)


def test_one_attendee_shows_no_count_no_share_and_not_whether_the_share_was_met() -> None:
    assert women_figure(1, 1, minimum=5, required_share=THIRTY) == WomenFigure(1, 5, None, None,
                                                                                None)
    assert not women_figure(1, 0, minimum=5, required_share=THIRTY).shown


def test_three_attendees_show_nothing_about_their_women() -> None:
    figure = women_figure(3, 2, minimum=5, required_share=THIRTY)
    assert (figure.count, figure.share, figure.met) == (None, None, None)


def test_a_group_of_the_minimum_shows_its_count_share_and_whether_it_met_the_share() -> None:
    assert women_figure(5, 2, minimum=5, required_share=THIRTY) == WomenFigure(
        5, 5, 2, Fraction(2, 5), True)
    assert women_figure(7, 2, minimum=5, required_share=THIRTY).met is False


def test_an_impossible_group_is_refused() -> None:
    with pytest.raises(ValueError, match="is not a group"):
        women_figure(2, 3, minimum=5, required_share=THIRTY)


@pytest.fixture
def alone(springfield, alice):
    """A January meeting of Alice alone (a woman)."""
    return make_meeting(springfield, JANUARY, [alice])


@pytest.fixture
def three(springfield, alice, bob):
    """A January meeting of three, two of them women: the attack's '67% women (2)'."""
    dora = make_member("dora@example.org", "Dora", gender="woman")
    join(springfield, dora)
    return make_meeting(springfield, JANUARY, [alice, bob, dora])


def _no_women_figure(html: str) -> None:
    assert "% women (" not in html
    assert "counted women" not in html
    assert "100%" not in html
    assert "67%" not in html
    assert "needs 30% women" not in html


@pytest.mark.django_db
def test_saving_attendance_with_one_person_ticked_says_nothing_of_her_gender(client, springfield,
                                                                           alice, bob):
    meeting = make_meeting(springfield, JANUARY)
    response = client_for(client, alice).post(
        reverse("meeting_attendance_edit", args=[meeting.pk]), {"present": [alice.pk]},
        follow=True)
    assert "Attendance saved: 1 present" in response.text
    assert "January 2014: best meeting had 1 attendee; needs 5 attendees." in response.text
    _no_women_figure(response.text)


@pytest.mark.django_db
def test_the_public_dashboard_shows_no_women_count_for_a_meeting_of_three(client, three):
    html = client.get(reverse("dashboard")).text
    assert "best meeting had 3 attendees; needs 5 attendees." in html
    _no_women_figure(html)


@pytest.mark.django_db
def test_the_chapter_page_shows_no_women_count_for_a_meeting_of_one(client, alone, springfield):
    html = client.get(reverse("chapter_detail", args=[springfield.slug])).text
    assert "January 2014: best meeting had 1 attendee; needs 5 attendees." in html
    _no_women_figure(html)


@pytest.mark.django_db
def test_a_meeting_of_the_minimum_shows_its_count_of_women(client, springfield, alice, bob):
    men = [make_member(f"m{i}@example.org", f"M{i}", gender="man") for i in range(4)]
    for man in men:
        join(springfield, man)
    make_meeting(springfield, JANUARY, [alice, bob, *men])
    html = client.get(reverse("chapter_detail", args=[springfield.slug])).text
    assert ("January 2014: best meeting had 6 attendees, of whom 17% women (1); needs 30% women."
            in html)


# Ways round the minimum (issue 9 review): padding with guests, and homogeneous groups.
def test_guests_do_not_make_a_group_big_enough_to_count_its_women():
    # A coordinator records one member and four invented guests who do not count:
    # the count would be that member's gender.
    padded = women_figure(5, 1, minimum=5, required_share=Fraction(3, 10), guests=4)
    assert padded.count is None
    assert padded.share is None
    assert padded.met is None
    real = women_figure(7, 3, minimum=5, required_share=Fraction(3, 10), guests=2)
    assert real.count == 3
    assert real.met is True


def test_a_group_of_all_women_or_none_shows_no_count_but_says_whether_it_met_the_share():
    none = women_figure(5, 0, minimum=5, required_share=Fraction(3, 10))
    every = women_figure(5, 5, minimum=5, required_share=Fraction(3, 10))
    assert none.count is None
    assert none.share is None
    assert none.met is False
    assert every.count is None
    assert every.share is None
    assert every.met is True
    assert women_figure(5, 2, minimum=5, required_share=Fraction(3, 10)).count == 2
