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
 * known group it is counted and its file removed instead.
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

int vmxfz_merge_new(struct vmxfz_state *st, char *err, size_t errlen)
{
	char dir[4096], path[4400];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/records.d", st->dir);
	d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: cannot open", dir);
		return -1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		json_error_t je;
		json_t *rec;
		char key[256], gkey[VMXFZ_KEY_LEN];

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
		/* Tagged here, not by the engine: every engine's records get
		 * it.  A known group keeps a few records: the rest of its
		 * divergences are explained and only counted; the file goes,
		 * so that records.d stays what records.jsonl holds. */
		if (vmxfz_known_record(&st->known, rec, gkey, sizeof(gkey))) {
			struct vmxfz_group *g = vmxfz_group_get(st, gkey);

			if (g->records >= VMXFZ_RECORDS_PER_GROUP) {
				g->count++;
				json_decref(rec);
				unlink(path);
				continue;
			}
		}
		if (vmx_record_append(st->records_path, rec, err, errlen)) {
			json_decref(rec);
			closedir(d);
			return -1;
		}
		vmxfz_set_add(&st->keys, key);
		vmxfz_bucket_seen(st, rec);
		st->records++;
		json_decref(rec);
		n++;
	}
	closedir(d);
	return n;
}
