# SPDX-License-Identifier: GPL-2.0
"""Load a campaign directory (docs/reports.md "Inputs"):

  DIR/summary.json     written by the campaign driver
  DIR/records.jsonl    divergence records (records.py)
  DIR/minimized/*.vmcs minimized cases, referenced from summary buckets

A campaign killed before it wrote summary.json still has records: the
report then derives what it can from them and says that the summary is
missing.  A summary that is present but malformed is an error naming the
file and the member, since silently guessing would make a wrong report.
"""

import json
import os
from datetime import datetime

from .records import read_records


class CampaignError(Exception):
    pass


# member -> accepted Python types; absent members are allowed (the
# report shows "n/a"), wrongly typed ones are errors.
_SUMMARY_TYPES = {
    "campaign": (str,), "backend": (str,), "profile": (str,),
    "engine": (str,), "start": (str,), "end": (str,),
    "execs": (int,), "execs_per_sec": (int, float),
    "coverage": (dict,), "coverage_over_time": (list,),
    "buckets": (list,), "skipped": (dict,), "backend_errors": (int,),
    "readback": (dict,),
}

# Read-back counts (docs/campaign.md), in "readback" of the summary and of
# each bucket.  Added to version 1 without a new "v": a summary written
# before them simply lacks the member and the report counts the records.
READBACK_COUNTS = ("records", "unexpected", "corrected", "unstable",
                   "rerun_error")
_READBACK_TOP = READBACK_COUNTS + ("buckets_unexpected", "buckets_unstable")


def parse_time(text):
    """ISO 8601 -> aware or naive datetime, or None."""
    if not isinstance(text, str):
        return None
    t = text.strip()
    if t.endswith("Z"):
        t = t[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(t)
    except ValueError:
        return None


def _validate_summary(s, path):
    if not isinstance(s, dict):
        raise CampaignError("%s: not a JSON object" % path)
    if s.get("v", 1) != 1:
        raise CampaignError("%s: member v: unsupported version %r" %
                            (path, s.get("v")))
    for k, types in _SUMMARY_TYPES.items():
        if k in s and s[k] is not None and not isinstance(s[k], types):
            raise CampaignError("%s: member %s: expected %s, got %s" %
                                (path, k, "/".join(t.__name__ for t in types),
                                 type(s[k]).__name__))
    for cid, c in (s.get("coverage") or {}).items():
        if (not isinstance(c, dict) or
                not isinstance(c.get("failed", 0), int) or
                not isinstance(c.get("passed", 0), int)):
            raise CampaignError("%s: member coverage.%s: expected "
                                "{\"failed\": n, \"passed\": n}" % (path, cid))
    for i, row in enumerate(s.get("coverage_over_time") or []):
        if (not isinstance(row, list) or len(row) < 3 or
                not all(isinstance(x, (int, float)) for x in row)):
            raise CampaignError("%s: member coverage_over_time[%d]: expected "
                                "[seconds, ids_failed, ids_passed, execs]" %
                                (path, i))
    for i, b in enumerate(s.get("buckets") or []):
        if not isinstance(b, dict) or not isinstance(b.get("signature"), str):
            raise CampaignError("%s: member buckets[%d]: no string "
                                "\"signature\"" % (path, i))
        _validate_readback(b.get("readback"), READBACK_COUNTS, list,
                           "%s: member buckets[%d].readback" % (path, i))
    _validate_readback(s.get("readback"), _READBACK_TOP, dict,
                       "%s: member readback" % path)


def _count(x):
    return isinstance(x, int) and not isinstance(x, bool) and x >= 0


def _validate_readback(rb, counts, fields_type, where):
    """@rb: absent, or {count: n, ..., "fields": @fields_type,
    "available": bool}; the summary's "fields" maps a field to its records,
    a bucket's lists the field names."""
    if rb is None:
        return
    if not isinstance(rb, dict):
        raise CampaignError("%s: expected an object" % where)
    for k in counts:
        if k in rb and not _count(rb[k]):
            raise CampaignError("%s.%s: expected a count, got %r" %
                                (where, k, rb[k]))
    if "available" in rb and not isinstance(rb["available"], bool):
        raise CampaignError("%s.available: expected true/false" % where)
    f = rb.get("fields", fields_type())
    ok = (isinstance(f, dict) and all(_count(v) for v in f.values())
          if fields_type is dict else
          isinstance(f, list) and all(isinstance(v, str) for v in f))
    if not ok:
        raise CampaignError("%s.fields: expected %s" % (
            where, "{FIELD: records}" if fields_type is dict
            else "[FIELD, ...]"))


class Campaign:
    """Everything the report needs from one campaign directory."""

    def __init__(self, path, warn):
        self.path = os.path.abspath(path)
        self.warnings = []
        self._warn = warn
        if not os.path.isdir(path):
            raise CampaignError("%s: not a directory" % path)
        self.summary = self._load_summary()
        self.records = read_records(os.path.join(path, "records.jsonl"),
                                    self.warn)
        if not self.summary and not self.records:
            raise CampaignError("%s: neither summary.json nor any record in "
                                "records.jsonl: not a campaign directory" %
                                path)

    def warn(self, msg):
        self.warnings.append(msg)
        self._warn(msg)

    def _load_summary(self):
        p = os.path.join(self.path, "summary.json")
        if not os.path.exists(p):
            self.warn("%s: missing (campaign did not finish?); report "
                      "built from records only" % p)
            return {}
        try:
            with open(p, encoding="utf-8") as f:
                s = json.load(f)
        except ValueError as e:
            raise CampaignError("%s: not JSON: %s" % (p, e))
        _validate_summary(s, p)
        return s

    # Convenience accessors with the fallbacks the templates need.
    @property
    def name(self):
        return self.summary.get("campaign") or os.path.basename(self.path)

    @property
    def start(self):
        return parse_time(self.summary.get("start"))

    @property
    def end(self):
        return parse_time(self.summary.get("end"))

    @property
    def duration(self):
        if self.start and self.end:
            try:
                return (self.end - self.start).total_seconds()
            except TypeError:      # one aware, one naive
                return None
        return None

    def backends(self):
        """Distinct (backend, profile) pairs seen in summary and records."""
        seen = []
        if self.summary.get("backend"):
            seen.append((self.summary["backend"],
                         self.summary.get("profile") or ""))
        for r in self.records:
            k = (r["backend"], r.get("profile") or "")
            if k not in seen:
                seen.append(k)
        return seen

    def read_minimized(self, rel):
        """Text of a minimized case named in a bucket, or None with a
        warning.  Relative paths are relative to the campaign dir; a path
        escaping it is refused (the report embeds the file's text)."""
        if not rel:
            return None
        p = rel if os.path.isabs(rel) else os.path.join(self.path, rel)
        p = os.path.realpath(p)
        if not p.startswith(os.path.realpath(self.path) + os.sep):
            self.warn("bucket minimized case %s: outside the campaign "
                      "directory; not embedded" % rel)
            return None
        try:
            with open(p, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError as e:
            self.warn("bucket minimized case %s: %s" % (rel, e.strerror))
            return None


def discover_history(camp, warn):
    """Earlier nights of the same campaign among DIR's siblings: dirs with a
    summary.json of the same campaign name whose start is earlier."""
    parent = os.path.dirname(camp.path)
    out = []
    for name in sorted(os.listdir(parent)):
        p = os.path.join(parent, name)
        if p == camp.path or not os.path.isfile(
                os.path.join(p, "summary.json")):
            continue
        try:
            with open(os.path.join(p, "summary.json"), encoding="utf-8") as f:
                s = json.load(f)
        except (OSError, ValueError) as e:
            warn("history: %s/summary.json skipped: %s" % (p, e))
            continue
        if not isinstance(s, dict) or s.get("campaign") != camp.name:
            continue
        st = parse_time(s.get("start"))
        if camp.start and st and _before(st, camp.start):
            out.append(p)
    return out


def _before(a, b):
    try:
        return a < b
    except TypeError:
        return a.replace(tzinfo=None) < b.replace(tzinfo=None)


def load_history(paths, warn):
    """Campaign objects for @paths (bad ones are skipped with a warning),
    oldest first."""
    out = []
    for p in paths:
        try:
            out.append(Campaign(p, lambda m: None))
        except CampaignError as e:
            warn("history: skipped: %s" % e)
    out.sort(key=lambda c: (c.start is None,
                            c.start.replace(tzinfo=None) if c.start else 0,
                            c.path))
    return out
