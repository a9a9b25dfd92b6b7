#!/usr/bin/env bash
# errprobe's GitHub Action (action.yml) in one script, so it runs the same outside GitHub:
#   GITHUB_ACTION_PATH=. INPUT_PROFILE=erzycall INPUT_BASE_URL=http://127.0.0.1:8080 bash scripts/action.sh
# Builds errprobe from $GITHUB_ACTION_PATH, runs `errprobe run` with INPUT_PROFILE, INPUT_BASE_URL,
# INPUT_ARGS (split on whitespace) and INPUT_FAIL_ON, appends the Markdown summary to
# $GITHUB_STEP_SUMMARY and writes junit=PATH and exit-code=N to $GITHUB_OUTPUT. Exits with errprobe's code.
set -euo pipefail

src=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/errprobe-action.XXXXXX")
trap 'rm -rf "$work"' EXIT
bin="$work/errprobe"

# A release tag or branch of the action names the version (the action's checkout has no .git).
ldflags=""
if [ -n "${GITHUB_ACTION_REF:-}" ]; then
  ldflags="-X github.com/errprobe/errprobe/cmd.Version=${GITHUB_ACTION_REF}"
fi
(cd "$src" && go build -ldflags "$ldflags" -o "$bin" .) || { echo "errprobe action: go build in $src failed" >&2; exit 2; }

junit="${GITHUB_WORKSPACE:-$PWD}/errprobe-junit.xml"
summary="$work/summary.md"
args=(run)
[ -n "${INPUT_BASE_URL:-}" ] && args+=("$INPUT_BASE_URL")
[ -n "${INPUT_PROFILE:-}" ] && args+=(--profile "$INPUT_PROFILE")
args+=(--fail-on "${INPUT_FAIL_ON:-error}" --junit "$junit" --markdown "$summary")
set -f # INPUT_ARGS is split on whitespace, never globbed
extra=()
read -r -a extra <<<"${INPUT_ARGS:-}" || true
set +f

rc=0
(cd "${GITHUB_WORKSPACE:-$PWD}" && "$bin" "${args[@]}" ${extra[@]+"${extra[@]}"}) || rc=$?

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s "$summary" ]; then
  cat "$summary" >>"$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { [ -s "$junit" ] && echo "junit=$junit"; echo "exit-code=$rc"; } >>"$GITHUB_OUTPUT"
fi
exit "$rc"
