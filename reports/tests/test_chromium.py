# SPDX-License-Identifier: GPL-2.0
"""Open the HTML report in headless Chromium: it must render (a screenshot
that is not blank) and log no console message (the page has no script, and
its Content-Security-Policy turns any external load into a console error).

Skipped, with the reason, when Chromium is not installed, except when
VMXCC_REQUIRE_CHROMIUM=1 (set by .ci/run): then a missing Chromium fails."""

import os
import re
import shutil
import subprocess

import pytest

from vmxcc_report import cli

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]


def chromium_or_skip(binary):
    if binary:
        return binary
    why = "chromium not installed (Debian package chromium)"
    if os.environ.get("VMXCC_REQUIRE_CHROMIUM") == "1":
        pytest.fail(why + ", but VMXCC_REQUIRE_CHROMIUM=1")
    pytest.skip(why)


@pytest.fixture
def chromium():
    return chromium_or_skip(CHROMIUM)


def test_missing_chromium_skips_or_fails_in_ci(monkeypatch):
    monkeypatch.delenv("VMXCC_REQUIRE_CHROMIUM", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium not installed"):
        chromium_or_skip(None)
    monkeypatch.setenv("VMXCC_REQUIRE_CHROMIUM", "1")
    with pytest.raises(pytest.fail.Exception,
                       match="VMXCC_REQUIRE_CHROMIUM=1"):
        chromium_or_skip(None)


def _chromium(binary, tmp_path, *args):
    ud = tmp_path / "chromium-profile"
    p = subprocess.run([binary] + FLAGS + ["--user-data-dir=%s" % ud] +
                       list(args), capture_output=True, text=True,
                       timeout=180, cwd=str(tmp_path))
    return p


def _console(stderr):
    """Console messages of the page (Chromium logs them as ...:CONSOLE...)."""
    return [ln for ln in stderr.splitlines() if re.search(r":CONSOLE\b", ln)]


def test_report_renders_in_chromium(chromium, nights, tmp_path):
    out = str(tmp_path / "out")
    assert cli.run([nights[-1], "--out", out, "-q"]) == 0
    url = "file://" + os.path.join(out, "report.html")

    shot = tmp_path / "shot.png"
    p = _chromium(chromium, tmp_path, "--window-size=1280,2400",
                  "--screenshot=%s" % shot, url)
    assert p.returncode == 0, p.stderr[-2000:]
    assert _console(p.stderr) == []
    assert shot.exists() and shot.stat().st_size > 10000

    # Not a blank page: the screenshot has real contrast (text, tables,
    # plots), read back with matplotlib (no extra package).
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.image as mpimg
    img = mpimg.imread(str(shot))
    assert img.shape[0] == 2400 and img.shape[1] == 1280
    lum = img[..., :3].mean(axis=2)
    assert lum.min() < 0.3 and lum.max() > 0.9
    assert (lum < 0.5).mean() > 0.005     # enough dark pixels: text drawn

    # The DOM Chromium built has the sections and decoded the plots.
    p = _chromium(chromium, tmp_path, "--dump-dom", url)
    assert p.returncode == 0, p.stderr[-2000:]
    assert _console(p.stderr) == []
    dom = p.stdout
    for anchor in ('id="bucket-a1b2c3d4e5f60718"', 'id="coverage-matrix"',
                   'id="plot-coverage-over-time"', 'id="trend-table"'):
        assert anchor in dom


def test_readback_report_renders_in_chromium(chromium, tmp_path):
    """The read-back section, the unstable records and the per-bucket
    read-back tables render without a console message too."""
    from conftest import write_readback_campaign
    d = write_readback_campaign(str(tmp_path / "c"))
    out = str(tmp_path / "out")
    assert cli.run([d, "--out", out, "-q", "--no-history"]) == 0
    url = "file://" + os.path.join(out, "report.html")
    shot = tmp_path / "shot.png"
    p = _chromium(chromium, tmp_path, "--window-size=1280,1600",
                  "--screenshot=%s" % shot, url)
    assert p.returncode == 0, p.stderr[-2000:]
    assert _console(p.stderr) == []
    assert shot.exists() and shot.stat().st_size > 10000
    p = _chromium(chromium, tmp_path, "--dump-dom", url)
    assert p.returncode == 0, p.stderr[-2000:]
    assert _console(p.stderr) == []
    for anchor in ('id="readback-fields"', 'id="unstable-records"',
                   'id="bucket-bbbbbbbbbbbbbbbb"', 'class="diff readback"'):
        assert anchor in p.stdout


def test_console_errors_are_detected(chromium, tmp_path):
    """The check above can fail: an external image under the report's CSP
    is a console message."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-'
        'Policy" content="default-src \'none\'; img-src data:"></head>'
        '<body><img src="http://example.invalid/x.png"></body></html>')
    p = _chromium(chromium, tmp_path, "--dump-dom", "file://%s" % bad)
    assert p.returncode == 0
    msgs = _console(p.stderr)
    assert msgs and "Content Security Policy" in msgs[0]
