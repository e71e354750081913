"""Attack 4 of issue 9: `export_members` wrote gender next to the member's primary key in a
world-readable file. Now: fresh random ids, a file only its owner can read, gender only when
asked, and every export in the audit log."""

import csv
import io
import json
import os
import stat

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from chapterhouse.planning.members_csv import read_members

pytestmark = pytest.mark.django_db


def export(path, *args):
    call_command("export_members", "--out", str(path), *args, stderr=io.StringIO())
    return list(csv.DictReader(path.open()))


@pytest.fixture
def people(alice, bob, charlie, olivia):
    return [alice, bob, charlie, olivia]


def test_ids_are_fresh_for_each_export_and_never_a_members_key(people, tmp_path):
    first = [row["id"] for row in export(tmp_path / "a.csv")]
    second = [row["id"] for row in export(tmp_path / "b.csv")]
    assert len(set(first)) == len(first) == 4
    assert not set(first) & set(second)
    assert not set(first) & {str(m.pk) for m in people}


def test_gender_is_left_out_unless_asked_for(people, tmp_path):
    plain = export(tmp_path / "plain.csv")
    assert "gender" not in plain[0]
    assert "woman" not in (tmp_path / "plain.csv").read_text()
    with_gender = export(tmp_path / "gender.csv", "--with-gender")
    assert sorted(row["gender"] for row in with_gender) == ["man", "man", "woman", "woman"]


def test_gender_never_goes_to_standard_output(people):
    with pytest.raises(CommandError, match="--out"):
        call_command("export_members", "--with-gender", stdout=io.StringIO())


def test_the_file_is_readable_by_its_owner_only_whatever_the_umask(people, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("old")
    path.chmod(0o644)  # an earlier, world-readable file is replaced, not rewritten
    previous = os.umask(0)
    try:
        export(path, "--with-gender")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["members.csv"]  # no temporary left


def test_both_exports_feed_the_planner(people, tmp_path):
    for args in ((), ("--with-gender",)):
        path = tmp_path / "members.csv"
        export(path, *args)
        assert len(read_members(path)) == 4
        out = io.StringIO()
        call_command("plan", "--members", str(path), "--format", "json", stdout=out,
                     stderr=io.StringIO())
        assert "summary" in json.loads(out.getvalue())


def test_each_export_is_recorded_in_the_audit_log(people, tmp_path):
    export(tmp_path / "members.csv", "--with-gender")
    entry = LogEntry.objects.get(changes_text="export_members")
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.changes["members"] == ["None", "4"]
    assert entry.changes["with_gender"] == ["None", "True"]
    assert entry.changes["file"][1] == str((tmp_path / "members.csv").resolve())
    assert entry.timestamp is not None
    assert entry.object_repr == "Test Society"
