# SPDX-License-Identifier: GPL-2.0
import json

from conftest import record
from vmxcc_report.records import read_records


def _read(path):
    warnings = []
    return read_records(str(path), warnings.append), warnings


def test_torn_last_line_is_skipped_with_warning(tmp_path):
    p = tmp_path / "records.jsonl"
    p.write_text(json.dumps(record("1111111111111111")) + "\n" +
                 json.dumps(record("2222222222222222")) + "\n" +
                 '{"v":1,"signature":"33')
    recs, warns = _read(p)
    assert [r["signature"] for r in recs] == ["1111111111111111",
                                              "2222222222222222"]
    assert len(warns) == 1
    assert "%s:3: skipped: torn last line" % p in warns[0]


def test_complete_json_without_newline_is_still_torn(tmp_path):
    # The writer appends "object\n" atomically; a last line without its
    # newline was cut short, even if it happens to parse.
    p = tmp_path / "records.jsonl"
    p.write_text(json.dumps(record("1111111111111111")))
    recs, warns = _read(p)
    assert recs == [] and "torn last line" in warns[0]


def test_bad_lines_in_the_middle_name_file_and_line(tmp_path):
    p = tmp_path / "records.jsonl"
    good = json.dumps(record("1111111111111111"))
    no_sig = record("x")
    del no_sig["signature"]
    p.write_text("\n".join([good, "{not json", "[1, 2]", json.dumps(no_sig),
                            json.dumps(record("2", failing_checks="X")),
                            "", good]) + "\n")
    recs, warns = _read(p)
    assert len(recs) == 2
    assert [w.split(": skipped: ")[0] for w in warns] == [
        "%s:%d" % (p, n) for n in (2, 3, 4, 5)]
    assert "not JSON, torn or corrupt" in warns[0]
    assert "not a JSON object" in warns[1]
    assert "signature" in warns[2]
    assert "failing_checks" in warns[3]
    assert recs[1].where == "%s:7" % p


def test_missing_file_is_empty_and_clean_file_has_no_warning(tmp_path):
    assert _read(tmp_path / "nope.jsonl") == ([], [])
    p = tmp_path / "records.jsonl"
    p.write_text(json.dumps(record("1111111111111111")) + "\n")
    recs, warns = _read(p)
    assert len(recs) == 1 and warns == []
    assert recs[0].failing_checks == []
