#!/bin/sh
# Screen tests with a hostile feed: the real binary ($1) in tmux on a
# private socket.  Titles, bodies, links and the feed name carry escape
# sequences (CSI, OSC 52, OSC 8, title setting), C1 controls, bidi
# overrides, zero-width characters and backspaces; links carry quotes,
# semicolons, backticks, $(...), spaces, newlines, a leading "-" and
# non-web schemes.  Checks that no screen shows any of those characters,
# that the raw terminal output holds no OSC sequence (curses never sends
# one), that "o" hands each web link to the browser as exactly one
# argument, byte for byte, runs nothing else, and opens nothing but http
# and https.  One line per test, then "N passed, M failed".
BIN=${1:-build/asan/sendnews}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
WRAP=${SENDNEWS_WRAP:-}   # make check-valgrind
cd "$(dirname "$0")/../.." || exit 2
LANG=C.UTF-8
LC_ALL=C.UTF-8
export LANG LC_ALL
passed=0
failed=0

if ! command -v tmux >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
	echo "not ok - tmux and python3 are installed"
	echo "0 passed, 1 failed"
	exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sendnews-hostile.XXXXXX")
TM="tmux -L sendnews-hostile-$$ -f $TMP/tmux.conf"
cleanup() {
	$TM kill-server >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

cat >"$TMP/tmux.conf" <<EOF
set -g status off
set -g remain-on-exit on
set -g default-terminal tmux-256color
EOF

ok() {
	echo "ok - $1"
	passed=$((passed + 1))
}

not_ok() {
	echo "not ok - $1"
	[ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/# /'
	failed=$((failed + 1))
}

check() {
	name=$1
	shift
	why=
	if "$@"; then ok "$name"; else not_ok "$name" "$why"; fi
}

cap() { $TM capture-pane -p -t h; }

wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		cap | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	why="screen never showed '$1'; it shows:
$(cap)"
	return 1
}

# The hostile feed, its feeds file (the name carries a raw ESC sequence,
# as an OPML import could write it) and the fake browser, which records
# its arguments NUL-separated, one record per start.
MARK=$TMP/PWNED
python3 - "$TMP" "$MARK" <<'EOF'
import sys
tmp, mark = sys.argv[1], sys.argv[2]
E = "&amp;#x1b;"
items = [
    ("Csi " + E + "[31mred" + E + "[0m end", "https://example.org/q?a=&apos;1&apos;&amp;b=&quot;2&quot;;c=3"),
    ("Osc52 " + E + "]52;c;aGk=&amp;#7; end", "https://example.org/`touch %s`" % mark),
    ("Osc8 " + E + "]8;;http://evil.example/" + E + "\\x" + E + "]8;;" + E + "\\ end",
     "https://example.org/$(touch %s)" % mark),
    ("Title " + E + "]0;pwned&amp;#7;" + E + "]2;pw" + E + "\\ end",
     "https://example.org/a b;touch %s" % mark),
    ("C1 &#x9b;31m &#x9d;0;x bidi \u202eesrever\u202c end",
     "https://example.org/x&#10;touch %s" % mark),
    ("Zero\u200bwidth\u2060 back&amp;#8;&amp;#8;space end", "-https://example.org/dash"),
    ("Scheme javascript end", "javascript:alert(1)"),
    ("Scheme file end", "file:///etc/passwd"),
]
out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
       '<title>Channel ' + E + ']0;x&amp;#7;</title><link>https://example.org/</link>']
for i, (t, l) in enumerate(items):
    out.append("<item><title>%s</title><link>%s</link><guid>g%d</guid>"
               "<pubDate>%02d Oct 2024 09:00:00 GMT</pubDate><description>&lt;p&gt;Body %s "
               "&lt;a href=&quot;https://example.org/in%d?$(touch %s)`touch %s`&quot;&gt;more %s"
               "&lt;/a&gt;&lt;/p&gt;</description></item>" % (t, l, i, 20 - i, t, i, mark, mark, t))
out.append("</channel></rss>\n")
open(tmp + "/hostile.rss", "w").write("\n".join(out))
open(tmp + "/urls", "w").write('file://%s/hostile.rss "~Feed \x1b[31mname\x1b]0;t\x07 \u202eend"\n' % tmp)
EOF
cat >"$TMP/browser" <<EOF
#!/bin/sh
printf '%s\0' "\$#" "\$@" >>"$TMP/argv.log"
printf '\n' >>"$TMP/argv.log"
EOF
chmod +x "$TMP/browser"
: >"$TMP/argv.log"

mkdir -p "$TMP/home" "$TMP/config"
RUNENV="env -u WAYLAND_DISPLAY -u SSH_CONNECTION -u NO_COLOR LANG=C.UTF-8 \
LC_ALL=C.UTF-8 HOME=$TMP/home XDG_CONFIG_HOME=$TMP/config \
XDG_STATE_HOME=$TMP/state DISPLAY=:99 BROWSER=$TMP/browser"
ARGS="--feeds $TMP/urls --cache $TMP/cache --offline"
$RUNENV $WRAP "$BIN" --feeds "$TMP/urls" --cache "$TMP/cache" fetch >/dev/null 2>"$TMP/fetch.err"
$RUNENV $WRAP "$BIN" $ARGS --format json list >"$TMP/list.json" 2>>"$TMP/fetch.err"

# The raw output is logged from the first byte: the pane waits for the
# pipe before the program starts.
$TM new-session -d -s h -x 120 -y 40 \
    "sleep 0.5; $RUNENV TERM=xterm-256color $WRAP $BIN $ARGS 2>>$TMP/stderr"
$TM pipe-pane -o -t h "cat >>$TMP/raw.log"

# screen_safe: the visible screen holds none of the unsafe characters.
screen_safe() {
	cap >"$TMP/screen"
	python3 - "$TMP/screen" <<'EOF' && return 0
import sys
text = open(sys.argv[1], "rb").read().decode("utf-8")
bad = [c for c in text if (ord(c) < 0x20 and c not in "\t\n") or 0x7f <= ord(c) < 0xa0
       or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069
       or c in "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"]
if bad:
    print("unsafe characters on screen: %s" % sorted({"U+%04X" % ord(c) for c in bad}))
    sys.exit(1)
EOF
	why=$(cat "$TMP/screen")
	return 1
}

topics_safe() {
	wait_for "sendnews: Topics" || return 1
	screen_safe
}
check hostile_topics_screen_is_clean topics_safe

posts_safe() {
	$TM send-keys -t h Enter
	wait_for "posts, " || return 1
	wait_for "Csi [31mred[0m end" || return 1
	wait_for "Title ]0;pwned]2;pw\\ end" || return 1
	screen_safe
}
check hostile_titles_shown_as_plain_text_in_the_list posts_safe

# Opens every post in turn, checks each screen, comes back.
posts_open_safe() {
	n=0
	while [ $n -lt 8 ]; do
		$TM send-keys -t h Enter
		wait_for "Body " || return 1
		screen_safe || { why="post $n: $why"; return 1; }
		$TM send-keys -t h q
		wait_for "posts, " || return 1
		$TM send-keys -t h j
		sleep 0.1
		n=$((n + 1))
	done
}
check hostile_post_bodies_are_clean posts_open_safe

# Presses o on every post, from the top.
open_all() {
	$TM send-keys -t h g
	sleep 0.2
	n=0
	while [ $n -lt 8 ]; do
		$TM send-keys -t h o
		sleep 0.3
		screen_safe || { why="after o on post $n: $why"; return 1; }
		$TM send-keys -t h j
		sleep 0.1
		n=$((n + 1))
	done
	# Five web links: wait for the five browser starts (they run apart).
	i=0
	while [ $i -lt 50 ] && [ "$(grep -c '^' "$TMP/argv.log")" -lt 5 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.5
}
check o_on_every_post_keeps_the_screen_clean open_all

# Each start got exactly one argument: the post's link, byte for byte
# (as list --format json gives it); no link that is not http(s).
links_one_argument() {
	python3 - "$TMP/argv.log" "$TMP/list.json" <<'EOF' && return 0
import json, sys
raw = open(sys.argv[1], "rb").read()
posts = json.load(open(sys.argv[2]))
web = [p["link"] for p in sorted(posts, key=lambda p: p["date"], reverse=True)
       if p["link"].startswith(("http://", "https://"))]
got = []
# Records are "COUNT\0ARG\0...\n"; arguments may themselves hold newlines,
# so parse by count.
fields = raw.split(b"\0")
i = 0
while i < len(fields) - 1:
    f = fields[i].lstrip(b"\n")
    n = int(f)
    got.append([x.decode("utf-8") for x in fields[i + 1:i + 1 + n]])
    i += 1 + n
bad = [g for g in got if len(g) != 1]
if bad:
    print("a browser start got more or less than one argument: %r" % bad)
    sys.exit(1)
args = [g[0] for g in got]
if args != web:
    print("browser got %r\nwant the links %r" % (args, web))
    sys.exit(1)
for a in args:
    if not a.startswith(("http://", "https://")):
        print("non-web link opened: %r" % a)
        sys.exit(1)
need = ["'1'", '"2";c=3', "`touch", "$(touch", " b;touch"]
for s in need:
    if not any(s in a for a in args):
        print("no argument kept %r literally: %r" % (s, args))
        sys.exit(1)
EOF
	why=$(od -c "$TMP/argv.log" | head -n 20)
	return 1
}
check o_passes_each_web_link_as_one_exact_argument links_one_argument

# A digit opens the post's numbered link: one argument, nothing run.
body_link_one_argument() {
	before=$(grep -c '^' "$TMP/argv.log")
	$TM send-keys -t h g
	sleep 0.2
	$TM send-keys -t h Enter
	wait_for "Body " || return 1
	$TM send-keys -t h 1
	i=0
	while [ $i -lt 50 ] && [ "$(grep -c '^' "$TMP/argv.log")" -le "$before" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.3
	$TM send-keys -t h q
	python3 - "$TMP/argv.log" "$MARK" <<'EOF' && return 0
import sys
recs = open(sys.argv[1], "rb").read().split(b"\0\n")
last = [r for r in recs if r.strip(b"\n")][-1].lstrip(b"\n").split(b"\0")
want = "https://example.org/in0?$(touch %s)`touch %s`" % (sys.argv[2], sys.argv[2])
if last[0] != b"1" or last[1].decode() != want:
    print("the body link reached the browser as %r, want [%r]" % (last[1:], want))
    sys.exit(1)
EOF
	why=$(od -c "$TMP/argv.log" | tail -n 12)
	return 1
}
check digit_passes_the_body_link_as_one_exact_argument body_link_one_argument

nothing_ran() {
	[ ! -e "$MARK" ] || { why="a link ran a command: $MARK exists"; return 1; }
}
check links_with_shell_syntax_run_nothing nothing_ran

non_web_refused() {
	grep -qF "javascript:" "$TMP/argv.log" && { why="javascript: opened"; return 1; }
	grep -qF "file:" "$TMP/argv.log" && { why="file: opened"; return 1; }
	grep -qF -- "-https" "$TMP/argv.log" && { why="a link starting with - opened"; return 1; }
	return 0
}
check only_http_and_https_links_open non_web_refused

quit_clean() {
	$TM send-keys -t h q
	sleep 0.2
	$TM send-keys -t h q
	sleep 0.5
	$TM send-keys -t h Q >/dev/null 2>&1
	sleep 0.5
	$TM pipe-pane -t h 2>/dev/null
	python3 - "$TMP/raw.log" <<'EOF' && return 0
import sys
raw = open(sys.argv[1], "rb").read()
bad = [s for s in (b"\x1b]52", b"\x1b]8;", b"\x1b]0;", b"\x1b]2;", b"\x1bP", b"\xc2\x9b",
                   b"\xc2\x9d", "\u202e".encode(), b"\x08\x08", b"pwned", b"aGk=")
       if s in raw]
# "aGk=" and "pwned" may show as text, but never inside an OSC: checked above.
bad = [s for s in bad if s not in (b"pwned", b"aGk=")]
if not raw:
    print("no raw output was logged")
    sys.exit(1)
if bad:
    print("raw terminal output holds %r" % bad)
    sys.exit(1)
EOF
	why="raw output holds OSC, C1 or bidi bytes"
	return 1
}
check raw_terminal_output_has_no_osc_c1_or_bidi quit_clean

stderr_clean() {
	for f in "$TMP/stderr" "$TMP/fetch.err"; do
		if grep -q 'Sanitizer\|runtime error\|^==[0-9]*== ' "$f"; then
			why="$(head -n 20 "$f")"
			return 1
		fi
	done
}
check no_sanitizer_reports stderr_clean

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
