# SPDX-License-Identifier: GPL-2.0
"""Test-result formats shared by the report and ci/gate (stdlib only, so the
gate runs on any python3): TAP version 13, kvm-unit-tests style lines, and
JUnit XML.

A test point is a dict:
  name    one line
  status  "pass" | "fail" | "skip" | "xfail" (known failure, does not fail
          the run) | "xpass" (a known failure that now passes: reported,
          does not fail the run, the known-failure note should go) |
          "unstable" (failed once, not when run again: reported as a
          failure not to be counted -- TAP "not ok ... # TODO unstable",
          kvm-unit-tests XFAIL, JUnit skipped -- does not fail the run)
  detail  one line (skip reason, failure summary), optional
  diag    multi-line text (a readable diff), optional
"""

import xml.etree.ElementTree as ET

FAILING = ("fail",)


def failed(points):
    return [p for p in points if p["status"] in FAILING]


def _yaml_block(text):
    lines = ["  ---", "  message: |"]
    lines += ["    " + ln for ln in text.rstrip("\n").split("\n")]
    lines.append("  ...")
    return lines


def tap13(points, header=None):
    """TAP version 13 text for @points; @header lines become comments."""
    out = ["TAP version 13", "1..%d" % len(points)]
    for h in header or []:
        out.append("# " + h)
    for i, p in enumerate(points, 1):
        name = p["name"].replace("#", "\\#")
        st, det = p["status"], p.get("detail") or ""
        if st == "pass":
            line = "ok %d - %s" % (i, name)
        elif st == "skip":
            line = "ok %d - %s # SKIP %s" % (i, name, det)
        elif st == "xfail":
            line = "not ok %d - %s # TODO %s" % (i, name, det)
        elif st == "xpass":
            line = "ok %d - %s # TODO %s" % (i, name, det)
        elif st == "unstable":
            line = "not ok %d - %s # TODO unstable: %s" % (i, name, det)
        else:
            line = "not ok %d - %s" % (i, name)
        out.append(line)
        diag = p.get("diag") or (det if st == "fail" else "")
        if diag:
            out += _yaml_block(diag)
    return "\n".join(out) + "\n"


def summary_counts(points):
    c = {"tests": len(points), "failures": 0, "xfail": 0, "xpass": 0,
         "skipped": 0, "unstable": 0}
    for p in points:
        st = p["status"]
        if st == "fail":
            c["failures"] += 1
        elif st == "xfail":
            c["xfail"] += 1
        elif st == "unstable":
            c["unstable"] += 1
        elif st == "xpass":
            c["xpass"] += 1
        elif st == "skip":
            c["skipped"] += 1
    return c


def kut_lines(points):
    """kvm-unit-tests style: PASS:/FAIL:/SKIP:/XFAIL:/XPASS: lines and a
    closing SUMMARY: line with the same wording as its report_summary().
    kvm-unit-tests has no "unstable": such a point is an XFAIL line whose
    text says "unstable", counted with the expected failures."""
    tag = {"pass": "PASS", "fail": "FAIL", "skip": "SKIP", "xfail": "XFAIL",
           "xpass": "XPASS", "unstable": "XFAIL"}
    out = []
    for p in points:
        det = p.get("detail") or ""
        if p["status"] == "unstable":
            det = "unstable: " + det
        out.append("%s: %s%s" % (tag[p["status"]], p["name"],
                                 " (%s)" % det if det else ""))
    c = summary_counts(points)
    s = "SUMMARY: %d tests" % c["tests"]
    if c["failures"]:
        s += ", %d unexpected failures" % c["failures"]
    if c["xfail"] + c["unstable"]:
        s += ", %d expected failures" % (c["xfail"] + c["unstable"])
    if c["xpass"]:
        s += ", %d unexpected passes" % c["xpass"]
    if c["skipped"]:
        s += ", %d skipped" % c["skipped"]
    out.append(s)
    return "\n".join(out) + "\n"


def junit_xml(points, suite, classname_of=None):
    """JUnit XML text (the subset GitLab, Jenkins and GitHub read).
    @classname_of(point) groups test cases; default: the suite name."""
    c = summary_counts(points)
    root = ET.Element("testsuites", name=suite, tests=str(c["tests"]),
                      failures=str(c["failures"]))
    ts = ET.SubElement(root, "testsuite", name=suite, tests=str(c["tests"]),
                       failures=str(c["failures"]), errors="0",
                       skipped=str(c["skipped"] + c["xfail"] +
                                   c["unstable"]))
    for p in points:
        tc = ET.SubElement(ts, "testcase", name=p["name"],
                           classname=classname_of(p) if classname_of
                           else suite)
        st, det = p["status"], p.get("detail") or ""
        if st == "fail":
            f = ET.SubElement(tc, "failure", message=det or "failed")
            f.text = p.get("diag") or det
        elif st == "skip":
            ET.SubElement(tc, "skipped", message=det)
        elif st == "xfail":
            ET.SubElement(tc, "skipped", message="known failure: " + det)
        elif st == "unstable":
            ET.SubElement(tc, "skipped", message="unstable, not a confirmed "
                          "failure: " + det)
        elif st == "xpass" and det:
            so = ET.SubElement(tc, "system-out")
            so.text = "known failure now passes: " + det
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' +
            ET.tostring(root, encoding="unicode") + "\n")
