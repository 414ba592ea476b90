# SPDX-License-Identifier: GPL-2.0
"""Fixture campaign directories shaped exactly like the campaign driver's
output (docs/reports.md "Inputs"): records.jsonl with a torn last line,
summary.json, minimized/*.vmcs, a catalogue.json, and earlier nights as
sibling directories."""

import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

CATALOGUE = [
    {"id": "BASIC_MOVSS_BLOCKING", "class": "basic",
     "section": "26.1 Basic VM-Entry Checks",
     "statement": "Events must not be blocked by MOV SS."},
    {"id": "CTL_EXEC_PIN_RSVD", "class": "controls",
     "section": "26.2.1.1 VM-Execution Control Fields",
     "statement": "Pin-based controls respect allowed-0/allowed-1."},
    {"id": "CTL_EXEC_VPID_NONZERO", "class": "controls",
     "section": "26.2.1.1 VM-Execution Control Fields",
     "statement": "If \"enable VPID\" is 1, VPID is not 0000H."},
    {"id": "HST_CR0_FIXED", "class": "host-state",
     "section": "26.2.2 Checks on Host Control Registers and MSRs",
     "statement": "Host CR0 respects IA32_VMX_CR0_FIXED0/1."},
    {"id": "GST_TR_TYPE", "class": "guest-state",
     "section": "26.3.1.2 Checks on Guest Segment Registers",
     "statement": "TR type is 3 or 11 (11 in IA-32e mode)."},
    {"id": "GST_ACT_BLOCKING_NOT_ACTIVE", "class": "guest-state",
     "section": "26.3.1.5 Checks on Guest Non-Register State",
     "statement": "Blocking by STI or MOV SS needs activity state active."},
]

MIN_CASE = """# minimized by vmxcc minimize
[profile]
name = bochs-tigerlake
[fields]
GUEST_TR_AR_BYTES = 0x8089
"""


def record(sig, observed="exit(33,qual=0)", model="entered",
           checks=(), backend="bochs:tigerlake", time="2026-11-24T01:02:03Z",
           profile="tigerlake", **extra):
    r = {"v": 1, "time": time, "signature": sig, "backend": backend,
         "profile": profile, "profile_fp": "00112233aabbccdd",
         "model": model, "observed": observed,
         "failing_checks": list(checks), "baseline": "long64",
         "field_diff": {"GUEST_TR_AR_BYTES": "0x8089"},
         "case": "[fields]\nGUEST_TR_AR_BYTES = 0x8089\n",
         "triage": "bochs: VMenterLoadCheckGuestState accepted TR type 9"}
    r.update(extra)
    return r


def write_campaign(path, name="nightly", start="2026-11-24T01:00:00Z",
                   end="2026-11-24T02:00:00Z", backend="bochs:tigerlake",
                   profile="tigerlake", records=(), torn=True, summary=True,
                   execs=360000, buckets=None, coverage=None,
                   catalogue=True):
    os.makedirs(os.path.join(path, "minimized"), exist_ok=True)
    with open(os.path.join(path, "records.jsonl"), "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
        if torn:
            f.write('{"v":1,"time":"2026-11-24T01:59:59Z","signa')
    if buckets is None:
        sigs = {}
        for r in records:
            sigs.setdefault(r["signature"], []).append(r)
        buckets = []
        for sig, rs in sigs.items():
            mp = os.path.join("minimized", sig + ".vmcs")
            with open(os.path.join(path, mp), "w") as f:
                f.write(MIN_CASE)
            buckets.append({"signature": sig, "count": len(rs),
                            "first_seen": rs[0]["time"], "minimized": mp,
                            "min_field_diff": {"GUEST_TR_AR_BYTES": "0x8089"}})
    if coverage is None:
        coverage = {"BASIC_MOVSS_BLOCKING": {"failed": 10, "passed": 900},
                    "CTL_EXEC_PIN_RSVD": {"failed": 5000, "passed": 355000},
                    "GST_TR_TYPE": {"failed": 42, "passed": 0},
                    "CTL_EXEC_VPID_NONZERO": {"failed": 0, "passed": 1200}}
    if summary:
        s = {"v": 1, "campaign": name, "backend": backend, "profile": profile,
             "engine": "afl", "start": start, "end": end, "execs": execs,
             "execs_per_sec": execs / 3600.0, "coverage": coverage,
             "coverage_over_time": [[0, 0, 0, 0], [60, 2, 3, 6000],
                                    [1800, 3, 3, 180000],
                                    [3600, 3, 3, execs]],
             "buckets": buckets, "skipped": {"cpu model lacks EPT": 17},
             "backend_errors": 0}
        with open(os.path.join(path, "summary.json"), "w") as f:
            json.dump(s, f)
    if catalogue:
        with open(os.path.join(path, "catalogue.json"), "w") as f:
            json.dump({"checks": CATALOGUE}, f)
    return path


@pytest.fixture
def nights(tmp_path):
    """Three nights of one campaign as sibling dirs; the last one is the
    campaign under test.  Returns the list of paths, oldest first."""
    recs = [
        record("a1b2c3d4e5f60718", checks=["GST_TR_TYPE"],
               model="{exit(33,qual=0)}", observed="entered"),
        record("a1b2c3d4e5f60718", checks=["GST_TR_TYPE"],
               model="{exit(33,qual=0)}", observed="entered",
               time="2026-11-24T01:30:00Z"),
        record("0f0e0d0c0b0a0908",
               checks=["CTL_EXEC_PIN_RSVD", "HST_CR0_FIXED"],
               model="{vmfail(7), vmfail(8)}", observed="exit(33,qual=0)"),
    ]
    out = []
    for i, day in enumerate((22, 23, 24)):
        p = str(tmp_path / ("2026-11-%d" % day))
        write_campaign(p, start="2026-11-%dT01:00:00Z" % day,
                       end="2026-11-%dT02:00:00Z" % day,
                       execs=300000 + 30000 * i, records=recs[:i + 1])
        out.append(p)
    return out


# Read-back (docs/records.md "readback", docs/campaign.md "Read-back"): a
# campaign whose records were re-run with the VMCS read back.
RSP_FINDING = {"unexpected": [{"field": "HOST_RSP", "written": "0x1000",
                               "read": "0x0"}],
               "expected": 3, "corrected": True, "substituted": ["HOST_RSP"],
               "why": "failed attempt (vmfail(8)): only exit information is "
                      "written, so the VMCS read back holds what the checks "
                      "saw",
               "model_as_written": "{entered}"}
CLEAN_READBACK = {"unexpected": [], "expected": 4, "corrected": False}
RERUN_AGREES = {"observed": "exit(33,qual=0)", "agreement": "agree",
                "readback": CLEAN_READBACK}
RERUN_ERROR = "backend mutant:rbfail=X: mutant: simulated read-back failure"


def readback_records():
    """A: a read-back finding (HOST_RSP), judged corrected, 2 records;
    B: never confirmed (both records unstable); C: confirmed by one record,
    one unstable; D: re-run error; E: a known deviation read back."""
    a = dict(checks=["HST_CR0_FIXED"], model="{vmfail(8)}",
             observed="vmfail(8)", readback=RSP_FINDING,
             first_signature="1a1a1a1a1a1a1a1a")
    return [
        record("aaaaaaaaaaaaaaaa", **a),
        record("aaaaaaaaaaaaaaaa", time="2026-11-24T01:10:00Z", **a),
        record("bbbbbbbbbbbbbbbb", checks=["GST_TR_TYPE"],
               model="{exit(33,qual=0)}", observed="vmfail(8)",
               unstable=RERUN_AGREES, key="bbbbbbbbbbbbbbbb-1"),
        record("bbbbbbbbbbbbbbbb", checks=["GST_TR_TYPE"],
               model="{exit(33,qual=0)}", observed="vmfail(8)",
               unstable=RERUN_AGREES, key="bbbbbbbbbbbbbbbb-2"),
        record("cccccccccccccccc", checks=["CTL_EXEC_PIN_RSVD"],
               model="{vmfail(7)}", observed="entered",
               readback=CLEAN_READBACK),
        record("cccccccccccccccc", checks=["CTL_EXEC_PIN_RSVD"],
               model="{vmfail(7)}", observed="entered",
               unstable={"observed": "vmfail(7)", "agreement": "agree"}),
        record("dddddddddddddddd", checks=["BASIC_MOVSS_BLOCKING"],
               model="{vmfail(7)}", observed="entered",
               rerun_error=RERUN_ERROR),
        record("eeeeeeeeeeeeeeee", checks=["GST_TR_TYPE"], known=True,
               known_checks=["GST_TR_TYPE"], model="{exit(33,qual=0)}",
               observed="entered", readback=dict(CLEAN_READBACK,
                                                corrected=True,
                                                substituted=[])),
    ]


def readback_summary_member(**over):
    """summary.json "readback" as the campaign writes it for
    readback_records()."""
    rb = {"available": True, "records": 4, "unexpected": 2, "corrected": 3,
          "unstable": 3, "rerun_error": 1, "fields": {"HOST_RSP": 2},
          "buckets_unexpected": 1, "buckets_unstable": 1}
    rb.update(over)
    return rb


def bucket_readback(records=0, unexpected=0, corrected=0, unstable=0,
                    rerun_error=0, fields=()):
    return {"records": records, "unexpected": unexpected,
            "corrected": corrected, "unstable": unstable,
            "rerun_error": rerun_error, "fields": list(fields)}


def write_readback_campaign(path, summary_readback=True, bucket_counts=True):
    """readback_records() as a campaign directory with the summary members
    of a campaign that read back (or, @summary_readback False, a summary
    written before them)."""
    per = {"aaaaaaaaaaaaaaaa": bucket_readback(2, 2, 2, fields=["HOST_RSP"]),
           "bbbbbbbbbbbbbbbb": bucket_readback(unstable=2),
           "cccccccccccccccc": bucket_readback(1, unstable=1),
           "dddddddddddddddd": bucket_readback(rerun_error=1),
           "eeeeeeeeeeeeeeee": bucket_readback(1, corrected=1)}
    recs = readback_records()
    buckets = []
    for sig, rb in per.items():
        n = sum(1 for r in recs if r["signature"] == sig)
        b = {"signature": sig, "count": 10 * n, "records": n,
             "known": sig == "eeeeeeeeeeeeeeee", "minimized": None}
        if sig == "eeeeeeeeeeeeeeee":
            b["known_group"] = "GST_TR_TYPE|entered"
        if summary_readback and bucket_counts:
            b["readback"] = rb
        buckets.append(b)
    d = write_campaign(path, records=recs, buckets=buckets, torn=False)
    if summary_readback:
        p = os.path.join(d, "summary.json")
        with open(p) as f:
            s = json.load(f)
        s["readback"] = readback_summary_member()
        with open(p, "w") as f:
            json.dump(s, f)
    return d
