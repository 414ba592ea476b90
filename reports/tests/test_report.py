# SPDX-License-Identifier: GPL-2.0
import base64
import json
import os
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from conftest import CATALOGUE, MIN_CASE, record, write_campaign
from vmxcc_report import cli

REPORTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(argv, capsys=None):
    rc = cli.run(argv)
    return rc


def outputs(out):
    res = {}
    for ext in (".html", ".md", ".json", ".tap", ".kut.txt", ".junit.xml"):
        with open(os.path.join(out, "report" + ext), encoding="utf-8") as f:
            res[ext] = f.read()
    return res


class Page(HTMLParser):
    """Collects ids, image sources, table rows and external references."""

    def __init__(self):
        super().__init__()
        self.ids, self.imgs, self.external = set(), [], []
        self.rows, self._row, self._cell = {}, None, None
        self._table = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "table":
            self._table.append(a.get("id"))
            self.rows.setdefault(a.get("id"), [])
        if tag == "tr":
            self._row = []
        if tag in ("td", "th"):
            self._cell = ""
        if tag == "img":
            self.imgs.append(a)
        for k in ("src", "href"):
            v = a.get(k)
            if v and not v.startswith(("data:", "#")):
                self.external.append(v)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        if tag == "tr" and self._table:
            self.rows[self._table[-1]].append(self._row)
            self._row = None
        if tag == "table":
            self._table.pop()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def page(html):
    p = Page()
    p.feed(html)
    return p


@pytest.fixture
def report(nights, tmp_path):
    out = str(tmp_path / "out")
    assert run([nights[-1], "--out", out, "-q"]) == 0
    return outputs(out)


def test_html_has_buckets_coverage_plots_and_trend(report, nights):
    html = report[".html"]
    p = page(html)
    # Both buckets, with model vs observed, SDM sections and minimized case.
    assert {"bucket-a1b2c3d4e5f60718", "bucket-0f0e0d0c0b0a0908"} <= p.ids
    assert "{vmfail(7), vmfail(8)}" in html
    assert "26.2.2 Checks on Host Control Registers and MSRs" in html
    assert "# minimized by vmxcc minimize" in html
    assert "minimized/a1b2c3d4e5f60718.vmcs" in html
    assert "bochs: VMenterLoadCheckGuestState accepted TR type 9" in html
    # Coverage matrix: one row per catalogue id, grouped under sections.
    rows = p.rows["coverage-matrix"]
    ids = [r[0] for r in rows if len(r) == 4]
    assert ids[1:] == [c["id"] for c in CATALOGUE]
    row = {r[0]: r for r in rows if len(r) == 4}
    assert row["CTL_EXEC_PIN_RSVD"][1:3] == ["5,000", "355,000"]
    assert row["GST_ACT_BLOCKING_NOT_ACTIVE"][1:3] == ["0", "0"]
    assert ["26.1 Basic VM-Entry Checks \u2014 1/1 failing, 1/1 passing"] in rows
    # Three plots, each a real PNG inlined as base64.
    assert {"plot-coverage-over-time", "plot-coverage-by-section",
            "plot-trend"} <= p.ids
    for img in p.imgs:
        assert img["src"].startswith("data:image/png;base64,")
        png = base64.b64decode(img["src"].split(",", 1)[1])
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    # Trend: the two earlier sibling nights were discovered, oldest first.
    trend = p.rows["trend-table"][1:]
    assert [r[0] for r in trend] == ["2026-11-%dT01:00:00Z" % d
                                     for d in (22, 23, 24)]
    assert [r[4] for r in trend] == ["1", "2", "3"]
    # Self-contained: nothing fetched from anywhere.
    assert p.external == []
    assert "torn last line" in html
    assert "comparison-table" not in p.ids     # one back end only


def test_json_summary(report):
    j = json.loads(report[".json"])
    s = j["summary"]
    assert (s["divergences"], s["buckets"], s["execs"]) == (3, 2, 360000)
    assert [b["signature"] for b in j["buckets"]] == [
        "a1b2c3d4e5f60718", "0f0e0d0c0b0a0908"]     # biggest first
    b = j["buckets"][1]
    assert [c["id"] for c in b["failing_checks"]] == [
        "CTL_EXEC_PIN_RSVD", "HST_CR0_FIXED"]
    assert b["field_diff"] == [["GUEST_TR_AR_BYTES", "0x8089"]]
    assert "case_text" not in b
    cov = j["coverage"]
    assert (cov["ids"], cov["failed_ids"], cov["passed_ids"],
            cov["not_exercised"]) == (6, 3, 3, 2)
    assert len(j["trend"]) == 3
    assert any("torn last line" in w for w in j["warnings"])


def test_markdown(report):
    md = report[".md"]
    assert md.startswith("# vmxcc campaign `nightly`")
    assert "| Divergences | 3 record(s) in 2 bucket(s): 2 new in 2 cluster(s), 0 known in 0 group(s) |" in md
    assert "- `a1b2c3d4e5f60718`: 2; observed `entered`" in md
    assert "| 26.3.1.2 Checks on Guest Segment Registers | 1 | 1 | 0 |" in md
    assert "## Trend across nights" in md


def test_tap_kut_and_junit(report):
    tap = report[".tap"].splitlines()
    assert tap[:2] == ["TAP version 13", "1..4"]
    plan = [ln for ln in tap if ln.startswith(("ok ", "not ok "))]
    assert plan == ["ok 1 - campaign nightly ran",
                    "ok 2 - no back-end errors",
                    "not ok 3 - bucket a1b2c3d4e5f60718 bochs:tigerlake",
                    "not ok 4 - bucket 0f0e0d0c0b0a0908 bochs:tigerlake"]
    assert "  ---" in tap and "  ..." in tap
    kut = report[".kut.txt"].splitlines()
    assert kut[0] == "PASS: campaign nightly ran (360000 execs)"
    assert kut[2].startswith("FAIL: bucket a1b2c3d4e5f60718 bochs:tigerlake "
                             "(model {exit(33,qual=0)}, bochs:tigerlake "
                             "observed entered; checks: GST_TR_TYPE")
    assert kut[-1] == "SUMMARY: 4 tests, 2 unexpected failures"
    root = ET.fromstring(report[".junit.xml"])
    ts = root.find("testsuite")
    assert (ts.get("tests"), ts.get("failures")) == ("4", "2")
    fails = [tc.get("name") for tc in ts.iter("testcase")
             if tc.find("failure") is not None]
    assert fails == ["bucket a1b2c3d4e5f60718 bochs:tigerlake",
                     "bucket 0f0e0d0c0b0a0908 bochs:tigerlake"]


def test_clean_campaign_and_fail_on_divergence(nights, tmp_path):
    clean = write_campaign(str(tmp_path / "clean"), name="clean", records=(),
                           torn=False)
    out = str(tmp_path / "o1")
    assert run([clean, "--out", out, "-q", "--fail-on-divergence"]) == 0
    r = outputs(out)
    assert 'id="no-buckets"' in r[".html"]
    assert r[".kut.txt"].splitlines()[-1] == "SUMMARY: 3 tests"
    assert "warnings" not in page(r[".html"]).ids
    assert run([nights[-1], "--out", str(tmp_path / "o2"), "-q",
                "--fail-on-divergence"]) == 1


def test_backend_errors_fail(tmp_path):
    d = write_campaign(str(tmp_path / "c"), records=(), torn=False)
    with open(os.path.join(d, "summary.json")) as f:
        s = json.load(f)
    s["backend_errors"] = 3
    with open(os.path.join(d, "summary.json"), "w") as f:
        json.dump(s, f)
    assert run([d, "--out", str(tmp_path / "o"), "-q",
                "--fail-on-divergence"]) == 1
    kut = outputs(str(tmp_path / "o"))[".kut.txt"]
    assert "FAIL: no back-end errors (3 back-end error(s))" in kut


def test_records_only_when_summary_missing(tmp_path, capsys):
    d = write_campaign(str(tmp_path / "killed"), summary=False,
                       records=[record("a1b2c3d4e5f60718",
                                       checks=["GST_TR_TYPE"])])
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    err = capsys.readouterr().err
    assert "summary.json: missing" in err and "torn last line" in err
    j = json.loads(outputs(out)[".json"])
    assert j["summary"]["summary_present"] is False
    assert j["summary"]["backend"] == "bochs:tigerlake"
    assert j["buckets"][0]["case_source"] == "first record (not minimized)"
    assert "GUEST_TR_AR_BYTES = 0x8089" in outputs(out)[".html"]


@pytest.mark.parametrize("member,value,msg", [
    ("execs", "many", "member execs: expected int, got str"),
    ("coverage", {"X": 3}, "member coverage.X"),
    ("coverage_over_time", [[1, 2]], "member coverage_over_time[0]"),
    ("buckets", [{"count": 1}], "member buckets[0]"),
])
def test_malformed_summary_is_an_error_naming_the_member(tmp_path, capsys,
                                                         member, value, msg):
    d = write_campaign(str(tmp_path / "c"), records=())
    p = os.path.join(d, "summary.json")
    with open(p) as f:
        s = json.load(f)
    s[member] = value
    with open(p, "w") as f:
        json.dump(s, f)
    assert run([d, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "%s: %s" % (p, msg) in err


def test_not_a_campaign_dir(tmp_path, capsys):
    assert run([str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "not a campaign directory" in capsys.readouterr().err


def test_without_catalogue_ids_only(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VMXCC", str(tmp_path / "no-such-binary"))
    monkeypatch.setenv("VMXCC_BUILD", str(tmp_path / "no-build"))
    monkeypatch.setattr("vmxcc_report.catalogue.find_vmxcc",
                        lambda explicit=None: None)
    d = write_campaign(str(tmp_path / "c"), catalogue=False,
                       records=[record("a1b2c3d4e5f60718",
                                       checks=["GST_TR_TYPE"])])
    out = str(tmp_path / "o")
    assert run([d, "--out", out, "--no-history"]) == 0
    assert "catalogue: none available" in capsys.readouterr().err
    r = outputs(out)
    j = json.loads(r[".json"])
    assert j["summary"]["catalogue"] == "none"
    assert [sec["section"] for sec in j["coverage"]["sections"]] == [
        "(section unknown: no catalogue)"]
    assert j["coverage"]["ids"] == 4 and j["coverage"]["unknown_ids"] == []
    assert 'class="unknown"' not in r[".html"]


def test_catalogue_from_vmxcc_checks_json(tmp_path):
    fake = tmp_path / "vmxcc"
    fake.write_text("#!/bin/sh\n[ \"$1 $2\" = 'checks --json' ] || exit 2\n"
                    "cat <<'EOF'\n%s\nEOF\n" % json.dumps(CATALOGUE[:2]))
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    d = write_campaign(str(tmp_path / "c"), catalogue=False,
                       records=[record("a1b2c3d4e5f60718",
                                       checks=["GST_TR_TYPE"])])
    out = str(tmp_path / "o")
    assert run([d, "--out", out, "-q", "--vmxcc", str(fake)]) == 0
    j = json.loads(outputs(out)[".json"])
    assert j["summary"]["catalogue"] == "%s checks --json" % fake
    # Ids the catalogue lacks are kept and flagged, never dropped.
    assert j["coverage"]["unknown_ids"] == ["CTL_EXEC_VPID_NONZERO",
                                            "GST_TR_TYPE"]
    assert j["buckets"][0]["failing_checks"][0]["known"] is False
    assert j["coverage"]["sections"][-1]["section"] == \
        "(not in the catalogue)"
    assert 'class="unknown"' in outputs(out)[".html"]


def test_backend_comparison(nights, tmp_path):
    kvm = write_campaign(
        str(tmp_path / "kvm" / "2026-11-24"), backend="kvm", profile="host",
        records=[record("9999999999999999", backend="kvm", profile="host",
                        checks=["GST_TR_TYPE"], model="{exit(33,qual=0)}",
                        observed="exit(33,qual=3)")])
    out = str(tmp_path / "o")
    assert run([nights[-1], "--compare", kvm, "--out", out, "-q",
                "--no-history"]) == 0
    r = outputs(out)
    p = page(r[".html"])
    assert "comparison-table" in p.ids and "trend" not in p.ids
    rows = p.rows["comparison-table"][1:]
    assert [r_[:5] for r_ in rows] == [
        ["bochs:tigerlake", "tigerlake", "360,000", "3", "2"],
        ["kvm", "host", "360,000", "1", "1"]]
    m = {(r_[0], r_[1]): r_[2:] for r_ in p.rows["comparison-matrix"][1:]}
    assert m[("{exit(33,qual=0)}", "GST_TR_TYPE")] == [
        "entered \u00d72", "exit(33,qual=3) \u00d71"]
    assert m[("{vmfail(7), vmfail(8)}",
              "CTL_EXEC_PIN_RSVD, HST_CR0_FIXED")] == [
        "exit(33,qual=0) \u00d71", "agrees"]
    assert "## Back-end / profile comparison" in r[".md"]


def test_explicit_history_and_html_out_name(nights, tmp_path):
    out = str(tmp_path / "site" / "tonight.html")
    assert run([nights[-1], "--history", nights[0], "--out", out, "-q"]) == 0
    with open(str(tmp_path / "site" / "tonight.json")) as f:
        j = json.load(f)
    assert [n["dir"] for n in j["trend"]] == [nights[0], nights[-1]]
    assert os.path.exists(str(tmp_path / "site" / "tonight.tap"))


def test_effective_diff_and_null_baseline(tmp_path):
    d = write_campaign(str(tmp_path / "c"), records=[
        record("a1b2c3d4e5f60718", baseline=None,
               effective_diff={"VIRTUAL_APIC_PAGE_ADDR": "0x7000"})])
    out = str(tmp_path / "o")
    assert run([d, "--out", out, "-q"]) == 0
    r = outputs(out)
    assert "against baseline <code>n/a</code>" in r[".html"]
    assert "<code>VIRTUAL_APIC_PAGE_ADDR</code></td><td><code>0x7000" \
        in r[".html"]
    j = json.loads(r[".json"])
    assert j["buckets"][0]["effective_diff"] == [
        ["VIRTUAL_APIC_PAGE_ADDR", "0x7000"]]


def test_html_escapes_record_text(tmp_path):
    d = write_campaign(str(tmp_path / "c"), records=[
        record("a1b2c3d4e5f60718", triage="<script>alert(1)</script>",
               case="<b>x</b>")], buckets=[])
    out = str(tmp_path / "o")
    assert run([d, "--out", out, "-q"]) == 0
    html = outputs(out)[".html"]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_minimized_path_outside_campaign_is_not_embedded(tmp_path):
    secret = tmp_path / "secret.vmcs"
    secret.write_text("SECRET")
    d = write_campaign(str(tmp_path / "c"), records=[
        record("a1b2c3d4e5f60718")], buckets=[
        {"signature": "a1b2c3d4e5f60718", "count": 1,
         "minimized": "../secret.vmcs"}])
    out = str(tmp_path / "o")
    assert run([d, "--out", out, "-q"]) == 0
    r = outputs(out)
    assert "SECRET" not in r[".html"]
    assert "outside the campaign directory" in r[".html"]


def test_cli_module_entry_point(nights, tmp_path):
    """The documented command line, in a fresh interpreter."""
    out = str(tmp_path / "o")
    env = dict(os.environ, PYTHONPATH=REPORTS)
    p = subprocess.run([sys.executable, "-m", "vmxcc_report", nights[-1],
                        "--out", out], capture_output=True, text=True,
                       env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[-1] == "HTML report: %s" % os.path.join(
        out, "report.html")
    assert "records.jsonl:4: skipped: torn last line" in p.stderr
    assert MIN_CASE.splitlines()[0] in outputs(out)[".html"]
