#!/bin/sh
# SPDX-License-Identifier: ISC
#
# schema.sh - contrib/schema.json (JSON Schema 2020-12) against what
# smtpprobe writes: the golden files of the report, scenario and hostile tests,
# and real --demo runs in json, jsonl, with --expect, with -v and with
# every probe command.  Broken documents must fail, so the schema is
# known to be strict where it claims to be.  Needs python3-jsonschema.
[ -z "${BASH_VERSION:-}" ] && exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

SCHEMA=$top_srcdir/contrib/schema.json
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# validate.py SCHEMA (MODE FILE LABEL)...: one "PASS label" or "FAIL
# label" line a check, details as "#   " lines.  Modes:
#   schema   FILE is the schema itself: a valid 2020-12 schema
#   golden   a golden file: placeholders put back, then validated
#   json     a --format json output: the run document (kind "run")
#   jsonl    a --format jsonl output: one object a line
#   broken   FILE's run document and its first target, broken in several
#            ways: each must fail
cat >"$W/validate.py" <<'EOF'
import copy
import json
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    print("FAIL python3-jsonschema is importable")
    print("#   /usr/bin/python3 cannot import jsonschema "
          "(apt-get install python3-jsonschema)")
    sys.exit(0)

# tests/jsoncmp.py replaces volatile values by placeholders; put back
# values of the right type and shape so the golden can be validated
NUMBERS = {"duration_ms": 7, "ms": 3, "port": 2525, "handshake_ms": 9,
           "days_left": 30}
STRINGS = {"started": "2026-11-29T08:30:00.123Z",
           "not_before": "2026-09-30T08:30:00Z",
           "not_after": "2026-12-29T08:30:00Z",
           "sha256": "e5c3a18f6d4b2907" * 4,
           "spki_sha256": "f6d4b2907e5c3a18" * 4,
           "pem": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}


def unplaceholder(node):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if v == "<number>" and k in NUMBERS:
                out[k] = NUMBERS[k]
            elif v == "<string>" and k in STRINGS:
                out[k] = STRINGS[k]
            else:
                out[k] = unplaceholder(v)
        return out
    if isinstance(node, list):
        return [unplaceholder(v) for v in node]
    return node


def errors(validator, doc):
    out = []
    for e in validator.iter_errors(doc):
        # "not valid under any of the given schemas": say why instead
        while e.context:
            e = jsonschema.exceptions.best_match(e.context)
        out.append("%s at /%s: %s" % (
            doc.get("target") if isinstance(doc, dict) else "?",
            "/".join(str(p) for p in e.absolute_path), e.message[:300]))
    return out


def report(ok, label, details=()):
    print(("PASS " if ok else "FAIL ") + label)
    for d in ([] if ok else list(details)[:10]):
        print("#   " + d.replace("\n", "\\n"))


def load_docs(mode, path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if mode == "jsonl":
        return [json.loads(l) for l in text.split("\n") if l.strip()]
    doc = json.loads(text)
    if mode == "golden":
        doc = unplaceholder(doc)
    return doc if isinstance(doc, list) else [doc]


# the ways a document is broken; each must be refused
def breakages(doc):
    host = lambda d: d["hosts"][0]
    def cmd(d):
        for c in host(d)["commands"].values():
            if c["status"] != "not_tried":
                return c
        raise LookupError("no command was tried")

    def status_maybe(d): cmd(d)["status"] = "maybe"
    def renamed_field(d): host(d)["duration"] = host(d).pop("duration_ms")
    def missing_policy(d): del d["policy"]
    def unknown_flag(d): host(d)["flags"] = ["bare_lf", "sideways"]
    def bad_severity(d): d["findings"] = [{"severity": "critical",
        "id": "x", "host": None, "address": None, "message": "m"}]
    def failure_none(d): host(d)["failure"] = {"class": "none",
        "state": "banner"}
    def wrong_schema(d): d["schema"] = "smtpprobe/1"
    def string_code(d): cmd(d)["code"] = "250"
    def extra_tls_key(d): host(d)["tls"]["sni"] = None
    def address_with_dns(d): d["kind"] = "address"
    def reason_on_success(d):
        c = cmd(d); c["status"] = "supported"; c["reason"] = "why"
    def unknown_verb(d): host(d)["commands"]["DATA"] = {
        "status": "not_tried", "reason": "never"}
    def bad_started(d): d["started"] = "yesterday"
    def interrupted_false(d): d["interrupted"] = False
    def preferences_number(d): host(d)["preferences"] = 10
    def mx_names_missing(d): del host(d)["mx_names"]
    def dropped_without_host(d): d["dns"]["mx_dropped"] = [{"preference": 90}]
    return [status_maybe, renamed_field, missing_policy, unknown_flag,
            bad_severity, failure_none, wrong_schema, string_code,
            extra_tls_key, address_with_dns, reason_on_success,
            unknown_verb, bad_started, interrupted_false,
            preferences_number, mx_names_missing, dropped_without_host]


# the run document (--format json) broken; each must be refused
def run_breakages():
    def counts_missing(d): del d["counts"]
    def targets_object(d): d["targets"] = d["targets"][0]
    def kind_target(d): d["kind"] = "domain"
    def count_negative(d): d["counts"]["ok"] = -1
    def old_array_shape(d): d.clear(); d["x"] = []
    return [counts_missing, targets_object, kind_target, count_negative,
            old_array_shape]


def main(argv):
    with open(argv[0], encoding="utf-8") as f:
        schema = json.load(f)
    validator = Draft202012Validator(schema)
    jobs = argv[1:]
    for i in range(0, len(jobs), 3):
        mode, path, label = jobs[i:i + 3]
        if mode == "schema":
            try:
                Draft202012Validator.check_schema(schema)
                cls = jsonschema.validators.validator_for(schema)
                report(cls is Draft202012Validator, label,
                       ["validator_for() picks %s" % cls.__name__])
            except jsonschema.exceptions.SchemaError as e:
                report(False, label, [str(e).split("\n")[0]])
            continue
        try:
            docs = load_docs("json" if mode == "broken" else mode, path)
        except (OSError, ValueError) as e:
            report(False, label, ["cannot read %s: %s" % (path, e)])
            continue
        if not docs:
            report(False, label, ["%s holds no report" % path])
            continue
        if mode == "broken":
            run = docs[0]
            if not isinstance(run, dict) or run.get("kind") != "run":
                report(False, label, ["%s is not a run document" % path])
                continue
            for brk in run_breakages():
                d = copy.deepcopy(run)
                brk(d)
                report(bool(errors(validator, d)), "%s: run %s is refused" %
                       (label, brk.__name__.replace("_", " ")),
                       ["the broken document validates"])
            base = run["targets"][0]
            if errors(validator, base):
                report(False, label + ": the unbroken document validates",
                       errors(validator, base))
            for brk in breakages(base):
                d = copy.deepcopy(base)
                name = brk.__name__.replace("_", " ")
                try:
                    brk(d)
                except (LookupError, IndexError, KeyError) as e:
                    report(False, "%s: %s" % (label, name),
                           ["cannot break the document: %r" % e])
                    continue
                report(bool(errors(validator, d)),
                       "%s: %s is refused" % (label, name),
                       ["the broken document validates"])
            continue
        errs = []
        for d in docs:
            errs += errors(validator, d)
        report(not errs, "%s (%d object%s)" % (label, len(docs),
               "" if len(docs) == 1 else "s"), errs)


main(sys.argv[1:])
EOF

# run the validator and turn its verdicts into TAP lines
validate() {
	local line
	while IFS= read -r line; do
		case $line in
		"PASS "*) ok "${line#PASS }" ;;
		"FAIL "*) not_ok "${line#FAIL }" ;;
		*) echo "$line" ;;
		esac
	done < <("$PYTHON" "$W/validate.py" "$SCHEMA" "$@" 2>&1)
}

check "contrib/schema.json exists" [ -f "$SCHEMA" ]
check "contrib/schema.json is JSON" "$PYTHON" -c \
	'import json, sys; json.load(open(sys.argv[1]))' "$SCHEMA"

jobs=(schema "$SCHEMA" "contrib/schema.json is a valid draft 2020-12 schema")
ngolden=0
for f in "$top_srcdir"/tests/golden/*.json "$top_srcdir"/tests/scenarios/*.json \
    "$top_srcdir"/tests/hostile/*.json; do
	[ -f "$f" ] || continue
	ngolden=$((ngolden + 1))
	jobs+=(golden "$f" "golden ${f#"$top_srcdir"/tests/}")
done
check "golden files found ($ngolden)" [ "$ngolden" -gt 0 ]

# real output of the offline lab
sp() { "$SMTPPROBE" -q "$@" 2>"$W/err"; }
sp --demo --format json >"$W/demo.json"
check "--demo --format json runs (exit $?)" [ -s "$W/demo.json" ]
jobs+=(json "$W/demo.json" "--demo --format json")

sp --demo --format jsonl >"$W/demo.jsonl"
check "--demo --format jsonl runs" [ -s "$W/demo.jsonl" ]
jobs+=(jsonl "$W/demo.jsonl" "--demo --format jsonl, each line")

sp --demo --format json --expect VRFY=off >"$W/expect.json"
check "--expect VRFY=off output has a policy" grep -q '"spec": "VRFY=off"' "$W/expect.json"
jobs+=(json "$W/expect.json" "--demo --format json --expect VRFY=off")

sp --demo --format json \
	--expect 'VRFY=off,EXPN=off,TURN=off,STARTTLS=on,TLS>=1.2,CERT=valid' \
	>"$W/violations.json"
check "a strict policy is violated somewhere" grep -q '"rule":' "$W/violations.json"
jobs+=(json "$W/violations.json" "--demo --format json --expect (violations)")

sp --demo --format json -v >"$W/transcript.json"
check "-v output has a transcript" grep -q '"transcript":' "$W/transcript.json"
jobs+=(json "$W/transcript.json" "--demo --format json -v")

sp --demo --format json -c VRFY,EXPN,TURN,ETRN,ATRN,HELP,NOOP >"$W/allcmds.json"
jobs+=(json "$W/allcmds.json" "--demo --format json -c (every command)")

jobs+=(broken "$W/demo.json" "broken document")

validate "${jobs[@]}"
finish
