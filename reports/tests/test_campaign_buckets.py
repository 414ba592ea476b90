# SPDX-License-Identifier: GPL-2.0
"""Buckets as the campaign driver writes them since the batch engine:
min_field_diff as {FIELD: value} (and a wrong type is a warning, not a
crash), a few records kept per bucket ("records" <= "count"), known
deviations apart from the new divergences, pending minimization."""
import json
import os

from conftest import record, write_campaign
from test_report import outputs, page, run


def campaign(tmp_path, buckets, recs):
    return write_campaign(str(tmp_path / "c"), records=recs, buckets=buckets,
                          torn=False)


def test_min_field_diff_of_wrong_type_warns_and_uses_first_record(
        tmp_path, capsys):
    # The campaign once wrote the number of differences here (an int).
    d = campaign(tmp_path, [{"signature": "a1b2c3d4e5f60718", "count": 1,
                             "min_field_diff": 2}],
                 [record("a1b2c3d4e5f60718", checks=["GST_TR_TYPE"])])
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    err = capsys.readouterr().err
    assert ("bucket a1b2c3d4e5f60718: summary.json member min_field_diff is "
            "int, expected {FIELD: value}") in err
    j = json.loads(outputs(out)[".json"])
    b = j["buckets"][0]
    assert b["field_diff"] == [["GUEST_TR_AR_BYTES", "0x8089"]]
    assert b["field_diff_source"] == "first record"


def test_min_field_diff_dict_from_the_minimized_case(tmp_path):
    d = campaign(tmp_path, [{"signature": "a1b2c3d4e5f60718", "count": 1,
                             "min_field_diff": {"GUEST_TR_AR_BYTES": "0x8b",
                                                "GUEST_RIP": "0x6000"}}],
                 [record("a1b2c3d4e5f60718")])
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    b = json.loads(outputs(out)[".json"])["buckets"][0]
    assert b["field_diff"] == [["GUEST_RIP", "0x6000"],
                               ["GUEST_TR_AR_BYTES", "0x8b"]]
    assert b["field_diff_source"] == "minimized"


def test_known_deviations_apart_and_new_first(tmp_path, capsys):
    recs = [record("1111111111111111", checks=["GST_TR_TYPE"], known=True),
            record("2222222222222222", checks=["CTL_EXEC_PIN_RSVD"])]
    # The known bucket is far bigger, yet the new one comes first; the
    # campaign keeps 1 record of the known bucket's 5000 divergences.
    d = campaign(tmp_path, [
        {"signature": "1111111111111111", "count": 5000, "records": 1,
         "known": True},
        {"signature": "2222222222222222", "count": 3, "records": 1,
         "known": False, "pending_minimization": True}], recs)
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    assert "records.jsonl holds" not in capsys.readouterr().err
    o = outputs(out)
    j = json.loads(o[".json"])
    assert [(b["signature"], b["known"]) for b in j["buckets"]] == [
        ("2222222222222222", False), ("1111111111111111", True)]
    assert (j["summary"]["new_buckets"], j["summary"]["known_buckets"]) == (1, 1)
    assert j["buckets"][0]["pending_minimization"] is True
    p = page(o[".html"])
    assert "known-buckets" in p.ids and "bucket-1111111111111111" in p.ids
    html = o[".html"]
    assert html.index('id="bucket-2222222222222222"') < html.index(
        'id="known-buckets"') < html.index('id="bucket-1111111111111111"')
    assert "1 new (in 1 cluster(s)), 1 known deviation(s) in 1 group(s)" in html
    # A known group is an expected failure for TAP, not a failure.
    assert ("not ok 4 - known deviation none -> exit(33) bochs:tigerlake # TODO "
            "5000 divergence(s) in 1 signature(s)") in o[".tap"]
    assert "not ok 3 - bucket 2222222222222222" in o[".tap"]


def test_known_from_records_without_summary(tmp_path):
    d = write_campaign(str(tmp_path / "c"), summary=False, torn=False,
                       records=[record("1111111111111111", known=True)])
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    j = json.loads(outputs(out)[".json"])
    assert j["buckets"][0]["known"] is True


def test_records_fewer_than_summary_records_warns(tmp_path, capsys):
    d = campaign(tmp_path, [{"signature": "a1b2c3d4e5f60718", "count": 900,
                             "records": 2}],
                 [record("a1b2c3d4e5f60718")])
    assert run([d, "--out", str(tmp_path / "o")]) == 0
    assert ("bucket a1b2c3d4e5f60718: summary.json says 2 record(s), "
            "records.jsonl holds 1") in capsys.readouterr().err


def _many(tmp_path, n_clusters=4, per_cluster=30, n_known=500):
    """A campaign like a minute of Bochs: hundreds of new buckets in a few
    clusters, thousands of known buckets in a few groups."""
    recs, bks, clusters, groups = [], [], [], {}
    big = "GUEST_RIP = 0x" + "f" * 60 + "\n"
    for c in range(n_clusters):
        cl = "c%015x" % c
        sigs = []
        for i in range(per_cluster):
            sig = "%08x%08x" % (c + 1, i)
            sigs.append(sig)
            recs.append(record(sig, checks=["GST_TR_TYPE", "CHK_%d" % i],
                               case="[fields]\n" + big * 40))
            bks.append({"signature": sig, "count": 1000 - i, "records": 1,
                        "known": False, "cluster": cl,
                        "minimized": "regression-candidates/%s.vmcs" % sig
                        if i % 2 else None})
        clusters.append({"cluster": cl, "model": "{exit(33,qual=0)}",
                         "observed_kind": "entered", "checks": ["GST_TR_TYPE"],
                         "buckets": sigs, "count": 0, "minimized": 0})
    for i in range(n_known):
        sig = "ee%014x" % i
        key = "GST_RIP_CANON|exit(%d)" % (33 + i % 3)
        recs.append(record(sig, known=True, known_checks=["GST_RIP_CANON"],
                           observed="exit(%d,qual=0)" % (33 + i % 3)))
        bks.append({"signature": sig, "count": 7, "records": 1, "known": True,
                    "known_group": key})
        g = groups.setdefault(key, {"key": key, "known_checks": ["GST_RIP_CANON"],
                                    "observed_kind": "exit(%d)" % (33 + i % 3),
                                    "count": 0, "records": 3, "signatures": 0,
                                    "example": sig})
        g["count"] += 7
        g["signatures"] += 1
    d = write_campaign(str(tmp_path / "c"), records=recs, buckets=bks, torn=False)
    os.makedirs(os.path.join(d, "regression-candidates"), exist_ok=True)
    for b in bks:
        if b.get("minimized"):
            with open(os.path.join(d, b["minimized"]), "w") as f:
                f.write("[fields]\nGUEST_TR_AR_BYTES = 0x8089\n")
    with open(os.path.join(d, "summary.json")) as f:
        s = json.load(f)
    s.update(clusters=clusters, known_groups=list(groups.values()), seed=42)
    with open(os.path.join(d, "summary.json"), "w") as f:
        json.dump(s, f)
    return d


def test_clusters_fold_buckets_and_known_groups_are_rows(tmp_path):
    d = _many(tmp_path)
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    o = outputs(out)
    j = json.loads(o[".json"])
    assert j["summary"]["new_clusters"] == 4
    assert j["summary"]["known_groups"] == 3
    assert j["summary"]["seed"] == 42
    c = j["clusters"][0]
    assert len(c["buckets"]) == 30 and c["count"] == sum(range(971, 1001))
    # Known groups: counts and one example, one table row each.
    kg = {g["key"]: g for g in j["known_groups"]}
    assert kg["GST_RIP_CANON|exit(33)"]["signatures"] == 167
    assert kg["GST_RIP_CANON|exit(33)"]["example"]["signature"] == "ee00000000000000"
    html = o[".html"]
    assert html.count('class="known-group"') == 3
    # Shown in full: FULL_PER_CLUSTER per cluster; the rest are rows, a
    # minimized one linking to its case in the campaign directory.
    assert html.count('<div class="bucket') == 4 * 2
    assert html.count('<pre class="case">') == 4 * 2
    assert '<a href="../c/regression-candidates/00000001%08x.vmcs">' % 3 in html
    # TAP: one failure per new bucket, one expected failure per group.
    assert o[".tap"].count("# TODO") == 3
    assert o[".tap"].count("not ok") == 4 * 30 + 3


def test_html_stays_small_for_thousands_of_buckets(tmp_path):
    d = _many(tmp_path, n_clusters=60, per_cluster=40, n_known=3000)
    out = str(tmp_path / "o")
    assert run([d, "--out", out]) == 0
    html = outputs(out)[".html"]
    # 2,400 new buckets with 2.6 kB cases each and 3,000 known buckets.
    assert html.count('<pre class="case">') == 60
    assert len(html.encode()) < 2 * 1024 * 1024, len(html)
