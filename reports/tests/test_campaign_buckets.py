# SPDX-License-Identifier: GPL-2.0
"""Buckets as the campaign driver writes them since the batch engine:
min_field_diff as {FIELD: value} (and a wrong type is a warning, not a
crash), a few records kept per bucket ("records" <= "count"), known
deviations apart from the new divergences, pending minimization."""
import json
import os

from conftest import record, write_campaign
from test_report import outputs, page, run


def campaign(tmp_path, buckets, recs):
    return write_campaign(str(tmp_path / "c"), records=recs, buckets=buckets,
                          torn=False)


def test_min_field_diff_of_wrong_type_warns_and_uses_first_record(
        tmp_path, capsys):
    # The campaign once wrote the number of differences here (an int).
    d = campaign(tmp_path, [{"signature": "a1b2c3d4e5f60718", "count": 1,
                             "min_field_diff": 2}],
                 [record("a1b2c3d4e5f60718", checks=["GST_TR_TYPE"])])
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    err = capsys.readouterr().err
    assert ("bucket a1b2c3d4e5f60718: summary.json member min_field_diff is "
            "int, expected {FIELD: value}") in err
    j = json.loads(outputs(out)[".json"])
    b = j["buckets"][0]
    assert b["field_diff"] == [["GUEST_TR_AR_BYTES", "0x8089"]]
    assert b["field_diff_source"] == "first record"


def test_min_field_diff_dict_from_the_minimized_case(tmp_path):
    d = campaign(tmp_path, [{"signature": "a1b2c3d4e5f60718", "count": 1,
                             "min_field_diff": {"GUEST_TR_AR_BYTES": "0x8b",
                                                "GUEST_RIP": "0x6000"}}],
                 [record("a1b2c3d4e5f60718")])
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    b = json.loads(outputs(out)[".json"])["buckets"][0]
    assert b["field_diff"] == [["GUEST_RIP", "0x6000"],
                               ["GUEST_TR_AR_BYTES", "0x8b"]]
    assert b["field_diff_source"] == "minimized"


def test_known_deviations_apart_and_new_first(tmp_path, capsys):
    recs = [record("1111111111111111", checks=["GST_TR_TYPE"], known=True),
            record("2222222222222222", checks=["CTL_EXEC_PIN_RSVD"])]
    # The known bucket is far bigger, yet the new one comes first; the
    # campaign keeps 1 record of the known bucket's 5000 divergences.
    d = campaign(tmp_path, [
        {"signature": "1111111111111111", "count": 5000, "records": 1,
         "known": True},
        {"signature": "2222222222222222", "count": 3, "records": 1,
         "known": False, "pending_minimization": True}], recs)
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    assert "records.jsonl holds" not in capsys.readouterr().err
    o = outputs(out)
    j = json.loads(o[".json"])
    assert [(b["signature"], b["known"]) for b in j["buckets"]] == [
        ("2222222222222222", False), ("1111111111111111", True)]
    assert (j["summary"]["new_buckets"], j["summary"]["known_buckets"]) == (1, 1)
    assert j["buckets"][0]["pending_minimization"] is True
    p = page(o[".html"])
    assert "known-buckets" in p.ids and "bucket-1111111111111111" in p.ids
    html = o[".html"]
    assert html.index('id="bucket-2222222222222222"') < html.index(
        'id="known-buckets"') < html.index('id="bucket-1111111111111111"')
    assert "1 new, 1 known deviation(s)" in html
    # A known deviation is an expected failure for TAP, not a failure.
    assert "not ok 4 - bucket 1111111111111111 bochs:tigerlake # TODO" in o[".tap"]
    assert "not ok 3 - bucket 2222222222222222" in o[".tap"]


def test_known_from_records_without_summary(tmp_path):
    d = write_campaign(str(tmp_path / "c"), summary=False, torn=False,
                       records=[record("1111111111111111", known=True)])
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    j = json.loads(outputs(out)[".json"])
    assert j["buckets"][0]["known"] is True


def test_records_fewer_than_summary_records_warns(tmp_path, capsys):
    d = campaign(tmp_path, [{"signature": "a1b2c3d4e5f60718", "count": 900,
                             "records": 2}],
                 [record("a1b2c3d4e5f60718")])
    assert run([d, "--out", str(tmp_path / "o")]) == 0
    assert ("bucket a1b2c3d4e5f60718: summary.json says 2 record(s), "
            "records.jsonl holds 1") in capsys.readouterr().err
