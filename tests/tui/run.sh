#!/bin/sh
# Screen tests of the interactive reader: the real binary ($1, e.g.
# build/asan/sendnews) runs inside tmux on a private socket, is driven with
# send-keys and checked with capture-pane and the cursor position, as a
# person and a screen reader would see it.  One line per test, then
# "N passed, M failed".  Waits poll the screen (up to 10 s); nothing asserts
# on how long anything took.
BIN=${1:-build/asan/sendnews}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
# make check-valgrind starts each sendnews under valgrind (its reports
# go to stderr, checked at the end).
WRAP=${SENDNEWS_WRAP:-}
cd "$(dirname "$0")/../.." || exit 2
. tests/tui/lib.sh
# tmux shows wide and combining characters only in a UTF-8 locale.
LANG=C.UTF-8
LC_ALL=C.UTF-8
export LANG LC_ALL
passed=0
failed=0
SRVPID=

if ! command -v tmux >/dev/null 2>&1; then
	echo "not ok - tmux is installed"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ ! -x "$BIN" ]; then
	echo "not ok - $BIN exists"
	echo "0 passed, 1 failed"
	exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sendnews-tui.XXXXXX")
TM="tmux -L sendnews-test-$$ -f $TMP/tmux.conf"
cleanup() {
	$TM kill-server >/dev/null 2>&1
	[ -n "$SRVPID" ] && kill "$SRVPID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# No status bar (it would take a row and redraw itself), panes stay after
# their program exits so the exit status can be read, sizes are ours.
cat >"$TMP/tmux.conf" <<EOF
set -g status off
set -g remain-on-exit on
set -g default-terminal tmux-256color
EOF

mkdir -p "$TMP/home" "$TMP/config"
# The program's environment: UTF-8, no browser, no display, no user files.
RUNENV="env -u DISPLAY -u WAYLAND_DISPLAY -u BROWSER -u SSH_CONNECTION \
-u NO_COLOR LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$TMP/home \
XDG_CONFIG_HOME=$TMP/config"
ERR=$TMP/stderr
: >"$ERR"

# start SESSION WIDTH HEIGHT TERM ARGS...: the reader in a new session.
# TERM may carry environment words after it, as in
# "xterm-256color SENDNEWS_NOW=2023-04-20".
start() {
	s=$1 w=$2 h=$3 term=$4
	shift 4
	rm -f "$TMP/exit-$s"
	$TM new-session -d -s "$s" -x "$w" -y "$h" \
	    "$RUNENV TERM=$term $WRAP $BIN $* 2>>$ERR; echo \$? >$TMP/exit-$s"
}

cap() { $TM capture-pane -p -t "$1"; }

# wait_gone SESSION TEXT: until the screen no longer shows TEXT.
wait_gone() {
	i=0
	while [ $i -lt 100 ]; do
		cap "$1" | grep -qF -- "$2" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	why="screen still shows '$2'"
	return 1
}

# key_moves SESSION KEY: sends KEY, waits for the selection to change row,
# then checks the cursor followed it.
key_moves() {
	before=$(sel_row "$1")
	$TM send-keys -t "$1" "$2"
	i=0
	while [ $i -lt 100 ] && [ "$(sel_row "$1")" = "$before" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ "$(sel_row "$1")" = "$before" ]; then
		why="selection stayed on row $before after $2"
		return 1
	fi
	cursor_on_selection "$1"
}

# select_row_with SESSION TEXT: presses j until the selected row has TEXT.
select_row_with() {
	i=0
	while [ $i -lt 40 ]; do
		cap "$1" | grep -q "^> .*$2" && return 0
		key_moves "$1" j || return 1
		i=$((i + 1))
	done
	why="no row with '$2'"
	return 1
}

# A cache filled from the demo feeds, so the reader starts --offline.
CACHE=$TMP/cache
$RUNENV $WRAP "$BIN" --demo --cache "$CACHE" fetch >/dev/null 2>>"$ERR"
DEMO="--demo --offline --cache $CACHE"

# --- Topics, posts, post, back ----------------------------------------
start main 100 30 xterm-256color "$DEMO"

topics_named_with_counts() {
	wait_for main "sendnews: Topics" || return 1
	for t in "Inspections & improvement" "Autism & neurodiversity" \
	    "Early years" "Surveys & consultations"; do
		if ! cap main | grep -qE "^  $t +[0-9]+ unread / [0-9]+\$"; then
			why="no row '$t ... N unread / M'"
			return 1
		fi
	done
	cap main | grep -q '^> All posts .*[0-9]* unread / [1-9]' ||
	    { why="All posts not first and selected"; return 1; }
}
check topics_screen_shows_four_named_topics_with_counts topics_named_with_counts
check topics_cursor_starts_on_all_posts cursor_on_selection main

enter_inspections() {
	select_row_with main "Inspections & improvement" || return 1
	$TM send-keys -t main Enter
	wait_for main "posts, " || return 1
	row main 0 | grep -q "^Inspections & improvement" ||
	    { why="title bar: $(row main 0)"; return 1; }
	n=$(cap main | grep -ci "^[> ] .. .*\(inspection\|review\|improv\)")
	[ "$n" -ge 3 ] || { why="only $n inspection posts"; return 1; }
	cursor_on_selection main
}
check enter_on_inspections_lists_inspection_posts enter_inspections

enter_post() {
	key_moves main j || return 1
	# The first three words of the selected title.
	title=$(row main "$(sel_row main)" | sed -E 's/^.{5}//; s/  .*//' |
	    awk '{ print $1, $2, $3 }')
	$TM send-keys -t main Enter
	wait_for main "Source: " || return 1
	row main 1 | grep -qF -- "$title" ||
	    { why="first text row is not '$title'"; return 1; }
	cap main | grep -q "^Date: [0-9]\{4\}-" || { why="no date"; return 1; }
	[ "$(cap main | grep -c .)" -ge 9 ] || { why="no text"; return 1; }
	[ "$(cursor main)" = "0 1" ] || { why="cursor $(cursor main)"; return 1; }
}
check enter_on_post_shows_its_text enter_post

post_scroll_cursor() {
	$TM send-keys -t main j
	sleep 0.2
	[ "$(cursor main)" = "0 1" ] || { why="cursor $(cursor main)"; return 1; }
	$TM send-keys -t main k
	sleep 0.2
	[ "$(cursor main)" = "0 1" ] || { why="cursor $(cursor main)"; return 1; }
}
check post_cursor_stays_on_top_text_line post_scroll_cursor

back_same_selection() {
	$TM send-keys -t main q
	wait_for main "posts, " || return 1
	r=$(row main "$(sel_row main)")
	case $r in
	*"$title"*) ;;
	*) why="selected row is not '$title': $r"; return 1 ;;
	esac
	[ "$(printf '%s' "$r" | cut -c3)" != N ] ||
	    { why="still marked N after reading: $r"; return 1; }
	cursor_on_selection main
}
check q_returns_to_same_post_marked_read back_same_selection

back_to_topics() {
	$TM send-keys -t main q
	wait_for main "sendnews: Topics" || return 1
	cap main | grep -q "^> Inspections & improvement" ||
	    { why="selection moved: $(row main "$(sel_row main)")"; return 1; }
	cursor_on_selection main
}
check q_returns_to_topics_on_same_topic back_to_topics

# --- Cursor follows every movement key on All posts --------------------
$TM send-keys -t main Home
wait_for main "> All posts" >/dev/null
$TM send-keys -t main Enter
wait_for main "All posts" >/dev/null
for k in j k Down Up NPage End Home PPage; do
	[ $k = PPage ] && $TM send-keys -t main End && sleep 0.3
	check "cursor_on_selected_title_after_$k" key_moves main $k
done

space_pages() {
	$TM send-keys -t main Home
	sleep 0.2
	key_moves main Space
}
check space_pages_down space_pages

# --- Help, feeds, search ------------------------------------------------
help_from() {
	$TM send-keys -t main '?'
	wait_for main "sendnews: Help" || return 1
	cap main | grep -q "^  Q  *Quit" || { why="help lacks Q"; return 1; }
	[ "$(cursor main)" = "0 1" ] || { why="cursor $(cursor main)"; return 1; }
	$TM send-keys -t main q
	wait_gone main "sendnews: Help"
}
check help_from_posts help_from
$TM send-keys -t main Enter
wait_for main "Source: " >/dev/null
check help_from_post help_from

feeds_screen() {
	$TM send-keys -t main f
	wait_for main "sendnews: Feeds" || return 1
	n=$(cap main | grep -cE '^[> ] (ok |ERR|new) .* [0-9]+ posts?')
	[ "$n" -eq 5 ] || { why="$n feed rows"; return 1; }
	cursor_on_selection main || return 1
	$TM send-keys -t main q
	wait_for main "Source: "
}
check feeds_screen_lists_every_feed feeds_screen

# The first Inspections post comes from the RSS feed: an https link.
open_shows_url() {
	$TM send-keys -t main q Home
	wait_for main "posts, " || return 1
	$TM send-keys -t main Enter
	wait_for main "Source: Council news" || return 1
	$TM send-keys -t main o
	i=0
	while [ $i -lt 100 ]; do
		row main 29 | grep -q "^Link: https://" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	why="status line: $(row main 29)"
	return 1
}
check o_without_browser_shows_the_url open_shows_url

search_prompt() {
	$TM send-keys -t main q '/'
	wait_for main "Search:" || return 1
	$TM send-keys -t main -l 'autism'
	wait_for main "Search: autism" || return 1
	set -- $(cursor main)
	[ "$1" = 14 ] && [ "$2" = 29 ] ||
	    { why="cursor at $1,$2, not after the prompt text"; return 1; }
	$TM send-keys -t main Enter
	wait_for main 'Search "autism"' || return 1
	row main 0 | grep -q ' [1-9][0-9]* posts, ' ||
	    { why="nothing found: $(row main 0)"; return 1; }
	cursor_on_selection main
}
check search_prompt_keeps_cursor_and_finds_posts search_prompt

toggle_read() {
	before=$(row main "$(sel_row main)" | cut -c3)
	$TM send-keys -t main u
	wait_for main "Marked " || return 1
	after=$(row main "$(sel_row main)" | cut -c3)
	[ "$before" != "$after" ] || { why="mark stayed '$before'"; return 1; }
}
check u_toggles_the_new_mark toggle_read

# An idle reader sends nothing at all (screen readers would speak).
idle_quiet() {
	: >"$TMP/bytes"
	$TM pipe-pane -o -t main "cat >>$TMP/bytes"
	sleep 1.5
	$TM pipe-pane -t main
	[ ! -s "$TMP/bytes" ] || { why="$(wc -c <"$TMP/bytes") bytes"; return 1; }
}
check idle_reader_sends_no_bytes idle_quiet

# --- Resize down to 40x10 and back ------------------------------------
# Back from the search results to All posts, where it started, then Topics.
$TM send-keys -t main q
wait_gone main 'Search "autism"' >/dev/null
$TM send-keys -t main q
wait_for main "sendnews: Topics" >/dev/null
resize_small() {
	before=$(cap main)
	$TM resize-window -t main -x 40 -y 10
	i=0
	while [ $i -lt 100 ] && [ "$(cap main | head -n 1 | cut -c1-16)" != "sendnews: Topics" -o \
	    "$(cap main | wc -l)" -ne 10 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.3
	cap main | python3 -c '
import sys, unicodedata
rows = sys.stdin.read().split("\n")[:10]
def width(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
bad = [r for r in rows if width(r) > 40]
sys.exit(1 if bad else 0)' || { why="a row wider than 40"; return 1; }
	cap main | grep -q "unread / " || { why="no counts at 40x10"; return 1; }
	cursor_on_selection main
}
check resize_to_40x10_redraws_cleanly resize_small

resize_back() {
	$TM resize-window -t main -x 100 -y 30
	i=0
	while [ $i -lt 100 ] && [ "$(cap main)" != "$before" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(cap main)" = "$before" ] ||
	    { why="screen differs after resizing back"; return 1; }
	cursor_on_selection main
}
check resize_back_restores_the_same_screen resize_back

quit_status() {
	$TM send-keys -t main Q
	st=$(pane_exit main)
	[ "$st" = 0 ] || { why="exit status $st"; return 1; }
}
check Q_quits_with_status_0 quit_status

# --- Back from search results goes where the search started ---------
start srch 100 30 xterm-256color "$DEMO"

# The rows above the status line, which tells what a search found.
body() { cap "$1" | sed -n '1,29p'; }

# Searches session $1 for $2 in Inspections, leaves the results with key
# $3, and checks the screen is again what it was (a $4).
search_and_back() {
	before=$(body "$1")
	search_for "$1" "$2" "Search \"$2\" in Inspections" || return 1
	$TM send-keys -t "$1" "$3"
	wait_gone "$1" "Search \"$2\"" || return 1
	[ "$(body "$1")" = "$before" ] ||
	    { why="not the $4 as it was:
$(cap "$1" | sed 's/^/# /')"; return 1; }
}

search_back_to_posts() {
	wait_for srch "sendnews: Topics" || return 1
	select_row_with srch "Inspections & improvement" || return 1
	$TM send-keys -t srch Enter
	wait_for srch "posts, " || return 1
	key_moves srch j || return 1
	key_moves srch j || return 1
	search_and_back srch inspection q list || return 1
	cursor_on_selection srch
}
check q_on_search_results_returns_to_the_posts_searched search_back_to_posts

search_back_to_post() {
	$TM send-keys -t srch Enter
	wait_for srch "Source: " || return 1
	$TM send-keys -t srch j
	sleep 0.3
	search_and_back srch ofsted Left post || return 1
	[ "$(cursor srch)" = "0 1" ] || { why="cursor $(cursor srch)"; return 1; }
	# Back from the post continues as before the search.
	$TM send-keys -t srch q
	wait_for srch " posts, " || return 1
	row srch 0 | grep -q "^Inspections & improvement " ||
	    { why="title bar: $(row srch 0)"; return 1; }
	[ "$(sel_row srch)" = 3 ] || { why="selection on row $(sel_row srch)"; return 1; }
	$TM send-keys -t srch q
	wait_for srch "sendnews: Topics" || return 1
	cap srch | grep -q "^> Inspections & improvement" ||
	    { why="selection: $(row srch "$(sel_row srch)")"; return 1; }
	$TM send-keys -t srch Q
	pane_exit srch >/dev/null
}
check left_on_search_results_returns_to_the_post_searched_from search_back_to_post

# Closing soon is a Posts screen: a search there stays within it.
start cl 100 30 "xterm-256color SENDNEWS_NOW=2023-04-20" "$DEMO"
closing_search() {
	wait_for cl "sendnews: Topics" || return 1
	$TM send-keys -t cl k
	wait_for cl "> Closing soon" || return 1
	$TM send-keys -t cl Enter
	wait_for cl "5 posts, " || return 1
	search_for cl autism 'Search "autism" in Closing soon' || return 1
	row cl 0 | grep -q ' 3 posts, ' || { why="title bar: $(row cl 0)"; return 1; }
	n=$(cap cl | grep -cE '^[> ] .. .*[Aa]utism.* closes in 24 days +2023-05-14')
	[ "$n" = 3 ] || { why="$n rows of autism posts closing in 24 days"; return 1; }
	cursor_on_selection cl || return 1
	$TM send-keys -t cl q
	wait_for cl " 5 posts, " || return 1
	row cl 0 | grep -q "^Closing soon " || { why="title bar: $(row cl 0)"; return 1; }
	$TM send-keys -t cl Q
	pane_exit cl >/dev/null
}
check search_from_closing_soon_stays_within_it closing_search

# --- No colour: the selection still shows, without any colour -------
start nocolor 80 24 xterm-256color --no-color "$DEMO"
no_color() {
	wait_for nocolor "sendnews: Topics" || return 1
	e=$($TM capture-pane -e -p -t nocolor)
	if printf '%s' "$e" | grep -q "$(printf '\033')\[[0-9;]*\(3[0-7]\|4[0-7]\|38;5\)[;m]"; then
		why="colour sequences on screen"
		return 1
	fi
	printf '%s' "$e" | grep -q "$(printf '\033')\[7m> All posts" ||
	    { why="selection not in reverse video with '> '"; return 1; }
	cursor_on_selection nocolor
}
check no_color_keeps_selection_visible no_color
$TM send-keys -t nocolor Q

# --- Every TERM of the issue ------------------------------------------
for term in xterm-256color screen tmux-256color linux vt100; do
	if ! infocmp "$term" >/dev/null 2>&1; then
		echo "ok - works_with_TERM_$term # SKIP no terminfo entry"
		passed=$((passed + 1))
		continue
	fi
	s=$(echo "t-$term" | tr -c 'a-z0-9\n-' '-')
	start "$s" 80 24 "$term" "$DEMO"
	term_works() {
		wait_for "$s" "sendnews: Topics" || return 1
		cursor_on_selection "$s" || return 1
		key_moves "$s" j || return 1
		key_moves "$s" Up || return 1
		$TM send-keys -t "$s" Q
		st=$(pane_exit "$s")
		[ "$st" = 0 ] || { why="exit status $st"; return 1; }
	}
	check "works_with_TERM_$term" term_works
done

# --- The terminal is restored on every way out ------------------------
# A shell in the pane runs the reader; afterwards the shell's prompt must
# be back and stty must show a sane terminal.
restored_after() {
	how=$1
	s=sh-$how
	$TM new-session -d -s "$s" -x 80 -y 24 \
	    "$RUNENV TERM=xterm-256color PS1='PROMPT\$ ' sh"
	wait_for "$s" 'PROMPT$' || return 1
	$TM send-keys -t "$s" "sh -c 'echo \$\$ >$TMP/pid-$how; exec $WRAP $BIN $DEMO 2>>$ERR'" Enter
	wait_for "$s" "sendnews: Topics" || return 1
	case $how in
	Q) $TM send-keys -t "$s" Q ;;
	ctrl_c) $TM send-keys -t "$s" C-c ;;
	*) kill -s "$how" "$(cat "$TMP/pid-$how")" ;;
	esac
	wait_gone "$s" "sendnews: Topics" || return 1
	wait_for "$s" 'PROMPT$' || return 1
	# The echoed command line must not itself match what we wait for.
	$TM send-keys -t "$s" "stty -a >$TMP/stty-$how; printf 'fin%s\\n' ished-$how" Enter
	wait_for "$s" "finished-$how" || return 1
	for want in icanon echo isig icrnl opost; do
		grep -qE -- "(^| )$want( |\$)" "$TMP/stty-$how" ||
		    { why="stty lacks '$want'"; return 1; }
	done
	$TM kill-session -t "$s"
}
for how in Q ctrl_c TERM HUP INT; do
	check "terminal_restored_after_$how" restored_after "$how"
done

# --- Refresh in the background keeps keys working --------------------
WWW=$TMP/www
mkdir -p "$WWW"
cp feeds/demo/news.rss "$WWW/news.rss"
python3 tests/server.py --root "$WWW" --port-file "$TMP/port" \
    >"$TMP/server.log" 2>&1 &
SRVPID=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$TMP/port" 2>/dev/null)
# Titles whose characters take two columns, or none (combining accents).
cat >"$WWW/wide.rss" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wide</title><link>http://example.org/</link>
<item><title>特別支援教育の新しいお知らせ：保護者向けの説明会と相談会のご案内について詳しくはこちらをご覧ください</title>
<link>http://example.org/wide</link><description>Wide text.</description>
<pubDate>Sun, 01 Dec 2024 09:00:00 GMT</pubDate></item>
<item><title>Réunion des parents: événement spécial de l'été pour les familles, avec café et thé pour tous</title>
<link>http://example.org/combining</link><description>Combining accents.</description>
<pubDate>Mon, 02 Dec 2024 09:00:00 GMT</pubDate></item>
</channel></rss>
EOF
cat >"$TMP/feeds" <<EOF
http://127.0.0.1:$PORT/delay/2000/news.rss "~Slow feed"
http://127.0.0.1:$PORT/status/500 "~Broken feed"
http://127.0.0.1:$PORT/wide.rss "~Wide feed"
EOF
start net 100 30 xterm-256color --feeds "$TMP/feeds" --cache "$TMP/netcache"

keys_during_start_refresh() {
	wait_for net "sendnews: Topics" || return 1
	wait_for net "Refreshing 3 feeds" || return 1
	key_moves net j || return 1
	cap net | grep -q "Refreshing 3 feeds" ||
	    { why="refresh over before the key was seen"; return 1; }
	wait_for net "Refreshed 3 feeds: " || return 1
	cap net | grep -q "1 failed (Broken feed" ||
	    { why="failure not on the status line"; return 1; }
	cap net | grep -qE "^[> ] All posts +[0-9]+ unread / [1-9]" ||
	    { why="counts did not update"; return 1; }
}
check keys_work_during_refresh_at_start keys_during_start_refresh

keys_during_r() {
	$TM send-keys -t net r
	wait_for net "Refreshing 3 feeds" || return 1
	# Up, unless the selection is on the top row, where k stays.
	if [ "$(sel_row net)" -le 1 ]; then key_moves net j; else key_moves net k; fi ||
	    return 1
	$TM send-keys -t net '?'
	wait_for net "sendnews: Help" || return 1
	cap net | grep -q "Refreshing 3 feeds" ||
	    { why="refresh over before the keys were seen"; return 1; }
	$TM send-keys -t net q
	wait_for net "Refreshed 3 feeds: " || return 1
	cursor_on_selection net
}
check r_refreshes_while_keys_work keys_during_r

feeds_show_error() {
	$TM send-keys -t net f
	wait_for net "sendnews: Feeds" || return 1
	cap net | grep -q "^[> ] ERR Broken feed" ||
	    { why="broken feed not marked ERR"; return 1; }
	cap net | grep -q "^[> ] ok  Slow feed" ||
	    { why="slow feed not ok"; return 1; }
}
check feeds_screen_shows_the_broken_feed feeds_show_error

# A feed whose every try failed was never fetched: no time of a try that
# would read as a fetch.  The slow feed shows when it was fetched.
feeds_never_fetched() {
	r=$(cap net | grep "^[> ] ERR Broken feed")
	case $r in
	*" never "*) ;;
	*) why="broken feed row: $r"; return 1 ;;
	esac
	if printf '%s' "$r" | grep -q '20[0-9][0-9]-[01][0-9]-[0-3][0-9]'; then
		why="a fetch time on the broken feed's row: $r"
		return 1
	fi
	cap net | grep -qE "^[> ] ok  Slow feed +20[0-9]{2}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9] " ||
	    { why="no fetch time on the slow feed's row"; return 1; }
}
check feeds_screen_says_never_for_a_feed_never_fetched feeds_never_fetched

# Every row fits the window and the dates stay in one column, whatever
# the width of the title's characters.
wide_titles() {
	$TM send-keys -t net q Home
	wait_for net "> All posts" || return 1
	$TM send-keys -t net Enter
	wait_for net "All posts" || return 1
	wait_for net "特別支援教育" || return 1
	cap net | python3 -c '
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
rows = sys.stdin.read().split("\n")[1:29]
cols = set()
for r in rows:
    if width(r) > 100:
        sys.exit("row wider than 100: " + r)
    m = re.search(r"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]", r)
    if m:
        cols.add(width(r[:m.start()]))
if len(cols) != 1:
    sys.exit("dates in columns %s" % sorted(cols))' 2>"$TMP/why" ||
	    { why=$(cat "$TMP/why"); return 1; }
	cap net | grep -q "^[> ] N  Réunion des parents" ||
	    { why="combining title not shown whole"; return 1; }
	cursor_on_selection net
}
check wide_and_combining_titles_fit_their_row wide_titles
$TM send-keys -t net Q
pane_exit net >/dev/null

# --- An updated post starts with what was added ----------------------
upd_feed() {
	cat >"$WWW/upd.rss" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Upd</title><link>http://example.org/</link>
<item><title>Improving SEND services</title><link>http://example.org/improve</link>
<guid>http://example.org/improve</guid><pubDate>Mon, 02 Dec 2024 09:00:00 GMT</pubDate>
<description>&lt;p&gt;We published our plan in October.&lt;/p&gt;$1</description></item>
</channel></rss>
EOF
}
upd_shows_added() {
	echo "http://127.0.0.1:$PORT/upd.rss \"~Updates\"" >"$TMP/updfeeds"
	u="--config /dev/null --feeds $TMP/updfeeds --cache $TMP/updcache"
	upd_feed ""
	$RUNENV $WRAP $BIN $u fetch 2>>"$ERR" || { why="first fetch failed"; return 1; }
	id=$($RUNENV $WRAP $BIN $u --offline list --format tsv | cut -f6 | head -n 1)
	$RUNENV $WRAP $BIN $u --offline show "$id" >/dev/null 2>>"$ERR" || { why="show failed"; return 1; }
	upd_feed "&lt;h3&gt;November update&lt;/h3&gt;&lt;p&gt;Waiting times fell by a third.&lt;/p&gt;"
	$RUNENV $WRAP $BIN $u fetch 2>>"$ERR" || { why="second fetch failed"; return 1; }
	start upd 80 24 xterm-256color $u --offline
	wait_for upd "> All posts" || return 1
	$TM send-keys -t upd Enter
	wait_for upd "Improving SEND services" || return 1
	$TM send-keys -t upd Enter
	wait_for upd "Added since you read it:" || return 1
	cap upd | grep -q "(updated since you read it)" ||
	    { why="header does not say updated"; return 1; }
	# The added lines come first, the whole post after them.
	cap upd | awk '/Added since you read it:/ { a = NR } /Waiting times fell/ && !w { w = NR }
	    /The whole post:/ { t = NR } /We published our plan/ { p = NR }
	    END { exit !(a && w > a && t > w && p > t) }' ||
	    { why="added text not before the whole post:
$(cap upd | sed 's/^/# /')"; return 1; }
	$TM send-keys -t upd Q
	pane_exit upd >/dev/null
}
check updated_post_starts_with_what_was_added upd_shows_added

# --- Every feed failing alike is said once ------------------------------
all_failed_alike() {
	printf 'http://127.0.0.1:1/a.rss "~A"\nhttp://127.0.0.1:1/b.rss "~B"\n' >"$TMP/deadfeeds"
	start dead 100 24 xterm-256color --config /dev/null --feeds "$TMP/deadfeeds" --cache "$TMP/deadcache"
	wait_for dead "Refreshed 2 feeds: all failed, connection refused by 127.0.0.1." || return 1
	cap dead | grep -q "No network? f lists the feeds" ||
	    { why="no network hint or no pointer to the Feeds screen"; return 1; }
	$TM send-keys -t dead Q
	pane_exit dead >/dev/null
}
check every_feed_failing_alike_is_said_once all_failed_alike

# --- Keys documented ----------------------------------------------------
keys_in_man() {
	out=$(sh tests/tui/keys-doc.sh 2>&1) || { why=$out; return 1; }
}
check every_key_of_the_table_is_in_the_man_page keys_in_man

# --- Sanitizers saw nothing -------------------------------------------
no_sanitizer_errors() {
	if grep -q "ERROR: \(Address\|Leak\)Sanitizer\|runtime error:\|^==[0-9]*== " "$ERR"; then
		why="$(sed 's/^/# /' "$ERR" | head -n 40)"
		return 1
	fi
}
check no_sanitizer_reports no_sanitizer_errors

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
