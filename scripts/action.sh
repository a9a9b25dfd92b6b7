#!/usr/bin/env bash
# errprobe's GitHub Action (action.yml) in one script, so it runs the same outside GitHub:
#   GITHUB_ACTION_PATH=. INPUT_PROFILE=erzycall INPUT_BASE_URL=http://127.0.0.1:8080 bash scripts/action.sh
# Gets errprobe (the release binary for a tag, else go build from $GITHUB_ACTION_PATH), runs `errprobe run` with INPUT_PROFILE, INPUT_BASE_URL,
# INPUT_ARGS (split on whitespace) and INPUT_FAIL_ON, appends the Markdown summary to
# $GITHUB_STEP_SUMMARY and writes junit=PATH and exit-code=N to $GITHUB_OUTPUT — on every exit code:
# errprobe writes both reports also when it cannot run (2) or reach the API (3). Exits with errprobe's code.
set -euo pipefail

src=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/errprobe-action.XXXXXX")
trap 'rm -rf "$work"' EXIT
bin="$work/errprobe"

# The binary: for a release tag (uses: errprobe/errprobe@v1.2.3) the release archive for this runner,
# checked against the release's checksums.txt; from a branch or a commit (or when no release asset fits),
# `go build` in the action's checkout with the Go already on the runner (action.yml caches its build
# cache for that case only). ERRPROBE_RELEASE_BASE overrides the download location (tests).
ref=${GITHUB_ACTION_REF:-}
release_base=${ERRPROBE_RELEASE_BASE:-https://github.com/errprobe/errprobe/releases/download}

sha256() { if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | awk '{print $1}'; }

download() { # download TAG: the release binary into $bin, checksum verified; non-zero if it cannot be had
  local tag=$1 os arch ext name want got
  case "${RUNNER_OS:-$(uname -s)}" in
    Linux) os=linux ;; macOS | Darwin) os=darwin ;; Windows | MINGW* | MSYS*) os=windows ;; *) return 1 ;;
  esac
  case "${RUNNER_ARCH:-$(uname -m)}" in
    X64 | x86_64 | amd64) arch=amd64 ;; ARM64 | arm64 | aarch64) arch=arm64 ;; *) return 1 ;;
  esac
  ext=tar.gz; [ "$os" = windows ] && ext=zip
  name="errprobe_${tag#v}_${os}_${arch}.$ext"
  curl -fsSL --retry 3 -o "$work/$name" "$release_base/$tag/$name" || return 1
  curl -fsSL --retry 3 -o "$work/checksums.txt" "$release_base/$tag/checksums.txt" || return 1
  want=$(awk -v n="$name" '$2 == n {print $1}' "$work/checksums.txt")
  got=$(sha256 "$work/$name")
  if [ -z "$want" ] || [ "$want" != "$got" ]; then
    echo "errprobe action: $name does not match the release's checksums.txt (want ${want:-none}, got $got); not using it" >&2
    return 1
  fi
  if [ "$ext" = zip ]; then (cd "$work" && unzip -q -o "$name" errprobe.exe) && mv "$work/errprobe.exe" "$bin"
  else tar -xzf "$work/$name" -C "$work" errprobe; fi
}

case "$ref" in
  v[0-9]*)
    download "$ref" || { echo "errprobe action: no verified release binary for $ref; building from source" >&2; ref_build=1; } ;;
  *) ref_build=1 ;;
esac
if [ -n "${ref_build:-}" ]; then
  command -v go >/dev/null || { echo "errprobe action: building from $ref needs Go on the runner (or use a release tag)" >&2; exit 2; }
  ldflags=""
  [ -n "$ref" ] && ldflags="-X github.com/errprobe/errprobe/cmd.Version=$ref"
  (cd "$src" && go build -trimpath -ldflags "$ldflags" -o "$bin" .) || { echo "errprobe action: go build in $src failed" >&2; exit 2; }
fi

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
