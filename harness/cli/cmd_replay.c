// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcc replay DIR|FILE... --backend B: run many cases, one JSONL result
 * per case.  Cases with an [expect] section are also held to it: the model
 * must still give the expected outcome and checks, and the back end must
 * agree — this is how corpora/regression gates CI.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmxcc/deviations.h"
#include "vmxcc/readback.h"
#include "vmxcc/record.h"
#include "vmxcc/run.h"
#include "cli.h"

static const char help[] =
"usage: vmxcc replay DIR|FILE... --backend B [--out FILE] [--records FILE]\n"
"                    [--batch N] [--profile P] [--known FILE|none]\n"
"                    [--no-readback]\n"
"\n"
"Run every case (files given, and the case files in each DIR: *.vmcs,\n"
"*.vmcs12, *.nested, *.vxc, sorted by name) on back end B in batches and\n"
"print one JSON object per case: file, agreement, model set, observed\n"
"outcome, signature, and the [expect] result.  A progress line goes to\n"
"stderr when stdout is a terminal.\n"
"\n"
"  --out FILE      write the results there instead of stdout\n"
"  --records FILE  append a divergence record for each divergence\n"
"  --batch N       cases per back-end batch (default 256)\n"
"  --profile P     profile for binary cases\n"
"  --known FILE    known deviations of the back end (default:\n"
"                  corpora/known-deviations/<backend>.txt when it exists;\n"
"                  'none' for none).  A divergence they explain is printed\n"
"                  with \"known\": true and the listed checks it fails\n"
"                  (docs/known-deviations.md)\n"
"  --no-readback   do not read the VMCS back after each case.  By default\n"
"                  the back end reads it back where it can: a field read\n"
"                  back unexpectedly is a divergence, and a failed attempt\n"
"                  is judged on the image corrected by the read-back; the\n"
"                  result then has a \"readback\" member (docs/records.md)\n"
"\n"
"Exit: 0 every case agrees (or was skipped, or diverges in a known way) and\n"
"meets its [expect]; 1 a new divergence, back-end error or failed\n"
"expectation; 2 usage or input error, or the back end is not built/not\n"
"available here.\n";

struct list {
	char **v;
	size_t n, cap;
};

static void add(struct list *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = strdup(s);
}

static bool case_name(const char *n)
{
	static const char *const ext[] = { ".vmcs", ".vmcs12", ".nested", ".vxc" };
	size_t len = strlen(n);

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t e = strlen(ext[i]);

		if (len > e && strcmp(n + len - e, ext[i]) == 0)
			return true;
	}
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int collect(const char *arg, struct list *l)
{
	struct stat st;
	struct dirent *d;
	size_t first = l->n;
	DIR *dir;

	if (stat(arg, &st) != 0) {
		cli_err("%s: no such file or directory", arg);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		add(l, arg);
		return 0;
	}
	dir = opendir(arg);
	if (!dir) {
		cli_err("%s: cannot read directory", arg);
		return -1;
	}
	while ((d = readdir(dir))) {
		char path[4096];

		if (d->d_name[0] == '.' || !case_name(d->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", arg, d->d_name);
		add(l, path);
	}
	closedir(dir);
	qsort(l->v + first, l->n - first, sizeof(char *), cmp_str);
	return 0;
}

struct tally {
	size_t done, agree, diverge, known, skipped, failed, expect_fail, input_err;
};

/* Where results go and what judges them, for every batch of a replay. */
struct sink {
	FILE *out;
	const char *records;
	const struct deviations *known;		/* NULL: no known deviations */
};

static void emit(FILE *out, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	fprintf(out, "%s\n", s);
	free(s);
	json_decref(o);
}

static json_t *failing_ids(const struct vmx_verdict *v)
{
	json_t *a = json_array();

	for (int id = 0; id < VMX_CHECK_COUNT; id++)
		if (vmx_verdict_failed(v, id))
			json_array_append_new(a, json_string(vmx_checks[id].id));
	return a;
}

/* The listed checks this divergence fails, if the deviations explain it. */
static json_t *known_checks(const struct deviations *d, const struct vmx_backend_inst *bi,
			    const struct vmx_backend_result *r, const struct vmx_comparison *cmp)
{
	static struct vmx_case img;
	uint64_t in[VMX_CHECK_WORDS];
	json_t *a;

	/* The image the model judged: corrected by a failed attempt's read-back. */
	vmx_compare_image(r, cmp, &img);
	if (!d || cmp->rb_unexpected || !deviations_explain(d, &bi->caps, &img, &r->outcome))
		return NULL;
	/* stricter entries fail no model check: ask the deviations */
	deviations_involved(d, &bi->caps, &img, in);
	a = json_array();
	for (int id = 0; id < VMX_CHECK_COUNT; id++)
		if ((in[id / 64] >> (id % 64)) & 1)
			json_array_append_new(a, json_string(vmx_checks[id].id));
	return a;
}

static void result(const struct sink *k, const char *file, const struct vmx_backend_inst *bi,
		   const struct vmx_case_file *cf, const struct vmx_backend_result *r,
		   const struct vmx_comparison *cmp, struct tally *t)
{
	FILE *out = k->out;
	const char *records = k->records;
	json_t *known = NULL;
	char set[1024], obs[64], hex[24], why[2048], err[512];
	json_t *o = json_object();

	vmx_outcome_set_format(set, sizeof(set), &cmp->model.allowed);
	vmx_outcome_format(obs, sizeof(obs), &r->outcome);
	json_object_set_new(o, "file", json_string(file));
	json_object_set_new(o, "backend", json_string(bi->spec));
	json_object_set_new(o, "agreement", json_string(vmx_agreement_names[cmp->agreement]));
	json_object_set_new(o, "model", json_string(set));
	json_object_set_new(o, "observed", json_string(obs));
	json_object_set_new(o, "failing_checks", failing_ids(&cmp->model));
	if (cmp->agreement == VMX_DIVERGE) {
		snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)cmp->signature);
		json_object_set_new(o, "signature", json_string(hex));
		known = known_checks(k->known, bi, r, cmp);
		if (known) {
			json_object_set_new(o, "known", json_true());
			json_object_set_new(o, "known_checks", known);
		}
	}
	if (r->text[0])
		json_object_set_new(o, "text", json_string(r->text));
	if (cmp->rb_unexpected || cmp->corrected)
		vmx_record_set_readback(o, r, cmp);
	if (cf->has_expect_outcome || cf->has_expect_checks) {
		/* The expectation is about the model on the case as written. */
		struct vmx_verdict v;
		bool ok;

		vmx_model_eval(&cf->caps, &cf->c, &v);
		ok = cli_expect_ok(cf, &v, why, sizeof(why));
		json_object_set_new(o, "expect", json_string(ok ? "pass" : "fail"));
		if (!ok) {
			json_object_set_new(o, "expect_detail", json_string(why));
			t->expect_fail++;
		}
	}
	emit(out, o);
	switch (cmp->agreement) {
	case VMX_AGREE: t->agree++; break;
	case VMX_SKIPPED: t->skipped++; break;
	case VMX_BACKEND_FAILED: t->failed++; break;
	case VMX_DIVERGE:
		if (known)
			t->known++;
		else
			t->diverge++;
		if (records) {
			struct vmx_record_src src = { bi->spec, &bi->profile, cf, &r->effective, cmp, r->text };
			json_t *rec = vmx_record_build(&src);

			vmx_record_set_readback(rec, r, cmp);
			if (vmx_record_append(records, rec, err, sizeof(err)))
				cli_err("%s", err);
			json_decref(rec);
		}
		break;
	}
}

static void progress(const struct tally *t, size_t total)
{
	fprintf(stderr, "\r[%zu/%zu] agree %zu, diverge %zu, known %zu, skipped %zu, "
		"backend-error %zu, expect-fail %zu, input-error %zu", t->done, total, t->agree,
		t->diverge, t->known, t->skipped, t->failed, t->expect_fail, t->input_err);
}

struct batch {
	char **files;
	struct vmx_case_file *cf;
	struct vmx_case *cases;
	struct vmx_backend_result *res;
	struct vmx_comparison *cmp;
	size_t n;
};

static int run_batch(struct vmx_backend_inst *bi, struct batch *b, const struct sink *k,
		     struct tally *t)
{
	char err[1024];

	if (b->n == 0)
		return 0;
	if (vmx_run_compare(bi, b->cases, b->n, b->res, b->cmp, err, sizeof(err))) {
		cli_err("%s", err);
		return -1;
	}
	for (size_t i = 0; i < b->n; i++)
		result(k, b->files[i], bi, &b->cf[i], &b->res[i], &b->cmp[i], t);
	t->done += b->n;
	b->n = 0;
	return 0;
}

static int replay(struct list *files, struct vmx_backend_inst *bi, size_t bsize,
		  const char *profile, const struct sink *k)
{
	FILE *out = k->out;
	struct batch b = { 0 };
	struct tally t = { 0 };
	bool tty = isatty(STDOUT_FILENO);
	int ret = 0;

	b.files = calloc(bsize, sizeof(char *));
	b.cf = calloc(bsize, sizeof(*b.cf));
	b.cases = calloc(bsize, sizeof(*b.cases));
	b.res = calloc(bsize, sizeof(*b.res));
	b.cmp = calloc(bsize, sizeof(*b.cmp));
	if (!b.files || !b.cf || !b.cases || !b.res || !b.cmp)
		return EXIT_USAGE;
	for (size_t i = 0; i < files->n && ret == 0; i++) {
		char err[1024];

		if (cli_load_case(files->v[i], FMT_AUTO, profile, &b.cf[b.n], err, sizeof(err))) {
			json_t *o = json_object();

			cli_err("%s", err);
			json_object_set_new(o, "file", json_string(files->v[i]));
			json_object_set_new(o, "error", json_string(err));
			emit(out, o);
			t.input_err++;
			t.done++;
			continue;
		}
		b.files[b.n] = files->v[i];
		b.cases[b.n] = b.cf[b.n].c;
		if (++b.n == bsize)
			ret = run_batch(bi, &b, k, &t);
		if (tty)
			progress(&t, files->n);
	}
	if (ret == 0)
		ret = run_batch(bi, &b, k, &t);
	if (tty) {
		progress(&t, files->n);
		fputc('\n', stderr);
	}
	free(b.files);
	free(b.cf);
	free(b.cases);
	free(b.res);
	free(b.cmp);
	if (ret || t.input_err)
		return EXIT_USAGE;
	return t.diverge || t.failed || t.expect_fail ? EXIT_DIVERGE : EXIT_AGREE;
}

int cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "out", required_argument, NULL, 'o' },
		{ "records", required_argument, NULL, 'r' },
		{ "batch", required_argument, NULL, 'n' },
		{ "profile", required_argument, NULL, 'p' },
		{ "known", required_argument, NULL, 'k' },
		{ "no-readback", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *backend = NULL, *outpath = NULL, *records = NULL, *profile = NULL;
	const char *knownpath = NULL;
	static struct deviations devs;
	struct sink sink = { stdout, NULL, NULL };
	char kpath[4096];
	struct vmx_backend_inst bi;
	struct list files = { 0 };
	long bsize = 256;
	char err[1024], *end;
	FILE *out = stdout;
	bool no_rb = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "b:o:r:n:p:k:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': backend = optarg; break;
		case 'o': outpath = optarg; break;
		case 'r': records = optarg; break;
		case 'p': profile = optarg; break;
		case 'k': knownpath = optarg; break;
		case 'R': no_rb = true; break;
		case 'n':
			bsize = strtol(optarg, &end, 10);
			if (*end || bsize < 1 || bsize > 65536)
				return cli_usage("replay", "--batch: '%s' is not a number in 1..65536", optarg);
			break;
		case 'h': fputs(help, stdout); return EXIT_AGREE;
		default: return cli_usage("replay", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage("replay", "no case file or directory given");
	if (!backend)
		return cli_usage("replay", "--backend is required");
	for (int i = optind; i < argc; i++)
		if (collect(argv[i], &files))
			return EXIT_USAGE;
	if (vmx_backend_open_spec(backend, &bi, err, sizeof(err))) {
		cli_err("%s", err);
		return EXIT_USAGE;
	}
	cli_readback(&bi, no_rb, "replay");
	if (!knownpath) {
		deviations_default_path(backend, kpath, sizeof(kpath));
		if (access(kpath, F_OK) == 0)
			knownpath = kpath;
	}
	if (knownpath && strcmp(knownpath, "none") != 0) {
		if (deviations_load(&devs, knownpath, err, sizeof(err))) {
			cli_err("%s", err);
			vmx_backend_inst_close(&bi);
			return EXIT_USAGE;
		}
		sink.known = &devs;
	}
	if (outpath && !(out = fopen(outpath, "w"))) {
		cli_err("%s: cannot write", outpath);
		vmx_backend_inst_close(&bi);
		return EXIT_USAGE;
	}
	sink.out = out;
	sink.records = records;
	ret = replay(&files, &bi, (size_t)bsize, profile, &sink);
	if (outpath)
		fclose(out);
	vmx_backend_inst_close(&bi);
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	return ret;
}
