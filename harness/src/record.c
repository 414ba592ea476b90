// SPDX-License-Identifier: GPL-2.0
/*
 * JSONL divergence records.  Atomicity: the whole line is built in memory
 * and handed to a single write() on a descriptor opened with O_APPEND, under
 * flock() so concurrent writers never interleave, then fsync()ed.  A SIGKILL
 * can still cut a large write short (the kernel checks for fatal signals
 * between pages), so before appending the writer makes sure the file ends
 * in a newline: a torn fragment then stands alone on its line, fails to
 * parse as a record, and the reader skips it.  A record is counted only
 * when its line is complete and parses.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vmxcc/baseline.h"
#include "vmxcc/readback.h"
#include "vmxcc/record.h"
#include "vmxcc/profile_text.h"

static json_t *field_diff(const struct vmx_case *c, const struct vmx_case *base)
{
	json_t *o = json_object();
	char hex[24];

	for (int f = 0; f < VF_COUNT; f++) {
		if (c->f[f] == base->f[f])
			continue;
		snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)c->f[f]);
		json_object_set_new(o, vmx_fields[f].name, json_string(hex));
	}
	return o;
}

static json_t *failing_list(const struct vmx_verdict *v)
{
	char buf[8192], *s, *save = NULL;
	json_t *a = json_array();

	vmx_failing_checks(v, buf, sizeof(buf));
	for (s = strtok_r(buf, " ", &save); s; s = strtok_r(NULL, " ", &save))
		json_array_append_new(a, json_string(s));
	return a;
}

static json_t *hex_string(uint64_t v)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)v);
	return json_string(hex);
}

json_t *vmx_record_readback(const struct vmx_backend_result *r, const struct vmx_comparison *cmp)
{
	struct vmx_rb_diffs *d;
	json_t *o, *un, *sub;
	char obs[64], why[256];
	int expected = 0;

	if (!r || !cmp->readback || !(d = malloc(sizeof(*d))))
		return NULL;
	vmx_readback_diff(r, d);
	o = json_object();
	un = json_array();
	for (int i = 0; i < d->n; i++) {
		const struct vmx_rb_diff *x = &d->d[i];

		if (x->why != VMX_RB_UNEXPECTED) {
			expected++;
			continue;
		}
		json_array_append_new(un, json_pack("{s:s,s:o,s:o}", "field",
						    vmx_fields[x->field].name,
						    "written", hex_string(x->written),
						    "read", hex_string(x->read)));
	}
	json_object_set_new(o, "unexpected", un);
	json_object_set_new(o, "expected", json_integer(expected));
	json_object_set_new(o, "corrected", json_boolean(cmp->corrected));
	if (cmp->corrected) {
		sub = json_array();
		for (int f = 0; f < VF_COUNT; f++)
			if (vmx_rb_bit(cmp->rb_substituted, f))
				json_array_append_new(sub, json_string(vmx_fields[f].name));
		vmx_outcome_format(obs, sizeof(obs), &cmp->observed);
		snprintf(why, sizeof(why), "failed attempt (%s): only exit information is "
			 "written, so the VMCS read back holds what the checks saw", obs);
		json_object_set_new(o, "substituted", sub);
		json_object_set_new(o, "why", json_string(why));
		vmx_outcome_set_format(why, sizeof(why), &cmp->model_effective);
		json_object_set_new(o, "model_as_written", json_string(why));
	}
	free(d);
	return o;
}

void vmx_record_set_readback(json_t *rec, const struct vmx_backend_result *r,
			     const struct vmx_comparison *cmp)
{
	json_t *rb = vmx_record_readback(r, cmp);

	if (rb)
		json_object_set_new(rec, "readback", rb);
}

int vmx_record_judged_image(json_t *rec, struct vmx_case *img, char *err, size_t errlen)
{
	json_t *rb = json_object_get(rec, "readback"), *sub, *u, *name;
	size_t i, j;

	if (!rb || !json_is_true(json_object_get(rb, "corrected")))
		return 0;
	sub = json_object_get(rb, "substituted");
	json_array_foreach(sub, i, name) {
		int f = vmx_field_by_name(json_string_value(name) ? json_string_value(name) : "");
		const char *read = NULL;

		json_array_foreach(json_object_get(rb, "unexpected"), j, u)
			if (json_equal(json_object_get(u, "field"), name))
				read = json_string_value(json_object_get(u, "read"));
		if (f < 0 || !read) {
			snprintf(err, errlen, "readback.substituted[%zu]: %s", i,
				 f < 0 ? "not a field" : "no read value in readback.unexpected");
			return -1;
		}
		img->f[f] = strtoull(read, NULL, 0) & vmx_field_mask(f);
	}
	return 0;
}

json_t *vmx_record_build(const struct vmx_record_src *src)
{
	const struct vmx_comparison *cmp = src->cmp;
	char tbuf[32], hex[24], set[1024], obs[64];
	struct vmx_case base;
	time_t now = time(NULL);
	struct tm tm;
	char *text;
	json_t *r = json_object();

	gmtime_r(&now, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	vmx_outcome_set_format(set, sizeof(set), &cmp->model.allowed);
	vmx_outcome_format(obs, sizeof(obs), &cmp->observed);
	vmx_case_base(src->cf, &base);
	text = vmx_case_to_text(src->cf);

	json_object_set_new(r, "v", json_integer(VMX_RECORD_VERSION));
	json_object_set_new(r, "time", json_string(tbuf));
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)cmp->signature);
	json_object_set_new(r, "signature", json_string(hex));
	json_object_set_new(r, "backend", json_string(src->backend));
	json_object_set_new(r, "profile", json_string(src->profile->name));
	snprintf(hex, sizeof(hex), "%016llx",
		 (unsigned long long)vmx_profile_fingerprint(src->profile));
	json_object_set_new(r, "profile_fp", json_string(hex));
	json_object_set_new(r, "model", json_string(set));
	json_object_set_new(r, "observed", json_string(obs));
	json_object_set_new(r, "agreement", json_string(vmx_agreement_names[cmp->agreement]));
	json_object_set_new(r, "failing_checks", failing_list(&cmp->model));
	json_object_set_new(r, "baseline", src->cf->baseline == VMX_CASE_NO_BASELINE ? json_null()
			    : json_string(vmx_baseline_names[src->cf->baseline]));
	json_object_set_new(r, "field_diff", field_diff(&src->cf->c, &base));
	if (src->effective)
		json_object_set_new(r, "effective_diff", field_diff(src->effective, &src->cf->c));
	json_object_set_new(r, "case", json_string(text ? text : ""));
	json_object_set_new(r, "triage", json_string(src->triage ? src->triage : ""));
	free(text);
	return r;
}

/* Does the file end in a newline (or is it empty)?  Called under the lock. */
static int ends_clean(int fd)
{
	struct stat st;
	char last;

	if (fstat(fd, &st) != 0)
		return -1;
	if (st.st_size == 0)
		return 1;
	if (pread(fd, &last, 1, st.st_size - 1) != 1)
		return -1;
	return last == '\n';
}

int vmx_record_append(const char *path, json_t *rec, char *err, size_t errlen)
{
	char *body = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	size_t blen, len;
	char *line;
	int fd, clean, ret = -1;
	ssize_t w;

	if (!body) {
		snprintf(err, errlen, "%s: cannot serialise record", path);
		return -1;
	}
	blen = strlen(body);
	line = malloc(blen + 3);
	fd = line ? open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644) : -1;
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, line ? strerror(errno) : "out of memory");
		goto out;
	}
	if (flock(fd, LOCK_EX) != 0 || (clean = ends_clean(fd)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	/* Put a torn fragment left by a killed writer on a line of its own. */
	len = 0;
	if (!clean)
		line[len++] = '\n';
	memcpy(line + len, body, blen);
	len += blen;
	line[len++] = '\n';
	w = write(fd, line, len);
	if (w != (ssize_t)len) {
		snprintf(err, errlen, "%s: short write (%zd of %zu bytes): %s", path, w, len,
			 w < 0 ? strerror(errno) : "disk full?");
		goto out;
	}
	if (fsync(fd) != 0) {
		snprintf(err, errlen, "%s: fsync: %s", path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(line);
	free(body);
	return ret;
}

static bool is_record(json_t *r)
{
	return json_is_object(r) &&
	       json_integer_value(json_object_get(r, "v")) == VMX_RECORD_VERSION &&
	       json_is_string(json_object_get(r, "signature"));
}

int vmx_record_read(const char *path, int (*cb)(json_t *rec, void *arg), void *arg,
		    struct vmx_record_stats *st, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (ret == 0 && (n = getline(&line, &cap, f)) > 0) {
		json_t *r;

		/* No newline: the last line was cut short. */
		if (line[n - 1] != '\n') {
			st->torn++;
			break;
		}
		r = json_loadb(line, (size_t)n, 0, NULL);
		if (!is_record(r)) {
			st->torn++;
		} else {
			st->records++;
			if (cb && cb(r, arg)) {
				snprintf(err, errlen, "%s: stopped at record %zu", path, st->records);
				ret = -1;
			}
		}
		json_decref(r);
	}
	free(line);
	fclose(f);
	return ret;
}
