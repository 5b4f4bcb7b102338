#!/bin/sh
# Screen tests of what a console screen reader (Speakup, Fenrir, BRLTTY)
# depends on, with --screen-reader, and of the reader's Closing soon list,
# `a` (add a feed), `o` over SSH and `=`.  The real binary ($1) runs in
# tmux on a private socket, driven with send-keys and checked with
# capture-pane, the cursor position and pipe-pane (every byte sent).  One
# line per test, then "N passed, M failed".  Waits poll the screen (up to
# 10 s); nothing asserts on how long anything took.
BIN=${1:-build/asan/sendnews}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
WRAP=${SENDNEWS_WRAP:-}   # make check-valgrind
cd "$(dirname "$0")/../.." || exit 2
. tests/tui/lib.sh
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

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sendnews-sr.XXXXXX")
TM="tmux -L sendnews-sr-$$ -f $TMP/tmux.conf"
cleanup() {
	$TM kill-server >/dev/null 2>&1
	[ -n "$SRVPID" ] && kill "$SRVPID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# No status bar (its clock would send bytes: users set status-interval 0).
cat >"$TMP/tmux.conf" <<EOF
set -g status off
set -g status-interval 0
set -g remain-on-exit on
set -g default-terminal tmux-256color
EOF

mkdir -p "$TMP/home" "$TMP/config" "$TMP/bin"
RUNENV="env -u DISPLAY -u WAYLAND_DISPLAY -u BROWSER -u SSH_CONNECTION \
-u NO_COLOR -u SENDNEWS_NOW -u SENDNEWS_SCREEN_READER LANG=C.UTF-8 \
LC_ALL=C.UTF-8 HOME=$TMP/home XDG_CONFIG_HOME=$TMP/config"
ERR=$TMP/stderr
: >"$ERR"
# Every screen captured, for the check that none holds box drawing.
SCREENS=$TMP/screens
: >"$SCREENS"

# start SESSION WIDTH HEIGHT ENV ARGS...: the reader in a new session,
# ENV (words like SENDNEWS_NOW=...) added to the environment.
start() {
	s=$1 w=$2 h=$3 extra=$4
	shift 4
	rm -f "$TMP/exit-$s"
	$TM new-session -d -s "$s" -x "$w" -y "$h" \
	    "$RUNENV TERM=xterm-256color $extra $WRAP $BIN $* 2>>$ERR; echo \$? >$TMP/exit-$s"
}

cap() {
	$TM capture-pane -p -t "$1" | tee -a "$SCREENS"
}
status_row() { cap "$1" | tail -n 1; }
# The status message, also when it takes more than one row: the rows at
# the bottom that are not list rows, joined (the rows are cut, not wrapped).
status_text() {
	printf '%s\n' "$1" | sed -n '2,$p' | awk '
	/^[> ] / || /^ *$/ { s = ""; next }
	{ s = s $0 }
	END { print s }'
}

# A screen-reader post row: the title first, then the state in words,
# the date and the source ("> Title, new, 2024-07-01, Source").
title_first() {
	r=$(row "$1" "$(sel_row "$1")")
	printf '%s\n' "$r" | grep -qE '^> [^ ].*, ((new|updated|archived), )*([0-9]{4}-[0-9]{2}-[0-9]{2}, )?[^,]+$' ||
	    { why="selected row is not 'title, state, date, source': $r"; return 1; }
	printf '%s\n' "$r" | grep -qE '^> (N|U|A|NA|UA) ' &&
	    { why="row starts with a mark, not the title: $r"; return 1; }
	return 0
}

# key_then SESSION KEY: sends KEY and waits until the screen settles, then
# checks the cursor is on the selected row, which starts with the title.
key_then() {
	before=$(cap "$1")
	$TM send-keys -t "$1" "$2"
	i=0
	while [ $i -lt 30 ] && [ "$(cap "$1")" = "$before" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.1
	cursor_on_selection "$1" || return 1
	title_first "$1"
}

CACHE=$TMP/cache
$RUNENV $WRAP "$BIN" --demo --cache "$CACHE" fetch >/dev/null 2>>"$ERR"
DEMO="--demo --offline --cache $CACHE"

# --- Screen-reader mode: the cursor on every selection ----------------
start sr 100 30 "" --screen-reader "$DEMO"

sr_start() {
	wait_for sr "sendnews: Topics" || return 1
	[ "$($TM display -p -t sr '#{cursor_flag}')" = 1 ] ||
	    { why="cursor hidden"; return 1; }
	cap sr | grep -qE '^> All posts, [0-9]+ unread, [0-9]+ posts$' ||
	    { why="All posts row: $(row sr "$(sel_row sr)")"; return 1; }
	cursor_on_selection sr
}
check sr_cursor_visible_on_all_posts_at_start sr_start

no_mark_letters() {
	$TM send-keys -t sr Enter
	wait_for sr "posts, " || return 1
	cursor_on_selection sr || return 1
	title_first sr || return 1
	# Every post row, not only the selected one, says its state in words.
	n=$(cap sr | sed -n '2,29p' | grep -cE '^[> ] [^ ].*, (new, )?[0-9]{4}-[0-9]{2}-[0-9]{2}, ')
	[ "$n" -ge 20 ] || { why="only $n rows of the form 'title, new, date, source'"; return 1; }
}
check sr_post_rows_start_with_the_title no_mark_letters

for k in j k Down Up NPage End Home; do
	check "sr_cursor_on_selected_title_after_$k" key_then sr $k
done

sr_enter() {
	key_moves_ok=$(row sr "$(sel_row sr)")
	title=$(printf '%s' "$key_moves_ok" | sed -E 's/^> //; s/,.*//' |
	    awk '{ print $1, $2, $3 }')
	$TM send-keys -t sr Enter
	wait_for sr "Source: " || return 1
	row sr 1 | grep -qF -- "$title" ||
	    { why="first text row is not '$title': $(row sr 1)"; return 1; }
	[ "$(cursor sr)" = "0 1" ] || { why="cursor $(cursor sr)"; return 1; }
}
check sr_enter_puts_cursor_on_the_first_text_line sr_enter

sr_post_scroll() {
	for k in j Down NPage End Home k Up; do
		$TM send-keys -t sr $k
		sleep 0.15
		[ "$(cursor sr)" = "0 1" ] || { why="cursor $(cursor sr) after $k"; return 1; }
	done
}
check sr_post_cursor_stays_on_the_first_visible_line sr_post_scroll

sr_q() {
	$TM send-keys -t sr q
	wait_for sr "posts, " || return 1
	row sr "$(sel_row sr)" | grep -qF -- "> $title" ||
	    { why="selection not on '$title': $(row sr "$(sel_row sr)")"; return 1; }
	cursor_on_selection sr
}
check sr_q_returns_cursor_to_the_same_post sr_q

where_posts() {
	$TM send-keys -t sr =
	wait_for sr "Posts screen, " || return 1
	status_row sr | grep -qE '^Posts screen, [0-9]+ of [0-9]+, in All posts\.$' ||
	    { why="status: $(status_row sr)"; return 1; }
	cursor_on_selection sr
}
check equals_says_screen_position_and_topic where_posts

# Not one byte while nothing happens (5 s, longer than any blink or clock).
sr_idle() {
	: >"$TMP/idle"
	$TM pipe-pane -o -t sr "cat >>$TMP/idle"
	sleep 5
	$TM pipe-pane -t sr
	[ ! -s "$TMP/idle" ] || { why="$(wc -c <"$TMP/idle") bytes sent while idle"; return 1; }
}
check sr_idle_reader_sends_no_bytes_in_5_seconds sr_idle

# A key sends what changed only: no clear-screen sequence.
sr_key_no_clear() {
	: >"$TMP/key"
	$TM pipe-pane -o -t sr "cat >>$TMP/key"
	$TM send-keys -t sr j
	sleep 0.5
	$TM pipe-pane -t sr
	[ -s "$TMP/key" ] || { why="nothing sent for j"; return 1; }
	if grep -q "$(printf '\033')\[2J\|$(printf '\033')\[H$(printf '\033')\[J" "$TMP/key"; then
		why="j cleared the screen"
		return 1
	fi
	n=$(wc -c <"$TMP/key")
	[ "$n" -lt 1500 ] || { why="$n bytes for one j"; return 1; }
}
check sr_key_sends_only_what_changed sr_key_no_clear

sr_search_prompt() {
	$TM send-keys -t sr /
	wait_for sr "Search:" || return 1
	[ "$(cursor sr)" = "8 29" ] || { why="cursor $(cursor sr) on an empty prompt"; return 1; }
	$TM send-keys -t sr -l 'survey'
	wait_for sr "Search: survey" || return 1
	[ "$(cursor sr)" = "14 29" ] || { why="cursor $(cursor sr), not after 'survey'"; return 1; }
	$TM send-keys -t sr Enter
	wait_for sr 'Search "survey"' || return 1
	cursor_on_selection sr
}
check sr_search_prompt_holds_the_cursor_at_its_end sr_search_prompt

sr_resize() {
	# Back from the search results to All posts, where it started, then
	# to Topics, then All posts again.
	$TM send-keys -t sr q q
	wait_for sr "sendnews: Topics" || return 1
	$TM send-keys -t sr Home Enter
	wait_for sr "posts, " || return 1
	$TM send-keys -t sr j j j
	sleep 0.3
	want=$(row sr "$(sel_row sr)" | cut -c1-20)
	$TM resize-window -t sr -x 60 -y 15
	i=0
	while [ $i -lt 100 ] && [ "$(cap sr | wc -l)" -ne 15 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.3
	cursor_on_selection sr || return 1
	row sr "$(sel_row sr)" | grep -qF -- "$want" ||
	    { why="selection moved: $(row sr "$(sel_row sr)")"; return 1; }
	$TM resize-window -t sr -x 100 -y 30
	i=0
	while [ $i -lt 100 ] && [ "$(cap sr | wc -l)" -ne 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.3
	cursor_on_selection sr || return 1
	row sr "$(sel_row sr)" | grep -qF -- "$want" ||
	    { why="selection moved: $(row sr "$(sel_row sr)")"; return 1; }
	$TM send-keys -t sr q
	wait_for sr "sendnews: Topics"
}
check sr_resize_keeps_the_cursor_on_the_selection sr_resize

sr_other_screens() {
	$TM send-keys -t sr f
	wait_for sr "sendnews: Feeds" || return 1
	cap sr | grep -qE '^> [^ ].*, (ok|error|never fetched), ' ||
	    { why="feeds row: $(row sr "$(sel_row sr)")"; return 1; }
	cursor_on_selection sr || return 1
	$TM send-keys -t sr '?'
	wait_for sr "sendnews: Help" || return 1
	[ "$(cursor sr)" = "0 1" ] || { why="help: cursor $(cursor sr)"; return 1; }
	# Help, then Feeds, then the screen f was pressed on (Topics).
	$TM send-keys -t sr q q
	wait_for sr "sendnews: Topics" || return 1
	cursor_on_selection sr || return 1
	$TM send-keys -t sr =
	wait_for sr "Topics screen, " || return 1
	status_row sr | grep -qE '^Topics screen, [0-9]+ of [0-9]+: [A-Z].*\.$' ||
	    { why="status: $(status_row sr)"; return 1; }
}
check sr_feeds_help_and_topics_keep_the_cursor sr_other_screens

sr_quit() {
	$TM send-keys -t sr Q
	[ "$(pane_exit sr)" = 0 ] || { why="exit status $(pane_exit sr)"; return 1; }
}
check sr_Q_quits_with_status_0 sr_quit

# SENDNEWS_SCREEN_READER=1 asks for the same mode.
sr_env() {
	start env 80 24 "SENDNEWS_SCREEN_READER=1" "$DEMO"
	wait_for env "sendnews: Topics" || return 1
	[ "$($TM display -p -t env '#{cursor_flag}')" = 1 ] ||
	    { why="cursor hidden"; return 1; }
	cap env | grep -qE '^> All posts, [0-9]+ unread' ||
	    { why="not the screen-reader rows"; return 1; }
	$TM send-keys -t env Q
	pane_exit env >/dev/null
}
check SENDNEWS_SCREEN_READER_1_selects_screen_reader_mode sr_env

# --- A locale that is not UTF-8: nothing but ASCII --------------------
ascii_only() {
	start asc 100 30 "LANG=C LC_ALL=C" --screen-reader "$DEMO"
	wait_for asc "sendnews: Topics" || return 1
	: >"$TMP/asc"
	for k in Enter End Enter; do
		$TM send-keys -t asc $k
		sleep 0.4
		$TM capture-pane -p -t asc >>"$TMP/asc"
	done
	wait_for asc "Source: " || return 1
	$TM capture-pane -p -t asc >>"$TMP/asc"
	cat "$TMP/asc" >>"$SCREENS"
	if LC_ALL=C grep -q '[^ -~]' "$TMP/asc"; then
		why="non-ASCII: $(LC_ALL=C grep -n '[^ -~]' "$TMP/asc" | head -n 3)"
		return 1
	fi
	$TM send-keys -t asc Q
	pane_exit asc >/dev/null
}
check lang_C_screens_hold_only_ascii ascii_only

# --- Closing soon -------------------------------------------------------
closing_first() {
	start cl 100 30 "SENDNEWS_NOW=2023-04-20" "$DEMO"
	wait_for cl "sendnews: Topics" || return 1
	row cl 1 | grep -qE '^  Closing soon +5 unread / 5$' ||
	    { why="row 1: $(row cl 1)"; return 1; }
	row cl 2 | grep -q '^> All posts' || { why="row 2: $(row cl 2)"; return 1; }
	cursor_on_selection cl
}
check closing_soon_is_the_first_topic_while_surveys_are_open closing_first

closing_list() {
	$TM send-keys -t cl k
	wait_for cl "> Closing soon" || return 1
	$TM send-keys -t cl Enter
	wait_for cl "5 posts, " || return 1
	cap cl | sed -n '2,6p' >"$TMP/closing"
	awk '
	NR <= 2 && !/(DBV|Delivering Better Value)/ { print "row " NR " is not a DBV post: " $0; bad = 1 }
	NR <= 2 && !/closes in 8 days +2023-04-28/ { print "row " NR " does not close in 8 days: " $0; bad = 1 }
	NR >= 3 && !/[Aa]utism/ { print "row " NR " is not an autism post: " $0; bad = 1 }
	NR >= 3 && !/closes in 24 days +2023-05-14/ { print "row " NR " does not close in 24 days: " $0; bad = 1 }
	END { exit bad }' "$TMP/closing" >"$TMP/why" || { why=$(cat "$TMP/why"); return 1; }
	row cl 7 | grep -q '^ *$' || { why="a sixth row: $(row cl 7)"; return 1; }
	cursor_on_selection cl
}
check closing_soon_lists_five_posts_soonest_first closing_list

closing_post() {
	$TM send-keys -t cl Enter
	wait_for cl "Source: " || return 1
	cap cl | grep -qx 'Closes: 2023-04-28 (closes in 8 days)' ||
	    { why="no Closes line"; return 1; }
	$TM send-keys -t cl Q
	pane_exit cl >/dev/null
}
check post_shows_its_closing_day closing_post

closing_sr() {
	start cls 100 30 "SENDNEWS_NOW=2023-04-20" --screen-reader "$DEMO"
	wait_for cls "sendnews: Topics" || return 1
	row cls 1 | grep -qE '^  Closing soon, [0-9] unread, 5 posts$' ||
	    { why="row 1: $(row cls 1)"; return 1; }
	$TM send-keys -t cls Home Enter
	wait_for cls "5 posts, " || return 1
	row cls 1 | grep -qE '^> (Delivering|DBV)[^,]*, (new, )?closes in 8 days, 2023-04' ||
	    { why="row 1: $(row cls 1)"; return 1; }
	cursor_on_selection cls || return 1
	$TM send-keys -t cls Q
	pane_exit cls >/dev/null
}
check closing_soon_rows_in_screen_reader_mode_say_title_first closing_sr

# --- o over SSH: the URL shown, nothing started -----------------------
cat >"$TMP/bin/fakebrowser" <<EOF
#!/bin/sh
echo "\$@" >>$TMP/browser-called
EOF
chmod +x "$TMP/bin/fakebrowser"
SSHENV="PATH=$TMP/bin:$PATH BROWSER=fakebrowser DISPLAY=:0 SSH_CONNECTION='10.0.0.1 50000 10.0.0.2 22'"

open_council_post() {
	wait_for "$1" "sendnews: Topics" || return 1
	$TM send-keys -t "$1" f
	wait_for "$1" "sendnews: Feeds" || return 1
	i=0
	while [ $i -lt 10 ] && ! cap "$1" | grep -q '^> .*Council news'; do
		$TM send-keys -t "$1" j
		sleep 0.1
		i=$((i + 1))
	done
	$TM send-keys -t "$1" Enter
	wait_for "$1" "Feed: Council news" || return 1
	$TM send-keys -t "$1" Enter
	wait_for "$1" "Source: Council news" || return 1
}

ssh_open() {
	start ssh 100 30 "$SSHENV" "$DEMO"
	open_council_post ssh || return 1
	$TM send-keys -t ssh o
	wait_for ssh "Link: https://" || return 1
	sleep 1
	[ ! -e "$TMP/browser-called" ] ||
	    { why="the browser was started: $(cat "$TMP/browser-called")"; return 1; }
	$TM send-keys -t ssh Q
	pane_exit ssh >/dev/null
}
check o_over_ssh_shows_the_url_and_starts_nothing ssh_open

# Asked for in the config file: the link also goes to the clipboard with
# OSC 52 (whole, base64), and still no browser starts.
osc52_copy() {
	printf 'osc52 yes\n' >"$TMP/osc52.conf"
	start osc 100 30 "$SSHENV" --config "$TMP/osc52.conf" --screen-reader "$DEMO"
	open_council_post osc || return 1
	url=$(cap osc | sed -n 's/^Link: //p' | head -n 1)
	: >"$TMP/osc"
	$TM pipe-pane -o -t osc "cat >>$TMP/osc"
	$TM send-keys -t osc o
	wait_for osc "Copied to the clipboard: https://" || return 1
	sleep 0.3
	$TM pipe-pane -t osc
	b64=$(printf '%s' "$url" | base64 | tr -d '\n')
	grep -qF "$(printf '\033]52;c;')$b64" "$TMP/osc" ||
	    { why="no OSC 52 with the link ($url) in $(wc -c <"$TMP/osc") bytes"; return 1; }
	[ ! -e "$TMP/browser-called" ] || { why="the browser was started"; return 1; }
	$TM send-keys -t osc Q
	pane_exit osc >/dev/null
}
check osc52_yes_copies_the_link_over_ssh osc52_copy

no_osc_unasked() {
	grep -q "$(printf '\033')]52" "$TMP/idle" "$TMP/key" 2>/dev/null &&
	    { why="OSC 52 without osc52 yes"; return 1; }
	return 0
}
check no_osc52_unless_asked_for no_osc_unasked

# show on a terminal: OSC 8 links with osc8 yes, plain links without.
show_osc8() {
	id=$($RUNENV $WRAP "$BIN" $DEMO list --format tsv 2>>"$ERR" |
	    awk -F'\t' '$5 ~ /^https:/ { print $6; exit }')
	[ -n "$id" ] || { why="no post with an https link"; return 1; }
	printf 'osc8 yes\n' >"$TMP/osc8.conf"
	for conf in osc8 none; do
		: >"$TMP/show-$conf"
		c=
		[ $conf = osc8 ] && c="--config $TMP/osc8.conf"
		$TM new-session -d -s "show-$conf" -x 100 -y 30 \
		    "sleep 0.5; $RUNENV TERM=xterm-256color $WRAP $BIN $c $DEMO show $id 2>>$ERR; sleep 30"
		$TM pipe-pane -o -t "show-$conf" "cat >>$TMP/show-$conf"
		wait_for "show-$conf" "Links:" || return 1
		sleep 0.3
		$TM pipe-pane -t "show-$conf"
		$TM kill-session -t "show-$conf"
	done
	grep -q "$(printf '\033')]8;;https://" "$TMP/show-osc8" ||
	    { why="no OSC 8 link with osc8 yes"; return 1; }
	! grep -q "$(printf '\033')]8;" "$TMP/show-none" ||
	    { why="OSC 8 without osc8 yes"; return 1; }
}
check show_prints_osc8_links_only_when_asked show_osc8

# --- Against the local test server: refresh and add ---------------------
WWW=$TMP/www
mkdir -p "$WWW"
cp feeds/demo/news.rss "$WWW/news.rss"
cp feeds/demo/updates.atom "$WWW/updates.atom"
cat >"$WWW/extra.rss" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Extra SEND news</title><link>http://example.org/</link>
<item><title>Short breaks consultation opens</title><link>http://example.org/sb</link>
<description>Have your say on short breaks.</description>
<pubDate>Mon, 02 Dec 2024 09:00:00 GMT</pubDate></item>
</channel></rss>
EOF
cat >"$WWW/page.html" <<'EOF'
<!DOCTYPE html>
<html><head><title>SEND news page</title>
<link rel="alternate" type="application/rss+xml" title="Page feed" href="/extra.rss">
</head><body><main><h2>Nothing here</h2><p>See the feed.</p></main></body></html>
EOF
python3 tests/server.py --root "$WWW" --port-file "$TMP/port" \
    >"$TMP/server.log" 2>&1 &
SRVPID=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$TMP/port" 2>/dev/null)
cat >"$TMP/feeds" <<EOF
# Feeds for the screen tests.
http://127.0.0.1:$PORT/delay/2500/news.rss "~Slow feed"
http://127.0.0.1:$PORT/delay/800/updates.atom "~Updates"
http://127.0.0.1:$PORT/status/500 "~Broken feed"
EOF

# The refresh at start: one start message, one end message, and the
# screen's body unchanged in between (feeds arriving do not redraw).  The
# feeds arrive at different times, so a redraw would show between them.
sr_refresh() {
	$TM new-session -d -s net -x 100 -y 30 \
	    "sleep 1; $RUNENV TERM=xterm-256color $WRAP $BIN --screen-reader --feeds $TMP/feeds --cache $TMP/netcache 2>>$ERR"
	: >"$TMP/net"
	$TM pipe-pane -o -t net "cat >>$TMP/net"
	: >"$TMP/statuses"
	: >"$TMP/bodies"
	i=0
	while [ $i -lt 150 ]; do
		c=$($TM capture-pane -p -t net)
		s=$(status_text "$c")
		printf '%s\n' "$s" >>"$TMP/statuses"
		case $s in Refreshing*) printf '%s\n' "$c" | sed -n '1,29p' | md5sum >>"$TMP/bodies" ;; esac
		case $s in Refreshed*) break ;; esac
		sleep 0.05
		i=$((i + 1))
	done
	$TM pipe-pane -t net
	printf '%s\n' "$c" >>"$SCREENS"
	grep -v '^ *$' "$TMP/statuses" | uniq >"$TMP/seen"
	grep -q '^Refreshing 3 feeds' "$TMP/seen" || { why="no start message: $(cat "$TMP/seen")"; return 1; }
	grep -q '^Refreshed 3 feeds: .* 1 failed' "$TMP/seen" || { why="no end message: $(cat "$TMP/seen")"; return 1; }
	n=$(grep -v '^? for help' "$TMP/seen" | wc -l)
	[ "$n" -eq 2 ] || { why="$n status messages: $(cat "$TMP/seen")"; return 1; }
	n=$(sort -u "$TMP/bodies" | wc -l)
	[ "$n" -le 1 ] || { why="the screen changed $n times during the refresh"; return 1; }
	a=$(grep -ao 'Refreshing 3 feeds' "$TMP/net" | wc -l)
	b=$(grep -ao 'Refreshed 3 feeds' "$TMP/net" | wc -l)
	[ "$a" -eq 1 ] && [ "$b" -eq 1 ] ||
	    { why="start written $a times, end $b times"; return 1; }
	cursor_on_selection net
}
check sr_refresh_says_start_and_end_once_and_nothing_between sr_refresh

sr_refresh_r() {
	: >"$TMP/statuses"
	$TM send-keys -t net r
	i=0
	while [ $i -lt 150 ]; do
		s=$(status_text "$($TM capture-pane -p -t net)")
		printf '%s\n' "$s" >>"$TMP/statuses"
		case $s in Refreshed*) [ $i -gt 0 ] && grep -q '^Refreshing' "$TMP/statuses" && break ;; esac
		sleep 0.05
		i=$((i + 1))
	done
	uniq "$TMP/statuses" | grep -v '^ *$' >"$TMP/seen"
	n=$(grep -cv '^Refresh\(ing\|ed\) 3 feeds' "$TMP/seen")
	[ "$n" -eq 0 ] || { why="other messages: $(cat "$TMP/seen")"; return 1; }
	grep -q '^Refreshing 3 feeds' "$TMP/seen" && grep -q '^Refreshed 3 feeds' "$TMP/seen" ||
	    { why="seen: $(cat "$TMP/seen")"; return 1; }
	cursor_on_selection net
}
check sr_r_says_start_and_end_only sr_refresh_r

# a: the prompt holds the cursor, the feed is appended to --feeds.
add_feed() {
	$TM send-keys -t net a
	wait_for net "Add feed URL:" || return 1
	[ "$(cursor net)" = "14 29" ] || { why="cursor $(cursor net) on the prompt"; return 1; }
	$TM send-keys -t net -l "http://127.0.0.1:$PORT/extra.rss"
	wait_for net "extra.rss" || return 1
	set -- $(cursor net)
	[ "$1" = $((14 + ${#PORT} + 27)) ] && [ "$2" = 29 ] ||
	    { why="cursor $1,$2 not after the URL"; return 1; }
	$TM send-keys -t net Enter
	wait_for net "Added. It will be read on the next start." || return 1
	last=$(tail -n 1 "$TMP/feeds")
	[ "$last" = "http://127.0.0.1:$PORT/extra.rss \"~Extra SEND news\"" ] ||
	    { why="last line: $last"; return 1; }
	[ "$(head -n 1 "$TMP/feeds")" = "# Feeds for the screen tests." ] ||
	    { why="the comment was lost"; return 1; }
	cap net | grep -q "sendnews: Add a feed" || { why="no Add screen"; return 1; }
	[ "$(cursor net)" = "0 1" ] || { why="cursor $(cursor net)"; return 1; }
}
check a_adds_an_rss_url_to_the_feeds_file add_feed

# A page that advertises a feed: the question is a prompt with the cursor
# at its end; the answer picks the feed.  A known URL is refused.
add_page() {
	$TM send-keys -t net q a
	wait_for net "Add feed URL:" || return 1
	$TM send-keys -t net -l "http://127.0.0.1:$PORT/page.html"
	$TM send-keys -t net Enter
	wait_for net "Add which feed? [1-1, or 0 for the page itself]" || return 1
	[ "$(cursor net)" = "48 29" ] || { why="cursor $(cursor net) on the question"; return 1; }
	cap net | grep -q "1. Page feed (RSS)" || { why="the offered feed is not listed"; return 1; }
	$TM send-keys -t net 1 Enter
	wait_for net "Not added: " || return 1
	status_text "$(cap net)" | grep -q "already listed on line 5" ||
	    { why="status: $(status_text "$(cap net)")"; return 1; }
	[ "$(tail -n 1 "$TMP/feeds")" = "http://127.0.0.1:$PORT/extra.rss \"~Extra SEND news\"" ] ||
	    { why="the file changed: $(tail -n 1 "$TMP/feeds")"; return 1; }
	$TM send-keys -t net q
	wait_for net "sendnews: Topics" || return 1
	cursor_on_selection net
}
check a_asks_which_feed_at_a_prompt_and_refuses_a_known_one add_page
$TM send-keys -t net Q

add_demo() {
	start dem 80 24 "" "$DEMO"
	wait_for dem "sendnews: Topics" || return 1
	$TM send-keys -t dem a
	wait_for dem "not the demo's" || return 1
	$TM send-keys -t dem Q
	pane_exit dem >/dev/null
}
check a_refuses_the_demo_feeds add_demo

# --- Nothing decorative on any screen -----------------------------------
no_box_drawing() {
	python3 - "$SCREENS" <<'EOF' 2>"$TMP/why"
import sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
bad = sorted({c for c in text if 0x2500 <= ord(c) <= 0x259F})
if bad:
    sys.exit("box drawing on screen: " + " ".join("U+%04X" % ord(c) for c in bad))
if len(text) < 10000:
    sys.exit("only %d characters captured" % len(text))
EOF
	[ $? -eq 0 ] || { why=$(cat "$TMP/why"); return 1; }
}
check no_screen_holds_box_drawing_characters no_box_drawing

no_sanitizer_errors() {
	if grep -q "ERROR: \(Address\|Leak\)Sanitizer\|runtime error:\|^==[0-9]*== " "$ERR"; then
		why="$(sed 's/^/# /' "$ERR" | head -n 40)"
		return 1
	fi
}
check no_sanitizer_reports no_sanitizer_errors

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
