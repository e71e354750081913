import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chapterhouse.decisions.counting import Ballot
from chapterhouse.decisions.management.commands.count import Command, run_count
from tests.decisions.ballots import party_food, tennessee


def _write(tmp_path, ballots, joiner=">", name="ballots.csv", extra=""):
    path = tmp_path / name
    rows = [f"{b.id},{joiner.join(b.choices)}" for b in ballots]
    path.write_text("ballot,choices\n" + "\n".join(rows) + "\n" + extra)
    return str(path)


def test_stv_json_has_winners_rounds_and_invalid(tmp_path):
    path = _write(tmp_path, party_food(), extra="bad1,Pears>Oranges>Pears\nbad2,\n")
    code, text = run_count({"ballots": path, "method": "stv", "seats": 3})
    assert code == 0
    out = json.loads(text)
    assert out["winners"] == ["Chocolate", "Oranges", "Strawberries"]
    assert out["quota"] == 6
    assert out["valid"] == 20
    assert [r["round"] for r in out["rounds"]] == [1, 2, 3, 4]
    assert out["rounds"][1]["tallies"]["Strawberries"] == 5
    assert out["rounds"][3]["exhausted"] == 3
    assert out["invalid"] == [
        {"ballot": "bad1", "reason": "'Pears' is ranked twice"},
        {"ballot": "bad2", "reason": "empty ballot: no option ranked"}]
    assert "alphabetical order" in out["tie_break"]


def test_irv_table_output(tmp_path):
    code, text = run_count({"ballots": _write(tmp_path, tennessee()), "method": "irv",
                            "format": "table"})
    assert code == 0
    assert "Winners: Knoxville" in text
    assert "\nKnoxville       17       32       58 *\n" in text
    assert "\nChattanooga     15 x\n" in text
    assert "Invalid ballots: none" in text


def test_malformed_ballots_of_every_kind_are_reported_by_id_in_file_order(tmp_path):
    ranked = tmp_path / "ranked.csv"
    ranked.write_text("ballot,choices\nr1,A>B>A\nr2,\nr3,A>B\n")
    out = json.loads(run_count({"ballots": str(ranked), "method": "irv"})[1])
    assert [i["ballot"] for i in out["invalid"]] == ["r1", "r2"]
    scored = tmp_path / "score.csv"
    scored.write_text("ballot,choices\ns1,A=4;B=x\ns2,A=1;B=2\ns3,A=1;A=2\n")
    out = json.loads(run_count({"ballots": str(scored), "method": "score"})[1])
    assert out["invalid"] == [{"ballot": "s1", "reason": "score 'x' for 'B' is not a number"},
                              {"ballot": "s3", "reason": "'A' is scored twice"}]
    assert out["winners"] == ["B"]
    single = tmp_path / "plurality.csv"
    single.write_text("ballot,choices\np1,A;B\np2,A\n")
    out = json.loads(run_count({"ballots": str(single), "method": "plurality"})[1])
    assert out["invalid"][0]["ballot"] == "p1"
    assert "2 options chosen" in out["invalid"][0]["reason"]


def test_a_missing_header_or_duplicate_id_stops_the_command_naming_the_line(tmp_path):
    headless = tmp_path / "headless.csv"
    headless.write_text("1,A>B\n")
    code, message = run_count({"ballots": str(headless), "method": "irv"})
    assert code == 2
    assert message.startswith(f"{headless}: line 1: missing header")
    twice = tmp_path / "twice.csv"
    twice.write_text("ballot,choices\n1,A\n2,B\n2,A\n")
    code, message = run_count({"ballots": str(twice), "method": "plurality"})
    assert code == 2
    assert "line 4: duplicate ballot id '2' (first on line 3)" in message


def test_options_seats_and_method_are_checked(tmp_path):
    path = _write(tmp_path, tennessee())
    assert run_count({"ballots": path, "method": "irv", "seats": 2})[0] == 2
    assert run_count({"ballots": path, "method": "stv", "seats": 0})[0] == 2
    assert run_count({"ballots": path, "method": "borda"})[0] == 2
    code, text = run_count({"ballots": path, "method": "stv", "seats": 2,
                            "options": "Memphis,Nashville,Chattanooga"})
    assert code == 0
    assert len(json.loads(text)["invalid"]) == 100
    code, message = run_count({"ballots": path, "method": "score", "max_score": "ten"})
    assert code == 2
    assert "--max-score" in message


def test_the_management_command_wraps_run_count(tmp_path, capsys):
    top_two = [Ballot(b.id, b.choices[:2]) for b in tennessee()]
    path = _write(tmp_path, top_two, joiner=";")
    call_command(Command(), ballots=path, method="approval", format="json")
    assert json.loads(capsys.readouterr().out)["winners"] == ["Nashville"]
    with pytest.raises(CommandError, match="irv elects one winner") as caught:
        call_command(Command(), ballots=path, method="irv", seats=2)
    assert caught.value.returncode == 2
