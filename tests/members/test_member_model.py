import datetime

import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError

from chapterhouse.chapters.selectors import members_unaffiliated
from chapterhouse.members.models import Member
from chapterhouse.places.models import Place
from tests.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db


def test_emails_are_one_address_whatever_the_case_or_unicode_form():
    member = Member.objects.create_user("\uff2ao@Example.ORG ", PASSWORD, display_name="Jo")
    assert member.email == "jo@example.org"
    with pytest.raises(IntegrityError):
        Member.objects.create_user("JO@example.org", PASSWORD, display_name="Jo again")


def test_login_works_with_the_email_typed_differently(rf):
    Member.objects.create_user("jo@example.org", PASSWORD, display_name="Jo")
    assert authenticate(rf.get("/"), username="JO@EXAMPLE.org", password=PASSWORD) is not None


def test_country_continent_and_time_zone_come_from_the_city():
    member = make_member("ana@example.org", "Ana", 3448439)  # São Paulo
    assert member.place.country_name == "Brazil"
    assert member.place.continent_name == "South America"
    assert member.place.timezone == "America/Sao_Paulo"


def test_a_place_is_stored_once_for_many_members():
    make_member("a@example.org", "A", 3448439)
    make_member("b@example.org", "B", 3448439)
    assert Place.objects.count() == 1


def test_a_member_without_a_city_is_allowed():
    member = make_member("nomad@example.org", "Nomad", None)
    assert member.place is None
    assert member.joined_on == datetime.date(2012, 3, 1)


def test_unaffiliated_means_in_no_chapter_on_that_day(springfield, bob, olivia):
    on = datetime.date(2014, 2, 1)
    assert list(members_unaffiliated(Member.objects.all(), on)) == [olivia]
    bob.chapter_memberships.update(left_on=datetime.date(2014, 1, 15))
    assert set(members_unaffiliated(Member.objects.all(), on)) == {bob, olivia}
    assert list(members_unaffiliated(Member.objects.all(), datetime.date(2014, 1, 1))) == [olivia]


def test_staff_cannot_create_or_rename_an_account_to_a_look_alike_email(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="invisible"):
        Member.objects.create_superuser("admin\u200b@example.org", "x" * 20)
    member = Member.objects.create_user("ana@EXAMPLE\u3002org", "x" * 20, display_name="Ana")
    assert member.email == "ana@example.org"
    member.email = "ana@\u0435xample.org"
    with pytest.raises(ValidationError, match="alphabets"):
        member.save()
    with pytest.raises(ValidationError, match="alphabets"):
        member.full_clean()
