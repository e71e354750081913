"""The demo's follow-ups (issue 13, item 2), in New York City, the coordinator persona's chapter:

- the persona's organizer record carries the chapter (`Chapter.organizer`);
- new members waiting for a welcome: the generated data already has some (members who joined
  NYC in the last weeks); two of them were welcomed, so they have left the queue;
- an RSVP-yes no-show: two members said yes to January's meeting and did not come;
- a lapsed regular: a member who came in June, July and August 2013 and not since (added to
  those meetings, each of which had 5 or more attendees and enough women already, so the
  chapter's verdicts stay as they were);
- a few logged conversations, by the persona and by the other coordinator.

Called once by `generate_demo`, before the chapters' stored months are rebuilt; returns how many
attendance rows it added (the demo's attendance count includes them).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from chapterhouse.chapters.models import Chapter
from chapterhouse.followups.models import Conversation, Kind
from chapterhouse.meetings.models import Answer, Attendance, Meeting, Rsvp
from chapterhouse.members.models import Member
from chapterhouse.organizing.models import Organizer

CHAPTER = "New York City"
PERSONA = "coordinator@demo.example.org"
LAPSED_MONTHS = ((2013, 6), (2013, 7), (2013, 8))
MIN_ATTENDEES = 5
WOMEN_SHARE = 0.3


def seed_followups(*, today: datetime.date) -> int:
    chapter = Chapter.objects.select_related("place").get(name=CHAPTER)
    persona = Member.objects.get(email=PERSONA)
    Chapter.objects.filter(pk=chapter.pk, organizer__isnull=True).update(
        organizer=Organizer.objects.filter(member=persona).first())
    core = set(chapter.coordinators.values_list("pk", flat=True))
    current = {m.member_id: m for m in chapter.memberships.current(today)}
    meetings = list(Meeting.objects.held().filter(chapter=chapter, starts_at__date__lt=today)
                    .order_by("starts_at"))
    came: dict[int, set[int]] = defaultdict(set)  # meeting -> members
    for meeting_id, member_id in Attendance.objects.filter(
            meeting__in=meetings).values_list("meeting_id", "member_id"):
        came[meeting_id].add(member_id)
    last_came: dict[int, datetime.date] = {}
    for meeting in meetings:
        for member_id in came[meeting.pk]:
            last_came[member_id] = meeting.starts_at.date()
    people = {m.pk: m for m in Member.objects.filter(pk__in=current)}
    added = _lapsed_regular(meetings, came, people, current, core, last_came)
    _no_shows(meetings, came, people, core, last_came)
    _conversations(chapter, persona, people, current, core, last_came, today)
    return added


def _lapsed_regular(meetings: list[Meeting], came: dict[int, set[int]],
                    people: dict[int, Member], current: dict, core: set[int],
                    last_came: dict[int, datetime.date]) -> int:
    chosen = [m for m in meetings if (m.starts_at.year, m.starts_at.month) in LAPSED_MONTHS]
    women = {pk for pk, m in people.items() if m.gender == "woman"}
    if len(chosen) != len(LAPSED_MONTHS) or not all(
            len(came[m.pk]) >= MIN_ATTENDEES
            and len(came[m.pk] & women) >= WOMEN_SHARE * len(came[m.pk]) for m in chosen):
        return 0  # another demo shape: leave its verdicts alone
    first = chosen[0].starts_at.date()
    candidates = [pk for pk in sorted(women - core)
                  if current[pk].joined_on < first and pk not in last_came]
    if not candidates:
        return 0
    pk = candidates[0]
    Attendance.objects.bulk_create(Attendance(meeting=m, member_id=pk) for m in chosen)
    last_came[pk] = chosen[-1].starts_at.date()
    return len(chosen)


def _no_shows(meetings: list[Meeting], came: dict[int, set[int]], people: dict[int, Member],
              core: set[int], last_came: dict[int, datetime.date]) -> None:
    taken = [m for m in meetings if came[m.pk]]
    if not taken:
        return
    meeting = taken[-1]
    # Members who came lately (in the two months before), but not to this one.
    day = meeting.starts_at.date()
    absent = [pk for pk in sorted(people) if pk not in core and pk in last_came
              and day - datetime.timedelta(days=75) <= last_came[pk] < day]
    Rsvp.objects.bulk_create(
        Rsvp(meeting=meeting, member_id=pk, answer=Answer.YES,
             answered_at=meeting.starts_at - datetime.timedelta(days=3 + i))
        for i, pk in enumerate(absent[-2:]))


def _conversations(chapter: Chapter, persona: Member, people: dict[int, Member],
                   current: dict, core: set[int], last_came: dict[int, datetime.date],
                   today: datetime.date) -> None:
    other = next((pk for pk in sorted(core) if pk != persona.pk), None)
    newest = sorted((pk for pk in people if pk not in core and pk not in last_came),
                    key=lambda pk: current[pk].joined_on)[-6:]
    regulars = [pk for pk in sorted(last_came) if pk in people and pk not in core][:2]
    day = datetime.timedelta(days=1)
    rows = [
        # Two of the newest members were welcomed (they left the queue); the others wait.
        *(Conversation(chapter=chapter, member_id=pk, talked_by=persona, kind=Kind.WELCOME,
                       occurred_on=min(current[pk].joined_on + day, today),
                       notes="Called to welcome them; they would like to come to the next "
                             "meeting and can help with the flyers.")
          for pk in newest[:2]),
        *(Conversation(chapter=chapter, member_id=pk, talked_by_id=other or persona.pk,
                       kind=Kind.ONE_TO_ONE, occurred_on=today - 10 * day,
                       notes="Coffee after the meeting. Interested in housing; might "
                             "co-coordinate in the spring.")
          for pk in regulars),
    ]
    Conversation.objects.bulk_create(rows)
