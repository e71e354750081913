import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chapterhouse.resources.demo import seed_resources
from chapterhouse.resources.models import Resource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_demo_library_ships_files_written_for_it(client, organization):
    seed_resources()
    html = client.get(reverse("resources")).text
    assert "Your first chapter meeting" in html
    guide = Resource.objects.get(title__startswith="Your first chapter meeting")
    response = client.get(reverse("resource_download", args=[guide.pk]))
    assert b"Pick a public place" in b"".join(response.streaming_content)


def test_the_library_filters_by_type_and_language(client, organization):
    seed_resources()
    spanish = client.get(reverse("resources"), {"language": "es"}).text
    assert "Volante" in spanish and "Movie night" not in spanish
    flyers = client.get(reverse("resources"), {"kind": "flyer"}).text
    assert "Volante" in flyers and "Occupy Strategy" not in flyers


def test_a_coordinator_uploads_a_flyer(client, alice):
    client.force_login(alice)
    upload = SimpleUploadedFile("flyer.txt", b"Meet us on Tuesday", content_type="text/plain")
    response = client.post(reverse("resource_add"), {
        "title": "Tuesday flyer", "kind": "flyer", "language": "en", "file": upload})
    assert response.status_code == 302
    assert Resource.objects.get().added_by == alice


def test_a_resource_needs_a_file_or_a_link_and_nothing_is_saved_otherwise(client, alice):
    client.force_login(alice)
    response = client.post(reverse("resource_add"), {
        "title": "Nothing", "kind": "flyer", "language": "en"})
    assert "Upload a file or give a link." in response.text
    assert not Resource.objects.exists()


def test_executable_uploads_are_refused(client, alice):
    client.force_login(alice)
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(reverse("resource_add"), {
        "title": "Bad", "kind": "other", "language": "en", "file": upload})
    assert "not allowed" in response.text
    assert not Resource.objects.exists()


def test_plain_members_cannot_add_resources(client, bob):
    client.force_login(bob)
    assert client.get(reverse("resource_add")).status_code == 404
