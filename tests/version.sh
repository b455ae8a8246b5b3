#!/bin/sh
# SPDX-License-Identifier: ISC
#
# version.sh - `smtpprobe --version` names the program's version, the
# c-ares, OpenSSL, jansson and libcurl versions it runs with, and how it was built
# (sanitizers, fuzzing), as configure recorded it in config.h.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

scratch
CONFIG_H=${top_builddir:-.}/config.h

"$SMTPPROBE" --version >"$W/out"; status=$?
expect_status 0 "--version"
check "three lines" [ "$(wc -l <"$W/out")" -eq 3 ]
v=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$CONFIG_H")
check "line 1 is 'smtpprobe $v'" [ "$(sed -n 1p "$W/out")" = "smtpprobe $v" ]

# Each library's runtime version, or (when the loaded library differs from
# the headers) the headers' version after "built with".
libs=$(sed -n 2p "$W/out")
for pair in c-ares:libcares OpenSSL:openssl jansson:jansson libcurl:libcurl; do
	name=${pair%%:*} pc=${pair#*:}
	want=$(pkg-config --modversion "$pc" 2>/dev/null) || want=
	if [ -z "$want" ]; then
		not_ok "pkg-config knows $pc (needed to check the $name version)"
		continue
	fi
	case "$libs" in
	"libraries:"*" $name/$want"* | *" $name/"*"(built with $want)"*)
		ok "$name/$want on the libraries line" ;;
	*)	not_ok "$name/$want not on: $libs" ;;
	esac
done

san=no fuzz=no
grep -q '^#define SMTPPROBE_SANITIZERS 1' "$CONFIG_H" && san=yes
grep -q '^#define SMTPPROBE_FUZZING 1' "$CONFIG_H" && fuzz=yes
check "line 3 says sanitizers=$san fuzzing=$fuzz, as configured" \
	[ "$(sed -n 3p "$W/out")" = "built with: sanitizers=$san fuzzing=$fuzz" ]

finish
