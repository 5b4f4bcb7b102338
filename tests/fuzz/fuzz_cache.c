/* libFuzzer target: the cache loader.  The input is the cache as files:
 *   INDEX \0 BODY \0 READSTATE
 * INDEX becomes DIR/index, BODY the body file of every feed (at the
 * generation the index names), READSTATE the read state.  store_open reads
 * them, every post's body is loaded, posts are selected, counted and one is
 * marked read, and store_close writes the cache back out.  The directory
 * lives under /dev/shm when it exists, so fsync costs little. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "post.h"
#include "store.h"
#include "topics.h"
#include "urls.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The two feeds the index may name (keys: see tests/fuzz/mkcache.py). */
static const char *const fuzz_urls =
    "https://example.org/send/latest-news \"~Latest news\"\n"
    "https://example.org/news/feed.rss \"~Council news\"\n";
static const char *const fuzz_rules =
    "threshold 1\n[Inspections]\nofsted\ninspection\n[Autism]\nautis*\nnot: weather\n";

struct fuzz_env {
	char dir[256], state[256];
	struct feedlist fl;
	struct topics t;
};

static struct fuzz_env *
fuzz_env(void)
{
	static struct fuzz_env *e;   /* set up once per fuzzing process */
	char err[256];

	if (e)
		return e;
	e = xcalloc(1, sizeof(*e));
	snprintf(e->dir, sizeof(e->dir), "%s/sendnews-fuzz-cache-%ld",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (long)getpid());
	snprintf(e->state, sizeof(e->state), "%s/state", e->dir);
	if (urls_parse(&e->fl, fuzz_urls, strlen(fuzz_urls), "/", NULL, err, sizeof(err)) < 0 ||
	    topics_parse(&e->t, fuzz_rules, strlen(fuzz_rules), err, sizeof(err)) < 0)
		die("fuzz set-up: %s", err);
	return e;
}

static void
put(const char *path, const uint8_t *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		die("fuzz: cannot write %s", path);
	if (len)
		fwrite(data, 1, len, f);
	fclose(f);
}

/* Empties dir and dir/bodies of files (a fresh cache per input). */
static void
clear_dir(const char *dir)
{
	char sub[512], path[1024];
	const char *where[] = { "", "/bodies" };
	struct dirent *d;
	size_t i;
	DIR *dp;

	for (i = 0; i < 2; i++) {
		snprintf(sub, sizeof(sub), "%s%s", dir, where[i]);
		if (!(dp = opendir(sub)))
			continue;
		while ((d = readdir(dp)))
			if (d->d_type == DT_REG) {
				snprintf(path, sizeof(path), "%s/%s", sub, d->d_name);
				unlink(path);
			}
		closedir(dp);
	}
}

/* Splits at the next NUL: returns the part's length and advances. */
static size_t
part(const uint8_t **p, const uint8_t *end, const uint8_t **start)
{
	const uint8_t *nul = *p < end ? memchr(*p, 0, (size_t)(end - *p)) : NULL;
	size_t n;

	*start = *p;
	n = nul ? (size_t)(nul - *p) : (size_t)(end - *p);
	*p = nul ? nul + 1 : end;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_env *e = fuzz_env();
	const uint8_t *p = data, *end = data + size, *idx, *body, *rd;
	size_t nidx, nbody, nrd, i, total[TOPICS_MAX + 2], unread[TOPICS_MAX + 2];
	struct store st;
	struct filter flt;
	struct post **sel = NULL;
	char err[512], path[512];

	nidx = part(&p, end, &idx);
	nbody = part(&p, end, &body);
	nrd = part(&p, end, &rd);
	clear_dir(e->dir);
	clear_dir(e->state);
	if (util_mkdirs(e->state, err, sizeof(err)) < 0)
		die("fuzz: %s", err);
	snprintf(path, sizeof(path), "%s/index", e->dir);
	put(path, idx, nidx);
	snprintf(path, sizeof(path), "%s/read", e->state);
	put(path, rd, nrd);

	if (store_open(&st, &e->fl, &e->t, e->dir, e->state, err, sizeof(err)) < 0) {
		store_close(&st);
		return 0;
	}
	for (i = 0; i < st.nfeeds; i++) {
		snprintf(path, sizeof(path), "%s/bodies/%s-%u", e->dir, st.feeds[i].key,
		    st.feeds[i].gen);
		put(path, body, nbody);
	}
	for (i = 0; i < st.posts.len; i++)
		store_load_body(&st, &st.posts.v[i], err, sizeof(err));
	filter_init(&flt);
	flt.search = "ofsted autism";
	store_select(&st, &flt, &sel);
	free(sel);
	filter_init(&flt);
	flt.unread = true;
	flt.archived = true;
	if (store_select(&st, &flt, &sel) > 0)
		store_set_read(&st, sel[0], true);
	free(sel);
	store_find(&st, "0");
	store_count(&st, total, unread);
	store_close(&st);
	return 0;
}
