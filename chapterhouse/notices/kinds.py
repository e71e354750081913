"""Which emails belong to which category (typed, no Django): the registry of `kind=` strings.

Every kind queued through the outbox is listed here with the category a member's preferences
speak of. `account` mail (confirmation, password reset, security) is always sent; a kind that is
not listed is an error the suite finds (tests/notices/test_kinds.py scans the code base).
An engineer adding a kind adds one line here.
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    ACCOUNT = "account"  # cannot be turned off
    CHAPTER = "chapter"
    MEETINGS = "meetings"
    POLLS = "polls"
    HELPBOARD = "helpboard"
    ORGANIZING = "organizing"
    MESSAGES = "messages"


class Frequency(StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"


# The categories a member chooses for, in the order the settings page shows them.
CHOOSABLE: tuple[Category, ...] = tuple(c for c in Category if c is not Category.ACCOUNT)

# What a member gets without having chosen: poll notices wait for the daily digest (an
# organization-wide notice run must not send each member several emails at once); what
# concerns a meeting they said yes to, a person writing to them, or a person waiting for a
# welcome (organizing: a reminder that is late in a digest has missed its point) comes at once.
DEFAULTS: dict[Category, Frequency] = {
    Category.CHAPTER: Frequency.IMMEDIATELY,
    Category.MEETINGS: Frequency.IMMEDIATELY,
    Category.POLLS: Frequency.DAILY,
    Category.HELPBOARD: Frequency.IMMEDIATELY,
    Category.ORGANIZING: Frequency.IMMEDIATELY,
    Category.MESSAGES: Frequency.IMMEDIATELY,
}

# The digest itself: sent as it is (it carries its own unsubscribe link), never routed again.
DIGEST_KIND = "notice_digest"

KINDS: dict[str, Category] = {
    # account: always sent
    "confirmation": Category.ACCOUNT,
    "existing_account": Category.ACCOUNT,
    "import_invitation": Category.ACCOUNT,
    "password_reset": Category.ACCOUNT,
    # chapter
    "chapter_invitation": Category.CHAPTER,
    "email_invitation": Category.CHAPTER,  # to an address, usually without an account
    "join_request": Category.CHAPTER,
    "join_answer": Category.CHAPTER,
    "coordinator_offer": Category.CHAPTER,
    "coordinator_answer": Category.CHAPTER,
    "coordinator_offer_withdrawn": Category.CHAPTER,
    "chapter_started_inside_area": Category.CHAPTER,  # a new chapter inside ours (item 6)
    "chapter_at_risk": Category.CHAPTER,  # a health warning before the month ends (item 3)
    "split_confirm": Category.CHAPTER,  # which part of a split chapter is yours (item 4)
    "split_placed": Category.CHAPTER,
    "chapter_growth_invitation": Category.CHAPTER,  # join an existing chapter (its growth)
    "chapter_growth_told": Category.CHAPTER,  # its coordinators: a plan's group invited
    "affiliation_invitation": Category.CHAPTER,  # an affiliating group's people (item 5)
    "delegate_candidacy": Category.CHAPTER,  # named a candidate in a delegate election
    # meetings
    "meeting_reminder": Category.MEETINGS,
    "meeting_changed": Category.MEETINGS,
    "meeting_cancelled": Category.MEETINGS,
    # polls
    "poll_opening": Category.POLLS,
    "poll_reminder": Category.POLLS,
    "poll_result": Category.POLLS,
    "poll_withdrawn": Category.POLLS,
    "poll_digest": Category.POLLS,
    # help board
    "help_offer": Category.HELPBOARD,
    # organizing
    "followups_welcome_coordinators": Category.ORGANIZING,  # a new member waits (item 2)
    "followups_welcome_organizer": Category.ORGANIZING,
    "split_coordinator_needed": Category.ORGANIZING,  # a split's part has no coordinator
    # messages
    "inbox_message": Category.MESSAGES,  # a message on the site (item 7)
}


def category_of(kind: str) -> Category | None:
    """The kind's category; None for a kind nobody registered (or the digest itself)."""
    return KINDS.get(kind)


def is_registered(kind: str) -> bool:
    return kind in KINDS or kind == DIGEST_KIND
