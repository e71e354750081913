"""`seed_demo` never replaces data it did not make (issue 10): it refuses, saying why, unless
told `--replace-everything`."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command

from chapterhouse.chapters.models import Chapter
from chapterhouse.demo.seeding import ADMIN_EMAIL
from chapterhouse.members.models import Member
from chapterhouse.places.models import Place
from tests.conftest import NEW_YORK, make_member

SMALL = ["--members", "600", "--seed", "7"]


def seed(*extra: str) -> None:
    call_command("seed_demo", *SMALL, *extra)


def refusal(*extra: str) -> str:
    """The reason `seed_demo` gives for refusing. A CommandError: the command line prints it
    on one line and exits with status 1 (Django's run_from_argv; calling that here would close
    the test's database connection)."""
    with pytest.raises(CommandError) as refused:
        seed(*extra)
    return str(refused.value)


def test_a_database_holding_a_real_account_is_refused_and_the_account_survives(db):
    real = make_member("rosa@example.org", "Rosa")

    error = refusal()

    assert len(error.splitlines()) == 1
    assert "Refusing to seed" in error
    assert "members: 1" in error
    assert "--replace-everything" in error
    assert list(Member.objects.values_list("email", flat=True)) == [real.email]
    assert not Member.objects.filter(email=ADMIN_EMAIL).exists()


def test_a_freshly_migrated_empty_database_is_seeded(db):
    seed()
    assert Member.objects.count() == 600


def test_the_first_page_view_of_an_empty_install_does_not_block_the_demo(db, client):
    client.get("/")  # creates the organization's settings row with defaults
    seed()
    assert Member.objects.count() == 600


def test_a_demo_database_may_be_seeded_again(db):
    seed()
    seed("--seed", "8")
    assert Member.objects.count() == 600
    assert Member.objects.filter(email=ADMIN_EMAIL).count() == 1


def test_a_member_who_joined_a_demo_database_afterwards_is_not_replaced_silently(db):
    seed()
    make_member("late@example.org", "Late")
    assert "members: 1" in refusal()
    assert Member.objects.filter(email="late@example.org").exists()


def test_a_chapter_made_by_hand_is_refused_too(db):
    seed()
    Chapter.objects.create(name="Real Chapter", slug="real-chapter",
                           founded_on=datetime.date(2013, 1, 1),
                           place=Place.objects.from_gazetteer(NEW_YORK))
    assert "chapters: 1" in refusal()


def test_replace_everything_replaces_a_real_organization(db):
    make_member("rosa@example.org", "Rosa")
    seed("--replace-everything")
    assert not Member.objects.filter(email="rosa@example.org").exists()
    assert Member.objects.count() == 600
    seed()  # and the result is a demo database, which may be seeded again
