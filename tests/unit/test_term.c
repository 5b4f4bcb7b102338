/* Tests of term.c: the exact bytes of the OSC 52 and OSC 8 sequences, and
 * that text from a feed cannot end them early or inject its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "term.h"

static void
osc52_is_base64_of_the_url_ended_by_bel(void **state)
{
	char *s = term_osc52("https://example.org/a");

	/* base64("https://example.org/a") */
	assert_string_equal(s, "\033]52;c;aHR0cHM6Ly9leGFtcGxlLm9yZy9h\a");
	free(s);
}

static void
osc52_pads_base64(void **state)
{
	char *one = term_osc52("http://x.uk/ab"), *two = term_osc52("http://x.uk/a");

	assert_string_equal(one, "\033]52;c;aHR0cDovL3gudWsvYWI=\a");
	assert_string_equal(two, "\033]52;c;aHR0cDovL3gudWsvYQ==\a");
	free(one);
	free(two);
}

static void
osc52_keeps_utf8(void **state)
{
	char *s = term_osc52("https://e.org/caf\xc3\xa9");

	assert_string_equal(s, "\033]52;c;aHR0cHM6Ly9lLm9yZy9jYWbDqQ==\a");
	free(s);
}

static void
osc52_refuses_esc_and_bel(void **state)
{
	assert_null(term_osc52("https://e.org/\033]52;c;aGk=\a"));
	assert_null(term_osc52("https://e.org/\a"));
	assert_null(term_osc52("https://e.org/\x7f"));
	assert_null(term_osc52("https://e.org/\n"));
}

static void
osc52_refuses_c1_bidi_and_bad_utf8(void **state)
{
	assert_null(term_osc52("https://e.org/\xc2\x9b" "31m"));
	assert_null(term_osc52("https://e.org/\x9b"));
	assert_null(term_osc52("https://e.org/\xe2\x80\xae"));
	assert_null(term_osc52("https://e.org/\xff"));
}

static void
osc52_refuses_empty_spaced_and_huge(void **state)
{
	char *big = malloc(TERM_MAX_URL + 2);

	memset(big, 'a', TERM_MAX_URL + 1);
	big[TERM_MAX_URL + 1] = '\0';
	assert_null(term_osc52(""));
	assert_null(term_osc52(NULL));
	assert_null(term_osc52("https://e.org/a b"));
	assert_null(term_osc52(big));
	free(big);
}

static void
osc8_wraps_text_in_a_hyperlink(void **state)
{
	char *s = term_osc8("https://e.org/news", "SEND news");

	assert_string_equal(s, "\033]8;;https://e.org/news\033\\SEND news\033]8;;\033\\");
	free(s);
}

static void
osc8_percent_encodes_non_ascii(void **state)
{
	char *s = term_osc8("https://e.org/caf\xc3\xa9", "caf\xc3\xa9");

	assert_string_equal(s, "\033]8;;https://e.org/caf%C3%A9\033\\caf\xc3\xa9\033]8;;\033\\");
	free(s);
}

static void
osc8_refuses_injection_in_url_or_text(void **state)
{
	assert_null(term_osc8("https://e.org/\033\\", "x"));
	assert_null(term_osc8("https://e.org/\a", "x"));
	assert_null(term_osc8("https://e.org/", "x\033]8;;http://evil/\033\\y"));
	assert_null(term_osc8("https://e.org/", "bell\a"));
	assert_null(term_osc8("https://e.org/", NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(osc52_is_base64_of_the_url_ended_by_bel),
		cmocka_unit_test(osc52_pads_base64),
		cmocka_unit_test(osc52_keeps_utf8),
		cmocka_unit_test(osc52_refuses_esc_and_bel),
		cmocka_unit_test(osc52_refuses_c1_bidi_and_bad_utf8),
		cmocka_unit_test(osc52_refuses_empty_spaced_and_huge),
		cmocka_unit_test(osc8_wraps_text_in_a_hyperlink),
		cmocka_unit_test(osc8_percent_encodes_non_ascii),
		cmocka_unit_test(osc8_refuses_injection_in_url_or_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
