"""Remove what is kept no longer than needed (see privacy/services.py). Run it daily from cron;
running it twice, or twice at once, is safe."""

from typing import Any

from django.core.management.base import BaseCommand

from chapterhouse.context import context_for
from chapterhouse.privacy.services import stale_purge


class Command(BaseCommand):
    help = ("Delete accounts never confirmed, old answered or expired invitations and join "
            "requests, and old login records (ages in the PURGE_* settings).")

    def handle(self, *args: Any, **options: Any) -> None:
        purged = stale_purge(context_for())
        self.stdout.write(
            f"{purged.accounts_deleted} unconfirmed account(s) deleted, "
            f"{purged.accounts_erased} erased; {purged.invitations} invitation(s), "
            f"{purged.join_requests} join request(s), {purged.login_records} login record(s) "
            "removed.")
