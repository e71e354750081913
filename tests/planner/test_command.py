import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chapterhouse.planner.management.commands.plan import Command, run_plan

MEMBERS = """id,lat,lon,gender,chapter,willing
1,48.85,2.35,woman,,
2,48.85,2.35,woman,,
3,48.85,2.35,man,,
4,48.86,2.36,,,yes
5,48.80,2.30,nonbinary,,
6,48.80,2.30,man,,no
7,40.7128,-74.006,woman,NYC,
"""


@pytest.fixture
def members_csv(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(MEMBERS)
    return path


def test_json_output_has_the_promised_shape(members_csv, tmp_path):
    orgs = tmp_path / "organizers.csv"
    orgs.write_text("id,lat,lon,hours_per_week,months\nann,48.9,2.4,15,4\n")
    out = json.loads(run_plan({"members": str(members_csv), "organizers": str(orgs),
                               "today": "2014-02-01", "deadline": "2014-07-01",
                               "target_chapters": 2}))
    assert set(out) >= {"new_chapters", "splits", "assignments", "unreached", "summary"}
    (chapter,) = out["new_chapters"]
    assert sorted(chapter["members"]) == ["1", "2", "3", "4", "5"]  # 6 unwilling, 7 affiliated
    assert chapter["women"] == 2
    assert chapter["size"] == 5
    assert chapter["start_by"] == "2014-04-01"
    assert chapter["organizer"] == "ann"
    assert out["summary"]["projected_at_deadline"] == 1
    assert out["summary"]["gap"] == 1


def test_the_table_format_and_out_file(members_csv, tmp_path):
    target = tmp_path / "plan.txt"
    call_command(Command(), members=str(members_csv), format="table", out=str(target))
    assert target.read_text().startswith("New chapters: 1 from 5 eligible members")


def test_bad_input_names_the_line_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,lat,lon,gender,chapter\n1,48,2,woman,\n2,91,2,man,\n")
    target = tmp_path / "plan.json"
    with pytest.raises(CommandError, match="line 3: latitude 91"):
        call_command(Command(), members=str(bad), out=str(target))
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_a_bad_date_is_a_command_error(members_csv):
    with pytest.raises(CommandError, match="--deadline"):
        run_plan({"members": str(members_csv), "deadline": "July"})


def test_a_split_uses_the_gazetteer_boroughs(tmp_path):
    rows = ["id,lat,lon,gender,chapter"]
    rows += [f"m{i},40.78343,-73.96625,{'woman' if i < 3 else 'man'},NYC" for i in range(8)]
    rows += [f"b{i},40.6501,-73.94958,{'woman' if i < 2 else 'man'},NYC" for i in range(6)]
    path = tmp_path / "nyc.csv"
    path.write_text("\n".join(rows) + "\n")
    out = json.loads(run_plan({"members": str(path), "radius_km": 8.0,
                               "split": ["NYC=5125771,5110302,5139568"]}))
    (nyc,) = out["splits"]
    assert nyc["works"]
    assert [p["name"] for p in nyc["parts"]] == ["Manhattan", "Brooklyn", "Staten Island"]
    assert [p["valid"] for p in nyc["parts"]] == [True, True, False]
