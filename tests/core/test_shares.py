"""Shares in the admin are typed and shown as percentages too, and stored as fractions."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.utils import translation

from chapterhouse.core.shares import PercentField, share_as_percent
from chapterhouse.decisions.models import Poll
from chapterhouse.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Other tests' requests may leave another language active in this thread."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("share", "shown"), [
    (Decimal("0.300"), "30"), (Decimal("0.125"), "12.5"), (Decimal("1"), "100"),
    (Decimal("0"), "0"), (0.25, "25")])
def test_a_stored_share_is_shown_as_the_percentage_it_stands_for(share, shown):
    assert share_as_percent(share) == shown
    assert PercentField().prepare_value(share) == shown


@pytest.mark.parametrize(("typed", "share"), [
    ("30.00", Decimal("0.3")), ("12.50", Decimal("0.125")), ("100.0", Decimal("1"))])
def test_trailing_zeros_are_not_refused_as_decimals(typed, share):
    assert PercentField().clean(typed) == share


def test_an_unchanged_percentage_is_not_a_change():
    field = PercentField()
    assert not field.has_changed(Decimal("0.300"), "30")
    assert field.has_changed(Decimal("0.300"), "35")


def test_the_organizations_womens_share_is_a_percentage_in_the_admin(rf, admin_user,
                                                                   organization):
    request = rf.get("/")
    request.user = admin_user
    model_admin = admin.site._registry[Organization]
    form_class = model_admin.get_form(request, organization)
    form = form_class(instance=organization)
    assert form["min_women_share"].value() == "30"
    assert "(%)" in form.fields["min_women_share"].label
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(min_women_share="40", counted_genders='["woman"]')
    bound = form_class(data=data, instance=organization)
    assert bound.is_valid(), bound.errors
    assert bound.save().min_women_share == Decimal("0.400")


def test_a_polls_quorum_is_a_percentage_in_the_admin(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    form = admin.site._registry[Poll].get_form(request)()
    assert form["quorum"].value() == "0"
    assert form["pass_threshold"].value() == "50"


@pytest.mark.parametrize("typed", ["1e30", "1e999999999", "-1e999999999", "101", "-0.5"])
def test_a_share_out_of_range_is_a_form_error_not_a_crash(typed):
    from django.core.exceptions import ValidationError

    from chapterhouse.core.shares import PercentField

    with pytest.raises(ValidationError):
        PercentField().clean(typed)
