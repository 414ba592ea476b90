# SPDX-License-Identifier: GPL-2.0
"""Plots as base64 PNG (matplotlib, Agg back end: no display needed), so the
HTML report stays one self-contained file."""

import base64
import io

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

# Fixed metadata so the same input gives byte-identical PNGs.
_META = {"Software": None}


def _png(fig):
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=90, metadata=_META)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def coverage_over_time(rows):
    """rows: [[seconds, ids_failed, ids_passed, execs], ...] -> PNG or None."""
    if not rows:
        return None
    rows = sorted(rows, key=lambda r: r[0])
    t = [r[0] / 60.0 for r in rows]
    fig, ax = plt.subplots(figsize=(8, 3.4))
    ax.step(t, [r[1] for r in rows], where="post", label="check ids failed")
    ax.step(t, [r[2] for r in rows], where="post", label="check ids passed")
    ax.set_xlabel("minutes since start")
    ax.set_ylabel("distinct check ids")
    ax.grid(alpha=0.3)
    if all(len(r) > 3 for r in rows):
        ax2 = ax.twinx()
        ax2.plot(t, [r[3] for r in rows], color="grey", linestyle=":",
                 label="executions")
        ax2.set_ylabel("executions")
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, loc="lower right", fontsize="small")
    else:
        ax.legend(loc="lower right", fontsize="small")
    ax.set_title("Check coverage over time")
    return _png(fig)


def coverage_by_section(sections):
    """Horizontal bars: per SDM section, ids failed / passed / total."""
    if not sections:
        return None
    names = [s["section"] for s in sections][::-1]
    tot = [len(s["rows"]) for s in sections][::-1]
    fl = [s["failed_ids"] for s in sections][::-1]
    ps = [s["passed_ids"] for s in sections][::-1]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(names) + 1.2))
    y = range(len(names))
    ax.barh(y, tot, color="#dddddd", label="ids in section")
    ax.barh([i + 0.2 for i in y], fl, height=0.35, color="#c0392b",
            label="ids seen failing")
    ax.barh([i - 0.2 for i in y], ps, height=0.35, color="#27ae60",
            label="ids seen passing")
    ax.set_yticks(list(y))
    ax.set_yticklabels([n if len(n) <= 60 else n[:58] + "\u2026"
                        for n in names], fontsize="small")
    ax.set_xlabel("check ids")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="lower right", fontsize="small")
    ax.set_title("Check coverage by SDM section")
    return _png(fig)


def trend(nights):
    """Per night: buckets, ids failed/passed, and execs/s."""
    if len(nights) < 2:
        return None
    x = list(range(len(nights)))
    labels = [(n["start"] or n["campaign"])[:10] for n in nights]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.2))
    a1.plot(x, [n["buckets"] for n in nights], marker="o",
            label="divergence buckets")
    a1.plot(x, [n["ids_failed"] for n in nights], marker="s",
            label="ids seen failing")
    a1.plot(x, [n["ids_passed"] for n in nights], marker="^",
            label="ids seen passing")
    a1.legend(fontsize="small")
    a1.yaxis.set_major_locator(MaxNLocator(integer=True))
    a1.set_title("Per night")
    a2.plot(x, [n["execs_per_sec"] or 0 for n in nights], marker="o",
            color="grey")
    a2.set_title("Executions per second")
    for a in (a1, a2):
        a.set_xticks(x)
        a.set_xticklabels(labels, rotation=30, fontsize="small")
        a.grid(alpha=0.3)
    return _png(fig)


def all_plots(rep):
    return {
        "coverage_over_time": coverage_over_time(rep["coverage_over_time"]),
        "coverage_by_section": coverage_by_section(
            rep["coverage"]["sections"]),
        "trend": trend(rep["trend"]),
    }
