#!/bin/sh
# SPDX-License-Identifier: ISC
#
# contrib.sh - the files in contrib/ still fit the program: the bash and
# zsh completions, the systemd units (systemd-analyze verify, and the
# service's script run for real), the Kubernetes Job (its YAML, and its
# script run for every index), the Icinga 2 and Nagios definitions, and
# that every option they use is still in "smtpprobe --help".
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

C=$top_srcdir/contrib
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

"$SMTPPROBE" --help >"$W/help" 2>&1
check "smtpprobe --help runs" [ -s "$W/help" ]

# ---- bash completion ----------------------------------------------------
BC=$C/completion/smtpprobe.bash

# complete WORD...: the candidates for the last word, one a line
complete_bash() {
	bash --norc --noprofile -c '
		source "$1" || exit 1
		shift
		COMP_WORDS=(smtpprobe "$@")
		COMP_CWORD=$#
		COMP_LINE="smtpprobe $*"
		COMP_POINT=${#COMP_LINE}
		_smtpprobe
		printf "%s\n" "${COMPREPLY[@]}"' complete_bash "$BC" "$@" 2>"$W/bash.err"
}

bash --norc --noprofile -c 'source "$1" && declare -F _smtpprobe >/dev/null &&
	complete -p smtpprobe' loadtest "$BC" >"$W/out" 2>"$W/err"
status=$?
check "bash completion loads in bash --norc (exit $status)" [ "$status" -eq 0 ]
check "bash completion loads without messages" [ ! -s "$W/err" ]
contains "$W/out" "-F _smtpprobe smtpprobe" "bash completion is registered for smtpprobe"

complete_bash --for >"$W/out"
check "smtpprobe --for<TAB> gives --format" [ "$(cat "$W/out")" = "--format" ]
check "completing gives no messages" [ ! -s "$W/bash.err" ]

complete_bash --format "" | sort >"$W/out"
printf '%s\n' json jsonl nagios prometheus text >"$W/want"
check "smtpprobe --format <TAB> gives the 5 formats" cmp -s "$W/out" "$W/want"

complete_bash --format = "" | sort >"$W/out"
check "smtpprobe --format=<TAB> gives the 5 formats" cmp -s "$W/out" "$W/want"

complete_bash --format js | sort >"$W/out"
check "smtpprobe --format js<TAB> gives json, jsonl" \
	[ "$(tr '\n' ' ' <"$W/out")" = "json jsonl " ]

complete_bash --color = "" | sort >"$W/out"
check "smtpprobe --color=<TAB> gives auto, always, never" \
	[ "$(tr '\n' ' ' <"$W/out")" = "always auto never " ]

mkdir "$W/files" && : >"$W/files/targets.txt" && : >"$W/files/ca.pem"
for opt in -f --cafile --policy; do
	complete_bash "$opt" "$W/files/t" >"$W/out"
	check "smtpprobe $opt <TAB> completes file names" \
		[ "$(cat "$W/out")" = "$W/files/targets.txt" ]
done

complete_bash ex >"$W/out"
contains "$W/out" "explain" "smtpprobe ex<TAB> offers the explain subcommand"
complete_bash explain 55 >"$W/out"
contains "$W/out" "550" "smtpprobe explain 55<TAB> offers reply codes"

complete_bash -c VRFY,E >"$W/out"
contains "$W/out" "VRFY,EXPN" "smtpprobe -c VRFY,E<TAB> completes the list"

# the values the completions offer are accepted by the program
rules=$(bash --norc -c 'source "$1"; echo $_smtpprobe_rules' x "$BC" | tr ' ' ,)
verbs=$(bash --norc -c 'source "$1"; echo $_smtpprobe_verbs' x "$BC" | tr ' ' ,)
"$SMTPPROBE" -q --demo --format json -c "$verbs" >/dev/null 2>"$W/err"
status=$?
check "the --commands verbs offered are accepted (exit $status)" [ "$status" -ne 64 ] ||
	sed 's/^/#   /' "$W/err"
# rules for ETRN and ATRN need those commands tried
"$SMTPPROBE" -q --demo --format json -c "$verbs" --expect "$rules" >/dev/null 2>"$W/err"
status=$?
check "the --expect rules offered are accepted (exit $status)" [ "$status" -ne 64 ] ||
	sed 's/^/#   /' "$W/err"
fmts=0
while IFS= read -r f; do
	"$SMTPPROBE" -q --demo --format "$f" >/dev/null 2>&1
	[ $? -ne 64 ] && fmts=$((fmts + 1))
done <"$W/want"
check "the formats offered are accepted ($fmts of 5)" [ "$fmts" -eq 5 ]

# ---- zsh completion -----------------------------------------------------
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$C/completion/_smtpprobe" 2>"$W/err"
	status=$?
	check "zsh completion parses (zsh -n, exit $status)" [ "$status" -eq 0 ]
	contains "$C/completion/_smtpprobe" "#compdef smtpprobe" "zsh completion starts with #compdef"
else
	echo "# zsh is not installed: skipping 'zsh -n' of contrib/completion/_smtpprobe (apt-get install zsh)"
	contains "$C/completion/_smtpprobe" "#compdef smtpprobe" "zsh completion starts with #compdef"
fi

# ---- systemd ------------------------------------------------------------
S=$C/systemd
for want in DynamicUser=yes ProtectSystem=strict StateDirectory=smtpprobe \
    NoNewPrivileges=yes Type=oneshot /var/lib/smtpprobe/last.jsonl \
    /var/lib/node_exporter/textfile_collector \
    'ExecStartPre=/usr/local/bin/smtpprobe' '-o jsonl:' \
    '-o prometheus:'; do
	contains "$S/smtpprobe.service" "$want" "smtpprobe.service has $want"
done
contains "$S/smtpprobe.timer" "OnCalendar=hourly" "smtpprobe.timer runs hourly"
contains "$S/smtpprobe.timer" "WantedBy=timers.target" "smtpprobe.timer installs into timers.target"

mkdir "$W/units"
for u in smtpprobe.service smtpprobe.timer; do
	sed "s#/usr/local/bin/smtpprobe#$SMTPPROBE#g" "$S/$u" >"$W/units/$u"
done
if command -v systemd-analyze >/dev/null 2>&1; then
	(cd "$W/units" && systemd-analyze verify --man=no ./smtpprobe.service \
		./smtpprobe.timer) >"$W/out" 2>&1
	status=$?
	check "systemd-analyze verify passes (exit $status)" [ "$status" -eq 0 ] ||
		sed 's/^/#   /' "$W/out"
else
	echo "# systemd-analyze is not installed: skipping 'systemd-analyze verify'"
fi

# the service's ExecStart, split as systemd does, run with the paths of a
# scratch directory: both files appear, complete, and nothing else
"$PYTHON" - "$W/units/smtpprobe.service" >"$W/argv" <<'EOF'
import re, shlex, sys
text = re.sub(r"\\\n", " ", open(sys.argv[1]).read())
for line in text.split("\n"):
    if line.startswith("ExecStart="):
        args = shlex.split(line[len("ExecStart="):].lstrip("-@:+!"))
        sys.stdout.write("\0".join(a.replace("$$", "$") for a in args))
EOF
mapfile -d '' -t argv <"$W/argv"
check "the service's ExecStart is /bin/sh -c SCRIPT" \
	[ "${#argv[@]}" -eq 3 ] && [ "${argv[0]}" = /bin/sh ]
mkdir "$W/state" "$W/textfile"
printf '127.0.0.1:1\n127.0.0.1:2\n' >"$W/targets"
sopts="--connect-timeout 2s --no-ptr --no-dane"
env STATE_DIRECTORY="$W/state" SMTPPROBE_TARGETS="$W/targets" \
	SMTPPROBE_TEXTFILE_DIR="$W/textfile" SMTPPROBE_OPTS="$sopts" \
	"${argv[@]}" >"$W/out" 2>"$W/err"
status=$?
check "the service's script succeeds on unreachable targets (exit $status)" [ "$status" -eq 0 ]
check "it writes last.jsonl, one line a target" \
	[ "$(wc -l <"$W/state/last.jsonl" 2>/dev/null)" = 2 ]
check "last.jsonl is JSON Lines of smtpprobe/2" "$PYTHON" -c '
import json, sys
for l in open(sys.argv[1]):
    assert json.loads(l)["schema"] == "smtpprobe/2"' "$W/state/last.jsonl"
contains "$W/textfile/smtpprobe.prom" "smtpprobe_up{" "it writes smtpprobe.prom"
left=$(cd "$W" && echo state/.[!.]* state/* textfile/.[!.]* textfile/*)
check "no temporary file is left" \
	[ "$left" = "state/.[!.]* state/last.jsonl state/status.txt textfile/.[!.]* textfile/smtpprobe.prom" ] ||
	echo "#   files: $left"
check "the journal gets the status line" grep -q '^SMTPPROBE CRITICAL - ' "$W/out"
check "the first run has no baseline" [ "$(grep -c '"changes"' "$W/state/last.jsonl")" = 0 ]
# the next run compares with last.jsonl: pretend 127.0.0.1:1 answered last time
"$PYTHON" - "$W/state/last.jsonl" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
for r in recs:
    if r["target"] == "127.0.0.1:1":
        r["hosts"][0]["connect"].update(ok=True, error=None)
open(sys.argv[1], "w").write("".join(json.dumps(r) + "\n" for r in recs))
EOF
env STATE_DIRECTORY="$W/state" SMTPPROBE_TARGETS="$W/targets" \
	SMTPPROBE_TEXTFILE_DIR="$W/textfile" SMTPPROBE_OPTS="$sopts" \
	"${argv[@]}" >"$W/out" 2>"$W/err"
status=$?
check "the next run succeeds (exit $status)" [ "$status" -eq 0 ]
contains "$W/out" "change regression 127.0.0.1:1: reachable (127.0.0.1): reachable -> unreachable" \
	"the next run has the last one as its baseline: the change is in the journal"
check "and in last.jsonl" [ "$(grep -c '"changes":\[' "$W/state/last.jsonl")" = 2 ]
contains "$W/textfile/smtpprobe.prom" 'smtpprobe_changes{target="127.0.0.1:1",kind="reachable"} 1' \
	"and in the metrics"
env STATE_DIRECTORY="$W/state" SMTPPROBE_TARGETS="$W/targets" \
	SMTPPROBE_TEXTFILE_DIR="$W/no-such-dir" SMTPPROBE_OPTS="$sopts" \
	"${argv[@]}" >"$W/out" 2>"$W/err"
status=$?
check "without the textfile directory it still succeeds (exit $status)" [ "$status" -eq 0 ]
contains "$W/err" "no metrics written" "and says so"

# ---- Kubernetes ---------------------------------------------------------
K=$C/kubernetes/smtpprobe-job.yaml
"$PYTHON" - "$K" "$W" >"$W/k8s" 2>&1 <<'EOF'
import sys
try:
    import yaml
except ImportError:
    print("FAIL python3-yaml is importable")
    print("#   apt-get install python3-yaml")
    sys.exit(0)
def report(ok, label, detail=""):
    print(("PASS " if ok else "FAIL ") + label)
    if not ok and detail:
        print("#   " + detail)
try:
    docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
except yaml.YAMLError as e:
    report(False, "the Kubernetes manifest is valid YAML", str(e).replace("\n", " "))
    sys.exit(0)
report(True, "the Kubernetes manifest is valid YAML (%d documents)" % len(docs))
jobs = [d for d in docs if d.get("kind") == "Job"]
report(len(jobs) == 1 and jobs[0].get("apiVersion") == "batch/v1",
       "it has one batch/v1 Job")
if not jobs:
    sys.exit(0)
spec = jobs[0].get("spec", {})
report(spec.get("completionMode") == "Indexed", "the Job is Indexed")
pod = spec.get("template", {}).get("spec", {})
report(pod.get("restartPolicy") in ("Never", "OnFailure"),
       "the pod template has a restartPolicy for a Job")
ctrs = pod.get("containers", [])
report(len(ctrs) == 1, "one container")
c = ctrs[0] if ctrs else {}
cmd = c.get("command", []) + c.get("args", [])
text = " ".join(cmd)
report("--shard" in text, "its command has --shard")
report("JOB_COMPLETION_INDEX" in text and "smtpprobe" in text,
       "the shard index comes from JOB_COMPLETION_INDEX")
env = {e["name"]: e for e in c.get("env", [])}
shards = env.get("SHARDS", {}).get("value")
report(shards is not None and str(spec.get("completions")) == shards,
       "SHARDS equals spec.completions",
       "SHARDS=%r completions=%r" % (shards, spec.get("completions")))
mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
vols = {v["name"]: v for v in pod.get("volumes", [])}
report("/results" in mounts and mounts["/results"] in vols and
       "/results/" in text, "results go to a volume mounted at /results")
report("/config" in mounts and mounts["/config"] in vols,
       "targets come from a volume mounted at /config")
# the script, for tests/contrib.sh to run
if len(cmd) == 3 and cmd[:2] == ["/bin/sh", "-c"]:
    open(sys.argv[2] + "/job.sh", "w").write(cmd[2])
    open(sys.argv[2] + "/job.shards", "w").write(str(shards))
EOF
while IFS= read -r line; do
	case $line in
	"PASS "*) ok "${line#PASS }" ;;
	"FAIL "*) not_ok "${line#FAIL }" ;;
	*) echo "$line" ;;
	esac
done <"$W/k8s"

# every index of the Job, run here: the shards hold each target once
if [ -f "$W/job.sh" ]; then
	mkdir -p "$W/k8s-bin" "$W/config" "$W/results"
	ln -s "$SMTPPROBE" "$W/k8s-bin/smtpprobe"
	printf '127.0.0.1:%s\n' 1 2 3 4 5 6 7 8 >"$W/config/targets"
	sed -e "s#/results#$W/results#g" -e "s#/config#$W/config#g" \
		-e "s#--deadline 120s#--deadline 5s --connect-timeout 2s --no-ptr --no-dane#" \
		"$W/job.sh" >"$W/job-local.sh"
	n=$(cat "$W/job.shards")
	fails=0
	for ((i = 0; i < n; i++)); do
		env PATH="$W/k8s-bin:$PATH" JOB_COMPLETION_INDEX="$i" SHARDS="$n" \
			SMTPPROBE_EXPECT=VRFY=off sh "$W/job-local.sh" >/dev/null 2>"$W/err" ||
			fails=$((fails + 1))
	done
	check "the Job's script succeeds for each of the $n indexes" [ "$fails" -eq 0 ]
	cat "$W"/results/shard-*.jsonl 2>/dev/null |
		"$PYTHON" -c 'import json, sys; print("\n".join(sorted(json.loads(l)["target"] for l in sys.stdin)))' \
		>"$W/got"
	sort "$W/config/targets" >"$W/want"
	check "its $n shards hold every target exactly once" cmp -s "$W/got" "$W/want"
	left=$(cd "$W/results" && echo .[!.]* *.tmp)
	check "no temporary file is left in the results" [ "$left" = ".[!.]* *.tmp" ]
else
	not_ok "the Job's command is /bin/sh -c SCRIPT (nothing to run)"
fi

# ---- Icinga 2 and Nagios -----------------------------------------------
I=$C/icinga2/smtpprobe.conf
N=$C/nagios/smtpprobe.cfg
contains "$I" 'object CheckCommand "smtpprobe"' "Icinga 2: CheckCommand \"smtpprobe\""
check "Icinga 2: --format nagios is fixed" \
	grep -Eq '"--format",[[:space:]]*"nagios"' "$I"
for opt in --expect --cert-warn --cert-crit --dns-server --timeout -P; do
	contains "$I" "\"$opt\" = {" "Icinga 2: argument $opt"
done
contains "$I" "skip_key = true" "Icinga 2: the target is a positional argument"
check "Icinga 2: braces balance" [ "$(tr -cd '{' <"$I" | wc -c)" -eq "$(tr -cd '}' <"$I" | wc -c)" ]
check "Icinga 2: double quotes pair up on every line" \
	awk '{ n = gsub(/"/, "\""); if (n % 2) exit 1 }' "$I"
contains "$N" "--format nagios" "Nagios: --format nagios"
check "Nagios: two define command blocks" [ "$(grep -c '^define command {' "$N")" -eq 2 ]

# each Nagios command line, its macros filled in, run as Nagios runs it
"$PYTHON" - "$N" "$SMTPPROBE" >"$W/nagios-cmds" <<'EOF'
import re, sys
macros = {
    "check_smtpprobe": {"$HOSTADDRESS$": "127.0.0.1:1", "$ARG1$": "VRFY=off",
                        "$ARG2$": "14", "$ARG3$": "7"},
    "check_smtpprobe_domain": {"$ARG1$": "127.0.0.1:1", "$ARG2$": "VRFY=off",
                               "$ARG3$": "14", "$ARG4$": "7"},
}
text = open(sys.argv[1]).read()
for block in re.findall(r"(?ms)^define command \{(.*?)^\}", text):
    name = re.search(r"(?m)^\s*command_name\s+(\S+)", block).group(1)
    line = re.search(r"(?m)^\s*command_line\s+(.*)$", block).group(1)
    for k, v in macros.get(name, {}).items():
        line = line.replace(k, v)
    line = line.replace("/usr/local/bin/smtpprobe", sys.argv[2])
    print(name + "\t" + line)
EOF
n=0
while IFS=$'\t' read -r name cl; do
	n=$((n + 1))
	sh -c "$cl --connect-timeout 2s --no-ptr" >"$W/out" 2>&1 </dev/null
	status=$?
	check "Nagios $name runs as a plugin (exit $status, 0..3)" [ "$status" -le 3 ]
	contains "$W/out" "SMTPPROBE " "Nagios $name prints the plugin status line"
done <"$W/nagios-cmds"
check "Nagios: both commands were run ($n)" [ "$n" -eq 2 ]

# ---- every option used in contrib/ is in --help, and the completions
# ---- cover every option of --help
"$PYTHON" - "$W/help" "$C" <<'EOF' >"$W/drift"
import json, re, sys, os
helptext = open(sys.argv[1]).read()
C = sys.argv[2]
help_long = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", helptext))
help_short = set(re.findall(r"(?<![\w-])(-[A-Za-z0-9])(?![\w-])", helptext))

def read(p):
    return open(os.path.join(C, p)).read()

def strip_hash(t):
    return "\n".join(l for l in t.split("\n") if not l.lstrip().startswith("#"))

def strip_c(t):
    t = re.sub(r"/\*.*?\*/", "", t, flags=re.S)
    return re.sub(r"(?m)^\s*//.*$", "", t)

def longs(t):
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", t))

used = {}
icinga = strip_c(read("icinga2/smtpprobe.conf"))
used["icinga2/smtpprobe.conf"] = longs(icinga) | set(re.findall(r'"(-[A-Za-z0-9])"', icinga))
nagios = "\n".join(l for l in read("nagios/smtpprobe.cfg").split("\n") if "command_line" in l)
used["nagios/smtpprobe.cfg"] = longs(nagios)
unit = re.sub(r"\\\n", " ", read("systemd/smtpprobe.service"))
execs = "\n".join(l for l in unit.split("\n") if l.startswith("Exec"))
used["systemd/smtpprobe.service"] = longs(execs)
try:
    import yaml
    docs = [d for d in yaml.safe_load_all(read("kubernetes/smtpprobe-job.yaml")) if d]
    job = [d for d in docs if d.get("kind") == "Job"][0]
    c = job["spec"]["template"]["spec"]["containers"][0]
    used["kubernetes/smtpprobe-job.yaml"] = longs(" ".join(c.get("command", []) + c.get("args", [])))
except Exception as e:
    print("FAIL options of kubernetes/smtpprobe-job.yaml can be read")
    print("#   %r" % e)
bash = read("completion/smtpprobe.bash")
m1 = re.search(r"_smtpprobe_longopts='([^']*)'", bash)
m2 = re.search(r"_smtpprobe_shortopts='([^']*)'", bash)
bash_opts = set((m1.group(1) if m1 else "").split()) | set((m2.group(1) if m2 else "").split())
used["completion/smtpprobe.bash"] = bash_opts | longs(strip_hash(bash))
zsh = strip_hash(read("completion/_smtpprobe"))
specs = re.findall(r"'(?:\([^)]*\))?(-[^'\[]+)\[", zsh) + re.findall(r"\{([^}]*)\}'\[", zsh)
zsh_opts = set()
for s in specs:
    for o in s.split(","):
        o = re.sub(r"[=+:-]+$", "", o.strip())
        o = re.sub(r"=-?$", "", o)
        if re.match(r"^--?[A-Za-z0-9][\w-]*$", o):
            zsh_opts.add(o)
used["completion/_smtpprobe"] = zsh_opts

for f, opts in sorted(used.items()):
    unknown = sorted(o for o in opts if o not in help_long | help_short)
    print(("PASS " if opts and not unknown else "FAIL ") +
          "options in contrib/%s are in --help (%d)" % (f, len(opts)))
    if unknown:
        print("#   not in --help: " + " ".join(unknown))
    if not opts:
        print("#   no option found: the extraction is broken")
for f in ("completion/smtpprobe.bash", "completion/_smtpprobe"):
    missing = sorted((help_long | help_short) - used[f])
    print(("PASS " if not missing else "FAIL ") +
          "contrib/%s offers every option of --help" % f)
    if missing:
        print("#   missing: " + " ".join(missing))
EOF
while IFS= read -r line; do
	case $line in
	"PASS "*) ok "${line#PASS }" ;;
	"FAIL "*) not_ok "${line#FAIL }" ;;
	*) echo "$line" ;;
	esac
done <"$W/drift"

finish
