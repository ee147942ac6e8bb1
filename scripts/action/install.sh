#!/bin/sh
# Builds glueaccess from the action's own checkout (the ref the workflow names
# in `uses:`) into the runner's temporary directory and puts it on PATH.
set -eu
: "${GITHUB_ACTION_PATH:?}" "${RUNNER_TEMP:?}" "${GITHUB_PATH:?}"
bin="$RUNNER_TEMP/glueaccess-bin"
mkdir -p "$bin"
(cd "$GITHUB_ACTION_PATH" && go build -o "$bin/" ./cmd/glueaccess)
echo "$bin" >> "$GITHUB_PATH"
"$bin/glueaccess" --version
