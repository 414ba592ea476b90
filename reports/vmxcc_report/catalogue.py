# SPDX-License-Identifier: GPL-2.0
"""The check catalogue: id -> SDM section and one-line statement.

Sources, first found wins:
  1. an explicit JSON file (--catalogue FILE),
  2. DIR/catalogue.json saved by the campaign (keeps old reports
     reproducible when the catalogue grows),
  3. ``vmxcc checks --json`` from the binary (--vmxcc, $VMXCC, or the
     build tree next to this checkout).
Without any of them the report still works, with ids only.

Accepted JSON shapes: a list of {"id", "section", "statement", ...} or an
object whose "checks" member is such a list.
"""

import json
import os
import re
import subprocess

UNKNOWN_SECTION = "(section unknown: no catalogue)"
NOT_CATALOGUED = "(not in the catalogue)"


class Catalogue:
    def __init__(self, checks=None, source=None):
        self.checks = {}          # id -> dict(section=, statement=, cls=)
        self.order = []           # ids in catalogue (SDM) order
        self.source = source
        for c in checks or []:
            self.checks[c["id"]] = c
            self.order.append(c["id"])

    def __bool__(self):
        return bool(self.checks)

    def section(self, cid):
        c = self.checks.get(cid)
        if c and c.get("section"):
            return c["section"]
        return NOT_CATALOGUED if self.checks else UNKNOWN_SECTION

    def statement(self, cid):
        c = self.checks.get(cid)
        return (c or {}).get("statement", "")

    def known(self, cid):
        return cid in self.checks


def parse(text, origin):
    """Parse catalogue JSON text; raise ValueError naming @origin."""
    try:
        obj = json.loads(text)
    except ValueError as e:
        raise ValueError("%s: not JSON: %s" % (origin, e))
    if isinstance(obj, dict):
        obj = obj.get("checks")
    if not isinstance(obj, list):
        raise ValueError("%s: expected a list of checks or "
                         "{\"checks\": [...]}" % origin)
    out = []
    for i, c in enumerate(obj):
        if not isinstance(c, dict) or not isinstance(c.get("id"), str):
            raise ValueError("%s: check #%d has no string \"id\"" %
                             (origin, i))
        out.append({
            "id": c["id"],
            "section": str(c.get("section") or ""),
            "statement": str(c.get("statement") or ""),
            "cls": str(c.get("class") or c.get("cls") or ""),
        })
    return out


def find_vmxcc(explicit=None):
    """Path of the vmxcc binary, or None.  An explicit path or $VMXCC is the
    only candidate; otherwise $VMXCC_BUILD/harness/vmxcc, then
    <checkout>/build/harness/vmxcc."""
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(os.path.dirname(here))
    if explicit or os.environ.get("VMXCC"):
        cands = [explicit or os.environ["VMXCC"]]
    else:
        cands = [os.path.join(os.environ["VMXCC_BUILD"], "harness", "vmxcc")
                 if os.environ.get("VMXCC_BUILD") else None,
                 os.path.join(top, "build", "harness", "vmxcc")]
    for c in cands:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


def from_vmxcc(binary, warn):
    try:
        p = subprocess.run([binary, "checks", "--json"], capture_output=True,
                           text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        warn("catalogue: %s checks --json failed: %s" % (binary, e))
        return None
    if p.returncode != 0:
        warn("catalogue: %s checks --json exited %d: %s" %
             (binary, p.returncode, p.stderr.strip()[:200]))
        return None
    try:
        return Catalogue(parse(p.stdout, binary + " checks --json"),
                         "%s checks --json" % binary)
    except ValueError as e:
        warn("catalogue: %s" % e)
        return None


def load(campaign_dir=None, explicit_file=None, vmxcc=None, warn=print):
    """Best catalogue available; an empty Catalogue when there is none."""
    if explicit_file:
        with open(explicit_file, encoding="utf-8") as f:
            return Catalogue(parse(f.read(), explicit_file), explicit_file)
    if campaign_dir:
        saved = os.path.join(campaign_dir, "catalogue.json")
        if os.path.isfile(saved):
            with open(saved, encoding="utf-8") as f:
                try:
                    return Catalogue(parse(f.read(), saved), saved)
                except ValueError as e:
                    warn("catalogue: %s" % e)
    binary = find_vmxcc(vmxcc)
    if binary:
        cat = from_vmxcc(binary, warn)
        if cat:
            return cat
    warn("catalogue: none available (no catalogue.json, no vmxcc binary); "
         "the report shows check ids without SDM sections")
    return Catalogue()


def section_key(section):
    """Sort key putting "26.3.1.2 ..." in SDM order, unknown last."""
    m = re.match(r"\s*(\d+(?:\.\d+)*)", section or "")
    if not m:
        return ((1 << 30,), section or "")
    return (tuple(int(x) for x in m.group(1).split(".")), section)
