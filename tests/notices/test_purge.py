"""The daily purge removes digests sent long ago and digest lines that never left; what is
recent, and what still waits for a digest to come, stays."""

import datetime

import pytest
from django.utils import timezone

from chapterhouse.context import context_for
from chapterhouse.notices.kinds import Frequency
from chapterhouse.notices.models import Digest, DigestEntry
from chapterhouse.privacy.services import stale_purge
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def line(member, written, digest=None):
    return DigestEntry.objects.create(member=member, category="polls", kind="poll_opening",
                                      frequency=Frequency.DAILY, subject="Poll open",
                                      link="", created_at=written, digest=digest)


def test_old_digests_and_lines_that_never_left_are_purged(organization, settings):
    settings.PURGE_DIGESTS_AFTER_DAYS = 90
    vera = make_member("vera@example.org", "Vera")
    now = timezone.now()
    old, recent = now - datetime.timedelta(days=91), now - datetime.timedelta(days=89)
    old_digest = Digest.objects.create(member=vera, created_at=old)
    line(vera, old, digest=old_digest)
    stranded = line(vera, old)  # never left: the member chose "never" since
    recent_digest = Digest.objects.create(member=vera, created_at=recent)
    kept_sent = line(vera, recent, digest=recent_digest)
    waiting = line(vera, now - datetime.timedelta(hours=3))

    purged = stale_purge(context_for(), now=now)

    assert purged.digest_rows == 3  # the old digest, its line, the stranded line
    assert not Digest.objects.filter(pk=old_digest.pk).exists()
    assert not DigestEntry.objects.filter(pk=stranded.pk).exists()
    assert set(DigestEntry.objects.values_list("pk", flat=True)) == {kept_sent.pk, waiting.pk}
    assert stale_purge(context_for(), now=now).digest_rows == 0  # twice: nothing more
