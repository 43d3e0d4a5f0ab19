#!/usr/bin/python3
"""Validates numa-migrate's JSON outputs against docs/schema (JSON Schema 2020-12).

  validate.py --schemas DIR PATH...

PATH is a file or a folder (searched recursively for *.json and *.jsonl).
A file's schema is named by its name up to the first dot: check.golden.json
is checked against DIR/check.schema.json; a .json file holds exactly one
document, a .jsonl file one document per line (auto --log, scan --watch).
Every schema in DIR is first checked against the 2020-12 meta-schema.

Prints one line per violation: the file (and line), the JSON pointer of the
value, the schema rule that failed and its path in the schema (inside the
definition a $ref led to: jsonschema does not keep the $ref steps); then
"schema: N documents in M files valid" or "schema: K of N documents invalid
(...)". Exit status 0 when all are valid, 1 when one is not, 2 on a usage or
set-up error. Uses Debian's python3-jsonschema (tests/deps.sh installs it).
"""
import json
import os
import pathlib
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator, RefResolver
except ImportError:
    print("schema: python3-jsonschema is missing: run tests/deps.sh as root "
          "(or apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(2)

MAX_ERRORS = 10     # per document


def pointer(path):
    """RFC 6901 JSON pointer of a path (deque of keys and indices)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path) or "/"


def no_constant(name):
    raise ValueError(f"{name} is not JSON")


def load_schemas(folder):
    store, schemas = {}, {}
    for f in sorted(pathlib.Path(folder).glob("*.schema.json")):
        try:
            s = json.loads(f.read_text(), parse_constant=no_constant)
        except ValueError as e:
            raise SystemExit(f"schema: {f}: not JSON: {e}")
        try:
            Draft202012Validator.check_schema(s)
        except jsonschema.SchemaError as e:
            raise SystemExit(f"schema: {f}: not a valid 2020-12 schema at "
                             f"{pointer(e.absolute_path)}: {e.message}")
        uri = f.resolve().as_uri()
        store[uri] = s
        schemas[f.name[:-len(".schema.json")]] = (uri, s)
    if not schemas:
        raise SystemExit(f"schema: no *.schema.json in {folder}")
    return store, schemas


def documents(path):
    """(label, document or exception) for each document in PATH."""
    text = path.read_text(encoding="utf-8", errors="strict")
    if path.suffix == ".jsonl":
        lines = [(i + 1, l) for i, l in enumerate(text.split("\n")) if l.strip()]
        if not lines:
            yield f"{path}", ValueError("no JSON lines in the file")
        for n, line in lines:
            try:
                yield f"{path}:{n}", json.loads(line, parse_constant=no_constant)
            except ValueError as e:
                yield f"{path}:{n}", e
    else:
        try:
            yield f"{path}", json.loads(text, parse_constant=no_constant)
        except ValueError as e:
            yield f"{path}", e


def files(paths):
    for p in paths:
        p = pathlib.Path(p)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.suffix in (".json", ".jsonl") and q.is_file())
        elif p.is_file():
            yield p
        else:
            raise SystemExit(f"schema: {p}: no such file or folder")


def main(argv):
    if len(argv) < 3 or argv[0] != "--schemas":
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    store, schemas = load_schemas(argv[1])
    ndocs = nfiles = nbad = 0
    per_schema = {}
    for f in files(argv[2:]):
        nfiles += 1
        name = f.name.split(".", 1)[0]
        if name not in schemas:
            print(f"{f}: no schema {argv[1]}/{name}.schema.json for it (a file is named "
                  f"<schema>.<label>.json; schemas: {', '.join(sorted(schemas))})")
            nbad += 1
            continue
        uri, schema = schemas[name]
        v = Draft202012Validator(schema, resolver=RefResolver(uri, schema, store=store))
        for label, doc in documents(f):
            ndocs += 1
            per_schema[name] = per_schema.get(name, 0) + 1
            if isinstance(doc, Exception):
                print(f"{label}: not a JSON document: {doc}")
                nbad += 1
                continue
            errs = sorted(v.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
            if not errs:
                continue
            # a failing subschema drops its annotations, so unevaluatedProperties
            # then also names every property it covered: show those only alone
            errs = [e for e in errs if e.validator != "unevaluatedProperties"] or errs
            nbad += 1
            for e in errs[:MAX_ERRORS]:
                print(f"{label}: at {pointer(e.absolute_path)}: rule '{e.validator}' failed "
                      f"(schema {name}, rule path {pointer(e.absolute_schema_path)}): {e.message[:300]}")
            if len(errs) > MAX_ERRORS:
                print(f"{label}: ... {len(errs) - MAX_ERRORS} more")
    counts = ", ".join(f"{k} {n}" for k, n in sorted(per_schema.items()))
    if nfiles == 0:
        print("schema: no .json or .jsonl file found in " + " ".join(argv[2:]))
        return 1
    if nbad:
        print(f"schema: {nbad} of {ndocs} documents invalid ({nfiles} files; {counts})")
        return 1
    print(f"schema: {ndocs} documents in {nfiles} files valid ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
