# SPDX-License-Identifier: GPL-2.0
"""vmxcc campaign reports: HTML, Markdown, JSON, TAP 13 and kvm-unit-tests
style lines from a campaign directory (docs/reports.md).

The report only reads what a campaign writes (records.jsonl, summary.json,
minimized/*.vmcs) and, when available, the check catalogue printed by
``vmxcc checks --json``.  It never links or re-implements the C model.
"""

__all__ = ["records", "campaign", "catalogue", "build", "plots", "render",
           "tap"]
