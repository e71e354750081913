"""The help board: open needs, asking, offering, closing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.context import context_of
from chapterhouse.core.errors import show_refusal
from chapterhouse.helpboard import permissions, selectors, services
from chapterhouse.helpboard.forms import BoardFilter, NeedForm, OfferForm, TalkForm


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Open needs, filtered by region and language; the board is for members only."""
    filters = BoardFilter(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    needs = selectors.needs_open(region=chosen.get("region", ""),
                                 language=chosen.get("language", ""))
    return render(request, "helpboard/board.html", {"filters": filters, "needs": needs})


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    ctx = context_of(request)
    form = NeedForm(request.POST or None, member=ctx.actor.member)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_post(ctx, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Your request is on the board."))
            return redirect("need_detail", need.pk)
    return render(request, "helpboard/need_form.html", {"form": form})


@login_required
def need_detail(request: HttpRequest, need_id: int) -> HttpResponse:
    ctx = context_of(request)
    need = get_object_or_404(selectors.need_with_asker(need_id))
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_make(ctx, need=need, message=form.cleaned_data["message"])
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Thank you: %(name)s will see your offer.")
                             % {"name": need.posted_by.display_name})
            return redirect("need_detail", need.pk)
    page = selectors.need_page(ctx, need)
    return render(request, "helpboard/need_detail.html", {
        "need": need,
        "form": form,
        "offers_visible": page.offers_visible,
        "offers": page.offers,
        "my_offer": page.my_offer,
        "offer_count": page.offer_count,
        "talk_form": TalkForm(),
    })


@login_required
@require_POST
def offer_talk_view(request: HttpRequest, need_id: int, offer_id: int) -> HttpResponse:
    """The asker answers an offer, or its helper writes to the asker; the conversation goes on
    in Messages. Anyone else: 404."""
    ctx = context_of(request)
    offer = get_object_or_404(selectors.offer_of(need_id, offer_id))
    if not permissions.may_talk(ctx.actor, offer):
        raise Http404
    form = TalkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("need_detail", need_id)
    try:
        thread = services.offer_talk(ctx, offer=offer, **form.cleaned_data)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("need_detail", need_id)
    messages.success(request, _("Sent. The conversation goes on in Messages."))
    return redirect("inbox_thread", thread.pk)


@login_required
@require_POST
def need_close_view(request: HttpRequest, need_id: int) -> HttpResponse:
    ctx = context_of(request)
    need = get_object_or_404(selectors.need_with_asker(need_id))
    if not permissions.may_close(ctx.actor, need):
        raise Http404  # another member's need: as if it did not exist
    services.need_close(ctx, need=need)
    messages.success(request, _("Closed. Thank you for letting people know."))
    return redirect("need_detail", need.pk)
