"""Real-browser tests: Playwright for Python driving Debian's chromium (no browser download).

Screenshots go to test-artifacts/ (not committed).
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Django's live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with "
                    "`apt-get install chromium` (make test does this when it can) or set CHROMIUM.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A page on a phone-width screen (390 x 844, an iPhone 12 to 15)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


def fits_the_screen(page, slack: int = 0) -> bool:
    """The page does not scroll sideways (wide tables scroll inside their own wrapper)."""
    # After a click the navigation may still be under way: measure the page that arrives.
    page.wait_for_load_state("load")
    return page.evaluate(f"document.documentElement.scrollWidth <= window.innerWidth + {slack}")


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, site: str, email: str, password: str = "chapterhouse-demo") -> None:
    """Log in through the pages. Staff then type their authenticator's current code at
    /login/verify/, as a person would (issue 9); a fresh authenticator is made for them
    first, so two logins within one 30-second step both get a code that works once."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from chapterhouse.members.models import Member

    member = Member.objects.get(email=email)
    staff = member.is_staff or member.is_superuser
    device = (TOTPDevice.objects.create(user=member, name="browser test", confirmed=True)
              if staff else None)
    page.goto(site + "/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    if device is not None:
        page.wait_for_url("**/login/verify/**")
        page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_load_state()


SNAPSHOT_PREFIX = "demo_snapshot__"


class DemoSnapshot:
    """The demo organization as the first browser test generated it: a copy of every table
    beside the table (``demo_snapshot__<table>``, which the flush after each test leaves alone)
    and of its uploads. Later tests copy it back, server-side, instead of generating it again
    (about 5 s a test, more as the demo grows); the rows are the generator's, byte for byte."""

    def __init__(self, uploads: Path) -> None:
        self.uploads = uploads
        self.tables: list[str] | None = None

    @staticmethod
    def _quoted(connection, table: str) -> tuple[str, str]:
        """The table and its copy, quoted: names come from Django's introspection (S608)."""
        quote = connection.ops.quote_name
        return quote(table), quote(SNAPSHOT_PREFIX + table)

    def take(self, media_root: Path) -> None:
        from django.db import connection

        tables = [t for t in connection.introspection.django_table_names(only_existing=True)
                  if not t.startswith(SNAPSHOT_PREFIX)]
        with connection.cursor() as cursor:
            for table in tables:
                live, copy = self._quoted(connection, table)
                cursor.execute(f"DROP TABLE IF EXISTS {copy}")
                cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {live}")  # noqa: S608
        shutil.copytree(media_root, self.uploads, dirs_exist_ok=True)
        self.tables = tables

    def restore(self, media_root: Path) -> None:
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType
        from django.core.management.color import no_style
        from django.db import connection, transaction

        assert self.tables is not None
        # Foreign keys are deferred to the commit, so the tables may be filled in any order.
        # The flush's post_migrate has made content types and permissions again, under other
        # ids: the snapshot's replace them, and the cache of the new ones is cleared.
        with transaction.atomic(), connection.cursor() as cursor:
            for table in self.tables:
                live, copy = self._quoted(connection, table)
                cursor.execute(f"DELETE FROM {live}")  # noqa: S608
                cursor.execute(f"INSERT INTO {live} SELECT * FROM {copy}")  # noqa: S608
            for statement in connection.ops.sequence_reset_sql(
                    no_style(), apps.get_models(include_auto_created=True)):
                cursor.execute(statement)
        ContentType.objects.clear_cache()
        shutil.copytree(self.uploads, media_root, dirs_exist_ok=True)


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory) -> DemoSnapshot:
    return DemoSnapshot(tmp_path_factory.mktemp("demo-uploads"))


@pytest.fixture
def demo_site(live_server, settings, tmp_path, demo_snapshot):
    """The demo organization behind a live server, its uploads in a temporary folder; the
    tests log in as its personas with `log_in` (password chapterhouse-demo)."""
    from chapterhouse.demo.seeding import DemoSpec, generate_demo

    settings.MEDIA_ROOT = tmp_path
    if demo_snapshot.tables is None:
        generate_demo(DemoSpec())
        demo_snapshot.take(tmp_path)
    else:
        demo_snapshot.restore(tmp_path)
    return live_server.url
