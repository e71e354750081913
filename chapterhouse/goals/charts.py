"""The history's charts: SVG drawn on the server with pygal (pinned in requirements.lock), so
the page needs no script and nothing from another site.

pygal links a tooltip script from a CDN by default and puts its CSS in a <style> element,
which the site's Content-Security-Policy (style-src 'self') would block in an inline SVG. So
every chart is drawn with no script (`js=[]`), its <style> element is removed, and the same
rules are served from our own static file, goals/charts.css, generated from pygal by
`chart_css()` (a test checks the shipped file equals it; regenerate with
`python -m chapterhouse.goals.charts > chapterhouse/static/goals/charts.css`). The charts'
root element carries the class CHART_CLASS, which the file's selectors name instead of
pygal's random chart id.

Each chart is small (about 420 by 280 units) and scales to its column, so that its text
stays readable on a 390 px phone.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygal
from pygal.style import Style

CHART_CLASS = "ch-history-chart"
WIDTH, HEIGHT = 420, 280

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1d2330",
    foreground_strong="#1d2330",
    foreground_subtle="#d9d6cc",
    opacity="1",
    opacity_hover="1",
    transition="none",
    font_family='system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif',
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=13,
    legend_font_size=15,
    tooltip_font_size=13,
    colors=("#1f5c99", "#1b6b36", "#9b1c1c"),  # the figure, the target, the deadline
)


@dataclass(frozen=True)
class Labels:
    """The words a chart shows, in the reader's language (the caller translates them)."""

    figure: str
    target: str
    deadline: str


def _chart(*, top: float, x_label: Callable[[datetime.date], str],
           y_label: Callable[[float], str]) -> pygal.DateLine:
    return pygal.DateLine(
        style=STYLE, width=WIDTH, height=HEIGHT, js=[], disable_xml_declaration=True,
        show_legend=True, legend_at_bottom=True, legend_at_bottom_columns=3,
        legend_box_size=12, show_dots=True, dots_size=2.5, stroke_style={"width": 2},
        allow_interruptions=True, x_label_rotation=0, truncate_label=-1,
        x_value_formatter=x_label, value_formatter=y_label, include_x_axis=True,
        range=(0, top), min_scale=3, max_scale=5, margin=6, spacing=8, tooltip_border_radius=0,
        show_x_guides=False, show_y_guides=True, print_values=False, explicit_size=False,
    )


def _years(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """1 January of each year in between (the x axis's labels: few enough for a phone)."""
    days = [datetime.date(year, 1, 1) for year in range(first.year + 1, last.year + 1)]
    return days or [first]


def chart_svg(points: Sequence[tuple[datetime.date, float | None]], *, target: float | None,
              deadline: datetime.date | None, labels: Labels, percent: bool,
              x_label: Callable[[datetime.date], str], y_label: Callable[[float], str],
              ) -> str:
    """One goal's history as an SVG element (a string, for an HTML page): the figure on each
    day (None: a gap in the line, never a point), the target as a dashed line to the deadline
    and the deadline as a vertical line. Shares are given from 0 to 1 and drawn in percent."""
    scale = 100.0 if percent else 1.0
    highest = max([target or 0.0, *[v for _d, v in points if v is not None]]) * scale
    top = 100.0 if percent else max(highest * 1.1, 1.0)  # the target below the top edge
    chart = _chart(top=top, x_label=x_label, y_label=y_label)
    values = [(day, None if value is None else value * scale) for day, value in points]
    chart.add(labels.figure, values)
    last = max([points[-1][0] if points else datetime.date.min,
                deadline or datetime.date.min])
    first = points[0][0] if points else last
    if target is not None:
        chart.add(labels.target, [(first, target * scale), (last, target * scale)],
                  show_dots=False, stroke_style={"width": 3, "dasharray": "8, 4"})
    if deadline is not None:
        chart.add(labels.deadline, [(deadline, 0.0), (deadline, top)],
                  show_dots=False, stroke_style={"width": 2, "dasharray": "3, 3"})
    chart.x_labels = _years(first, last)
    return _cleaned(chart.render(is_unicode=True))


_STYLE_ELEMENT = re.compile(r"<defs><style[^>]*>.*?</style>", re.S)
_CHART_ID = re.compile(r'id="(chart-[0-9a-f-]+)"')


def _cleaned(svg: str) -> str:
    """pygal's SVG without its <style> (served from goals/charts.css), its inline <script>,
    its comments (they name pygal's site) or inline style attributes, with CHART_CLASS on
    the root element."""
    svg = _STYLE_ELEMENT.sub("<defs>", svg, count=1)
    svg = re.sub(r"<script[^>]*>.*?</script>", "", svg, flags=re.S)  # pygal's config, for
    # its tooltip script (which js=[] leaves out): the CSP would refuse it anyway
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = svg.replace('style="opacity: 0"', 'opacity="0"')
    return svg.replace('class="pygal-chart"', f'class="pygal-chart {CHART_CLASS}"', 1)


def chart_css() -> str:
    """The CSS pygal would inline into every chart, with CHART_CLASS for the chart's id."""
    labels = Labels("figure", "target", "deadline")
    day = datetime.date(2014, 1, 1)
    chart = _chart(top=1.0, x_label=str, y_label=str)
    chart.add(labels.figure, [(day, 1.0)])
    chart.add(labels.target, [(day, 1.0)], show_dots=False,
              stroke_style={"width": 3, "dasharray": "8, 4"})
    chart.add(labels.deadline, [(day, 1.0)], show_dots=False,
              stroke_style={"width": 2, "dasharray": "3, 3"})
    svg = chart.render(is_unicode=True)
    found = _CHART_ID.search(svg)
    style = re.search(r"<style[^>]*>(.*?)</style>", svg, re.S)
    assert found is not None
    assert style is not None
    css = html.unescape(style.group(1))  # the SVG's text escapes ">" in child selectors
    return css.replace(f"#{found.group(1)}", f".{CHART_CLASS}").strip() + "\n"


if __name__ == "__main__":
    print(chart_css(), end="")


@dataclass(frozen=True)
class GoalChart:
    """One goal's chart and its table alternative (the same figures, for screen readers)."""

    kind: str  # goals.progress.Kind's value: "members", "chapters", ...
    title: str  # in the reader's language
    svg: str  # an <svg> element (safe: drawn here from numbers and translated words)
    rows: list[tuple[datetime.date, float | None]]  # None: a gap (too few people to say)
    percent: bool  # the rows are shares (0-1)
    target: float | None
    deadline: datetime.date | None
