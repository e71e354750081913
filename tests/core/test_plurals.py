"""Counts next to nouns are plurals (ngettext / blocktranslate count): one voter, one organizer,
one woman, never "1 voters", "1 women" or "column(s)"."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from chapterhouse.core.reasons import explain_english
from chapterhouse.domain.reasons import Reason
from chapterhouse.organizations.models import Organization

TEMPLATES = Path(__file__).resolve().parents[2] / "chapterhouse" / "templates"


@pytest.fixture(autouse=True)
def in_english():
    """Other tests' requests may leave another language active in this thread."""
    with translation.override("en"):
        yield


def block(template: str, marker: str) -> Template:
    """The blocktranslate of a real template that contains `marker`, as a template alone."""
    source = (TEMPLATES / template).read_text()
    for found in re.finditer(r"{% blocktranslate.*?{% endblocktranslate %}", source, re.S):
        if marker in found.group(0):
            return Template("{% load i18n figures %}" + found.group(0))
    raise AssertionError(f"no blocktranslate with {marker!r} in {template}")


CASES = [
    ("planner/planner.html", "organizers can take on",
     {"summary": {"organizers": 1, "assigned": 1}}, "1 organizer can take on"),
    ("planner/planner.html", "possible new chapters",
     {"summary": {"new_chapters": 1, "eligible_members": 7, "members_placed": 6},
      "run": {"radius_km": 50}}, "1 possible new chapter among"),
    ("planner/planner.html", "{{ women }} women",
     {"part": {"size": 6, "women": 1}}, "6 members, 1 woman"),
    ("dashboard/dashboard.html", "with {{ voters }} voters",
     {"goal_source": {"title": "Goals", "voters": 1}, "poll_url": "/p/"}, "with 1 voter."),
    ("dashboard/dashboard.html", "chapters done",
     {"rebuild": {"done": 0, "chapters": 1}}, "0 of 1 chapter done."),
    ("affiliations/detail.html", "about {{ size }} people",
     {"org": {"place": {"name": "Oslo"}, "size": 1}}, "Oslo · about 1 person"),
]


@pytest.mark.parametrize(("template", "marker", "context", "singular"), CASES,
                         ids=[case[1] for case in CASES])
def test_one_of_a_thing_is_singular_and_two_are_plural(template, marker, context, singular):
    shown = block(template, marker).render(Context(context))
    assert singular in shown
    assert "(s)" not in shown


def test_a_file_missing_one_column_says_column_and_two_columns():
    one = Reason("planner.csv.missing_columns", {"missing": "lat", "count": 1, "header": "a"})
    two = Reason("planner.csv.missing_columns", {"missing": "lat, lon", "count": 2,
                                                 "header": "a"})
    assert explain_english(one).startswith("missing column lat;")
    assert explain_english(two).startswith("missing columns lat, lon;")
    # A reason stored before the count existed still reads.
    old = Reason("planner.csv.missing_columns", {"missing": "lat, lon", "header": "a"})
    assert explain_english(old).startswith("missing columns")


def test_a_short_centre_with_one_woman_says_a_woman():
    params = {"centre": "Brooklyn", "members": 6, "km": 5, "women": 1}
    assert explain_english(Reason("planner.split.centre_short", params)) == (
        "Brooklyn: 6 members within 5 km, 1 of them a woman")
    assert explain_english(Reason("planner.split.centre_short", {**params, "women": 2})) == (
        "Brooklyn: 6 members within 5 km, 2 of them women")


@pytest.mark.django_db
def test_one_unknown_gender_word_is_a_word(organization):
    organization.counted_genders = ["woman", "martian"]
    with pytest.raises(ValidationError) as raised:
        Organization.clean(organization)
    assert raised.value.message_dict["counted_genders"][0].startswith(
        "Unknown gender word: martian.")


def test_no_template_or_message_writes_a_plural_in_brackets():
    """'(s)' is how a sentence dodges a plural: no template and no translatable string."""
    package = TEMPLATES.parent
    offenders = [str(path.relative_to(package)) for path in package.glob("templates/**/*")
                 if path.is_file() and "(s)" in path.read_text()]
    for path in package.glob("**/*.py"):
        if "migrations" in path.parts:
            continue
        for string in re.findall(r"_\(\s*\"([^\"]*)\"", path.read_text()):
            if "(s)" in string:
                offenders.append(f"{path.relative_to(package)}: {string}")
    assert offenders == []
