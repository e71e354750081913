"""Email settings (logged in) and one-click unsubscribe (a signed link, no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from chapterhouse.context import context_of
from chapterhouse.core.errors import show_refusal
from chapterhouse.members.models import Member
from chapterhouse.notices import selectors, services
from chapterhouse.notices.forms import PreferencesForm
from chapterhouse.notices.kinds import Category
from chapterhouse.notices.labels import CATEGORY_LABELS
from chapterhouse.notices.tokens import ALL, unsubscribe_read


@login_required
def email_settings(request: HttpRequest) -> HttpResponse:
    ctx = context_of(request)
    member: Member = ctx.actor.member
    form = PreferencesForm(request.POST or None,
                           initial_frequencies=selectors.frequencies_of(member.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_set(ctx, member=member, frequencies=form.frequencies())
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Your email settings are saved."))
            return redirect("notices_settings")
    waiting = sum(selectors.waiting_count(member.pk).values())
    return render(request, "notices/settings.html", {"form": form, "waiting": waiting,
                                                     "account": CATEGORY_LABELS[Category.ACCOUNT]})


@csrf_exempt  # RFC 8058: the mail provider POSTs without a session; the signed token is the proof
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link would stop and a button; POST (the button, or a mail provider's
    one-click request) stops it."""
    wanted = unsubscribe_read(token)
    if wanted is None or not Member.objects.filter(pk=wanted.member_id,
                                                   erased_at__isnull=True).exists():
        return render(request, "notices/unsubscribe.html", {"invalid": True}, status=400)
    label = "" if wanted.category == ALL else CATEGORY_LABELS[Category(wanted.category)]
    if request.method == "POST":
        services.unsubscribe(wanted)
        return render(request, "notices/unsubscribe.html", {"done": True, "label": label})
    return render(request, "notices/unsubscribe.html", {"label": label})
