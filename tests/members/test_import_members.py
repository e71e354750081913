"""Importing a member list (issue 10, "Members in and out"): `import_members`, the admin's
import page, the invitations to choose a password, and `export_member_list` reading back."""

from __future__ import annotations

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from chapterhouse.chapters.models import ChapterMembership
from chapterhouse.context import context_for
from chapterhouse.members import services
from chapterhouse.members.models import ImportedMember, Member
from chapterhouse.outbox.services import outbox_deliver_due
from chapterhouse.privacy import services as privacy_services
from tests.conftest import NEW_YORK, VIENNA, client_for, make_member

pytestmark = pytest.mark.django_db

HEADER = "email,name,city,languages,chapter,willing_to_meet,consent_date\n"


def write(tmp_path, text: str, name: str = "members.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(path, *options) -> tuple[int, str, str]:
    """Exit status, standard output and error of `import_members`."""
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_members", str(path), *options, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


GOOD = HEADER + (
    "ana@example.org,Ana Lima,\"Vienna, AT\",de en,Vienna,yes,2013-03-01\n"
    "ben@example.org,Ben Ode,\"New York City, US\",en,Springfield,no,2013-04-02\n"
    "cleo@example.org,Cleo,5128581,,,,2012-12-31\n"
)


def test_a_dry_run_reports_and_writes_nothing(tmp_path, springfield, vienna):
    status, out, _err = run(write(tmp_path, GOOD))
    assert status == 0
    assert "3 members to import" in out
    assert "Dry run: nothing was written" in out
    assert not Member.objects.filter(email__in=["ana@example.org", "cleo@example.org"]).exists()


def test_commit_creates_the_members_their_chapters_and_one_audit_entry(tmp_path, springfield,
                                                                       vienna):
    before = LogEntry.objects.count()
    status, out, _err = run(write(tmp_path, GOOD), "--commit")
    assert status == 0
    assert "Imported 3 members" in out
    ana = Member.objects.get(email="ana@example.org")
    assert (ana.display_name, ana.place_id, ana.languages, ana.willing_to_meet) == (
        "Ana Lima", VIENNA, ["de", "en"], True)
    assert not ana.has_usable_password()
    assert ana.email_confirmed
    assert ana.import_record.consented_on == datetime.date(2013, 3, 1)
    assert ana.import_record.invitation_sent_at is None
    assert Member.objects.get(email="ben@example.org").place_id == NEW_YORK
    assert set(ChapterMembership.objects.filter(member__email__in=[
        "ana@example.org", "ben@example.org", "cleo@example.org"]).values_list(
        "member__email", "chapter__name")) == {("ana@example.org", "Vienna"),
                                               ("ben@example.org", "Springfield")}
    entries = LogEntry.objects.all()[: LogEntry.objects.count() - before]
    assert LogEntry.objects.count() == before + 1  # one entry for the import, not per member
    assert entries[0].changes_text == "import_members"
    assert entries[0].changes["members"] == ["None", "3"]
    assert not mail.outbox  # invitations go out later, at a bounded rate


BAD_ROWS = [
    (",Nobody,Wien,,,,2013-01-01", "email is empty"),
    ("not-an-address,X,Wien,,,,2013-01-01", "is not a valid address"),
    ("j\u0430ne@example.org,Jane,Wien,,,,2013-01-01", "mixes letters of different alphabets"),
    ("ro@example.org,Ro,Nowhereville,,,,2013-01-01", "'Nowhereville' is not in the gazetteer"),
    ("sp@example.org,Sp,Springfield,,,,2013-01-01", "'Springfield' matches several cities"),
    ("la@example.org,La,Wien,klingon,,,2013-01-01", "'klingon' is not a language code"),
    ("ch@example.org,Ch,Wien,,Gotham,,2013-01-01", "chapter 'Gotham': no chapter"),
    ("wi@example.org,Wi,Wien,,,perhaps,2013-01-01", "willing_to_meet 'perhaps'"),
    ("co@example.org,Co,Wien,,,,", "consent_date is empty"),
    ("da@example.org,Da,Wien,,,,01/02/2025", "write a date as YYYY-MM-DD"),
    ("fu@example.org,Fu,Wien,,,,9999-12-31", "must be between"),
    ("na@example.org,,Wien,,,,2013-01-01", "name is empty"),
    ("lo@example.org," + "n" * 101 + ",Wien,,,,2013-01-01", "longer than 100"),
]


def test_bad_rows_are_listed_by_line_and_nothing_is_written(tmp_path, springfield):
    good = "ok@example.org,Ok,Wien,,,,2013-01-01"
    text = HEADER + "\n".join([good] + [row for row, _ in BAD_ROWS]) + "\n"
    status, out, err = run(write(tmp_path, text), "--commit")
    assert status == 2
    assert "nothing was imported" in err
    for line, (_row, message) in enumerate(BAD_ROWS, start=3):
        found = [r for r in out.splitlines() if r.startswith(f"line {line}: ")]
        assert found, (line, message)
        assert message in found[0], (line, message, found)
    assert not Member.objects.filter(email="ok@example.org").exists()


def test_the_ambiguous_city_lists_its_candidates_and_takes_an_id(tmp_path, organization):
    _status, out, _err = run(write(tmp_path, HEADER + "sp@example.org,Sp,Springfield,,,,"
                                                      "2013-01-01\n"))
    assert re.search(r"Springfield, United States \(id \d+\)", out)
    assert "Springfield, US" in out  # how to say which
    geonameid = re.search(r"Springfield, United States \(id (\d+)\)", out).group(1)
    status, _out, _err = run(write(tmp_path, HEADER + f"sp@example.org,Sp,{geonameid},,,,"
                                                      "2013-01-01\n"), "--commit")
    assert status == 0
    assert Member.objects.get(email="sp@example.org").place_id == int(geonameid)


def test_duplicates_in_the_file_and_existing_members_are_reported_by_line(tmp_path, bob):
    text = HEADER + (
        "new@example.org,New,Wien,,,,2013-01-01\n"
        "NEW@Example.org,Again,Wien,,,,2013-01-01\n"  # the same address, typed otherwise
        "\uff2eew@example\u3002org,Wide,Wien,,,,2013-01-01\n"  # full-width N, ideographic dot
        "Bob@example.org,Bob,Wien,,,,2013-01-01\n"
    )
    status, out, _err = run(write(tmp_path, text))
    assert status == 2
    assert "line 3: email: new@example.org is already on line 2" in out
    assert "line 4: email: new@example.org is already on line 2" in out
    assert "line 5: skipped: bob@example.org is already a member" in out


def test_look_alike_addresses_are_reported_but_imported(tmp_path, bob):
    text = HEADER + ("jo1@example.org,Jo,Wien,,,,2013-01-01\n"
                     "jol@example.org,Jol,Wien,,,,2013-01-01\n"
                     "b0b@example.org,Not Bob,Wien,,,,2013-01-01\n")
    status, out, _err = run(write(tmp_path, text), "--commit")
    assert status == 0
    assert "line 3: look-alike: jol@example.org reads like jo1@example.org on line 2" in out
    assert "line 4: look-alike: b0b@example.org reads like the member bob@example.org" in out
    assert Member.objects.filter(email__in=["jo1@example.org", "jol@example.org",
                                            "b0b@example.org"]).count() == 3


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (HEADER.encode(), "a header but no members"),
    (b"email,name,city\nx@example.org,X,Vienna\n", "missing column consent_date"),
    (b"email,name,email,city,consent_date\n", "column 'email' appears twice"),
    (b"email,name,city,consent_date,shoe_size\n", "unknown column 'shoe_size'"),
    (HEADER.encode() + "ä@example.org,Ä,Wien,,,,2013-01-01\n".encode("latin-1"),
     "not UTF-8"),
])
def test_a_file_that_cannot_be_read_gets_one_line_and_exit_2(tmp_path, organization, content,
                                                             message):
    path = tmp_path / "members.csv"
    path.write_bytes(content)
    status, _out, err = run(path, "--commit")
    assert status == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_a_missing_file_or_a_folder_is_refused(tmp_path, organization):
    assert run(tmp_path / "nothing.csv")[0] == 2
    assert "is a folder" in run(tmp_path)[2]


def test_a_byte_order_mark_and_spreadsheet_headers_are_read(tmp_path, organization):
    text = ("Email,Name,City,Consent Date\r\n"
            "bom@example.org,Bom,Wien,2013-01-01\r\n")
    status, _out, _err = run(write(tmp_path, text, encoding="utf-8-sig"), "--commit")
    assert status == 0
    assert Member.objects.get(email="bom@example.org").place_id == VIENNA


def test_an_import_that_fails_midway_writes_nothing(tmp_path, springfield, vienna,
                                                    monkeypatch):
    """All or nothing: an error once the members are inserted, before their memberships."""
    rows = "".join(f"m{i}@example.org,M {i},Wien,,Vienna,,2013-01-01\n" for i in range(10))
    original = privacy_services._insert_rows
    inserted_before_the_error = []

    def failing_after_the_members(model, *args, **kwargs):
        if model is not Member:
            inserted_before_the_error.append(
                Member.objects.filter(email__startswith="m").count())
            raise RuntimeError("the disk is full")
        original(model, *args, **kwargs)

    monkeypatch.setattr(privacy_services, "_insert_rows", failing_after_the_members)
    members_before = Member.objects.count()
    with pytest.raises(RuntimeError):
        run(write(tmp_path, HEADER + rows), "--commit")
    assert inserted_before_the_error == [10]
    assert Member.objects.count() == members_before
    assert not ImportedMember.objects.exists()
    assert not LogEntry.objects.filter(changes_text="import_members").exists()


# Invitations ------------------------------------------------------------------------------


def imported(tmp_path, count: int) -> list[Member]:
    rows = "".join(f"i{i}@example.org,Imported {i},Wien,,,,2013-01-01\n"
                   for i in range(count))
    assert run(write(tmp_path, HEADER + rows), "--commit")[0] == 0
    return list(Member.objects.filter(email__startswith="i").order_by("email"))


def send_invitations(limit: int) -> int:
    """Queue up to `limit` invitations, then deliver the outbox as the worker would."""
    queued = services.import_invitations_send(limit=limit)
    outbox_deliver_due()
    return queued


def test_invitations_go_out_at_most_limit_at_a_time_and_once(tmp_path, organization):
    imported(tmp_path, 3)
    assert send_invitations(2) == 2
    assert len(mail.outbox) == 2
    assert send_invitations(2) == 1
    assert send_invitations(2) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["i0@example.org", "i1@example.org",
                                                    "i2@example.org"]
    assert not ImportedMember.objects.filter(invitation_sent_at__isnull=True).exists()


def invitation_link(message) -> str:
    return re.search(r"https?://\S+/welcome/\S+/", message.body).group(0)


def test_the_invitation_lets_the_member_choose_a_password_and_log_in(tmp_path, organization,
                                                                     client):
    (member,) = imported(tmp_path, 1)
    send_invitations(10)
    path = invitation_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert "new_password1" in form_page.text
    done = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "a long and new passphrase", "new_password2": "a long and new "
                                                                       "passphrase"})
    assert done.status_code == 302
    assert client.get(reverse("member_profile")).status_code == 200  # logged in
    client.logout()
    assert Member.objects.get(pk=member.pk).check_password("a long and new passphrase")
    again = client.get("/" + path, follow=True)
    assert "has been used or has expired" in again.text  # the link works once


def test_the_invitation_expires_after_14_days(tmp_path, organization, client, monkeypatch):
    from chapterhouse.members.tokens import invitation_token_generator

    imported(tmp_path, 1)
    send_invitations(10)
    path = "/" + invitation_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    now = invitation_token_generator._now()
    monkeypatch.setattr(invitation_token_generator, "_now",
                        lambda: now + datetime.timedelta(days=13))
    assert "new_password1" in client.get(path, follow=True).text
    monkeypatch.setattr(invitation_token_generator, "_now",
                        lambda: now + datetime.timedelta(days=15))
    assert "has been used or has expired" in client.get(path, follow=True).text


def test_an_expired_invitation_can_be_replaced_by_a_password_reset(tmp_path, organization,
                                                                   client):
    (member,) = imported(tmp_path, 1)
    with django_capture_on_commit_callbacks():
        client.post(reverse("password_reset"), {"email": member.email})
    assert len(mail.outbox) == 1
    assert "password-reset" in mail.outbox[0].body


def django_capture_on_commit_callbacks():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_erasing_an_imported_member_leaves_nothing_of_the_import(tmp_path, springfield):
    text = HEADER + "gone@example.org,Gone Person,Wien,en,Springfield,yes,2013-01-01\n"
    assert run(write(tmp_path, text), "--commit")[0] == 0
    member = Member.objects.get(email="gone@example.org")
    privacy_services.member_erase(context_for(), member=member)
    assert not ImportedMember.objects.filter(member_id=member.pk).exists()
    assert not Member.objects.filter(Q(email="gone@example.org")
                                     | Q(display_name="Gone Person")).exists()
    for entry in LogEntry.objects.all():
        text = f"{entry.object_repr} {entry.changes} {entry.additional_data}"
        assert "gone@example.org" not in text
        assert "Gone Person" not in text
    assert send_invitations(10) == 0
    assert not mail.outbox


# Export ------------------------------------------------------------------------------------


def export(tmp_path, *options) -> str:
    path = tmp_path / "export.csv"
    call_command("export_member_list", "--out", str(path), *options)
    return path.read_text(encoding="utf-8")


def test_an_exported_list_imports_again_to_the_same_members(tmp_path, alice, bob, charlie,
                                                            olivia):
    Member.objects.filter(pk=charlie.pk).update(languages=["de", "en"], willing_to_meet=True)
    first = export(tmp_path)
    assert first.splitlines()[0] == HEADER.strip()
    assert "charlie@example.org,Charlie,\"Vienna, AT\",de en,Vienna,yes,2012-03-01" in first
    LogEntry.objects.all().delete()
    ChapterMembership.objects.all().delete()
    Member.objects.all().delete()
    (tmp_path / "again.csv").write_text(first, encoding="utf-8")
    status, out, _err = run(tmp_path / "again.csv", "--commit")
    assert status == 0, out
    assert export(tmp_path) == first


def test_gender_is_exported_only_when_asked_and_never_imported(tmp_path, alice, bob):
    assert "gender" not in export(tmp_path)
    assert "woman" not in export(tmp_path)
    with_gender = export(tmp_path, "--with-gender")
    assert with_gender.splitlines()[0].endswith(",gender")
    assert ",woman" in with_gender
    with pytest.raises(Exception, match="--with-gender writes only to a file"):
        call_command("export_member_list", "--with-gender")
    Member.objects.all().delete()
    (tmp_path / "g.csv").write_text(with_gender, encoding="utf-8")
    status, out, _err = run(tmp_path / "g.csv", "--commit")
    assert status == 0
    assert "column 'gender' is not imported" in out
    assert set(Member.objects.values_list("gender", flat=True)) == {""}


# The admin ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, organization):
    staff = make_member("staff@example.org", "Staff", is_staff=True, is_superuser=True)
    return client_for(client, staff)


def test_staff_upload_see_the_report_then_confirm(admin_client, springfield, vienna):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:members_member_import")
    assert "Import a member list" in admin_client.get(
        reverse("admin:members_member_changelist")).text
    report = admin_client.post(url, {"file": SimpleUploadedFile("m.csv", GOOD.encode())})
    assert "3 members to import" in report.text
    assert "Import these members" in report.text
    assert not Member.objects.filter(email="ana@example.org").exists()
    upload = re.search(r'name="upload" value="([^"]+)"', report.text).group(1)
    done = admin_client.post(url, {"confirm": "1", "upload": upload})
    assert done.status_code == 302
    assert Member.objects.filter(email__in=["ana@example.org", "ben@example.org",
                                            "cleo@example.org"]).count() == 3
    assert admin_client.post(url, {"confirm": "1", "upload": upload}).status_code == 302
    assert Member.objects.filter(email="ana@example.org").count() == 1  # not twice


def test_the_admin_shows_bad_lines_and_offers_no_import(admin_client, organization):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = admin_client.post(reverse("admin:members_member_import"), {
        "file": SimpleUploadedFile("m.csv", (HEADER + "x@example.org,X,Nowhereville,,,,"
                                                      "2013-01-01\n").encode())})
    assert "line 2: city &#x27;Nowhereville&#x27; is not in the gazetteer" in page.text
    assert "Import these members" not in page.text


def test_members_without_staff_rights_cannot_import(client, bob):
    client_for(client, bob)
    response = client.get(reverse("admin:members_member_import"))
    assert response.status_code in (302, 403)
