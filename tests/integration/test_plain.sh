#!/bin/sh
# The line-mode reader (--plain), driven by scripted input as a user or a
# screen reader would: menus, commands, locale handling and hostile feeds.
# Usage: tests/integration/test_plain.sh path/to/sendnews   (from the repo root)
# Needs no network: the demo feeds are files.

BIN=${1:?usage: test_plain.sh path/to/sendnews}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
# make check-valgrind runs each sendnews under valgrind.
WRAP=${SENDNEWS_WRAP:-}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sn-plain.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT HUP INT TERM
PASS=0
FAIL=0
UTF8=C.UTF-8
unset NO_COLOR COLUMNS

ok() {
	PASS=$((PASS + 1))
	echo "ok - $1"
}

not_ok() {
	FAIL=$((FAIL + 1))
	echo "not ok - $1"
	[ -n "$2" ] && echo "# $2"
}

# check NAME COMMAND...: passes when the command succeeds.
check() {
	name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}

# Counts the bytes of file $2 that are in the tr set $1.
count_bytes() {
	LC_ALL=C tr -dc "$1" < "$2" | wc -c | tr -d ' '
}

has_line() {    # has_line FILE LINE: LINE is a whole line of FILE
	grep -qxF -- "$2" "$1"
}

has_re() {      # has_re FILE ERE: a whole line of FILE matches ERE
	grep -qxE -- "$2" "$1"
}

no_esc() {
	[ "$(count_bytes '\033' "$1")" = 0 ]
}

# No byte >= 0x80 and no control character but newline and tab.
pure_ascii() {
	[ "$(LC_ALL=C tr -d '\t\n\040-\176' < "$1" | wc -c | tr -d ' ')" = 0 ]
}

# No C0 (but newline and tab), DEL, C1 (as UTF-8) or U+202E in a UTF-8 file.
no_controls() {
	[ "$(LC_ALL=C tr -dc '\000-\010\013-\037\177' < "$1" | wc -c | tr -d ' ')" = 0 ] &&
	    ! LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1" &&
	    ! LC_ALL=C grep -qF "$(printf '\342\200\256')" "$1"
}

# No line of a post's text in file $1 is longer than $2 characters (the
# text runs from the blank line after the post's header to "Links:" or the
# next prompt).  Continuation bytes are dropped so that awk counts
# characters.
no_long_lines() {
	[ "$(LC_ALL=C tr -d '\200-\277' < "$1" | LC_ALL=C awk -v w="$2" '
	    /^Post [0-9]+ of [0-9]+:$/ { head = 1; next }
	    head && /^$/ { head = 0; body = 1; next }
	    /^Links:$/ || /^Command \(/ { body = 0 }
	    body && length > w { print }' | wc -l | tr -d ' ')" = 0 ]
}

# A fresh copy of the demo cache (fetched once from the bundled files).
fresh() {
	rm -rf "$TMP/c"
	cp -R "$TMP/base" "$TMP/c"
}

# plain INPUT OUT [ARGS...]: one scripted session on the demo cache in a
# UTF-8 locale; the exit status is left in $RC.
plain() {
	input=$1
	out=$2
	shift 2
	printf "$input" | LC_ALL=$UTF8 $WRAP "$BIN" --demo --offline --cache "$TMP/c" \
	    --plain "$@" > "$out" 2> "$out.err"
	RC=$?
}

# The number a menu in file $1 gives the line whose text after "N. "
# (and an optional "[state] ") starts with $2.
menu_number() {
	awk -v want="$2" '
	    match($0, /^[0-9]+\. /) {
		rest = substr($0, RLENGTH + 1)
		sub(/^\[[a-z]+\] /, "", rest)
		if (index(rest, want) == 1) { print substr($0, 1, RLENGTH - 2); exit }
	    }' "$1"
}

LC_ALL=$UTF8 $WRAP "$BIN" --demo --cache "$TMP/base" fetch > "$TMP/fetch.out" 2>&1 ||
	{ cat "$TMP/fetch.out"; echo "cannot fetch the demo feeds"; exit 1; }
fresh

# --- The topics menu, a topic, a post, back, quit. ---
plain 'q\n' "$TMP/menu"
check topics_menu_starts_with_all_posts has_re "$TMP/menu" '1\. All posts \([0-9]+, [0-9]+ unread\)'
check topics_menu_lists_inspections has_re "$TMP/menu" '[0-9]+\. Inspections & improvement \([0-9]+, [0-9]+ unread\)'
check topics_menu_has_other_last sh -c 'grep -E "^[0-9]+\. " "$1" | tail -n 1 | grep -qE "^[0-9]+\. Other \("' sh "$TMP/menu"
check topics_menu_has_heading has_line "$TMP/menu" 'Topics:'
check quit_exits_0 test "$RC" = 0
T=$(menu_number "$TMP/menu" 'Inspections & improvement')
ALL=$(sed -n 's/^1\. All posts (\([0-9]*\), [0-9]* unread)$/\1/p' "$TMP/menu")

plain "$T\nq\n" "$TMP/posts"
P=$(menu_number "$TMP/posts" 'Local Area SEND Inspection published')
check posts_menu_shows_known_title test -n "$P"
check posts_menu_row_has_state_title_date_feed grep -qxF \
	"$P. [new] Local Area SEND Inspection published — 2024-07-01 — SEND news: latest (demo)" "$TMP/posts"
check posts_menu_has_heading has_re "$TMP/posts" 'Inspections & improvement: [0-9]+ posts, [0-9]+ unread'

plain "$T\n$P\nb\nq\n" "$TMP/session"
check session_exits_0 test "$RC" = 0
check prompt_echoes_scripted_command has_line "$TMP/session" "Topic number, h for help, q to quit: $T"
check post_shows_title_line has_line "$TMP/session" 'Local Area SEND Inspection published'
check post_shows_date_line has_line "$TMP/session" 'Date:   2024-07-01'
check post_shows_feed_line has_line "$TMP/session" 'Feed:   SEND news: latest (demo)'
check post_shows_links_heading has_line "$TMP/session" 'Links:'
check post_text_wrapped_to_78 no_long_lines "$TMP/session" 78
check back_shows_posts_menu_again sh -c '[ "$(grep -c "^Inspections & improvement: " "$1")" = 2 ]' sh "$TMP/session"
check opened_post_no_longer_new grep -qE "^$P\. Local Area SEND Inspection published — " "$TMP/session"
check session_has_no_esc no_esc "$TMP/session"
check session_has_no_cr_or_bs sh -c '[ "$(LC_ALL=C tr -dc "\010\015" < "$1" | wc -c)" -eq 0 ]' sh "$TMP/session"
check session_writes_nothing_to_stderr test ! -s "$TMP/session.err"

COLUMNS=40; export COLUMNS
plain "$T\n$P\nq\n" "$TMP/narrow"
unset COLUMNS
check post_text_wrapped_to_columns no_long_lines "$TMP/narrow" 40
check narrow_post_still_has_text has_re "$TMP/narrow" 'The inspectors found systemic failings.*'

# Read state survives the session.
plain 'q\n' "$TMP/menu2"
U1=$(sed -n 's/^1\. All posts ([0-9]*, \([0-9]*\) unread)$/\1/p' "$TMP/menu")
U2=$(sed -n 's/^1\. All posts ([0-9]*, \([0-9]*\) unread)$/\1/p' "$TMP/menu2")
check read_state_saved_at_exit test "$U2" = "$((U1 - 1))"

# --- Links, next unread, search, help, unknown input, paging. ---
plain "$T\n$P\no 1\no\nq\n" "$TMP/link"
URL1=$(sed -n 's/^\[1\] //p' "$TMP/link" | head -n 1)
LINK=$(sed -n 's/^Link:   //p' "$TMP/link" | head -n 1)
check o_1_prints_link_1_on_its_own_line sh -c '[ -n "$2" ] && grep -A1 -xF "Command (b back, n next unread, o N link, h help): o 1" "$1" | grep -qxF "$2"' sh "$TMP/link" "$URL1"
check o_1_prints_a_url sh -c 'echo "$1" | grep -qE "^https?://"' sh "$URL1"
check o_alone_prints_the_post_link sh -c 'grep -A1 -xF "Command (b back, n next unread, o N link, h help): o" "$1" | grep -qxF "$2"' sh "$TMP/link" "$LINK"

fresh
plain '1\n1\nn\nn\nq\n' "$TMP/next"
check n_opens_next_unread has_line "$TMP/next" "Post 2 of $ALL:"
check n_skips_read_posts has_line "$TMP/next" "Post 3 of $ALL:"
check n_opens_unread_state sh -c '[ "$(grep -c "^State:  new$" "$1")" = 3 ]' sh "$TMP/next"
plain 'n\nq\n' "$TMP/next2"
check n_from_topics_menu_opens_first_unread has_line "$TMP/next2" "Post 4 of $ALL:"

plain '/autism\nq\n' "$TMP/search"
check search_reports_matches has_re "$TMP/search" 'Search for "autism": [1-9][0-9]* posts?, [0-9]+ unread'
check search_lists_autism_posts grep -qiE '^[0-9]+\. .*autism.* — ' "$TMP/search"
plain '/nosuchwordanywhere\nq\n' "$TMP/search0"
check search_without_match_says_so has_line "$TMP/search0" 'Search for "nosuchwordanywhere": 0 posts, 0 unread'

plain 'h\nxyzzy\n99\nq\n' "$TMP/help"
for c in NUMBER m b n /WORDS 'o N' u l t r h q; do
	grep -q "^$c  *[a-z]" "$TMP/help" || HELPMISS="$HELPMISS $c"
done
check help_lists_every_command test -z "$HELPMISS"
check unknown_command_says_so has_line "$TMP/help" 'Unknown command. Type h for help.'
check unknown_command_prompts_again has_line "$TMP/help" 'Topic number, h for help, q to quit: xyzzy'
check bad_topic_number_says_range has_re "$TMP/help" 'No topic 99: choose 1 to [0-9]+\.'

plain '0\nhelp\nquit\n' "$TMP/words"
check topic_zero_is_refused has_re "$TMP/words" 'No topic 0: choose 1 to [0-9]+\.'
check help_word_works has_re "$TMP/words" 'q +quit.*'
check quit_word_exits_0 test "$RC" = 0

fresh
plain "1\n1\nu\nl\nb\nq\n" "$TMP/toggle"
check u_marks_open_post_unread grep -q '^Marked unread: ' "$TMP/toggle"
check l_shows_post_again_without_marking_read sh -c '[ "$(grep -c "^State:  new$" "$1")" = 2 ]' sh "$TMP/toggle"
check u_unread_post_is_new_in_list sh -c '[ "$(grep -c "^1\. \[new\] " "$1")" = 2 ]' sh "$TMP/toggle"
plain "1\nu1\nq\n" "$TMP/toggle2"
check u_n_marks_post_n_read grep -q '^Marked read: ' "$TMP/toggle2"

plain '1\nm\nq\n' "$TMP/page"
check long_list_pages_at_20 has_line "$TMP/page" "Showing 1 to 20 of $ALL: m for more."
check m_shows_the_rest has_re "$TMP/page" "$ALL\\. .*"
check m_does_not_repeat_the_first_page sh -c '[ "$(grep -c "^1\\. " "$1")" = 2 ]' sh "$TMP/page"

# --- End of input, locales, automatic line mode. ---
plain '1\n' "$TMP/eof"
check eof_quits_with_status_0 test "$RC" = 0
check eof_after_listing has_re "$TMP/eof" "All posts: $ALL posts, [0-9]+ unread"

P2=$(menu_number "$TMP/page" 'What we')
printf "1\n$P2\nq\n" | LANG=C LC_ALL=C $WRAP "$BIN" --demo --offline --cache "$TMP/c" \
	--plain > "$TMP/ascii" 2>&1
check c_locale_output_is_pure_ascii pure_ascii "$TMP/ascii"
check c_locale_folds_apostrophe grep -qF "What we're doing" "$TMP/ascii"
check c_locale_folds_dash grep -qE '^[0-9]+\. .* - 20[0-9-]+ - ' "$TMP/ascii"

printf '1\n1\nq\n' | TERM=dumb LC_ALL=$UTF8 $WRAP "$BIN" --demo --offline --cache "$TMP/c" \
	> "$TMP/dumb" 2>&1
check pipe_with_term_dumb_is_line_mode has_line "$TMP/dumb" 'Topics:'
check pipe_with_term_dumb_opens_post has_line "$TMP/dumb" "Post 1 of $ALL:"
check pipe_with_term_dumb_has_no_esc no_esc "$TMP/dumb"
printf 'q\n' | env -u TERM LC_ALL=$UTF8 $WRAP "$BIN" --demo --offline --cache "$TMP/c" \
	> "$TMP/noterm" 2>&1
check pipe_without_term_is_line_mode has_line "$TMP/noterm" 'Topics:'
printf 'q\n' | NO_COLOR=1 TERM=xterm-256color LC_ALL=$UTF8 $WRAP "$BIN" --demo --offline \
	--cache "$TMP/c" --no-color > "$TMP/nocolor" 2>&1
check no_color_pipe_has_no_esc no_esc "$TMP/nocolor"

# On a real terminal (a pty from script(1)), a TERM with no cursor
# addressing or unknown to terminfo still gets the line mode.
if script -qec true /dev/null > /dev/null 2>&1; then
	for term in dumb sn-no-such-terminal; do
		printf 'q\n' | TERM=$term LC_ALL=$UTF8 script -qec \
			"'$BIN' --demo --offline --cache '$TMP/c'" /dev/null > "$TMP/pty" 2>&1
		check "tty_with_term_${term}_is_line_mode" sh -c \
			'grep -q "^Topics:" "$1" && [ "$(LC_ALL=C tr -dc "\033" < "$1" | wc -c)" -eq 0 ]' \
			sh "$TMP/pty"
	done
else
	echo "ok - tty_with_term_dumb_is_line_mode # SKIP no script(1)"
fi

# --- Refresh (file URLs: no network). ---
printf 'r\nq\n' | LC_ALL=$UTF8 $WRAP "$BIN" --demo --cache "$TMP/c" --plain > "$TMP/refresh" 2>&1
check refresh_announces_once_per_refresh sh -c '[ "$(grep -c "^Refreshing 5 feeds\.\.\.$" "$1")" = 2 ]' sh "$TMP/refresh"
check refresh_reports_once_per_refresh sh -c '[ "$(grep -cE "^Refreshed 5 feeds: [0-9]+ new posts?, 0 failed$" "$1")" = 2 ]' sh "$TMP/refresh"
check refresh_comes_before_the_menu sh -c 'grep -n -e "^Refreshed " -e "^Topics:" "$1" | head -n 1 | grep -q Refreshed' sh "$TMP/refresh"
plain 'r\nq\n' "$TMP/offline"
check offline_r_does_not_refresh has_line "$TMP/offline" 'Offline (--offline): not refreshing.'
check offline_does_not_refresh_at_start sh -c '! grep -q "^Refresh" "$1"' sh "$TMP/offline"

# --- A hostile feed: escapes in titles, bodies, links and the feed name. ---
printf '%s "~Hostile \033[31mname\033]52;c;eA==\007 \302\233 \342\200\256x"\n/nonexistent/sn-missing.rss "~Missing"\n' \
	"$PWD/tests/data/hostile.rss" > "$TMP/hostile.urls"
LC_ALL=$UTF8 $WRAP "$BIN" --feeds "$TMP/hostile.urls" --cache "$TMP/h" fetch > /dev/null 2>&1
printf '1\n1\nn\nn\nn\nn\nn\no 1\n/hostile\nq\n' | LC_ALL=$UTF8 $WRAP "$BIN" \
	--feeds "$TMP/hostile.urls" --cache "$TMP/h" --plain > "$TMP/hostile" 2>&1
check hostile_session_exits_0 test $? = 0
check hostile_titles_shown grep -qF 'Hostile backspace oversafe' "$TMP/hostile"
check hostile_bidi_title_shown grep -qF 'Hostile bidi desrever and override' "$TMP/hostile"
check hostile_raw_bytes_title_shown grep -qF 'Hostile raw [31mESC[0m and raw backspace' "$TMP/hostile"
check hostile_output_has_no_esc no_esc "$TMP/hostile"
check hostile_output_has_no_c0_c1_bidi no_controls "$TMP/hostile"
check hostile_refresh_lists_failure grep -qE '^Failed: Missing: ' "$TMP/hostile"
check hostile_refresh_counts_failure grep -qE '^Refreshed 2 feeds: [0-9]+ new posts?, 1 failed$' "$TMP/hostile"
printf '1\n1\nn\nn\nn\nq\n' | LC_ALL=C $WRAP "$BIN" --feeds "$TMP/hostile.urls" --cache "$TMP/h" \
	--offline --plain > "$TMP/hostile.c" 2>&1
check hostile_c_locale_is_pure_ascii pure_ascii "$TMP/hostile.c"
printf '1\n/\033[31m\033]52;c;eA==\007\n\033[2J\nq\n' | LC_ALL=$UTF8 $WRAP "$BIN" --demo --offline \
	--cache "$TMP/c" --plain > "$TMP/hostin" 2>&1
check hostile_input_is_not_echoed_raw no_controls "$TMP/hostin"

# --- Another instance holds the cache. ---
if command -v flock > /dev/null 2>&1; then
	flock "$TMP/c/lock" sh -c 'printf "q\n" | LC_ALL=$1 "$2" --demo --offline --cache "$3" --plain' \
		sh "$UTF8" "$BIN" "$TMP/c" > "$TMP/locked" 2>&1
	check readonly_says_changes_not_saved has_line "$TMP/locked" 'Another sendnews is running: nothing changed here will be saved.'
else
	echo "ok - readonly_says_changes_not_saved # SKIP no flock"
fi

# Sanitiser reports and warnings would land on standard error.
check plain_sessions_write_nothing_to_stderr sh -c 'for f in "$@"; do [ ! -s "$f" ] || exit 1; done' sh "$TMP"/*.err

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
