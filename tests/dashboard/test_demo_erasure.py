"""Erasing a member leaves history alone (issue 9, attack 5): in the demo, deleting one New
York City attendee in the admin turned NYC from qualifying to lapsed and the dashboard from 8
to 7 chapters. Erasing her now keeps every verdict, count, continent and the women's figure;
only the member count goes down, by exactly her (it counts current members)."""

import datetime
import re

from django.urls import reverse

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_for
from chapterhouse.decisions.models import Poll
from chapterhouse.goals.snapshot import measure
from chapterhouse.meetings.models import Attendance
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.privacy.services import member_erase
from chapterhouse.verdicts.selectors import chapter_verdicts
from tests.conftest import dashboard_current
from tests.dashboard.test_dashboard import cell_texts


def chapter_rows(html: str) -> dict[str, str]:
    return {m.group(1): " ".join(re.sub(r"<[^>]+>", " ", m.group(0)).split())
            for m in re.finditer(r'<tr id="(chapter-[^"]+)".*?</tr>', html, re.S)}


def test_erasing_an_nyc_attendee_keeps_every_verdict_and_figure(demo, db, client):
    organization = Organization.objects.current()
    nyc = Chapter.objects.get(name="New York City")
    window = datetime.datetime(2013, 11, 1, tzinfo=datetime.UTC)
    attendee = (Member.objects.filter(attendances__meeting__chapter=nyc,
                                      attendances__meeting__starts_at__gte=window,
                                      gender="woman", is_staff=False)
                .exclude(coordinated_chapters=nyc).order_by("pk").first())
    attended = Attendance.objects.filter(member=attendee).count()
    polls = {p.pk: (p.result, p.eligible_count, p.participations.count())
             for p in Poll.objects.all()}
    before_html = client.get(reverse("dashboard")).text
    before = measure(organization)
    verdicts = chapter_verdicts(Chapter.objects.all(), rule=organization.rule,
                                on=organization.today)

    member_erase(context_for(), member=attendee)

    after_html = dashboard_current(client).text
    after = measure(organization)
    assert chapter_verdicts(Chapter.objects.all(), rule=organization.rule,
                            on=organization.today) == verdicts
    assert after.counts == before.counts
    assert after.order == before.order
    assert after.snapshot.chapters == before.snapshot.chapters == 8
    assert after.snapshot.continents == before.snapshot.continents == 3
    assert after.snapshot.women_share == before.snapshot.women_share
    assert after.snapshot.members == before.snapshot.members - 1 == 3442
    for row in ("goal-chapters", "goal-continents", "goal-women"):
        assert cell_texts(after_html, row) == cell_texts(before_html, row)
    assert cell_texts(before_html, "goal-members")[1] == "3,443"
    assert cell_texts(after_html, "goal-members")[1] == "3,442"
    assert chapter_rows(after_html) == chapter_rows(before_html)
    assert len(chapter_rows(after_html)) >= 8
    assert Attendance.objects.filter(member=attendee).count() == attended > 0
    assert {p.pk: (p.result, p.eligible_count, p.participations.count())
            for p in Poll.objects.all()} == polls

