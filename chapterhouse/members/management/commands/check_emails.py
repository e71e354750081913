"""`chapterhouse check_emails`: stored emails that the email rule (members/emails.py) would
store differently or refuse, and accounts that would become one address. Reads only; exits 1
when it finds any, so it can run after an upgrade or in a deploy check."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chapterhouse.members.emails import EmailRefused, email_canonical
from chapterhouse.members.models import Member


class Command(BaseCommand):
    help = ("List members whose stored email the current email rule would refuse or store "
            "differently, and groups of accounts that would share one address.")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = 0
        by_canonical: dict[str, list[int]] = defaultdict(list)
        for pk, email in Member.objects.order_by("pk").values_list("pk", "email").iterator():
            try:
                canonical = email_canonical(email)
            except EmailRefused as refused:
                problems += 1
                self.stdout.write(f"member {pk}: refused ({refused.reason}): {email!a}")
                continue
            by_canonical[canonical].append(pk)
            if canonical != email:
                problems += 1
                self.stdout.write(f"member {pk}: stored {email!a}, would be {canonical!a}")
        for canonical, pks in by_canonical.items():
            if len(pks) > 1:
                problems += 1
                self.stdout.write(f"members {pks}: one address {canonical!a}")
        if problems:
            raise CommandError(f"{problems} stored emails need attention (see above).")
        self.stdout.write("Every stored email follows the email rule.")
