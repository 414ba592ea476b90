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


def test_known_bochs_deviation_on_real_bochs(tmp_path):
    """Bochs does not check guest RIP canonicality in a 64-bit guest
    (corpora/known-deviations/bochs.txt): the gate reports the divergence
    as an expected failure citing that entry, and passes."""
    (tmp_path / "rip.vmcs").write_text(
        "baseline = long64\nGUEST_RIP = 0x8000000000000000\n\n[expect]\n"
        "outcome = {exit(33,qual=0)}\nchecks = GST_RIP_CANON\n")
    p = subprocess.run([sys.executable, GATE, "--vmxcc", VMXCC, "--known",
                        os.devnull, "--backends", "bochs", str(tmp_path)],
                       capture_output=True, text=True, timeout=600)
    if "# back end bochs: skipped:" in p.stdout:
        pytest.skip("Bochs back end not available: " + p.stdout)
    assert p.returncode == 0, p.stdout + p.stderr
    assert ("not ok 2 - bochs: %s/rip.vmcs # TODO known deviation: "
            "GST_RIP_CANON (%s/corpora/known-deviations/bochs.txt:" %
            (tmp_path, TOP)) in p.stdout


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
