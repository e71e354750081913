"""What may be shown about the women in a group of people (DOMAIN.md, "Privacy of gender").

Gender exists to compute the women's share. A count or share of women is shown only for a group
of at least `minimum` people (the rule's minimum attendees); for a smaller group nothing about its
women is shown, not even whether it met the share: for one attendee "met" would say her gender,
and a group below the minimum fails the rule on its size alone, so the verdict needs nothing more.

Pure and typed: no Django. Templates use it through the `women_figure` tag; the `verdict` CLI and
the qualification reasons through `women_figure()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class WomenFigure:
    """What may be said about the women among `attendees` people. `count`, `share` and `met`
    are all None when the group is too small to say anything."""

    attendees: int
    minimum: int
    count: int | None
    share: Fraction | None
    met: bool | None

    @property
    def shown(self) -> bool:
        return self.count is not None


def women_figure(attendees: int, women: int, *, minimum: int,
                 required_share: Fraction) -> WomenFigure:
    """The figure for `women` counted women among `attendees` people, given the rule's
    `minimum` group size and `required_share` of women."""
    if attendees < 0 or not 0 <= women <= attendees:
        raise ValueError(f"{women} women among {attendees} attendees is not a group")
    if minimum < 1:
        raise ValueError(f"the minimum group size must be at least 1, not {minimum}")
    if attendees < minimum:
        return WomenFigure(attendees, minimum, None, None, None)
    share = Fraction(women, attendees)
    return WomenFigure(attendees, minimum, women, share, share >= required_share)
