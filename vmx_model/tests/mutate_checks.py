#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mutation sanity check of the model's tests.

Usage: mutate_checks.py BUILD_DIR COUNT SEED drop|invert

Picks COUNT random CC() lines of vmx_model/src/checks_*.c, and one at a
time either drops the check (condition -> 0) or inverts it (condition ->
!(condition)), rebuilds the model tests in BUILD_DIR and runs them
(ctest -R ^model.).  A mutation must make at least one test fail
("caught").  Each source file is restored right after its run; do not
edit the check files while this runs.  Never commit a mutant."""
import glob, random, re, subprocess, sys, shutil

import os
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src')
BUILD = None
TARGETS = 'test_checks test_baselines test_ordering test_canonical test_outcome test_profile test_fields'.split()

def sites():
    out = []
    for f in sorted(glob.glob(SRC + '/checks_*.c')):
        s = open(f).read()
        for m in re.finditer(r'\bCC\(v, ([A-Z0-9_]+), ', s):
            # find the matching close paren of CC(
            depth, i = 1, m.end()
            start = m.end()
            while depth:
                c = s[i]
                if c == '(':
                    depth += 1
                elif c == ')':
                    depth -= 1
                i += 1
            out.append((f, m.group(1), start, i - 1))
    return out

def run(f, start, end, mode):
    orig = open(f).read()
    cond = orig[start:end]
    new = '0' if mode == 'drop' else '!(' + cond + ')'
    open(f, 'w').write(orig[:start] + new + orig[end:])
    try:
        b = subprocess.run(['make', '-C', BUILD, '-j2'] + TARGETS,
                           capture_output=True, text=True)
        if b.returncode:
            return 'build-error'
        t = subprocess.run(['ctest', '-R', '^model\\.', '--timeout', '60'],
                           cwd=BUILD, capture_output=True, text=True)
        return 'caught' if t.returncode else 'SURVIVED'
    finally:
        open(f, 'w').write(orig)

def main():
    global BUILD
    if len(sys.argv) != 5 or sys.argv[4] not in ('drop', 'invert'):
        sys.exit(__doc__)
    BUILD = sys.argv[1]
    n = int(sys.argv[2]); seed = int(sys.argv[3]); mode = sys.argv[4]
    all_sites = sites()
    print(f'{len(all_sites)} CC() sites', flush=True)
    random.seed(seed)
    pick = random.sample(all_sites, min(n, len(all_sites)))
    res = {}
    for f, cid, s, e in pick:
        r = run(f, s, e, mode)
        res[r] = res.get(r, 0) + 1
        print(f'{mode} {cid} ({f.split("/")[-1]}): {r}', flush=True)
    subprocess.run(['make', '-C', BUILD, '-j2'] + TARGETS, capture_output=True)
    print('summary', mode, res, flush=True)
    return 0 if set(res) <= {'caught'} else 1

if __name__ == '__main__':
    sys.exit(main())
