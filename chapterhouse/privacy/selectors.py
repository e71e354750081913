"""The reads about members that reach across the feature apps: everything "Download my data"
gives a member, table by table; the member list as `import_members` reads it; what a member
list is checked against."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from chapterhouse.audit.selectors import audit_entries_about as entries_about
from chapterhouse.chapters.models import Chapter, ChapterMembership, EmailInvitation, VisionRevision
from chapterhouse.convention.models import Delegate, DelegateCandidate, Proxy, SessionVote
from chapterhouse.decisions.models import Poll
from chapterhouse.followups.models import Conversation
from chapterhouse.meetings.models import CalendarFeed
from chapterhouse.members.member_import import (
    ImportContext,
    ImportPlan,
    check_member_rows,
    city_for_export,
    read_member_file,
)
from chapterhouse.members.models import ImportedMember, Member
from chapterhouse.notices.models import DigestEntry, Preference
from chapterhouse.organizations.context import Context
from chapterhouse.resources.models import Resource
from chapterhouse.splits.models import SplitAnswer

Row = dict[str, Any]


def audit_entries_about(member: Member) -> list[Row]:
    """The audit entries about this member (actor, time, object, what changed), for their
    data export. Actors other than the member are named only by their role in the entry."""
    return [{"time": e.timestamp, "action": e.changes_text or e.get_action_display(),
             "object": f"{e.content_type.app_label}.{e.content_type.model}",
             "object_description": e.object_repr, "by_you": e.actor_id == member.pk,
             "changes": e.changes_str}
            for e in entries_about(member)]


def member_data(member: Member) -> dict[str, list[Row]]:
    """Every table the member's export holds, as plain rows (name -> rows). How they voted is
    never here: secret ballots cannot be linked to anyone, not even for their voter."""
    place = member.place
    data: dict[str, list[Row]] = {
        "profile": [{
            "email": member.email, "display_name": member.display_name,
            "city": place.name if place else "", "country": place.country_name if place else "",
            "languages": " ".join(member.languages or []), "gender": member.gender,
            "willing_to_meet": member.willing_to_meet, "joined_on": member.joined_on,
            "email_visible_to_organizers": member.email_visible_to_organizers,
            "account_created_at": member.created_at, "email_confirmed": member.email_confirmed,
            "last_login": member.last_login, "staff": member.is_staff,
        }],
        "memberships": [
            {"chapter": m.chapter.name, "joined_on": m.joined_on, "left_on": m.left_on,
             "recorded_at": m.created_at}
            for m in member.chapter_memberships.select_related("chapter").order_by("joined_on")],
        "coordinates": [{"chapter": c.name} for c in member.coordinated_chapters.order_by("name")],
        # Conversations a chapter logged with them (followups), notes included: data about
        # them. Who logged each is left out, as every other member is.
        "conversations": [
            {"chapter": c.chapter.name, "date": c.occurred_on, "kind": c.kind, "notes": c.notes}
            for c in Conversation.objects.filter(member=member).select_related("chapter")
            .order_by("occurred_on", "pk")],
        "rsvps": [
            {"meeting": r.meeting_id, "chapter": r.meeting.chapter.name,
             "starts_at": r.meeting.starts_at, "answer": r.answer, "answered_at": r.answered_at}
            for r in member.rsvps.select_related("meeting__chapter").order_by("answered_at")],
        "attendance": [
            {"meeting": a.meeting_id, "chapter": a.meeting.chapter.name,
             "starts_at": a.meeting.starts_at}
            for a in member.attendances.select_related("meeting__chapter")
            .order_by("meeting__starts_at")],
        "poll_participations": [
            {"poll": p.poll_id, "question": p.poll.title, "level": p.poll.level,
             "opens_at": p.poll.opens_at, "closes_at": p.poll.closes_at}
            for p in member.poll_participations.select_related("poll").order_by("poll_id")],
        "polls_created": [
            {"poll": p.pk, "question": p.title, "opens_at": p.opens_at, "closes_at": p.closes_at}
            for p in Poll.objects.filter(created_by=member).order_by("pk")],
        "help_needs": [
            {"title": n.title, "details": n.details, "chapter": n.chapter.name if n.chapter else "",
             "language": n.language, "posted_at": n.created_at, "closed_at": n.closed_at}
            for n in member.needs.select_related("chapter").order_by("created_at")],
        "help_offers": [
            {"need": o.need.title, "message": o.message, "offered_at": o.created_at}
            for o in member.offers.select_related("need").order_by("created_at")],
        # Messages they wrote (what others wrote to them is the others' to export).
        "messages_sent": [
            {"conversation": m.thread.subject, "sent_at": m.sent_at, "message": m.body}
            for m in member.messages_sent.select_related("thread").order_by("pk")],
        "uploads": [],  # filled by resource_uploads(), which also says which files are copied
        "invitations": [
            {"chapter": i.chapter.name, "sent_at": i.created_at, "expires_on": i.expires_on,
             "status": i.status}
            for i in member.invitations.select_related("chapter").order_by("created_at")],
        "email_invitations": [
            {"chapter": i.chapter.name, "sent_at": i.created_at, "expires_on": i.expires_on,
             "status": i.status, "answered_at": i.answered_at}
            for i in EmailInvitation.objects.filter(Q(email=member.email) | Q(answered_by=member))
            .select_related("chapter").order_by("created_at")],
        "join_requests": [
            {"chapter": j.chapter.name, "asked_at": j.created_at, "status": j.status,
             "answered_at": j.answered_at}
            for j in member.join_requests.select_related("chapter").order_by("created_at")],
        "coordinator_offers": [
            {"chapter": o.chapter.name, "offered_at": o.created_at, "handover": o.handover,
             "status": o.status, "answered_at": o.answered_at}
            for o in member.coordinator_offers.select_related("chapter").order_by("created_at")],
        "calendar_feeds": [
            {"token": f.token, "created_at": f.created_at}
            for f in CalendarFeed.objects.filter(member=member)],
        "call_signups": [
            {"call": s.call.title, "signed_up_at": s.signed_up_at}
            for s in member.call_signups.select_related("call").order_by("signed_up_at")],
        "vision_edits": [
            {"chapter": v.chapter.name, "edited_at": v.edited_at, "text": v.text}
            for v in VisionRevision.objects.filter(edited_by=member).select_related("chapter")
            .order_by("edited_at")],
        "email_preferences": [
            {"category": p.category, "frequency": p.frequency, "set_at": p.updated_at}
            for p in Preference.objects.filter(member=member).order_by("category")],
        "digest_lines": [
            {"category": e.category, "subject": e.subject, "link": e.link,
             "written_at": e.created_at, "sent_at": e.digest.created_at if e.digest else None}
            for e in DigestEntry.objects.filter(member=member).select_related("digest")
            .order_by("created_at", "pk")],
        "split_answers": [
            {"chapter": a.split.parent.name, "proposed_part": a.default.name,
             "chosen_part": a.part.name if a.part else "", "answered_at": a.answered_at,
             "coordinates_the_part": a.coordinates, "placed_by_default": a.by_default,
             "settled_at": a.settled_at}
            for a in SplitAnswer.objects.filter(member=member)
            .select_related("split__parent", "default", "part").order_by("pk")],
        "delegate_candidacies": [
            {"chapter": c.election.chapter.name, "stands_as_a_woman": c.counts_as_woman,
             "declared_at": c.declared_at, "withdrawn_at": c.withdrawn_at}
            for c in DelegateCandidate.objects.filter(member=member)
            .select_related("election__chapter").order_by("pk")],
        "delegacies": [
            {"chapter": d.chapter.name, "confirmed_at": d.confirmed_at}
            for d in Delegate.objects.filter(member=member).select_related("chapter")],
        # A session's votes are a roll call (docs/convention.md), not a secret ballot.
        "convention_votes": [
            {"motion": v.session.title, "vote": v.choice, "cast_at": v.cast_at,
             "by_proxy": v.cast_by_id != v.delegate_id}
            for v in SessionVote.objects.filter(delegate__member=member)
            .select_related("session").order_by("cast_at", "pk")],
        "proxies": [
            {"motion": x.session.title, "given_to": x.holder.member.display_name,
             "given_at": x.created_at}
            for x in Proxy.objects.filter(giver__member=member)
            .select_related("session", "holder__member").order_by("pk")],
        "audit_entries": audit_entries_about(member),
    }
    organizer = getattr(member, "organizer", None)
    if organizer is not None:
        data["organizer"] = [{
            "works_from": organizer.place.name, "hours_per_week": organizer.hours_per_week,
            "months": organizer.months, "starts_on": organizer.starts_on,
            "reach_km": organizer.reach_km, "active": organizer.active}]
    else:
        data["organizer"] = []
    record = getattr(member, "import_record", None)
    data["import"] = [{"consented_on": record.consented_on, "imported_at": record.imported_at,
                       "invitation_sent_at": record.invitation_sent_at}] if record else []
    return data


def resource_uploads(member: Member) -> QuerySet[Resource]:
    """The library resources this member added (files and links), oldest first."""
    return Resource.objects.filter(added_by=member).order_by("added_at", "pk")


def import_context(*, today: datetime.date | None = None) -> ImportContext:
    """What `member_import.check_member_rows` compares a member list with: the addresses that
    have an account and the chapters, by id and by name (case-insensitive). `today` bounds the
    consent dates: the real date unless given (a consent was given in the real world, whatever
    date the organization shows its figures as of)."""
    by_name: dict[str, list[int]] = {}
    by_id: dict[int, str] = {}
    for pk, name in Chapter.objects.values_list("pk", "name"):
        by_id[pk] = name
        by_name.setdefault(name.casefold(), []).append(pk)
    return ImportContext(existing_emails=frozenset(Member.objects.values_list("email", flat=True)),
                         chapters_by_id=by_id, chapter_ids_by_name=by_name,
                         today=today or timezone.localdate())


def member_list_check(data: bytes) -> ImportPlan:
    """A member list (the file's bytes) checked against the members and chapters now: what an
    import would create, skip and refuse. MemberFileError when the file cannot be read at all.
    The command and the admin's upload both ask this, before and again at the import."""
    header, rows = read_member_file(data)
    return check_member_rows(header, rows, import_context())


def member_list_rows(ctx: Context, *, with_gender: bool = False) -> Iterator[Row]:
    """The members as `import_members` reads them (docs/import.md), one dict per member, for
    `export_member_list`: erased accounts are left out; a member's chapters are their current
    memberships (one row per chapter beyond the first would import twice, so the first by
    name); the consent date is the import's, or the day the account was made."""
    today = ctx.today()
    chapter_of: dict[int, str] = {}
    for member_id, name in (ChapterMembership.objects.current(today)
                            .order_by("chapter__name").values_list("member_id", "chapter__name")):
        chapter_of.setdefault(member_id, name)
    consent = dict(ImportedMember.objects.values_list("member_id", "consented_on"))
    fields = ["pk", "email", "display_name", "place_id", "languages", "willing_to_meet",
              "created_at", *(["gender"] if with_gender else [])]
    for m in (Member.objects.filter(erased_at__isnull=True).order_by("pk").values(*fields)
              .iterator(chunk_size=5000)):
        row: Row = {"email": m["email"], "name": m["display_name"],
               "city": city_for_export(m["place_id"]) if m["place_id"] else "",
               "languages": " ".join(m["languages"] or []),
               "chapter": chapter_of.get(m["pk"], ""),
               "willing_to_meet": "yes" if m["willing_to_meet"] else "no",
               "consent_date": (consent.get(m["pk"]) or m["created_at"].date()).isoformat()}
        if with_gender:
            row["gender"] = m["gender"]
        yield row
