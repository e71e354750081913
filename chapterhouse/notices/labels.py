"""The words for categories and frequencies (the settings page, the digest, the footer)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chapterhouse.notices.kinds import Category, Frequency

CATEGORY_LABELS: dict[Category, Promise] = {
    Category.ACCOUNT: _("Your account and its security"),
    Category.CHAPTER: _("Your chapters: invitations, requests to join, coordinators"),
    Category.MEETINGS: _("Meetings: reminders, changes and cancellations"),
    Category.POLLS: _("Polls: new polls, reminders and results"),
    Category.HELPBOARD: _("Help board: offers of help"),
    Category.ORGANIZING: _("Organizing: follow-ups and warnings"),
    Category.MESSAGES: _("Messages written to you"),
}

FREQUENCY_LABELS: dict[Frequency, Promise] = {
    Frequency.IMMEDIATELY: _("Immediately, one email each"),
    Frequency.DAILY: _("In a daily digest"),
    Frequency.WEEKLY: _("In a weekly digest"),
    Frequency.NEVER: _("Never"),
}
