#!/bin/sh
# Checks the key table in src/ui_keys.c against the KEYS section of
# man/sendnews.1:
# every key name of the table must be an ".It Ic NAME" (or a later
# "Ic NAME" on such a line) in the man page's KEYS section, and every key
# the man page lists must be in the table.  Prints what differs; exits 1.
cd "$(dirname "$0")/../.." || exit 2
table=$(sed -n '/^static const struct ui_key ui_keys\[\] = {/,/^};/p' src/ui_keys.c |
	sed -n 's/.*"\([^"]*\)".*/\1/p')
man=$(awk '/^\.Sh / { keys = ($2 == "KEYS") } keys && /^\.It Ic / {
	for (i = 2; i <= NF; i++)
		if ($i == "Ic" && i < NF) {
			k = $(i + 1)
			gsub(/\\&/, "", k)
			print k
		}
}' man/sendnews.1)
set -f  # "?" is a key, not a pattern
status=0
[ -n "$table" ] || { echo "no key names found in src/ui_keys.c"; exit 1; }
for k in $table; do
	printf '%s\n' "$man" | grep -qxF -- "$k" ||
	    { echo "key '$k' is not in the KEYS section of man/sendnews.1"; status=1; }
done
for k in $man; do
	printf '%s\n' "$table" | grep -qxF -- "$k" ||
	    { echo "man page key '$k' is not in the key table"; status=1; }
done
exit $status
