/* Tests of feed.c: format sniffing, RSS/RDF/Atom parsing against the
 * fixtures in tests/data (each NAME has a NAME.expected dump), and the
 * hostile inputs libxml2 must not be fooled by.  Fixtures are read from
 * $SENDNEWS_TEST_DATA, else tests/data; with SENDNEWS_UPDATE_EXPECTED=1
 * the .expected files are rewritten instead of compared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "feed.h"
#include "post.h"
#include "util.h"

#define FEED_URL "https://www.worcestershire.gov.uk/news/feed.rss"

static const char *
data_dir(void)
{
	const char *d = getenv("SENDNEWS_TEST_DATA");

	return d && *d ? d : "tests/data";
}

static char *
read_fixture(const char *name, size_t *len)
{
	char err[256], *path = xasprintf("%s/%s", data_dir(), name), *data;

	if (util_read_file(path, 64u << 20, &data, len, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	free(path);
	return data;
}

/* The text form of a parse that the .expected files hold. */
static void
dump(struct buf *b, int n, const char *err, const struct feed_info *info,
    const struct postlist *l)
{
	char date[16];
	const char *s, *e;
	size_t i, j;

	if (n < 0) {
		buf_printf(b, "error: %s\n", err);
		return;
	}
	buf_printf(b, "posts: %d\n", n);
	if (info && info->title)
		buf_printf(b, "feed-title: %s\n", info->title);
	if (info && info->link)
		buf_printf(b, "feed-link: %s\n", info->link);
	for (i = 0; i < l->len; i++) {
		const struct post *p = &l->v[i];

		buf_printf(b, "\ntitle: %s\nlink: %s\nguid: %s\ndate: %s\ntext:\n",
		    p->title, p->link, p->guid ? p->guid : "",
		    date_format(p->date, date));
		for (s = p->text; *s; s = *e ? e + 1 : e) {
			e = s + strcspn(s, "\n");
			buf_printf(b, "| %.*s\n", (int)(e - s), s);
		}
		for (j = 0; j < p->nlinks; j++)
			buf_printf(b, "[%zu] %s\n", j + 1, p->links[j]);
	}
}

static void
check_fixture(const char *name, const char *url)
{
	struct postlist l = {0};
	struct feed_info info;
	struct buf got = {0};
	char err[256], *body, *path, *want;
	size_t len, wlen;
	int n;

	body = read_fixture(name, &len);
	n = feed_parse_info(body, len, url, 0, NULL, &l, &info, err,
	    sizeof(err));
	dump(&got, n, err, &info, &l);
	path = xasprintf("%s/%s.expected", data_dir(), name);
	if (getenv("SENDNEWS_UPDATE_EXPECTED")) {
		if (util_write_file(path, got.data, got.len, err, sizeof(err)) < 0)
			fail_msg("%s", err);
	} else {
		if (util_read_file(path, 1u << 20, &want, &wlen, err,
		    sizeof(err)) < 0)
			fail_msg("%s", err);
		if (strcmp(got.data, want) != 0)
			fail_msg("%s differs from %s:\n%s", name, path, got.data);
		free(want);
	}
	free(path);
	buf_free(&got);
	feed_info_free(&info);
	postlist_free(&l);
	free(body);
}

/* Parses a string; returns the count and leaves the posts in l. */
static int
parse_str(const char *s, struct postlist *l, char *err, size_t errlen)
{
	return feed_parse(s, strlen(s), FEED_URL, 3, NULL, l, err, errlen);
}

static void
fixture_rss2_council(void **state)
{
	check_fixture("rss2_council.xml", FEED_URL);
}

static void
fixture_rss091(void **state)
{
	check_fixture("rss091.xml", FEED_URL);
}

static void
fixture_rdf(void **state)
{
	check_fixture("rdf.xml", FEED_URL);
}

static void
fixture_atom_xhtml(void **state)
{
	check_fixture("atom_xhtml.xml", "https://www.worcestershire.gov.uk/feed.atom");
}

static void
fixture_atom_html(void **state)
{
	check_fixture("atom_html.xml", "https://www.worcestershire.gov.uk/send/feed.atom");
}

static void
fixture_rss_latin1(void **state)
{
	check_fixture("rss_latin1.xml", FEED_URL);
}

static void
fixture_rss_malformed(void **state)
{
	check_fixture("rss_malformed.xml", FEED_URL);
}

static void
fixture_not_feed_json(void **state)
{
	check_fixture("not_feed.json", FEED_URL);
}

static void
feed_sniff_recognises_formats(void **state)
{
	static const struct {
		const char *body;
		enum feed_format want;
	} cases[] = {
		{ "<rss version=\"2.0\"><channel/></rss>", FEED_RSS },
		{ "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- hi -->\n"
		  "<?xml-stylesheet href=\"a.xsl\"?><!DOCTYPE rss [ <!ENTITY a \"b>\"> ]>"
		  "<rss>", FEED_RSS },
		{ "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
		  "xmlns=\"http://purl.org/rss/1.0/\">", FEED_RDF },
		{ "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
		  "<foo/></rdf:RDF>", FEED_UNKNOWN },
		{ "<feed xmlns=\"http://www.w3.org/2005/Atom\">", FEED_ATOM },
		{ "<atom:feed xmlns:atom=\"http://www.w3.org/2005/Atom\">", FEED_ATOM },
		{ "<feed>", FEED_UNKNOWN },
		{ "<!DOCTYPE html><html><body>", FEED_HTML },
		{ "  <!doctype HTML>", FEED_HTML },
		{ "<html lang=\"en\">", FEED_HTML },
		{ "<!-- page --><div class=\"x\">", FEED_HTML },
		{ "<?xml version=\"1.0\"?><!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0"
		  " Strict//EN\" \"x\"><html xmlns=\"http://www.w3.org/1999/xhtml\">",
		  FEED_HTML },
		{ "{\"a\": 1}", FEED_UNKNOWN },
		{ "just some words", FEED_UNKNOWN },
		{ "<note><to>x</to></note>", FEED_UNKNOWN },
		{ "", FEED_UNKNOWN },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (feed_sniff(cases[i].body, strlen(cases[i].body)) != cases[i].want)
			fail_msg("case %zu: %s", i, cases[i].body);
}

static void
feed_sniff_reads_utf16(void **state)
{
	static const char le[] = "\xff\xfe<\0r\0s\0s\0>\0";
	static const char be[] = "\xfe\xff\0<\0f\0e\0e\0d\0 \0x\0m\0l\0n\0s\0=\0"
	    "\"\0h\0t\0t\0p\0:\0/\0/\0w\0w\0w\0.\0w\0003\0.\0o\0r\0g\0/\0"
	    "2\0000\0000\0005\0/\0A\0t\0o\0m\0\"\0>";

	assert_int_equal(feed_sniff(le, sizeof(le) - 1), FEED_RSS);
	assert_int_equal(feed_sniff(be, sizeof(be) - 1), FEED_ATOM);
}

static void
feed_format_names_are_words(void **state)
{
	assert_string_equal(feed_format_name(FEED_RSS), "RSS");
	assert_string_equal(feed_format_name(FEED_RDF), "RSS 1.0");
	assert_string_equal(feed_format_name(FEED_ATOM), "Atom");
	assert_string_equal(feed_format_name(FEED_HTML), "HTML page");
	assert_string_equal(feed_format_name(FEED_UNKNOWN), "unknown");
}

static void
feed_sniff_json_is_not_feed(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(feed_sniff("[1, 2]", 6), FEED_UNKNOWN);
	assert_int_equal(parse_str("  {\"items\": []}", &l, err, sizeof(err)), -1);
	assert_string_equal(err, "not a feed: the answer is JSON");
	assert_int_equal(l.len, 0);
}

static void
feed_plain_text_is_not_feed(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_str("Service unavailable\n", &l, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "not a feed: the answer is plain text");
	assert_int_equal(parse_str("", &l, err, sizeof(err)), -1);
	assert_string_equal(err, "not a feed: the answer is empty");
}

static void
feed_other_xml_is_not_feed(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_str("<?xml version=\"1.0\"?><opml version=\"2.0\">"
	    "<body/></opml>", &l, err, sizeof(err)), -1);
	assert_string_equal(err,
	    "not RSS, Atom or an HTML page (the document is <opml>)");
}

static void
rss_title_markup_removed(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_str("<rss><channel>"
	    "<item><title>&lt;h4&gt;Escaped &amp;amp; heading&lt;/h4&gt;</title></item>"
	    "<item><title><h4>Real <em>child</em> &amp; heading</h4></title></item>"
	    "<item><title>Double &amp;amp; escaped</title></item>"
	    "<item><title>1 &lt; 2 is no tag</title></item>"
	    "</channel></rss>", &l, err, sizeof(err)), 4);
	assert_string_equal(l.v[0].title, "Escaped & heading");
	assert_string_equal(l.v[1].title, "Real child & heading");
	assert_string_equal(l.v[2].title, "Double & escaped");
	assert_string_equal(l.v[3].title, "1 < 2 is no tag");
	postlist_free(&l);
}

static void
rss_relative_link_made_absolute(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_str("<rss><channel><item><title>A</title>"
	    "<link> /news/some-slug </link>"
	    "<description>&lt;a href=\"/news/other\"&gt;other&lt;/a&gt;</description>"
	    "</item></channel></rss>", &l, err, sizeof(err)), 1);
	assert_string_equal(l.v[0].link,
	    "https://www.worcestershire.gov.uk/news/some-slug");
	assert_string_equal(l.v[0].guid, l.v[0].link);
	assert_int_equal(l.v[0].nlinks, 1);
	assert_string_equal(l.v[0].links[0],
	    "https://www.worcestershire.gov.uk/news/other");
	assert_int_equal(l.v[0].feed, 3);
	assert_int_equal(strlen(l.v[0].id), 12);
	postlist_free(&l);
}

static void
rss_short_pubdate_parsed(void **state)
{
	struct postlist l = {0};
	char err[256], d[16];

	assert_int_equal(parse_str("<rss><channel><item><title>A</title>"
	    "<pubDate>10 Oct 2025</pubDate></item>"
	    "<item><title>B</title><dc:date xmlns:dc=\"http://purl.org/dc/"
	    "elements/1.1/\">2025-10-11T08:00:00Z</dc:date></item>"
	    "</channel></rss>", &l, err, sizeof(err)), 2);
	assert_string_equal(date_format(l.v[0].date, d), "2025-10-10");
	assert_string_equal(date_format(l.v[1].date, d), "2025-10-11");
	postlist_free(&l);
}

static void
rss_content_encoded_preferred(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_str("<rss xmlns:content=\"http://purl.org/rss/1.0/"
	    "modules/content/\"><channel><item><title>A</title>"
	    "<description>short</description>"
	    "<content:encoded><![CDATA[<p>the <b>full</b> text</p>]]>"
	    "</content:encoded></item>"
	    "<item><title>B</title><description>only this</description>"
	    "<content:encoded>  </content:encoded></item>"
	    "</channel></rss>", &l, err, sizeof(err)), 2);
	assert_string_equal(l.v[0].text, "the full text");
	assert_string_equal(l.v[1].text, "only this");
	postlist_free(&l);
}

static void
rss_guid_and_permalink(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_str("<rss><channel>"
	    "<item><title>A</title><guid>https://example.org/a</guid></item>"
	    "<item><title>B</title><guid isPermaLink=\"false\">b-1</guid></item>"
	    "</channel></rss>", &l, err, sizeof(err)), 2);
	assert_string_equal(l.v[0].link, "https://example.org/a");
	assert_string_equal(l.v[0].guid, "https://example.org/a");
	assert_string_equal(l.v[1].link, "");
	assert_string_equal(l.v[1].guid, "b-1");
	postlist_free(&l);
}

static void
rss_untitled_item_named_from_text(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_str("<rss><channel><item><description>"
	    "&lt;p&gt;A post with no title at all&lt;/p&gt;</description>"
	    "</item><item/><item>  </item></channel></rss>", &l, err,
	    sizeof(err)), 1);
	assert_string_equal(l.v[0].title, "A post with no title at all");
	postlist_free(&l);
}

static void
rss_title_cut_at_character_boundary(void **state)
{
	struct postlist l = {0};
	struct buf b = {0};
	char err[256];
	size_t i, n;

	buf_puts(&b, "<rss><channel><item><title>x");
	for (i = 0; i < 3000; i++)
		buf_puts(&b, "\xc3\xa9");      /* é, two bytes */
	buf_puts(&b, "</title></item></channel></rss>");
	assert_int_equal(parse_str(b.data, &l, err, sizeof(err)), 1);
	n = strlen(l.v[0].title);
	assert_true(n <= FEED_MAX_TITLE && n >= FEED_MAX_TITLE - 1);
	assert_true(((unsigned char)l.v[0].title[n - 1] & 0xc0) == 0x80);
	buf_free(&b);
	postlist_free(&l);
}

static void
rss_stops_at_max_items(void **state)
{
	struct postlist l = {0};
	struct buf b = {0};
	char err[256];
	size_t i;

	buf_puts(&b, "<rss><channel>");
	for (i = 0; i < FEED_MAX_ITEMS + 5; i++)
		buf_printf(&b, "<item><guid>g%zu</guid></item>", i);
	buf_puts(&b, "</channel></rss>");
	assert_int_equal(parse_str(b.data, &l, err, sizeof(err)),
	    FEED_MAX_ITEMS);
	assert_string_equal(l.v[FEED_MAX_ITEMS - 1].guid, "g99999");
	buf_free(&b);
	postlist_free(&l);
}

static void
rss091_undeclared_nbsp_kept(void **state)
{
	struct postlist l = {0};
	char err[256], *body;
	size_t len;

	body = read_fixture("rss091.xml", &len);
	assert_int_equal(feed_parse(body, len, FEED_URL, 0, NULL, &l, err,
	    sizeof(err)), 2);
	/* &nbsp; is undeclared (the DTD is never loaded) yet means no-break
	 * space, not nothing. */
	assert_string_equal(l.v[0].title,
	    "Peer Review\xc2\xa0- 4 to 7 December 2017");
	free(body);
	postlist_free(&l);
}

static void
rdf_items_read(void **state)
{
	struct postlist l = {0};
	char err[256], *body, d[16];
	size_t len;

	body = read_fixture("rdf.xml", &len);
	assert_int_equal(feed_parse(body, len, FEED_URL, 0, NULL, &l, err,
	    sizeof(err)), 2);
	assert_string_equal(l.v[0].title, "SEND APP Review - March 2023");
	assert_string_equal(date_format(l.v[0].date, d), "2023-03-20");
	/* No <link>: rdf:about stands in. */
	assert_string_equal(l.v[1].link,
	    "https://www.worcestershire.gov.uk/send/dbv-survey");
	free(body);
	postlist_free(&l);
}

static void
atom_resolves_xml_base(void **state)
{
	struct postlist l = {0};
	struct feed_info info;
	char err[256], *body;
	size_t len;

	body = read_fixture("atom_xhtml.xml", &len);
	assert_int_equal(feed_parse_info(body, len, "https://other.example/x.atom",
	    0, NULL, &l, &info, err, sizeof(err)), 2);
	/* feed xml:base, then the entry's nested relative xml:base. */
	assert_string_equal(l.v[0].link,
	    "https://www.worcestershire.gov.uk/send/improvement/ofsted-cqc-2024");
	assert_string_equal(l.v[0].links[0], "https://www.worcestershire.gov.uk/"
	    "send/improvement/casework-officers");
	assert_string_equal(l.v[1].link,
	    "https://www.worcestershire.gov.uk/send/payment-schedule");
	assert_string_equal(info.title, "SEND updates (Atom)");
	assert_string_equal(info.link, "https://www.worcestershire.gov.uk/send/news/");
	assert_int_equal(info.format, FEED_ATOM);
	feed_info_free(&info);
	assert_null(info.title);
	free(body);
	postlist_free(&l);
}

static void
atom_xhtml_content_is_markup(void **state)
{
	struct postlist l = {0};
	char err[256], *body;
	size_t len;

	body = read_fixture("atom_xhtml.xml", &len);
	assert_int_equal(feed_parse(body, len, FEED_URL, 0, NULL, &l, err,
	    sizeof(err)), 2);
	assert_non_null(strstr(l.v[0].text, "SEND Casework Officers [1] & an"));
	assert_non_null(strstr(l.v[0].text, "1 < 2 is text, not a tag."));
	assert_null(strstr(l.v[0].text, "<p>"));
	/* type="text": markup-looking text stays text. */
	assert_string_equal(l.v[1].title, "Useful <b> is literal in a text title");
	free(body);
	postlist_free(&l);
}

static void
atom_html_content_and_src(void **state)
{
	struct postlist l = {0};
	char err[256], *body;
	size_t len;

	body = read_fixture("atom_html.xml", &len);
	assert_int_equal(feed_parse(body, len, FEED_URL, 0, NULL, &l, err,
	    sizeof(err)), 2);
	assert_string_equal(l.v[0].title, "Local Area SEND Inspection published");
	assert_null(strstr(l.v[0].text, "alert"));
	/* rel="enclosure" is not the link; out-of-line content falls back to
	 * the summary. */
	assert_string_equal(l.v[1].link,
	    "https://www.worcestershire.gov.uk/send/early-years");
	assert_string_equal(l.v[1].text,
	    "Two sites have been identified for the new provision.");
	free(body);
	postlist_free(&l);
}

static void
latin1_feed_becomes_utf8(void **state)
{
	struct postlist l = {0};
	char err[256], *body;
	size_t len;

	body = read_fixture("rss_latin1.xml", &len);
	assert_int_equal(feed_parse(body, len, FEED_URL, 0, NULL, &l, err,
	    sizeof(err)), 1);
	assert_string_equal(l.v[0].title, "Fees of \xc2\xa3" "120 for the caf\xc3\xa9");
	free(body);
	postlist_free(&l);
}

static void
malformed_feed_keeps_recovered_items(void **state)
{
	struct postlist l = {0};
	char err[256], *body;
	size_t len;
	int n;

	body = read_fixture("rss_malformed.xml", &len);
	n = feed_parse(body, len, FEED_URL, 0, NULL, &l, err, sizeof(err));
	assert_int_equal(n, 3);
	assert_string_equal(l.v[0].title, "First item is fine");
	assert_string_equal(l.v[0].link, "https://www.worcestershire.gov.uk/news/first");
	/* Past the unclosed <title> and the cut-off end. */
	assert_string_equal(l.v[1].link, "https://www.worcestershire.gov.uk/news/second");
	assert_string_equal(l.v[2].title, "Third item is cut off");
	free(body);
	postlist_free(&l);
}

static void
feed_deep_nesting_is_error(void **state)
{
	struct postlist l = {0};
	struct buf b = {0};
	char err[256];
	size_t i;

	buf_puts(&b, "<rss><channel>");
	for (i = 0; i < 300; i++)
		buf_puts(&b, "<x>");
	buf_puts(&b, "<item><title>too deep</title></item></channel></rss>");
	assert_int_equal(parse_str(b.data, &l, err, sizeof(err)), -1);
	assert_string_equal(err,
	    "the feed is nested too deeply (more than 256 levels)");
	assert_int_equal(l.len, 0);
	buf_free(&b);
}

static bool
list_contains(const struct postlist *l, const char *needle)
{
	size_t i, j;

	for (i = 0; i < l->len; i++) {
		if (strstr(l->v[i].title, needle) || strstr(l->v[i].text, needle) ||
		    strstr(l->v[i].link, needle) ||
		    (l->v[i].guid && strstr(l->v[i].guid, needle)))
			return true;
		for (j = 0; j < l->v[i].nlinks; j++)
			if (strstr(l->v[i].links[j], needle))
				return true;
	}
	return false;
}

/* A file with a marker, for external entities to try to read. */
static char *
secret_file(void)
{
	char path[] = "/tmp/sendnews-secret-XXXXXX", err[256];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(util_write_file(path, "SECRET-MARKER-42\n", 17, err,
	    sizeof(err)), 0);
	return xstrdup(path);
}

static void
feed_refuses_external_entity(void **state)
{
	struct postlist l = {0};
	char err[256], *path = secret_file(), *doc;
	int n;

	doc = xasprintf("<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE rss [ <!ENTITY pw SYSTEM \"file:///etc/passwd\">\n"
	    "<!ENTITY sec SYSTEM \"file://%s\"> ]>\n"
	    "<rss><channel><item><title>a &pw; b &sec; c</title>"
	    "<link>/x?&sec;</link><description>&sec;&pw;</description>"
	    "</item></channel></rss>", path);
	n = parse_str(doc, &l, err, sizeof(err));
	assert_int_equal(n, 1);
	assert_false(list_contains(&l, "root:"));
	assert_false(list_contains(&l, "SECRET-MARKER"));
	assert_string_equal(l.v[0].title, "a b c");
	postlist_free(&l);
	free(doc);
	unlink(path);
	free(path);
}

static void
feed_ignores_external_dtd(void **state)
{
	struct postlist l = {0};
	char err[256], *path = secret_file(), *dtd, *doc, dtdpath[] =
	    "/tmp/sendnews-dtd-XXXXXX";
	int fd = mkstemp(dtdpath);

	assert_true(fd >= 0);
	close(fd);
	dtd = xasprintf("<!ENTITY sec SYSTEM \"file://%s\">\n"
	    "<!ENTITY word \"DTD-WAS-LOADED\">\n", path);
	assert_int_equal(util_write_file(dtdpath, dtd, strlen(dtd), err,
	    sizeof(err)), 0);
	doc = xasprintf("<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE rss SYSTEM \"file://%s\">\n"
	    "<rss><channel><item><title>t &word; &sec;</title></item>"
	    "<item><title>remote</title><description>"
	    "<![CDATA[<p>x</p>]]></description></item>"
	    "</channel></rss>", dtdpath);
	assert_int_equal(parse_str(doc, &l, err, sizeof(err)), 2);
	assert_false(list_contains(&l, "DTD-WAS-LOADED"));
	assert_false(list_contains(&l, "SECRET-MARKER"));
	postlist_free(&l);
	free(doc);
	free(dtd);
	/* A DTD on the network is not fetched either (port 9 discards). */
	doc = xasprintf("<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE rss SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n"
	    "<rss><channel><item><title>net</title></item></channel></rss>");
	assert_int_equal(parse_str(doc, &l, err, sizeof(err)), 1);
	postlist_free(&l);
	free(doc);
	unlink(dtdpath);
	unlink(path);
	free(path);
}

static void
feed_survives_billion_laughs(void **state)
{
	struct postlist l = {0};
	struct buf b = {0};
	char err[256];
	int i, n;
	size_t j;

	buf_puts(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n"
	    "<!ENTITY lol0 \"lol\">\n");
	for (i = 1; i <= 9; i++)
		buf_printf(&b, "<!ENTITY lol%d \"&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;"
		    "&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;\">\n", i, i - 1, i - 1,
		    i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	buf_puts(&b, "]>\n<rss><channel><item><title>laugh &lol9;</title>"
	    "<link>/l?&lol9;</link><description>&lol9;</description>"
	    "</item></channel></rss>");
	n = parse_str(b.data, &l, err, sizeof(err));
	if (n < 0)
		assert_string_equal(err,
		    "the feed was refused: its entities expand without bound");
	/* Refused or kept without the expansion: never a billion laughs. */
	for (j = 0; n > 0 && j < l.len; j++) {
		assert_true(strlen(l.v[j].title) < 100);
		assert_true(strlen(l.v[j].text) < 100);
		assert_true(strlen(l.v[j].link) < 200);
	}
	postlist_free(&l);
	buf_free(&b);
}

static void
feed_does_not_expand_entity_refs(void **state)
{
	struct postlist l = {0};
	struct buf b = {0};
	char err[256];
	size_t i;

	/* Quadratic blowup: one 50 KB entity referenced 20,000 times in text
	 * and in an attribute. */
	buf_puts(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE feed [\n<!ENTITY big \"");
	for (i = 0; i < 50000; i++)
		buf_putc(&b, 'A');
	buf_puts(&b, "\">\n<!ENTITY secret \"SECRET\">\n]>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
	    "<title>x &secret; y</title><link href=\"/a");
	for (i = 0; i < 20000; i++)
		buf_puts(&b, "&big;");
	buf_puts(&b, "\"/><content type=\"html\">");
	for (i = 0; i < 20000; i++)
		buf_puts(&b, "&big;");
	buf_puts(&b, "</content></entry></feed>");
	assert_int_equal(parse_str(b.data, &l, err, sizeof(err)), 1);
	assert_string_equal(l.v[0].title, "x y");
	assert_true(strlen(l.v[0].text) < 1000);
	assert_true(strlen(l.v[0].link) < 1000);
	postlist_free(&l);
	buf_free(&b);
}

static void
feed_strips_escape_sequences_in_titles(void **state)
{
	struct postlist l = {0};
	char err[256];
	const char *bad[] = { "\x1b", "\xc2\x9b", "\xe2\x80\xae", "\x07" };
	size_t i, j;

	assert_int_equal(parse_str("<rss><channel>"
	    "<item><title>&lt;h4&gt;red&amp;#x1b;[31m title&lt;/h4&gt;</title>"
	    "<description>&lt;p&gt;esc &amp;#27;]8;;http://evil/&amp;#27;\\&lt;/p&gt;"
	    "</description></item>"
	    "<item><title>c1 &#x9b;31m and raw \xc2\x9b" "2J</title></item>"
	    "<item><title>bidi &#x202e;txt.exe</title></item>"
	    "<item><title>bell &amp;#7; &#x85; end</title></item>"
	    "</channel></rss>", &l, err, sizeof(err)), 4);
	for (i = 0; i < l.len; i++)
		for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			assert_null(strstr(l.v[i].title, bad[j]));
			assert_null(strstr(l.v[i].text, bad[j]));
		}
	assert_string_equal(l.v[0].title, "red[31m title");
	assert_string_equal(l.v[2].title, "bidi txt.exe");
	postlist_free(&l);
}

static void
feed_drops_literal_esc_char_ref(void **state)
{
	struct postlist l = {0};
	char err[256];
	int n;

	/* &#x1b; is not allowed in XML: recovery drops it and goes on. */
	n = parse_str("<rss><channel><item><title>a&#x1b;[2Jb</title>"
	    "<link>/esc</link></item><item><title>next</title></item>"
	    "</channel></rss>", &l, err, sizeof(err));
	assert_int_equal(n, 2);
	assert_string_equal(l.v[0].title, "a[2Jb");
	assert_string_equal(l.v[1].title, "next");
	postlist_free(&l);
}

static void
feed_never_prints(void **state)
{
	struct postlist l = {0};
	char err[256];
	FILE *tmp = tmpfile();
	int saved = dup(2);
	long size;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	parse_str("<rss><channel><item><title>x</titl></item>&bogus;<<<", &l,
	    err, sizeof(err));
	parse_str("<?xml version=\"1.0\" encoding=\"nonsense\"?><rss>\xff\xfe",
	    &l, err, sizeof(err));
	parse_str("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>&#0;",
	    &l, err, sizeof(err));
	parse_str("<html><body><h2>a</h3><p>x</p><h2>b<p>y", &l, err,
	    sizeof(err));
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fseek(tmp, 0, SEEK_END);
	size = ftell(tmp);
	fclose(tmp);
	assert_int_equal(size, 0);
	postlist_free(&l);
}

static void
feed_parse_hands_html_to_page(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_str("<!DOCTYPE html><html><body><main>"
	    "<h2>One</h2><p>first</p><h2>Two</h2><p>second</p>"
	    "</main></body></html>", &l, err, sizeof(err)), 2);
	assert_string_equal(l.v[1].title, "Two");
	postlist_free(&l);
}

static void
feed_info_has_channel_title(void **state)
{
	struct postlist l = {0};
	struct feed_info info;
	char err[256], *body;
	size_t len;

	body = read_fixture("rss2_council.xml", &len);
	assert_true(feed_parse_info(body, len, FEED_URL, 0, NULL, &l, &info,
	    err, sizeof(err)) > 0);
	assert_string_equal(info.title, "Worcestershire County Council news");
	assert_string_equal(info.link, "https://www.worcestershire.gov.uk/news");
	assert_int_equal(info.format, FEED_RSS);
	feed_info_free(&info);
	free(body);
	postlist_free(&l);
}

/* Items are finished in batches, several threads at a time: every post
 * must still get its own item's text, links, fallback title and id, in
 * document order, across batch boundaries and a last partial batch. */
static void
feed_batches_keep_each_item_its_own(void **state)
{
	struct postlist l = {0}, one = {0};
	struct buf b = {0};
	char err[256], want[64];
	int i, n = 2500;

	buf_puts(&b, "<rss version=\"2.0\"><channel><title>x</title>");
	for (i = 0; i < n; i++)
		buf_printf(&b, "<item>%s<link>/news/%d</link>"
		    "<description>&lt;p&gt;Body %d with &lt;a href=\"/doc/%d\"&gt;a "
		    "link&lt;/a&gt;.&lt;/p&gt;</description></item>",
		    i % 7 ? "<title>Post</title>" : "", i, i, i);
	buf_puts(&b, "</channel></rss>");
	assert_int_equal(parse_str(b.data, &l, err, sizeof(err)), n);
	assert_int_equal(l.len, (size_t)n);
	for (i = 0; i < n; i++) {
		struct post *p = &l.v[i];

		snprintf(want, sizeof(want), "Body %d with a link", i);
		assert_non_null(strstr(p->text, want));
		assert_int_equal(p->nlinks, 1);
		snprintf(want, sizeof(want), "https://www.worcestershire.gov.uk/doc/%d", i);
		assert_string_equal(p->links[0], want);
		snprintf(want, sizeof(want), "https://www.worcestershire.gov.uk/news/%d", i);
		assert_string_equal(p->link, want);
		if (i % 7 == 0) {
			snprintf(want, sizeof(want), "Body %d with a link", i);
			assert_non_null(strstr(p->title, want));
		} else
			assert_string_equal(p->title, "Post");
		assert_int_equal(strlen(p->id), 12);
	}
	/* The same item alone gives the same id and hash. */
	buf_free(&b);
	buf_puts(&b, "<rss version=\"2.0\"><channel><title>x</title><item>"
	    "<title>Post</title><link>/news/1234</link><description>&lt;p&gt;Body 1234 "
	    "with &lt;a href=\"/doc/1234\"&gt;a link&lt;/a&gt;.&lt;/p&gt;</description>"
	    "</item></channel></rss>");
	assert_int_equal(parse_str(b.data, &one, err, sizeof(err)), 1);
	assert_string_equal(one.v[0].id, l.v[1234].id);
	assert_true(one.v[0].hash == l.v[1234].hash);
	assert_string_equal(one.v[0].text, l.v[1234].text);
	buf_free(&b);
	postlist_free(&one);
	postlist_free(&l);
}

/* feed_opts.finish: called once for each post, after its text, on a
 * worker's copy or in the reader; what it writes must reach the list.  It
 * marks each post with the number in its text, plus one. */
static atomic_size_t finish_calls;

static void
finish_mark(const void *ctx, struct post *p)
{
	const char *s = strstr(p->text, "Body ");

	/* No cmocka asserts here: this may run on a worker thread. */
	atomic_fetch_add(&finish_calls, 1);
	p->deadline = ctx != &finish_calls ? -2 : s ? atoll(s + 5) + 1 : -1;
}

static void
feed_finish_runs_once_on_each_post(void **state)
{
	struct feed_opts opts = { .finish = finish_mark, .finish_ctx = &finish_calls };
	struct postlist l = {0};
	struct buf b = {0};
	char err[256];
	int i, n = 2100;

	/* Every fifth item has no body: it is finished in the reader. */
	buf_puts(&b, "<rss version=\"2.0\"><channel><title>x</title>");
	for (i = 0; i < n; i++)
		buf_printf(&b, "<item><title>Body %d</title><link>/n/%d</link>%s%d%s"
		    "</item>", i, i, i % 5 ? "<description>&lt;p&gt;Body " :
		    "<!-- ", i, i % 5 ? "&lt;/p&gt;</description>" : " -->");
	buf_puts(&b, "</channel></rss>");
	atomic_store(&finish_calls, 0);
	assert_int_equal(feed_parse(b.data, b.len, FEED_URL, 0, &opts, &l, err,
	    sizeof(err)), n);
	assert_int_equal(atomic_load(&finish_calls), (size_t)n);
	for (i = 0; i < n; i++)
		assert_int_equal(l.v[i].deadline, i % 5 ? i + 1 : -1);
	postlist_free(&l);
	buf_free(&b);

	/* Atom text content, and a page, go the same way. */
	atomic_store(&finish_calls, 0);
	buf_puts(&b, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>a</title>"
	    "<entry><title>t</title><id>e1</id><content type=\"text\">Body 41"
	    "</content></entry></feed>");
	assert_int_equal(feed_parse(b.data, b.len, FEED_URL, 0, &opts, &l, err,
	    sizeof(err)), 1);
	assert_int_equal(atomic_load(&finish_calls), 1);
	assert_int_equal(l.v[0].deadline, 42);
	postlist_free(&l);
	buf_free(&b);
	atomic_store(&finish_calls, 0);
	buf_puts(&b, "<html><body><main><h2>One</h2><p>Body 7</p><h2>Two</h2>"
	    "<p>Body 8</p></main></body></html>");
	assert_int_equal(feed_parse(b.data, b.len, FEED_URL, 0, &opts, &l, err,
	    sizeof(err)), 2);
	assert_int_equal(atomic_load(&finish_calls), 2);
	assert_int_equal(l.v[0].deadline, 8);
	assert_int_equal(l.v[1].deadline, 9);
	postlist_free(&l);
	buf_free(&b);
}

/* util_work calls every index once, whatever the number of threads, also
 * while the caller is busy elsewhere between start and finish. */
static void
work_tally(void *ctx, size_t i)
{
	((unsigned char *)ctx)[i]++;
}

static void
util_work_calls_each_index_once(void **state)
{
	static const size_t ns[] = {0, 1, 2, 63, 64, 127, 128, 1000, 4097};
	static const size_t shares[] = {0, 1, 64, 5000};
	static const size_t helpers[] = {0, 1, 3, UTIL_THREADS + 4};
	struct util_work w;
	unsigned char *seen;
	size_t a, b, h, i;

	assert_true(util_cpus() >= 1 && util_cpus() <= UTIL_THREADS);
	for (a = 0; a < sizeof(ns) / sizeof(ns[0]); a++)
		for (b = 0; b < sizeof(shares) / sizeof(shares[0]); b++)
			for (h = 0; h < sizeof(helpers) / sizeof(helpers[0]); h++) {
				seen = xcalloc(ns[a] + 1, 1);
				util_work_start(&w, ns[a], shares[b], helpers[h],
				    work_tally, seen);
				assert_true(w.nthreads < UTIL_THREADS);
				if (h == 1)
					usleep(1000);
				util_work_finish(&w);
				for (i = 0; i < ns[a]; i++)
					assert_int_equal(seen[i], 1);
				assert_int_equal(seen[ns[a]], 0);
				free(seen);
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixture_rss2_council),
		cmocka_unit_test(fixture_rss091),
		cmocka_unit_test(fixture_rdf),
		cmocka_unit_test(fixture_atom_xhtml),
		cmocka_unit_test(fixture_atom_html),
		cmocka_unit_test(fixture_rss_latin1),
		cmocka_unit_test(fixture_rss_malformed),
		cmocka_unit_test(fixture_not_feed_json),
		cmocka_unit_test(feed_sniff_recognises_formats),
		cmocka_unit_test(feed_sniff_reads_utf16),
		cmocka_unit_test(feed_format_names_are_words),
		cmocka_unit_test(feed_sniff_json_is_not_feed),
		cmocka_unit_test(feed_plain_text_is_not_feed),
		cmocka_unit_test(feed_other_xml_is_not_feed),
		cmocka_unit_test(rss_title_markup_removed),
		cmocka_unit_test(rss_relative_link_made_absolute),
		cmocka_unit_test(rss_short_pubdate_parsed),
		cmocka_unit_test(rss_content_encoded_preferred),
		cmocka_unit_test(rss_guid_and_permalink),
		cmocka_unit_test(rss_untitled_item_named_from_text),
		cmocka_unit_test(rss_title_cut_at_character_boundary),
		cmocka_unit_test(rss_stops_at_max_items),
		cmocka_unit_test(rss091_undeclared_nbsp_kept),
		cmocka_unit_test(rdf_items_read),
		cmocka_unit_test(atom_resolves_xml_base),
		cmocka_unit_test(atom_xhtml_content_is_markup),
		cmocka_unit_test(atom_html_content_and_src),
		cmocka_unit_test(latin1_feed_becomes_utf8),
		cmocka_unit_test(malformed_feed_keeps_recovered_items),
		cmocka_unit_test(feed_deep_nesting_is_error),
		cmocka_unit_test(feed_refuses_external_entity),
		cmocka_unit_test(feed_ignores_external_dtd),
		cmocka_unit_test(feed_survives_billion_laughs),
		cmocka_unit_test(feed_does_not_expand_entity_refs),
		cmocka_unit_test(feed_strips_escape_sequences_in_titles),
		cmocka_unit_test(feed_drops_literal_esc_char_ref),
		cmocka_unit_test(feed_never_prints),
		cmocka_unit_test(feed_parse_hands_html_to_page),
		cmocka_unit_test(feed_info_has_channel_title),
		cmocka_unit_test(feed_batches_keep_each_item_its_own),
		cmocka_unit_test(feed_finish_runs_once_on_each_post),
		cmocka_unit_test(util_work_calls_each_index_once),
	};

	feed_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
