# SPDX-License-Identifier: GPL-2.0
"""The gate against the real vmxcc binary, when one is built ($VMXCC, or
the checkout's build/harness/vmxcc): keeps the gate and the command line's
JSON in step.  Skipped, with the reason, when there is no binary yet."""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
GATE = os.path.join(TOP, "ci", "gate")
VMXCC = os.environ.get("VMXCC") or os.path.join(TOP, "build", "harness",
                                                "vmxcc")

pytestmark = pytest.mark.skipif(
    not os.access(VMXCC, os.X_OK),
    reason="no vmxcc binary at %s (build it, or set VMXCC)" % VMXCC)

ENTERS = "baseline = long64\n\n[expect]\noutcome = {entered}\n"
BAD_TR = ("baseline = long64\nGUEST_TR_AR_BYTES = 0x8089\n\n[expect]\n"
          "outcome = {exit(33,qual=0)}\n")
WRONG = ("baseline = long64\nGUEST_TR_AR_BYTES = 0x8089\n\n[expect]\n"
         "outcome = {vmfail(7)}\n")


def gate(tmp_path, *args):
    p = subprocess.run([sys.executable, GATE, "--vmxcc", VMXCC, "--known",
                        os.devnull, "--backends", "", "--junit",
                        str(tmp_path / "j.xml")] + list(args),
                       capture_output=True, text=True, timeout=600)
    return p


def test_model_points_pass_and_fail_on_real_vmxcc(tmp_path):
    (tmp_path / "enters.vmcs").write_text(ENTERS)
    (tmp_path / "tr.vmcs").write_text(BAD_TR)
    p = gate(tmp_path, str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "ok 1 - model: %s/enters.vmcs" % tmp_path in p.stdout
    (tmp_path / "wrong.vmcs").write_text(WRONG)
    p = gate(tmp_path, str(tmp_path))
    assert p.returncode == 1
    assert "not ok 3 - model: %s/wrong.vmcs" % tmp_path in p.stdout
    assert "expected: {vmfail(7)}" in p.stderr
    assert "model:    {exit(33,qual=0)}" in p.stderr


def test_unreadable_case_on_real_vmxcc(tmp_path):
    (tmp_path / "enters.vmcs").write_text(ENTERS)
    (tmp_path / "bad.vmcs").write_text("NO_SUCH_FIELD = 1\n" + ENTERS)
    p = gate(tmp_path, str(tmp_path))
    assert p.returncode == 1
    assert "not ok 1 - model: %s/bad.vmcs" % tmp_path in p.stdout
    assert "bad.vmcs:1: field NO_SUCH_FIELD" in p.stdout
    assert "ok 2 - model: %s/enters.vmcs" % tmp_path in p.stdout


RIP = ("baseline = long64\nGUEST_RIP = 0x8000000000000000\n\n[expect]\n"
       "outcome = {exit(33,qual=0)}\nchecks = GST_RIP_CANON\n")
# "entry to SMM" outside SMM: Bochs fails it among the guest-state checks
# (exit 33) instead of VMfail(7).  Skipping the check does not explain that;
# only the entry's observed: line in corpora/known-deviations/bochs.txt does.
SMM = ("baseline = long64\nVM_ENTRY_CONTROLS = 0x17fb\n\n[expect]\n"
       "outcome = {vmfail(7)}\nchecks = CTL_ENT_SMM_OUTSIDE_SMM\n")
ENTRY = "check: %s\nsdm: 26.x: the SDM's rule.\nimpl: Bochs skips it.\n"


def bochs_gate(tmp_path, cases, *args):
    """The gate on Bochs only; skips the test when Bochs cannot run here."""
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
    p = subprocess.run([sys.executable, GATE, "--vmxcc", VMXCC, "--known",
                        os.devnull, "--backends", "bochs"] + list(args) +
                       [str(tmp_path / n) for n in cases],
                       capture_output=True, text=True, timeout=600)
    if "# back end bochs: skipped:" in p.stdout:
        pytest.skip("Bochs back end not available: " + p.stdout)
    return p


def test_known_bochs_deviations_on_real_bochs(tmp_path):
    """Bochs skips the guest RIP canonicality check in a 64-bit guest and
    reports entry-to-SMM as exit 33 (corpora/known-deviations/bochs.txt):
    vmxcc explains both divergences and the gate passes."""
    p = bochs_gate(tmp_path, {"rip.vmcs": RIP, "smm.vmcs": SMM})
    assert p.returncode == 0, p.stdout + p.stderr
    assert ("not ok 3 - bochs: %s/rip.vmcs # TODO known deviation: "
            "GST_RIP_CANON" % tmp_path) in p.stdout.splitlines()
    assert ("not ok 4 - bochs: %s/smm.vmcs # TODO known deviation: "
            "CTL_ENT_SMM_OUTSIDE_SMM" % tmp_path) in p.stdout.splitlines()
    assert ("# back end bochs: ran 2 case(s), known deviations: "
            "%s/corpora/known-deviations/bochs.txt" % TOP) in p.stdout


def test_listed_but_unexplained_divergence_fails_on_real_bochs(tmp_path):
    """Every failing check listed is not enough: without the observed:
    line, skipping CTL_ENT_SMM_OUTSIDE_SMM would let the entry succeed, not
    fail with exit 33, so the divergence is new and the gate fails."""
    devs = tmp_path / "devs"
    devs.mkdir()
    (devs / "bochs.txt").write_text(ENTRY % "CTL_ENT_SMM_OUTSIDE_SMM" + "\n" +
                                    ENTRY % "GST_RIP_CANON")
    cases = tmp_path / "cases"
    cases.mkdir()
    p = bochs_gate(cases, {"rip.vmcs": RIP, "smm.vmcs": SMM},
                   "--deviations", str(devs))
    assert p.returncode == 1, p.stdout + p.stderr
    lines = p.stdout.splitlines()
    assert ("not ok 3 - bochs: %s/rip.vmcs # TODO known deviation: "
            "GST_RIP_CANON" % cases) in lines
    assert "not ok 4 - bochs: %s/smm.vmcs" % cases in lines
    assert "bochs:     exit(33,qual=0)" in p.stderr
    assert "failing checks: CTL_ENT_SMM_OUTSIDE_SMM" in p.stderr
    # No file for the back end in DIR: nothing is known.
    p = bochs_gate(cases, {"rip.vmcs": RIP}, "--deviations",
                   str(tmp_path / "nowhere"))
    assert p.returncode == 1
    assert "not ok 2 - bochs: %s/rip.vmcs" % cases in p.stdout.splitlines()


def test_malformed_deviations_on_real_vmxcc(tmp_path):
    """vmxcc's own message, naming file:line, and exit 2 (no Bochs run)."""
    devs = tmp_path / "devs"
    devs.mkdir()
    (devs / "bochs.txt").write_text("# one entry\n" + ENTRY % "NO_SUCH_CHECK")
    cases = tmp_path / "cases"
    cases.mkdir()
    p = bochs_gate(cases, {"rip.vmcs": RIP}, "--deviations", str(devs))
    assert p.returncode == 2, p.stdout + p.stderr
    msg = '%s:2: check: unknown check id "NO_SUCH_CHECK"' % (devs /
                                                              "bochs.txt")
    assert msg in p.stderr
    assert p.stdout.splitlines()[2].startswith("Bail out! vmxcc replay "
                                               "--backend bochs --known ")


def test_every_backend_ran_or_says_why(tmp_path):
    (tmp_path / "enters.vmcs").write_text(ENTERS)
    (tmp_path / "tr.vmcs").write_text(BAD_TR)
    p = subprocess.run([sys.executable, GATE, "--vmxcc", VMXCC, "--known",
                        os.devnull, str(tmp_path)], capture_output=True,
                       text=True, timeout=600)
    said = [ln for ln in p.stdout.splitlines()
            if ln.startswith("# back end ")]
    assert [ln.split()[3].rstrip(":") for ln in said] == [
        "bochs", "kmod", "kvm"]
    for ln in said:
        assert " ran 2 case(s)" in ln or " skipped: vmxcc: " in ln
    # Whatever ran agreed on these two plain cases.
    assert p.returncode == 0, p.stdout + p.stderr
