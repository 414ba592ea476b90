# SPDX-License-Identifier: GPL-2.0
"""python3 -m vmxcc_report DIR [--out OUT] [--history DIR...] [--compare DIR...]

Exit status: 0 report written; 1 report written and --fail-on-divergence
was given and the campaign has a divergence or back-end error; 2 bad usage
or unreadable input (the message names the file and the member)."""

import argparse
import os
import sys

from . import build, catalogue, render, tap
from .campaign import Campaign, CampaignError, discover_history, load_history


def _parser():
    p = argparse.ArgumentParser(
        prog="python3 -m vmxcc_report",
        description="Build the HTML/Markdown/JSON/TAP report of a vmxcc "
        "campaign directory (docs/reports.md).")
    p.add_argument("dir", metavar="DIR", help="campaign directory "
                   "(summary.json, records.jsonl, minimized/)")
    p.add_argument("--out", metavar="OUT", help="output directory "
                   "(default DIR/report), or a file name ending in .html: "
                   "the other formats then go next to it with the same stem")
    p.add_argument("--history", metavar="DIR", nargs="+", default=None,
                   help="earlier nights of this campaign, for the trend "
                   "(default: sibling dirs of DIR with the same campaign "
                   "name and an earlier start)")
    p.add_argument("--no-history", action="store_true",
                   help="do not look for earlier nights")
    p.add_argument("--compare", metavar="DIR", nargs="+", default=[],
                   help="campaign dirs of other back ends/profiles for the "
                   "comparison section")
    p.add_argument("--catalogue", metavar="FILE",
                   help="check catalogue JSON (as printed by "
                   "`vmxcc checks --json`)")
    p.add_argument("--vmxcc", metavar="PATH",
                   help="vmxcc binary used for `vmxcc checks --json`")
    p.add_argument("--fail-on-divergence", action="store_true",
                   help="exit 1 when the campaign has any divergence or "
                   "back-end error")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no warnings on stderr (they stay in the report)")
    return p


def output_paths(out, camp_dir):
    if not out:
        out = os.path.join(camp_dir, "report")
    if out.endswith(".html"):
        d, stem = os.path.dirname(out) or ".", os.path.basename(out)[:-5]
    else:
        d, stem = out, "report"
    return d, {ext: os.path.join(d, stem + ext) for ext in
               (".html", ".md", ".json", ".tap", ".kut.txt", ".junit.xml")}


def _write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def run(argv=None):
    a = _parser().parse_args(argv)

    def warn(msg):
        if not a.quiet:
            print("vmxcc_report: warning: " + msg, file=sys.stderr)

    try:
        camp = Campaign(a.dir, warn)
        others = [Campaign(d, warn) for d in a.compare]
        cat = catalogue.load(a.dir, a.catalogue, a.vmxcc, warn)
    except (CampaignError, ValueError, OSError) as e:
        print("vmxcc_report: error: %s" % e, file=sys.stderr)
        return 2
    if a.history is not None:
        hist_dirs = a.history
    elif a.no_history:
        hist_dirs = []
    else:
        hist_dirs = discover_history(camp, warn)
    history = load_history(hist_dirs, warn)

    rep = build.build(camp, cat, others, history)
    from . import plots    # matplotlib is slow to import: only when needed
    figs = plots.all_plots(rep)

    d, paths = output_paths(a.out, a.dir)
    os.makedirs(d, exist_ok=True)
    link_base = os.path.relpath(camp.path, os.path.dirname(
        os.path.abspath(paths[".html"])))
    _write(paths[".html"], render.html(rep, figs, link_base))
    _write(paths[".md"], render.markdown(rep))
    _write(paths[".json"], render.json_summary(rep))
    _write(paths[".tap"], render.tap13(rep))
    _write(paths[".kut.txt"], render.kut(rep))
    _write(paths[".junit.xml"], render.junit(rep))

    s = rep["summary"]
    print("vmxcc_report: %s: %s execs, %d divergence(s) in %d bucket(s), "
          "%d/%d check ids seen failing" % (
              s["campaign"], render._num(s["execs"]), s["divergences"],
              s["buckets"], rep["coverage"]["failed_ids"],
              rep["coverage"]["ids"]))
    print("HTML report: %s" % os.path.abspath(paths[".html"]))
    if a.fail_on_divergence and tap.failed(rep["results"]):
        return 1
    return 0


def main():
    sys.exit(run())
