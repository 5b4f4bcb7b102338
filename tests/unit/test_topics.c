#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "post.h"
#include "topics.h"
#include "util.h"

#define DEFAULT_RULES "feeds/topics"

/* Parses rules that must be valid. */
static void
parse_ok(struct topics *t, const char *rules)
{
	char err[256] = "";

	if (topics_parse(t, rules, strlen(rules), err, sizeof(err)) != 0)
		fail_msg("rules rejected: %s", err);
}

static uint64_t
match(const struct topics *t, const char *title, const char *text)
{
	struct post p = {0};

	p.title = (char *)title;
	p.text = (char *)text;
	return topics_match(t, &p);
}

/* Bit of the topic called name, which must exist. */
static uint64_t
bit(const struct topics *t, const char *name)
{
	long i = topics_find(t, name);

	if (i < 0 || (size_t)i >= t->len)
		fail_msg("no topic %s", name);
	return 1ULL << i;
}

static void
parse_reads_settings_topics_and_weights(void **state)
{
	const char *rules =
	    "# a comment\n"
	    "threshold 4\n"
	    "\n"
	    "title-weight 5\n"
	    "[Inspections & improvement]\n"
	    "ofsted 3\n"
	    "  written statement of action  \n"
	    "\"year 2\"\n"
	    "\"year 7\" 2\n"
	    "not: ofsted rating\n"
	    "[Autism & neurodiversity]\r\n"
	    "autis* 3\r\n";
	struct topics t = {0};

	parse_ok(&t, rules);
	assert_int_equal(t.threshold, 4);
	assert_int_equal(t.title_weight, 5);
	assert_int_equal(t.len, 2);
	assert_string_equal(t.v[0].name, "Inspections & improvement");
	assert_string_equal(t.v[1].name, "Autism & neurodiversity");
	assert_int_equal(t.v[0].nphrases, 4);
	assert_string_equal(t.v[0].phrases[0].text, "ofsted");
	assert_int_equal(t.v[0].phrases[0].weight, 3);
	assert_string_equal(t.v[0].phrases[1].text, "written statement of action");
	assert_int_equal(t.v[0].phrases[1].weight, 1);
	assert_string_equal(t.v[0].phrases[2].text, "year 2");
	assert_int_equal(t.v[0].phrases[2].weight, 1);
	assert_string_equal(t.v[0].phrases[3].text, "year 7");
	assert_int_equal(t.v[0].phrases[3].weight, 2);
	assert_int_equal(t.v[0].nnots, 1);
	assert_string_equal(t.v[0].nots[0].text, "ofsted rating");
	assert_string_equal(t.v[1].phrases[0].text, "autis*");
	assert_true(t.hash == util_hash(rules, strlen(rules), UTIL_HASH_SEED));
	topics_free(&t);
}

static void
parse_defaults_without_settings(void **state)
{
	struct topics t = {0};

	parse_ok(&t, "[Events & training]\nroadshow\n");
	assert_int_equal(t.threshold, 1);
	assert_int_equal(t.title_weight, 2);
	/* An empty rules text is valid: everything is Other. */
	topics_free(&t);
	parse_ok(&t, "");
	assert_int_equal(t.len, 0);
	assert_int_equal(match(&t, "Ofsted", "ofsted"), 0);
	topics_free(&t);
}

static void
parse_errors_name_the_line(void **state)
{
	static const struct {
		const char *rules;
		const char *err;
	} cases[] = {
		{"# c\nofsted\n", "line 2: expected a setting"},
		{"threshold\n", "line 1: a setting needs a whole number"},
		{"threshold 0\n", "line 1: a setting needs"},
		{"threshold two\n", "line 1: a setting needs"},
		{"title-weight 9999\n", "line 1: a setting needs"},
		{"colour red\n", "line 1: expected a setting"},
		{"[Health\n", "line 1: a topic name needs a closing ']'"},
		{"\n\n[ ]\n", "line 3: empty topic name"},
		{"[A] x\n", "line 1: nothing may follow ']'"},
		{"[Other]\n", "line 1: \"Other\" is implicit"},
		{"[A]\nx\n[a]\n", "line 3: this topic is already defined"},
		{"[A]\nofsted 0\n", "line 2: a weight must be a whole number"},
		{"[A]\nofsted 101\n", "line 2: a weight must be"},
		{"[A]\n\"ofsted 3\n", "line 2: a quote is not closed"},
		{"[A]\n\"ofsted\" high\n", "line 2: after a quoted phrase"},
		{"[A]\nnot: ofsted 3\n", "line 2: a not: phrase takes no weight"},
		{"[A]\nnot:\n", "line 2: no words to match"},
		{"[A]\n- -- ...\n", "line 2: no words to match"},
		{"[A]\n*\n", "line 2: '*' belongs at the end of a word"},
		{"[A]\nau*tism\n", "line 2: '*' belongs at the end of a word"},
		{"[A]\n*autism\n", "line 2: '*' belongs at the end of a word"},
		{"[A]\none two three four five six seven eight nine\n",
		    "line 2: too many words"},
		{"[A]\nx\n\n# c\nok\n[B]\nx yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
		    "yyyyyyyyyyyyyyyy\n", "line 7: word too long"},
	};
	struct topics t = {0};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		if (topics_parse(&t, cases[i].rules, strlen(cases[i].rules), err,
		    sizeof(err)) != -1)
			fail_msg("case %zu accepted: %s", i, cases[i].rules);
		if (strncmp(err, cases[i].err, strlen(cases[i].err)))
			fail_msg("case %zu: got \"%s\", want \"%s...\"", i, err,
			    cases[i].err);
		/* A failed parse leaves nothing to free. */
		assert_int_equal(t.len, 0);
		assert_null(t.v);
		assert_null(t.index);
	}
}

static void
parse_rejects_nul_and_too_many_topics(void **state)
{
	static const char nul[] = "[A]\nx\ny\0z\n";
	struct topics t = {0};
	struct buf b = {0};
	char err[256];
	int i;

	assert_int_equal(topics_parse(&t, nul, sizeof(nul) - 1, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "line 3: a NUL byte in the rules");
	for (i = 0; i < TOPICS_MAX; i++)
		buf_printf(&b, "[T%d]\nw%d\n", i, i);
	parse_ok(&t, b.data);
	assert_int_equal(t.len, TOPICS_MAX);
	assert_int_equal(match(&t, "", "w62"), 1ULL << 62);
	topics_free(&t);
	buf_puts(&b, "[One too many]\n");
	assert_int_equal(topics_parse(&t, b.data, b.len, err, sizeof(err)), -1);
	assert_string_equal(err, "line 127: too many topics (at most 63)");
	buf_free(&b);
}

static void
load_reports_path_and_line(void **state)
{
	struct topics t = {0};
	char err[256];

	assert_int_equal(topics_load(&t, "tests/unit/no-such-rules", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "no-such-rules"));
	assert_int_equal(topics_load(&t, DEFAULT_RULES, err, sizeof(err)), 0);
	assert_int_equal(t.len, 10);
	topics_free(&t);
}

static void
match_whole_words_only(void **state)
{
	struct topics t = {0};

	parse_ok(&t, "[Schools & places]\nbase\n[Inspections]\napp\n");
	assert_int_equal(match(&t, "", "our database"), 0);
	assert_int_equal(match(&t, "", "baseline and bases"), 0);
	assert_int_equal(match(&t, "", "a mainstream base."), 1);
	assert_int_equal(match(&t, "", "(base)"), 1);
	assert_int_equal(match(&t, "", "please apply"), 0);
	assert_int_equal(match(&t, "", "the appendix"), 0);
	assert_int_equal(match(&t, "SEND APP Review", ""), 2);
	assert_int_equal(match(&t, "", "progress on the APP, and"), 2);
	assert_int_equal(match(&t, "", "base-app"), 3);
	topics_free(&t);
}

static void
match_ignores_case(void **state)
{
	struct topics t = {0};

	parse_ok(&t, "[I]\nOfSTED\nCare Quality Commission\n");
	assert_int_equal(match(&t, "OFSTED report", ""), 1);
	assert_int_equal(match(&t, "", "by ofsted"), 1);
	assert_int_equal(match(&t, "", "the CARE quality COMMISSION"), 1);
	assert_string_equal(t.v[0].phrases[0].text, "ofsted");
	topics_free(&t);
}

static void
match_symbols_like_pound(void **state)
{
	struct topics t = {0};

	parse_ok(&t, "[Funding]\n£\n[Percent]\n%\n");
	assert_int_equal(match(&t, "", "committed £1,085,665 of capital"), 1);
	assert_int_equal(match(&t, "", "cost:£5"), 1);
	assert_int_equal(match(&t, "", "about 5 pounds"), 0);
	assert_int_equal(match(&t, "", "€5 and $5"), 0);
	assert_int_equal(match(&t, "", "up 5%"), 2);
	topics_free(&t);
}

static void
match_phrases_across_punctuation_only(void **state)
{
	struct topics t = {0};

	parse_ok(&t, "[I]\nwritten statement of action\n"
	    "[E]\neducation health and care plan\n");
	assert_int_equal(match(&t, "", "the Written Statement\nof Action."), 1);
	assert_int_equal(match(&t, "", "written statement of the action"), 0);
	assert_int_equal(match(&t, "", "statement of action"), 0);
	/* "&" reads as "and"; commas and brackets separate words. */
	assert_int_equal(match(&t, "", "an Education, Health & Care Plan"), 2);
	assert_int_equal(match(&t, "", "(Education Health and Care plan)"), 2);
	topics_free(&t);
}

static void
match_hyphens_and_apostrophes(void **state)
{
	struct topics t = {0};

	parse_ok(&t, "[Co]\nco-production\n[Talk]\nlet's talk\n"
	    "[Kids]\nchildren\n[Were]\nwe're\n");
	assert_int_equal(match(&t, "", "genuine co-production"), 1);
	assert_int_equal(match(&t, "", "Co Production"), 1);
	assert_int_equal(match(&t, "", "coproduction"), 0);
	assert_int_equal(match(&t, "Let’s Talk About Autism", ""), 2);
	assert_int_equal(match(&t, "", "LET'S TALK"), 2);
	assert_int_equal(match(&t, "", "lets talk"), 0);
	assert_int_equal(match(&t, "", "the children’s centre"), 4);
	assert_int_equal(match(&t, "", "the children's centre"), 4);
	assert_int_equal(match(&t, "", "our ‘children’ list"), 4);
	assert_int_equal(match(&t, "", "What we’re doing"), 8);
	assert_int_equal(match(&t, "", "What we're doing"), 8);
	topics_free(&t);
}

static void
match_utf8_letters_are_word_characters(void **state)
{
	struct topics t = {0};

	parse_ok(&t, "[A]\nzo\n[B]\ncafé\n[C]\nnaive\n");
	assert_int_equal(match(&t, "", "Zoë"), 0);
	assert_int_equal(match(&t, "", "zo–ë"), 1);    /* en dash splits */
	assert_int_equal(match(&t, "", "the CAFÉ"), 2);
	assert_int_equal(match(&t, "", "naïve"), 0);
	/* Invalid UTF-8 does not stop the scan. */
	assert_int_equal(match(&t, "", "\xff\xfe zo \xc3"), 1);
	topics_free(&t);
}

static void
match_wildcard_prefix(void **state)
{
	struct topics t = {0};
	char longword[200];

	parse_ok(&t, "[Autism]\nautis*\n[Forum]\nparent carer forum*\n"
	    "[Mid]\nearly* help\n");
	assert_int_equal(match(&t, "", "autism"), 1);
	assert_int_equal(match(&t, "", "Autistic people"), 1);
	assert_int_equal(match(&t, "", "autis"), 1);
	assert_int_equal(match(&t, "", "auti"), 0);
	assert_int_equal(match(&t, "", "the Autism’s strategy"), 1);
	assert_int_equal(match(&t, "", "a parent carer forum"), 2);
	assert_int_equal(match(&t, "", "Parent Carer Forums"), 2);
	assert_int_equal(match(&t, "", "parent carer"), 0);
	assert_int_equal(match(&t, "", "Earlybird Help"), 4);
	assert_int_equal(match(&t, "", "Earlier help"), 0);
	/* A token longer than any rule word still matches a prefix. */
	memset(longword, 'x', sizeof(longword));
	memcpy(longword, "autism", 6);
	longword[sizeof(longword) - 1] = '\0';
	assert_int_equal(match(&t, "", longword), 1);
	topics_free(&t);
}

/* Prefix words that share their first letters, or are another rule's
 * whole word, each count on their own. */
static void
match_prefixes_on_one_path(void **state)
{
	struct topics t = {0};
	char rules[200], text[200];

	parse_ok(&t, "[Plan]\nplan*\n[Place]\nplacement*\n[Plain]\nplan\n"
	    "[Review]\nreview*\n[Reviewer]\nreviewer*\n[Letter]\nz*\n"
	    "[Accent]\ncaf\xc3\xa9*\n");
	assert_int_equal(match(&t, "", "plan"), 1 | 4);
	assert_int_equal(match(&t, "", "plans"), 1);
	assert_int_equal(match(&t, "", "placements"), 2);
	assert_int_equal(match(&t, "", "place"), 0);
	assert_int_equal(match(&t, "", "pla"), 0);
	assert_int_equal(match(&t, "", "reviewers"), 8 | 16);
	assert_int_equal(match(&t, "", "reviews"), 8);
	assert_int_equal(match(&t, "", "zebra"), 32);
	assert_int_equal(match(&t, "", "z"), 32);
	assert_int_equal(match(&t, "", "CAF\xc3\x89S"), 64);
	assert_int_equal(match(&t, "", "cafe"), 0);
	topics_free(&t);
	/* A prefix word of the longest length allowed, and tokens past it. */
	memset(text, 'q', sizeof(text));
	text[sizeof(text) - 1] = '\0';
	snprintf(rules, sizeof(rules), "[Q]\n%.64s*\n", text);
	parse_ok(&t, rules);
	assert_int_equal(match(&t, "", text), 1);
	text[64] = '\0';
	assert_int_equal(match(&t, "", text), 1);
	text[63] = '\0';
	assert_int_equal(match(&t, "", text), 0);
	topics_free(&t);
}

static void
match_title_counts_more(void **state)
{
	struct topics t = {0};

	parse_ok(&t, "threshold 3\ntitle-weight 3\n[Health]\nnhs\ncamhs 3\n");
	/* A weak word once in the body is not enough... */
	assert_int_equal(match(&t, "Partners meet", "NHS, council, schools"), 0);
	/* ...three times is... */
	assert_int_equal(match(&t, "", "NHS. NHS. NHS."), 1);
	/* ...and once in the title is too. */
	assert_int_equal(match(&t, "NHS news", "nothing"), 1);
	/* A strong word counts anywhere. */
	assert_int_equal(match(&t, "", "CAMHS waits"), 1);
	topics_free(&t);
}

static void
match_many_topics_or_other(void **state)
{
	struct topics t = {0};

	parse_ok(&t, "[Autism]\nautism\n[Surveys]\nsurvey\n[Events]\nwebinar\n");
	assert_int_equal(match(&t, "Autism survey", ""), 3);
	assert_int_equal(match(&t, "", "a webinar on autism"), 5);
	assert_int_equal(match(&t, "Staffing structure", "who is who"), 0);
	assert_int_equal(topics_find(&t, "Other"), 3);
	topics_free(&t);
}

static void
match_veto_excludes_topic(void **state)
{
	struct topics t = {0};

	parse_ok(&t, "[Funding]\nfunding\nnot: no funding news\n[Other stuff]\n"
	    "funding\n");
	assert_int_equal(match(&t, "", "new funding"), 3);
	assert_int_equal(match(&t, "No funding news", "funding funding"), 2);
	topics_free(&t);
}

static void
match_with_empty_or_missing_fields(void **state)
{
	struct topics t = {0};
	struct post p = {0};

	assert_int_equal(topics_match(&t, &p), 0);      /* never parsed */
	parse_ok(&t, "[A]\nx\n");
	assert_int_equal(topics_match(&t, &p), 0);
	p.text = "x";
	assert_int_equal(topics_match(&t, &p), 1);
	topics_free(&t);
}

static void
find_by_name_or_unique_prefix(void **state)
{
	struct topics t = {0};

	parse_ok(&t, "[Early years]\nx\n[EHCPs & assessments]\ny\n"
	    "[Events & training]\nz\n");
	assert_int_equal(topics_find(&t, "early years"), 0);
	assert_int_equal(topics_find(&t, "EHC"), 1);
	assert_int_equal(topics_find(&t, "ev"), 2);
	assert_int_equal(topics_find(&t, "e"), -2);     /* ambiguous */
	assert_int_equal(topics_find(&t, "oth"), 3);
	assert_int_equal(topics_find(&t, "OTHER"), 3);
	assert_int_equal(topics_find(&t, "health"), -1);
	assert_int_equal(topics_find(&t, ""), -1);
	assert_string_equal(topics_name(&t, 1), "EHCPs & assessments");
	assert_string_equal(topics_name(&t, 3), "Other");
	topics_free(&t);
}

static void
free_leaves_struct_empty(void **state)
{
	struct topics t = {0}, zero = {0};

	parse_ok(&t, "threshold 2\n[A]\nx 2\nnot: y\n");
	topics_free(&t);
	assert_memory_equal(&t, &zero, sizeof(t));
	topics_free(&t);                                /* and again */
}

/* Posts drawn from the council's SEND news 2017-2024, each with the
 * topics a careful reader would file it under. */
static const struct {
	const char *title;
	const char *text;
	const char *topics[7];
} seed_posts[] = {
	{"Local Area SEND Inspection published",
	    "Ofsted and the Care Quality Commission have published their "
	    "inspection of how the local area supports children with SEND. "
	    "Two priority actions: cut the long waits for community "
	    "paediatrics, the neurodevelopmental assessment pathway, "
	    "occupational therapy and physiotherapy; and build genuine "
	    "co-production with children and young people. The partnership "
	    "of NHS Herefordshire and Worcestershire Integrated Care Board and "
	    "the council accepts the findings.",
	    {"Inspections & improvement", "Health & wellbeing",
	    "Co-production & families"}},
	{"Let’s Talk About Autism",
	    "Have your say on the new All-Age Autism Strategy for "
	    "Herefordshire and Worcestershire. The survey is for autistic "
	    "people, families, carers and professionals. Bernadette Louise, "
	    "ICS Autism Champion for NHS Herefordshire and Worcestershire, "
	    "wants to hear about gaps and barriers. The survey will close on "
	    "Sunday 14 May 2023.",
	    {"Autism & neurodiversity", "Surveys & consultations"}},
	{"Update: SEND provision in the Early Years",
	    "Most early years children should have their needs met by their "
	    "local provider, with the Early Years Inclusion Process for "
	    "specialist support. For the few who need more we are setting up "
	    "Early Years Enhanced Provisions, starting in the south. Batchley "
	    "Nursery Plus stays a Nursery Assessment Unit with 16 part-time "
	    "places; Wyre Forest School will give outreach.",
	    {"Early years", "Schools & places"}},
	{"Delivering Better Value (DBV) Survey",
	    "Worcestershire Children First is one of 55 local authorities in "
	    "the DBV programme. Please fill in the survey for parents and "
	    "carers, or the one for education settings. The surveys close at "
	    "midnight on April 28 2023.",
	    {"Surveys & consultations", "Funding & budgets"}},
	{"Special Provision Capital Fund – March 2018",
	    "The Government has committed £1,085,665 of capital funding for "
	    "2018 to 2021 to create new school places and improve facilities "
	    "for children with SEN and disabilities, in consultation with "
	    "parents. It can be spent in mainstream schools, special units, "
	    "special schools, early years settings and colleges, for children "
	    "with education, health and care (EHC) plans.",
	    {"Schools & places", "Funding & budgets"}},
	{"SEND Information Roadshows - November 2018",
	    "Information sessions for parent carers run by the council, "
	    "Families in Partnership (the parent carer forum) and SENDIASS. "
	    "The presentation is available to download, and a Frequently "
	    "Asked Questions document will follow.",
	    {"Events & training", "Co-production & families"}},
	{"SEND APP Review - March 2023",
	    "Officials from DfE SEND and NHS England reviewed progress against "
	    "our Accelerated Progress Plan and recognised the work done. See "
	    "the SEND Improvement Plan page.",
	    {"Inspections & improvement"}},
	{"Mainstream Autism Bases",
	    "A short animated video explains mainstream autism bases: places "
	    "developed inside some schools to support students. Find out about "
	    "the types of specialist educational provision.",
	    {"Autism & neurodiversity", "Schools & places"}},
	{"Neurodiversity Celebration Week",
	    "Free events for professionals, parent carers and young people, "
	    "including introductory webinars and panel discussions.",
	    {"Autism & neurodiversity", "Events & training"}},
	{"A new special school that caters for the needs of pupils with "
	    "Autism Spectrum Disorder (ASD) is to be built in Malvern",
	    "The Department for Education approved the council's bid. The "
	    "special free school will have 120 places for pupils aged 5 to 19. "
	    "The capital funding comes from the Free School Programme.",
	    {"Autism & neurodiversity", "Schools & places"}},
	{"We want to know what you think",
	    "We are rebuilding the SEND Local Offer website. Look at three "
	    "other Local Offers judged good by Ofsted and tell us which you "
	    "prefer in the survey.",
	    {"Surveys & consultations"}},
	{"Delivering Better Value in SEND Programme (DVB programme)",
	    "The programme gives short-term support to local authorities. "
	    "Parent carers and partners will help design what we do "
	    "differently, and local authorities can apply for an "
	    "implementation grant from the DfE.",
	    {"Funding & budgets"}},
	{"Parent carer engagement in schools toolkit",
	    "Staff worked with schools, parent carers, SENDIASS and Families "
	    "in Partnership on a toolkit, co-produced to help schools involve "
	    "parent carers.",
	    {"Co-production & families"}},
	{"High Needs Commissioning Review (HNCR) – September 2018",
	    "A review of processes and the suitability of provision for "
	    "children with SEND, with joint commissioning between Education, "
	    "Early Help, Social Care and Community Health, leading to a joint "
	    "High Needs Plan.",
	    {"Funding & budgets"}},
	{"Improving outcomes for children with SEND",
	    "The Department for Education's monitoring visit found good "
	    "progress on the Written Statement of Action, written after the "
	    "SEND inspection report of May 2018. Advisers from the DfE and NHS "
	    "England have made five joint monitoring visits. Families in "
	    "Partnership, the parent carer forum, will keep working in "
	    "co-production with the local authority.",
	    {"Inspections & improvement", "Co-production & families"}},
	{"SEND Inspection Report 2018",
	    "Ofsted and the CQC inspected SEND provision in March 2018, with "
	    "NHS Worcestershire Clinical Commissioning Groups. The Written "
	    "Statement of Action was judged fit for purpose.",
	    {"Inspections & improvement"}},
	{"Peer Review – 4 to 7 December 2017",
	    "The Local Government Association reviewed our SEND services. "
	    "Consult on a way to meet the needs of children with EHCPs who "
	    "need specialist provision; rethink how we work with schools.",
	    {"Inspections & improvement"}},
	{"All-Age Disability Directorate staffing structure",
	    "We keep the SEND team information in the document below up to "
	    "date.",
	    {NULL}},
	{"September 2024 – August 2025 payment schedule for Personal "
	    "Education Budgets (PEB) via Direct Payment",
	    "The schedule is on the SEN Personal Budgets page.",
	    {"Funding & budgets"}},
	{"What we’re doing to improve SEND services following the 2024 "
	    "Ofsted and CQC inspection",
	    "An online booklet for parent carers waiting for an autism or ADHD "
	    "diagnostic assessment. A new mental health and emotional "
	    "wellbeing service. New EHCP requests in one family go to the same "
	    "Case Work Officer. Co-production sessions with parent carers and "
	    "the Youth Cabinet. Dingley's Promise will run two Early Years "
	    "Enhanced Provisions with support for local nursery settings.",
	    {"Inspections & improvement", "Autism & neurodiversity",
	    "Early years", "EHCPs & assessments", "Health & wellbeing",
	    "Co-production & families"}},
	{"SEND ‘Views & Voices’ events from Worcestershire Parent Carer Forum",
	    "More than 50 events with peer support and friendly advice.",
	    {"Events & training", "Co-production & families"}},
};

static void
default_rules_file_seed_posts(void **state)
{
	struct topics t = {0};
	char err[256];
	size_t i, j;

	if (topics_load(&t, DEFAULT_RULES, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	for (i = 0; i < sizeof(seed_posts) / sizeof(seed_posts[0]); i++) {
		uint64_t want = 0, got;

		for (j = 0; seed_posts[i].topics[j]; j++)
			want |= bit(&t, seed_posts[i].topics[j]);
		got = match(&t, seed_posts[i].title, seed_posts[i].text);
		if (got != want) {
			char gs[512] = "";

			for (j = 0; j < t.len; j++)
				if (got >> j & 1) {
					strcat(gs, " [");
					strcat(gs, t.v[j].name);
					strcat(gs, "]");
				}
			fail_msg("\"%s\": got%s", seed_posts[i].title,
			    got ? gs : " Other");
		}
	}
	topics_free(&t);
}

static void
default_rules_file_topics_in_display_order(void **state)
{
	static const char *names[] = {
		"Inspections & improvement", "Autism & neurodiversity",
		"Early years", "Surveys & consultations", "EHCPs & assessments",
		"Health & wellbeing", "Schools & places", "Funding & budgets",
		"Events & training", "Co-production & families",
	};
	struct topics t = {0};
	char err[256];
	size_t i;

	if (topics_load(&t, DEFAULT_RULES, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(t.len, 10);
	for (i = 0; i < t.len; i++)
		assert_string_equal(t.v[i].name, names[i]);
	assert_string_equal(topics_name(&t, t.len), "Other");
	topics_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_reads_settings_topics_and_weights),
		cmocka_unit_test(parse_defaults_without_settings),
		cmocka_unit_test(parse_errors_name_the_line),
		cmocka_unit_test(parse_rejects_nul_and_too_many_topics),
		cmocka_unit_test(load_reports_path_and_line),
		cmocka_unit_test(match_whole_words_only),
		cmocka_unit_test(match_ignores_case),
		cmocka_unit_test(match_symbols_like_pound),
		cmocka_unit_test(match_phrases_across_punctuation_only),
		cmocka_unit_test(match_hyphens_and_apostrophes),
		cmocka_unit_test(match_utf8_letters_are_word_characters),
		cmocka_unit_test(match_wildcard_prefix),
		cmocka_unit_test(match_prefixes_on_one_path),
		cmocka_unit_test(match_title_counts_more),
		cmocka_unit_test(match_many_topics_or_other),
		cmocka_unit_test(match_veto_excludes_topic),
		cmocka_unit_test(match_with_empty_or_missing_fields),
		cmocka_unit_test(find_by_name_or_unique_prefix),
		cmocka_unit_test(free_leaves_struct_empty),
		cmocka_unit_test(default_rules_file_topics_in_display_order),
		cmocka_unit_test(default_rules_file_seed_posts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
