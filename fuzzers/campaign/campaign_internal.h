/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the campaign driver's files; not an interface. */
#ifndef VMXFZ_CAMPAIGN_INTERNAL_H
#define VMXFZ_CAMPAIGN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "vmxcc/backend_session.h"
#include "vmxcc/deviations.h"
#include "vmxcc/model.h"
#include "campaign.h"

/* A set of strings (record keys): open addressing, cap a power of 2. */
struct vmxfz_set {
	char **s;
	size_t n, cap;
};

void vmxfz_set_add(struct vmxfz_set *set, const char *s);
int vmxfz_set_has(const struct vmxfz_set *set, const char *s);

struct vmxfz_bucket {
	char sig[32];
	unsigned long count;		/* divergent executions (>= records) */
	unsigned long records;		/* of them in records.jsonl */
	char first_seen[32];		/* ISO 8601, UTC */
	bool known;			/* explained by the known deviations */
	bool minimized;			/* regression candidate written */
	/* Coarser than the signature, for people (docs/campaign.md):
	 * new buckets fold into a cluster (model set, observed kind, failing
	 * checks of the decisive class); known ones into a known group. */
	char cluster[17];
	char *cluster_key;		/* "model|kind|checks" */
	int group;			/* index in vmxfz_state.groups, or -1 */
	/* Read-back of its records (summary.json, docs/campaign.md): records
	 * carrying "readback", of them with unexpected differences and judged
	 * on the corrected image; records kept "unstable" (the re-run gave
	 * another outcome) or with "rerun_error" (no re-run). */
	unsigned long rb_records, rb_unexpected, rb_corrected;
	unsigned long unstable, rerun_error;
	char *rb_fields;		/* fields read back unexpectedly, "F F" */
};

/* Known divergences grouped by the known checks explaining them and the
 * kind of outcome observed: never minimized, a few records each. */
#define VMXFZ_RECORDS_PER_GROUP 3
#define VMXFZ_KEY_LEN 2048

struct vmxfz_group {
	char *key;			/* "CHECK CHECK|kind" */
	unsigned long records;		/* in records.jsonl */
	unsigned long count;		/* divergent executions, when known */
	char example[32];		/* signature of its first record */
};

/* Known deviations of the back end (corpora/known-deviations/NAME.txt). */
struct vmxfz_known {
	char path[4096];		/* "" when the back end has no list */
	struct deviations *d;		/* NULL: none */
};

struct vmxfz_state {
	const char *dir;
	char records_path[4096];
	struct vmxfz_set keys;		/* record keys already in records.jsonl */
	unsigned long records;
	struct vmxfz_bucket *buckets;
	size_t n_buckets, cap_buckets;
	double elapsed;			/* campaign seconds, across resumes */
	struct vmxfz_known known;
	struct vmxfz_set pending;	/* buckets whose minimization is pending */
	struct vmxfz_group *groups;
	size_t n_groups, cap_groups;
	unsigned long long seed;	/* the batch engine's, recorded */
	/* The driver's back end with read-back on, for re-running each new
	 * record before it is merged (rerun.c); NULL when it cannot. */
	struct vmx_backend_inst *readback;
};

/* Observed outcome without its case-specific detail: "entered",
 * "exit(33)", "vmfail(7)" (the exit qualification and the guest's first
 * exit reason dropped). */
void vmxfz_outcome_kind(const char *observed, char *kind, size_t len);
/* Group @key, created if new. */
struct vmxfz_group *vmxfz_group_get(struct vmxfz_state *st, const char *key);
/* The group key of a record tagged known. */
void vmxfz_record_group_key(json_t *rec, char *key, size_t len);

void vmxfz_iso_now(char *buf, size_t len);
struct vmxfz_bucket *vmxfz_bucket_find(struct vmxfz_state *st, const char *sig);
struct vmxfz_bucket *vmxfz_bucket_get(struct vmxfz_state *st, const char *sig);
void vmxfz_bucket_seen(struct vmxfz_state *st, json_t *rec);

int vmxfz_merge_load(struct vmxfz_state *st, char *err, size_t errlen);
/* rerun.c: run the cases of the records @recs[0..n) again on @bi (read-back
 * on) as one batch and replace each by the re-run's record, or mark it
 * "unstable" (another outcome) or "rerun_error" (could not re-run).
 * Records that carry read-back already are left alone. */
void vmxfz_rerun_readback(struct vmx_backend_inst *bi, json_t **recs, size_t n);
/* Returns the number of records appended, or -1 with @err. */
int vmxfz_merge_new(struct vmxfz_state *st, char *err, size_t errlen);

/* known.c: load @path ("" or missing file: no known deviations); -1 with
 * "file:line: ..." in @err on a malformed list. */
int vmxfz_known_load(struct vmxfz_known *k, const char *path, char *err, size_t errlen);
/* The default list of back end @spec ("bochs:tigerlake" -> bochs.txt). */
void vmxfz_known_default(const char *spec, char *path, size_t len);
/* Do the known deviations explain the divergence record @rec?  If so,
 * sets its "known": true and "known_checks" (the listed checks it fails)
 * and writes its group key ("CHECK CHECK|kind") to @key. */
bool vmxfz_known_record(const struct vmxfz_known *k, json_t *rec, char *key, size_t len);
/* The same for an outcome @obs of the effective image @eff (the batch
 * engine, before it writes a record). */
bool vmxfz_known_explain(const struct vmxfz_known *k, const struct vmx_caps *caps,
			 const struct vmx_case *eff, const struct vmx_outcome *obs,
			 char *key, size_t len);

/* finish.c */
struct vmxfz_min_opts {
	double budget;			/* seconds for all buckets */
	int jobs;			/* buckets minimized at once */
};
int vmxfz_minimize_buckets(struct vmxfz_state *st, const char *backend,
			   const struct vmxfz_min_opts *mo);
/* The field diff of a minimized case against its baseline, as the
 * summary's "min_field_diff" object ({FIELD: "0x.."}); NULL if unreadable. */
json_t *vmxfz_case_field_diff(const char *path);
struct vmxfz_totals {
	unsigned long long execs;
	const unsigned long *hits;	/* [VMXFZ_N_FEATURES] */
	json_t *over_time;
	json_t *skipped;		/* {reason: n} or NULL */
	json_t *known_counts;		/* {group key: executions} or NULL */
	unsigned long backend_errors;
};
int vmxfz_write_summary(const struct vmxfz_state *st, const struct vmxfz_campaign_opts *o,
			const char *profile, const char *start, const struct vmxfz_totals *t);

/* engine_batch.c: the built-in engine, run in a child process (its own
 * process group).  Stops by itself after @seconds, or after the batch in
 * flight on SIGTERM.  Returns an exit status. */
int vmxfz_batch_engine(const struct vmxfz_campaign_opts *o, double seconds);
/* Its statistics file, DIR/engine-batch.json, cumulative across resumes. */
#define VMXFZ_BATCH_STATS "engine-batch.json"

#endif
