"""Every action that changes or reveals other people's data leaves an entry with its actor, time,
object and what changed (issue 9, "What to build" 8 and attack 6's "no audit log")."""

import datetime

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from chapterhouse.audit.services import audit_record
from chapterhouse.chapters.models import Invitation
from chapterhouse.chapters.services import chapter_invite_nearby
from chapterhouse.context import context_for
from chapterhouse.decisions.models import Kind, Level, Poll
from chapterhouse.decisions.services import poll_create, poll_withdraw
from chapterhouse.meetings.models import Attendance
from tests.conftest import client_for, make_meeting, make_member

pytestmark = pytest.mark.django_db
JANUARY = datetime.datetime(2014, 1, 15, 0, tzinfo=datetime.UTC)


def entries_for(model, **filters):
    from django.contrib.contenttypes.models import ContentType

    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                   **filters).order_by("timestamp", "pk")


def test_an_attendance_edit_on_the_screen_records_who_was_added_and_removed(client, springfield,
                                                                            alice, bob):
    meeting = make_meeting(springfield, JANUARY, [bob])
    before = timezone.now()
    client_for(client, alice).post(reverse("meeting_attendance_edit", args=[meeting.pk]),
                                   {"present": [alice.pk]}, REMOTE_ADDR="203.0.113.9")
    added, removed = (entries_for(Attendance, action=LogEntry.Action.CREATE).get(),
                      entries_for(Attendance, action=LogEntry.Action.DELETE).get())
    assert added.actor == alice
    assert removed.actor == alice
    assert added.object_repr.startswith("Alice at Springfield")
    assert removed.object_repr.startswith("Bob at Springfield")
    assert added.changes["member"] == ["None", str(alice.pk)]
    assert added.timestamp >= before
    assert added.remote_addr is None
    assert removed.remote_addr is None


def test_adding_a_coordinator_records_the_role_change(springfield, alice, bob):
    staff = make_member("root@example.org", "Root", is_staff=True)
    with set_actor(staff):
        springfield.coordinators.add(bob)
    entry = entries_for(type(springfield), object_id=springfield.pk).last()
    assert entry.actor == staff
    assert entry.changes["coordinators"] == {"type": "m2m", "operation": "add",
                                             "objects": ["Bob"]}


def test_making_someone_staff_records_the_role_and_nothing_personal(bob):
    root = make_member("root@example.org", "Root", is_staff=True, is_superuser=True)
    with set_actor(root):
        bob.is_staff = True
        bob.gender = "woman"
        bob.save()
    entry = entries_for(type(bob), object_id=bob.pk, action=LogEntry.Action.UPDATE).get()
    assert entry.actor == root
    assert entry.changes == {"is_staff": ["False", "True"]}


def test_an_invitation_records_its_inviter_and_invitee(springfield, alice, olivia):
    olivia.willing_to_meet = True
    olivia.save(update_fields=["willing_to_meet"])
    with set_actor(alice):
        assert chapter_invite_nearby(context_for(alice), chapter=springfield).count == 1
    entry = entries_for(Invitation).get()
    assert entry.actor == alice
    assert entry.action == LogEntry.Action.CREATE
    assert entry.object_repr == "Olivia to Springfield"
    assert entry.changes["member"] == ["None", str(olivia.pk)]
    assert entry.changes["invited_by"] == ["None", str(alice.pk)]


def test_creating_and_withdrawing_a_poll_are_recorded(organization, springfield, alice):
    now = timezone.now()
    with set_actor(alice):
        poll = poll_create(context_for(alice), title="Picnic?",
                           kind=Kind.SINGLE, level=Level.CHAPTER, chapter=springfield,
                           opens_at=now + datetime.timedelta(hours=1),
                           closes_at=now + datetime.timedelta(days=2), options=["Yes", "No"])
        poll_withdraw(context_for(alice), poll=poll, reason="Rain")
    created, withdrawn = entries_for(Poll, object_id=poll.pk)
    assert created.action == LogEntry.Action.CREATE
    assert created.actor == alice
    assert created.changes["title"] == ["None", "Picnic?"]
    assert "salt" not in created.changes
    assert withdrawn.action == LogEntry.Action.UPDATE
    assert withdrawn.actor == alice
    assert withdrawn.changes["withdrawn_reason"] == ["", "Rain"]


def test_an_explicit_record_names_actor_action_target_and_changes(organization, alice, bob):
    entry = audit_record(actor=alice, action="data_download", target=bob,
                         changes={"files": 3})
    entry.refresh_from_db()
    assert (entry.actor, entry.object_repr, entry.changes_text) == (alice, "Bob", "data_download")
    assert entry.changes == {"files": ["None", "3"]}
    assert entry.action == LogEntry.Action.ACCESS


def test_an_explicit_record_inside_a_request_takes_the_requests_user(client, organization,
                                                                      alice):
    """The planner's "Start it" and other views record through audit_record; the actor is
    filled in from the request when the caller does not give one."""
    from auditlog.middleware import AuditlogMiddleware

    from chapterhouse.audit.middleware import AuditMiddleware

    assert issubclass(AuditMiddleware, AuditlogMiddleware)
    with set_actor(alice):
        entry = audit_record(action="export_members")
    assert entry.actor == alice
