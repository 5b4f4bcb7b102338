/* libFuzzer target: the topic rules parser, then matching a post with the
 * rules it built and looking topics up by name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "post.h"
#include "topics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topics t;
	struct post p = {0};
	char err[256];
	size_t i;

	memset(&t, 0, sizeof(t));
	if (topics_parse(&t, (const char *)data, size, err, sizeof(err)) == 0) {
		p.title = "Ofsted and CQC inspection of SEND: autism assessment waiting times";
		p.text = "Early years settings, EHCP annual reviews, the parent carer forum "
		    "survey, short breaks funding and co-production events.";
		topics_match(&t, &p);
		topics_find(&t, "ins");
		topics_find(&t, "");
		for (i = 0; i <= t.len; i++)
			topics_name(&t, i);
	}
	topics_free(&t);
	return 0;
}
