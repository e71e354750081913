"""Words for reason codes (domain/reasons.py): one catalogue, filled by each app's
`reasons.py` when the app is ready, rendered in the active language (pages) or in English (the
command line). A code without words renders as the code itself, and a test
(tests/test_reasons.py) checks every code the pure modules can return has words."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

from chapterhouse.domain.reasons import Reason

logger = logging.getLogger(__name__)

# A sentence with %(name)s placeholders (gettext_lazy), or a function of the parameters for
# plurals and lists (ngettext inside).
Words = Promise | str | Callable[[Mapping[str, Any]], str]

_CATALOGUE: dict[str, Words] = {}


def reasons_register(words: Mapping[str, Words]) -> None:
    """Called from an app's AppConfig.ready() with its catalogue."""
    _CATALOGUE.update(words)


def known_codes() -> frozenset[str]:
    return frozenset(_CATALOGUE)


def explain(reason: Reason | Mapping[str, Any]) -> str:
    """The sentence for a reason (or its stored JSON) in the active language."""
    if not isinstance(reason, Reason):
        reason = Reason.from_json(reason)
    words = _CATALOGUE.get(reason.code)
    if words is None:
        return reason.code
    try:
        if callable(words) and not isinstance(words, Promise | str):
            return words(reason.params)
        text = str(words)
        return text % dict(reason.params) if "%" in text else text
    except (KeyError, TypeError, ValueError):
        # Words and parameters disagree (a stored result from another version): show the
        # code rather than break the page.
        logger.warning("reason %s: its words do not fit its parameters", reason.code)
        return reason.code


def explain_english(reason: Reason | Mapping[str, Any]) -> str:
    """The one English renderer, for the command line and logs."""
    with translation.override("en"):
        return explain(reason)


def explain_all(reasons: Iterable[Reason | Mapping[str, Any]]) -> list[str]:
    return [explain(r) for r in reasons]
