"""A chapter's local vision: its coordinators edit it; everyone reads it; history for members."""

import pytest
from django.urls import reverse

from chapterhouse.chapters.models import VisionRevision

pytestmark = pytest.mark.django_db
EDIT = reverse("chapter_vision_edit", args=["springfield"])
PAGE = reverse("chapter_detail", args=["springfield"])


def test_a_coordinator_writes_the_vision_and_everyone_reads_it(client, alice):
    client.force_login(alice)
    response = client.post(EDIT, {"text": "Housing first.\n\nThen transit."})
    assert response.url == PAGE
    client.logout()
    page = client.get(PAGE).text
    assert "Housing first.\n\nThen transit." in page
    assert "Last edited on" in page
    assert "Alice" not in page.split("Our local vision")[1][:400]


def test_markup_in_the_vision_is_shown_as_text(client, alice):
    client.force_login(alice)
    client.post(EDIT, {"text": "<script>alert(1)</script> **bold**"})
    page = client.get(PAGE).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold**" in page
    assert "<script>alert(1)" not in page


def test_each_edit_is_kept_with_who_and_when_for_members(client, alice, bob, charlie):
    client.force_login(alice)
    client.post(EDIT, {"text": "First."})
    client.post(EDIT, {"text": "Second."})
    assert VisionRevision.objects.count() == 2
    client.force_login(bob)
    page = client.get(PAGE).text
    assert "Second." in page
    assert "Last edited by Alice" in page
    assert "Earlier versions" in page
    client.force_login(charlie)
    page = client.get(PAGE).text
    assert "Second." in page
    assert "Last edited by" not in page
    assert "Earlier versions" not in page


def test_saving_the_same_text_is_refused_and_adds_nothing(client, alice):
    client.force_login(alice)
    client.post(EDIT, {"text": "Same."})
    response = client.post(EDIT, {"text": "Same.\r\n"})
    assert "Nothing changed" in response.text
    assert VisionRevision.objects.count() == 1


def test_the_editor_shows_the_current_text(client, alice):
    client.force_login(alice)
    client.post(EDIT, {"text": "Current words."})
    assert "Current words." in client.get(EDIT).text


@pytest.mark.parametrize("persona", ["bob", "charlie", "olivia"])
def test_it_checks_ownership(client, alice, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(EDIT).status_code == 404
    assert client.post(EDIT, {"text": "Taken over."}).status_code == 404
    assert not VisionRevision.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, springfield):
    assert client.post(EDIT, {"text": "x"}).status_code == 302
    assert not VisionRevision.objects.exists()
