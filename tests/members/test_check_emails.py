"""`chapterhouse check_emails` finds accounts stored before the email rule that break it."""

import pytest
from django.core.management import CommandError, call_command

from chapterhouse.members.models import Member
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def test_clean_addresses_pass(organization, capsys):
    make_member("ana@example.org", "Ana")
    call_command("check_emails")
    assert "Every stored email follows the email rule" in capsys.readouterr().out


def test_look_alikes_stored_before_the_rule_are_listed(organization, capsys):
    ana = make_member("ana@example.org", "Ana")
    twin = make_member("twin@example.org", "Twin")
    zero_width = make_member("zw@example.org", "Zero")
    Member.objects.filter(pk=twin.pk).update(email="ana@example\u3002org")
    Member.objects.filter(pk=zero_width.pk).update(email="ana\u200b@example.org")
    with pytest.raises(CommandError):
        call_command("check_emails")
    out = capsys.readouterr().out
    assert f"member {zero_width.pk}: refused (invisible)" in out
    assert f"member {twin.pk}: stored" in out
    assert f"members [{ana.pk}, {twin.pk}]: one address 'ana@example.org'" in out


def test_a_member_stored_before_the_rule_can_still_be_saved(organization):
    ana = make_member("ana@example.org", "Ana")
    Member.objects.filter(pk=ana.pk).update(email="ana\u200b@example.org")
    legacy = Member.objects.get(pk=ana.pk)
    legacy.display_name = "Ana B."
    legacy.set_password("a completely new passphrase")
    legacy.save()
    assert Member.objects.get(pk=ana.pk).display_name == "Ana B."
