"""Staff erase a member in the admin as the member would; they can no longer delete one
(issue 9, attack 5: the admin's delete cascaded into attendance)."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from chapterhouse.meetings.models import Attendance
from chapterhouse.members.models import Member
from tests.conftest import client_for, make_meeting, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, organization):
    member = make_member("staff@example.org", "Staff", is_staff=True, is_superuser=True)
    client_for(client, member)
    return member


CHANGELIST = "admin:members_member_changelist"


def test_the_admin_offers_no_delete(client, staff, bob):
    assert client.get(reverse("admin:members_member_delete", args=[bob.pk])).status_code == 403
    page = client.get(reverse(CHANGELIST)).text
    assert "delete_selected" not in page
    assert "erase_selected" in page
    assert Member.objects.filter(pk=bob.pk).exists()


def test_the_erase_action_asks_then_anonymises_and_keeps_attendance(client, staff, springfield,
                                                                    bob):
    make_meeting(springfield, datetime.datetime(2013, 12, 1, tzinfo=datetime.UTC), [bob])
    ask = client.post(reverse(CHANGELIST), {"action": "erase_selected",
                                            ACTION_CHECKBOX_NAME: [bob.pk]})
    assert "Yes, erase them" in ask.text
    assert Member.objects.get(pk=bob.pk).erased_at is None  # not before confirming
    done = client.post(reverse(CHANGELIST), {"action": "erase_selected", "confirmed": "yes",
                                             ACTION_CHECKBOX_NAME: [bob.pk]}, follow=True)
    assert "1 member erased." in done.text
    tomb = Member.objects.get(pk=bob.pk)
    assert tomb.erased_at is not None
    assert tomb.email.endswith("@erased.invalid")
    assert Attendance.objects.filter(member=tomb).count() == 1


def test_staff_cannot_erase_themselves_by_accident(client, staff):
    client.post(reverse(CHANGELIST), {"action": "erase_selected", "confirmed": "yes",
                                      ACTION_CHECKBOX_NAME: [staff.pk]})
    assert Member.objects.get(pk=staff.pk).erased_at is None


def test_a_member_added_in_the_admin_joins_on_the_organizations_today(client, organization):
    client_for(client, make_member("root@example.org", "Root", is_staff=True,
                                   is_superuser=True))
    response = client.post(reverse("admin:members_member_add"), {
        "email": "new@example.org", "display_name": "New", "password1": "a long passphrase 9",
        "password2": "a long passphrase 9", "_save": "Save"})
    assert response.status_code == 302, response.text[:2000]
    assert Member.objects.get(email="new@example.org").joined_on == organization.today
