"""Remove what is kept no longer than needed (see members/purge.py). Run it daily from cron;
running it twice, or twice at once, is safe."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from chapterhouse.members.purge import stale_purge
from chapterhouse.organizations.models import Organization


class Command(BaseCommand):
    help = ("Delete accounts never confirmed, old answered or expired invitations and join "
            "requests, and old login records (ages in the PURGE_* settings).")

    def handle(self, *args, **options):
        purged = stale_purge(now=timezone.now(), today=Organization.objects.current().today)
        self.stdout.write(
            f"{purged.accounts_deleted} unconfirmed account(s) deleted, "
            f"{purged.accounts_erased} erased; {purged.invitations} invitation(s), "
            f"{purged.join_requests} join request(s), {purged.login_records} login record(s) "
            "removed.")
