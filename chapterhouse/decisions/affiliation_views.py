"""The affiliation pipeline's pages, for staff and organizers (everyone else gets 404):
the list of sympathetic organizations by stage, and one organization's page with its
history, the moves allowed now, the proposal to the members and the list of its people.
The context is the request's (`request.ctx`, set by chapterhouse.context.RequestContext)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.chapters.affiliation import MAX_LIST_BYTES
from chapterhouse.core.errors import show_refusal
from chapterhouse.decisions import affiliation as services
from chapterhouse.decisions.affiliation_forms import ListForm, MoveForm, ProposeForm
from chapterhouse.organizations.context import Context
from chapterhouse.organizing.models import SympatheticOrganization


def _ctx(request: HttpRequest) -> Context:
    return cast(Context, request.ctx)  # type: ignore[attr-defined]


def _allowed(request: HttpRequest) -> Context:
    ctx = _ctx(request)
    if not services.affiliations_allowed(ctx.actor):
        raise Http404
    return ctx


def _organization(request: HttpRequest, organization_id: int) -> tuple[Context,
                                                                         SympatheticOrganization]:
    ctx = _allowed(request)
    return ctx, get_object_or_404(SympatheticOrganization.objects.select_related("place"),
                                  pk=organization_id)


@login_required
def affiliation_list(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    return render(request, "affiliations/list.html", {"rows": services.affiliation_rows()})


@login_required
def affiliation_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    ctx, organization = _organization(request, organization_id)
    return render(request, "affiliations/detail.html", {
        "page": services.affiliation_page(ctx, organization),
        "move_form": MoveForm(), "propose_form": ProposeForm(), "list_form": ListForm(),
    })


def _check(form: forms.Form) -> None:
    """A form's errors as one refusal (these small forms sit on the detail page, not alone)."""
    if not form.is_valid():
        raise ValidationError([str(e) for errors in form.errors.values() for e in errors])


@login_required
@require_POST
def affiliation_move(request: HttpRequest, organization_id: int) -> HttpResponse:
    ctx, organization = _organization(request, organization_id)
    form = MoveForm(request.POST)
    try:
        _check(form)
        step = services.affiliation_move(ctx, organization=organization,
                                         to=form.cleaned_data["to"],
                                         note=form.cleaned_data["note"])
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Moved to: %(stage)s.")
                         % {"stage": services.STAGE_WORDS[step.stage]})
    return redirect("affiliation_detail", organization_id=organization.pk)


@login_required
@require_POST
def affiliation_propose(request: HttpRequest, organization_id: int) -> HttpResponse:
    ctx, organization = _organization(request, organization_id)
    form = ProposeForm(request.POST)
    try:
        _check(form)
        poll = services.affiliation_propose(ctx, organization=organization,
                                            days=form.cleaned_data["days"],
                                            note=form.cleaned_data["note"])
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The agreement was put to the members: %(title)s.")
                         % {"title": poll.title})
    return redirect("affiliation_detail", organization_id=organization.pk)


@login_required
@require_POST
def affiliation_invite(request: HttpRequest, organization_id: int) -> HttpResponse:
    ctx, organization = _organization(request, organization_id)
    upload = request.FILES.get("people")
    try:
        if upload is None:
            raise ValidationError(_("Choose the list's file."))
        if upload.size is not None and upload.size > MAX_LIST_BYTES:
            raise ValidationError(_("The file is larger than %(kb)d KB; split the list.")
                                  % {"kb": MAX_LIST_BYTES // 1000})
        result = services.affiliation_invite(ctx, organization=organization,
                                             data=upload.read(MAX_LIST_BYTES + 1))
    except ValidationError as error:
        show_refusal(request, error)
    else:
        counts = {"emailed": result.emailed, "site": result.on_site,
                  "invited": result.emailed + result.on_site,
                  "already": result.already, "repeated": result.repeated}
        # Whether an address has an account is for staff only (as for email invitations).
        messages.success(request, (_(
            "Invited: %(emailed)d by email, %(site)d on the site. Left alone: %(already)d "
            "already members or invited, %(repeated)d repeated in the file. Nobody joins "
            "without accepting.") if ctx.actor.is_staff else _(
            "Invited: %(invited)d. Left alone: %(already)d already members or invited, "
            "%(repeated)d repeated in the file. Nobody joins without accepting.")) % counts)
    return redirect("affiliation_detail", organization_id=organization.pk)
