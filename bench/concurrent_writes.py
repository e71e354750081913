"""Twenty people write at the same moment, over HTTP, against a running server (issue 10).

    .venv/bin/python bench/concurrent_writes.py http://127.0.0.1:8101 [--people 20]

Three rounds, each started by a barrier so that every request leaves at once:
1. `--people` visitors sign up (each with a new email; the same city, Sao Paulo);
2. `--people` demo members log in; any who failed then log in
   again one at a time, so that the third round measures RSVPs alone;
3. those members RSVP "yes" to their chapter's next meeting.
Prints, for each round, how many succeeded and how many failed (by HTTP status or error), and
checks the database afterwards: the new accounts and the answers must all be there. Exit 0 when
nothing failed and nothing was lost.

The server must serve the seeded demo (`chapterhouse seed_demo`), and this script must be run
with the server's CHAPTERHOUSE_VAR_DIR / DATABASE_URL: it reads the database to choose members
with an upcoming meeting and to count what was saved, and gives those members the demo password
(the demo gives it only to its two personas). For example, on SQLite:

    export CHAPTERHOUSE_VAR_DIR=/tmp/bench-var
    .venv/bin/chapterhouse migrate && .venv/bin/chapterhouse seed_demo
    DEBUG=1 .venv/bin/chapterhouse runserver 127.0.0.1:8101 --noreload &
    # or: .venv/bin/gunicorn chapterhouse.wsgi -w 4 -b 127.0.0.1:8101 &
    .venv/bin/python bench/concurrent_writes.py http://127.0.0.1:8101

All requests come from 127.0.0.1: sign-ups count against the limit of 30 per network per hour
(chapterhouse/members/ratelimit.py), so a second run within the hour on the same database is
refused (429) by design; seed a fresh database (or a new CHAPTERHOUSE_VAR_DIR) between runs.
Not a unit test (tests/concurrency/ asserts the same in-process on SQLite and PostgreSQL).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEMO_PASSWORD = "chapterhouse-demo"  # noqa: S105 (public: the demo's)
SIGNUP_PASSWORD = "correct horse battery staple"  # noqa: S105
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer we check, not a page to follow


class Browser:
    """One visitor: a cookie jar, and forms posted with their CSRF token."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

    def get(self, path: str) -> tuple[int, str]:
        return self._open(path)

    def post_form(self, path: str, fields: dict[str, str | list[str]],
                  action: str | None = None) -> tuple[int, str]:
        """Open the page at `path`, then post `fields` with its CSRF token to `action` (by
        default the page itself), as a browser would."""
        status, page = self.get(path)
        token = CSRF_INPUT.search(page)
        if status != 200 or token is None:
            return status, "no form at " + path
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token.group(1)},
                                      doseq=True).encode()
        return self._open(action or path, data, referer=self.base + path)

    def _open(self, path: str, data: bytes | None = None, referer: str = "") -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310 (main() accepts http and https only)
            self.base + path, data=data, headers={"Referer": referer} if referer else {})
        try:
            with self.opener.open(request, timeout=300) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")


def at_once(tasks: list[Callable[[], str]]) -> Counter:
    """Run the tasks in threads released together; count their outcomes ("ok" or why not)."""
    return Counter(at_once_list(tasks))


def at_once_list(tasks: list[Callable[[], str]]) -> list[str]:
    """Run the tasks in threads released together; their outcomes, in order."""
    barrier = threading.Barrier(len(tasks))

    def run(task: Callable[[], str]) -> str:
        barrier.wait()
        try:
            return task()
        except OSError as error:  # refused, reset or timed out
            return f"error: {type(error).__name__}"

    with ThreadPoolExecutor(len(tasks)) as pool:
        return list(pool.map(run, tasks))


def sign_up(base: str, email: str) -> Callable[[], str]:
    def task() -> str:
        status, _page = Browser(base).post_form("/members/join/", {
            "display_name": "Bench " + email.split("@")[0][-6:], "email": email,
            "password1": SIGNUP_PASSWORD, "password2": SIGNUP_PASSWORD, "city": "Sao Paulo",
            "place": "", "languages": ["pt-br"], "gender": "woman", "willing_to_meet": "on"})
        return "ok" if status == 302 else f"HTTP {status}"
    return task


def log_in(browser: Browser, email: str) -> Callable[[], str]:
    def task() -> str:
        status, _page = browser.post_form("/login/", {"username": email,
                                                      "password": DEMO_PASSWORD})
        return "ok" if status == 302 else f"HTTP {status}"
    return task


def rsvp(browser: Browser, meeting_id: int) -> Callable[[], str]:
    def task() -> str:
        status, _page = browser.post_form(f"/meetings/{meeting_id}/", {"answer": "yes"},
                                          action=f"/meetings/{meeting_id}/rsvp/")
        return "ok" if status == 302 else f"HTTP {status}"
    return task


def members_with_a_meeting(count: int) -> list[tuple[str, int]]:
    """`count` (email, meeting id) pairs: non-staff demo members and their chapter's next
    meeting, each member without an answer to it yet."""
    from chapterhouse.chapters.models import ChapterMembership
    from chapterhouse.meetings.models import Meeting, Rsvp
    from chapterhouse.organizations import clock

    now = clock.now()
    pairs: list[tuple[str, int]] = []
    memberships = (ChapterMembership.objects.current(now.date())
                   .filter(member__is_staff=False, member__is_active=True,
                           member__email_confirmed=True)
                   .select_related("member").order_by("pk"))
    for membership in memberships.iterator():
        meeting = Meeting.objects.filter(chapter_id=membership.chapter_id,
                                         starts_at__gt=now).order_by("starts_at").first()
        if meeting is None or Rsvp.objects.filter(meeting=meeting,
                                                  member=membership.member).exists():
            continue
        pairs.append((membership.member.email, meeting.pk))
        if len(pairs) == count:
            break
    return pairs


def report(name: str, outcomes: Counter, seconds: float, saved: int, expected: int) -> bool:
    ok = outcomes.get("ok", 0)
    failures = ", ".join(f"{n} x {why}" for why, n in sorted(outcomes.items()) if why != "ok")
    print(f"{name:9} {ok:3d} ok, {sum(outcomes.values()) - ok:3d} failed"
          f"{' (' + failures + ')' if failures else ''}; {saved}/{expected} in the database; "
          f"{seconds:.1f} s")
    return ok == expected and saved == expected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the running server, e.g. http://127.0.0.1:8101")
    parser.add_argument("--people", type=int, default=20)
    args = parser.parse_args()
    if urllib.parse.urlsplit(args.url).scheme not in {"http", "https"}:
        parser.error("the URL must start with http:// or https://")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from chapterhouse.meetings.models import Rsvp
    from chapterhouse.members.models import Member

    pairs = members_with_a_meeting(args.people)
    if len(pairs) < args.people:
        print(f"Only {len(pairs)} demo members have an upcoming meeting without an answer: "
              "seed a fresh demo.", file=sys.stderr)
        return 2
    # The demo gives its password only to its two personas: give it to the chosen members too
    # (the script's one write, before any round).
    Member.objects.filter(email__in=[email for email, _meeting in pairs]).update(
        password=make_password(DEMO_PASSWORD))
    run = uuid.uuid4().hex[:8]
    emails = [f"bench-{run}-{n}@example.org" for n in range(args.people)]
    passed = True

    start = time.monotonic()
    outcomes = at_once([sign_up(args.url, email) for email in emails])
    saved = Member.objects.filter(email__in=emails).count()
    passed &= report("sign-ups", outcomes, time.monotonic() - start, saved, args.people)

    browsers = [Browser(args.url) for _pair in pairs]
    start = time.monotonic()
    login_outcomes = at_once_list([log_in(b, email)
                                   for b, (email, _meeting) in zip(browsers, pairs, strict=True)])
    outcomes = Counter(login_outcomes)
    passed &= report("logins", outcomes, time.monotonic() - start, outcomes.get("ok", 0),
                     args.people)

    # Whoever could not log in at once logs in now, one at a time: the RSVP round measures
    # RSVPs only.
    for browser, (email, _meeting), outcome in zip(browsers, pairs, login_outcomes,
                                                   strict=True):
        if outcome != "ok" and log_in(browser, email)() != "ok":
            print(f"could not log in {email} even alone", file=sys.stderr)
            return 1
    start = time.monotonic()
    outcomes = at_once([rsvp(b, meeting) for b, (_email, meeting) in zip(browsers, pairs,
                                                                          strict=True)])
    saved = sum(Rsvp.objects.filter(meeting_id=meeting, member__email=email,
                                    answer="yes").exists() for email, meeting in pairs)
    passed &= report("RSVPs", outcomes, time.monotonic() - start, saved, args.people)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
