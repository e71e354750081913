"""Every page of the demo, as a visitor, an outsider, a member, a coordinator and staff, at a
phone's width (390 px) and a desktop's (1280 px): a screenshot of each in test-artifacts/
(every-page/<persona>-<page>-<width>.png), no page scrolling sideways on the phone, and axe-core
(the build shipped in the pinned axe-playwright-python package) finding no serious or critical
accessibility problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.browser.conftest import ARTIFACTS, fits_the_screen, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)
NYC = "new-york-city"


def _first(model_path: str, **filters) -> int:
    from django.apps import apps

    model = apps.get_model(model_path)
    row = model.objects.filter(**filters).order_by("pk").first()
    assert row is not None, f"the demo has no {model_path} {filters}"
    return row.pk


def _meeting() -> str:
    return f"/meetings/{_first('meetings.Meeting', chapter__slug=NYC)}/"


def _poll() -> str:
    return f"/decisions/{_first('decisions.Poll')}/"


def _call() -> str:
    return f"/calls/{_first('coordination.Call')}/"


def _need() -> str:
    return f"/help/{_first('helpboard.Need')}/"


def _thread() -> str:
    from chapterhouse.members.models import Member

    coordinator = Member.objects.get(email="coordinator@demo.example.org")
    return f"/messages/{_first('inbox.Thread', participants__member=coordinator)}/"


def _split() -> str:
    return f"/splits/{_first('splits.Split')}/"


def _affiliation() -> str:
    return f"/organizing/affiliations/{_first('organizing.SympatheticOrganization')}/"


def _session() -> str:
    return f"/convention/sessions/{_first('convention.Session')}/"


Path = str | Callable[[], str]
PUBLIC: list[Path] = ["/", "/resources/", "/login/", "/members/join/", "/members/password-reset/",
                      "/history/", "/progress/", "/convention/"]
MEMBER: list[Path] = ["/", "/resources/", "/chapters/", f"/chapters/{NYC}/", "/meetings/",
                      f"/meetings/chapter/{NYC}/", _meeting, "/decisions/", _poll, "/calls/",
                      _call, "/help/", "/help/new/", _need, "/invitations/", "/messages/",
                      "/members/profile/", "/email/settings/", "/members/profile/delete/",
                      "/history/", "/convention/"]
# A coordinator's own pages (and the pages that differ most for them); in English they are
# visited only once, as the member persona visits the pages every member sees.
COORDINATOR_OWN: list[Path] = [
    "/", f"/chapters/{NYC}/", "/convention/", _thread, f"/chapters/{NYC}/requests/",
    f"/chapters/{NYC}/vision/", f"/chapters/{NYC}/coordinators/",
    f"/meetings/chapter/{NYC}/schedule/", f"/followups/{NYC}/",
    f"/messages/write/chapter/{NYC}/", "/followups/", "/planner/", "/organizing/",
    "/organizing/all/", "/organizing/affiliations/", _affiliation, "/decisions/new/",
    "/decisions/endorsement/", "/calls/new/", f"/splits/propose/{NYC}/", _split,
    f"/convention/elections/new/{NYC}/", "/decisions/{poll}/results/"]
COORDINATOR: list[Path] = [*MEMBER, *COORDINATOR_OWN[3:]]
STAFF: list[Path] = ["/", "/planner/", "/organizing/all/", "/decisions/goals/", "/resources/add/",
                     "/convention/", _session,
                     "/admin/", "/admin/members/member/", "/admin/chapters/chapter/",
                     "/decisions/", "/members/profile/"]
OUTSIDER: list[Path] = ["/", "/chapters/", "/meetings/", "/decisions/", "/help/",
                        "/members/profile/"]


# What sticks out: the innermost visible elements past the window's edges, to name in the
# failure.
WIDEST = """() => {
  const past = e => e.getBoundingClientRect().right > window.innerWidth + 1
    || e.getBoundingClientRect().left < -1;
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (typeof e.className === "string" && e.className
       ? "." + e.className.trim().split(/ +/).join(".") : "")
    + " '" + e.textContent.trim().slice(0, 30) + "'";
  return Array.from(document.querySelectorAll("body *"))
    .filter(e => e.checkVisibility() && past(e) && !Array.from(e.children).some(past))
    .slice(0, 5).map(name).join(", ");
}"""


@dataclass(frozen=True)
class Persona:
    name: str
    email: str | None  # None: a visitor, not logged in
    pages: list[Path]
    language: str = "en"
    widths: tuple[int, ...] = WIDTHS


PERSONAS = [
    Persona("visitor", None, PUBLIC),
    Persona("outsider", "outsider", OUTSIDER),
    Persona("member", "member", MEMBER),
    Persona("coordinator", "coordinator@demo.example.org", COORDINATOR_OWN),
    Persona("staff", "admin@demo.example.org", STAFF),
    # German's long words are the widest of the ten languages (every page a coordinator sees,
    # the members' among them); Arabic reads right to left.
    Persona("coordinator-de", "coordinator@demo.example.org", COORDINATOR, "de", (390,)),
    Persona("member-ar", "member", MEMBER, "ar", (390,)),
]


def _persona_email(kind: str) -> str:
    """A plain member of New York City, or a member of no chapter, who can log in."""
    from chapterhouse.chapters.models import ChapterMembership
    from chapterhouse.members.models import Member

    in_a_chapter = ChapterMembership.objects.filter(left_on__isnull=True).values("member")
    if kind == "member":
        coordinators = Member.objects.filter(coordinated_chapters__isnull=False)
        member = (Member.objects.filter(chapter_memberships__chapter__slug=NYC,
                                        chapter_memberships__left_on__isnull=True,
                                        is_staff=False)
                  .exclude(email="coordinator@demo.example.org").exclude(pk__in=coordinators)
                  .order_by("pk").first())
    else:
        member = (Member.objects.exclude(pk__in=in_a_chapter).filter(is_staff=False)
                  .order_by("pk").first())
    assert member is not None
    member.set_password("chapterhouse-demo")
    member.save(update_fields=["password"])
    return member.email


def _resolve(path: Path) -> str:
    if callable(path):
        return path()
    if "{poll}" in path:
        return path.replace("{poll}", str(_first("decisions.Poll", closed_at__isnull=False)))
    return path


def _slug(path: str) -> str:
    return path.strip("/").replace("/", "-") or "dashboard"


def _axe_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} - "
            + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                        for n in v["nodes"][:3])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.name for p in PERSONAS])
def test_every_page_fits_a_phone_and_passes_axe(demo_site, browser, persona):
    """Screens at 390 px never scroll sideways; axe reports no serious violation."""
    email = persona.email
    if email in ("member", "outsider"):
        email = _persona_email(email)
    folder = ARTIFACTS / "every-page"
    folder.mkdir(parents=True, exist_ok=True)
    too_wide: list[str] = []
    inaccessible: list[str] = []
    not_ok: list[str] = []
    for width in persona.widths:
        height = 844 if width < 600 else 900
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        if email:
            log_in(page, demo_site, email)  # in English: the helper reads the English labels
        context.add_cookies([{"name": "django_language", "value": persona.language,
                              "url": demo_site}])
        for raw in persona.pages:
            path = _resolve(raw)
            response = page.goto(demo_site + path)
            if response is None or response.status >= 400:
                not_ok.append(f"{path} answered {response and response.status}")
            page.screenshot(path=str(folder / f"{persona.name}-{_slug(path)}-{width}.png"),
                            full_page=True)
            if width < 600 and not fits_the_screen(page):
                wide = page.evaluate("document.documentElement.scrollWidth")
                too_wide.append(f"{path} is {wide} px wide: {page.evaluate(WIDEST)}")
            if width > 600 and not path.startswith("/admin/"):
                inaccessible += [f"{path}: {p}" for p in _axe_problems(page)]
        context.close()
    assert not not_ok, not_ok
    assert not too_wide, too_wide
    assert not inaccessible, "\n".join(inaccessible)


def test_the_menu_folds_on_a_phone_and_opens(demo_site, phone, screenshot):
    log_in(phone, demo_site, "coordinator@demo.example.org")
    phone.goto(demo_site + "/")
    nav = phone.get_by_role("navigation", name="Main")
    assert not nav.is_visible()
    header = phone.locator("header.site").bounding_box()
    assert header["height"] < 844 / 8  # one line, not a third of the screen
    phone.locator("header.site summary").click()
    assert nav.get_by_role("link", name="Planner").is_visible()
    screenshot(phone, "menu-open-phone")
    with phone.expect_navigation():
        nav.get_by_role("link", name="Meetings").click()
    assert not phone.get_by_role("navigation", name="Main").is_visible()


def test_the_goals_table_reads_as_cards_on_a_phone(demo_site, phone):
    """At 390 px "Pace so far" and "Forecast" are on the screen, beside their figures."""
    phone.goto(demo_site + "/")
    row = phone.locator("#goal-chapters")
    pace = row.locator("td[data-label='Pace so far']")
    forecast = row.locator("td[data-label='Forecast at the deadline']")
    for cell in (pace, forecast):
        box = cell.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390
    assert "0.33 a month" in pace.inner_text()
    assert fits_the_screen(phone)


def test_the_goals_colours_follow_the_forecast(demo_site, page):
    """A goal on track is not painted as failing; one forecast to be missed is."""
    page.goto(demo_site + "/")
    red = "rgb(155, 28, 28)"
    members = page.locator("#goal-members th")
    chapters = page.locator("#goal-chapters th")
    assert "on track" in page.locator("#goal-members").inner_text()
    assert members.evaluate("e => getComputedStyle(e).color") != red
    assert "unlikely" in page.locator("#goal-chapters").inner_text()
    assert chapters.evaluate("e => getComputedStyle(e).color") == red


def test_a_private_page_is_the_sites_own_404_in_the_readers_language(demo_site, phone,
                                                                     screenshot):
    """Another chapter's join requests are not the coordinator of New York City's to see."""
    log_in(phone, demo_site, "coordinator@demo.example.org")
    phone.context.add_cookies([{"name": "django_language", "value": "de", "url": demo_site}])
    response = phone.goto(demo_site + "/chapters/london/requests/")
    assert response is not None
    assert response.status == 404
    assert phone.locator("h1").inner_text() == "Seite nicht gefunden"
    assert phone.locator("html").get_attribute("lang") == "de"
    assert fits_the_screen(phone)
    assert _axe_problems(phone) == []
    screenshot(phone, "not-found-de-phone")
