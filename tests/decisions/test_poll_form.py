"""The poll form asks for the kind first, then shows and checks only the fields that kind (and
the chosen level) uses; shares are typed as percentages; its errors read as plain sentences on
the field at fault."""

from decimal import Decimal

import pytest
from django.urls import reverse

from chapterhouse.decisions.forms import KIND_FIELDS, GoalProposalForm
from chapterhouse.decisions.models import Kind, Poll
from tests.conftest import client_for, make_staff

pytestmark = pytest.mark.django_db

EVERY_KIND_FIELD = {name for names in KIND_FIELDS.values() for name in names}


def chapter_poll_data(springfield, **changes):
    return {"title": "Meeting day", "level": "chapter", "chapter": springfield.pk,
            "opens_at": "2030-03-01T09:00", "closes_at": "2030-03-08T09:00",
            "options": "Monday\nThursday", "seats": "1", "quorum": "0", "secret": "on",
            "results_shown": "after_close", "changeable": "on", **changes}


def field_names(response) -> set[str]:
    return set(response.context["form"].fields)


def test_the_first_step_asks_only_for_the_kind(client, alice):
    client.force_login(alice)
    response = client.get(reverse("poll_create"))
    assert response.status_code == 200
    assert "form" not in response.context
    page = response.text
    for value, label in Kind.choices:
        assert f'value="{value}"' in page
        assert str(label) in page
    assert 'name="title"' not in page


@pytest.mark.parametrize("kind", Kind.values)
def test_each_kind_shows_its_own_fields_and_no_other(client, alice, kind):
    client.force_login(alice)
    response = client.get(reverse("poll_create"), {"kind": kind})
    shown = field_names(response)
    assert set(KIND_FIELDS[kind]) <= shown
    assert not (EVERY_KIND_FIELD - set(KIND_FIELDS[kind])) & shown
    assert "kind" not in shown  # chosen in the first step, carried in the URL
    # A coordinator polls only a chapter: no region to choose.
    assert "region" not in shown
    assert f'name="kind" value="{kind}"' in response.text


def test_a_proposal_needs_no_options_and_ignores_other_kinds_fields(client, springfield, alice):
    client.force_login(alice)
    response = client.post(
        reverse("poll_create") + "?kind=proposal",
        chapter_poll_data(springfield, options="", seats="nonsense", max_score="-3",
                          pass_threshold="60", max_blocks="1"))
    assert response.status_code == 302, response.context["form"].errors
    poll = Poll.objects.get()
    assert (poll.kind, poll.pass_threshold, poll.max_blocks) == ("proposal", Decimal("0.600"), 1)
    assert (poll.seats, poll.max_score) == (1, 5)  # the model's defaults
    assert not poll.options.exists()


def test_a_choice_poll_still_needs_its_options(client, springfield, alice):
    client.force_login(alice)
    response = client.post(reverse("poll_create") + "?kind=single",
                           chapter_poll_data(springfield, options=""))
    assert response.status_code == 200
    assert response.context["form"].errors["options"] == ["This field is required."]
    assert not Poll.objects.exists()


def test_an_unknown_kind_goes_back_to_the_first_step_and_creates_nothing(client, springfield,
                                                                        alice):
    client.force_login(alice)
    response = client.post(reverse("poll_create") + "?kind=lottery",
                           chapter_poll_data(springfield))
    assert response.status_code == 200
    assert "What kind of poll?" in response.text
    assert not Poll.objects.exists()


def test_staff_polling_everyone_are_not_asked_for_a_chapter_or_region(client, springfield):
    staff = make_staff()
    client_for(client, staff)
    response = client.post(reverse("poll_create") + "?kind=approval", chapter_poll_data(
        springfield, level="organization", chapter="not a chapter", region="??"))
    assert response.status_code == 302, response.context["form"].errors
    poll = Poll.objects.get()
    assert (poll.level, poll.chapter, poll.region) == ("organization", None, "")


def test_a_regional_poll_must_name_its_region_beside_the_field(client, springfield):
    client_for(client, make_staff())
    response = client.post(reverse("poll_create") + "?kind=single",
                           chapter_poll_data(springfield, level="region", region=""))
    assert response.context["form"].errors["region"] == ["This field is required."]
    assert not Poll.objects.exists()


def test_a_poll_closing_before_it_opens_is_told_so_in_plain_words_beside_the_close(
        client, springfield, alice):
    client.force_login(alice)
    response = client.post(reverse("poll_create") + "?kind=single", chapter_poll_data(
        springfield, closes_at="2030-02-01T09:00"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["closes_at"] == ["The poll must close after it opens."]
    assert not form.non_field_errors()
    assert "Constraint" not in response.text
    assert "poll_closes_after_opening" not in response.text
    assert not Poll.objects.exists()


@pytest.mark.parametrize(("typed", "stored"), [
    ("25", Decimal("0.250")), ("12.5", Decimal("0.125")), ("12,5", Decimal("0.125")),
    ("25 %", Decimal("0.250")), ("0", Decimal("0")), ("100", Decimal("1")),
])
def test_a_quorum_is_typed_as_a_percentage_and_stored_as_a_share(client, springfield, alice,
                                                                 typed, stored):
    client.force_login(alice)
    response = client.post(reverse("poll_create") + "?kind=single",
                           chapter_poll_data(springfield, quorum=typed))
    assert response.status_code == 302, response.context["form"].errors
    assert Poll.objects.get().quorum == stored


@pytest.mark.parametrize(("typed", "message"), [
    ("101", "less than or equal to 100"), ("-1", "greater than or equal to 0"),
    ("0.25", "no more than 1 decimal place"), ("a quarter", "Enter a number."),
])
def test_a_quorum_out_of_range_is_refused_as_a_percentage(client, springfield, alice, typed,
                                                          message):
    client.force_login(alice)
    response = client.post(reverse("poll_create") + "?kind=single",
                           chapter_poll_data(springfield, quorum=typed))
    assert message in " ".join(response.context["form"].errors["quorum"])
    assert not Poll.objects.exists()


def test_stored_shares_come_back_as_the_percentages_typed():
    """A form shows its initial shares as percentages and a rejected form what was typed."""
    form = GoalProposalForm()
    assert form["quorum"].value() == "10"
    assert form["pass_threshold"].value() == "50"
    assert form["target_women_share"].value() == "30"
    assert 'value="30"' in str(form["target_women_share"])
    typed = GoalProposalForm(data={"target_women_share": "33,5"})
    assert typed["target_women_share"].value() == "33,5"
    typed.is_valid()
    assert typed.cleaned_data["target_women_share"] == Decimal("0.335")
    assert "(%)" in str(form["quorum"].label)


def test_the_form_loads_its_script_from_a_file(client, alice):
    """CSP forbids inline scripts: the level's rows are hidden by a static file."""
    client.force_login(alice)
    page = client.get(reverse("poll_create"), {"kind": "single"}).text
    assert "chapterhouse/poll-form" in page
    assert "<script>" not in page


def test_times_typed_are_kept_on_a_rejected_form(client, springfield, alice):
    client.force_login(alice)
    response = client.post(reverse("poll_create") + "?kind=single",
                           chapter_poll_data(springfield, quorum="200"))
    assert 'value="2030-03-01T09:00"' in response.text
    assert 'value="200"' in response.text
