"""Health warnings sent (issue 13): each chapter at risk (domain/risk.py) has its coordinators
and its organizer told by email, once per chapter, month at stake and reason.

Run by the scheduled job `notify_at_risk` (jobs/schedule.py) on the organization's clock. Each
chapter is handled in its own transaction, its row locked: the notices sent (RiskNotice, unique
per chapter, month and reason) and the emails (the outbox) are written together, so a worker
stopped halfway leaves each chapter either told or not, and the next run tells only those not
yet told; two runs at once tell nobody twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from chapterhouse.chapters.models import Chapter
from chapterhouse.core.reasons import explain
from chapterhouse.domain.risk import Code, Risk
from chapterhouse.members.mail import member_mail, site_link
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.verdicts.models import RiskNotice
from chapterhouse.verdicts.risks import chapter_risks

logger = logging.getLogger(__name__)

KIND = "chapter_at_risk"  # notification category: chapter


@dataclass(frozen=True, slots=True)
class RiskNotices:
    chapters: int  # chapters whose people were told something new
    emails: int


def risk_recipients(chapter: Chapter) -> list[Member]:
    """The chapter's coordinators and its (active) organizer, each once, active accounts."""
    people = {m.pk: m for m in chapter.coordinators.filter(is_active=True)}
    organizer = chapter.organizer
    if organizer is not None and organizer.active and organizer.member.is_active:
        people.setdefault(organizer.member.pk, organizer.member)
    return [people[pk] for pk in sorted(people)]


def _mail(chapter: Chapter, found: Risk, codes: list[Code], member: Member
          ) -> tuple[str, str]:
    lines = [explain(r) for r in found.reasons if Code(r.code.split(".", 1)[1]) in codes]
    names = {"name": member.display_name, "chapter": chapter.name,
             "why": "\n".join(f"- {line}" for line in lines),
             "page": site_link("chapter_detail", chapter.slug),
             "schedule": site_link("meeting_schedule", chapter.slug)}
    return (
        _("%(chapter)s is at risk this month") % names,
        _("Hello %(name)s,\n\n%(chapter)s may not meet the qualification rule this month:\n\n"
          "%(why)s\n\nWhat to do: hold a meeting before the month ends with enough members "
          "(invite those who have not come lately), and record who came. Schedule one here: "
          "%(schedule)s\n\nThe chapter's page shows where it stands: %(page)s\n\nYou receive "
          "this because you coordinate or organize this chapter.") % names,
    )


def risk_notices_send(ctx: Context) -> RiskNotices:
    """Tell the people of every chapter at risk now what they were not yet told this month."""
    organization = ctx.organization
    now = ctx.now()
    zones = dict(Chapter.objects.values_list("pk", "place__timezone"))
    risks = chapter_risks(zones, rule=organization.rule, now=now,
                          days=organization.at_risk_days)
    if not risks:
        return RiskNotices(0, 0)
    months = {r.month for r in risks.values()}
    sent = set(RiskNotice.objects.filter(chapter_id__in=list(risks), month__in=months)
               .values_list("chapter_id", "month", "code")) if len(risks) <= 500 else set(
        RiskNotice.objects.filter(month__in=months).values_list("chapter_id", "month", "code"))
    chapters = emails = 0
    for pk, found in sorted(risks.items()):
        new = [c for c in found.codes if (pk, found.month, c.value) not in sent]
        if not new:
            continue
        with transaction.atomic():
            # Only the chapter's row is locked (PostgreSQL locks no outer join's nullable side).
            chapter = (Chapter.objects.select_for_update(of=("self",))
                       .select_related("organizer__member").filter(pk=pk).first())
            if chapter is None:
                continue
            # Read again under the lock: another run may have told them meanwhile.
            done = set(RiskNotice.objects.filter(chapter=chapter, month=found.month)
                       .values_list("code", flat=True))
            new = [c for c in new if c.value not in done]
            if not new:
                continue
            people = risk_recipients(chapter)
            RiskNotice.objects.bulk_create([
                RiskNotice(chapter=chapter, month=found.month, code=c.value,
                           recipients=len(people)) for c in new])
            for member in people:
                member_mail(member, partial(_mail, chapter, found, new, member), kind=KIND)
        chapters += 1
        emails += len(people)
        logger.info("chapter %s at risk (%s): %d person(s) told", pk,
                    ",".join(c.value for c in new), len(people))
    logger.info("health warnings: %d chapter(s), %d email(s)", chapters, emails)
    return RiskNotices(chapters, emails)
