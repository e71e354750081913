"""How heavy the admin is on the demo organization (issue 10, item 8).

    .venv/bin/python bench/admin_pages.py [--browser] [--keep DIR]

Makes a throw-away SQLite database in a temporary directory (or DIR, kept), migrates it,
generates the demo organization, and opens as the demo admin (past the second factor, as
after typing the authenticator's code): the New York City chapter's change page, the NYC
meeting with the most attendees, and every registered model's change list. Prints for each
page its HTML size, its <select> and <option> elements, its database queries and its time.
With --browser it also serves the database (runserver, DEBUG on for the static files) and
times the chapter page in Debian's chromium, to the page's `load` event, as a person waits.
Not a unit test (the bounds are asserted in tests/admin/); `make bench` does not run it.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def measure(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    taken = time.perf_counter() - started
    html = response.content.decode()
    return {"url": url, "status": response.status_code, "bytes": len(html),
            "selects": len(re.findall(r"<select\b", html)),
            "options": len(re.findall(r"<option\b", html)),
            "queries": len(queries), "ms": taken * 1000}


def show(name: str, row: dict) -> None:
    print(f"{name:42} {row['status']} {row['bytes'] / 1024:8.0f} KB {row['selects']:5} selects "
          f"{row['options']:6} options {row['queries']:5} queries {row['ms']:8.0f} ms")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def time_in_browser(var: str, chapter_url: str, admin_email: str) -> None:
    port = free_port()
    env = {**os.environ, "CHAPTERHOUSE_VAR_DIR": var, "DEBUG": "1"}
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload",
         f"127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        from playwright.sync_api import sync_playwright

        from tests.browser.conftest import CHROMIUM, log_in

        site = f"http://127.0.0.1:{port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(300_000)  # the heavy page, on a busy machine
            log_in(page, site, admin_email)
            page.goto(site + chapter_url)  # warm the static files' cache
            for attempt in range(2):
                started = time.perf_counter()
                page.goto(site + chapter_url, wait_until="load")
                taken = time.perf_counter() - started
                print(f"browser, chapter change page to `load`, try {attempt + 1}: "
                      f"{taken * 1000:.0f} ms")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--keep", help="a folder for the database, kept afterwards")
    args = parser.parse_args()
    var = args.keep or tempfile.mkdtemp(prefix="chapterhouse-admin-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["CHAPTERHOUSE_VAR_DIR"] = var
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.contrib import admin
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from chapterhouse.chapters.models import Chapter
    from chapterhouse.demo.seeding import ADMIN_EMAIL, DemoSpec, generate_demo
    from chapterhouse.meetings.models import Meeting
    from chapterhouse.members.models import Member
    from tests.conftest import verify_second_factor

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    if not Chapter.objects.exists():
        started = time.perf_counter()
        generate_demo(DemoSpec())
        print(f"demo generated in {time.perf_counter() - started:.0f} s into {var}")
    client = Client()
    admin_user = Member.objects.get(email=ADMIN_EMAIL)
    client.force_login(admin_user)
    verify_second_factor(client, admin_user)

    nyc = Chapter.objects.get(name="New York City")
    print(f"New York City: {nyc.memberships.count()} memberships")
    chapter_url = reverse("admin:chapters_chapter_change", args=[nyc.pk])
    client.get(chapter_url)  # warm caches (content types, templates)
    show("chapter change page (NYC)", measure(client, chapter_url))
    meeting = (Meeting.objects.filter(chapter=nyc).annotate(n=Count("attendances"))
               .order_by("-n").first())
    if meeting is not None:
        show(f"meeting change page (NYC, {meeting.n} attendees)",
             measure(client, reverse("admin:meetings_meeting_change", args=[meeting.pk])))
    member = Member.objects.filter(chapter_memberships__chapter=nyc).first()
    show("member change page", measure(client, reverse("admin:members_member_change",
                                                       args=[member.pk])))
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        show(f"list {model._meta.label} ({model._default_manager.count()})",
             measure(client, url))
    if args.browser:
        time_in_browser(var, chapter_url, ADMIN_EMAIL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
