#!/usr/bin/env bash
# tests/schema/validate.sh PATH...: validates numa-migrate's JSON outputs
# (files named <schema>.<label>.json or .jsonl, or folders of them) against
# docs/schema. Runs Debian's /usr/bin/python3 by its path: a python3 earlier
# in PATH (pyenv, a venv) may lack python3-jsonschema. See validate.py.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
exec /usr/bin/python3 -I "$ROOT/tests/schema/validate.py" --schemas "$ROOT/docs/schema" "$@"
