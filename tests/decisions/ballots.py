"""Ballot builders and the published examples shared by the decisions tests."""

from __future__ import annotations

from chapterhouse.decisions.counting import Ballot


def many(count: int, prefix: str, *choices: str) -> list[Ballot]:
    return [Ballot(f"{prefix}{i}", tuple(choices)) for i in range(1, count + 1)]


def tennessee() -> list[Ballot]:
    """The "Tennessee capital" electorate, one ballot per percent of voters.

    Wikipedia, "Instant-runoff voting" (section "Examples"), and the same preferences on
    electowiki, "Effects of different voting systems under similar circumstances":
    42% Memphis > Nashville > Chattanooga > Knoxville, 26% Nashville > Chattanooga >
    Knoxville > Memphis, 15% Chattanooga > Knoxville > Nashville > Memphis, 17% Knoxville >
    Chattanooga > Nashville > Memphis.
    """
    return (many(42, "m", "Memphis", "Nashville", "Chattanooga", "Knoxville")
            + many(26, "n", "Nashville", "Chattanooga", "Knoxville", "Memphis")
            + many(15, "c", "Chattanooga", "Knoxville", "Nashville", "Memphis")
            + many(17, "k", "Knoxville", "Chattanooga", "Nashville", "Memphis"))


def party_food() -> list[Ballot]:
    """Wikipedia, "Single transferable vote", section "Example" (the food election at a party).

    20 guests, 3 of 5 foods: 4 Oranges; 2 Pears > Oranges; 8 Chocolate > Strawberries;
    4 Chocolate > Hamburgers; 1 Strawberries; 1 Hamburgers. Some revisions (and mirrors such as
    liquisearch.com/single_transferable_vote/example) call Hamburgers "Sweets"; the current
    article uses a larger 23-guest example instead.
    """
    return (many(4, "o", "Oranges")
            + many(2, "p", "Pears", "Oranges")
            + many(8, "cs", "Chocolate", "Strawberries")
            + many(4, "ch", "Chocolate", "Hamburgers")
            + many(1, "s", "Strawberries")
            + many(1, "h", "Hamburgers"))


def english(said: object) -> str:
    """A reason code (or several, such as a round's explanation) in the English words the
    command line prints."""
    from chapterhouse.core.reasons import explain_english

    if isinstance(said, tuple | list):
        return " ".join(english(one) for one in said)
    return explain_english(said)  # type: ignore[arg-type]


def english_invalid(invalid: object) -> tuple[tuple[str, str], ...]:
    """Invalid ballots as (ballot id, reason in English)."""
    return tuple((i.ballot, english(i.reason)) for i in invalid)  # type: ignore[attr-defined]
