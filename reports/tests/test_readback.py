# SPDX-License-Identifier: GPL-2.0
"""Read-back in the report: records carrying "readback" (unexpected
differences, corrected image), "unstable" and "rerun_error", and the
summary's read-back counts (docs/reports.md "Read-back and unstable
records").  An unstable divergence is not a confirmed finding: listed
apart, never a plain failure in TAP/kut/JUnit."""
import json
import os
import xml.etree.ElementTree as ET

import pytest

from conftest import (RERUN_ERROR, readback_records, readback_summary_member,
                      record, write_campaign, write_readback_campaign)
from test_report import outputs, page, run


@pytest.fixture
def rb_report(tmp_path, capsys):
    d = write_readback_campaign(str(tmp_path / "c"))
    out = str(tmp_path / "o")
    assert run([d, "--out", out, "--no-history"]) == 0
    o = outputs(out)
    o["stderr"] = capsys.readouterr().err
    return o


def test_json_counts_and_buckets(rb_report):
    assert "readback" not in rb_report["stderr"]      # summary agrees
    j = json.loads(rb_report[".json"])
    rb = j["readback"]
    assert {k: rb[k] for k in ("records", "unexpected", "corrected",
                               "unstable", "rerun_error", "total",
                               "buckets_unexpected", "buckets_unstable")} == {
        "records": 4, "unexpected": 2, "corrected": 3, "unstable": 3,
        "rerun_error": 1, "total": 8, "buckets_unexpected": 1,
        "buckets_unstable": 1}
    assert rb["present"] is True and rb["available"] is True
    assert rb["fields"] == [{"field": "HOST_RSP", "records": 2, "buckets": 1,
                             "pairs": [["0x1000", "0x0"]],
                             "signatures": ["aaaaaaaaaaaaaaaa"]}]
    assert rb["rerun_errors"] == [[RERUN_ERROR, 1]]
    s = j["summary"]
    # B is unstable: not a new divergence, not in a cluster.
    assert (s["new_buckets"], s["unstable_buckets"], s["known_buckets"]) == (
        3, 1, 1)
    clustered = {sig for c in j["clusters"] for sig in c["buckets"]}
    assert clustered == {"aaaaaaaaaaaaaaaa", "cccccccccccccccc",
                         "dddddddddddddddd"}
    b = {x["signature"]: x for x in j["buckets"]}
    a = b["aaaaaaaaaaaaaaaa"]["readback"]
    assert a["differences"] == [{"field": "HOST_RSP", "written": "0x1000",
                                 "read": "0x0", "records": 2}]
    assert (a["substituted"], a["model_as_written"]) == (["HOST_RSP"],
                                                         "{entered}")
    assert b["bbbbbbbbbbbbbbbb"]["unstable"] is True
    assert b["cccccccccccccccc"]["unstable"] is False
    assert b["cccccccccccccccc"]["readback"]["unstable"] == 1
    u = j["unstable"]
    assert u["buckets"] == ["bbbbbbbbbbbbbbbb"] and u["total"] == 3
    assert [(r["signature"], r["rerun_observed"], r["confirmed"])
            for r in u["records"]] == [
        ("bbbbbbbbbbbbbbbb", "exit(33,qual=0)", False),
        ("bbbbbbbbbbbbbbbb", "exit(33,qual=0)", False),
        ("cccccccccccccccc", "vmfail(7)", True)]


def test_html_readback_section_and_unstable_apart(rb_report):
    html = rb_report[".html"]
    p = page(html)
    assert {"readback", "readback-summary", "readback-fields", "unstable",
            "unstable-records"} <= p.ids
    assert p.rows["readback-fields"][1] == [
        "HOST_RSP", "2", "1", "0x1000\u21920x0", "aaaaaaaaaaaaaaaa"]
    rows = {r[0]: r[1:] for r in p.rows["readback-summary"]}
    assert rows["Unexpected differences"] == ["2 record(s) in 1 bucket(s)"]
    assert rows["Unstable"] == [
        "3 record(s), 1 bucket(s) never confirmed (listed apart)"]
    assert rows["Re-run errors"][0].startswith("1; " + RERUN_ERROR)
    # The unstable records, apart, saying they are not confirmed.
    assert "Not confirmed findings." in html
    ur = p.rows["unstable-records"][1:]
    assert [(r[0], r[3], r[6]) for r in ur] == [
        ("bbbbbbbbbbbbbbbb", "exit(33,qual=0) (agree)", "never confirmed"),
        ("bbbbbbbbbbbbbbbb", "exit(33,qual=0) (agree)", "never confirmed"),
        ("cccccccccccccccc", "vmfail(7) (agree)",
         "bucket confirmed by other records")]
    # B is shown there only: its anchor is its first unstable row, and it
    # is in no cluster of new divergences.
    assert html.count('id="bucket-bbbbbbbbbbbbbbbb"') == 1
    assert html.index('id="bucket-bbbbbbbbbbbbbbbb"') > html.index(
        'id="unstable-records"')
    # Per-bucket detail: what was read back, written against read.
    a = html[html.index('id="bucket-aaaaaaaaaaaaaaaa"'):]
    a = a[:a.index('<h3>Case')]
    assert "(read-back finding)" in a
    assert ('<tr><td><code>HOST_RSP</code></td><td><code>0x1000</code></td>'
            '<td><code class="bad">0x0</code></td><td class="n">2</td></tr>'
            ) in a
    assert "Judged on the read-back-corrected image: failed attempt " \
        "(vmfail(8))" in a
    assert "allows <code>{entered}</code>" in a
    c = html[html.index('id="bucket-cccccccccccccccc"'):]
    assert "1 of 2 record(s) unstable" in c[:c.index("<h3>Case")]
    assert "The bucket's other records reproduced." in c
    d = html[html.index('id="bucket-dddddddddddddddd"'):]
    assert ("1 record(s) without read-back, the re-run failed: <code>%s"
            "</code> (1)" % RERUN_ERROR) in d[:d.index("<h3>Case")]
    assert ("3 new (in 3 cluster(s)), 1 unstable (not confirmed), "
            "1 known deviation(s)") in html
    assert "New divergences (3 bucket(s) in 3 cluster(s)" in html
    assert p.external == []


def test_markdown_readback_and_unstable(rb_report):
    md = rb_report[".md"]
    assert ("| Read-back | 4 of 8 record(s) read back: 2 with unexpected "
            "differences in 1 bucket(s), 3 judged corrected; 3 unstable "
            "(1 bucket(s) never confirmed); 1 re-run error(s) |") in md
    assert "3 new in 3 cluster(s), 1 unstable (not confirmed), 1 known" in md
    assert "## Read-back\n" in md
    assert "| `HOST_RSP` | 2 | 1 | `0x1000` → `0x0` |" in md
    assert "## Unstable divergences, not confirmed (3 record(s); " \
        "1 new bucket(s) never confirmed)" in md
    assert "Not a confirmed finding" in md
    assert ("| `bbbbbbbbbbbbbbbb` | `{exit(33,qual=0)}` | `vmfail(8)` | "
            "`exit(33,qual=0)` (agree) | GST_TR_TYPE | never confirmed |"
            ) in md
    # Per bucket: the read-back difference, one bullet per line.
    line = next(ln for ln in md.splitlines()
                if ln.startswith("- `aaaaaaaaaaaaaaaa`"))
    assert line.endswith("; read back `HOST_RSP` written `0x1000` read "
                         "`0x0`; judged on the read-back-corrected image "
                         "(model as written `{entered}`)")
    assert "- `bbbbbbbbbbbbbbbb`" not in md


def test_tap_kut_junit_unstable_is_not_a_failure(rb_report):
    tap = [ln for ln in rb_report[".tap"].splitlines()
           if ln.startswith(("ok ", "not ok "))]
    assert tap[2] == "not ok 3 - read-back re-runs"
    assert ("not ok 5 - bucket bbbbbbbbbbbbbbbb bochs:tigerlake # TODO "
            "unstable: not reproduced: bochs:tigerlake observed vmfail(8), "
            "re-run exit(33,qual=0) (agree); model {exit(33,qual=0)}; "
            "checks: GST_TR_TYPE; count 20") in tap
    plain = [ln for ln in tap
             if ln.startswith("not ok") and "# TODO" not in ln]
    assert [ln.split(" - ")[1] for ln in plain] == [
        "read-back re-runs",
        "bucket aaaaaaaaaaaaaaaa bochs:tigerlake",
        "bucket cccccccccccccccc bochs:tigerlake",
        "bucket dddddddddddddddd bochs:tigerlake"]
    text = rb_report[".tap"]
    assert ("read back HOST_RSP written 0x1000 read 0x0; judged on the "
            "read-back-corrected image") in text
    assert "1 record(s) unstable" in text       # C: confirmed, yet noted
    kut = rb_report[".kut.txt"].splitlines()
    assert ("XFAIL: bucket bbbbbbbbbbbbbbbb bochs:tigerlake (unstable: not "
            "reproduced: ") in "\n".join(kut)
    assert kut[2].startswith("FAIL: read-back re-runs (1 record(s) kept "
                             "without read-back: " + RERUN_ERROR)
    assert kut[-1] == ("SUMMARY: 8 tests, 4 unexpected failures, "
                       "2 expected failures")
    ts = ET.fromstring(rb_report[".junit.xml"]).find("testsuite")
    assert (ts.get("tests"), ts.get("failures"), ts.get("skipped")) == (
        "8", "4", "2")
    tc = {t.get("name"): t for t in ts.iter("testcase")}
    sk = tc["bucket bbbbbbbbbbbbbbbb bochs:tigerlake"].find("skipped")
    assert sk.get("message").startswith("unstable, not a confirmed failure: "
                                        "not reproduced")
    assert tc["bucket bbbbbbbbbbbbbbbb bochs:tigerlake"].find(
        "failure") is None


def test_only_unstable_does_not_fail_on_divergence(tmp_path):
    recs = [r for r in readback_records()
            if r["signature"] == "bbbbbbbbbbbbbbbb"]
    d = write_campaign(str(tmp_path / "c"), records=recs, torn=False)
    out = str(tmp_path / "o")
    assert run([d, "--out", out, "-q", "--fail-on-divergence"]) == 0
    o = outputs(out)
    assert "ok 3 - read-back re-runs" in o[".tap"]
    assert 'id="no-new-buckets"' not in o[".html"]
    assert ("No confirmed new divergence: 1 unstable bucket(s) below"
            in o[".html"])
    assert "New divergences (0 bucket(s) in 0 cluster(s)" in o[".html"]
    assert page(o[".html"]).rows["unstable-records"][1][6] == \
        "never confirmed"
    # One stable record more in another bucket: that one fails the run.
    recs.append(record("1212121212121212", checks=["GST_TR_TYPE"]))
    d2 = write_campaign(str(tmp_path / "c2"), records=recs, torn=False)
    assert run([d2, "--out", str(tmp_path / "o2"), "-q",
                "--fail-on-divergence"]) == 1


def test_old_summary_and_records_without_readback(nights, tmp_path):
    """Campaigns from before read-back: no section, no TAP point, the
    summary row says it was not recorded."""
    out = str(tmp_path / "o")
    assert run([nights[-1], "--out", out, "-q", "--no-history"]) == 0
    o = outputs(out)
    p = page(o[".html"])
    assert "readback" not in p.ids and "unstable" not in p.ids
    assert "read-back re-runs" not in o[".tap"]
    assert "| Read-back | not recorded |" in o[".md"]
    j = json.loads(o[".json"])
    assert j["readback"]["present"] is False
    assert j["readback"]["available"] is None


def test_old_summary_new_records_counts_from_records(tmp_path, capsys):
    d = write_readback_campaign(str(tmp_path / "c"), summary_readback=False)
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    assert "readback" not in capsys.readouterr().err
    j = json.loads(outputs(out)[".json"])
    assert (j["readback"]["unexpected"], j["readback"]["unstable"],
            j["readback"]["available"]) == (2, 3, None)
    assert j["summary"]["unstable_buckets"] == 1


def test_summary_counts_disagreeing_with_records_warn(tmp_path, capsys):
    d = write_readback_campaign(str(tmp_path / "c"))
    p = os.path.join(d, "summary.json")
    with open(p) as f:
        s = json.load(f)
    s["readback"] = readback_summary_member(unstable=5,
                                            fields={"HOST_RSP": 9})
    s["buckets"][0]["readback"]["corrected"] = 1
    with open(p, "w") as f:
        json.dump(s, f)
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    err = capsys.readouterr().err
    assert ("summary.json readback: unstable = 5, records.jsonl has 3; "
            "fields = {'HOST_RSP': 9}, records.jsonl has {'HOST_RSP': 2}"
            ) in err
    assert ("bucket %s: summary.json readback: corrected = 1, records.jsonl "
            "has 2" % s["buckets"][0]["signature"]) in err
    # The report shows what the records say.
    assert json.loads(outputs(out)[".json"])["readback"]["unstable"] == 3


def test_back_end_without_readback_skips_the_rerun_point(tmp_path):
    d = write_campaign(str(tmp_path / "c"), torn=False,
                       records=[record("a1b2c3d4e5f60718")])
    p = os.path.join(d, "summary.json")
    with open(p) as f:
        s = json.load(f)
    s["readback"] = readback_summary_member(
        available=False, records=0, unexpected=0, corrected=0, unstable=0,
        rerun_error=0, fields={}, buckets_unexpected=0, buckets_unstable=0)
    with open(p, "w") as f:
        json.dump(s, f)
    out = str(tmp_path / "o")
    assert run([d, "--out", out, "-q"]) == 0
    o = outputs(out)
    assert ("ok 3 - read-back re-runs # SKIP the back end cannot read back"
            in o[".tap"])
    assert "(the back end cannot read back)" in o[".html"]
    assert 'id="no-readback-findings"' in o[".html"]


@pytest.mark.parametrize("where,value,msg", [
    ("readback", [1], "member readback: expected dict, got list"),
    ("readback.unstable", "3", "member readback.unstable: expected a count"),
    ("readback.available", 1,
     "member readback.available: expected true/false"),
    ("readback.fields", ["HOST_RSP"],
     "member readback.fields: expected {FIELD: records}"),
    ("buckets.0.readback.fields", {"HOST_RSP": 1},
     "member buckets[0].readback.fields: expected [FIELD, ...]"),
    ("buckets.0.readback.records", -1,
     "member buckets[0].readback.records: expected a count, got -1"),
])
def test_malformed_readback_summary_is_an_error(tmp_path, capsys, where,
                                                value, msg):
    d = write_readback_campaign(str(tmp_path / "c"))
    p = os.path.join(d, "summary.json")
    with open(p) as f:
        s = json.load(f)
    o, path = s, where.split(".")
    for k in path[:-1]:
        o = o[int(k)] if k.isdigit() else o[k]
    o[path[-1]] = value
    with open(p, "w") as f:
        json.dump(s, f)
    assert run([d, "--out", str(tmp_path / "o")]) == 2
    assert "%s: %s" % (p, msg) in capsys.readouterr().err


@pytest.mark.parametrize("extra,msg", [
    ({"readback": {"unexpected": [{"field": "HOST_RSP", "written": "0x1"}]}},
     "field readback.unexpected[0] is not"),
    ({"readback": {"unexpected": [], "corrected": "yes"}},
     "field readback.corrected is not true/false"),
    ({"unstable": "yes"}, "field unstable is not an object"),
    ({"unstable": {"observed": "entered", "readback": []}},
     "field unstable.readback is not an object"),
    ({"rerun_error": 3}, "field rerun_error is not a string"),
])
def test_malformed_readback_record_is_skipped_naming_line(tmp_path, capsys,
                                                          extra, msg):
    d = write_campaign(str(tmp_path / "c"), torn=False, records=[
        record("a1b2c3d4e5f60718"), record("0f0e0d0c0b0a0908", **extra)])
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    err = capsys.readouterr().err
    assert "records.jsonl:2: skipped: " + msg in err
    j = json.loads(outputs(out)[".json"])
    assert j["summary"]["divergences"] == 1
