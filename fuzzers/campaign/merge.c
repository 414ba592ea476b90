// SPDX-License-Identifier: GPL-2.0
/*
 * Merging the targets' divergence files (records.d/KEY.json, each written
 * once, whole) into records.jsonl, exactly once each.  The keys already in
 * records.jsonl are read back on every start, so a driver killed between
 * an append and anything else neither loses nor repeats a record: a file
 * is appended iff its key is not yet in records.jsonl (a torn last line is
 * skipped by the reader and its record appended again, whole).  A record
 * the back end's known deviations explain gets "known": true and
 * "known_checks" on the way in; beyond VMXFZ_RECORDS_PER_GROUP of its
 * known group it is counted and its file removed instead.  Before that,
 * the new files of one pass are run again as one batch with read-back on
 * (rerun.c), so every record in records.jsonl carries the VMCS read back
 * when the back end can.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmxcc/record.h"
#include "campaign_internal.h"

static int key_cb(json_t *rec, void *arg)
{
	struct vmxfz_state *st = arg;
	const char *key = json_string_value(json_object_get(rec, "key"));

	if (key)
		vmxfz_set_add(&st->keys, key);
	vmxfz_bucket_seen(st, rec);
	st->records++;
	return 0;
}

int vmxfz_merge_load(struct vmxfz_state *st, char *err, size_t errlen)
{
	struct vmx_record_stats rs;
	FILE *f = fopen(st->records_path, "a");	/* make sure it exists */

	if (f)
		fclose(f);
	st->records = 0;
	return vmx_record_read(st->records_path, key_cb, st, &rs, err, errlen);
}

/* The new files of records.d (keys not in records.jsonl yet), parsed. */
struct fresh {
	json_t **rec;
	char **path;
	size_t n, cap;
};

static int collect(struct vmxfz_state *st, struct fresh *fr, char *err, size_t errlen)
{
	char dir[4096], path[4400];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/records.d", st->dir);
	d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: cannot open", dir);
		return -1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		json_error_t je;
		char key[256];
		json_t *rec;

		if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		snprintf(key, sizeof(key), "%.*s", (int)(len - 5), e->d_name);
		if (vmxfz_set_has(&st->keys, key))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		rec = json_load_file(path, 0, &je);
		if (!rec) {
			snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
			closedir(d);
			return -1;
		}
		/* The key is the file's name, whatever the engine wrote. */
		json_object_set_new(rec, "key", json_string(key));
		if (fr->n == fr->cap) {
			fr->cap = fr->cap ? 2 * fr->cap : 64;
			fr->rec = realloc(fr->rec, fr->cap * sizeof(*fr->rec));
			fr->path = realloc(fr->path, fr->cap * sizeof(*fr->path));
			if (!fr->rec || !fr->path) {
				snprintf(err, errlen, "%s: out of memory", dir);
				json_decref(rec);
				closedir(d);
				return -1;
			}
		}
		fr->rec[fr->n] = rec;
		fr->path[fr->n++] = strdup(path);
	}
	closedir(d);
	return 0;
}

/* Append one new record (or drop it beyond its known group's share). */
static int merge_one(struct vmxfz_state *st, json_t *rec, const char *path, char *err,
		     size_t errlen)
{
	char gkey[VMXFZ_KEY_LEN];

	/* Tagged here, not by the engine: every engine's records get it.  A
	 * known group keeps a few records: the rest of its divergences are
	 * explained and only counted; the file goes, so that records.d
	 * stays what records.jsonl holds. */
	if (vmxfz_known_record(&st->known, rec, gkey, sizeof(gkey))) {
		struct vmxfz_group *g = vmxfz_group_get(st, gkey);

		if (g->records >= VMXFZ_RECORDS_PER_GROUP) {
			g->count++;
			unlink(path);
			return 0;
		}
	}
	if (vmx_record_append(st->records_path, rec, err, errlen))
		return -1;
	vmxfz_set_add(&st->keys, json_string_value(json_object_get(rec, "key")));
	vmxfz_bucket_seen(st, rec);
	st->records++;
	return 1;
}

int vmxfz_merge_new(struct vmxfz_state *st, char *err, size_t errlen)
{
	struct fresh fr = { 0 };
	int n = 0, r = 0;

	if (collect(st, &fr, err, errlen))
		n = -1;
	/* Every record goes in with read-back when the back end has it. */
	if (n == 0)
		vmxfz_rerun_readback(st->readback, fr.rec, fr.n);
	for (size_t i = 0; i < fr.n; i++) {
		if (n >= 0 && (r = merge_one(st, fr.rec[i], fr.path[i], err, errlen)) < 0)
			n = -1;
		else if (n >= 0)
			n += r;
		json_decref(fr.rec[i]);
		free(fr.path[i]);
	}
	free(fr.rec);
	free(fr.path);
	return n;
}
