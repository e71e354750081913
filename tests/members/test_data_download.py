"""'Download my data': a zip of JSON and CSV with everything about the member, and nothing
about anyone else, never how they voted (issue 9, what to build 7)."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chapterhouse.decisions.models import Ballot, Participation
from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.meetings.models import Rsvp
from chapterhouse.resources.models import Resource
from tests.conftest import client_for, make_meeting
from tests.decisions.conftest import make_poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def download(client, member) -> zipfile.ZipFile:
    response = client_for(client, member).post(reverse("member_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_zip_holds_the_profile_and_history_as_json_and_csv(
        client, organization, springfield, alice, bob, media):
    meeting = make_meeting(springfield, datetime.datetime(2013, 12, 1, tzinfo=datetime.UTC),
                           [bob])
    Rsvp.objects.create(meeting=meeting, member=bob, answer="yes",
                        answered_at=datetime.datetime(2013, 11, 1, tzinfo=datetime.UTC))
    need = Need.objects.create(posted_by=alice, title="Flyers", language="en")
    Offer.objects.create(need=need, member=bob, message="I can print them")
    Resource.objects.create(title="Our flyer", kind="flyer", language="en", added_by=bob,
                            file=SimpleUploadedFile("flyer.txt", b"Meet us on Tuesday"))
    archive = download(client, bob)
    data = json.loads(archive.read("data.json"))
    assert data["profile"][0]["email"] == "bob@example.org"
    assert data["profile"][0]["gender"] == "man"  # their own, in their own export only
    assert data["memberships"][0]["chapter"] == "Springfield"
    assert data["attendance"][0]["meeting"] == meeting.pk
    assert data["rsvps"][0]["answer"] == "yes"
    assert data["help_offers"][0]["message"] == "I can print them"
    # The audit log's entries about Bob: his account and his membership, as recorded.
    assert {e["object"] for e in data["audit_entries"]} >= {"members.member",
                                                            "chapters.chaptermembership"}
    upload = data["uploads"][0]
    assert upload["title"] == "Our flyer"
    assert upload["copied_as"].startswith("uploads/")
    assert archive.read(upload["copied_as"]) == b"Meet us on Tuesday"
    rows = list(csv.DictReader(io.StringIO(archive.read("memberships.csv").decode())))
    assert rows[0]["chapter"] == "Springfield"
    assert "README.txt" in archive.namelist()


def test_the_zip_says_which_polls_but_never_how(client, organization, springfield, alice, bob):
    poll = make_poll(organization, chapter=springfield)
    Participation.objects.create(poll=poll, member=bob)
    Ballot.objects.create(poll=poll, marks=[poll.options.get(label="Plums").pk])
    archive = download(client, bob)
    data = json.loads(archive.read("data.json"))
    assert [p["question"] for p in data["poll_participations"]] == ["What shall we do?"]
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Plums" not in everything


def test_the_zip_holds_nothing_about_other_members(client, organization, springfield, alice,
                                                   bob):
    make_meeting(springfield, datetime.datetime(2013, 12, 1, tzinfo=datetime.UTC), [alice, bob])
    archive = download(client, bob)
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"alice" not in everything.lower()


def test_a_large_upload_is_listed_not_copied(client, organization, bob, media, settings):
    settings.DATA_EXPORT_MAX_FILE_BYTES = 4
    Resource.objects.create(title="Big", kind="flyer", language="en", added_by=bob,
                            file=SimpleUploadedFile("big.txt", b"0123456789"))
    archive = download(client, bob)
    upload = json.loads(archive.read("data.json"))["uploads"][0]
    assert upload["size"] == 10
    assert upload["copied_as"] == ""
    assert not [n for n in archive.namelist() if n.startswith("uploads/")]


def test_the_download_is_a_post_for_the_logged_in_member_only(client, bob):
    assert client.post(reverse("member_data_download")).status_code == 302  # to log in
    assert client_for(client, bob).get(reverse("member_data_download")).status_code == 405
