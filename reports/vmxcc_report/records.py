# SPDX-License-Identifier: GPL-2.0
"""Divergence records: JSONL, one object per line (docs/records.md).

A campaign appends records atomically, but a report may read the file while
a campaign is still writing, or after a host crash: a last line without its
newline, or any line that is not a JSON object, is skipped with a warning
that names file:line.  Nothing is guessed and nothing crashes.
"""

import json

# The fields a record must carry for the report to place it in a bucket.
REQUIRED = ("signature", "backend", "model", "observed")


class Record(dict):
    """One divergence record; a dict with the file position it came from."""

    def __init__(self, obj, where):
        super().__init__(obj)
        self.where = where

    @property
    def failing_checks(self):
        return list(self.get("failing_checks") or [])

    @property
    def unexpected(self):
        """Read-back differences the SDM does not explain (findings)."""
        return list((self.get("readback") or {}).get("unexpected") or [])

    @property
    def corrected(self):
        """Judged on the image corrected with the values read back."""
        return (self.get("readback") or {}).get("corrected") is True


def _check(obj, where):
    """Return None if @obj is a usable record, else why not."""
    if not isinstance(obj, dict):
        return "not a JSON object"
    missing = [k for k in REQUIRED if not isinstance(obj.get(k), str)]
    if missing:
        return "missing or non-string field(s): " + ", ".join(missing)
    if obj.get("v", 1) != 1:
        return "unsupported record version %r" % obj.get("v")
    fc = obj.get("failing_checks", [])
    if not isinstance(fc, list) or not all(isinstance(x, str) for x in fc):
        return "field failing_checks is not a list of check ids"
    why = _check_readback(obj.get("readback"), "readback")
    if why:
        return why
    u = obj.get("unstable")
    if u is not None:
        if not isinstance(u, dict) or not isinstance(u.get("observed"), str):
            return "field unstable is not an object with a string \"observed\""
        why = _check_readback(u.get("readback"), "unstable.readback")
        if why:
            return why
    if not isinstance(obj.get("rerun_error", ""), str):
        return "field rerun_error is not a string"
    return None


def _check_readback(rb, name):
    """None if @rb (member @name) is absent or shaped as docs/records.md
    says: {"unexpected": [{field, written, read}], "expected": n,
    "corrected": bool, ...}; else why not."""
    if rb is None:
        return None
    if not isinstance(rb, dict):
        return "field %s is not an object" % name
    un = rb.get("unexpected", [])
    if not isinstance(un, list):
        return "field %s.unexpected is not a list" % name
    for i, u in enumerate(un):
        if not (isinstance(u, dict) and
                all(isinstance(u.get(k), str)
                    for k in ("field", "written", "read"))):
            return ("field %s.unexpected[%d] is not {\"field\", \"written\", "
                    "\"read\"} (strings)" % (name, i))
    if not isinstance(rb.get("corrected", False), bool):
        return "field %s.corrected is not true/false" % name
    sub = rb.get("substituted", [])
    if not isinstance(sub, list) or not all(isinstance(x, str) for x in sub):
        return "field %s.substituted is not a list of field names" % name
    return None


def read_records(path, warn):
    """Read @path; return a list of Record.  @warn(msg) gets one message per
    skipped line.  A missing file is an empty list (a campaign that found
    nothing may not create it); an unreadable one raises OSError."""
    out = []
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return out
    with f:
        data = f.read()
    lines = data.split(b"\n")
    # split() leaves a final empty element when the file ends in "\n";
    # anything else in that position is a torn last line.
    torn = lines.pop() if lines else b""
    for no, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        where = "%s:%d" % (path, no)
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            # Also what a torn append left mid-file looks like: the next
            # writer starts its record on a fresh line (docs/records.md).
            warn("%s: skipped: not JSON, torn or corrupt (%s)" % (where, e))
            continue
        why = _check(obj, where)
        if why:
            warn("%s: skipped: %s" % (where, why))
            continue
        out.append(Record(obj, where))
    if torn.strip():
        warn("%s:%d: skipped: torn last line (no newline; %d bytes)" %
             (path, len(lines) + 1, len(torn)))
    return out
