# SPDX-License-Identifier: GPL-2.0
"""The CI regression gate (docs/gate.md).

Replays every regression case (corpora/regression/**/*.vmcs, each with an
[expect] section) on the model and on every back end present here, through
the vmxcc command line only:

  vmxcc check --json CASE...              the model's verdict per case
  vmxcc replay --backend B --known F CASE...
                                          JSONL, one result per case; vmxcc
                                          marks the divergences that the
                                          known deviations F explain

prints TAP 13, writes JUnit XML, and exits 0 (all as expected), 1 (any
mismatch; a readable diff is printed) or 2 (the gate could not run: no
vmxcc binary, no cases, unreadable output, a deviations file vmxcc
refuses).  Stdlib only."""

import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "reports"))
from vmxcc_report import tap  # noqa: E402

BACKENDS = ("bochs", "kmod", "kvm")
# How vmxcc says a back end cannot run here (docs/design.md, issue 3):
# exit status 2 and "not built" / "not available on this machine: why".
NOT_HERE = re.compile(r"not (built|available)", re.I)


class GateError(Exception):
    """The gate cannot run at all (exit 2)."""


# ---------------------------------------------------------------- cases

def read_expect(path):
    """The [expect] section of a .vmcs file as written: (outcome set text
    or None, list of check ids or None).  Used only to print a readable
    diff; whether a case meets its expectation is vmxcc's judgement (it
    owns the case format), so this reader never decides anything."""
    outcome = checks = None
    in_expect = False
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None, None
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            in_expect = line[1:-1].strip() == "expect"
            continue
        key, eq, val = line.partition("=")
        if not in_expect or not eq:
            continue
        if key.strip() == "outcome":
            outcome = val.strip()
        elif key.strip() == "checks":
            checks = val.replace(",", " ").split()
    return outcome, checks


def find_cases(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for d, _, files in os.walk(p):
                out += [os.path.join(d, f) for f in files
                        if f.endswith(".vmcs")]
        elif os.path.isfile(p):
            out.append(p)
        else:
            raise GateError("%s: no such file or directory (regression "
                            "cases come from campaigns' minimized buckets: "
                            "docs/gate.md)" % p)
    return sorted(set(out))


def split_set(text):
    """'{vmfail(7), exit(33,qual=0)}' -> ('exit(33,qual=0)', 'vmfail(7)'):
    textual normalisation only (order and spaces), no outcome semantics."""
    t = (text or "").strip()
    if t.startswith("{") and t.endswith("}"):
        t = t[1:-1]
    items, depth, cur = [], 0, ""
    for ch in t:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    return tuple(sorted(re.sub(r"\s+", "", i) for i in items if i.strip()))


def fmt_set(items):
    return "{" + ", ".join(items) + "}"


# ---------------------------------------------------------------- vmxcc

def find_vmxcc(explicit):
    """(path or None, paths tried).  An explicit --vmxcc or $VMXCC is the
    only candidate: a wrong path must fail, not fall back to another
    build's binary."""
    if explicit or os.environ.get("VMXCC"):
        cands = [explicit or os.environ["VMXCC"]]
    else:
        cands = [os.path.join(os.environ["VMXCC_BUILD"], "harness", "vmxcc")
                 if os.environ.get("VMXCC_BUILD") else None,
                 os.path.join(TOP, "build", "harness", "vmxcc")]
    tried = [c for c in cands if c]
    for c in tried:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c, tried
    return None, tried


def _run(cmd, timeout):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %ds: %s" % (timeout, " ".join(cmd))
    except OSError as e:
        return None, "", "%s: %s" % (cmd[0], e.strerror)
    return p.returncode, p.stdout, p.stderr


def parse_objects(text, what):
    """JSON array, single object, or JSON lines -> list of dicts."""
    t = text.strip()
    if not t:
        return []
    try:
        obj = json.loads(t)
        objs = obj if isinstance(obj, list) else [obj]
    except ValueError:
        objs = []
        for no, line in enumerate(t.splitlines(), 1):
            if not line.strip():
                continue
            try:
                objs.append(json.loads(line))
            except ValueError as e:
                raise GateError("%s: output line %d is not JSON: %s" %
                                (what, no, e))
    for i, o in enumerate(objs):
        if not isinstance(o, dict):
            raise GateError("%s: result #%d is not a JSON object" % (what, i))
    return objs


def need(obj, key, what, types=(str,)):
    v = obj.get(key)
    if not isinstance(v, types):
        raise GateError("%s: result lacks member \"%s\" (has: %s)" %
                        (what, key, ", ".join(sorted(obj)) or "nothing"))
    return v


def check_ids(obj, key, what):
    """Check ids of member @key: a list of ids or of {"id": ...}."""
    fc = obj.get(key, [])
    if not isinstance(fc, list):
        raise GateError("%s: member %s is not a list" % (what, key))
    return sorted(c["id"] if isinstance(c, dict) else str(c) for c in fc)


def match_results(objs, cases, what):
    """Results by their "file" member, else in input order."""
    if any("file" in o for o in objs):
        by = {}
        for o in objs:
            by.setdefault(os.path.realpath(str(o.get("file"))), o)
        return [by.get(os.path.realpath(c)) for c in cases]
    if len(objs) != len(cases):
        raise GateError("%s: %d result(s) for %d case(s) and no \"file\" "
                        "member to match them" % (what, len(objs), len(cases)))
    return objs


def batch(cmd, cases, timeout, what, may_be_absent=False, setup=None):
    """Run @cmd once on all @cases.  Returns (results, errors, absent):
    results and errors indexed like @cases; absent is vmxcc's reason when
    @may_be_absent and it says the back end cannot run here.  vmxcc keeps
    going past a bad case (status 2, message on stderr naming file:line),
    so each missing result gets the stderr lines that name its case.
    vmxcc refusing a file the gate itself handed it (@setup: the known
    deviations) is not a case's failure: the gate cannot run (exit 2)."""
    rc, out, err = _run(cmd + cases, timeout)
    if rc is None:
        return [None] * len(cases), [err] * len(cases), None
    objs = parse_objects(out, what)
    if not objs and rc != 0:
        if may_be_absent and rc == 2 and NOT_HERE.search(err or ""):
            return None, None, err.strip().splitlines()[-1]
        if setup and rc == 2 and setup in (err or ""):
            raise GateError("%s: %s" % (what, " ".join(
                ln for ln in err.strip().splitlines() if setup in ln)))
        msg = "%s exited %d: %s" % (what, rc, err.strip() or "no message")
        return [None] * len(cases), [msg] * len(cases), None
    res = match_results(objs, cases, what)
    errs = []
    for c, r in zip(cases, res):
        if r is not None and "error" in r:
            errs.append(str(r["error"]))
        elif r is None:
            mine = [ln for ln in err.splitlines() if c in ln]
            errs.append("\n".join(mine) or "%s exited %d with no result for "
                        "this case: %s" % (what, rc, err.strip()))
        else:
            errs.append(None)
    return res, errs, None


# ---------------------------------------------------------------- judging

def _rel(path, top):
    r = os.path.relpath(path, top)
    return path if r.startswith("..") else r


def model_point(name, expect, res, err):
    """The model's verdict vs the case's [expect], as judged by vmxcc
    check ("expect": pass/fail/none), with a readable diff on failure."""
    pt = {"name": "model: " + name, "runner": "model"}
    if err or res is None:
        pt.update(status="fail", detail=err or "no result from vmxcc check",
                  diag=err)
        return pt
    what = "vmxcc check --json " + name
    verdict = need(res, "expect", what)
    if verdict == "pass":
        pt["status"] = "pass"
        return pt
    if verdict == "none":
        msg = "not a regression case: no [expect] section"
        pt.update(status="fail", detail=msg, diag="%s: %s" % (name, msg))
        return pt
    exp_set, exp_checks = expect
    got_set = split_set(need(res, "model", what))
    got_checks = check_ids(res, "failing_checks", what)
    lines = ["case:     %s" % name,
             "expected: %s" % (fmt_set(split_set(exp_set)) if exp_set
                               else "(no outcome line)"),
             "model:    %s" % fmt_set(got_set)]
    if exp_checks is not None:
        only_m = sorted(set(got_checks) - set(exp_checks))
        only_e = sorted(set(exp_checks) - set(got_checks))
        lines += ["expected checks: %s" % (" ".join(sorted(exp_checks)) or "-"),
                  "model checks:    %s" % (" ".join(got_checks) or "-"),
                  "  only in model:    %s" % (" ".join(only_m) or "-"),
                  "  only in expected: %s" % (" ".join(only_e) or "-")]
    uncertain = check_ids(res, "uncertain", what)
    if uncertain:
        lines.append("model cannot decide: %s" % " ".join(uncertain))
    detail = str(res.get("expect_detail") or "expectation not met")
    lines.append("vmxcc: %s" % detail)
    pt.update(status="fail", detail=detail, diag="\n".join(lines))
    return pt


def backend_point(backend, name, expect, res, err, known):
    """One back end on one case, as judged by vmxcc replay ("agreement"),
    with known divergences turned into expected failures: those listed by
    case in ci/known-divergences (@known), and those vmxcc itself explains
    by the back end's known deviations ("known": true; the rule is
    deviations_explain() in harness/src/deviations.c, not the gate's)."""
    pt = {"name": "%s: %s" % (backend, name), "runner": backend}
    if err or res is None:
        pt.update(status="fail", detail=err or "no result from vmxcc replay",
                  diag=err)
        return pt
    what = "vmxcc replay --backend %s %s" % (backend, name)
    agreement = need(res, "agreement", what)
    text = res.get("text") or ""
    if agreement == "skipped":
        pt.update(status="skip", detail=text or "back end skipped the case")
    elif known is not None:
        ok = agreement == "agree"
        pt.update(status="xpass" if ok else "xfail", detail=known if not ok
                  else "now agrees; drop it from ci/known-divergences: " +
                  known)
    elif agreement == "agree":
        pt["status"] = "pass"
    elif agreement == "diverge" and res.get("known") is True:
        pt.update(status="xfail", detail="known deviation: " + (", ".join(
            check_ids(res, "known_checks", what)) or "-"))
    else:
        pt.update(status="fail", diag=divergence_diag(backend, name, expect,
                                                      res, what),
                  detail="%s observed %s" % (
                      backend, res.get("observed") or agreement))
    return pt


def divergence_diag(backend, name, expect, res, what):
    lines = ["case:      %s" % name,
             "expected:  %s" % (fmt_set(split_set(expect[0])) if expect[0]
                                else "(no [expect] outcome)"),
             "model:     %s (on the effective image %s ran)" % (
                 res.get("model", "?"), backend),
             "%-10s %s" % (backend + ":", res.get("observed") or "?"),
             "agreement: %s" % res["agreement"]]
    if res.get("failing_checks") is not None:
        lines.append("failing checks: %s" % (
            " ".join(check_ids(res, "failing_checks", what)) or "-"))
    if res["agreement"] == "diverge":
        lines.append("known deviation: no (vmxcc: not explained by the back "
                     "end's known deviations)")
    if res.get("text"):
        lines.append("back end says: %s" % res["text"])
    if res.get("signature"):
        lines.append("signature: %s" % res["signature"])
    return "\n".join(lines)


def read_known(path):
    """ci/known-divergences: 'BACKEND CASE-GLOB reason...' per line."""
    known = []
    if not path or not os.path.exists(path):
        return known
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split(None, 2)
            if len(parts) < 3:
                raise GateError("%s:%d: expected \"BACKEND CASE reason\"" %
                                (path, no))
            known.append((parts[0], parts[1], parts[2], "%s:%d" % (path, no)))
    return known


def known_reason(known, backend, relname):
    for be, pat, why, _ in known:
        if be == backend and fnmatch.fnmatch(relname, pat):
            return why
    return None


# ---------------------------------------------------------------- main

def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="ci/gate", description="Replay the regression corpus on the "
        "model and every back end present; TAP on stdout (docs/gate.md).")
    p.add_argument("cases", nargs="*", metavar="CASE|DIR",
                   help="default: corpora/regression")
    p.add_argument("--vmxcc", help="vmxcc binary (default: $VMXCC, "
                   "$VMXCC_BUILD/harness/vmxcc, build/harness/vmxcc)")
    p.add_argument("--backends", default=",".join(BACKENDS),
                   help="back ends to try (default: %(default)s)")
    p.add_argument("--require", default="", metavar="B[,B...]",
                   help="back ends that must run (a skip is then a failure)")
    p.add_argument("--known", default=os.path.join(HERE, "known-divergences"),
                   help="known back-end divergences (default: %(default)s)")
    p.add_argument("--deviations", metavar="DIR",
                   default=os.path.join(TOP, "corpora", "known-deviations"),
                   help="known deviations per back end, DIR/BACKEND.txt, "
                   "for vmxcc replay --known (default: %(default)s)")
    p.add_argument("--junit", metavar="FILE", help="write JUnit XML here")
    p.add_argument("--kut", action="store_true", help="kvm-unit-tests style "
                   "PASS/FAIL/SUMMARY lines instead of TAP")
    p.add_argument("--timeout", type=int, default=3600,
                   help="seconds per vmxcc invocation (default: %(default)s)")
    return p.parse_args(argv)


def emit(points, header, a, out):
    if a.kut:
        out.write("".join("# %s\n" % h for h in header))
        out.write(tap.kut_lines(points))
    else:
        out.write(tap.tap13(points, header))
        out.write("# " + tap.kut_lines(points).splitlines()[-1] + "\n")
    if a.junit:
        with open(a.junit, "w", encoding="utf-8") as f:
            f.write(tap.junit_xml(points, "vmxcc.gate",
                                  lambda p: "gate." + p.get("runner", "gate")))


def bail(msg, a, out):
    """The gate cannot run: say why, in TAP and in JUnit, and exit 2."""
    pt = {"name": "gate setup", "runner": "gate", "status": "fail",
          "detail": msg, "diag": msg}
    if a.junit:
        with open(a.junit, "w", encoding="utf-8") as f:
            f.write(tap.junit_xml([pt], "vmxcc.gate",
                                  lambda p: "gate.setup"))
    out.write("TAP version 13\n1..0\nBail out! %s\n" % msg.splitlines()[0])
    sys.stderr.write("ci/gate: error: %s\n" % msg)
    return 2


def run(argv=None, out=sys.stdout):
    a = parse_args(argv)
    try:
        return gate(a, out)
    except GateError as e:
        return bail(str(e), a, out)


def gate(a, out):
    vmxcc, tried = find_vmxcc(a.vmxcc)
    if not vmxcc:
        raise GateError("vmxcc binary not found (tried: %s); build it first: "
                        "cmake -S . -B build && cmake --build build" %
                        ", ".join(tried))
    where = a.cases or [os.path.join(TOP, "corpora", "regression")]
    cases = find_cases(where)
    if not cases:
        raise GateError("no regression cases (*.vmcs) in %s: an empty gate "
                        "proves nothing" % " ".join(where))
    known = read_known(a.known)
    name = {c: _rel(c, TOP) for c in cases}
    expects = {c: read_expect(c) for c in cases}
    header = ["vmxcc: %s" % vmxcc, "cases: %d" % len(cases)]
    points = []

    # The model: always.
    res, errs, _ = batch([vmxcc, "check", "--json"], cases, a.timeout,
                         "vmxcc check --json")
    points += [model_point(name[c], expects[c], r, e)
               for c, r, e in zip(cases, res, errs)]
    header.append("model: ran %d case(s)" % len(cases))

    # Back ends: every one vmxcc can open here.
    required = [b for b in a.require.split(",") if b]
    for be in [b for b in a.backends.split(",") if b]:
        # vmxcc judges which divergences the back end's known deviations
        # explain (docs/known-deviations.md); the gate only names the file.
        devfile = os.path.join(a.deviations, be.split(":")[0] + ".txt")
        if not os.path.exists(devfile):
            devfile = "none"
        what = "vmxcc replay --backend %s --known %s" % (be, devfile)
        res, errs, absent = batch([vmxcc, "replay", "--backend", be,
                                   "--known", devfile], cases, a.timeout,
                                  what, may_be_absent=True,
                                  setup=devfile if devfile != "none" else None)
        if absent is not None:
            header.append("back end %s: skipped: %s" % (be, absent))
            if be in required:
                points.append({"name": "%s: required back end ran" % be,
                               "runner": be, "status": "fail",
                               "detail": absent, "diag": absent})
            continue
        points += [backend_point(be, name[c], expects[c], r, e,
                                 known_reason(known, be, name[c]))
                   for c, r, e in zip(cases, res, errs)]
        header.append("back end %s: ran %d case(s), known deviations: %s" %
                      (be, len(cases), devfile))
    for be, pat, _, where_ in known:
        if not any(fnmatch.fnmatch(n, pat) for n in name.values()):
            header.append("warning: %s: matches no case: %s" % (where_, pat))

    emit(points, header, a, out)
    failed = tap.failed(points)
    if failed:
        sys.stderr.write("ci/gate: %d mismatch(es):\n" % len(failed))
        for p in failed:
            sys.stderr.write("--- %s\n%s\n" % (p["name"], p.get("diag") or
                                                p.get("detail", "")))
        return 1
    return 0


def main():
    sys.exit(run())
