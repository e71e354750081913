"""Reads about polls that the pages share.

Who has voted in a secret poll is shown only as far as the count has reached: participations
whose ballots still wait sealed in the box are neither listed nor counted, so the list and the
live result change together, in batches of at least `SECRET_BALLOT_BATCH` (docs/decisions.md).
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from chapterhouse.decisions.models import Participation, Poll


def listed_participations(poll: Poll) -> QuerySet[Participation]:
    """The participations a page may count or name: all of an open-ballot poll's; of a secret
    poll's, those whose ballots are counted."""
    if not poll.secret:
        return poll.participations.all()
    return poll.participations.filter(pk__lte=poll.published_through)


def with_listed_voters(polls: QuerySet[Poll]) -> QuerySet[Poll]:
    """Annotate `voters`: the number of listed participations of each poll."""
    return polls.annotate(voters=Count(
        "participations", distinct=True,
        filter=Q(secret=False) | Q(participations__pk__lte=F("published_through"))))
