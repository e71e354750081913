"""The demo shows a chapter at risk (demo/health.py): London, whose meeting on the demo's day
had four attendees."""

import pytest
from django.urls import reverse

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_for
from chapterhouse.verdicts.notices import risk_recipients
from chapterhouse.verdicts.risks import chapter_risk
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_london_is_at_risk_on_the_demo_clock_and_its_people_see_it(demo, client):
    london = Chapter.objects.select_related("place", "organizer__member").get(name="London")
    found = chapter_risk(context_for(), london)
    assert found is not None
    assert [r.code for r in found.reasons] == ["risk.short_attendees"]
    people = risk_recipients(london)
    assert london.organizer is not None
    assert london.organizer.member in people
    page = client_for(client, people[0]).get(reverse("chapter_detail", args=["london"])).text
    assert 'id="chapter-at-risk"' in page
    assert "The best meeting so far in February 2014 had 4 attendees" in page
    assert "1 chapter is at risk" in client.get(reverse("dashboard")).text
