/* libFuzzer target: what a fetch does to every post's text once it is
 * text: topics_match against rules with phrases, prefixes that share
 * their first letters and a veto, and deadline_find.  The input's first
 * line is the title, the rest the text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "deadline.h"
#include "post.h"
#include "topics.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules[] =
    "threshold 2\n"
    "[Autism]\nautis* 2\nneurodiver*\n\"autism spectrum\" 3\n"
    "[Plans]\nplan*\nplacement* 2\nplan\nehcp*\n\"annual review*\"\n"
    "[Surveys]\nsurvey* 2\nconsult*\nhave your say 3\nnot: survey results\n"
    "[Money]\n\xc2\xa3 2\nbudget*\nfund*\n"
    "[One]\na*\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct topics t;
	static int loaded;
	char err[256], *s, *nl;
	struct post p = {0};

	if (!loaded) {
		if (topics_parse(&t, rules, sizeof(rules) - 1, err, sizeof(err)) < 0)
			abort();
		loaded = 1;
	}
	s = xstrndup((const char *)data, size);
	p.title = s;
	p.text = "";
	if ((nl = strchr(s, '\n'))) {
		*nl = '\0';
		p.text = nl + 1;
	}
	p.date = 1700000000;        /* 14 November 2023 */
	classify_post(&t, &p);
	/* Without a post date, a date with no year is no deadline. */
	deadline_find(p.text, 0);
	deadline_find(s, p.date);
	free(s);
	return 0;
}
