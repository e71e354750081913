"""Closed polls' stored results: English sentences become reason codes (issue 11).

The safest conversion keeps every number as it was stored. Each closed poll is counted again
from its stored ballots (the counting is deterministic but for invalid ballots' numbers, which
follow the shuffled order); when the recount agrees with the stored result on everything but the
sentences (winners, every round's tallies, exclusions and exhausted value, the counts, support,
turnout, the invalid ballots and the ties), its codes replace the sentences. Otherwise (options
renamed since, say) each sentence is kept word for word as a `decisions.legacy_text` reason,
shown as it was. Only sentence fields are written; numbers and winners are never touched.
Backwards, the codes are written out in English again.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django.db import migrations

LEGACY_TEXT = "decisions.legacy_text"


def _legacy(text: Any) -> dict[str, Any]:
    return {"code": LEGACY_TEXT, "params": {"text": str(text)}}


def _without_sentences(result: dict[str, Any]) -> dict[str, Any]:
    """What a recount must reproduce: the stored result minus its sentences."""
    shape = copy.deepcopy(result)
    shape.pop("reasons", None)
    shape.pop("explanation", None)
    shape["invalid"] = [i.get("ballot") for i in shape.get("invalid") or []]
    shape["reasons_count"] = len(result.get("reasons") or [])
    count = shape.get("count")
    if isinstance(count, dict):
        count.pop("tie_break", None)
        count["ties"] = len(count.get("ties") or [])
        count["invalid"] = [i.get("ballot") for i in count.get("invalid") or []]
        for r in count.get("rounds") or []:
            r.pop("explanation", None)
    return shape


def _sentences_from(stored: dict[str, Any], recount: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(stored)
    for key in ("reasons", "explanation"):
        if key in recount:
            result[key] = recount[key]
    # Which invalid ballot had which fault is not taken from the recount: ballots were numbered
    # in a shuffled order at the close, so the same numbers may name other ballots now. Their
    # sentences are kept word for word.
    for i in result.get("invalid") or []:
        i["reason"] = _legacy(i["reason"])
    if isinstance(stored.get("count"), dict):
        count, counted = result["count"], recount["count"]
        count["tie_break"], count["ties"] = counted["tie_break"], counted["ties"]
        for i in count.get("invalid") or []:
            i["reason"] = _legacy(i["reason"])
        for r, again in zip(count["rounds"], counted["rounds"], strict=True):
            r["explanation"] = again["explanation"]
    return result


def _sentences_kept(stored: dict[str, Any]) -> dict[str, Any]:
    """Each stored sentence as a legacy reason, word for word."""
    result = copy.deepcopy(stored)
    if "reasons" in result:
        result["reasons"] = [_legacy(r) for r in result["reasons"]]
    if isinstance(result.get("explanation"), str):
        result["explanation"] = [_legacy(result["explanation"])]
    for i in result.get("invalid") or []:
        i["reason"] = _legacy(i["reason"])
    count = result.get("count")
    if isinstance(count, dict):
        count["tie_break"] = _legacy(count.get("tie_break", ""))
        count["ties"] = [_legacy(t) for t in count.get("ties") or []]
        for i in count.get("invalid") or []:
            i["reason"] = _legacy(i["reason"])
        for r in count.get("rounds") or []:
            r["explanation"] = [_legacy(r.get("explanation", ""))]
    return result


def _is_prose(result: dict[str, Any]) -> bool:
    count = result.get("count")
    if isinstance(count, dict):
        return isinstance(count.get("tie_break"), str)
    return isinstance(result.get("explanation"), str)


def _recount(apps: Any, poll: Any) -> dict[str, Any] | None:
    from chapterhouse.decisions.tally import PollSpec, StoredBallot, tally

    Option = apps.get_model("decisions", "Option")
    Ballot = apps.get_model("decisions", "Ballot")
    labels = {o.pk: o.label for o in Option.objects.filter(poll=poll).order_by("position", "pk")}
    spec = PollSpec(poll.kind, labels, poll.seats, poll.max_score, Decimal(poll.quorum),
                    Decimal(poll.pass_threshold), poll.max_blocks)
    ballots = [StoredBallot(m, s) for m, s in
               Ballot.objects.filter(poll=poll).order_by("pk").values_list("marks", "stance")]
    try:
        return tally(spec, ballots, eligible=poll.eligible_count or 0)
    except Exception:  # noqa: BLE001 - any failure to recount keeps the sentences as written
        return None


def to_codes(apps: Any, schema_editor: Any) -> None:
    Poll = apps.get_model("decisions", "Poll")
    for poll in Poll.objects.filter(result__isnull=False).iterator():
        stored = poll.result
        if not isinstance(stored, dict) or not _is_prose(stored):
            continue
        recount = _recount(apps, poll)
        if recount is not None and _without_sentences(recount) == _without_sentences(stored):
            poll.result = _sentences_from(stored, recount)
        else:
            poll.result = _sentences_kept(stored)
        poll.save(update_fields=["result"])


def _english(said: Any) -> Any:
    from chapterhouse.core.reasons import explain_english

    if isinstance(said, list):
        return " ".join(explain_english(r) for r in said)
    return explain_english(said) if isinstance(said, dict) else said


def to_prose(apps: Any, schema_editor: Any) -> None:
    Poll = apps.get_model("decisions", "Poll")
    for poll in Poll.objects.filter(result__isnull=False).iterator():
        result = poll.result
        if not isinstance(result, dict) or _is_prose(result):
            continue
        from chapterhouse.core.reasons import explain_english

        if "reasons" in result:
            result["reasons"] = [explain_english(r) for r in result["reasons"]]
        if "explanation" in result:
            result["explanation"] = _english(result["explanation"])
        for i in result.get("invalid") or []:
            i["reason"] = _english(i["reason"])
        count = result.get("count")
        if isinstance(count, dict):
            count["tie_break"] = _english(count["tie_break"])
            count["ties"] = [_english(t) for t in count.get("ties") or []]
            for i in count.get("invalid") or []:
                i["reason"] = _english(i["reason"])
            for r in count.get("rounds") or []:
                r["explanation"] = _english(r["explanation"])
        poll.result = result
        poll.save(update_fields=["result"])


class Migration(migrations.Migration):
    dependencies = [("decisions", "0004_sealed_ballot_box")]

    operations = [migrations.RunPython(to_codes, to_prose)]
