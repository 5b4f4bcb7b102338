#include "classify.h"

#include <stddef.h>

#include "deadline.h"
#include "post.h"
#include "topics.h"
#include "util.h"

/* Below this many posts a thread costs more than it saves. */
#define CLASSIFY_MIN_SHARE 256

struct classify_job {
	const struct topics *topics;
	struct post *v;
};

void
classify_post(const void *topics, struct post *p)
{
	p->topics = topics ? topics_match(topics, p) : 0;
	p->deadline = deadline_find(p->text, p->date);
}

static void
classify_one(void *ctx, size_t i)
{
	struct classify_job *job = ctx;

	classify_post(job->topics, &job->v[i]);
}

void
classify_posts(const struct topics *t, struct postlist *l)
{
	struct classify_job job = {t, l->v};

	util_parallel(l->len, CLASSIFY_MIN_SHARE, classify_one, &job);
}
