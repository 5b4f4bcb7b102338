/* Tests of page.c: splitting HTML news pages into posts, against the
 * fixtures in tests/data (each NAME has a NAME.expected dump) and small
 * inline pages.  Fixtures are read from $SENDNEWS_TEST_DATA, else
 * tests/data; with SENDNEWS_UPDATE_EXPECTED=1 the .expected files are
 * rewritten instead of compared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "feed.h"
#include "page.h"
#include "post.h"
#include "util.h"

#define PAGE_URL "https://www.worcestershire.gov.uk/council-services/" \
    "schools-education-and-learning/send-local-offer/" \
    "send-news-updates-and-feedback/latest-news"

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

	if (util_read_file(path, 16u << 20, &data, len, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	free(path);
	return data;
}

/* The text form of a parse that the .expected files hold (the same as
 * test_feed.c's). */
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
check_fixture(const char *name)
{
	struct postlist l = {0};
	struct feed_info info;
	struct buf got = {0};
	char err[256], *body, *path, *want;
	size_t len, wlen;
	int n;

	body = read_fixture(name, &len);
	n = page_parse_info(body, len, PAGE_URL, 0, NULL, &l, &info, err,
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

static int
parse_opts(const char *html, const struct feed_opts *opts,
    struct postlist *l, char *err, size_t errlen)
{
	return page_parse(html, strlen(html), PAGE_URL, 1, opts, l, err,
	    errlen);
}

static int
parse_html(const char *html, struct postlist *l, char *err, size_t errlen)
{
	return parse_opts(html, NULL, l, err, errlen);
}

static int
parse_fixture(const char *name, const struct feed_opts *opts,
    struct postlist *l, char *err, size_t errlen)
{
	size_t len;
	char *body = read_fixture(name, &len);
	int n = page_parse(body, len, PAGE_URL, 1, opts, l, err, errlen);

	free(body);
	return n;
}

static void
fixture_page_updates(void **state)
{
	check_fixture("page_updates.html");
}

static void
fixture_page_archive(void **state)
{
	check_fixture("page_archive.html");
}

static void
fixture_page_noise(void **state)
{
	check_fixture("page_noise.html");
}

static void
fixture_page_noheadings(void **state)
{
	check_fixture("page_noheadings.html");
}

static void
fixture_page_article(void **state)
{
	check_fixture("page_article.html");
}

static void
page_splits_at_h2_not_h3(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_fixture("page_updates.html", NULL, &l, err,
	    sizeof(err)), 3);
	assert_string_equal(l.v[0].title, "What we\xe2\x80\x99re doing to improve "
	    "SEND services following the 2024 Ofsted and CQC inspection");
	assert_string_equal(l.v[1].title, "Local Area SEND Inspection published");
	assert_string_equal(l.v[2].title,
	    "Update: SEND provision in the Early Years");
	/* h3 sub-sections stay inside their post. */
	assert_non_null(strstr(l.v[2].text, "Provision for the North of the county"));
	assert_int_equal(l.v[0].feed, 1);
	postlist_free(&l);
}

static void
page_update_subheadings_are_not_posts(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_fixture("page_updates.html", NULL, &l, err,
	    sizeof(err)), 3);
	assert_non_null(strstr(l.v[0].text, "November update"));
	assert_non_null(strstr(l.v[0].text, "October update"));
	assert_non_null(strstr(l.v[0].text, "inspected by Ofsted and the CQC"));
	postlist_free(&l);

	/* Even at the split level itself. */
	assert_int_equal(parse_html("<main><h2>SEND improvement</h2>"
	    "<h2>November update</h2><p>new</p><h2>October 2024 update</h2>"
	    "<p>old</p><h2>Second post</h2><p>text</p></main>", &l, err,
	    sizeof(err)), 2);
	assert_string_equal(l.v[0].title, "SEND improvement");
	assert_non_null(strstr(l.v[0].text, "old"));
	postlist_free(&l);
}

static void
page_intro_and_h1_are_not_posts(void **state)
{
	struct postlist l = {0};
	char err[256];
	size_t i;

	assert_int_equal(parse_fixture("page_updates.html", NULL, &l, err,
	    sizeof(err)), 3);
	for (i = 0; i < l.len; i++) {
		assert_null(strstr(l.v[i].text, "Find the latest updates"));
		assert_string_not_equal(l.v[i].title, "Latest news");
	}
	postlist_free(&l);
}

static void
page_skips_year_headings_in_archive(void **state)
{
	struct postlist l = {0};
	char err[256];
	size_t i;

	assert_int_equal(parse_fixture("page_archive.html", NULL, &l, err,
	    sizeof(err)), 7);
	for (i = 0; i < l.len; i++) {
		assert_string_not_equal(l.v[i].title, "2019");
		assert_string_not_equal(l.v[i].title, "2018");
	}
	assert_string_equal(l.v[0].title,
	    "Improving outcomes for children with SEND");
	/* The h4 "Supporting documents" stays in the peer review post. */
	assert_non_null(strstr(l.v[1].text, "Supporting documents"));
	postlist_free(&l);
}

static void
page_date_from_published_line_or_heading(void **state)
{
	struct postlist l = {0};
	char err[256], d[16];

	assert_int_equal(parse_fixture("page_archive.html", NULL, &l, err,
	    sizeof(err)), 7);
	assert_string_equal(date_format(l.v[0].date, d), "2019-11-15");
	assert_string_equal(date_format(l.v[2].date, d), "2018-11-01");
	assert_string_equal(date_format(l.v[3].date, d), "2018-09-01");
	postlist_free(&l);
	assert_int_equal(parse_fixture("page_updates.html", NULL, &l, err,
	    sizeof(err)), 3);
	assert_string_equal(date_format(l.v[0].date, d), "2024-10-01");
	assert_string_equal(date_format(l.v[1].date, d), "2024-07-01");
	postlist_free(&l);
}

static void
page_links_use_heading_ids(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_fixture("page_archive.html", NULL, &l, err,
	    sizeof(err)), 7);
	/* The heading's own id, then the id of a section around it. */
	assert_string_equal(l.v[0].link, PAGE_URL "#improving-outcomes");
	assert_string_equal(l.v[0].guid, l.v[0].link);
	assert_string_equal(l.v[3].link, PAGE_URL "#hncr");
	/* No id: the page itself, and a guid from the title. */
	assert_string_equal(l.v[1].link, PAGE_URL);
	assert_string_equal(l.v[1].guid, PAGE_URL "#peer-review-4-to-7-december-2017");
	postlist_free(&l);
	assert_int_equal(parse_fixture("page_noise.html", NULL, &l, err,
	    sizeof(err)), 3);
	assert_string_equal(l.v[0].link, PAGE_URL "#autism-bases");
	postlist_free(&l);
}

static void
page_duplicate_titles_get_distinct_ids(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_fixture("page_archive.html", NULL, &l, err,
	    sizeof(err)), 7);
	assert_string_equal(l.v[5].guid, PAGE_URL "#update");
	assert_string_equal(l.v[6].guid, PAGE_URL "#update-2");
	assert_string_not_equal(l.v[5].id, l.v[6].id);
	postlist_free(&l);
}

static void
page_id_stable_when_text_edited(void **state)
{
	struct postlist a = {0}, b = {0};
	char err[256];

	assert_int_equal(parse_html("<main><h2>Survey</h2><p>Closes in April."
	    "</p><h2>Other</h2><p>x</p></main>", &a, err, sizeof(err)), 2);
	assert_int_equal(parse_html("<main><h2>Survey</h2><p>Closes in May, "
	    "extended.</p><h2>Other</h2><p>x</p></main>", &b, err,
	    sizeof(err)), 2);
	assert_string_equal(a.v[0].id, b.v[0].id);
	assert_true(a.v[0].hash != b.v[0].hash);
	assert_true(a.v[1].hash == b.v[1].hash);
	postlist_free(&a);
	postlist_free(&b);
}

static void
page_ignores_cookie_banner_nav_and_footer(void **state)
{
	struct postlist l = {0};
	char err[256];
	size_t i;

	assert_int_equal(parse_fixture("page_noise.html", NULL, &l, err,
	    sizeof(err)), 3);
	assert_string_equal(l.v[0].title, "Mainstream Autism Bases");
	assert_string_equal(l.v[1].title, "Neurodiversity Celebration Week");
	assert_string_equal(l.v[2].title, "We want to know what you think");
	for (i = 0; i < l.len; i++) {
		assert_null(strstr(l.v[i].text, "cookie"));
		assert_null(strstr(l.v[i].text, "Follow us"));
		assert_null(strstr(l.v[i].text, "Related pages"));
		assert_null(strstr(l.v[i].text, "Injected"));
		assert_null(strstr(l.v[i].text, "JavaScript"));
		assert_null(strstr(l.v[i].text, "Search"));
	}
	postlist_free(&l);
	assert_int_equal(parse_fixture("page_updates.html", NULL, &l, err,
	    sizeof(err)), 3);
	for (i = 0; i < l.len; i++) {
		assert_null(strstr(l.v[i].text, "Was this page helpful"));
		assert_null(strstr(l.v[i].text, "Cookies"));
		assert_null(strstr(l.v[i].text, "County Hall"));
	}
	assert_int_equal(l.v[2].date != 0, 1);
	postlist_free(&l);
}

static void
page_links_resolved_and_numbered(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_fixture("page_archive.html", NULL, &l, err,
	    sizeof(err)), 7);
	assert_int_equal(l.v[1].nlinks, 2);
	assert_string_equal(l.v[1].links[0],
	    "https://www.worcestershire.gov.uk/downloads/peer-review.pdf");
	assert_non_null(strstr(l.v[1].text, "About the Peer Review [1]"));
	assert_string_equal(l.v[2].links[0], "https://www.worcestershire.gov.uk/"
	    "council-services/schools-education-and-learning/send-local-offer/"
	    "send-news-updates-and-feedback/roadshow.pptx");
	postlist_free(&l);
}

static void
page_no_headings_is_error(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_fixture("page_noheadings.html", NULL, &l, err,
	    sizeof(err)), -1);
	assert_string_equal(err,
	    "no news posts found on the page (try @heading= or @xpath=)");
	assert_int_equal(l.len, 0);
	/* An h1 with text but no date is a page, not an article. */
	assert_int_equal(parse_html("<h1>About us</h1><p>We are a team.</p>",
	    &l, err, sizeof(err)), -1);
	assert_int_equal(l.len, 0);
	postlist_free(&l);
}

static void
page_single_article_with_published_line(void **state)
{
	struct postlist l = {0};
	char err[256], d[16];

	assert_int_equal(parse_fixture("page_article.html", NULL, &l, err,
	    sizeof(err)), 1);
	assert_string_equal(l.v[0].title,
	    "Improving outcomes for children with SEND");
	assert_string_equal(date_format(l.v[0].date, d), "2019-11-15");
	assert_null(strstr(l.v[0].text, "Try out"));
	postlist_free(&l);
}

static void
page_forced_heading_level(void **state)
{
	struct postlist l = {0};
	struct feed_opts o = { .heading = 3 };
	char err[256];

	assert_int_equal(parse_fixture("page_updates.html", &o, &l, err,
	    sizeof(err)), 2);
	assert_string_equal(l.v[0].title,
	    "Early Years Enhanced Provision for the South of the county");
	postlist_free(&l);
}

static void
page_xpath_selects_content(void **state)
{
	struct postlist l = {0};
	struct feed_opts o = { .xpath = "//div[@class='sidebar']" };
	char err[256];

	/* Forced onto the sidebar, the aside inside it is still furniture. */
	assert_int_equal(parse_fixture("page_noise.html", &o, &l, err,
	    sizeof(err)), -1);
	o.xpath = "//div[@class='region']";
	assert_int_equal(parse_fixture("page_noise.html", &o, &l, err,
	    sizeof(err)), 3);
	postlist_free(&l);
	o.xpath = "//table[@id='nothing']";
	assert_int_equal(parse_fixture("page_noise.html", &o, &l, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "the XPath //table[@id='nothing'] matches "
	    "nothing on the page");
	o.xpath = "//[";
	assert_int_equal(parse_fixture("page_noise.html", &o, &l, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "the XPath //[ is not valid");
}

static void
page_deep_nesting_is_error(void **state)
{
	struct postlist l = {0};
	struct buf b = {0};
	char err[256];
	size_t i;

	buf_puts(&b, "<html><body>");
	for (i = 0; i < 400; i++)
		buf_puts(&b, "<div>");
	buf_puts(&b, "<h2>A</h2><p>a</p><h2>B</h2><p>b</p></body></html>");
	assert_int_equal(parse_html(b.data, &l, err, sizeof(err)), -1);
	assert_string_equal(err,
	    "the page is nested too deeply (more than 256 levels) to be read");
	assert_int_equal(l.len, 0);
	buf_free(&b);
}

static void
page_strips_controls_in_titles(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_html("<main><h2>red &#x1b;[31m &#x202e;txt "
	    "\xc2\x9b" "2J</h2><p>one &#27;]8;;x</p><h2>Two</h2><p>two</p>"
	    "</main>", &l, err, sizeof(err)), 2);
	assert_null(strchr(l.v[0].title, '\x1b'));
	assert_null(strstr(l.v[0].title, "\xe2\x80\xae"));
	assert_null(strstr(l.v[0].title, "\xc2\x9b"));
	assert_null(strchr(l.v[0].text, '\x1b'));
	postlist_free(&l);
}

static void
page_without_charset_is_utf8(void **state)
{
	struct postlist l = {0};
	char err[256];

	assert_int_equal(parse_html("<main><h2>Caf\xc3\xa9 \xe2\x80\x93 news"
	    "</h2><p>a</p><h2>B</h2><p>b</p></main>", &l, err, sizeof(err)), 2);
	assert_string_equal(l.v[0].title, "Caf\xc3\xa9 \xe2\x80\x93 news");
	postlist_free(&l);
}

static void
page_info_has_title(void **state)
{
	struct postlist l = {0};
	struct feed_info info;
	char err[256];
	const char *html = "<html><head><title> SEND\nnews </title></head>"
	    "<body><h2>A</h2><p>a</p><h2>B</h2><p>b</p></body></html>";

	assert_int_equal(page_parse_info(html, strlen(html), PAGE_URL, 0, NULL,
	    &l, &info, err, sizeof(err)), 2);
	assert_string_equal(info.title, "SEND news");
	assert_string_equal(info.link, PAGE_URL);
	assert_int_equal(info.format, FEED_HTML);
	feed_info_free(&info);
	postlist_free(&l);
}

static void
page_h3_items_under_section_heading(void **state)
{
	struct postlist l = {0};
	char err[256];

	/* One h2 section with intro text over h3 items: the items win. */
	assert_int_equal(parse_html("<main><h1>News</h1><h2>Latest news</h2>"
	    "<p>Our news.</p><h3>One</h3><p>1</p><h3>Two</h3><p>2</p>"
	    "<h3>Three</h3><p>3</p></main>", &l, err, sizeof(err)), 3);
	assert_string_equal(l.v[2].title, "Three");
	postlist_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixture_page_updates),
		cmocka_unit_test(fixture_page_archive),
		cmocka_unit_test(fixture_page_noise),
		cmocka_unit_test(fixture_page_noheadings),
		cmocka_unit_test(fixture_page_article),
		cmocka_unit_test(page_splits_at_h2_not_h3),
		cmocka_unit_test(page_update_subheadings_are_not_posts),
		cmocka_unit_test(page_intro_and_h1_are_not_posts),
		cmocka_unit_test(page_skips_year_headings_in_archive),
		cmocka_unit_test(page_date_from_published_line_or_heading),
		cmocka_unit_test(page_links_use_heading_ids),
		cmocka_unit_test(page_duplicate_titles_get_distinct_ids),
		cmocka_unit_test(page_id_stable_when_text_edited),
		cmocka_unit_test(page_ignores_cookie_banner_nav_and_footer),
		cmocka_unit_test(page_links_resolved_and_numbered),
		cmocka_unit_test(page_no_headings_is_error),
		cmocka_unit_test(page_single_article_with_published_line),
		cmocka_unit_test(page_forced_heading_level),
		cmocka_unit_test(page_xpath_selects_content),
		cmocka_unit_test(page_deep_nesting_is_error),
		cmocka_unit_test(page_strips_controls_in_titles),
		cmocka_unit_test(page_without_charset_is_utf8),
		cmocka_unit_test(page_info_has_title),
		cmocka_unit_test(page_h3_items_under_section_heading),
	};

	feed_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
