"""After a change of the rule, a view recomputes from attendance at most RECOMPUTED_INLINE
chapters whose stored months hold for the old rule; the others are shown as being
recomputed (never with a wrong verdict, counted as neither qualifying nor not) while the
rebuild task runs, and the dashboard says how far it has come (issue 12)."""

import pytest
from django.urls import reverse

from chapterhouse.chapters.models import Chapter
from chapterhouse.goals.snapshot import measure
from chapterhouse.meetings.months import chapter_months_progress, months_rebuild_queued
from chapterhouse.organizations.models import Organization
from chapterhouse.verdicts.selectors import (
    RECOMPUTED_INLINE,
    chapter_standings,
    chapter_verdicts_recomputed,
)
from tests.conftest import NEW_YORK, make_chapter, make_qualifying, run_queued_tasks

pytestmark = pytest.mark.django_db


def grow(count: int) -> None:
    """`count` chapters qualifying under the default rule (five attendees a month)."""
    for i in range(count):
        make_qualifying(make_chapter(f"Grown {i}", NEW_YORK))


def rule_changed(min_attendees: int) -> Organization:
    """The rule changed as the admin changes it: the rebuild queued, not yet run."""
    organization = Organization.objects.current()
    with months_rebuild_queued():
        organization.min_attendees = min_attendees
        organization.save()
    return Organization.objects.current()


def test_up_to_the_bound_every_stale_chapter_is_recomputed(organization):
    grow(RECOMPUTED_INLINE)
    organization = rule_changed(6)  # five attendees no longer qualify
    chapters = Chapter.objects.all()
    on = organization.today
    standings = chapter_standings(chapters, rule=organization.rule, on=on)
    assert not any(s.recomputing for s in standings.values())
    expected = chapter_verdicts_recomputed(chapters, rule=organization.rule, on=on)
    assert {pk: s.verdict for pk, s in standings.items()} == expected
    measured = measure(organization)
    assert measured.recomputing == 0
    assert measured.counts == {"qualifying": 0, "lapsed": 0, "forming": RECOMPUTED_INLINE}


def test_beyond_the_bound_the_others_are_shown_as_being_recomputed(organization, client):
    grow(RECOMPUTED_INLINE + 5)
    assert measure(Organization.objects.current()).counts["qualifying"] == 25
    organization = rule_changed(6)  # five attendees no longer qualify
    chapters = Chapter.objects.all()
    on, rule = organization.today, organization.rule
    standings = chapter_standings(chapters, rule=rule, on=on)
    waiting = [pk for pk, s in standings.items() if s.recomputing]
    assert len(waiting) == 5
    expected = chapter_verdicts_recomputed(chapters, rule=rule, on=on)
    for pk, standing in standings.items():
        if standing.recomputing:
            assert standing.status is None
            assert not standing.at_risk
            with pytest.raises(ValueError, match="no verdict yet"):
                standing.verdict  # noqa: B018 (no verdict rather than a wrong one)
        else:
            assert standing.verdict == expected[pk]

    measured = measure(organization)
    assert measured.recomputing == 5
    # The five in no count: not qualifying (their old months), not forming (the new rule's).
    assert measured.counts == {"qualifying": 0, "lapsed": 0, "forming": RECOMPUTED_INLINE}
    assert measured.snapshot.chapters == 0
    assert len(measured.order) == RECOMPUTED_INLINE + 5  # listed, last

    page = client.get(reverse("dashboard")).text
    assert page.count('class="verdict-recomputing"') == 5
    assert "5 chapters are being recomputed for the new rule" in page
    assert ("Verdicts being recomputed for the new rule: 0 of 25 chapters done."
            in " ".join(page.split()))


def test_once_rebuilt_no_chapter_is_shown_as_being_recomputed(
        organization, client, django_capture_on_commit_callbacks):
    grow(RECOMPUTED_INLINE + 5)
    with django_capture_on_commit_callbacks(execute=True):
        organization = rule_changed(6)
    assert chapter_months_progress(organization.rule).stale == RECOMPUTED_INLINE + 5
    run_queued_tasks()  # the rebuild, then the figures it made stale
    assert chapter_months_progress(organization.rule).stale == 0
    client.get(reverse("dashboard"))
    run_queued_tasks()
    page = client.get(reverse("dashboard"))
    assert page.context["rebuild"] is None
    assert "verdict-recomputing" not in page.text
    assert page.context["measurement"] == measure(organization)
    assert page.context["measurement"].recomputing == 0
    assert page.context["counts"]["forming"] == RECOMPUTED_INLINE + 5
