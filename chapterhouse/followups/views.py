"""Following people up: the queues, the ladder, one person's conversations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_of
from chapterhouse.core.errors import show_refusal
from chapterhouse.domain.engagement import LADDER
from chapterhouse.followups import selectors, services
from chapterhouse.followups.forms import ConversationForm
from chapterhouse.followups.permissions import chapter_for_follow_up
from chapterhouse.followups.reasons import NEED_NAMES, RUNG_NAMES, RUNG_RULES
from chapterhouse.members.models import Member


def _words() -> dict[str, object]:
    return {"rung_names": RUNG_NAMES, "need_names": NEED_NAMES,
            "ladder": [(RUNG_NAMES[step], RUNG_RULES[step]) for step in LADDER]}


@login_required
def my_follow_ups(request: HttpRequest) -> HttpResponse:
    """Every chapter the viewer coordinates or carries as an organizer, with its queue."""
    ctx = context_of(request)
    queues = selectors.queues_of(ctx)
    if not queues:
        raise Http404
    return render(request, "followups/mine.html", {"queues": queues, **_words()})


@login_required
def chapter_follow_ups(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = chapter_for_follow_up(request, slug)
    page = selectors.chapter_follow_ups(context_of(request), chapter)
    return render(request, "followups/chapter.html", {"page": page, "chapter": chapter,
                                                      **_words()})


def _person_of(request: HttpRequest, slug: str, member_id: int
               ) -> tuple[Chapter, Member, selectors.PersonPage]:
    chapter = chapter_for_follow_up(request, slug)
    member = get_object_or_404(Member, pk=member_id)
    page = selectors.person_page(context_of(request), chapter, member)
    if page is None:
        raise Http404
    return chapter, member, page


@login_required
def person(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    chapter, member, page = _person_of(request, slug, member_id)
    ctx = context_of(request)
    form = ConversationForm(request.POST or None, initial={"occurred_on": ctx.today()})
    if request.method == "POST" and page.person is not None and form.is_valid():
        try:
            services.conversation_log(ctx, chapter=chapter, member=member, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("The conversation is logged."))
            return redirect("followups_person", chapter.slug, member.pk)
    return render(request, "followups/person.html", {
        "chapter": chapter, "page": page, "form": form, **_words()})


@login_required
@require_POST
def welcomed(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    chapter, member, page = _person_of(request, slug, member_id)
    if page.person is None:
        raise Http404
    try:
        services.welcome_mark(context_of(request), chapter=chapter, member=member)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("%(name)s is marked as welcomed.")
                         % {"name": member.display_name})
    return redirect("followups_chapter", chapter.slug)
