"""Splits: propose one (from the planner or typed), see it, answer it (docs/splits.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_of
from chapterhouse.core.errors import show_refusal
from chapterhouse.decisions.split_services import split_propose
from chapterhouse.places.models import Place
from chapterhouse.planner.selectors import plan_runs_done
from chapterhouse.splits import selectors, services
from chapterhouse.splits.forms import SplitAnswerForm, SplitProposeForm, part_line
from chapterhouse.splits.models import Source, Split
from chapterhouse.splits.permissions import split_propose_allowed, split_visible


def _planner_parts(chapter: Chapter, ctx: Any) -> list[str]:
    """The planner's split of this chapter, as lines of the form: the newest finished plan's
    valid parts, else the centres the planner would take (members' own cities)."""
    run = plan_runs_done().order_by("-finished_at").first()
    page = run.page if run is not None else None
    for split in (page or {}).get("splits", []):
        if split.get("chapter") != chapter.slug:
            continue
        lines = []
        for part in split.get("parts", []):
            lat, lon = part["center"]
            place = Place.objects.filter(name=part["name"], latitude=lat,
                                         longitude=lon).first()
            if part.get("valid") and place is not None:
                lines.append(part_line(part["name"], str(place)))
        if len(lines) >= services.MIN_PARTS:
            return lines
    places = selectors.split_parts_from_members(chapter, ctx.today(),
                                                ctx.organization.min_attendees)
    return [part_line(place.name, str(place)) for place in places]


@login_required
def split_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose a split of a chapter: staff, its coordinators and its organizer (others: 404).
    `?from=plan` fills in the planner's split."""
    ctx = context_of(request)
    chapter = get_object_or_404(Chapter.objects.select_related("organizer", "place"), slug=slug)
    if not split_propose_allowed(ctx.actor, chapter):
        raise Http404
    initial: dict[str, Any] = {}
    if request.method != "POST" and request.GET.get("from") == "plan":
        initial = {"parts": "\n".join(_planner_parts(chapter, ctx)), "source": Source.PLANNER}
    form = SplitProposeForm(request.POST or None, initial=initial,
                            near=(chapter.place.latitude, chapter.place.longitude))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            split = split_propose(ctx, chapter=chapter, parts=data["parts"],
                                  source=data["source"], days=data["days"])
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("The split was put to the chapter's vote."))
            return redirect("split_detail", split_id=split.pk)
    return render(request, "splits/new.html", {"form": form, "chapter": chapter,
                                               "in_progress": selectors.split_of_chapter(chapter)})


def _visible_split(request: HttpRequest, split_id: int) -> Split:
    split = Split.objects.select_related("parent__organizer", "poll").filter(pk=split_id).first()
    ctx = context_of(request)
    if split is None or not split_visible(ctx.actor, split, ctx.today()):
        raise Http404
    return split


@login_required
def split_detail(request: HttpRequest, split_id: int) -> HttpResponse:
    """A split: its parts and the chapters they became, how many answered, and the viewer's
    own answer (for the members of the parent). Others: 404."""
    split = _visible_split(request, split_id)
    page = selectors.split_page(context_of(request), split)
    form = None
    if page.may_answer and page.answer is not None:
        chosen = page.answer.part if page.answer.answered_at else page.answer.default
        form = SplitAnswerForm(parts=[(p.part.pk, p.part.name) for p in page.parts],
                               initial={"part": str(chosen.pk) if chosen else "none",
                                        # A coordinator of the parent keeps coordinating
                                        # the part they confirm unless they untick it.
                                        "coordinate": page.answer.coordinates
                                        if page.answer.answered_at else page.may_coordinate})
    return render(request, "splits/detail.html", {"page": page, "form": form})


@login_required
@require_POST
def split_answer(request: HttpRequest, split_id: int) -> HttpResponse:
    """The viewer's own answer (there is no way to answer for someone else)."""
    split = _visible_split(request, split_id)
    form = SplitAnswerForm(request.POST, parts=list(split.parts.values_list("pk", "name")))
    if not form.is_valid():
        messages.error(request, _("Choose one of the parts, or none."))
        return redirect("split_detail", split_id=split.pk)
    choice = form.cleaned_data["part"]
    try:
        services.split_answer(context_of(request), split=split,
                              part_id=None if choice == "none" else int(choice),
                              coordinate=form.cleaned_data["coordinate"])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Your answer was recorded."))
    return redirect("split_detail", split_id=split.pk)
