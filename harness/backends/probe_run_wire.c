// SPDX-License-Identifier: GPL-2.0
/*
 * Host side of the probe's disk format (probe/include/probe_wire.h): encode
 * a batch into a flat image and read the results back.  The same image
 * serves Bochs (ata0-master) and QEMU (IDE primary master).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe_run.h"

static uint32_t fields_sum(void)
{
	uint32_t s = 0;

	for (int f = 0; f < VF_COUNT; f++)
		s += vmx_fields[f].encoding;
	return s;
}

/* Append @c as a delta against @prev to @buf (grown as needed). */
static int encode_case(uint8_t **buf, size_t *len, size_t *cap,
		       const struct vmx_case *prev, const struct vmx_case *c)
{
	size_t need = sizeof(struct probe_case_rec) +
		      c->n_msr_load * sizeof(struct vmx_msr_entry) +
		      VF_COUNT * sizeof(struct probe_delta);
	struct probe_case_rec *h;
	struct probe_delta *d;
	uint32_t nd = 0;

	if (c->n_msr_load > VMX_CASE_MAX_MSR_LOAD)
		return -1;
	if (*len + need > *cap) {
		size_t ncap = (*cap + need) * 2;
		uint8_t *nb = realloc(*buf, ncap);

		if (!nb)
			return -1;
		*buf = nb;
		*cap = ncap;
	}
	h = (void *)(*buf + *len);
	memset(h, 0, sizeof(*h));
	h->instr = c->instr;
	h->launch_state = c->launch_state;
	h->movss_blocking = c->movss_blocking;
	h->no_current_vmcs = c->no_current_vmcs;
	h->current_is_shadow = c->current_is_shadow;
	h->vtpr = c->vtpr;
	h->x2apic_mode = c->x2apic_mode;
	h->link_shadow = c->link_shadow;
	h->link_revision = c->link_revision;
	h->link_is_current = c->link_is_current;
	h->n_msr_load = c->n_msr_load;
	memcpy(h->pdpte, c->pdpte, sizeof(h->pdpte));
	memcpy(h + 1, c->msr_load, c->n_msr_load * sizeof(struct vmx_msr_entry));
	d = (void *)((uint8_t *)(h + 1) + c->n_msr_load * sizeof(struct vmx_msr_entry));
	for (int f = 0; f < VF_COUNT; f++) {
		if (prev->f[f] == c->f[f])
			continue;
		memset(&d[nd], 0, sizeof(d[nd]));
		d[nd].field = f;
		d[nd].value = c->f[f];
		nd++;
	}
	h->n_deltas = nd;
	*len += sizeof(*h) + c->n_msr_load * sizeof(struct vmx_msr_entry) +
		nd * sizeof(*d);
	return 0;
}

static size_t round_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

int prun_write_disk(struct prun_job *j, char *err, size_t errlen)
{
	static const struct vmx_case zero;
	struct probe_batch_hdr hdr;
	size_t len = 0, cap = 0, res_bytes, total;
	uint8_t *buf = NULL;
	char path[400];
	FILE *f;
	int rc = -1;

	if (encode_case(&buf, &len, &cap, &zero, j->prep))
		goto out_enc;
	for (size_t i = 0; i < j->n; i++)
		if (encode_case(&buf, &len, &cap, i ? &j->cases[i - 1] : &zero,
				&j->cases[i]))
			goto out_enc;
	memset(&hdr, 0, sizeof(hdr));
	hdr.magic = PROBE_BATCH_MAGIC;
	hdr.mode = j->mode;
	hdr.n_cases = j->n;
	hdr.vf_count = VF_COUNT;
	hdr.fields_sum = fields_sum();
	hdr.input_bytes = len;
	hdr.result_lba = 1 + round_up(len, PROBE_SECTOR) / PROBE_SECTOR;
	hdr.flags = (j->triage ? PROBE_FLAG_MARKERS : 0) | (j->fine ? PROBE_FLAG_FINE : 0) |
		    (j->readback ? PROBE_FLAG_READBACK : 0);
	j->result_lba = hdr.result_lba;
	res_bytes = (PROBE_RESULT_HDR_SECTORS + 1) * PROBE_SECTOR +
		    round_up(j->n * sizeof(struct probe_result_rec), PROBE_SECTOR) +
		    (j->readback ? j->n * sizeof(struct probe_readback_rec) : 0);
	total = round_up((size_t)hdr.result_lba * PROBE_SECTOR + res_bytes, PRUN_CYLINDER_BYTES);

	snprintf(path, sizeof(path), "%s/disk.img", j->dir);
	f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (fwrite(&hdr, sizeof(hdr), 1, f) != 1 || fseek(f, PROBE_SECTOR, SEEK_SET) ||
	    fwrite(buf, 1, len, f) != len || ftruncate(fileno(f), total)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		goto out;
	}
	if (fclose(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
	goto out;
out_enc:
	snprintf(err, errlen, "cannot encode the batch (out of memory or too many MSR-load entries)");
out:
	free(buf);
	return rc;
}

/* Read the result header and the records of the first @j->progress cases. */
int prun_read_results(struct prun_job *j, char *err, size_t errlen)
{
	char path[400];
	FILE *f;
	size_t want = j->progress;

	snprintf(path, sizeof(path), "%s/disk.img", j->dir);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, (long)j->result_lba * PROBE_SECTOR, SEEK_SET) ||
	    fread(&j->rhdr, sizeof(j->rhdr), 1, f) != 1 ||
	    fseek(f, (long)(j->result_lba + PROBE_RESULT_HDR_SECTORS) * PROBE_SECTOR,
		  SEEK_SET) ||
	    (want && fread(j->rec, sizeof(j->rec[0]), want, f) != want)) {
		snprintf(err, errlen, "%s: short read of the results", path);
		fclose(f);
		return -1;
	}
	if (j->rb && want &&
	    (fseek(f, (long)probe_readback_lba(j->result_lba, j->n) * PROBE_SECTOR, SEEK_SET) ||
	     fread(j->rb, sizeof(j->rb[0]), want, f) != want)) {
		snprintf(err, errlen, "%s: short read of the read-back records", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* What the probe really ran: the core's masking, unsupported fields as 0
 * and the relocated fields it reported. */
void prun_effective(const struct vmx_case *c, const struct probe_result_hdr *h,
		    const struct probe_result_rec *r, struct vmx_case *eff)
{
	static const enum vmx_field moved[PROBE_N_EFF] = {
#define EFF(n) VF_##n,
		PROBE_EFF_FIELDS(EFF)
#undef EFF
	};

	*eff = *c;
	for (int f = 0; f < VF_COUNT; f++) {
		if (!((h->supported[f / 64] >> (f % 64)) & 1))
			eff->f[f] = 0;
		else
			eff->f[f] &= vmx_field_mask(f);
	}
	for (int i = 0; i < PROBE_N_EFF; i++)
		eff->f[moved[i]] = r->eff[i];
	eff->f[VF_HOST_RSP] = r->host_rsp;
}

const char *prun_skip_text(unsigned int skip)
{
	static const char *const text[VMX_CORE_SKIP_COUNT] = {
#define SKIP_TEXT(name, t) [VMX_CORE_SKIP_##name] = t,
		VMX_CORE_SKIPS(SKIP_TEXT)
#undef SKIP_TEXT
	};

	return skip < VMX_CORE_SKIP_COUNT ? text[skip] : "skipped (reason unknown to this harness)";
}
