"""The demo's organizers, sympathetic organizations and requests for help.

The letter's author (NYC, 10-20 h/week for 3-5 months, the northeastern US) and two organizers
from other chapters; a few existing groups near clusters of unaffiliated members; a few needs
on the help board.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_for
from chapterhouse.helpboard.services import need_post
from chapterhouse.organizing.models import Affiliation, Organizer, SympatheticOrganization
from chapterhouse.places.models import Place

# chapter name, hours a week, months, reach in km
ORGANIZERS = (
    ("New York City", Decimal("15"), Decimal("4"), 350),
    ("London", Decimal("10"), Decimal("5"), 150),
    ("Toronto", Decimal("12"), Decimal("3"), 150),
)
# name, GeoNames id, about how many people, status
GROUPS = (
    ("Boston Solidarity Network", 4930956, 40, Affiliation.CONTACTED),
    ("Manchester Co-operative Forum", 2643123, 25, Affiliation.IDENTIFIED),
    ("Chicago Workers' Reading Group", 4887398, 12, Affiliation.IDENTIFIED),
    ("Vancouver Tenants' Assembly", 6173331, 30, Affiliation.TALKING),
    ("Norwegian anarchist network", 3143244, 20, Affiliation.AFFILIATED),
)


# chapter, title, details, language
NEEDS = (
    ("New York City", "Someone in Boston who has run a first meeting",
     "Eight members near Boston want to start; one experienced person at their first "
     "meeting would help a lot.", "en"),
    ("Vienna", "Translate our flyer into Turkish",
     "Many of our neighbours read Turkish first. The flyer is one page.", "tr"),
    ("São Paulo", "A film for our movie night, with Portuguese subtitles",
     "We want to invite new people with a film evening in March.", "pt-br"),
)


def save_organizing(today: datetime.date, author_email: str) -> None:
    chapters = {c.name: c for c in Chapter.objects.prefetch_related("coordinators")
                .select_related("place")}
    for name, hours, months, reach in ORGANIZERS:
        chapter = chapters[name]
        # The letter's author organizes from NYC; elsewhere the longest-standing coordinator.
        member = min(chapter.coordinators.all(),
                     key=lambda m: (m.email != author_email, m.pk))
        Organizer.objects.create(
            member=member, place=chapter.place, hours_per_week=hours, starts_on=today,
            months=months, reach_km=reach, endorsed_by=chapter,
        )
    for chapter_name, title, details, language in NEEDS:
        chapter = chapters[chapter_name]
        asker = min(chapter.coordinators.all(), key=lambda m: m.pk)
        need_post(context_for(asker), chapter=chapter, title=title, details=details,
                  language=language)
    for name, place_id, size, status in GROUPS:
        SympatheticOrganization.objects.create(
            name=name, place=Place.objects.from_gazetteer(place_id), size=size, status=status,
            contact=f"hello@{name.split()[0].lower()}.example.org",
        )
