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

static void
classify_one(void *ctx, size_t i)
{
	struct classify_job *job = ctx;
	struct post *p = &job->v[i];

	p->topics = job->topics ? topics_match(job->topics, p) : 0;
	p->deadline = deadline_find(p->text, p->date);
}

void
classify_posts(const struct topics *t, struct postlist *l)
{
	struct classify_job job = {t, l->v};

	util_parallel(l->len, CLASSIFY_MIN_SHARE, classify_one, &job);
}
