#!/bin/sh
# Creates, or updates in place, one pull-request comment per configuration
# directory holding the Markdown report. The comment is found again by the
# hidden marker naming the directory that the report begins with
# (glueaccess validate --config-dir DIR --output markdown=FILE writes it, see
# "Markdown" in docs/validate.md). Outside pull requests it does nothing.
set -eu
: "${GITHUB_TOKEN:?}" "${GITHUB_REPOSITORY:?}" "${GITHUB_EVENT_PATH:?}" "${GLUEACCESS_MARKDOWN:?}"
api="${GITHUB_API_URL:-https://api.github.com}"
case "${GITHUB_EVENT_NAME:-}" in
  pull_request | pull_request_target) ;;
  *) echo "glueaccess: not a pull request (${GITHUB_EVENT_NAME:-no event}); no comment"; exit 0 ;;
esac
pr=$(jq -r '.pull_request.number // empty' "$GITHUB_EVENT_PATH")
[ -n "$pr" ] || { echo "glueaccess: no pull request number in $GITHUB_EVENT_PATH" >&2; exit 1; }
marker=$(head -n 1 "$GLUEACCESS_MARKDOWN")
case "$marker" in
  '<!-- glueaccess-comment: '*' -->') ;;
  *) echo "glueaccess: $GLUEACCESS_MARKDOWN does not begin with a glueaccess-comment marker" >&2; exit 1 ;;
esac

call() { # method url [body-file]
  if [ $# -eq 3 ]; then
    curl -fsS --max-time 30 -X "$1" -H "Authorization: Bearer $GITHUB_TOKEN" \
      -H "Accept: application/vnd.github+json" -H "Content-Type: application/json" \
      --data-binary "@$3" "$2"
  else
    curl -fsS --max-time 30 -X "$1" -H "Authorization: Bearer $GITHUB_TOKEN" \
      -H "Accept: application/vnd.github+json" "$2"
  fi
}

# The first comment holding the marker, looking through every page.
id=""
page=1
while [ -z "$id" ]; do
  comments=$(call GET "$api/repos/$GITHUB_REPOSITORY/issues/$pr/comments?per_page=100&page=$page")
  [ "$(printf '%s' "$comments" | jq 'length')" -gt 0 ] || break
  id=$(printf '%s' "$comments" | jq -r --arg m "$marker" '[.[] | select(.body | contains($m))][0].id // empty')
  page=$((page + 1))
done

body=$(mktemp)
trap 'rm -f "$body"' EXIT
jq -Rs '{body: .}' < "$GLUEACCESS_MARKDOWN" > "$body"
if [ -n "$id" ]; then
  call PATCH "$api/repos/$GITHUB_REPOSITORY/issues/comments/$id" "$body" > /dev/null
  echo "glueaccess: updated comment $id on pull request $pr"
else
  call POST "$api/repos/$GITHUB_REPOSITORY/issues/$pr/comments" "$body" > /dev/null
  echo "glueaccess: commented on pull request $pr"
fi
