"""Reason codes (issue 11): every code a module can return has words, in every language the
site offers, and the words render with their parameters."""

from __future__ import annotations

import pathlib
import re

import pytest
from django.conf import settings
from django.utils import translation

from chapterhouse.core.reasons import explain, explain_english, known_codes
from chapterhouse.domain.reasons import Reason, reason

SOURCE = pathlib.Path(__file__).resolve().parents[2] / "chapterhouse"
# reason("area.what", ...) or Reason("area.what", ...) with a literal code.
LITERAL_CODE = re.compile(r"""\b[Rr]eason\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        found.update(LITERAL_CODE.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_code_written_in_the_source_has_words():
    missing = codes_in_source() - known_codes()
    assert not missing, f"reason codes without words in any reasons.py: {sorted(missing)}"


def test_a_code_round_trips_through_its_stored_form():
    stored = reason("demo.code", n=3, name="Ana").as_json()
    assert stored == {"code": "demo.code", "params": {"n": 3, "name": "Ana"}}
    assert Reason.from_json(stored) == Reason("demo.code", {"n": 3, "name": "Ana"})


def test_an_unknown_code_shows_as_itself_rather_than_failing():
    assert explain(Reason("nobody.wrote.this")) == "nobody.wrote.this"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_known_code_renders_in_every_language_without_leftover_placeholders(language):
    with translation.override(language):
        for code in sorted(known_codes()):
            # Parameters are unknown here; render only codes that need none, and check that
            # the words never show a raw %(name)s placeholder.
            try:
                text = explain(Reason(code))
            except (KeyError, TypeError, ValueError):
                continue
            assert "%(" not in text, (language, code, text)
            assert isinstance(text, str), (language, code)


def test_the_command_line_renders_english_whatever_the_active_language():
    codes = sorted(known_codes())
    if not codes:
        pytest.skip("no reason words registered")
    with translation.override("de"):
        assert explain_english(Reason(codes[0])) == _english(codes[0])


def _english(code: str) -> str:
    with translation.override("en"):
        try:
            return explain(Reason(code))
        except (KeyError, TypeError, ValueError):
            return code
