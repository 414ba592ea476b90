# SPDX-License-Identifier: GPL-2.0
"""Render a built report (build.py) to its output formats."""

import json
import os

import jinja2

from . import tap

TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "templates")


def _num(x, fmt="{:,}"):
    if x is None or x == "":
        return "n/a"
    try:
        return fmt.format(x)
    except (ValueError, TypeError):
        return str(x)


def _duration(s):
    if s is None:
        return "n/a"
    s = int(s)
    return "%dh %02dm %02ds" % (s // 3600, s % 3600 // 60, s % 60)


def _md(text):
    """Escape text for a Markdown table cell."""
    return (str(text if text is not None else "").replace("\\", "\\\\")
            .replace("|", "\\|").replace("\n", " ").replace("<", "&lt;"))


def _env(autoescape):
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = _num
    env.filters["rate"] = lambda x: _num(x, "{:,.1f}")
    env.filters["duration"] = _duration
    env.filters["md"] = _md
    return env


def html(rep, plots, link_base=""):
    """@link_base: the campaign directory relative to the HTML file, for
    links to the minimized cases of folded buckets."""
    return _env(True).get_template("report.html.j2").render(
        r=rep, s=rep["summary"], plots=plots, link_base=link_base)


def markdown(rep):
    return _env(False).get_template("report.md.j2").render(
        r=rep, s=rep["summary"])


def json_summary(rep):
    """The report as JSON, minus the embedded case texts (they are in the
    campaign dir and the HTML)."""
    slim = dict(rep)
    slim["buckets"] = [{k: v for k, v in b.items() if k != "case_text"}
                       for b in rep["buckets"]]
    # Clusters name their buckets (listed above) instead of repeating them.
    slim["clusters"] = [
        dict({k: v for k, v in c.items()
              if k not in ("buckets", "full", "folded")},
             buckets=[b["signature"] for b in c["buckets"]])
        for c in rep["clusters"]]
    slim["unstable"] = dict(rep["unstable"], buckets=[
        b["signature"] for b in rep["unstable"]["buckets"]])
    return json.dumps(slim, indent=1, sort_keys=True, default=str) + "\n"


def tap13(rep):
    s = rep["summary"]
    return tap.tap13(rep["results"], header=[
        "vmxcc campaign %s: %s on %s" % (s["campaign"], s["backend"],
                                         s["profile"])])


def kut(rep):
    return tap.kut_lines(rep["results"])


def junit(rep):
    return tap.junit_xml(rep["results"], "vmxcc.campaign." +
                         rep["summary"]["campaign"])
