"""Seeding the demo again replaces the demo and nothing else: the audit history stays (its
entries' demo actors forgotten, as deleting them through the ORM did), and the resource files
go only once the new demo is committed."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from chapterhouse.audit.services import audit_record
from chapterhouse.demo import seeding
from chapterhouse.demo.seeding import COORDINATOR_EMAIL, DemoSpec, generate_demo
from chapterhouse.members.models import Member
from chapterhouse.resources.models import Resource

SMALL = DemoSpec(members=600, seed=7)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files() -> dict[int, str]:
    return dict(Resource.objects.exclude(file="").values_list("pk", "file"))


def test_a_seeding_that_fails_keeps_the_resources_and_their_files(db, media, monkeypatch):
    generate_demo(SMALL)
    before = stored_files()
    assert before

    def broken(**kwargs):
        raise RuntimeError("a later step fails")

    # A step after the old demo is cleared and before the new resources are written.
    monkeypatch.setattr(seeding, "seed_meetings_and_calls", broken)
    with pytest.raises(RuntimeError):
        generate_demo(SMALL)

    assert stored_files() == before
    assert all((media / name).is_file() for name in before.values())


def test_a_seeding_that_succeeds_deletes_the_old_files_after_it_commits(
        db, media, django_capture_on_commit_callbacks):
    generate_demo(SMALL)
    old = set(stored_files().values())
    with django_capture_on_commit_callbacks(execute=True):
        generate_demo(SMALL)

    new = set(stored_files().values())
    assert new
    assert all((media / name).is_file() for name in new)
    assert not any((media / name).is_file() for name in old - new)


def test_reseeding_keeps_the_audit_history(db, media):
    call_command("seed_demo", "--members", "600", "--seed", "7")
    coordinator = Member.objects.get(email=COORDINATOR_EMAIL)
    about_organization = audit_record(action="export_members")
    by_a_demo_member = audit_record(actor=coordinator, action="planner_start")
    assert by_a_demo_member.actor_id == coordinator.pk

    call_command("seed_demo", "--members", "600", "--seed", "8")

    kept = {entry.pk: entry for entry in LogEntry.objects.all()}
    assert kept[about_organization.pk].changes_text == "export_members"
    assert kept[by_a_demo_member.pk].changes_text == "planner_start"
    assert kept[by_a_demo_member.pk].actor_id is None
    assert Member.objects.get(email=COORDINATOR_EMAIL).pk != coordinator.pk
