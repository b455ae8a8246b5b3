#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Assertions on smtpprobe's JSON output, for tests/live/e2e.sh.

usage: check_json.py [--jsonl] [--name PREFIX] [--target NAME | --doc]
                     [--schema FILE] OUTPUT_FILE < SPECS

OUTPUT_FILE holds smtpprobe's stdout.  By default it must be one JSON
document: an object (one target) or an array of objects (several targets);
both are normalised to a list.  With --jsonl every non-empty line must be
one JSON object.

The root of every path is the object whose "target" equals NAME (--target),
or the normalised list itself (--doc).  SPECS has one assertion a line
(blank lines and lines starting with '#' are ignored):

    PATH OP [VALUE]

PATH   dotted keys with subscripts: dns.mx[0].host, hosts[*].address,
       hosts[address=127.0.0.9].connect.ok (first element whose field has
       that value), findings[*].id; "." is the root; a|b|c takes the first
       alternative that exists and is not empty.
OP     ==, != VALUE      strict JSON equality (true is not 1)
       contains VALUE    substring of a string, element of an array, key of
                         an object; !contains is its negation (PATH must exist)
       startswith VALUE  a string that begins with the string VALUE
       sameset VALUE     an array with the same elements as VALUE, in any order
       len N             array/object/string length
       >=, <= N          numbers
       nonempty          exists and is not null, "", [] or {}
       empty             absent, null, "", [] or {}
       falsy             absent, null, false, 0 or ""
       truthy            present and not null, false, 0, "", [] or {}
       exists            present (any value, null included)
       is TYPE           object, array, string, number, integer, bool, null
VALUE  a JSON literal: 10, "mx-postfix.e2e.test", true, ["10240000"]

Output, one line per assertion (e2e.sh numbers them):
    ok - PREFIX: SPEC
    not ok - PREFIX: SPEC
    #   got: ...
Exit status: 0 all passed, 1 some failed, 2 usage error.  Standard library
only (json); --schema additionally needs python3-jsonschema.
"""
import json
import re
import sys

MISSING = object()


class SpecError(Exception):
    pass


def strict_eq(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_eq(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strict_eq(a[k], b[k]) for k in a)
    return a == b


TOKEN = re.compile(r"\.?([^.\[\]]+)|\[([^\]]*)\]")


def split_path(path):
    """'dns.mx[0].host' -> [('key','dns'), ('key','mx'), ('idx',0), ('key','host')];
    a selector may contain dots: hosts[address=127.0.0.9].connect.ok"""
    if path in (".", ""):
        return []
    steps = []
    pos = 1 if path.startswith(".") and path[1:2] == "[" else 0
    while pos < len(path):
        m = TOKEN.match(path, pos)
        if not m or m.end() == pos:
            raise SpecError("bad path %r at offset %d" % (path, pos))
        pos = m.end()
        key, sub = m.group(1), m.group(2)
        if key is not None:
            steps.append(("key", key))
        elif sub == "*":
            steps.append(("all", None))
        elif re.fullmatch(r"-?\d+", sub):
            steps.append(("idx", int(sub)))
        elif "=" in sub:
            k, _, v = sub.partition("=")
            steps.append(("sel", (k, v)))
        else:
            raise SpecError("bad subscript [%s]" % sub)
    return steps


def scalar_text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return str(v)


def walk(value, steps):
    for i, (kind, arg) in enumerate(steps):
        if value is MISSING:
            return MISSING
        if kind == "key":
            value = value.get(arg, MISSING) if isinstance(value, dict) else MISSING
        elif kind == "idx":
            if isinstance(value, list) and -len(value) <= arg < len(value):
                value = value[arg]
            else:
                value = MISSING
        elif kind == "sel":
            k, v = arg
            found = MISSING
            if isinstance(value, list):
                for el in value:
                    if isinstance(el, dict) and k in el and scalar_text(el[k]) == v:
                        found = el
                        break
            value = found
        elif kind == "all":
            if not isinstance(value, list):
                return MISSING
            out = []
            for el in value:
                r = walk(el, steps[i + 1:])
                if r is not MISSING:
                    out.append(r)
            return out
    return value


def is_empty(v):
    return v is MISSING or v is None or (isinstance(v, (str, list, dict)) and len(v) == 0)


def resolve(root, path):
    alts = path.split("|")
    value = MISSING
    for alt in alts:
        value = walk(root, split_path(alt))
        if not is_empty(value):
            return value
    return value


def show(v):
    if v is MISSING:
        return "(absent)"
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 400 else s[:400] + "..."


TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def check(root, spec):
    """Return (passed, detail)."""
    parts = spec.split(None, 2)
    if len(parts) < 2:
        raise SpecError("want PATH OP [VALUE]")
    path, op = parts[0], parts[1]
    arg = parts[2] if len(parts) > 2 else None
    v = resolve(root, path)
    want = None
    if op in ("==", "!=", "contains", "!contains", "startswith", "sameset", "len",
              ">=", "<="):
        if arg is None:
            raise SpecError("%s needs a value" % op)
        try:
            want = json.loads(arg)
        except ValueError:
            raise SpecError("value is not a JSON literal: %s" % arg)
    elif op == "is":
        if arg not in TYPES:
            raise SpecError("unknown type %r" % arg)
    elif arg is not None:
        raise SpecError("%s takes no value" % op)

    if op == "==":
        ok = v is not MISSING and strict_eq(v, want)
    elif op == "!=":
        ok = v is not MISSING and not strict_eq(v, want)
    elif op in ("contains", "!contains"):
        if isinstance(v, str):
            ok = isinstance(want, str) and want in v
        elif isinstance(v, list):
            ok = any(strict_eq(x, want) for x in v)
        elif isinstance(v, dict):
            ok = isinstance(want, str) and want in v
        else:
            return False, "got: %s (not a string, array or object)" % show(v)
        if op == "!contains":
            ok = not ok
    elif op == "startswith":
        ok = isinstance(v, str) and isinstance(want, str) and v.startswith(want)
    elif op == "sameset":
        ok = isinstance(v, list) and isinstance(want, list) and \
            sorted(json.dumps(x, sort_keys=True) for x in v) == \
            sorted(json.dumps(x, sort_keys=True) for x in want)
    elif op == "len":
        ok = isinstance(v, (list, dict, str)) and len(v) == want
    elif op in (">=", "<="):
        ok = TYPES["number"](v) and (v >= want if op == ">=" else v <= want)
    elif op == "nonempty":
        ok = not is_empty(v)
    elif op == "empty":
        ok = is_empty(v)
    elif op == "falsy":
        ok = v is MISSING or v in (None, False, "") or (TYPES["number"](v) and v == 0)
    elif op == "truthy":
        ok = not is_empty(v) and v is not False and not (TYPES["number"](v) and v == 0)
    elif op == "exists":
        ok = v is not MISSING
    elif op == "is":
        ok = v is not MISSING and TYPES[arg](v)
    else:
        raise SpecError("unknown operator %r" % op)
    return ok, "got: %s" % show(v)


def load(path, jsonl):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError("output is not UTF-8: %s" % e)
    if jsonl:
        docs = []
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except ValueError as e:
                raise ValueError("line %d is not JSON: %s: %s" % (n, e, line[:200]))
            if not isinstance(d, dict):
                raise ValueError("line %d is not a JSON object" % n)
            docs.append(d)
        return docs
    try:
        d = json.loads(text)
    except ValueError as e:
        raise ValueError("output is not one JSON document: %s; starts with: %s"
                         % (e, text[:300]))
    if isinstance(d, dict) and d.get("kind") == "run":
        # --format json: the run document; its targets are the objects
        return d.get("targets", [])
    if isinstance(d, dict):
        return [d]
    if isinstance(d, list) and all(isinstance(x, dict) for x in d):
        return d
    raise ValueError("output is neither an object nor an array of objects")


def main(argv):
    args = argv[1:]
    jsonl = False
    name = None
    target = None
    doc = False
    schema = None
    while args and args[0].startswith("--"):
        a = args.pop(0)
        if a == "--jsonl":
            jsonl = True
        elif a == "--doc":
            doc = True
        elif a in ("--name", "--target", "--schema") and args:
            val = args.pop(0)
            if a == "--name":
                name = val
            elif a == "--target":
                target = val
            else:
                schema = val
        else:
            sys.stderr.write(__doc__)
            return 2
    if len(args) != 1 or (target is None) == (not doc):
        sys.stderr.write(__doc__)
        return 2
    prefix = (name or target or "output") + ": "

    specs = [l.strip() for l in sys.stdin.read().split("\n")]
    specs = [s for s in specs if s and not s.startswith("#")]

    failed = 0

    def report(ok, desc, detail=None):
        nonlocal failed
        print("%s - %s%s" % ("ok" if ok else "not ok", prefix, desc))
        if not ok:
            failed += 1
            if detail:
                for line in str(detail).rstrip("\n").split("\n"):
                    print("#   " + line)

    try:
        docs = load(args[0], jsonl)
    except (OSError, ValueError) as e:
        report(False, "output is valid %s (%d assertions not evaluated)"
               % ("JSON Lines" if jsonl else "JSON", len(specs)), str(e).strip())
        return 1

    if doc:
        root = docs
    else:
        matches = [d for d in docs if d.get("target") == target]
        if not matches:
            targets = [d.get("target") for d in docs]
            report(False, "output has an object for target %s (%d assertions not evaluated)"
                   % (target, len(specs)),
                   "targets in the output: %s" % show(targets))
            return 1
        root = matches[0]

    if schema:
        try:
            import jsonschema
            with open(schema) as f:
                sch = json.load(f)
            cls = jsonschema.validators.validator_for(sch)
            cls.check_schema(sch)
            validator = cls(sch)
            errs = []
            for d in docs:
                for e in validator.iter_errors(d):
                    errs.append("%s at /%s: %s" % (
                        d.get("target"), "/".join(str(p) for p in e.absolute_path),
                        e.message))
            report(not errs, "validates against %s" % schema, "\n".join(errs[:10]))
        except ImportError:
            report(False, "validates against %s" % schema,
                   "python3-jsonschema is not installed (apt-get install python3-jsonschema)")
        except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
            report(False, "validates against %s" % schema, str(e))

    for s in specs:
        try:
            ok, detail = check(root, s)
        except SpecError as e:
            ok, detail = False, "bad assertion: %s" % e
        report(ok, s, detail)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
