"""Within a request the organization is read once, however many checks ask for it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chapterhouse.organizations.models import Organization

pytestmark = pytest.mark.django_db


def organization_reads(queries) -> int:
    return sum('FROM "organizations_organization"' in q["sql"] for q in queries)


def test_a_chapter_page_reads_the_organization_once(client, springfield, alice):
    client.force_login(alice)  # coordinator and member: every access check runs
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("chapter_detail", args=["springfield"])).status_code == 200
    assert organization_reads(queries.captured_queries) == 1


def test_outside_a_request_each_call_reads_the_current_settings(organization):
    Organization.objects.filter(pk=organization.pk).update(min_attendees=7)
    assert Organization.objects.current().min_attendees == 7
