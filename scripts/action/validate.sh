#!/bin/sh
# Runs glueaccess validate once: GitHub annotations on stdout, SARIF and
# Markdown into files. The exit code is recorded, not returned, so that the
# SARIF upload and the comment happen before the action fails per fail-on.
set -u
: "${GLUEACCESS_PLAN:?set the plan input}" "${RUNNER_TEMP:?}" "${GITHUB_OUTPUT:?}"
dir="${GLUEACCESS_CONFIG_DIR:-.}"
out="$RUNNER_TEMP/glueaccess"
mkdir -p "$out"
sarif="$out/glueaccess.sarif"
markdown="$out/glueaccess.md"
# GLUEACCESS_ARGS is split on spaces on purpose: it holds further flags.
# shellcheck disable=SC2086
glueaccess validate --config-dir "$dir" --fail-on "${GLUEACCESS_FAIL_ON:-deny}" \
  --format github --output "sarif=$sarif" --output "markdown=$markdown" \
  ${GLUEACCESS_ARGS:-} "$GLUEACCESS_PLAN"
code=$?
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
# Exit 2 is bad input: the reports may not have been written.
if [ -s "$sarif" ]; then echo "sarif=$sarif" >> "$GITHUB_OUTPUT"; fi
if [ -s "$markdown" ]; then
  echo "markdown=$markdown" >> "$GITHUB_OUTPUT"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$markdown" >> "$GITHUB_STEP_SUMMARY"; fi
fi
exit 0
