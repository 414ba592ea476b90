# SPDX-License-Identifier: GPL-2.0
"""Records written by the real vmxcc (replay --records against Bochs) make
a report with the real catalogue: keeps the report in step with
docs/records.md and `vmxcc checks --json`.  Skipped, with the reason, when
no vmxcc binary is built or its Bochs back end cannot run here."""

import json
import os
import subprocess

import pytest

from vmxcc_report import cli

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
VMXCC = os.environ.get("VMXCC") or os.path.join(TOP, "build", "harness",
                                                "vmxcc")

pytestmark = pytest.mark.skipif(
    not os.access(VMXCC, os.X_OK),
    reason="no vmxcc binary at %s (build it, or set VMXCC)" % VMXCC)

# Bochs does not check guest RIP canonicality for a 64-bit guest
# (corpora/known-deviations/bochs.txt): a divergence on every run.
RIP = "baseline = long64\nGUEST_RIP = 0x8000000000000000\n"
OK = "baseline = long64\n"


def test_report_from_real_records(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "rip.vmcs").write_text(RIP)
    (cases / "ok.vmcs").write_text(OK)
    camp = tmp_path / "camp"
    camp.mkdir()
    p = subprocess.run([VMXCC, "replay", str(cases), "--backend", "bochs",
                        "--records", str(camp / "records.jsonl")],
                       capture_output=True, text=True, timeout=600)
    if p.returncode == 2 and "not" in p.stderr and "bochs" in p.stderr:
        pytest.skip("Bochs back end not available: " + p.stderr.strip())
    # One divergence, explained by Bochs' known deviations: `vmxcc replay`
    # (since the gate's --known default) exits 0 for a known one, 1 before.
    assert p.returncode in (0, 1), p.stdout + p.stderr
    assert '"agreement":"diverge"' in p.stdout, p.stdout
    out = str(tmp_path / "out")
    assert cli.run([str(camp), "--out", out, "-q", "--vmxcc", VMXCC]) == 0
    with open(os.path.join(out, "report.json")) as f:
        j = json.load(f)
    assert j["summary"]["summary_present"] is False
    assert j["summary"]["catalogue"] == "%s checks --json" % VMXCC
    assert len(j["buckets"]) == 1
    b = j["buckets"][0]
    assert b["model"] == "{exit(33,qual=0)}"
    assert b["observed"].startswith("entered")
    assert [c["id"] for c in b["failing_checks"]] == ["GST_RIP_CANON"]
    assert b["failing_checks"][0]["section"].startswith("26.3.1.4")
    assert b["field_diff"] == [["GUEST_RIP", "0x8000000000000000"]]
    assert b["case_source"] == "first record (not minimized)"
    html = open(os.path.join(out, "report.html")).read()
    assert "GUEST_RIP = 0x8000000000000000" in html
    # Every catalogued id has a coverage row, even with no summary.
    assert j["coverage"]["ids"] == j["coverage"]["catalogue_ids"] > 100
