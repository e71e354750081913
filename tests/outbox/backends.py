"""Email backends the outbox tests send through."""

from __future__ import annotations

import os
import smtplib
import time
import uuid

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    """An SMTP server that refuses the first FAILURES messages, then accepts everything."""

    FAILURES = 2
    refused = 0
    opened = 0

    def open(self):
        FlakyBackend.opened += 1
        return super().open()

    def send_messages(self, messages):
        if FlakyBackend.refused < self.FAILURES:
            FlakyBackend.refused += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class SlowFileBackend(BaseEmailBackend):
    """One file per message sent (named by its subject, and unique, so a second sending of the
    same message shows as a second file) in OUTBOX_TEST_DIR, after sleeping OUTBOX_TEST_SLOW
    seconds: long enough to kill the worker mid-send."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.file_path = os.environ["OUTBOX_TEST_DIR"]

    def send_messages(self, messages):
        time.sleep(float(os.environ.get("OUTBOX_TEST_SLOW", "0")))
        for message in messages:
            path = os.path.join(self.file_path, f"{message.subject}-{uuid.uuid4().hex}.eml")
            with open(path, "w", encoding="utf-8") as out:
                out.write(message.message().as_string())
        return len(messages)
