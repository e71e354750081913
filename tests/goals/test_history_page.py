"""The history page (/history/) and the public progress page and image (/progress/,
/progress.svg): who sees them, what they show, and that they load nothing from elsewhere."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from chapterhouse.chapters.models import Chapter
from chapterhouse.goals.charts import chart_css
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization

pytestmark = pytest.mark.django_db
VIENNA = 2761369


def external_references(text: str) -> list[str]:
    """Anything a browser would fetch from another site, or run: scripts, links, imports."""
    text = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    found = re.findall(r"<script|(?:href|src)=\"(?:https?:)?//[^\"]*\"|@import|url\(\s*['\"]?"
                       r"(?:https?:)?//|<\?xml-stylesheet", text)
    return found


def svgs_of(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, re.S)


# The history page on the demo -----------------------------------------------------------------

@pytest.fixture
def history_html(demo, db, client):
    cache.clear()
    response = client.get(reverse("history"))
    assert response.status_code == 200
    return response.text


def test_the_history_draws_a_chart_per_goal_with_a_point_a_month(history_html):
    charts = svgs_of(history_html)
    assert len(charts) == 4
    for kind in ("members", "chapters", "continents", "women_share"):
        assert f'id="history-{kind}"' in history_html
    members = charts[0]
    assert members.count('class="dot reactive') == 25  # February 2012 to February 2014


def test_the_charts_load_nothing_and_run_nothing(history_html):
    main = history_html[history_html.index("<main"):history_html.index("</main>")]
    assert external_references(main) == []
    assert "style=" not in "".join(svgs_of(history_html))  # refused by the site's CSP


def test_each_chart_has_its_figures_as_a_table(history_html):
    tables = re.findall(r"<details>\s*<summary>The figures as a table</summary>(.*?)</details>",
                        history_html, re.S)
    assert len(tables) == 4
    members = re.findall(r"<td>(.*?)</td>", tables[0])
    assert members[-2:] == ["3,443", "3,500"]  # on 1 February 2014; the target
    chapters = re.findall(r"<td>(.*?)</td>", tables[1])
    assert chapters[-2:] == ["8", "20"]


def test_the_rules_are_explained_where_the_charts_are(history_html):
    assert "How these figures are computed" in history_html
    assert "left as a gap rather than a point" in history_html
    assert "Deadline" in history_html


def test_the_shipped_chart_css_is_pygals_own():
    with open("chapterhouse/static/goals/charts.css", encoding="utf-8") as shipped:
        assert shipped.read() == chart_css()


def test_the_dashboard_links_to_the_history_and_the_progress_page(demo, db, client):
    html = client.get(reverse("dashboard")).text
    assert f'href="{reverse("history")}"' in html
    assert f'href="{reverse("progress")}"' in html


# The public progress page and image --------------------------------------------------------

def test_the_progress_image_says_8_of_20_chapters_and_5_months_left(demo, db, client):
    cache.clear()
    response = client.get(reverse("progress_svg"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    svg = response.text
    assert "8 of 20 qualifying chapters" in svg
    assert "3,443 of 3,500 members · 5 months left" in svg
    assert external_references(svg) == []
    assert "style" not in svg  # presentation attributes only: any page's CSP shows it


def test_the_progress_page_is_public_when_the_dashboard_is_and_absent_when_not(demo, db,
                                                                               client):
    cache.clear()
    Organization.objects.update(dashboard_public=False)
    for name in ("progress", "progress_svg"):  # a private organization publishes nothing
        assert client.get(reverse(name)).status_code == 404
    Organization.objects.update(dashboard_public=True)
    response = client.get(reverse("progress"))
    assert response.status_code == 200
    html = response.text
    assert "8 of 20 qualifying chapters" in html
    assert "3 of 3 continents" in html
    assert "Women&#x27;s participation: 36% (goal 30%)" in html
    assert f'<img src="{reverse("progress_svg")}"' in html
    assert external_references(html) == []  # the embedding code is shown as text
    # Nothing beyond the goals' figures: no chapter, no member.
    assert "New York" not in html
    assert "Berlin" not in html
    assert "@" not in html


def test_the_progress_page_is_cached_until_the_figures_change(demo, db, client):
    cache.clear()
    first = client.get(reverse("progress_svg")).text
    assert "8 of 20" in first
    berlin = Chapter.objects.get(name="Berlin")
    Member.objects.filter(pk__in=berlin.memberships.values("member")[:1]).update(
        is_active=False)  # a write that sends no signal: the figures' version is unchanged
    assert client.get(reverse("progress_svg")).text == first


def test_the_image_draws_its_bar_from_the_right_in_arabic(demo, db, client):
    cache.clear()
    client.cookies["django_language"] = "ar"
    svg = client.get(reverse("progress_svg")).text
    assert 'direction="rtl"' in svg
    # 8 of 20 chapters: 40% of the 328-unit bar, ending at the right edge (x = 344).
    assert '<rect x="212.8" y="70" width="131.2"' in svg
