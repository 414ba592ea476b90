#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A stand-in for the vmxcc binary that speaks the interface the gate uses
(docs/gate.md, harness/cli/cmd_check.c and cmd_replay.c), with the answers
taken from a JSON 'world' file ($FAKE_VMXCC_WORLD):

  {"check":    {"CASE-BASENAME": {"model": "...", "failing_checks": [...],
                                  "expect": "pass|fail|none", ...}
                                 | {"error": "file:line: ..."}},
   "backends": {"bochs": {"absent": "why" | null,
                          "results": {"CASE-BASENAME": {...replay line...}}}},
   "no_file_member": false, "drop": {"check": ["member", ...]}}

Like vmxcc it reports a bad case on stderr and goes on (exit 2 at the end),
exits 1 when an expectation fails or a case diverges, and exits 2 with
"not built" / "not available on this machine" for a back end it cannot
open.  It lets the gate's tests cover every path without Bochs or silicon.
Every invocation is appended to $FAKE_VMXCC_WORLD.log."""

import json
import os
import sys


def main():
    with open(os.environ["FAKE_VMXCC_WORLD"]) as f:
        world = json.load(f)
    with open(os.environ["FAKE_VMXCC_WORLD"] + ".log", "a") as f:
        f.write(" ".join(sys.argv[1:]) + "\n")
    args = sys.argv[1:]
    if args[:2] == ["check", "--json"]:
        table, files = world["check"], args[2:]
    elif args[:2] == ["replay", "--backend"]:
        be = world["backends"].get(args[2])
        if be is None:
            sys.stderr.write("vmxcc: backend %s: not built: this vmxcc was "
                             "built without it\n" % args[2])
            return 2
        if be.get("absent"):
            sys.stderr.write("vmxcc: backend %s: not available on this "
                             "machine: %s\n" % (args[2], be["absent"]))
            return 2
        table, files = be["results"], args[3:]
    else:
        sys.stderr.write("vmxcc: usage\n")
        return 2
    rc = 0
    for f in files:
        r = dict(table[os.path.basename(f)])
        if "error" in r:
            sys.stderr.write("vmxcc: %s\n" % r["error"])
            rc = 2
            if args[0] == "check":
                continue
        if not world.get("no_file_member"):
            r = dict({"file": f}, **r)
        for m in world.get("drop", {}).get(args[0], []):
            r.pop(m, None)
        print(json.dumps(r))
        bad = (r.get("expect") == "fail" or
               r.get("agreement") in ("diverge", "backend-error"))
        if bad and rc == 0:
            rc = 1
    return rc


sys.exit(main())
