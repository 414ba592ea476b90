# SPDX-License-Identifier: GPL-2.0
"""Read-back in the report (docs/records.md "readback", docs/campaign.md
"Read-back").  A record may carry the VMCS read back after its attempt:
differences the SDM does not explain ("unexpected": field, written, read:
findings of their own), and whether the model judged an image corrected
with the values read back.  A campaign record may also be "unstable" (its
re-run with read-back gave another outcome than the engine's big batch)
or carry "rerun_error" (no re-run could be made).

An unstable divergence is not a confirmed finding: the report lists it
apart from the stable ones.  Counts come from the records; the summary's
"readback" members (newer campaigns) are checked against them, and a
disagreement is a warning, as for the buckets' record counts."""

import collections

from .campaign import READBACK_COUNTS

# Caps that keep the page small: distinct written/read pairs shown per
# field, unstable records listed one row each (the rest are counted).
PAIRS_PER_FIELD = 5
UNSTABLE_ROWS = 200
DIFFS_PER_BUCKET = 10     # distinct (field, written, read) per bucket


def counts(recs):
    """{records, unexpected, corrected, unstable, rerun_error} of @recs:
    records carrying read-back, of them naming unexpected differences and
    judged on the corrected image; unstable records; re-run errors."""
    c = collections.Counter()
    for r in recs:
        if "readback" in r:
            c["records"] += 1
            c["unexpected"] += bool(r.unexpected)
            c["corrected"] += r.corrected
        c["unstable"] += "unstable" in r
        c["rerun_error"] += "rerun_error" in r
    return {k: c[k] for k in READBACK_COUNTS}


def _disagree(summary_rb, got):
    return ["%s = %s, records.jsonl has %s" % (k, summary_rb[k], got[k])
            for k in READBACK_COUNTS
            if k in summary_rb and summary_rb[k] != got[k]]


def bucket(sig, recs, sb, warn):
    """What the records of bucket @sig read back (@sb: its summary entry).
    'differences': distinct (field, written, read) with their records;
    'substituted', 'why', 'model_as_written': of the first record judged
    on a corrected image; 'unstable' and 'rerun_error' count records;
    'all_unstable': no record of the bucket reproduced with read-back."""
    srb = sb.get("readback") if isinstance(sb.get("readback"), dict) else {}
    c = counts(recs)
    if recs and srb:
        bad = _disagree(srb, c)
        if bad:
            warn("bucket %s: summary.json readback: %s" %
                 (sig, "; ".join(bad)))
    elif srb:
        # Records lost (campaign dir copied without them): what the
        # summary counted is all there is.
        c = {k: srb.get(k, 0) for k in READBACK_COUNTS}
    pairs, per_field = collections.Counter(), collections.Counter()
    for r in recs:
        for u in r.unexpected:
            pairs[(u["field"], u["written"], u["read"])] += 1
        per_field.update({u["field"] for u in r.unexpected})
    corr = next((r["readback"] for r in recs if r.corrected), {})
    first_u = next((r["unstable"] for r in recs if "unstable" in r), {})
    errors = collections.Counter(r["rerun_error"] for r in recs
                                 if "rerun_error" in r)
    n = len(recs) if recs else sb.get("records", 0)
    fields = sorted(per_field) or sorted(srb.get("fields", []))
    diffs = [{"field": f, "written": w, "read": rd, "records": k}
             for (f, w, rd), k in sorted(pairs.items(),
                                         key=lambda kv: (-kv[1], kv[0]))]
    return dict(c, **{
        "differences": diffs[:DIFFS_PER_BUCKET],
        "differences_more": max(0, len(diffs) - DIFFS_PER_BUCKET),
        "fields": fields,
        "field_records": dict(per_field),
        "substituted": list(corr.get("substituted") or []),
        "why": corr.get("why", ""),
        "model_as_written": corr.get("model_as_written", ""),
        "rerun_errors": errors.most_common(3),
        "rerun_observed": first_u.get("observed", ""),
        "rerun_agreement": first_u.get("agreement", ""),
        "all_unstable": bool(n) and c["unstable"] >= n,
        "shown": bool(c["records"] or c["unstable"] or c["rerun_error"]),
    })


def _fields(bks):
    """Per field read back unexpectedly: records naming it, buckets, a few
    distinct written/read pairs."""
    by = collections.OrderedDict()

    def entry(name):
        return by.setdefault(name, {"field": name, "records": 0,
                                    "buckets": set(), "pairs": []})
    for b in bks:
        for name, n in b["readback"]["field_records"].items():
            entry(name)["records"] += n
            entry(name)["buckets"].add(b["signature"])
        for d in b["readback"]["differences"]:
            f = entry(d["field"])
            pair = [d["written"], d["read"]]
            if pair not in f["pairs"] and len(f["pairs"]) < PAIRS_PER_FIELD:
                f["pairs"].append(pair)
    out = []
    for f in by.values():
        out.append(dict(f, buckets=len(f["buckets"]),
                        signatures=sorted(f["buckets"])[:PAIRS_PER_FIELD]))
    out.sort(key=lambda f: (-f["records"], f["field"]))
    return out


def summary(camp, bks):
    """The campaign's read-back: counts over its records, per field, the
    buckets with findings and those never confirmed, re-run errors.
    'present' is False when neither the summary nor any record says
    anything about read-back (a campaign from before it, or a back end
    without it that wrote an old summary)."""
    s = camp.summary.get("readback")
    s = s if isinstance(s, dict) else {}
    c = counts(camp.records)
    fields = _fields(bks)
    if s:
        bad = _disagree(s, c)
        got = {f["field"]: f["records"] for f in fields}
        if "fields" in s and s["fields"] != got:
            bad.append("fields = %s, records.jsonl has %s" % (
                dict(sorted(s["fields"].items())), dict(sorted(got.items()))))
        if bad:
            camp.warn("summary.json readback: " + "; ".join(bad))
    errors = collections.Counter(r["rerun_error"] for r in camp.records
                                 if "rerun_error" in r)
    return dict(c, **{
        "present": bool(s) or any(c.values()),
        "available": s.get("available"),
        "total": len(camp.records),
        "fields": fields,
        "buckets_unexpected": sum(1 for b in bks
                                  if b["readback"]["differences"]),
        "buckets_unstable": sum(1 for b in bks
                                if b["readback"]["all_unstable"]),
        "rerun_errors": errors.most_common(5),
    })


def unstable(camp, bks):
    """The unstable records, one row each (UNSTABLE_ROWS at most): the
    engine's outcome against the re-run's, and whether their bucket is
    confirmed by another record after all.  'buckets': the new buckets
    none of whose records reproduced (known ones stay in their group)."""
    by_sig = {b["signature"]: b for b in bks}
    rows, anchored = [], set()
    for r in camp.records:
        u = r.get("unstable")
        if u is None:
            continue
        b = by_sig.get(r["signature"], {})
        rows.append({
            "signature": r["signature"], "time": r.get("time", ""),
            "model": r["model"], "observed": r["observed"],
            "rerun_observed": u.get("observed", ""),
            "rerun_agreement": u.get("agreement", ""),
            "rerun_differences": list((u.get("readback") or {})
                                      .get("unexpected") or []),
            "failing_checks": r.failing_checks,
            "known": r.get("known") is True,
            "confirmed": bool(b) and not b["readback"]["all_unstable"],
            "minimized": b.get("minimized"),
            # The bucket's anchor, on its first row when the bucket is
            # shown nowhere else (never confirmed, not known).
            "anchor": bool(b) and b["unstable"] and not b["known"] and
            r["signature"] not in anchored,
        })
        anchored.add(r["signature"])
    return {"records": rows[:UNSTABLE_ROWS],
            "more": max(0, len(rows) - UNSTABLE_ROWS),
            "total": len(rows),
            "buckets": [b for b in bks if b["unstable"] and not b["known"]]}


def describe(rb):
    """One line for a test point: what a bucket's records read back."""
    parts = ["read back %s written %s read %s" % (d["field"], d["written"],
                                                  d["read"])
             for d in rb["differences"][:3]]
    if rb["corrected"]:
        parts.append("judged on the read-back-corrected image")
    if rb["unstable"] and not rb["all_unstable"]:
        parts.append("%d record(s) unstable" % rb["unstable"])
    if rb["rerun_error"]:
        parts.append("%d record(s) without read-back (re-run failed)" %
                     rb["rerun_error"])
    return "; ".join(parts)
