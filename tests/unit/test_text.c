#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "post.h"
#include "layout.h"
#include "text.h"
#include "util.h"

#define BASE "https://www.worcestershire.gov.uk/news/latest/"

/* Sanitises a copy of s; the caller frees the result. */
static char *
san(const char *s)
{
	return text_sanitize(xstrdup(s));
}

static char *
san_line(const char *s)
{
	return text_sanitize_line(xstrdup(s));
}

/* text_from_html of a string, links dropped. */
static char *
html(const char *s)
{
	return text_from_html(s, strlen(s), NULL, NULL);
}

#define assert_san(in, want) do { \
	char *got_ = san(in); \
	assert_string_equal(got_, want); \
	free(got_); \
} while (0)

#define assert_html(in, want) do { \
	char *got_ = html(in); \
	assert_string_equal(got_, want); \
	free(got_); \
} while (0)

static void
sanitize_strips_esc_sequences(void **state)
{
	assert_san("a\x1b[31mred\x1b[0m", "a[31mred[0m");
}

static void
sanitize_strips_osc52_clipboard_write(void **state)
{
	assert_san("x\x1b]52;c;cm0gLXJmIH4=\x07y", "x]52;c;cm0gLXJmIH4=y");
}

static void
sanitize_strips_c1_csi(void **state)
{
	assert_san("a\xc2\x9b" "2Jb", "a2Jb");
	assert_san("\xc2\x80\xc2\x9f\xc2\x85ok", "ok");
}

static void
sanitize_strips_bidi_override(void **state)
{
	assert_san("abc\xe2\x80\xae" "fdp.exe", "abcfdp.exe");
	assert_san("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad" "x", "x");
	assert_san("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9" "y", "y");
	assert_san("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c" "z", "z");
}

static void
sanitize_strips_zero_width(void **state)
{
	assert_san("a\xe2\x80\x8b" "b\xe2\x80\x8c" "c\xe2\x80\x8d" "d"
	    "\xe2\x81\xa0" "e\xef\xbb\xbf" "f", "abcdef");
}

static void
sanitize_keeps_tab_newline_drops_cr_del(void **state)
{
	assert_san("a\tb\r\nc\x7f" "d\x01\x08", "a\tb\ncd");
}

static void
sanitize_keeps_valid_utf8(void **state)
{
	assert_san("caf\xc3\xa9 \xc2\xa3" "5 \xe2\x80\x94 \xf0\x9f\x98\x80",
	    "caf\xc3\xa9 \xc2\xa3" "5 \xe2\x80\x94 \xf0\x9f\x98\x80");
}

static void
sanitize_lone_bad_byte_becomes_question_mark(void **state)
{
	/* Latin-1 pound sign: one bad byte, and U+FFFD would grow it. */
	assert_san("\xa3" "5", "?5");
	assert_san("\x9b" "2J", "?2J");
}

static void
sanitize_rejects_overlong_utf8(void **state)
{
	/* C0 AF is an overlong '/', E0 80 AF another: never a slash. */
	assert_san("a\xc0\xaf" "b", "a??b");
	assert_san("a\xe0\x80\xaf" "b", "a???b");
	/* An overlong ESC must not decode to ESC. */
	assert_san("\xc0\x9b[2J", "??[2J");
}

static void
sanitize_rejects_surrogates_and_above_10ffff(void **state)
{
	assert_san("\xed\xa0\x80", "???");
	assert_san("\xf4\x90\x80\x80", "????");
}

static void
sanitize_truncated_sequence_of_three_is_replacement_char(void **state)
{
	assert_san("x\xf0\x9f\x98", "x\xef\xbf\xbd");
	assert_san("x\xe2\x82", "x?");
}

static void
sanitize_never_grows(void **state)
{
	char in[] = "\xff\xfe\xc2\xf0\x9f\x98\xe2\x82\x80\x80";
	size_t n = strlen(in);

	text_sanitize(in);
	assert_true(strlen(in) <= n);
	/* FF, FE, a lone C2, a cut-off 4-byte sequence, a valid U+2080, a
	 * stray continuation byte. */
	assert_string_equal(in, "???\xef\xbf\xbd\xe2\x82\x80?");
}

static void
sanitize_line_folds_white_space(void **state)
{
	char *s = san_line("  <h4>Title\n\t  of\r\n post \x1b[1m </h4>  ");

	assert_string_equal(s, "<h4>Title of post [1m </h4>");
	free(s);
}

static void
sanitize_line_empty_stays_empty(void **state)
{
	char *s = san_line(" \n\t ");

	assert_string_equal(s, "");
	free(s);
}

static void
has_markup_needs_tag_like_lt(void **state)
{
	assert_true(text_has_markup("a <p>b"));
	assert_true(text_has_markup("</div>"));
	assert_true(text_has_markup("<!-- x -->"));
	assert_false(text_has_markup("a < b and 3<4"));
	assert_false(text_has_markup("plain"));
}

static void
entities_decode_named_and_numeric(void **state)
{
	const char in[] = "&amp; &lt;&gt; &quot;&apos; &rsquo;&ldquo;&rdquo; "
	    "&ndash;&mdash;&hellip; &pound;&euro;&copy; &eacute; &#65;&#x42;&#X43;";
	char *s = text_decode_entities(in, strlen(in));

	assert_string_equal(s, "& <> \"' \xe2\x80\x99\xe2\x80\x9c\xe2\x80\x9d "
	    "\xe2\x80\x93\xe2\x80\x94\xe2\x80\xa6 \xc2\xa3\xe2\x82\xac\xc2\xa9 "
	    "\xc3\xa9 ABC");
	free(s);
}

static void
entities_unknown_and_bare_amp_stay(void **state)
{
	const char in[] = "AT&T &bogus; &amp &#; &#xZZ;";
	char *s = text_decode_entities(in, strlen(in));

	assert_string_equal(s, "AT&T &bogus; &amp &#; &#xZZ;");
	free(s);
}

static void
entities_control_references_decode_to_nothing(void **state)
{
	const char in[] = "a&#x1b;[2Jb&#27;c&#x7f;d&#8238;e&#x200B;f";
	char *s = text_decode_entities(in, strlen(in));

	assert_string_equal(s, "a[2Jbcdef");
	free(s);
}

static void
entities_c1_reference_is_windows_1252_not_csi(void **state)
{
	const char in[] = "&#155;&#150;&#146;&#129;";
	char *s = text_decode_entities(in, strlen(in));

	assert_string_equal(s, "\xe2\x80\xba\xe2\x80\x93\xe2\x80\x99");
	free(s);
}

static void
entities_invalid_code_points_become_replacement(void **state)
{
	const char in[] = "&#0;&#xD800;&#x110000;&#99999999999999999999;";
	char *s = text_decode_entities(in, strlen(in));

	assert_string_equal(s, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd");
	free(s);
}

static void
entities_respect_length(void **state)
{
	char *s = text_decode_entities("ab&amp;cd", 4);

	assert_string_equal(s, "ab&a");
	free(s);
}

static void
html_paragraphs_separated_by_one_blank_line(void **state)
{
	assert_html("<p>One</p>\n\n<p>Two   <b>bold</b>\n words</p><p></p>"
	    "<p>&nbsp;</p><p>Three</p>", "One\n\nTwo bold words\n\nThree");
}

static void
html_no_leading_or_trailing_blank_lines(void **state)
{
	assert_html("\n  <div><p><br></p>\n<h2>Title</h2><p>Body</p><br><br>"
	    "</div>\n ", "Title\n\nBody");
}

static void
html_br_is_line_break_and_double_br_a_blank_line(void **state)
{
	assert_html("a<br>b<br/><br />c<br><br><br><br>d",
	    "a\nb\n\nc\n\nd");
}

static void
html_headings_are_own_paragraphs(void **state)
{
	assert_html("Intro<h3>Update - March 2023</h3>Text",
	    "Intro\n\nUpdate - March 2023\n\nText");
}

static void
html_bullets_and_nested_lists(void **state)
{
	assert_html("<p>Topics:</p><ul><li>One</li><li>Two<ul><li>Two A</li>"
	    "<li>Two B<ul><li>Deep</li></ul></li></ul></li><li>Three</li></ul>"
	    "<p>After</p>",
	    "Topics:\n\n- One\n- Two\n  - Two A\n  - Two B\n    - Deep\n"
	    "- Three\n\nAfter");
}

static void
html_ordered_list_numbers_items(void **state)
{
	assert_html("<ol><li>First</li><li><p>Second</p></li><li>Third</li>"
	    "</ol>", "1. First\n2. Second\n3. Third");
}

static void
html_list_item_continuation_is_indented(void **state)
{
	assert_html("<ul><li>Line one<br>line two</li></ul>",
	    "- Line one\n  line two");
}

static void
html_table_reads_row_by_row(void **state)
{
	assert_html("<table><tr><th>Venue</th><th>Date</th></tr>"
	    "<tr><td>Worcester</td><td>5 November</td></tr>"
	    "<tr><td>Redditch</td><td>12 November</td></tr></table>",
	    "Venue: Worcester; Date: 5 November\n"
	    "Venue: Redditch; Date: 12 November");
}

static void
html_table_uses_thead_first_row(void **state)
{
	assert_html("<p>Schedule</p><table><thead><tr><td>Term</td>"
	    "<td>Payment</td></tr></thead><tbody><tr><td>Autumn</td>"
	    "<td>&pound;100</td></tr></tbody></table><p>End</p>",
	    "Schedule\n\nTerm: Autumn; Payment: \xc2\xa3" "100\n\nEnd");
}

static void
html_table_without_header_joins_cells(void **state)
{
	assert_html("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td>"
	    "<td><p>d</p><p>e</p></td></tr></table>", "a; b\nc; d e");
}

static void
html_table_skips_empty_cells(void **state)
{
	assert_html("<table><tr><th>Name</th><th>Note</th><th>Date</th></tr>"
	    "<tr><td>X</td><td> </td><td>May</td></tr></table>",
	    "Name: X; Date: May");
}

static void
html_table_row_header_cell_has_no_label(void **state)
{
	assert_html("<table><tr><th></th><th>Time</th></tr><tr><th>Monday</th>"
	    "<td>9am</td></tr></table>", "Monday; Time: 9am");
}

static void
html_table_header_only_is_kept(void **state)
{
	assert_html("<table><tr><th>Only</th><th>Header</th></tr></table>",
	    "Only; Header");
}

static void
html_image_alt_in_brackets(void **state)
{
	assert_html("<p>See <img src=\"a.png\" alt=\"Roadshow  &amp; poster\">"
	    " and <img src=b.png alt=\"\"><img src=c.png></p>",
	    "See [Image: Roadshow & poster] and");
}

static void
html_links_numbered_and_made_absolute(void **state)
{
	struct post p = {0};
	const char in[] = "<p>Read <a href=\"/news/roadshow\">the news</a>, "
	    "<a href='../archive?x=1&amp;y=2'>the archive</a> and "
	    "<a href=\"https://example.org/a\">elsewhere</a>.</p>";
	char *s = text_from_html(in, strlen(in), BASE, &p);

	assert_string_equal(s, "Read the news [1], the archive [2] and "
	    "elsewhere [3].");
	assert_int_equal(p.nlinks, 3);
	assert_string_equal(p.links[0],
	    "https://www.worcestershire.gov.uk/news/roadshow");
	assert_string_equal(p.links[1],
	    "https://www.worcestershire.gov.uk/news/archive?x=1&y=2");
	assert_string_equal(p.links[2], "https://example.org/a");
	free(s);
	post_free(&p);
}

static void
html_same_link_twice_keeps_one_number(void **state)
{
	struct post p = {0};
	const char in[] = "<a href=\"/a\">one</a> <a href=\"/b\">two</a> "
	    "<a href=\"https://www.worcestershire.gov.uk/a\">again</a>";
	char *s = text_from_html(in, strlen(in), BASE, &p);

	assert_string_equal(s, "one [1] two [2] again [1]");
	assert_int_equal(p.nlinks, 2);
	free(s);
	post_free(&p);
}

static void
html_skips_javascript_data_and_fragment_links(void **state)
{
	struct post p = {0};
	const char in[] = "<a href=\"javascript:alert(1)\">js</a> "
	    "<a href=\" JaVaScRiPt:x\">js2</a> <a href=\"data:text/html,x\">d</a> "
	    "<a href=\"#top\">top</a> <a href=\"ftp://x/y\">ftp</a> "
	    "<a href=\"mailto:earlyhelp@worcestershire.gov.uk\">mail</a>";
	char *s = text_from_html(in, strlen(in), BASE, &p);

	assert_string_equal(s, "js js2 d top ftp mail [1]");
	assert_int_equal(p.nlinks, 1);
	assert_string_equal(p.links[0],
	    "mailto:earlyhelp@worcestershire.gov.uk");
	free(s);
	post_free(&p);
}

static void
html_links_dropped_without_post(void **state)
{
	assert_html("<a href=\"https://x.org/\">text</a>", "text");
}

static void
html_link_url_loses_controls(void **state)
{
	struct post p = {0};
	const char in[] = "<a href=\"https://x.org/a&#x1b;b\n c\xe2\x80\xae\">t</a>";
	char *s = text_from_html(in, strlen(in), BASE, &p);

	assert_string_equal(s, "t [1]");
	assert_int_equal(p.nlinks, 1);
	assert_string_equal(p.links[0], "https://x.org/ab c");
	free(s);
	post_free(&p);
}

static void
html_drops_script_style_and_friends(void **state)
{
	assert_html("<head><title>T</title><style>p{}</style></head>"
	    "<script>document.write('<p>x</p>')</script>A"
	    "<noscript>enable js</noscript><template><p>t</p></template>"
	    "<iframe src=x>frame</iframe><svg><text>s</text></svg>B"
	    "<SCRIPT type=x>y</SCRIPT >C", "ABC");
}

static void
html_unterminated_script_drops_rest(void **state)
{
	assert_html("<p>shown</p><script>var a = '</scrip';", "shown");
}

static void
html_comments_and_doctype_are_not_text(void **state)
{
	assert_html("<!DOCTYPE html><!-- hidden <p>x</p> -->shown<?xml x?>"
	    "<!-- never closed", "shown");
}

static void
html_preformatted_keeps_spaces(void **state)
{
	assert_html("<p>Code:</p><pre>  a  b\n    c\n\n\n\nd</pre><p>x  y</p>",
	    "Code:\n\n  a  b\n    c\n\nd\n\nx y");
}

static void
html_plain_text_keeps_line_breaks(void **state)
{
	assert_html("  First line\nsecond line\n\n\n\nNew para &amp; more  \n",
	    "First line\nsecond line\n\nNew para & more");
}

static void
html_lt_in_text_is_literal(void **state)
{
	assert_html("<p>3 < 4 and a<b, x <= y, <3</p>",
	    "3 < 4 and a<b, x <= y, <3");
}

static void
html_unterminated_tag_ends_text(void **state)
{
	assert_html("<p>before <a href=\"x", "before");
	assert_html("text <b", "text");
}

static void
html_attribute_with_gt_in_quotes(void **state)
{
	assert_html("<img alt=\"a > b\" src=x>ok", "[Image: a > b]ok");
}

static void
html_entities_decoded_in_text(void **state)
{
	assert_html("<p>Tom&rsquo;s &ldquo;SEND&rdquo; &ndash; &pound;5&nbsp;"
	    "off &amp;c &#8230; &unknown;</p>",
	    "Tom\xe2\x80\x99s \xe2\x80\x9cSEND\xe2\x80\x9d \xe2\x80\x93 "
	    "\xc2\xa3" "5 off &c \xe2\x80\xa6 &unknown;");
}

static void
html_hostile_escapes_never_reach_output(void **state)
{
	const char in[] = "<p>a\x1b[2Jb&#x1b;]52;c;x&#7;c\xc2\x9b" "1;31m"
	    "d&#155;e&#x9b;f&#x202e;g\xe2\x80\xae" "h\x07</p>";
	char *s = html(in);

	assert_string_equal(s, "a[2Jb]52;c;xc1;31md\xe2\x80\xba" "e"
	    "\xe2\x80\xba" "fgh");
	assert_null(strchr(s, 0x1b));
	free(s);
}

static void
html_invisible_chars_do_not_double_spaces(void **state)
{
	assert_html("a \xe2\x80\x8b b \xef\xbb\xbf c\xc2\xa0\xc2\xa0" "d",
	    "a b c d");
}

static void
html_invalid_utf8_is_replaced(void **state)
{
	assert_html("<p>\xa3" "5 and \xc0\xaf</p>", "?5 and ??");
}

static void
html_split_c1_across_tag_cannot_join(void **state)
{
	/* A lone C2 and a 9B on either side of a tag must not become CSI. */
	assert_html("<p>\xc2</a>\x9b" "2J</p><p>x</p>", "??2J\n\nx");
}

static void
html_pre_of_spaces_leaves_no_blank_edges(void **state)
{
	assert_html("<pre> \n\n </pre><p>x</p><pre>  </pre>", "x");
}

static void
html_deeply_nested_tags_are_linear_and_safe(void **state)
{
	struct buf b = {0};
	size_t i;
	char *s;

	/* About 1 MB of nesting: lists, divs and tables, never closed. */
	for (i = 0; i < 60000; i++)
		buf_puts(&b, "<ul><li><div>");
	buf_puts(&b, "deep");
	for (i = 0; i < 20000; i++)
		buf_puts(&b, "<table><tr><td>");
	buf_puts(&b, "cell");
	assert_true(b.len > 1000000);
	s = text_from_html(b.data, b.len, NULL, NULL);
	/* Indent stops growing at eight levels (two spaces each); the table
	 * starts a line of its own and nested tables flatten into its cell. */
	assert_string_equal(s, "              - deep\n                cell");
	free(s);
	buf_free(&b);
}

static void
html_many_unclosed_links(void **state)
{
	struct post p = {0};
	struct buf b = {0};
	size_t i;
	char *s;

	for (i = 0; i < 1000; i++)
		buf_puts(&b, "<a href=\"/same\">x");
	s = text_from_html(b.data, b.len, BASE, &p);
	assert_int_equal(p.nlinks, 1);
	assert_int_equal(strlen(s), 1000 * strlen("x [1]"));
	assert_memory_equal(s, "x [1]x [1]", 10);
	free(s);
	post_free(&p);
	buf_free(&b);
}

static void
html_empty_input_is_empty_string(void **state)
{
	char *s = text_from_html("", 0, NULL, NULL);

	assert_string_equal(s, "");
	free(s);
	assert_html("<p></p><div> </div>", "");
}

static void
html_respects_length_not_nul(void **state)
{
	char *s = text_from_html("<p>abc</p>tail", 10, NULL, NULL);

	assert_string_equal(s, "abc");
	free(s);
}

static void
resolve_absolute_path(void **state)
{
	char *s = text_resolve_url(BASE, "/news/x");

	assert_string_equal(s, "https://www.worcestershire.gov.uk/news/x");
	free(s);
}

static void
resolve_relative_path_with_dot_segments(void **state)
{
	char *s = text_resolve_url("http://a/b/c/d;p?q", "../../g/./h/../i");

	assert_string_equal(s, "http://a/g/i");
	free(s);
	s = text_resolve_url("http://a/b/c/d;p?q", "g");
	assert_string_equal(s, "http://a/b/c/g");
	free(s);
	s = text_resolve_url("http://a/b/c/d;p?q", "../../../../g");
	assert_string_equal(s, "http://a/g");
	free(s);
	s = text_resolve_url("http://a/b/c/d;p?q", "./");
	assert_string_equal(s, "http://a/b/c/");
	free(s);
	s = text_resolve_url("http://a/b/c/d;p?q", "..");
	assert_string_equal(s, "http://a/b/");
	free(s);
}

static void
resolve_scheme_relative(void **state)
{
	char *s = text_resolve_url(BASE, "//cdn.example.org/a.png");

	assert_string_equal(s, "https://cdn.example.org/a.png");
	free(s);
}

static void
resolve_query_and_fragment(void **state)
{
	char *s = text_resolve_url("http://a/b/c/d;p?q#f", "?y");

	assert_string_equal(s, "http://a/b/c/d;p?y");
	free(s);
	s = text_resolve_url("http://a/b/c/d;p?q#f", "#s");
	assert_string_equal(s, "http://a/b/c/d;p?q#s");
	free(s);
	s = text_resolve_url("http://a/b/c/d;p?q", "g?y/../x#s/../t");
	assert_string_equal(s, "http://a/b/c/g?y/../x#s/../t");
	free(s);
	s = text_resolve_url("http://a/b/c/d;p?q#f", "");
	assert_string_equal(s, "http://a/b/c/d;p?q");
	free(s);
}

static void
resolve_absolute_ref_and_missing_base(void **state)
{
	char *s = text_resolve_url(BASE, "HTTPS://Other.org/X");

	assert_string_equal(s, "HTTPS://Other.org/X");
	free(s);
	s = text_resolve_url(NULL, "/news/x");
	assert_string_equal(s, "/news/x");
	free(s);
}

static void
resolve_trims_white_space(void **state)
{
	char *s = text_resolve_url("http://a/b/", " \n\tc/d \r\n");

	assert_string_equal(s, "http://a/b/c/d");
	free(s);
}

static void
resolve_against_host_without_path(void **state)
{
	char *s = text_resolve_url("https://www.example.org", "news");

	assert_string_equal(s, "https://www.example.org/news");
	free(s);
}

static void
ascii_folds_typography(void **state)
{
	char *s = text_to_ascii("\xe2\x80\x9cTom\xe2\x80\x99s\xe2\x80\x9d "
	    "\xe2\x80\x93 a\xc2\xa0" "b \xe2\x80\x94 wait\xe2\x80\xa6 "
	    "\xc2\xa3" "5 caf\xc3\xa9 \xe4\xb8\xad");

	assert_string_equal(s, "\"Tom's\" - a b - wait... GBP5 cafe ?");
	free(s);
}

static void
ascii_drops_controls_and_marks_bad_bytes(void **state)
{
	char *s = text_to_ascii("a\x1b" "b\xff" "c\xc2\x9b" "d");

	assert_string_equal(s, "ab?cd");
	free(s);
}

static void
width_counts_columns(void **state)
{
	assert_int_equal(layout_width("hello"), 5);
	assert_int_equal(layout_width("caf\xc3\xa9"), 4);
	assert_int_equal(layout_width("\xe4\xb8\xad\xe6\x96\x87"), 4);
	assert_int_equal(layout_width("e\xcc\x81"), 1);
	assert_int_equal(layout_width(""), 0);
}

static void
width_counts_code_points_in_c_locale(void **state)
{
	setlocale(LC_ALL, "C");
	assert_int_equal(layout_width("\xe4\xb8\xad\xe6\x96\x87 caf\xc3\xa9"), 7);
	setlocale(LC_ALL, "C.UTF-8");
}

static void
fit_cuts_with_ellipsis(void **state)
{
	struct buf b = {0};

	assert_int_equal(layout_fit(&b, "Roadshows November", 10, false), 10);
	assert_string_equal(b.data, "Roadshows\xe2\x80\xa6");
	buf_free(&b);
	assert_int_equal(layout_fit(&b, "Roadshows November", 10, true), 10);
	assert_string_equal(b.data, "Roadshows.");
	buf_free(&b);
}

static void
fit_keeps_short_text_whole(void **state)
{
	struct buf b = {0};

	assert_int_equal(layout_fit(&b, "short", 10, false), 5);
	assert_string_equal(b.data, "short");
	buf_free(&b);
}

static void
fit_never_splits_wide_character(void **state)
{
	struct buf b = {0};

	/* Four 2-column characters in 6 columns: two fit, then the dots. */
	assert_int_equal(layout_fit(&b, "\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad"
	    "\xe6\x96\x87", 6, false), 5);
	assert_string_equal(b.data, "\xe4\xb8\xad\xe6\x96\x87\xe2\x80\xa6");
	buf_free(&b);
}

static void
wrap_breaks_at_words(void **state)
{
	struct buf b = {0};

	layout_wrap(&b, "The review was both internal and external", 16);
	assert_string_equal(b.data, "The review was\nboth internal\n"
	    "and external\n");
	buf_free(&b);
}

static void
wrap_hanging_indent_for_bullets_and_numbers(void **state)
{
	struct buf b = {0};

	layout_wrap(&b, "- one two three four\n  - five six seven\n"
	    "12. eight nine ten", 12);
	assert_string_equal(b.data, "- one two\n  three four\n"
	    "  - five six\n    seven\n12. eight\n    nine ten\n");
	buf_free(&b);
}

static void
wrap_breaks_long_words(void **state)
{
	struct buf b = {0};

	layout_wrap(&b, "see https://www.example.org/long", 10);
	assert_string_equal(b.data, "see\nhttps://ww\nw.example.\norg/long\n");
	buf_free(&b);
}

static void
wrap_keeps_blank_lines(void **state)
{
	struct buf b = {0};

	layout_wrap(&b, "a b\n\nc", 40);
	assert_string_equal(b.data, "a b\n\nc\n");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sanitize_strips_esc_sequences),
		cmocka_unit_test(sanitize_strips_osc52_clipboard_write),
		cmocka_unit_test(sanitize_strips_c1_csi),
		cmocka_unit_test(sanitize_strips_bidi_override),
		cmocka_unit_test(sanitize_strips_zero_width),
		cmocka_unit_test(sanitize_keeps_tab_newline_drops_cr_del),
		cmocka_unit_test(sanitize_keeps_valid_utf8),
		cmocka_unit_test(sanitize_lone_bad_byte_becomes_question_mark),
		cmocka_unit_test(sanitize_rejects_overlong_utf8),
		cmocka_unit_test(sanitize_rejects_surrogates_and_above_10ffff),
		cmocka_unit_test(sanitize_truncated_sequence_of_three_is_replacement_char),
		cmocka_unit_test(sanitize_never_grows),
		cmocka_unit_test(sanitize_line_folds_white_space),
		cmocka_unit_test(sanitize_line_empty_stays_empty),
		cmocka_unit_test(has_markup_needs_tag_like_lt),
		cmocka_unit_test(entities_decode_named_and_numeric),
		cmocka_unit_test(entities_unknown_and_bare_amp_stay),
		cmocka_unit_test(entities_control_references_decode_to_nothing),
		cmocka_unit_test(entities_c1_reference_is_windows_1252_not_csi),
		cmocka_unit_test(entities_invalid_code_points_become_replacement),
		cmocka_unit_test(entities_respect_length),
		cmocka_unit_test(html_paragraphs_separated_by_one_blank_line),
		cmocka_unit_test(html_no_leading_or_trailing_blank_lines),
		cmocka_unit_test(html_br_is_line_break_and_double_br_a_blank_line),
		cmocka_unit_test(html_headings_are_own_paragraphs),
		cmocka_unit_test(html_bullets_and_nested_lists),
		cmocka_unit_test(html_ordered_list_numbers_items),
		cmocka_unit_test(html_list_item_continuation_is_indented),
		cmocka_unit_test(html_table_reads_row_by_row),
		cmocka_unit_test(html_table_uses_thead_first_row),
		cmocka_unit_test(html_table_without_header_joins_cells),
		cmocka_unit_test(html_table_skips_empty_cells),
		cmocka_unit_test(html_table_row_header_cell_has_no_label),
		cmocka_unit_test(html_table_header_only_is_kept),
		cmocka_unit_test(html_image_alt_in_brackets),
		cmocka_unit_test(html_links_numbered_and_made_absolute),
		cmocka_unit_test(html_same_link_twice_keeps_one_number),
		cmocka_unit_test(html_skips_javascript_data_and_fragment_links),
		cmocka_unit_test(html_links_dropped_without_post),
		cmocka_unit_test(html_link_url_loses_controls),
		cmocka_unit_test(html_drops_script_style_and_friends),
		cmocka_unit_test(html_unterminated_script_drops_rest),
		cmocka_unit_test(html_comments_and_doctype_are_not_text),
		cmocka_unit_test(html_preformatted_keeps_spaces),
		cmocka_unit_test(html_plain_text_keeps_line_breaks),
		cmocka_unit_test(html_lt_in_text_is_literal),
		cmocka_unit_test(html_unterminated_tag_ends_text),
		cmocka_unit_test(html_attribute_with_gt_in_quotes),
		cmocka_unit_test(html_entities_decoded_in_text),
		cmocka_unit_test(html_hostile_escapes_never_reach_output),
		cmocka_unit_test(html_invisible_chars_do_not_double_spaces),
		cmocka_unit_test(html_invalid_utf8_is_replaced),
		cmocka_unit_test(html_split_c1_across_tag_cannot_join),
		cmocka_unit_test(html_pre_of_spaces_leaves_no_blank_edges),
		cmocka_unit_test(html_deeply_nested_tags_are_linear_and_safe),
		cmocka_unit_test(html_many_unclosed_links),
		cmocka_unit_test(html_empty_input_is_empty_string),
		cmocka_unit_test(html_respects_length_not_nul),
		cmocka_unit_test(resolve_absolute_path),
		cmocka_unit_test(resolve_relative_path_with_dot_segments),
		cmocka_unit_test(resolve_scheme_relative),
		cmocka_unit_test(resolve_query_and_fragment),
		cmocka_unit_test(resolve_absolute_ref_and_missing_base),
		cmocka_unit_test(resolve_trims_white_space),
		cmocka_unit_test(resolve_against_host_without_path),
		cmocka_unit_test(ascii_folds_typography),
		cmocka_unit_test(ascii_drops_controls_and_marks_bad_bytes),
		cmocka_unit_test(width_counts_columns),
		cmocka_unit_test(width_counts_code_points_in_c_locale),
		cmocka_unit_test(fit_cuts_with_ellipsis),
		cmocka_unit_test(fit_keeps_short_text_whole),
		cmocka_unit_test(fit_never_splits_wide_character),
		cmocka_unit_test(wrap_breaks_at_words),
		cmocka_unit_test(wrap_hanging_indent_for_bullets_and_numbers),
		cmocka_unit_test(wrap_breaks_long_words),
		cmocka_unit_test(wrap_keeps_blank_lines),
	};

	/* Widths need a UTF-8 locale, as the program's setlocale gives. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_GB.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
