#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A stand-in for the vmxcc binary that speaks exactly the interface the
gate relies on (docs/gate.md "What the gate needs from vmxcc"), with the
answers taken from a JSON 'world' file ($FAKE_VMXCC_WORLD):

  {"check":    {"CASE-BASENAME": {"model": "...", "failing_checks": [...]}
                | {"error": "file:line: ..."}},
   "backends": {"bochs": {"absent": "why" | null,
                          "results": {"CASE-BASENAME": {...replay line...}}}},
   "no_file_member": false, "drop": {"check": ["member", ...]}}

It lets the gate's tests cover every path (agreement, divergence, skips,
absent back ends, broken output) without Bochs or silicon."""

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
            sys.stderr.write("vmxcc: back end %s: not built\n" % args[2])
            return 2
        if be.get("absent"):
            sys.stderr.write("vmxcc: back end %s: not available on this "
                             "machine: %s\n" % (args[2], be["absent"]))
            return 2
        table, files = be["results"], args[3:]
    else:
        sys.stderr.write("vmxcc: usage\n")
        return 2
    out = []
    for f in files:
        r = dict(table[os.path.basename(f)])
        if "error" in r:
            sys.stderr.write(r["error"] + "\n")
            return 2
        if not world.get("no_file_member"):
            r["file"] = f
        for m in world.get("drop", {}).get(args[0], []):
            r.pop(m, None)
        out.append(r)
    for r in out:
        print(json.dumps(r))
    diverged = any(r.get("agreement") == "diverge" for r in out)
    return 1 if diverged else 0


sys.exit(main())
