#!/usr/bin/env bash
# Installs the peer generators the bench compares specgen with, each into its own virtual
# environment under bench/.venv/<tool>, from PyPI only. Separate environments because the peers
# pin conflicting versions of the same libraries (fastapi-code-generator holds an older
# datamodel-code-generator, for one). A peer that fails to install is left out and run.py reports
# it as unavailable; the script still exits 0 so the other peers can be measured.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
root="$here/.venv"
mkdir -p "$root"

install() {
    local name="$1"; shift
    local venv="$root/$name"
    echo "== $name: $*"
    rm -rf "$venv"
    if "$python" -m venv "$venv" \
        && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" \
            >"$root/$name.install.log" 2>&1; then
        echo "   installed into $venv"
        rm -f "$root/$name.failed"
    else
        echo "   FAILED; see $root/$name.install.log"
        tail -n 1 "$root/$name.install.log" >"$root/$name.failed" 2>/dev/null || true
    fi
}

install openapi-python-client openapi-python-client
install datamodel-code-generator datamodel-code-generator
install fastapi-code-generator fastapi-code-generator
install openapi-generator openapi-generator-cli

if ! command -v java >/dev/null 2>&1; then
    echo "note: java is not on PATH; openapi-generator will be reported as unavailable"
fi
exit 0
