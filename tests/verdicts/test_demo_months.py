"""The demo's verdicts and figures read from stored months equal those computed from its
attendance (issue 12, item 4); tests/verdicts/test_stored_months.py edits at random."""

import datetime

import pytest

from chapterhouse.chapters.models import Chapter
from chapterhouse.meetings.models import ChapterMonth
from chapterhouse.meetings.months import chapter_months_rebuild
from chapterhouse.organizations.models import Organization
from chapterhouse.verdicts.selectors import chapter_verdicts, chapter_verdicts_recomputed
from tests.verdicts.test_stored_months import assert_same

pytestmark = pytest.mark.django_db


def test_the_demo_reads_the_same_verdicts_and_figures_from_stored_months(demo, db):
    organization = Organization.objects.current()
    days = [organization.today, datetime.date(2013, 6, 15), datetime.date(2013, 11, 1),
            datetime.date(2014, 3, 1)]
    assert ChapterMonth.objects.count() > 100
    assert_same(days)
    stored = set(ChapterMonth.objects.values_list("chapter_id", "month", "best_meeting", "run"))
    chapter_months_rebuild()
    assert set(ChapterMonth.objects.values_list("chapter_id", "month", "best_meeting",
                                                "run")) == stored


def test_a_stale_row_is_never_shown(demo, db):
    """A row written under another rule or zone is recomputed from attendance, not shown."""
    today = Organization.objects.current().today
    ChapterMonth.objects.filter(pk__in=ChapterMonth.objects.order_by("?").values("pk")[:30]
                                ).update(rule_key="1|0|woman", enough_attendees=True,
                                         enough_women=True, run=99)
    ChapterMonth.objects.filter(pk__in=ChapterMonth.objects.order_by("?").values("pk")[:30]
                                ).update(zone="Pacific/Auckland")
    chapters = list(Chapter.objects.select_related("place"))
    rule = Organization.objects.current().rule
    assert chapter_verdicts(chapters, rule=rule, on=today) == chapter_verdicts_recomputed(
        chapters, rule=rule, on=today)
