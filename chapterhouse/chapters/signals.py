"""What chapters tell the apps above them. Chapters cannot import those apps (the layers in
pyproject.toml), yet some of their rows belong to a membership: an app that keeps such rows
listens here, and its receiver runs inside the sender's transaction."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by membership_leave inside its transaction, after the membership got its end date.
# Arguments: membership (ChapterMembership), after (datetime: the organization's now; what
# starts later has not happened yet, so is no longer the former member's).
membership_ended = Signal()
