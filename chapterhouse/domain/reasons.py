"""Reason codes: what the pure modules say instead of English sentences (issue 11).

A pure rule returns a `Reason`: a code such as `qualification.too_few` and its parameters
(`{"count": 4, "needed": 5}`);
the words live in each app's `reasons.py` catalogue and are rendered in the reader's language
by templates (`{{ reason|explain }}`) or in English by the command line
(`chapterhouse.core.reasons`). Stored results keep the codes (`as_json`), never the prose, so a
poll counted in English reads in German tomorrow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Param = str | int | float | bool | None | list[Any]


@dataclass(frozen=True)
class Reason:
    """A code (`<area>.<what>`) and the numbers or names its sentence needs."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict, hash=False)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        return cls(str(data["code"]), dict(data.get("params") or {}))


def reason(code: str, **params: Param) -> Reason:
    """Shorthand: `reason(code, name="Ana", round=2)`."""
    return Reason(code, params)
