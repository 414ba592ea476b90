# SPDX-License-Identifier: GPL-2.0
"""Turn loaded campaigns into one plain-data report (dicts and lists), the
single input of every output format: HTML, Markdown, JSON, TAP, kut lines.
Keeping the numbers here means all formats agree by construction."""

import collections

from . import catalogue as catmod
from . import readback as rbmod
from .campaign import parse_time

# Caps that keep the HTML small whatever the campaign found: buckets shown
# in full per cluster (the rest are one table row each, linking to their
# minimized case) and in all; known groups are one table row each.
FULL_PER_CLUSTER = 2
FULL_TOTAL = 60


def _check_info(cat, cid):
    """Id plus catalogue facts; 'known' is False only when a catalogue is
    present and lacks the id (without a catalogue nothing is flagged)."""
    return {"id": cid, "section": cat.section(cid),
            "statement": cat.statement(cid),
            "known": cat.known(cid) or not cat}


def _bucket_key(rec):
    """What makes two records 'the same divergence' across back ends: the
    model's verdict and the failing checks, not who observed it."""
    return (rec["model"], tuple(sorted(rec.failing_checks)))


def outcome_kind(observed):
    """The observed outcome without its case-specific detail, as the
    campaign driver groups it: "entered", "exit(33)", "vmfail(7)"."""
    o = observed or ""
    if o.startswith("entered"):
        return "entered"
    if "(" in o and "," in o:
        return o.split(",", 1)[0] + ")"
    return o


def _bucket_cluster(first, sb):
    """The summary's cluster id, or (no summary) one per model set,
    outcome kind and failing checks of the first record."""
    if isinstance(sb.get("cluster"), str):
        return sb["cluster"]
    return "%s|%s|%s" % (first.get("model", ""),
                         outcome_kind(first.get("observed")),
                         " ".join(sorted(first.get("failing_checks") or [])))


def _known_group(first, sb):
    if isinstance(sb.get("known_group"), str):
        return sb["known_group"]
    return "%s|%s" % (" ".join(first.get("known_checks") or []),
                      outcome_kind(first.get("observed")))


def buckets(camp, cat):
    """Divergence buckets of one campaign, biggest first.  Summary buckets
    give count, first_seen and the minimized case; records give the rest.
    A signature present only in the records (campaign killed before its
    summary) still becomes a bucket."""
    by_sig = collections.OrderedDict()
    for r in camp.records:
        by_sig.setdefault(r["signature"], []).append(r)
    summ = {b["signature"]: b for b in camp.summary.get("buckets") or []}
    out = []
    for sig in list(summ) + [s for s in by_sig if s not in summ]:
        sb = summ.get(sig, {})
        recs = by_sig.get(sig, [])
        first = recs[0] if recs else {}
        if not recs:
            camp.warn("bucket %s: in summary.json but no record in "
                      "records.jsonl" % sig)
        count = sb.get("count", len(recs))
        # "records": how many of the bucket's "count" divergent executions
        # the campaign kept as records (it keeps a few per bucket).
        kept = sb.get("records", sb.get("count"))
        if sb and recs and kept not in (None, len(recs)):
            camp.warn("bucket %s: summary.json says %s record(s), "
                      "records.jsonl holds %d" % (sig, kept, len(recs)))
        diff = sb.get("min_field_diff")
        diff_src = "minimized"
        if diff is not None and not isinstance(diff, dict):
            camp.warn("bucket %s: summary.json member min_field_diff is %s, "
                      "expected {FIELD: value}; showing the first record's "
                      "field diff" % (sig, type(diff).__name__))
            diff = None
        if not diff:
            diff = first.get("field_diff") or {}
            diff_src = "first record"
        case_text = camp.read_minimized(sb.get("minimized"))
        case_src = sb.get("minimized") if case_text is not None else None
        if case_text is None and first.get("case"):
            case_text = first["case"]
            case_src = "first record (not minimized)"
        rb = rbmod.bucket(sig, recs, sb, camp.warn)
        times = [parse_time(r.get("time")) for r in recs]
        times = [t for t in times if t]
        first_seen = sb.get("first_seen") or (
            min(times).isoformat() if times else first.get("time"))
        out.append({
            "signature": sig,
            "count": count,
            "records": len(recs),
            "first_seen": first_seen,
            "backend": first.get("backend", camp.summary.get("backend", "")),
            "profile": first.get("profile", camp.summary.get("profile", "")),
            "profile_fp": first.get("profile_fp", ""),
            "model": first.get("model", ""),
            "observed": first.get("observed", ""),
            "baseline": first.get("baseline", ""),
            "failing_checks": [_check_info(cat, c)
                               for c in first.failing_checks] if recs else [],
            "field_diff": sorted((str(k), str(v)) for k, v in diff.items()),
            "field_diff_source": diff_src,
            # Fields the back end changed before running (relocations,
            # forced controls): the model judged that effective image.
            "effective_diff": sorted(
                (str(k), str(v)) for k, v in
                (first.get("effective_diff") or {}).items()),
            "minimized": sb.get("minimized"),
            "case_text": case_text,
            "case_source": case_src,
            "triage": first.get("triage", ""),
            # Every failing check a known deviation of the back end
            # (corpora/known-deviations): shown apart, after the new ones.
            "known": bool(sb.get("known")) if "known" in sb else
                     bool(recs) and all(r.get("known") is True for r in recs),
            "pending_minimization": bool(sb.get("pending_minimization")),
            "cluster": _bucket_cluster(first, sb),
            "known_group": _known_group(first, sb),
            # What its records read back; an unstable bucket (no record
            # reproduced with read-back) is not a confirmed divergence.
            "readback": rb,
            "unstable": rb["all_unstable"],
        })
    out.sort(key=lambda b: (b["known"], -int(b["count"] or 0), b["signature"]))
    return out


def clusters(bks, summary):
    """New buckets folded into clusters (summary "clusters", else by the
    bucket's cluster id), biggest first; the first FULL_PER_CLUSTER of
    each are shown in full while FULL_TOTAL lasts, the rest folded."""
    info = {c.get("cluster"): c for c in summary.get("clusters") or []
            if isinstance(c, dict)}
    by = collections.OrderedDict()
    for b in bks:
        if not b["known"] and not b["unstable"]:
            by.setdefault(b["cluster"], []).append(b)
    out = []
    for cid, members in by.items():
        ci = info.get(cid, {})
        parts = cid.split("|") if "|" in cid else []
        first = members[0]
        out.append({
            "cluster": cid,
            "model": ci.get("model", first["model"]),
            "observed_kind": ci.get("observed_kind",
                                    outcome_kind(first["observed"])),
            "checks": list(ci.get("checks", parts[2].split() if len(parts) > 2
                                  else [c["id"] for c in
                                        first["failing_checks"]])),
            "count": sum(int(b["count"] or 0) for b in members),
            "minimized": sum(1 for b in members if b["minimized"]),
            "buckets": members})
    out.sort(key=lambda c: (-c["count"], c["cluster"]))
    budget = FULL_TOTAL
    for c in out:
        n = min(FULL_PER_CLUSTER, budget)
        c["full"], c["folded"] = c["buckets"][:n], c["buckets"][n:]
        budget -= n
    return out


def known_groups(bks, summary):
    """Known divergences by (known checks, observed kind): counts and one
    example bucket each (summary "known_groups", else from the buckets)."""
    by = collections.OrderedDict()
    for b in bks:
        if b["known"]:
            by.setdefault(b["known_group"], []).append(b)
    info = collections.OrderedDict(
        (g.get("key"), g) for g in summary.get("known_groups") or []
        if isinstance(g, dict))
    out = []
    for key in list(info) + [k for k in by if k not in info]:
        g, members = info.get(key, {}), by.get(key, [])
        checks, _, kind = (key or "").partition("|")
        ex = next((b for b in members if b["signature"] == g.get("example")),
                  members[0] if members else None)
        out.append({
            "key": key,
            "known_checks": list(g.get("known_checks", checks.split())),
            "observed_kind": g.get("observed_kind", kind),
            "count": g.get("count", sum(int(b["count"] or 0)
                                        for b in members)),
            "signatures": g.get("signatures", len(members)),
            "records": g.get("records", sum(b["records"] for b in members)),
            "example": None if ex is None else {
                "signature": ex["signature"], "model": ex["model"],
                "observed": ex["observed"],
                "failing_checks": [c["id"] for c in ex["failing_checks"]],
                "field_diff": ex["field_diff"]}})
    out.sort(key=lambda g: (-int(g["count"] or 0), g["key"]))
    return out


def coverage(camp, cat):
    """Per-check failed/passed counts grouped by SDM section.  With a
    catalogue, every catalogued id gets a row (holes are the point); ids
    the catalogue does not know are listed and flagged."""
    cov = camp.summary.get("coverage") or {}
    ids = list(cat.order) + sorted(i for i in cov if i not in cat.checks)
    sections = collections.OrderedDict()
    totals = collections.Counter()
    for cid in ids:
        c = cov.get(cid, {})
        failed, passed = int(c.get("failed", 0)), int(c.get("passed", 0))
        if failed and passed:
            status = "both"
        elif failed:
            status = "failed-only"
        elif passed:
            status = "passed-only"
        else:
            status = "not-exercised"
        totals[status] += 1
        totals["failed_ids"] += bool(failed)
        totals["passed_ids"] += bool(passed)
        row = dict(_check_info(cat, cid), failed=failed, passed=passed,
                   status=status)
        sections.setdefault(row["section"], []).append(row)
    ordered = sorted(sections.items(), key=lambda kv: catmod.section_key(kv[0]))
    return {
        "sections": [{"section": s, "rows": rows,
                      "failed_ids": sum(1 for r in rows if r["failed"]),
                      "passed_ids": sum(1 for r in rows if r["passed"])}
                     for s, rows in ordered],
        "ids": len(ids),
        "catalogue_ids": len(cat.order),
        "failed_ids": totals["failed_ids"],
        "passed_ids": totals["passed_ids"],
        "both": totals["both"],
        "not_exercised": totals["not-exercised"],
        "unknown_ids": [i for i in ids if cat and not cat.known(i)],
    }


def comparison(camps):
    """Back-end/profile comparison over every campaign given for this
    night.  'rows' is one line per (backend, profile); 'matrix' lines up
    the same divergence (model verdict + failing checks) across them."""
    keys, rows = [], {}
    matrix = collections.OrderedDict()
    for camp in camps:
        for be in camp.backends():
            if be not in rows:
                keys.append(be)
                rows[be] = {"backend": be[0], "profile": be[1], "execs": None,
                            "records": 0, "signatures": set(),
                            "backend_errors": None, "campaign": camp.name}
            s = camp.summary
            if (s.get("backend"), s.get("profile") or "") == be:
                rows[be]["execs"] = s.get("execs")
                rows[be]["backend_errors"] = s.get("backend_errors")
        for r in camp.records:
            be = (r["backend"], r.get("profile") or "")
            rows[be]["records"] += 1
            rows[be]["signatures"].add(r["signature"])
            cell = matrix.setdefault(_bucket_key(r), {}).setdefault(
                be, collections.Counter())
            cell[r["observed"]] += 1
    out_rows = []
    for k in keys:
        row = dict(rows[k])
        row["buckets"] = len(row.pop("signatures"))
        out_rows.append(row)
    out_matrix = []
    for (model, checks), cells in matrix.items():
        out_matrix.append({
            "model": model, "failing_checks": list(checks),
            "cells": [{"observed": ", ".join(
                          "%s \u00d7%d" % (o, n) for o, n in
                          cells[k].most_common()) if k in cells else "",
                       "count": sum(cells[k].values()) if k in cells else 0}
                      for k in keys]})
    return {"columns": ["%s / %s" % k if k[1] else k[0] for k in keys],
            "rows": out_rows, "matrix": out_matrix,
            "multi": len(keys) > 1}


def night(camp):
    """The numbers one night contributes to the trend."""
    s = camp.summary
    cov = s.get("coverage") or {}
    return {
        "campaign": camp.name,
        "dir": camp.path,
        "start": s.get("start", ""),
        "execs": s.get("execs"),
        "execs_per_sec": s.get("execs_per_sec"),
        "divergences": len(camp.records),
        "buckets": len({r["signature"] for r in camp.records} |
                       {b["signature"] for b in s.get("buckets") or []}),
        "ids_failed": sum(1 for c in cov.values() if c.get("failed")),
        "ids_passed": sum(1 for c in cov.values() if c.get("passed")),
        "backend_errors": s.get("backend_errors"),
    }


def results(rep):
    """Test points for TAP and kvm-unit-tests lines: 'campaign ran', back-end
    errors, read-back re-runs (when the campaign says anything about
    read-back), one per new divergence bucket (a failure; an unstable one
    is status 'unstable', not a failure), one expected failure per known
    group.  Returns a list of dicts {name, status, detail} (tap.py)."""
    pts = []
    s = rep["summary"]
    ran = bool(s["execs"]) or rep["summary"]["divergences"] > 0
    pts.append({"name": "campaign %s ran" % s["campaign"],
                "status": "pass" if ran else "fail",
                "detail": "%s execs" % s["execs"] if ran else
                          "no executions recorded"})
    be = s["backend_errors"]
    pts.append({"name": "no back-end errors",
                "status": "pass" if not be else "fail",
                "detail": "%s back-end error(s)" % be if be else ""})
    rb = rep["readback"]
    if rb["present"]:
        pts.append(_rerun_point(rb))
    if not rep["buckets"]:
        pts.append({"name": "no divergences", "status": "pass", "detail": ""})
    for b in rep["buckets"]:
        if b["known"]:
            continue
        checks = ", ".join(c["id"] for c in b["failing_checks"]) or "none"
        if b["unstable"]:
            # Seen in the engine's big batch, not when run again alone
            # with read-back: reported, never a plain failure.
            pts.append({
                "name": "bucket %s %s" % (b["signature"], b["backend"]),
                "status": "unstable",
                "detail": "not reproduced: %s observed %s, re-run %s (%s); "
                          "model %s; checks: %s; count %s" % (
                              b["backend"], b["observed"],
                              b["readback"]["rerun_observed"],
                              b["readback"]["rerun_agreement"], b["model"],
                              checks, b["count"])})
            continue
        more = rbmod.describe(b["readback"])
        pts.append({
            "name": "bucket %s %s" % (b["signature"], b["backend"]),
            "status": "fail",
            "detail": "model %s, %s observed %s; checks: %s; count %s%s" % (
                b["model"], b["backend"], b["observed"], checks, b["count"],
                "; " + more if more else "")})
    for g in rep["known_groups"]:
        pts.append({
            "name": "known deviation %s -> %s %s" % (
                " ".join(g["known_checks"]) or "none", g["observed_kind"],
                s["backend"]),
            "status": "xfail",
            "detail": "%s divergence(s) in %s signature(s)" % (
                g["count"], g["signatures"])})
    return pts


def _rerun_point(rb):
    """Were the records re-run with read-back?  Fails when a re-run could
    not be made (those records are kept without read-back), skips when
    the back end cannot read back at all."""
    name = "read-back re-runs"
    if rb["rerun_error"]:
        return {"name": name, "status": "fail",
                "detail": "%d record(s) kept without read-back: %s" % (
                    rb["rerun_error"], rb["rerun_errors"][0][0])}
    if rb["available"] is False and not rb["records"] and not rb["unstable"]:
        return {"name": name, "status": "skip",
                "detail": "the back end cannot read back"}
    return {"name": name, "status": "pass",
            "detail": "%d of %d record(s) read back, %d unstable" % (
                rb["records"], rb["total"], rb["unstable"])}


def build(camp, cat, others=(), history=()):
    """The report of campaign @camp.  @others: campaigns of other back ends
    for the comparison; @history: earlier nights, oldest first."""
    s = camp.summary
    bks = buckets(camp, cat)
    rep = {
        "v": 1,
        "summary": {
            "campaign": camp.name,
            "dir": camp.path,
            "backend": s.get("backend") or ", ".join(
                sorted({r["backend"] for r in camp.records})),
            "profile": s.get("profile") or ", ".join(
                sorted({r.get("profile", "") for r in camp.records})),
            "engine": s.get("engine", ""),
            "start": s.get("start", ""),
            "end": s.get("end", ""),
            "duration_s": camp.duration,
            "execs": s.get("execs"),
            "execs_per_sec": s.get("execs_per_sec"),
            "divergences": len(camp.records),
            "buckets": len(bks),
            "known_buckets": sum(1 for b in bks if b["known"]),
            "new_buckets": sum(1 for b in bks
                               if not b["known"] and not b["unstable"]),
            "unstable_buckets": sum(1 for b in bks
                                    if not b["known"] and b["unstable"]),
            "pending_minimization": s.get("pending_minimization", 0),
            "seed": s.get("seed"),
            "backend_errors": s.get("backend_errors"),
            "skipped": dict(sorted((s.get("skipped") or {}).items())),
            "summary_present": bool(s),
            "catalogue": cat.source or "none",
        },
        "buckets": bks,
        "clusters": clusters(bks, s),
        "known_groups": known_groups(bks, s),
        "readback": rbmod.summary(camp, bks),
        "unstable": rbmod.unstable(camp, bks),
        "coverage": coverage(camp, cat),
        "coverage_over_time": [list(r) for r in
                               s.get("coverage_over_time") or []],
        "comparison": comparison([camp] + list(others)),
        "trend": [night(h) for h in history] + [night(camp)]
        if history else [],
    }
    rep["summary"]["new_clusters"] = len(rep["clusters"])
    rep["summary"]["known_groups"] = len(rep["known_groups"])
    rep["results"] = results(rep)
    rep["warnings"] = list(camp.warnings)
    for o in others:
        rep["warnings"] += ["%s: %s" % (o.name, w) for w in o.warnings]
    return rep
