/* Tests of diff.c: what was added to a post's text since it was read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* Checks diff_added(before, now) against want (NULL: nothing added). */
static void
added_is(const char *before, const char *now, const char *want)
{
	char *got = diff_added(before, now);

	if (!want)
		assert_null(got);
	else
		assert_string_equal(got ? got : "(null)", want);
	free(got);
}

static void
new_update_on_top_is_added(void **state)
{
	added_is("November update\n\nWork goes on.\n\n- item one\n- item two",
	    "December update\n\nMore news.\n\nNovember update\n\nWork goes on.\n\n- item one\n- item two",
	    "December update\n\nMore news.");
}

static void
same_text_adds_nothing(void **state)
{
	added_is("One.\n\nTwo.", "One.\n\nTwo.", NULL);
}

static void
removed_text_adds_nothing(void **state)
{
	added_is("One.\n\nTwo.\n\nThree.", "One.\n\nThree.", NULL);
}

static void
changed_paragraph_is_added_in_its_new_form(void **state)
{
	added_is("One.\n\nThe event is on Monday.\n\nThree.",
	    "One.\n\nThe event is on Tuesday.\n\nThree.", "The event is on Tuesday.");
}

static void
new_list_item_alone_is_added(void **state)
{
	added_is("Progress:\n\n- first\n- second", "Progress:\n\n- first\n- second\n- third",
	    "- third");
}

static void
consecutive_added_lines_stay_together(void **state)
{
	added_is("Intro.", "Intro.\n\nNew heading\n\n- a\n- b", "New heading\n\n- a\n- b");
}

static void
repeated_heading_under_new_section_counts_as_added(void **state)
{
	added_is("November update\n\nMental health\n\n- old point",
	    "December update\n\nMental health\n\n- new point\n\nNovember update\n\nMental health\n\n- old point",
	    "December update\n\nMental health\n\n- new point");
}

static void
empty_or_null_before_means_everything_added(void **state)
{
	added_is(NULL, "All of it.", "All of it.");
	added_is("", "A\n\nB", "A\n\nB");
	added_is("Something", "", NULL);
}

static void
spaces_around_lines_do_not_count(void **state)
{
	added_is("One.\n\nTwo.", "  One.  \n\n\n\nTwo. ", NULL);
}

static void
long_texts_fall_back_without_losing_additions(void **state)
{
	/* 1,500 lines each side: past the table's limit. */
	size_t n = 1500, i;
	char *a = calloc(n, 16), *b = calloc(n + 1, 16), *pa = a, *pb = b;

	for (i = 0; i < n; i++) {
		pa += sprintf(pa, "line %zu\n", i);
		pb += sprintf(pb, "line %zu\n", i);
	}
	strcpy(pb, "brand new\n");
	added_is(a, b, "brand new");
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_update_on_top_is_added),
		cmocka_unit_test(same_text_adds_nothing),
		cmocka_unit_test(removed_text_adds_nothing),
		cmocka_unit_test(changed_paragraph_is_added_in_its_new_form),
		cmocka_unit_test(new_list_item_alone_is_added),
		cmocka_unit_test(consecutive_added_lines_stay_together),
		cmocka_unit_test(repeated_heading_under_new_section_counts_as_added),
		cmocka_unit_test(empty_or_null_before_means_everything_added),
		cmocka_unit_test(spaces_around_lines_do_not_count),
		cmocka_unit_test(long_texts_fall_back_without_losing_additions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
