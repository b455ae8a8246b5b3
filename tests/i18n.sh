#!/bin/sh
# SPDX-License-Identifier: ISC
#
# i18n.sh - messages in Chinese, machine output in English.
#   - the zh_CN catalogue is complete and its format strings match their
#     originals (msgfmt --check --statistics: 0 untranslated, 0 fuzzy),
#     also after merging it with a catalogue template made from the
#     sources now (what `make update-po` does): a new message that the
#     catalogue lacks fails here
#   - LANG=zh_CN.UTF-8 smtpprobe explain 251 502 has the headings 描述,
#     何时出现, 如何修复 for each code, 主要区别 and 何时使用哪个, with the
#     codes, RFC numbers and command names unchanged; --help and a usage
#     error are in Chinese
#   - one probe of tests/scenarios/postfix-like.scn under LANG=C and under
#     LANG=zh_CN.UTF-8, writing JSON, Nagios and Prometheus at once: the
#     JSON matches the existing golden file in both, and the three outputs
#     are the same bytes in both locales (runs of digits masked: durations and
#     ports change from run to run, a decimal comma would not be masked)
#   - LANG=C explain prints what it printed before the catalogue existed:
#     text and JSON of every command entry and of a set of codes against
#     tests/golden/explain-C.txt (made by main at feafc9e, before the
#     enhanced codes' advice and the reply tables were translated);
#     UPDATE_GOLDEN=1 rewrites it
#   - explain 5.1.1, 4.7.0, VRFY, TURN, DATA, VRFY 252 in Chinese: the
#     enhanced codes' "when" and "what to do", the reply tables, how
#     smtpprobe reads the replies, what to use instead; the English
#     sentences gone; the reply table's columns line up in terminal
#     columns; the JSON of the same operands the same bytes as LANG=C
#   - the demo's text report in Chinese: the MX line, TLS words, advice
#     (the commands' and the findings'),
#     the Delivery block's reasons, the summary's words; the matrix and the
#     summary laid out by terminal columns (a CJK character takes two): the
#     matrix stays aligned, the summary fills its lines up to column 80 and
#     not beyond; --wide's status words in the cells, every cell under
#     its header
#   - the demo in both locales, writing JSON, Nagios and Prometheus: the
#     same bytes (digits and made-up names masked, lines sorted: the lab's
#     targets finish in any order); its LANG=C text is plain ASCII English
#   - --expect on the demo: the violations in Chinese in the text report,
#     the delivery rule's with delivery.c's reason; Nagios's English and
#     the same in both locales
#   - a session's error (probe.c: greeting refused, a protocol error with
#     the reply parser's reason), in Chinese in the Errors block, the
#     Delivery reasons and findings that quote it; English and the same
#     bytes in JSON, Nagios and Prometheus in both locales
#   - stderr in Chinese: a bad --expect (English for --format nagios), a
#     missing --baseline; the text report's Changes block
# The zh_CN.UTF-8 locale must exist (scripts/install-deps generates it):
# without it this test fails, it does not skip.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

scratch
PO=$top_srcdir/po/zh_CN.po
ZH=zh_CN.UTF-8

if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
	not_ok "the locale $ZH is not installed: run scripts/install-deps (or: sed -i 's/^# *zh_CN.UTF-8/zh_CN.UTF-8/' /etc/locale.gen && locale-gen)"
	finish
	exit 1
fi

# ---- the catalogue ---------------------------------------------------------
mkdir -p "$W/locale/zh_CN/LC_MESSAGES"
if msgfmt --check --statistics -o "$W/locale/zh_CN/LC_MESSAGES/smtpprobe.mo" \
    "$PO" 2>"$W/stats"; then
	ok "msgfmt --check accepts po/zh_CN.po (formats match their originals)"
else
	not_ok "msgfmt --check rejects po/zh_CN.po"; sed 's/^/#   /' "$W/stats"
fi
echo "# $(cat "$W/stats")"
check "po/zh_CN.po: no untranslated message" \
	eval '! grep -q "untranslated" "$W/stats"'
check "po/zh_CN.po: no fuzzy message" eval '! grep -q "fuzzy" "$W/stats"'
check "po/zh_CN.po: messages translated (sanity: more than 100)" \
	[ "$(sed -n 's/^\([0-9]*\) translated.*/\1/p' "$W/stats")" -gt 100 ]
# The catalogue against the sources as they are now: xgettext with
# po/Makevars' options over po/POTFILES.in, merged into zh_CN.po as
# `make update-po` does; a message added to the code but not to the
# catalogue shows up here as untranslated.
opts=$(sed -n '/^XGETTEXT_OPTIONS/,/[^\\]$/p' "$top_srcdir/po/Makevars" |
	sed 's/^XGETTEXT_OPTIONS *= *//; s/\\$//' | tr '\n\t' '  ')
# shellcheck disable=SC2086
if (cd "$top_srcdir" && xgettext --default-domain=smtpprobe $opts \
    --files-from=<(grep -v '^#' po/POTFILES.in) -o "$W/fresh.pot") 2>"$W/xg" &&
    msgmerge --no-wrap -q "$PO" "$W/fresh.pot" -o "$W/merged.po" 2>>"$W/xg" &&
    msgfmt --check --statistics -o /dev/null "$W/merged.po" 2>"$W/stats2"; then
	echo "# against the sources: $(cat "$W/stats2")"
	check "every message of the sources is in po/zh_CN.po, translated" \
		eval '! grep -qE "untranslated|fuzzy" "$W/stats2"'
else
	not_ok "xgettext/msgmerge over the sources failed"; sed 's/^/#   /' "$W/xg"
fi
export SMTPPROBE_LOCALEDIR=$W/locale
unset LANGUAGE LC_ALL LC_MESSAGES

# ---- explain ---------------------------------------------------------------
LANG=$ZH "$SMTPPROBE" explain 251 502 >"$W/zh.explain" 2>&1; status=$?
expect_status 0 "LANG=$ZH explain 251 502"
sed 's/^/#   /' "$W/zh.explain" | head -12
for h in 描述 何时出现 如何修复; do
	check "explain 251 502: '$h' for each code" \
		[ "$(grep -c "^  $h:" "$W/zh.explain")" -eq 2 ]
done
contains "$W/zh.explain" "主要区别" "explain 251 502: 主要区别 (key difference)"
contains "$W/zh.explain" "何时使用哪个" "explain 251 502: 何时使用哪个 (which one)"
contains "$W/zh.explain" "251 与 502 对比" "explain 251 502: the heading, codes unchanged"
contains "$W/zh.explain" "251 用户不在本地" "251's title in Chinese"
contains "$W/zh.explain" "502 命令未实现" "502's title in Chinese"
contains "$W/zh.explain" "RCPT TO" "command names unchanged"
contains "$W/zh.explain" "2xx" "reply classes unchanged"
lacks "$W/zh.explain" "When you meet it" "no English heading left"
# terminal columns: a CJK character takes two
check "explain 251 502 in Chinese fits 78 terminal columns" "$PYTHON" -c '
import sys, unicodedata as u
w = lambda l: sum(2 if u.east_asian_width(c) in "WF" else 1 for c in l)
sys.exit(max(w(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")) > 78)
' "$W/zh.explain"
LANG=C "$SMTPPROBE" explain 251 502 >"$W/c.explain"
contains "$W/c.explain" "  When you meet it: In answer to RCPT TO or VRFY" \
	"LANG=C explain stays English"
LANG=$ZH "$SMTPPROBE" --format json explain 251 502 >"$W/zh.json"
LANG=C "$SMTPPROBE" --format json explain 251 502 >"$W/c.json"
check "explain --format json: the same bytes in both locales" \
	cmp -s "$W/c.json" "$W/zh.json"

# every explain of tests/golden/explain-C.txt, text then JSON
explain_all() {	# LOCALE: print them all in that locale
	local ops
	for ops in "251 502" "252 550" "5.1.1" "4.7.0" "2.0.0" "5.1.1 5.7.1" \
	    "550 5.1.1" "4.7.0 421" "VRFY 252" "EXPN 550" "TURN 251" ATRN AUTH \
	    DATA EHLO ETRN EXPN HELO HELP MAIL NOOP QUIT RCPT RSET STARTTLS \
	    TURN VRFY; do
		printf '### explain %s\n' "$ops"
		# shellcheck disable=SC2086
		LANG=$1 "$SMTPPROBE" explain $ops 2>&1
		printf '### --format json explain %s\n' "$ops"
		# shellcheck disable=SC2086
		LANG=$1 "$SMTPPROBE" --format json explain $ops 2>&1
	done
}
GOLDEN=$top_srcdir/tests/golden/explain-C.txt
explain_all C >"$W/c.all"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
	cp "$W/c.all" "$GOLDEN"
	ok "explain: golden updated"
elif diff "$GOLDEN" "$W/c.all" >"$W/diff"; then
	ok "LANG=C explain: text and JSON the same as tests/golden/explain-C.txt"
else
	not_ok "LANG=C explain differs from tests/golden/explain-C.txt"
	sed 's/^/#   /' "$W/diff" | head -20
fi
explain_all "$ZH" >"$W/zh.all"
check "explain --format json: every entry the same bytes in both locales" \
	cmp -s <(awk '/^### --format json/ {j = 1; print; next}
	    /^### / {j = 0} j' "$W/c.all") \
	<(awk '/^### --format json/ {j = 1; print; next} /^### / {j = 0} j' \
	    "$W/zh.all")
check "explain in Chinese: the text differs from LANG=C (sanity)" \
	eval '! cmp -s "$W/c.all" "$W/zh.all"'

LANG=$ZH "$SMTPPROBE" explain 5.1.1 >"$W/zh.511"
contains "$W/zh.511" '何时出现:         紧跟在回复码之后，位于 5xx 回复文本的开头（“550 5.1.1' \
	"explain 5.1.1: when it appears, in Chinese, codes as given"
contains "$W/zh.511" "如何修复:         不要原样重试。问题出在地址上" \
	"explain 5.1.1: what to do, in Chinese"
contains "$W/zh.511" "IANA SMTP 增强状态码注册表" "explain 5.1.1: the reference"
lacks "$W/zh.511" "Right after the reply code" "explain 5.1.1: no English 'when' left"
lacks "$W/zh.511" "Do not retry unchanged" "explain 5.1.1: no English advice left"
lacks "$W/zh.511" "The address is at fault" "explain 5.1.1: no English subject advice left"
LANG=$ZH "$SMTPPROBE" explain 4.7.0 >"$W/zh.470"
contains "$W/zh.470" "稍后重试；这种情况预计会自行消除。" "explain 4.7.0: a class 4 code's advice"
contains "$W/zh.470" '（“450 4.7.0' "explain 4.7.0: the example reply keeps its codes"
lacks "$W/zh.470" "Retry later; the condition" "explain 4.7.0: no English advice left"

LANG=$ZH "$SMTPPROBE" explain VRFY >"$W/zh.vrfy"
contains "$W/zh.vrfy" "VRFY 的回复及 smtpprobe 报告的状态" "explain VRFY: the replies heading"
contains "$W/zh.vrfy" '  252   cannot_verify              既不是“是”也不是“否”（RFC 5321 7.3）' \
	"explain VRFY: a reply's meaning in Chinese, status name kept"
contains "$W/zh.vrfy" "smtpprobe 如何判断这些回复" "explain VRFY: how smtpprobe reads the replies"
contains "$W/zh.vrfy" "--no-vrfy-control 可以省去第二次" "explain VRFY: the reading, option name kept"
contains "$W/zh.vrfy" "替代方案" "explain VRFY: what to use instead"
lacks "$W/zh.vrfy" "Replies to VRFY" "explain VRFY: no English heading left"
lacks "$W/zh.vrfy" "the name is a real mailbox" "explain VRFY: no English reply meaning left"
lacks "$W/zh.vrfy" "A reply to VRFY is read by its code" "explain VRFY: no English reading left"
# the heads of the reply table start where its columns do, in terminal
# columns (a CJK character takes two)
check "explain VRFY in Chinese: the reply table's heads line up with its columns" \
	"$PYTHON" -c '
import sys, unicodedata as u
w = lambda s: sum(2 if u.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
head = next(l for l in lines if l.startswith("  代码  状态"))
row = next(l for l in lines if l.startswith("  252   cannot_verify"))
col = lambda l, s: w(l[:l.index(s)])
ok = (col(head, "状态") == col(row, "cannot_verify") and
      col(head, "描述") == col(row, "既不是"))
sys.exit(not ok)
' "$W/zh.vrfy"
LANG=$ZH "$SMTPPROBE" explain TURN >"$W/zh.turn"
contains "$W/zh.turn" "  如果 EHLO 既没有列出 ETRN，也没有列出 ATRN：" \
	"explain TURN: the EHLO label in Chinese, keywords kept"
contains "$W/zh.turn" "  如果 EHLO 列出了 ETRN，但没有列出 ATRN：" \
	"explain TURN: a listed and an unlisted keyword"
lacks "$W/zh.turn" "If EHLO" "explain TURN: no English EHLO label left"
LANG=$ZH "$SMTPPROBE" explain DATA >"$W/zh.data"
contains "$W/zh.data" "最小命令集" "explain DATA: the core commands' 'why disabled' in Chinese"
lacks "$W/zh.data" "Sites do not" "explain DATA: no English core text left"
LANG=$ZH "$SMTPPROBE" explain VRFY 252 >"$W/zh.vrfy252"
contains "$W/zh.vrfy252" "252 作为对 VRFY 的回复" "explain VRFY 252: the heading"
contains "$W/zh.vrfy252" "cannot_verify: 按 RFC 5321 7.3 的方式禁用" \
	"explain VRFY 252: the status meaning in Chinese, status name kept"
lacks "$W/zh.vrfy252" "in answer to" "explain VRFY 252: no English heading left"

# ---- --help and errors -------------------------------------------------------
LANG=$ZH "$SMTPPROBE" --help >"$W/zh.help"
contains "$W/zh.help" "用法：smtpprobe [选项] 域名..." "--help in Chinese"
contains "$W/zh.help" "--no-vrfy-control" "--help keeps option names"
LANG=$ZH "$SMTPPROBE" --bogus >/dev/null 2>"$W/zh.err"; status=$?
expect_status 64 "LANG=$ZH: a usage error"
contains "$W/zh.err" "smtpprobe：未知选项 --bogus" "the usage error in Chinese"
LANG=$ZH "$SMTPPROBE" --format nagios --bogus >"$W/zh.nagios-usage"; status=$?
expect_status 3 "LANG=$ZH --format nagios: a usage error is UNKNOWN"
contains "$W/zh.nagios-usage" "SMTPPROBE UNKNOWN - unknown option --bogus" \
	"--format nagios: its usage error stays English"

# ---- the demo: the text report in Chinese -------------------------------------
demo_in() {	# LOCALE NAME: the demo, text on NAME.demo, machine output beside
	LANG=$1 timeout 120 "$SMTPPROBE" --demo --color=never \
		-o "jsonl:$W/$2.demo.json" -o "nagios:$W/$2.demo.nagios" \
		-o "prometheus:$W/$2.demo.prom" >"$W/$2.demo" 2>/dev/null
	status=$?
}
demo_in "$ZH" zh
expect_status 2 "LANG=$ZH --demo (one lab server refuses on purpose)"
contains "$W/zh.demo" "postfix.demo.test: MX：1 台主机" "demo: the MX line in Chinese"
contains "$W/zh.demo" "建议：" "demo: the advice heading in Chinese"
contains "$W/zh.demo" "  VRFY: VRFY 不可用。" "demo: advice in Chinese, command names kept"
contains "$W/zh.demo" "STARTTLS 被拒绝: 454" "demo: TLS words in Chinese, reply code kept"
contains "$W/zh.demo" "  MX                       ADDRESS" "demo: the matrix keeps its columns"
lacks "$W/zh.demo" "Advice:" "demo: no English heading left"
lacks "$W/zh.demo" "VRFY is not available" "demo: no English advice left"
# findings' advice (findings.c's table) under the findings, in Chinese
contains "$W/zh.demo" "    建议：修复 TLS 配置（证书、私钥、协议版本），或者不再宣告 STARTTLS。" \
	"demo: a finding's advice in Chinese under the finding"
lacks "$W/zh.demo" "advice: " "demo: no English advice label under a finding"
lacks "$W/zh.demo" "Fix the TLS setup" "demo: no English finding advice left"
# the Delivery block: delivery.c's reasons through the catalogue
contains "$W/zh.demo" "没有可用的 MTA-STS 策略，按机会性 TLS 处理（RFC 8461 5）：以明文投递：" \
	"demo: the delivery reason in Chinese, RFC numbers kept"
contains "$W/zh.demo" "没有安全的 TLSA 记录（none）" "demo: the DANE reason in Chinese"
contains "$W/zh.demo" "null MX：该域名不接收邮件（RFC 7505）" "demo: the null MX reason in Chinese"
for en in "no usable MTA-STS policy" "as opportunistic" "in clear text" \
    "no secure TLSA records" "the domain takes no mail"; do
	lacks "$W/zh.demo" "$en" "demo: no English delivery reason ('$en')"
done
# findings' messages that used to nest English words
contains "$W/zh.demo" "EXPN 对 postmaster 回复 250 2.1.5：邮件列表成员被泄露（RFC 5321 7.3）" \
	"demo: the expn-enabled finding in Chinese, reply kept"
contains "$W/zh.demo" "每条命令都收到 4xx 回复：灰名单或限速" "demo: the greylisted finding in Chinese"
lacks "$W/zh.demo" "mailing list members are disclosed" "demo: no English left in expn-enabled"
lacks "$W/zh.demo" "every command got a 4xx reply" "demo: no English left in greylisted"
contains "$W/zh.demo" "名字不一致：欢迎信息 legacy.demo.test, EHLO legacy.demo.test, MX mx.legacy.demo.test" \
	"demo: name-mismatch's labels in Chinese, EHLO and MX kept"
# scan.c's fixed target errors (msgctxt "error")
contains "$W/zh.demo" "  错误：所有地址都拒绝了会话（在欢迎信息或 EHLO 阶段）" \
	"demo: the target's error line in Chinese"
lacks "$W/zh.demo" "every address refused the session" "demo: no English target error left"
# the session's error (probe.c's message and its arguments): the Errors
# block and the Delivery reasons that quote it, the reply code kept; the
# TLS error inside the delivery reasons and a finding
check "demo: the session error in the Errors block in Chinese" \
	grep -qE "^  mx\.reject\.demo\.test 127\.0\.0\.15:[0-9]+: 欢迎信息拒绝了会话：554\$" "$W/zh.demo"
contains "$W/zh.demo" "(127.0.0.15): 没有建立会话：欢迎信息拒绝了会话：554" \
	"demo: the Delivery reason quotes the session error in Chinese"
contains "$W/zh.demo" "(127.0.0.11): 以明文投递：STARTTLS 被拒绝：454" \
	"demo: the Delivery reason quotes the TLS error in Chinese"
contains "$W/zh.demo" "服务器提供了 TLS，但无法使用（STARTTLS 被拒绝：454）" \
	"demo: starttls-unusable a whole sentence, the TLS error in Chinese"
for en in "greeting refused the session" "STARTTLS refused" "did not work" \
    "TLS 状态为 offered"; do
	lacks "$W/zh.demo" "$en" "demo: no English session or TLS error ('$en')"
done
# the summary's words
contains "$W/zh.demo" "  TLS: 3 台被拒绝 (mx.postfix.demo.test, mx.vrfy.demo.test, mx.exim.demo.test)," \
	"demo: the summary's TLS outcomes in Chinese, its line filled up to column 80"
contains "$W/zh.demo" "3 台未提供 (" "demo: 'not offered' in the summary"
contains "$W/zh.demo" "  发现的问题：4 高危, 8 中危, 5 低危, 5 提示" \
	"demo: the summary's severity counts in Chinese"
contains "$W/zh.demo" "legacy.demo.test (1 高危, 3 中危, 2 低危)" \
	"demo: the worst targets' counts in Chinese"
for en in " refused (" " not offered (" " no session (" " high, " " medium)"; do
	lacks "$W/zh.demo" "$en" "demo: no English summary word ('$en')"
done
# the matrix: a translated TLS cell, the columns after it where the header says
contains "$W/zh.demo" "  MX                       ADDRESS     BANNER  EHLO  TLS     VRFY  EXPN  TURN" \
	"demo: the matrix header, TLS column as wide as its widest cell"
contains "$W/zh.demo" "  10 mx.postfix.demo.test  127.0.0.11  220     250   被拒绝  502   500   500" \
	"demo: a matrix row with a CJK cell, padded by terminal columns"
# terminal columns: the matrix and the summary, the parts laid out to 80
# columns, fit 80 in Chinese too (a CJK character takes two)
check "demo in Chinese: the matrices and the summary fit 80 terminal columns" "$PYTHON" -c '
import sys, unicodedata as u
w = lambda l: sum(2 if u.east_asian_width(c) in "WF" else 1 for c in l)
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
laid = [l for l in lines if l.startswith(("  MX ", "  10 "))]
laid += lines[[i for i, l in enumerate(lines) if l.startswith("汇总：")][0]:]
bad = [l for l in laid if w(l) > 80]
print("\n".join("#   %d: %s" % (w(l), l) for l in bad))
sys.exit(len(laid) < 20 or bad != [])
' "$W/zh.demo"

# --wide: the status words in the cells, in Chinese; every matrix's cells
# start at the terminal column of their header (columns measured with
# east_asian_width: a CJK character takes two)
LANG=$ZH timeout 120 "$SMTPPROBE" --demo --wide --color=never >"$W/zh.wide" 2>/dev/null
check "demo --wide in Chinese: the status words translated in the cells" \
	grep -qE "^  10 mx\.vrfy\.demo\.test  127\.0\.0\.17:[0-9]+  220     250   被拒绝  252 可枚举  502 未实现  502 未实现\$" "$W/zh.wide"
lacks "$W/zh.wide" "not impl" "demo --wide: no English status word left"
for f in zh.demo zh.wide; do
	check "$f: each matrix cell starts under its header, in terminal columns" "$PYTHON" -c '
import re, sys, unicodedata as u
w = lambda l: sum(2 if u.east_asian_width(c) in "WF" else 1 for c in l)
starts = lambda l: [w(l[:m.start()]) for m in re.finditer(r"\S+(?: \S+)*", l)]
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
n = bad = 0
for i, l in enumerate(lines):
    if not l.startswith("  MX "):
        continue
    head = starts(l)
    for r in lines[i + 1:]:
        if not re.match(r"  (\d+ )?\S+\.test  ", r):
            break
        n += 1
        if starts(r) != head[:len(starts(r))]:
            bad += 1
            print("#   " + r)
sys.exit(n < 7 or bad > 0)
' "$W/$f"
done

# the demo in LANG=C: English, and the machine output the same in both
demo_in C c
expect_status 2 "LANG=C --demo"
check "LANG=C demo: the session error in English" \
	grep -qE "^  mx\.reject\.demo\.test 127\.0\.0\.15:[0-9]+: greeting refused the session: 554\$" "$W/c.demo"
contains "$W/c.demo" "(127.0.0.15): no session: greeting refused the session: 554" \
	"LANG=C demo: the Delivery reason quotes it in English"
contains "$W/c.demo" "    advice: Fix the TLS setup (certificate, key, protocol versions) or stop advertising STARTTLS." \
	"LANG=C demo: a finding's advice in English under the finding"
contains "$W/zh.demo.json" '"error":"greeting refused the session: 554"' \
	"LANG=$ZH demo: JSON keeps the session error in English"
contains "$W/zh.demo.json" '"error":"STARTTLS refused: 454"' \
	"LANG=$ZH demo: JSON keeps the TLS error in English"
contains "$W/c.demo" "  TLS: 3 refused (mx.postfix.demo.test, mx.vrfy.demo.test," \
	"LANG=C demo: the summary in English"
check "LANG=C demo: the text is ASCII, nothing translated" \
	eval '! LC_ALL=C grep -q "[^ -~]" "$W/c.demo"'
for f in json nagios prom; do
	check "demo $f: both files non-empty" [ -s "$W/c.demo.$f" ] && [ -s "$W/zh.demo.$f" ]
	if diff <(sed -E "s/smtpprobe-[a-z0-9]+@/X@/g; s/[0-9]+/N/g" "$W/c.demo.$f" | sort) \
	    <(sed -E "s/smtpprobe-[a-z0-9]+@/X@/g; s/[0-9]+/N/g" "$W/zh.demo.$f" | sort) >"$W/diff"; then
		ok "demo $f: the same bytes in LANG=C and LANG=$ZH (masked, sorted)"
	else
		not_ok "demo $f: LANG=C and LANG=$ZH differ"
		sed 's/^/#   /' "$W/diff" | head -20
	fi
done

# ---- --expect: the violations in the text report, Nagios in English ----------
EXPECT=VRFY=off,STARTTLS=on,DELIVERY=dane
for l in C "$ZH"; do
	LANG=$l timeout 120 "$SMTPPROBE" --demo --color=never --expect "$EXPECT" \
		-o "nagios:$W/expect.$l.nagios" >"$W/expect.$l" 2>/dev/null
done
contains "$W/expect.$ZH" "策略 $EXPECT：违反" "--expect: the policy line in Chinese"
contains "$W/expect.$ZH" "  [违反] VRFY=off (mx.vrfy.demo.test): VRFY 回复 252（enumerable）；策略要求它为 off" \
	"--expect: a violation in Chinese, rule, command and code kept"
contains "$W/expect.$ZH" "  [未验证] STARTTLS=on (mx.reject.demo.test): 会话没有进行到 EHLO" \
	"--expect: an unverified rule in Chinese"
contains "$W/expect.$ZH" "  [违反] DELIVERY=dane (mx.reject.demo.test): 没有安全的 TLSA 记录（none），按机会性 TLS 处理：" \
	"--expect: the delivery rule with delivery.c's reason in Chinese"
lacks "$W/expect.$ZH" "the policy wants it" "--expect: no English violation left"
contains "$W/expect.C" "  [violated] VRFY=off (mx.vrfy.demo.test): VRFY answered 252 (enumerable); the policy wants it off" \
	"--expect in LANG=C: the violation in English"
contains "$W/expect.$ZH.nagios" "violation VRFY=off mx.vrfy.demo.test 127.0.0.17: VRFY answered 252 (enumerable); the policy wants it off" \
	"--expect: Nagios says the violation in English under LANG=$ZH"
check "--expect: the Nagios output the same in both locales (masked, sorted)" \
	cmp -s <(sed -E "s/smtpprobe-[a-z0-9]+@/X@/g; s/[0-9]+/N/g" "$W/expect.C.nagios" | sort) \
	<(sed -E "s/smtpprobe-[a-z0-9]+@/X@/g; s/[0-9]+/N/g" "$W/expect.$ZH.nagios" | sort)

# ---- stderr: what a person reads ---------------------------------------------
LANG=$ZH "$SMTPPROBE" --expect FOO=bar 127.0.0.1:1 >/dev/null 2>"$W/zh.expect-err"; status=$?
expect_status 64 "LANG=$ZH: a bad --expect"
contains "$W/zh.expect-err" 'smtpprobe: --expect: "FOO=bar"：未知规则' "a bad --expect in Chinese"
LANG=$ZH "$SMTPPROBE" --format nagios --expect FOO=bar 127.0.0.1:1 \
	>"$W/zh.expect-nagios" 2>/dev/null; status=$?
expect_status 3 "LANG=$ZH --format nagios: a bad --expect is UNKNOWN"
contains "$W/zh.expect-nagios" 'SMTPPROBE UNKNOWN - --expect: "FOO=bar": unknown rule (' \
	"--format nagios: a bad --expect stays English"
for l in C "$ZH"; do
	LANG=$l "$SMTPPROBE" --no-ptr --connect-timeout 2 --baseline "$W/none.jsonl" \
		127.0.0.1:1 >/dev/null 2>"$W/baseline-err.$l"
done
contains "$W/baseline-err.$ZH" "smtpprobe: 基线 $W/none.jsonl：" "a missing --baseline: the warning in Chinese"
contains "$W/baseline-err.$ZH" "：没有可比较的内容" "a missing --baseline: nothing to compare, in Chinese"
contains "$W/baseline-err.C" "smtpprobe: baseline $W/none.jsonl: No such file or directory: nothing to compare with" \
	"LANG=C: the --baseline warning in English"

# ---- --baseline: the Changes block in Chinese ---------------------------------
# a baseline made from the demo, with one VRFY status and one MX name changed
LANG=C timeout 120 "$SMTPPROBE" --demo --format jsonl 2>/dev/null |
	sed 's/"status":"not_implemented"/"status":"supported"/; s/mx\.greylist\.demo\.test/mx.old.demo.test/g' \
	>"$W/demo-base.jsonl"
LANG=$ZH timeout 120 "$SMTPPROBE" --demo --color=never --baseline "$W/demo-base.jsonl" \
	>"$W/zh.changes" 2>/dev/null
contains "$W/zh.changes" "  [改进] command VRFY (mx.postfix.demo.test 127.0.0.11): supported -> not_implemented" \
	"--baseline: a change in Chinese, its kind, command and statuses as JSON says them"
contains "$W/zh.changes" "  [信息] mx：新增 mx.greylist.demo.test" "--baseline: an added MX in Chinese"
contains "$W/zh.changes" "  [信息] mx：移除 mx.old.demo.test" "--baseline: a removed MX in Chinese"
lacks "$W/zh.changes" "Changes since" "--baseline: no English heading left"

# ---- machine output: the same in both locales --------------------------------
SCN=$top_srcdir/tests/scenarios/postfix-like.scn
probe_in() {	# LOCALE NAME: one probe of $SCN, text on stdout, three files
	rm -f "$W/port"
	"$FAKESMTPD" -a 127.0.0.1 --port-file "$W/port" "$SCN" \
		>/dev/null 2>"$W/srv.err" &
	SRV=$!
	for _ in $(seq 1 100); do [ -s "$W/port" ] && break; sleep 0.05; done
	LANG=$1 timeout 60 "$SMTPPROBE" --helo probe.invalid --no-ptr \
		--connect-timeout 2 --timeout 2 --deadline 20 --color=never \
		-o "jsonl:$W/$2.json" -o "nagios:$W/$2.nagios" \
		-o "prometheus:$W/$2.prom" "127.0.0.1:$(head -n 1 "$W/port")" \
		>"$W/$2.text" 2>"$W/$2.err"
	status=$?
	kill -TERM "$SRV" 2>/dev/null; wait "$SRV"; SRV=
}
probe_in C c
expect_status 0 "LANG=C probe of postfix-like"
probe_in "$ZH" zh
expect_status 0 "LANG=$ZH probe of postfix-like"
for l in c zh; do
	if "$PYTHON" "$top_srcdir/tests/jsoncmp.py" "$W/$l.json" \
	    "${SCN%.scn}.json" >"$W/diff"; then
		ok "$l: the JSON matches the golden file"
	else
		not_ok "$l: the JSON differs from the golden file"
		sed 's/^/#   /' "$W/diff" | head -20
	fi
done
for f in json nagios prom; do
	check "$f: both files non-empty" [ -s "$W/c.$f" ] && [ -s "$W/zh.$f" ]
	if diff <(sed -E "s/[0-9]+/N/g" "$W/c.$f") <(sed -E "s/[0-9]+/N/g" "$W/zh.$f") >"$W/diff"; then
		ok "$f: the same bytes in LANG=C and LANG=$ZH (digits masked)"
	else
		not_ok "$f: LANG=C and LANG=$ZH differ (digits masked)"
		sed 's/^/#   /' "$W/diff" | head -20
	fi
done

# a protocol error: probe.c's message with the reply parser's reason, both
# in Chinese in the text, the same English in JSON and Nagios
SCN=$top_srcdir/tests/scenarios/code-699.scn
probe_in C c699
probe_in "$ZH" zh699
contains "$W/c699.text" "protocol error in ehlo: reply code 699 out of range" \
	"LANG=C: a protocol error in English"
contains "$W/zh699.text" "协议错误（阶段：EHLO）：回复码 699 超出范围" \
	"LANG=$ZH: a protocol error, its state and the parser's reason in Chinese"
lacks "$W/zh699.text" "protocol error" "LANG=$ZH: no English protocol error left"
contains "$W/zh699.json" '"error":"protocol error in ehlo: reply code 699 out of range"' \
	"LANG=$ZH: JSON keeps the protocol error in English"
for f in json nagios prom; do
	check "protocol error: $f the same bytes in both locales (digits masked)" \
		cmp -s <(sed -E "s/[0-9]+/N/g" "$W/c699.$f") <(sed -E "s/[0-9]+/N/g" "$W/zh699.$f")
done

# an error from the C library (strerror) stays English in JSON too
for l in C "$ZH"; do
	LANG=$l "$SMTPPROBE" --format jsonl --no-ptr --connect-timeout 2 \
		127.0.0.1:1 >"$W/refused.$l" 2>/dev/null
done
contains "$W/refused.$ZH" '"Connection refused"' "LANG=$ZH: strerror text in JSON stays English"
check "a refused connection: JSON the same in both locales (digits masked)" \
	cmp -s <(sed -E "s/[0-9]+/N/g" "$W/refused.C") <(sed -E "s/[0-9]+/N/g" "$W/refused.$ZH")
finish
