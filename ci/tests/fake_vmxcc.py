#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A stand-in for the vmxcc binary that speaks the interface the gate uses
(docs/gate.md, harness/cli/cmd_check.c and cmd_replay.c), with the answers
taken from a JSON 'world' file ($FAKE_VMXCC_WORLD):

  {"check":    {"CASE-BASENAME": {"model": "...", "failing_checks": [...],
                                  "expect": "pass|fail|none", ...}
                                 | {"error": "file:line: ..."}},
   "backends": {"bochs": {"absent": "why" | null,
                          "known_error": "LINE: why" | null,
                          "results": {"CASE-BASENAME": {...replay line...}}}},
   "no_file_member": false, "drop": {"check": ["member", ...]}}

Like vmxcc it reports a bad case on stderr and goes on (exit 2 at the end),
exits 1 when an expectation fails or a case diverges in a way the known
deviations do not explain, and exits 2 with "not built" / "not available
on this machine" for a back end it cannot open.

`replay --known FILE|none`: the table says what vmxcc's rule
(deviations_explain) would conclude: a diverging result whose entry has
"known_checks" is printed with "known": true and those checks when FILE is
not "none"; otherwise both members are dropped.  When the back end has
"known_error", any FILE is refused as malformed ("FILE:LINE: why"), with
exit 2 and no result.

It lets the gate's tests cover every path without Bochs or silicon.  Every
invocation is appended to $FAKE_VMXCC_WORLD.log."""

import json
import os
import sys


def replay_args(args):
    """(backend, known file or None, case files) of a replay command line;
    options may come in any order before the cases, as with getopt."""
    be, known, files = None, None, []
    i = 1
    while i < len(args):
        if args[i] in ("--backend", "--known"):
            if args[i] == "--backend":
                be = args[i + 1]
            else:
                known = args[i + 1]
            i += 2
        else:
            files.append(args[i])
            i += 1
    return be, known, files


def explained(r, known):
    """The result as vmxcc prints it, given its --known file."""
    r = dict(r)
    checks = r.pop("known_checks", None)
    r.pop("known", None)
    if (checks is not None and known not in (None, "none") and
            r.get("agreement") == "diverge"):
        r["known"], r["known_checks"] = True, checks
    return r


def main():
    with open(os.environ["FAKE_VMXCC_WORLD"]) as f:
        world = json.load(f)
    with open(os.environ["FAKE_VMXCC_WORLD"] + ".log", "a") as f:
        f.write(" ".join(sys.argv[1:]) + "\n")
    args = sys.argv[1:]
    if args[:2] == ["check", "--json"]:
        table, files = world["check"], args[2:]
    elif args[:1] == ["replay"]:
        name, known, files = replay_args(args)
        be = world["backends"].get(name)
        if be is None:
            sys.stderr.write("vmxcc: backend %s: not built: this vmxcc was "
                             "built without it\n" % name)
            return 2
        if be.get("absent"):
            sys.stderr.write("vmxcc: backend %s: not available on this "
                             "machine: %s\n" % (name, be["absent"]))
            return 2
        if known not in (None, "none") and be.get("known_error"):
            sys.stderr.write("vmxcc: %s:%s\n" % (known, be["known_error"]))
            return 2
        table = {k: explained(r, known) for k, r in be["results"].items()}
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
               r.get("agreement") == "backend-error" or
               (r.get("agreement") == "diverge" and not r.get("known")))
        if bad and rc == 0:
            rc = 1
    return rc


sys.exit(main())
