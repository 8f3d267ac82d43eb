#!/usr/bin/env bash
# Prints the path of a Python 3.12+ interpreter with uv available, installing uv if needed.
set -euo pipefail
for candidate in "${PYTHON:-}" python3.12 python3.13 python3; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    py=$(command -v "$candidate")
    if ! "$py" -m uv --version >/dev/null 2>&1; then
      "$py" -m pip install --quiet --disable-pip-version-check uv >&2
    fi
    echo "$py"
    exit 0
  fi
done
echo "Early Help Hub needs Python 3.12 or newer (for example from pyenv)." >&2
exit 1
