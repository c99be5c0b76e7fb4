#!/usr/bin/env bash
# `make test`: every test, in two pytest runs side by side: the browser tests spend part of their time
# waiting (page loads, transitions), so the tests without a browser run meanwhile (shown as they run); the
# browser tests' report follows. Either run failing, or finding no test (pytest's exit 5), fails the whole.
# Measured on 2 cores (bench/RESULTS.md has the machine): one run 6:10, these two side by side 5:25.
set -u
python=${1:?usage: scripts/run-tests.sh PYTHON}
browser_log=$(mktemp)
trap 'rm -f "$browser_log"' EXIT

"$python" -m pytest -m browser > "$browser_log" 2>&1 & browser=$!
"$python" -m pytest -m "not browser"; others=$?
wait "$browser"; browsed=$?
echo "--- browser tests ---"; cat "$browser_log"
[ "$others" -eq 0 ] && [ "$browsed" -eq 0 ]
