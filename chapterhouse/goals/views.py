from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext, ngettext

from chapterhouse.context import context_of
from chapterhouse.dashboard.templatetags.figures import number, percent
from chapterhouse.goals.history_page import history_page
from chapterhouse.goals.public import PublicProgress, public_progress
from chapterhouse.organizations.figures import figures_version


def history(request: HttpRequest) -> HttpResponse:
    """Each goal over time: who may see the dashboard may see its history."""
    ctx = context_of(request)
    if not ctx.organization.dashboard_public and not ctx.actor.is_member:
        return redirect_to_login(request.get_full_path())
    page = history_page(ctx)
    return render(request, "goals/history.html", {
        "history": page.history, "goal_set": page.goal_set, "charts": page.charts,
        "rule": ctx.organization.rule, "founded_on": ctx.organization.founded_on,
        "disclosure_minimum": ctx.organization.rule.min_attendees})


# The public progress page and image (issue 14): no login, nothing but the goal figures. The
# rendered page is kept in the cache under the figures' version (a write they depend on makes
# a new key) and for at most PUBLIC_CACHE_SECONDS (a goal set changed in the admin is seen
# that soon); browsers and proxies may keep it as long (Cache-Control: public).
PUBLIC_CACHE_SECONDS = 300
BAR_WIDTH = 328  # the image's progress bar (goals/progress_svg.html)


def _public_lines(p: PublicProgress) -> dict[str, str]:
    lines: dict[str, str] = {}
    if p.target_chapters is None:
        lines["chapters"] = ngettext("%(count)s qualifying chapter",
                                     "%(count)s qualifying chapters",
                                     p.chapters) % {"count": _n(p.chapters)}
        lines["members"] = ngettext("%(count)s member", "%(count)s members",
                                    p.members) % {"count": _n(p.members)}
        return lines
    lines["chapters"] = ngettext(
        "%(count)s of %(target)s qualifying chapter", "%(count)s of %(target)s qualifying chapters",
        p.target_chapters) % {"count": _n(p.chapters), "target": _n(p.target_chapters)}
    lines["members"] = ngettext(
        "%(count)s of %(target)s member", "%(count)s of %(target)s members",
        p.target_members or 0) % {"count": _n(p.members), "target": _n(p.target_members or 0)}
    lines["continents"] = ngettext(
        "%(count)s of %(target)s continent", "%(count)s of %(target)s continents",
        p.target_continents or 0) % {"count": _n(p.continents),
                                      "target": _n(p.target_continents or 0)}
    if p.women_share is not None:
        lines["women"] = gettext("Women's participation: %(share)s (goal %(target)s)") % {
            "share": percent(float(p.women_share)), "target": percent(p.target_women_share)}
    if p.deadline is not None and p.deadline <= p.on:
        lines["time"] = gettext("the deadline has passed")
    elif p.months_left:
        lines["time"] = ngettext("%(months)s month left", "%(months)s months left",
                                 p.months_left) % {"months": _n(p.months_left)}
    else:
        lines["time"] = gettext("less than a month left")
    return lines


def _n(value: int) -> str:
    return number(value)


def _public(request: HttpRequest, template: str, content_type: str) -> HttpResponse:
    ctx = context_of(request)
    organization = ctx.organization
    if not organization.dashboard_public:
        # The organization keeps its figures to its members: no public page either.
        raise Http404
    key = (f"progress:{template}:{organization.pk}:{figures_version()}:"
           f"{organization.today.isoformat()}:{translation.get_language()}")
    body = cache.get(key)
    if not isinstance(body, str):
        found = public_progress(ctx)
        bar = round(BAR_WIDTH * found.chapters_fraction, 1)
        lines = _public_lines(found)
        svg_url = request.build_absolute_uri(reverse("progress_svg"))
        body = render_to_string(template, {
            # Coordinates as plain strings: never "147,6" in a language with a decimal comma.
            "progress": found, "lines": lines, "bar": f"{bar:.1f}" if bar else "",
            "bar_start": f"{16 + BAR_WIDTH - bar:.1f}",  # right to left: from the right
            # The HTML another site pastes (shown as text: the template escapes it).
            "embed_code": f'<img src="{svg_url}" width="360" height="132" '
                          f'alt="{lines["chapters"]}">'})
        cache.set(key, body, timeout=PUBLIC_CACHE_SECONDS)
    response = HttpResponse(body, content_type=content_type)
    patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
    patch_vary_headers(response, ("Accept-Language",))
    return response


def progress(request: HttpRequest) -> HttpResponse:
    """A small public page: the goals' figures, to link to."""
    return _public(request, "goals/progress.html", "text/html; charset=utf-8")


def progress_svg(request: HttpRequest) -> HttpResponse:
    """The same as an image to embed (<img src=".../progress.svg">): text and shapes only,
    with presentation attributes (no style, script or link), so any page's CSP shows it."""
    return _public(request, "goals/progress_svg.html", "image/svg+xml; charset=utf-8")
