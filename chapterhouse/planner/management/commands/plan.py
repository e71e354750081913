"""`chapterhouse plan`: the growth plan from CSV files, as JSON or a table.

Needs no database: the files are the whole input. Output goes to --out through a temporary file
that replaces the target only when everything succeeded, so a failed run writes nothing.
Every bad input (an option out of range, an unusable --out, a file problem naming its line) ends
with a one-line message and exit status 2, before any planning starts.

The plan's reasons (why a split does not work, why a candidate has no organizer) are reason
codes: the JSON output keeps them as codes with their parameters (`{"code": ..., "params":
...}`, planner/reasons.py lists them), the table says them in English (`explain_english`).

At a million members the reading (by columns, `read_members`) and the writing (orjson, straight
from the plan's lists) take about a second together; `--timings` prints the split on stderr.
"""

from __future__ import annotations

import datetime
import gc
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import orjson
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chapterhouse.core.reasons import explain_english
from chapterhouse.core.reasons_csv import csv_error_english
from chapterhouse.domain.csvfiles import shown
from chapterhouse.planning.members_csv import InputError, read_members, read_organizers
from chapterhouse.planning.plan import Plan, Settings, SplitRequest, make_plan
from chapterhouse.planning.rule import Rule

T = TypeVar("T")
USAGE_ERROR = 2
# Dates are typing mistakes outside these years (and date arithmetic stays far from year 9999).
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2199, 12, 31)
GENDER_WORDS = frozenset({"woman", "man", "nonbinary", "other"})
# (option, lowest, highest) for numbers: beyond these a value is a mistake, and some would make
# the run take forever (--exact-seconds) or divide by zero (--hours-per-chapter 0).
NUMBER_BOUNDS = (
    ("radius_km", "--radius-km", 0.001, 20_040.0),  # half the Earth's circumference
    ("min_size", "--min-size", 1, 10_000),
    ("min_women_share", "--min-women-share", 0.0, 1.0),
    ("hours_per_chapter", "--hours-per-chapter", 1.0, 10_000.0),
    ("exact_seconds", "--exact-seconds", 0.0, 3_600.0),
    ("target_chapters", "--target-chapters", 0, 100_000),
    ("qualifying_now", "--qualifying-now", 0, 100_000),
)


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


class Command(BaseCommand):
    help = ("Plan new chapters from unaffiliated members (members.csv: id,lat,lon,gender,chapter"
            "[,willing,active]), assign them to organizers and say what counts by a deadline.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", required=True, metavar="FILE.csv")
        parser.add_argument("--organizers", metavar="FILE.csv",
                            help="id,lat,lon,hours_per_week,months[,reach_km]")
        parser.add_argument("--radius-km", type=float, default=25.0)
        parser.add_argument("--min-size", type=int, default=5)
        parser.add_argument("--min-women-share", type=float, default=0.3)
        parser.add_argument("--counted-genders", default="woman", metavar="LIST")
        parser.add_argument("--today", metavar="YYYY-MM-DD")
        parser.add_argument("--deadline", metavar="YYYY-MM-DD")
        parser.add_argument("--target-chapters", type=int)
        parser.add_argument("--qualifying-now", type=int, default=0,
                            help="chapters that qualify today (they count at the deadline)")
        parser.add_argument("--hours-per-chapter", type=float, default=80.0)
        parser.add_argument("--split", action="append", default=[], metavar="CHAPTER=ID,ID",
                            help="split CHAPTER around these GeoNames places (repeatable)")
        parser.add_argument("--exact-seconds", type=float, default=None,
                            help="time the exact solver may spend improving the greedy plan "
                                 "(default: by the number of members' places and the mode)")
        parser.add_argument("--mode", choices=["fast", "quality"], default="fast",
                            help="quality: a longer search for more chapters")
        parser.add_argument("--format", choices=["json", "table"], default="json")
        parser.add_argument("--out", metavar="FILE")
        parser.add_argument("--progress", action="store_true",
                            help="show a progress bar on stderr even when it is not a terminal")
        parser.add_argument("--timings", action="store_true",
                            help="print the seconds spent reading, planning and writing on "
                                 "stderr")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"]) if options.get("out") else None
        if out is not None:
            check_target(out, "--out")  # before minutes of planning, not after
        timings: dict[str, float] = {}
        # Millions of objects (ids, chapters) live until the end: the cyclic garbage collector
        # would only rescan them, a third of the planning time at a million members.
        collecting = gc.isenabled()
        gc.disable()
        try:
            data = plan_output(options, timings)
        finally:
            if collecting:
                gc.enable()
        started = time.perf_counter()
        if out is not None:
            try:
                write_atomically(out, data)
            except OSError as error:
                raise _refuse(f"--out {out}: cannot write ({error.strerror or error})") \
                    from error
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
        timings["write"] += time.perf_counter() - started
        if options.get("timings"):
            sys.stderr.write("timings: " + " ".join(f"{key}={value:.3f}s"
                                                    for key, value in timings.items()) + "\n")


def run_plan(options: dict[str, Any]) -> str:
    """The whole command without the output step: parse, plan, render. Raises CommandError."""
    return plan_output(options).decode("utf-8")


def plan_output(options: dict[str, Any], timings: dict[str, float] | None = None) -> bytes:
    """`run_plan` as UTF-8 bytes; `timings` receives the seconds spent reading, planning and
    rendering ("read", "plan", "write")."""
    timings = {} if timings is None else timings
    started = time.perf_counter()
    _check_numbers(options)
    try:
        rule = Rule(options.get("min_size", 5), options.get("min_women_share", 0.3),
                    options.get("radius_km", 25.0))
    except ValueError as error:
        raise _refuse(str(error)) from error
    words = options.get("counted_genders", "woman")
    genders = frozenset(w.strip().lower() for w in words.split(",")) - {""}
    if not genders or not genders <= GENDER_WORDS:
        raise _refuse(f"--counted-genders {shown(words)}: use words among "
                      f"{', '.join(sorted(GENDER_WORDS))}, separated by commas")
    today = _date(options.get("today"), "--today")
    deadline = _date(options.get("deadline"), "--deadline")
    settings = Settings(
        rule=rule, counted_genders=genders,
        today=today,
        deadline=deadline,
        target_chapters=options.get("target_chapters"),
        qualifying_now=options.get("qualifying_now") or 0,
        hours_per_chapter=options.get("hours_per_chapter", 80.0),
        exact_seconds=options.get("exact_seconds"),
        mode=options.get("mode") or "fast",
    )
    members = _read(read_members, options["members"])
    organizers = _read(read_organizers, options["organizers"]) if options.get("organizers") \
        else []
    requests = [_split_request(text) for text in options.get("split") or []]
    timings["read"] = time.perf_counter() - started
    started = time.perf_counter()
    bar = None
    if options.get("progress") or sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=None, desc="planning", unit="place", file=sys.stderr)
    try:
        plan = make_plan(members, settings, organizers, requests,
                         tick=bar.update if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
    timings["plan"] = time.perf_counter() - started
    started = time.perf_counter()
    if options.get("format", "json") == "table":
        data = (as_table(plan) + "\n").encode("utf-8")
    else:
        data = as_json(plan)
    timings["write"] = time.perf_counter() - started
    return data


def as_json(plan: Plan) -> bytes:
    """The plan as JSON, indented by two spaces, UTF-8, ending with a newline (as
    `json.dumps(plan.to_json(), indent=2, ensure_ascii=False)` wrote it, numbers in their
    shortest form); orjson walks the plan's own lists without copying them."""
    return orjson.dumps(plan.to_json(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
                        | orjson.OPT_SERIALIZE_NUMPY)


def _check_numbers(options: dict[str, Any]) -> None:
    for key, flag, lowest, highest in NUMBER_BOUNDS:
        value = options.get(key)
        if value is None:
            continue
        if isinstance(value, float) and not math.isfinite(value):
            raise _refuse(f"{flag} {value} is not a finite number")
        if not lowest <= value <= highest:
            raise _refuse(f"{flag} must be between {lowest:,} and {highest:,}, not {value:,}")


def check_target(path: Path, flag: str) -> None:
    """Refuse an output path that cannot work, before any work is done."""
    if path.is_dir():
        raise _refuse(f"{flag} {path} is a folder; name a file in it")
    parent = path.parent
    if not parent.is_dir():
        raise _refuse(f"{flag} {path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise _refuse(f"{flag} {path}: the folder {parent} is not writable")


def _read(reader: Callable[[str], T], path: str) -> T:
    try:
        return reader(path)
    except InputError as error:
        raise _refuse(f"{path}: {csv_error_english(error)}") from error


def _date(text: str | None, flag: str) -> datetime.date | None:
    if not text:
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError as error:
        raise _refuse(f"{flag} {shown(text)} is not a date in the form YYYY-MM-DD") from error
    if not EARLIEST <= day <= LATEST:
        raise _refuse(f"{flag} {text} is not between {EARLIEST} and {LATEST}")
    return day


def _split_request(text: str) -> SplitRequest:
    from chapterhouse.places.gazetteer import city

    chapter, _, ids = text.rpartition("=")
    if not chapter or not ids:
        raise _refuse(f"--split {shown(text)}: use CHAPTER=GEONAMEID,GEONAMEID,...")
    names: list[str] = []
    lat: list[float] = []
    lon: list[float] = []
    for word in ids.split(","):
        try:
            place = city(int(word))
        except (ValueError, KeyError) as error:
            raise _refuse(f"--split: {shown(word)} is not a GeoNames id in the gazetteer") \
                from error
        names.append(place.name)
        lat.append(place.latitude)
        lon.append(place.longitude)
    return SplitRequest(chapter, names, lat, lon)


def write_atomically(path: Path, data: bytes) -> None:
    """Write next to the target, then rename over it: readers never see half a file."""
    handle, tmp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def as_table(plan: Plan) -> str:
    """The plan for people reading a terminal, in English."""
    s = plan.summary
    lines = [f"New chapters: {s['new_chapters']} from {s['eligible_members']} eligible members "
             f"({s['members_placed']} placed)"]
    lines.append("  #  center              size women travel_km  organizer  starts      start_by")
    for i, c in enumerate(plan.new_chapters):
        lines.append(f"{i:>3}  {c['center'][0]:>8.3f},{c['center'][1]:>9.3f}  {c['size']:>4} "
                     f"{c['women']:>5} {c['max_travel_km']:>9.1f}  {c['organizer'] or '-':<10} "
                     f"{c['starts'] or '-':<11} {c['start_by'] or '-'}")
    for sp in plan.splits:
        lines.append("")
        lines.append(f"Split of {sp['chapter']}: {'works' if sp['works'] else 'no split works'}")
        for part in sp["parts"]:
            lines.append(f"  {part['name']}: {part['size']} members, {part['women']} women"
                         f"{'' if part['valid'] else ' (not valid)'}")
        lines.extend(f"  {explain_english(r)}" for r in sp["reasons"])
    lines.append("")
    lines.append(f"Organizers: {s['organizers']}, chapters assigned: {s['assigned']}, "
                 f"out of reach: {s['unreachable']}, beyond capacity: {s['over_capacity']}")
    if s.get("projected_at_deadline") is not None:
        lines.append(f"Start by {s['start_by']}; projected qualifying chapters at the deadline: "
                     f"{s['projected_at_deadline']}")
    if "gap" in s:
        lines.append(f"Gap to the target of {s['target_chapters']}: {s['gap']}; "
                     f"more organizers needed: {s['more_organizers_needed']}"
                     f"{'' if s['gap_closed'] else ' (not enough candidates to close it)'}")
        for r in plan.recruits:
            lines.append(f"  one near {r['center'][0]:.3f},{r['center'][1]:.3f}: "
                         f"{r['chapters']} chapters")
    return "\n".join(lines)
