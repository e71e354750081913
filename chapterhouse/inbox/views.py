"""My conversations, one conversation, writing to a member or to a chapter's people. Anyone not
allowed gets 404: a conversation's or a member's existence is not revealed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_of
from chapterhouse.core.errors import show_refusal
from chapterhouse.inbox import permissions, selectors, services
from chapterhouse.inbox.forms import ChapterWriteForm, ReplyForm, WriteForm
from chapterhouse.members.models import Member


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    ctx = context_of(request)
    return render(request, "inbox/inbox.html", {
        "conversations": selectors.conversations_of(ctx, page=request.GET.get("page", 1)),
        "unread": selectors.unread_total(ctx),
    })


@login_required
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    ctx = context_of(request)
    page = selectors.thread_page(ctx, thread_id)
    if page is None:
        raise Http404
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_reply(ctx, thread=page.thread, body=form.cleaned_data["body"],
                                   token=form.cleaned_data["token"])
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Sent."))
            return redirect("inbox_thread", thread_id)
    services.thread_mark_read(ctx, thread=page.thread)
    return render(request, "inbox/thread.html", {"page": page, "form": form})


@login_required
def write(request: HttpRequest, member_id: int) -> HttpResponse:
    """Start a conversation with one member (linked from rosters and follow-up pages)."""
    ctx = context_of(request)
    recipient = get_object_or_404(Member, pk=member_id)
    standing = permissions.standing_towards(ctx.actor, recipient, on=ctx.today())
    if standing is None:
        raise Http404
    form = WriteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.message_write(ctx, recipient=recipient, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Sent to %(name)s.") % {"name": recipient.display_name})
            return redirect("inbox_thread", sent.threads[0].pk)
    return render(request, "inbox/write.html", {
        "form": form, "recipient": recipient, "standing": standing,
    })


@login_required
def write_chapter(request: HttpRequest, slug: str) -> HttpResponse:
    """Write to every member of a chapter (or its pending invitees), each privately."""
    ctx = context_of(request)
    chapter = get_object_or_404(Chapter.objects.select_related("organizer"), slug=slug)
    standing = permissions.chapter_standing(ctx.actor, chapter)
    if standing is None:
        raise Http404
    allowed = permissions.audiences(standing)
    sizes = selectors.chapter_audience_sizes(ctx, chapter, allowed)
    labels = {
        permissions.Audience.MEMBERS: ngettext(
            "Its member (%(n)d)", "All its members (%(n)d)", sizes.get("members", 0)),
        permissions.Audience.INVITEES: ngettext(
            "Its pending invitee (%(n)d)", "All its pending invitees (%(n)d)",
            sizes.get("invitees", 0)),
    }
    form = ChapterWriteForm(request.POST or None, choices=[
        (audience, labels[audience] % {"n": sizes[audience]}) for audience in allowed])
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.message_write_chapter(ctx, chapter=chapter, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, ngettext(
                "Sent to %(n)d member, privately.", "Sent to %(n)d members, each privately.",
                sent.count) % {"n": sent.count})
            return redirect("inbox")
    return render(request, "inbox/write_chapter.html", {
        "form": form, "chapter": chapter, "standing": standing,
    })
