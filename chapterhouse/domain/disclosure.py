"""What may be shown about the women in a group of people (DOMAIN.md, "Privacy of gender").

Gender exists to compute the women's share. A count or share of women is shown only for a group
of at least `minimum` people (the rule's minimum attendees); for a smaller group nothing about its
women is shown, not even whether it met the share: for one attendee "met" would say her gender,
and a group below the minimum fails the rule on its size alone, so the verdict needs nothing more.

Two more limits close ways round the minimum:
- guests (attendees without an account, named by the coordinator) do not make a group big
  enough: a coordinator could otherwise pad one member with invented guests and read her
  gender from the count;
- a group whose members are all, or none, counted (0 of 5, 5 of 5) shows no count: anyone who
  knows who came would learn each person's gender. Whether it met the share is still said.

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


def women_figure(attendees: int, women: int, *, minimum: int, required_share: Fraction,
                 guests: int = 0) -> WomenFigure:
    """The figure for `women` counted women among `attendees` people (of whom `guests` have
    no account), given the rule's `minimum` group size and `required_share` of women."""
    if attendees < 0 or not 0 <= women <= attendees or not 0 <= guests <= attendees:
        raise ValueError(f"{women} women among {attendees} attendees is not a group")
    if minimum < 1:
        raise ValueError(f"the minimum group size must be at least 1, not {minimum}")
    if attendees - guests < minimum:
        return WomenFigure(attendees, minimum, None, None, None)
    share = Fraction(women, attendees)
    met = share >= required_share
    if women in (0, attendees):  # everyone, or no one: the count would name each gender
        return WomenFigure(attendees, minimum, None, None, met)
    return WomenFigure(attendees, minimum, women, share, met)
