"""Every user-facing string is marked for translation, and every catalogue is complete."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils.translation import to_locale

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "chapterhouse"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
# Attributes people read or hear (screen readers) must be translated like text.
READ_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
# What may stand untranslated between tags: punctuation, symbols, numbers, the product's name.
ALLOWED = re.compile(r"^(?:[\s\d·–—\-:;,.()/#%✓×+=|]|Chapterhouse)*$")


def templates() -> list[Path]:
    return sorted(PACKAGE.glob("**/templates/**/*.html"))


def unmarked_text(source: str) -> list[str]:
    """Text a reader would see that no translation tag covers."""
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    text = re.sub(r"{#.*?#}", " ", text, flags=re.S)
    text = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    attributes = re.findall(rf'\b(?:{"|".join(READ_ATTRIBUTES)})="([^"]*)"', text)
    text = re.sub(r"{%.*?%}|{{.*?}}", " ", text, flags=re.S)
    text = re.sub(r"<!doctype[^>]*>|<[^>]+>", " ", text, flags=re.S | re.I)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    pieces = [p.strip() for p in re.split(r"\n|\s{2,}", text)]
    attributes = [re.sub(r"{%.*?%}|{{.*?}}", "", a).strip() for a in attributes]
    return [p for p in pieces + attributes if p and not ALLOWED.match(p)]


@pytest.mark.parametrize("template", templates(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_template_string_is_marked_for_translation(template: Path):
    assert unmarked_text(template.read_text()) == []


def test_the_checker_catches_an_unmarked_string():
    assert unmarked_text("<p>Hello {{ name }}</p>") == ["Hello"]
    assert unmarked_text('<p>{% translate "Hello" %}</p><i aria-label="Close"></i>') == ["Close"]
    assert unmarked_text("<p>{% blocktranslate %}Hi {{ n }}{% endblocktranslate %} ·</p>") == []


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> Path:
    """The committed catalogues merged with the strings the sources mark today."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed to check the catalogues: apt-get install gettext")
    work = tmp_path_factory.mktemp("i18n")
    shutil.copytree(PACKAGE, work / "chapterhouse",
                    ignore=shutil.ignore_patterns("locale", "__pycache__"))
    locale = work / "locale"
    if (PACKAGE / "locale").exists():
        shutil.copytree(PACKAGE / "locale", locale)
    previous = Path.cwd()
    os.chdir(work / "chapterhouse")
    try:
        with override_settings(LOCALE_PATHS=[locale]):
            call_command("makemessages", locale=[to_locale(c) for c in TRANSLATED],
                         verbosity=0, no_obsolete=True)
    finally:
        os.chdir(previous)
    return locale


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_catalogue_is_complete(fresh_catalogues: Path, language: str):
    path = fresh_catalogues / to_locale(language) / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    missing = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy
                                                    or (isinstance(m.string, tuple)
                                                        and not all(m.string)))]
    assert missing == [], f"{len(missing)} strings untranslated in {language}"
