"""Dates are written one way per kind, in the reader's language: a date with DATE_FORMAT, a
date and time with DATETIME_FORMAT and its zone, a time of day with TIME_FORMAT."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

TEMPLATES = Path(__file__).resolve().parents[2] / "chapterhouse" / "templates"
# The formats a template may ask for: the three kinds, and a weekday's name before one.
ALLOWED = {"DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT", "D", "l"}


def test_no_template_formats_a_date_its_own_way():
    ad_hoc = []
    for path in TEMPLATES.glob("**/*"):
        if not path.is_file():
            continue
        for fmt in re.findall(r"\|(?:date|time):\"([^\"]*)\"", path.read_text()):
            if fmt not in ALLOWED:
                ad_hoc.append(f"{path.relative_to(TEMPLATES)}: {fmt}")
    assert ad_hoc == []


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "since"), [
    ("en", "since June 1, 2012"), ("de", "seit 1. Juni 2012")])
def test_a_chapter_page_writes_its_date_in_the_readers_language(client, springfield,
                                                                language, since):
    page = client.get(reverse("chapter_detail", args=[springfield.slug]),
                      HTTP_ACCEPT_LANGUAGE=language).text
    assert since in page.replace("\xa0", " ")
    assert "2012-06-01" not in page.split("<time")[0]


@pytest.mark.parametrize(("language", "shown"), [
    ("en", "Feb. 1, 2014, 1 p.m. (Europe/Vienna)"),
    ("de", "1. Februar 2014 13:00 (Europe/Vienna)")])
def test_a_date_and_time_names_its_zone(language, shown):
    at = datetime.datetime(2014, 2, 1, 12, tzinfo=datetime.UTC)
    template = Template('{% load dates %}{{ at|when_in_zone:"Europe/Vienna" }}')
    with translation.override(language):
        assert template.render(Context({"at": at})) == shown


def test_without_a_zone_it_is_the_zone_in_force():
    at = datetime.datetime(2014, 2, 1, 12, tzinfo=datetime.UTC)
    template = Template("{% load dates %}{{ at|when_in_zone }}")
    with timezone.override(ZoneInfo("America/New_York")), translation.override("en"):
        assert template.render(Context({"at": at})) == "Feb. 1, 2014, 7 a.m. (America/New_York)"
    assert template.render(Context({"at": "not a time"})) == ""
