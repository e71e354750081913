"""Five coordinators step down at the same moment: exactly one remains (issue 13, item 7).

Each is a thread with its own client and connection, released together, posting to the site's
own view; the count of the others is taken under the chapter's row lock, so they are counted
one after another. Runs on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from tests.conftest import NEW_YORK, join, make_chapter, make_member

pytestmark = pytest.mark.django_db(transaction=True)
COORDINATORS = 5


def test_five_coordinators_stepping_down_at_once_leave_exactly_one(organization):
    chapter = make_chapter("Springfield", NEW_YORK)
    people = [make_member(f"c{i}@example.org", f"C {i}") for i in range(COORDINATORS)]
    for person in people:
        join(chapter, person)
        chapter.coordinators.add(person)
    barrier = threading.Barrier(COORDINATORS)
    statuses: list[int | str] = []

    def step_down(i: int) -> None:
        try:
            client = Client()
            client.force_login(people[i])
            barrier.wait()
            statuses.append(client.post(
                reverse("coordinator_step_down", args=[chapter.slug])).status_code)
        except Exception as error:  # a 500 raises here
            statuses.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=step_down, args=(i,)) for i in range(COORDINATORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * COORDINATORS  # refused or done, each told on the next page
    assert chapter.coordinators.count() == 1
