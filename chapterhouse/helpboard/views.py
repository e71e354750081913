from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.helpboard.forms import BoardFilter, NeedForm, OfferForm
from chapterhouse.helpboard.models import Need
from chapterhouse.helpboard.services import need_close, need_post, offer_make


def may_see_offers(user, need: Need) -> bool:
    """Offers are for the asker and, for a chapter's need, its coordinators."""
    return need.posted_by_id == user.pk or (
        need.chapter_id is not None and need.chapter.coordinators.filter(pk=user.pk).exists())


@login_required
def board(request):
    """Open needs, filtered by region and language; the board is for members only."""
    filters = BoardFilter(request.GET or None)
    needs = Need.objects.open().select_related("chapter", "posted_by").annotate(
        offer_count=Count("offers"))
    if filters.is_valid():
        needs = needs.matching(region=filters.cleaned_data["region"],
                               language=filters.cleaned_data["language"])
    return render(request, "helpboard/board.html", {"filters": filters, "needs": needs[:200]})


@login_required
def need_create(request):
    form = NeedForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            need = need_post(member=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request is on the board."))
            return redirect("need_detail", need.pk)
    return render(request, "helpboard/need_form.html", {"form": form})


@login_required
def need_detail(request, need_id: int):
    need = get_object_or_404(Need.objects.select_related("chapter", "posted_by"), pk=need_id)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer_make(need=need, member=request.user, message=form.cleaned_data["message"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: %(name)s will see your offer.")
                             % {"name": need.posted_by.display_name})
            return redirect("need_detail", need.pk)
    offers_visible = may_see_offers(request.user, need)
    return render(request, "helpboard/need_detail.html", {
        "need": need,
        "form": form,
        "offers_visible": offers_visible,
        "offers": need.offers.select_related("member") if offers_visible else None,
        "my_offer": need.offers.filter(member=request.user).first(),
        "offer_count": need.offers.count(),
    })


@login_required
@require_POST
def need_close_view(request, need_id: int):
    need = get_object_or_404(Need, pk=need_id, posted_by=request.user)
    need_close(need=need)
    messages.success(request, _("Closed. Thank you for letting people know."))
    return redirect("need_detail", need.pk)
