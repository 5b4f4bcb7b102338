# Shared by the screen tests (run.sh, screen_reader.sh).  The functions
# use, when called, what the sourcing script sets: TM (its tmux command),
# TMP, the passed and failed counts, and its own cap (capture a screen).

ok() {
	echo "ok - $1"
	passed=$((passed + 1))
}

not_ok() {
	echo "not ok - $1"
	[ -n "$2" ] && echo "# $2"
	failed=$((failed + 1))
}

# check NAME COMMAND...: a test passes when COMMAND succeeds.
check() {
	name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name" "$why"; fi
	why=
}

cursor() { $TM display -p -t "$1" '#{cursor_x} #{cursor_y}'; }

# wait_for SESSION TEXT: until the screen shows TEXT (fixed string).
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		cap "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	why="screen never showed '$2'; it shows:
$(cap "$1" | sed 's/^/# /')"
	return 1
}

# The row (0-based) holding the "> " selection marker, or -1.
sel_row() {
	cap "$1" | awk '/^> /{ print NR - 1; f = 1; exit } END { if (!f) print -1 }'
}

# The text of row N (0-based).
row() { cap "$1" | sed -n "$(($2 + 1))p"; }

# cursor_on_selection SESSION: the cursor sits at column 0 of the row
# with the "> " marker, exactly one row has it.
cursor_on_selection() {
	# Polled: a slow run (valgrind) may still be drawing.
	j=0
	while :; do
		set -- "$1" $(cursor "$1")
		r=$(sel_row "$1")
		n=$(cap "$1" | grep -c '^> ')
		if [ "$2" = 0 ] && [ "$3" = "$r" ] && [ "$n" = 1 ]; then
			return 0
		fi
		j=$((j + 1))
		[ $j -lt 30 ] || break
		sleep 0.1
	done
	why="cursor at $2,$3, selection on row $r ($n marked rows)"
	return 1
}

# pane_exit SESSION: waits for the program to end, prints its status
# (written by the shell that ran it: tmux's pane_dead_status is not always
# set in time).
pane_exit() {
	i=0
	while [ $i -lt 100 ]; do
		if [ -s "$TMP/exit-$1" ]; then
			cat "$TMP/exit-$1"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo running
}

# search_for SESSION WORDS TITLE: searches (/, WORDS, Enter) and waits for
# the results whose title bar holds TITLE.
search_for() {
	$TM send-keys -t "$1" /
	wait_for "$1" "Search:" || return 1
	$TM send-keys -t "$1" -l "$2"
	$TM send-keys -t "$1" Enter
	wait_for "$1" "$3"
}
