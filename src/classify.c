#include "classify.h"

#include "deadline.h"
#include "post.h"
#include "topics.h"

void
classify_post(const void *topics, struct post *p)
{
	p->topics = topics ? topics_match(topics, p) : 0;
	p->deadline = deadline_find(p->text, p->date);
}
