"""Splits carried out (docs/splits.md): recorded when proposed, made real when their poll
passes, answered by each member for themselves, settled after the deadline.

The proposal poll itself is written by decisions/split_services.py (decisions sits above this
app); `decisions.services._carry_out` calls `split_carry_out` when the poll passes.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chapterhouse.chapters.models import Chapter, ChapterMembership, Origin
from chapterhouse.chapters.signals import membership_ended
from chapterhouse.domain.distance import great_circle_km
from chapterhouse.members.language import member_language
from chapterhouse.members.mail import site_link
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.outbox.services import Draft, messages_queue
from chapterhouse.places.models import Place
from chapterhouse.splits.models import (
    IN_PROGRESS,
    Source,
    Split,
    SplitAnswer,
    SplitPart,
    Status,
)

if TYPE_CHECKING:  # decisions sits above: the type only
    from chapterhouse.decisions.models import Poll

logger = logging.getLogger(__name__)

MIN_PARTS = 2
MAX_PARTS = 8  # as many as the planner proposes at most (planner/db_inputs.py)
KIND_CONFIRM = "split_confirm"  # category: chapter
KIND_PLACED = "split_placed"  # category: chapter
KIND_COORDINATOR_NEEDED = "split_coordinator_needed"  # category: organizing


@dataclass(frozen=True)
class PartSpec:
    """A part as proposed: its name and the gazetteer city at its centre."""

    name: str
    place_id: int


def split_parts_check(parts: Sequence[PartSpec]) -> list[PartSpec]:
    """The parts, trimmed, or a ValidationError saying what is wrong (nothing is written)."""
    cleaned = [PartSpec(p.name.strip(), p.place_id) for p in parts]
    if not MIN_PARTS <= len(cleaned) <= MAX_PARTS:
        raise ValidationError(_("A split has from %(least)d to %(most)d parts.")
                              % {"least": MIN_PARTS, "most": MAX_PARTS})
    if any(not p.name or len(p.name) > 200 for p in cleaned):
        raise ValidationError(_("Each part needs a name of at most 200 characters."))
    if len({p.name.casefold() for p in cleaned}) != len(cleaned):
        raise ValidationError(_("Each part needs a name of its own."))
    if len({p.place_id for p in cleaned}) != len(cleaned):
        raise ValidationError(_("Each part needs a centre of its own."))
    if Place.objects.filter(pk__in=[p.place_id for p in cleaned]).count() != len(cleaned):
        raise ValidationError(_("Choose each part's centre from the list of cities."))
    return cleaned


def split_lock(chapter: Chapter) -> None:
    """Lock the chapter's row for the proposing transaction (a no-op UPDATE: PostgreSQL locks
    the row, SQLite takes its write lock), so two proposals at once are checked in turn."""
    Chapter.objects.filter(pk=chapter.pk).update(radius_km=F("radius_km"))


def split_in_progress(chapter: Chapter) -> Split | None:
    """The chapter's split in progress, after marking those whose poll failed or was
    withdrawn as rejected (a poll that does not pass never reaches `_carry_out`)."""
    Split.objects.filter(parent=chapter, status=Status.VOTING, poll__closed_at__isnull=False,
                         passed_on__isnull=True).update(status=Status.REJECTED)
    return Split.objects.filter(parent=chapter, status__in=IN_PROGRESS).first()


def split_record(ctx: Context, *, chapter: Chapter, poll: Poll, parts: Sequence[PartSpec],
                 source: str) -> Split:
    """The split of `chapter` put to `poll`, inside the proposing transaction (which holds
    `split_lock` and checked `split_in_progress`)."""
    if source not in Source.values:
        raise ValueError(source)
    split = Split.objects.create(organization=ctx.organization, parent=chapter, poll=poll,
                                 source=source, proposed_by=ctx.actor.member,
                                 proposed_at=ctx.now())
    SplitPart.objects.bulk_create(SplitPart(split=split, name=p.name, place_id=p.place_id,
                                            position=i) for i, p in enumerate(parts))
    logger.info("split %s of chapter %s proposed: %d parts", split.pk, chapter.pk, len(parts))
    return split


def _free_slug(name: str, parent: Chapter) -> str:
    base = slugify(name)[:150] or "chapter"
    for slug in (base, f"{base}-{parent.slug}"[:190],
                 *(f"{base}-{parent.slug}-{n}"[:200] for n in range(2, 50))):
        if not Chapter.objects.filter(slug=slug).exists():
            return slug
    raise ValidationError(_("No free address for the chapter %(name)s.") % {"name": name})


def _nearest(parts: list[SplitPart], lat: float | None, lon: float | None,
             parent: Chapter) -> SplitPart:
    if lat is None or lon is None:  # no city: the part nearest the chapter's home
        lat, lon = parent.place.latitude, parent.place.longitude
    return min(parts, key=lambda p: (great_circle_km(lat, lon, p.place.latitude,
                                                     p.place.longitude), p.position))


def split_carry_out(*, poll: Poll) -> Split | None:
    """The split put to `poll` passed: each part becomes a chapter (origin "split", the parent
    as parent, founded on the day the poll closed) and every current member of the parent is
    asked, on the site and by email, to confirm their part by `confirm_by` (default: the part
    nearest their city). Nobody's membership changes here. Runs inside the poll's close; a
    second call finds the split no longer voting and does nothing."""
    split = (Split.objects.select_for_update().select_related("parent__place")
             .filter(poll=poll, status=Status.VOTING).first())
    if split is None:
        return None
    closed_at = split.poll.closed_at
    assert closed_at is not None
    on = closed_at.date()
    parent = split.parent
    parts = list(split.parts.select_related("place"))
    # The organizer who carries the parent carries its parts, until they have coordinators.
    carrier = parent.organizer if parent.organizer and parent.organizer.active else None
    for part in parts:
        chapter = Chapter(name=part.name, slug=_free_slug(part.name, parent), place=part.place,
                          parent=parent, origin=Origin.SPLIT, founded_on=on, organizer=carrier,
                          description=_("Split from %(parent)s on %(date)s.")
                          % {"parent": parent.name, "date": on.isoformat()})
        chapter.full_clean(exclude=["organizer"])
        chapter.save()
        part.chapter = chapter
        part.save(update_fields=["chapter"])
    members = list(Member.objects.filter(
        pk__in=parent.memberships.current(on).values("member_id")).select_related("place"))
    answers = [split_question(split, m, parts) for m in members]
    SplitAnswer.objects.bulk_create(answers, batch_size=500)
    split.status = Status.CONFIRMING
    split.passed_on = on
    split.confirm_by = on + datetime.timedelta(days=settings.SPLIT_CONFIRM_DAYS)
    split.save(update_fields=["status", "passed_on", "confirm_by"])
    _tell(split, answers, KIND_CONFIRM)
    logger.info("split %s passed: %d chapters, %d members asked", split.pk, len(parts),
                len(answers))
    return split


def split_question(split: Split, member: Member, parts: list[SplitPart]) -> SplitAnswer:
    """A member's question, unsaved: the part nearest their city as its default."""
    place = member.place
    return SplitAnswer(split=split, member=member, default=_nearest(
        parts, place.latitude if place else None, place.longitude if place else None,
        split.parent))


def _newcomers(split: Split, on: datetime.date) -> list[Member]:
    """Current members of the parent who were not asked: they joined it after the split
    passed (an invitation or a join request accepted during the confirmation window)."""
    return list(Member.objects.filter(
        pk__in=split.parent.memberships.current(on).values("member_id"))
        .exclude(pk__in=split.answers.values("member_id")).select_related("place"))


def splits_ask_newcomers(ctx: Context) -> int:
    """The job, before settling: whoever joined a splitting chapter since its split passed is
    asked too, as every member was (their answer row, their default, the same email). Returns
    how many were asked."""
    today = ctx.today()
    asked = 0
    for split_id in Split.objects.filter(status=Status.CONFIRMING, confirm_by__gte=today) \
            .order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            split = (Split.objects.select_for_update().select_related("parent__place")
                     .filter(pk=split_id, status=Status.CONFIRMING).first())
            if split is None:
                continue
            parts = list(split.parts.select_related("place"))
            answers = [split_question(split, m, parts) for m in _newcomers(split, today)]
            if not answers:
                continue
            SplitAnswer.objects.bulk_create(answers, batch_size=500)
            _tell(split, answers, KIND_CONFIRM)
            logger.info("split %s: %d members who joined since it passed asked", split.pk,
                        len(answers))
            asked += len(answers)
    return asked


def _tell(split: Split, answers: Sequence[SplitAnswer], kind: str,
          never_asked: bool = False) -> None:
    """One email per member, in their language, naming their own part only."""
    link = site_link("split_detail", split.pk)
    drafts = []
    for answer in answers:
        member = answer.member
        values = {"name": member.display_name, "chapter": split.parent.name,
                  "part": answer.default.name, "date": split.confirm_by, "link": link}
        with translation.override(member_language(member)):
            if kind == KIND_CONFIRM:
                subject = _("%(chapter)s splits: confirm your chapter") % values
                body = _("Hello %(name)s,\n\n%(chapter)s voted to split into neighbourhood "
                         "chapters. The one nearest your city is %(part)s. Confirm it, choose "
                         "another, or choose none, by %(date)s:\n\n%(link)s\n\nIf you do not "
                         "answer by then, you will be a member of %(part)s.") % values
            elif never_asked:
                subject = _("You are now a member of %(part)s") % values
                body = _("Hello %(name)s,\n\nYou joined %(chapter)s while it was splitting "
                         "into neighbourhood chapters, and the split is now carried out. You "
                         "are a member of %(part)s, the one nearest your city. To change, see "
                         "the split and its chapters; you can leave %(part)s or ask to join "
                         "another of them at any time:\n\n%(link)s") % values
            else:
                subject = _("You are now a member of %(part)s") % values
                body = _("Hello %(name)s,\n\n%(chapter)s has split. You did not choose a part "
                         "by %(date)s, so you are now a member of %(part)s, the one nearest "
                         "your city. You can leave it or ask to join another chapter at any "
                         "time:\n\n%(link)s") % values
        drafts.append(Draft(to=member.email, subject=subject, body=body, member=member,
                            kind=kind))
    messages_queue(drafts)


def _end(membership: ChapterMembership, on: datetime.date, now: datetime.datetime) -> None:
    membership.left_on = max(on, membership.joined_on)
    membership.save(update_fields=["left_on"])
    membership_ended.send(sender=ChapterMembership, membership=membership, after=now)


def _join(member: Member, chapter: Chapter, on: datetime.date) -> None:
    if not chapter.memberships.filter(member=member, left_on__isnull=True).exists():
        ChapterMembership.objects.create(chapter=chapter, member=member, joined_on=on)


def split_answer(ctx: Context, *, split: Split, part_id: int | None,
                 coordinate: bool = False) -> SplitAnswer:
    """The actor answers for themselves: the part they join (`part_id`), or none (they
    leave). Their membership follows at once: the parent's ends, the part's starts; they may
    change their answer until `confirm_by`. A coordinator of the parent may also take on the
    coordination of their part (`coordinate`). PermissionDenied if they were not asked."""
    member = ctx.actor.member
    if member is None:
        raise PermissionDenied
    on, now = ctx.today(), ctx.now()
    with transaction.atomic():
        split = Split.objects.select_for_update().select_related("parent").get(pk=split.pk)
        answer = (SplitAnswer.objects.select_for_update(of=("self",))
                  .select_related("part__chapter").filter(split=split, member=member).first())
        if answer is None and split.status == Status.CONFIRMING \
                and split.parent.is_member(member, on):
            # Joined after the split passed, not asked yet by the job: asked now.
            answer = split_question(split, member, list(split.parts.select_related("place")))
            answer.save()
        if answer is None:
            raise PermissionDenied
        if split.status != Status.CONFIRMING:
            raise ValidationError(_("This split is no longer waiting for answers."))
        assert split.confirm_by is not None
        if on > split.confirm_by:
            raise ValidationError(_("The time to choose ended on %(date)s.")
                                  % {"date": split.confirm_by.isoformat()})
        part = None
        if part_id is not None:
            part = split.parts.select_related("chapter").filter(pk=part_id).first()
            if part is None or part.chapter is None:
                raise ValidationError(_("Choose one of the parts, or none."))
        coordinate = (coordinate and part is not None
                      and split.parent.coordinators.filter(pk=member.pk).exists())
        old = answer.part if answer.answered_at is not None else None
        if old is not None and old.chapter is not None and (old != part or not coordinate):
            if answer.coordinates:
                old.chapter.coordinators.remove(member)
            if old != part:
                for membership in old.chapter.memberships.filter(member=member,
                                                                 left_on__isnull=True):
                    _end(membership, on, now)
        for membership in split.parent.memberships.filter(member=member, left_on__isnull=True):
            _end(membership, on, now)
        if part is not None and part.chapter is not None:
            _join(member, part.chapter, on)
            if coordinate:
                part.chapter.coordinators.add(member)
        answer.part, answer.answered_at, answer.coordinates = part, now, coordinate
        answer.save(update_fields=["part", "answered_at", "coordinates"])
    return answer


def splits_settle_due(ctx: Context) -> int:
    """The job: every split whose `confirm_by` has passed is carried out: the members who did
    not answer and are still in the parent join their default part (and are told), and the
    split is done. One transaction per split (a worker stopped halfway leaves it to the next
    run); a split already settled is skipped, so running twice changes nothing."""
    today, now = ctx.today(), ctx.now()
    splits_ask_newcomers(ctx)
    done = 0
    for split_id in Split.objects.filter(status=Status.CONFIRMING, confirm_by__lt=today) \
            .order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            split = (Split.objects.select_for_update().select_related("parent")
                     .filter(pk=split_id, status=Status.CONFIRMING).first())
            if split is None:
                continue
            current = {m.member_id: m for m in split.parent.memberships.current(today)}
            # Joined since the job last asked: placed in their default like the others, and
            # told so (and how to change) by an email of their own.
            parts = list(split.parts.select_related("place", "chapter"))
            late = [split_question(split, m, parts) for m in _newcomers(split, today)]
            SplitAnswer.objects.bulk_create(late, batch_size=500)
            late_ids = {a.member_id for a in late}
            placed = []
            answers = list(split.answers.filter(settled_at__isnull=True)
                           .select_related("member", "default__chapter"))
            for answer in answers:
                membership = current.get(answer.member_id)
                if answer.answered_at is None and membership is not None \
                        and answer.default.chapter is not None:
                    _end(membership, today, now)
                    _join(answer.member, answer.default.chapter, today)
                    answer.by_default = True
                    placed.append(answer)
                answer.settled_at = now
            SplitAnswer.objects.bulk_update(answers, ["by_default", "settled_at"],
                                            batch_size=500)
            split.status, split.done_at = Status.DONE, now
            split.save(update_fields=["status", "done_at"])
            _tell(split, [a for a in placed if a.member_id not in late_ids], KIND_PLACED)
            _tell(split, [a for a in placed if a.member_id in late_ids], KIND_PLACED,
                  never_asked=True)
            _ask_for_coordinators(split, parts)
            logger.info("split %s carried out: %d members placed by default", split.pk,
                        len(placed))
            done += 1
    return done


def _ask_for_coordinators(split: Split, parts: list[SplitPart]) -> None:
    """Parts left without a coordinator (none of the parent's coordinators chose to coordinate
    them): the organizer who carries them is asked to name one among their members, on the
    part's coordinators page (an offer the member accepts or declines); with no organizer,
    staff are. Nobody is made a coordinator here."""
    bare = [p.chapter for p in parts
            if p.chapter is not None and not p.chapter.coordinators.exists()]
    if not bare:
        return
    by_carrier: dict[int, tuple[Member, list[Chapter]]] = {}
    for chapter in bare:
        carrier = chapter.organizer
        if carrier is not None and carrier.active and carrier.member.is_active:
            askers = [carrier.member]
        else:
            askers = list(Member.objects.filter(is_staff=True, is_active=True).order_by("pk"))
        for asker in askers:
            by_carrier.setdefault(asker.pk, (asker, []))[1].append(chapter)
    drafts = []
    for asker, chapters in by_carrier.values():
        lines = "\n".join(f"- {c.name}: {site_link('chapter_coordinators', c.slug)}"
                          for c in chapters)
        values = {"name": asker.display_name, "chapter": split.parent.name, "parts": lines}
        with translation.override(member_language(asker)):
            subject = _("The split of %(chapter)s: name a coordinator") % values
            body = _("Hello %(name)s,\n\nThe split of %(chapter)s is carried out. These new "
                     "chapters have no coordinator: none of the former coordinators chose "
                     "them. Ask one of their members to coordinate each; they become "
                     "coordinator only if they accept.\n\n%(parts)s") % values
        drafts.append(Draft(to=asker.email, subject=subject, body=body, member=asker,
                            kind=KIND_COORDINATOR_NEEDED))
    messages_queue(drafts)
    logger.info("split %s: %d parts without a coordinator, %d people asked to name one",
                split.pk, len(bare), len(drafts))
