"""`chapterhouse count --method consent`: a proposal counted from paper ballots."""

import json

from chapterhouse.decisions.management.commands.count import run_count


def write(tmp_path, rows):
    path = tmp_path / "positions.csv"
    path.write_text("ballot,choices\n" + "\n".join(rows) + "\n")
    return str(path)


def test_a_proposal_passes_with_agreement_and_no_block(tmp_path):
    path = write(tmp_path, ["1,agree", "2,Agree", "3,abstain", "4,disagree"])
    code, text = run_count({"ballots": path, "method": "consent", "eligible": 6,
                            "quorum": "1/2", "threshold": "2/3"})
    out = json.loads(text)
    assert code == 0
    assert out["passed"]
    assert out["winners"] == ["agree"]
    assert out["counts"] == {"agree": 2, "abstain": 1, "disagree": 1, "block": 0}
    assert out["rounds"][0]["tallies"] == out["counts"]
    assert out["support"] == 0.666667
    assert out["quorum_met"]


def test_a_block_stops_it_and_unknown_positions_are_reported_by_id(tmp_path):
    path = write(tmp_path, ["a,agree", "b,block", "c,maybe", "d,agree;block"])
    code, text = run_count({"ballots": path, "method": "consent"})
    out = json.loads(text)
    assert code == 0
    assert not out["passed"]
    assert [i["ballot"] for i in out["invalid"]] == ["c", "d"]
    assert "1 block;" in out["reasons"][0]


def test_table_output_and_bad_shares(tmp_path):
    path = write(tmp_path, ["1,agree"])
    code, text = run_count({"ballots": path, "method": "consent", "format": "table"})
    assert code == 0
    assert "Passed: yes" in text
    code, text = run_count({"ballots": path, "method": "consent", "threshold": "most"})
    assert code == 2
    assert "not a share" in text
    code, text = run_count({"ballots": path, "method": "consent", "eligible": 0})
    assert code == 2
