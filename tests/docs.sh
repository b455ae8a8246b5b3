#!/bin/sh
# SPDX-License-Identifier: ISC
#
# docs.sh - the documentation says what the binary does: --help, the man
# page's Options and the README name the same set of long options; the
# man page documents every column of the real text report and shows the
# real header in its --demo sample; --help fits 80 columns.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
MAN=$top_srcdir/man/smtpprobe.1
README=$top_srcdir/README.md

"$SMTPPROBE" --help >"$W/help"
grep -oE -- '(^|[ ,])--[a-z][a-z0-9-]*' "$W/help" | sed 's/^[ ,]*//' |
	sort -u >"$W/help.opts"
# the man page's Options list: the .It lines between ".Ss Options" and the
# next section
sed -n '/^\.Ss Options/,/^\.S[sh] /p' "$MAN" | grep -E '^\.It ' |
	grep -oE 'Fl -[a-z][a-z0-9-]*' | sed 's/^Fl /-/' | sort -u >"$W/man.opts"
grep -oE -- '--[a-z][a-z0-9-]*' "$README" | sort -u >"$W/readme.opts"

check "--help lists options (sanity: more than 30)" [ "$(wc -l <"$W/help.opts")" -gt 30 ]
for o in $(comm -23 "$W/help.opts" "$W/man.opts"); do
	not_ok "$o is in --help but not in the man page's Options"
done
for o in $(comm -13 "$W/help.opts" "$W/man.opts"); do
	not_ok "$o is in the man page's Options but not in --help"
done
check "--help and the man page's Options name the same options" \
	cmp -s "$W/help.opts" "$W/man.opts"
for o in $(comm -23 "$W/help.opts" "$W/readme.opts"); do
	not_ok "$o is in --help but not in README.md"
done
check "every option of --help is in README.md" \
	[ -z "$(comm -23 "$W/help.opts" "$W/readme.opts")" ]
check "--help fits 80 columns" [ -z "$(awk 'length > 80' "$W/help")" ]

# the text report's columns: the real header of the demo's matrix
"$SMTPPROBE" --demo --no-color >"$W/demo" 2>/dev/null
real=$(grep -m1 -E '^  MX +ADDRESS' "$W/demo" | tr -s ' ' | sed 's/^ //')
check "the demo prints a matrix header" [ -n "$real" ]
for col in $real; do
	case $col in VRFY|EXPN|TURN) continue ;; esac	# the commands: "Ar VERB"
	check "the man page documents the $col column" \
		grep -qE "^\.It $col\$" "$MAN"
done
# every matrix header in the man page's and README's demo samples is real
grep -E '^  MX +ADDRESS' "$MAN" "$README" | cut -d: -f2- | tr -s ' ' |
	sed 's/^ //; s/ ERROR$//' | sort -u >"$W/sample.headers"
want=${real% ERROR}
bad=$(grep -vxF "$want" "$W/sample.headers")
check "the man page and README show matrix samples" [ -s "$W/sample.headers" ]
check "every matrix sample shows the real header ($want)" [ -z "$bad" ] ||
	printf '#   sample header: %s\n' "$bad"

finish
