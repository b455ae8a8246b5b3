#!/bin/sh
# SPDX-License-Identifier: ISC
# Replay every fuzz corpus file once through its target (make check).
# Works with both builds: the plain one links the targets with replay.c,
# --enable-fuzzing with libFuzzer (which runs each file named, once).
: "${top_srcdir:=.}" "${top_builddir:=.}"
status=0
for name in reply ehlo tlsa target dnsanswer mtasts record; do
	bin="$top_builddir/tests/fuzz/fuzz_$name"
	dir="$top_srcdir/tests/fuzz/corpus/$name"
	if [ ! -x "$bin" ]; then
		echo "replay: $bin not built" >&2
		status=1
		continue
	fi
	# files only: libFuzzer would fuzz a directory instead of replaying it
	files=$(find "$dir" -type f ! -name '.*' | LC_ALL=C sort)
	if [ -z "$files" ]; then
		echo "replay: $dir is empty" >&2
		status=1
		continue
	fi
	# shellcheck disable=SC2086  # corpus file names have no blanks
	if "$bin" $files >"fuzz-replay-$name.out" 2>&1; then
		echo "ok: fuzz_$name: $(echo "$files" | wc -l) corpus file(s)"
		rm -f "fuzz-replay-$name.out"
	else
		echo "FAIL: fuzz_$name (output follows)"
		cat "fuzz-replay-$name.out"
		rm -f "fuzz-replay-$name.out"
		status=1
	fi
done
exit $status
