"""`audit_entries_about(member)`: the entries a member gets in their own "download my data"."""

import datetime

import pytest
from auditlog.context import set_actor
from django.urls import reverse

from chapterhouse.audit.selectors import audit_entries_about
from chapterhouse.audit.services import audit_record
from tests.conftest import client_for, make_meeting

pytestmark = pytest.mark.django_db
JANUARY = datetime.datetime(2014, 1, 15, 0, tzinfo=datetime.UTC)


def test_a_member_gets_the_entries_about_their_rows_their_roles_and_their_actions(
        client, springfield, alice, bob, charlie):
    meeting = make_meeting(springfield, JANUARY)
    client_for(client, alice).post(reverse("meeting_attendance_edit", args=[meeting.pk]),
                                   {"present": [alice.pk, bob.pk]})
    with set_actor(alice):
        springfield.coordinators.add(bob)
    audit_record(actor=alice, action="erasure_review", target=springfield, about=[bob])
    audit_record(actor=charlie, action="data_download", target=charlie)

    about_bob = [(e.object_repr, e.changes_text) for e in audit_entries_about(bob)]
    assert any(repr_.startswith("Bob at Springfield") for repr_, _ in about_bob)
    assert ("Springfield", "erasure_review") in about_bob
    assert not any("Charlie" in repr_ or repr_.startswith("Alice at") for repr_, _ in about_bob)

    about_charlie = [e.changes_text for e in audit_entries_about(charlie)]
    assert "data_download" in about_charlie

    # Alice's own export lists what she did, Bob's attendance included.
    assert any(e.object_repr.startswith("Bob at") for e in audit_entries_about(alice))


def test_an_erasure_drops_the_members_email_and_name_but_keeps_the_entries(
        client, springfield, alice, bob):
    from auditlog.models import LogEntry

    from chapterhouse.audit.services import audit_member_forget

    meeting = make_meeting(springfield, JANUARY)
    with set_actor(bob):  # bob acts: his email is kept on the entry
        springfield.coordinators.add(bob)
    assert LogEntry.objects.filter(actor_email="bob@example.org").exists()
    client_for(client, alice).post(reverse("meeting_attendance_edit", args=[meeting.pk]),
                                   {"present": [bob.pk]})
    entries = LogEntry.objects.count()
    audit_member_forget(member=bob, former_name="Bob", placeholder="former member")
    assert LogEntry.objects.count() == entries
    assert not LogEntry.objects.filter(actor_email="bob@example.org").exists()
    reprs = [e.object_repr for e in audit_entries_about(bob)]
    assert any(r.startswith("former member at Springfield") for r in reprs)
    assert not any("Bob" in r for r in reprs)
