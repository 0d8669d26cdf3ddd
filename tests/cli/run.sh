#!/usr/bin/env bash
# CLI tests: build a store with known content through the core API (storegen), then run the
# `auki` binary on it as a user would and check what it prints, what it finds and what it writes:
# golden outputs of ls, cat, verify and sessions (tests/cli/golden/), verify on damaged copies,
# MCAP exports read back by Foxglove's @mcap/core (installed here with npm), the timeline SVG
# parsed as XML, usage errors and --help on every command.
#   tests/cli/run.sh AUKI STOREGEN          AUKI_UPDATE_GOLDEN=1 rewrites the golden files
set -euo pipefail
cd "$(dirname "$0")/../.."
AUKI="$(realpath "${1:?usage: tests/cli/run.sh AUKI STOREGEN}")"
STOREGEN="$(realpath "${2:?usage: tests/cli/run.sh AUKI STOREGEN}")"
HERE="$PWD/tests/cli"
GOLDEN="$HERE/golden"
CHECK="$HERE/mcap-check"
PY="${PYTHON:-python3}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/     /' | head -40; }
expect() { if eval "$2"; then ok "$1"; else bad "$1" "${3:-}"; fi; }

# Session ids are ULIDs (time + random) and clock hashes cover them: the goldens say <ULID>.
# A session's clocks carry its id, so their hashes (in ls --json) vary too; times of day as well.
normalize() {
  sed -E -e 's/[0-9A-HJKMNP-TV-Z]{26}/<ULID>/g' -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z/<TIME>/g' |
    perl -0pe 's/"hash": "[0-9a-f]{32}",(\s*"id": "[^"]*<ULID>)/"hash": "<HASH>",$1/g'
}

# golden NAME DIR CMD...: run CMD in DIR; stdout, stderr and the exit code must match golden/NAME.txt.
golden() {
  local name="$1" dir="$2"; shift 2
  local code=0 actual
  (cd "$dir" && "$@") > "$work/stdout" 2> "$work/stderr" || code=$?
  actual="$(cat "$work/stdout"; if [ -s "$work/stderr" ]; then echo '--- stderr'; cat "$work/stderr"; fi; echo "--- exit $code")"
  actual="$(printf '%s\n' "$actual" | normalize)"
  if [ "${AUKI_UPDATE_GOLDEN:-0}" = 1 ]; then
    printf '%s\n' "$actual" > "$GOLDEN/$name.txt"
    ok "$name (golden rewritten)"
  elif [ ! -f "$GOLDEN/$name.txt" ]; then
    bad "$name: missing golden file tests/cli/golden/$name.txt (run with AUKI_UPDATE_GOLDEN=1)"
  elif diff -u "$GOLDEN/$name.txt" <(printf '%s\n' "$actual") > "$work/diff"; then
    ok "$name"
  else
    bad "$name: output differs from tests/cli/golden/$name.txt" "$(cat "$work/diff")"
  fi
}

echo "building the test store"
"$STOREGEN" demo "$work/store" "$work/expect.json"
S="$work"
galbot="$(cd "$work/store" && ls -d */logs/galbot | cut -d/ -f1)"
spot="$(cd "$work/store" && ls -d */logs/spot | cut -d/ -f1)"
rgb="store/$galbot/logs/galbot/head_left_rgb"
battery="store/$galbot/logs/galbot/battery"
depth="store/$spot/logs/spot/front_depth"
uwb="store/logs/legacy-bot/uwb"
ss="$(basename "$(ls "$work"/store/activity_sessions/ss_*.json)" .json)"
copy() { rm -rf "$work/$1"; cp -a "$work/store" "$work/$1"; }

echo "== ls, cat"
golden ls "$S" "$AUKI" ls store
golden ls-json "$S" "$AUKI" ls store --json
golden ls-empty "$S" "$AUKI" ls store/registries
golden cat-v2 "$S" "$AUKI" cat "$rgb" --hex   # the demo's camera and battery hold bytes, not messages
golden cat-v1-sealed "$S" "$AUKI" cat "$battery" --hex
golden cat-window "$S" "$AUKI" cat "$rgb" --from 1500000000 --to 4100000000 --hex
golden cat-hex-bytes "$S" "$AUKI" cat "$depth" --hex-bytes 2
golden cat-declared-no-data "$S" "$AUKI" cat "store/$galbot/logs/galbot/head_right_rgb"
(cd "$S" && "$AUKI" cat "$depth" --raw > "$work/raw.bin")
expect "cat --raw writes the payload bytes back to back" \
  '[ "$(od -An -tx1 -v "$work/raw.bin" | tr -d " \n")" = "$("$PY" -c "import json,sys; e=json.load(open(sys.argv[1])); print(\"\".join(p for l in e[\"logs\"] if l[\"topic\"]==\"/spot/front_depth\" for _,p in l[\"entries\"]))" "$work/expect.json")" ]'

echo "== verify"
golden verify-clean "$S" "$AUKI" verify store

copy flipped
# head_left_rgb's first segment is v2: 16-byte header, then entries of 16 + 8 bytes. Flip a
# payload byte of the 4th entry (at offset 16 + 3*24); complete entries follow it.
seg="$work/flipped/$galbot/logs/galbot/head_left_rgb/segments/00000000001000000000.seg"
printf '\xff' | dd of="$seg" bs=1 seek=$((16 + 3 * 24 + 16)) conv=notrunc status=none
golden verify-flipped-byte "$S" "$AUKI" verify flipped
golden cat-flipped-byte "$S" "$AUKI" cat "flipped/$galbot/logs/galbot/head_left_rgb" --hex

copy torn
printf '\x01\x02\x03\x04\x05' >> "$work/torn/logs/legacy-bot/uwb/segments/00000000003000000000.seg"  # v1: half an entry header
seg="$work/torn/$spot/logs/spot/front_depth/segments/00000000003000000000.seg"
truncate -s -2 "$seg"                                                                            # v2: last payload cut short
golden verify-torn-tail "$S" "$AUKI" verify torn
golden verify-repair "$S" "$AUKI" verify torn --repair
golden verify-after-repair "$S" "$AUKI" verify torn
expect "repair cut the v1 segment back to its last complete entry" \
  '[ "$(stat -c %s "$work/torn/logs/legacy-bot/uwb/segments/00000000003000000000.seg")" = $((16 + 12 + 3)) ]'

copy renamed
sensor_file="$(ls "$work"/renamed/registries/sensors/galbot/battery/*.json)"
mv "$sensor_file" "$(dirname "$sensor_file")/0123456789abcdef0123456789abcdef.json"
mkdir -p "$work/renamed/registries/sensors/galbot/front_depth"
cp "$work"/renamed/registries/sensors/spot/front_depth/*.json "$work/renamed/registries/sensors/galbot/front_depth/"
golden verify-renamed-registry-file "$S" "$AUKI" verify renamed

copy garbled
printf '{"segment_duration_ns": 0' > "$work/garbled/$galbot/logs/galbot/battery/log_manifest.json"
printf 'XXXX' | dd of="$work/garbled/logs/legacy-bot/uwb/segments/00000000002000000000.seg" bs=1 seek=0 conv=notrunc status=none
golden verify-garbled "$S" "$AUKI" verify garbled --quiet
golden ls-garbled "$S" "$AUKI" ls garbled

echo "== typed logs (cat decodes, verify --payloads)"
"$STOREGEN" typed "$work/typed"
"$STOREGEN" typed "$work/typed-damaged" --damaged
tlogs="$(cd "$work/typed" && ls -d */logs/robot | cut -d/ -f1)"
tdlogs="$(cd "$work/typed-damaged" && ls -d */logs/robot | cut -d/ -f1)"
golden cat-typed-pose "$S" "$AUKI" cat "typed/$tlogs/logs/robot/base_link->cam_optical"
golden cat-typed-camera "$S" "$AUKI" cat "typed/$tlogs/logs/robot/cam"
golden cat-typed-scalar "$S" "$AUKI" cat "typed/$tlogs/logs/robot/battery"
golden cat-typed-scalar-hex "$S" "$AUKI" cat "typed/$tlogs/logs/robot/battery" --hex
golden cat-typed-damaged "$S" "$AUKI" cat "typed-damaged/$tdlogs/logs/robot/battery"
golden cat-untyped-rf "$S" "$AUKI" cat "$uwb"
golden verify-payloads-clean "$S" "$AUKI" verify typed --payloads
golden verify-payloads-damaged "$S" "$AUKI" verify typed-damaged --payloads
golden verify-damaged-without-payloads "$S" "$AUKI" verify typed-damaged
golden verify-payloads-demo "$S" "$AUKI" verify store --payloads --quiet
golden error-raw-and-hex-flag "$S" "$AUKI" cat "$rgb" --raw --hex

echo "== sessions"
golden sessions-list "$S" "$AUKI" sessions list --root store
golden sessions-show "$S" "$AUKI" sessions show "$ss" --root store
golden sessions-topics "$S" "$AUKI" sessions topics "$ss" --root store
copy edited
new="$(cd "$S" && "$AUKI" sessions create --root edited --name "bench run" --device spot)"
expect "sessions create prints the new id" '[[ "$new" =~ ^ss_[0-9A-Z]{26}$ ]]' "$new"
golden sessions-add "$S" "$AUKI" sessions add "$new" "edited/$spot/logs/spot/front_depth" "logs/legacy-bot/uwb" --from 2000000000 --to 2900000000 --root edited
golden sessions-add-recording "$S" "$AUKI" sessions add "$new" --recording "$galbot" --root edited
golden sessions-remove "$S" "$AUKI" sessions remove "$new" "logs/legacy-bot/uwb" --root edited
golden sessions-show-edited "$S" "$AUKI" sessions show "$new" --root edited
golden sessions-remove-unknown "$S" "$AUKI" sessions remove "$new" "logs/legacy-bot/uwb" --root edited
golden sessions-delete "$S" "$AUKI" sessions delete "$new" --root edited
golden sessions-show-deleted "$S" "$AUKI" sessions show "$new" --root edited

echo "== export --profile raw (MCAP, read back with @mcap/core)"
if [ ! -d "$CHECK/node_modules/@mcap/core" ] || [ "$CHECK/package-lock.json" -nt "$CHECK/node_modules/.package-lock.json" ]; then
  (cd "$CHECK" && npm ci --no-audit --no-fund --loglevel=error) || { bad "npm could not install @mcap/core"; }
fi
mcap_check() { # NAME FILE MODE COMPRESSION [FROM TO]
  local name="$1" file="$2"; shift 2
  if node "$CHECK/check.mjs" "$file" "$work/expect.json" "$@" > "$work/check.out" 2>&1; then ok "$name"; else bad "$name" "$(cat "$work/check.out")"; fi
}
for c in none zstd lz4; do
  (cd "$S" && "$AUKI" export store --profile raw --mcap "out-$c.mcap" --compression "$c" > /dev/null)
  mcap_check "export store --compression $c reads back in @mcap/core" "$S/out-$c.mcap" store "$c"
done
(cd "$S" && "$AUKI" export store --profile raw --mcap window.mcap --from 1500000000 --to 3500000000 --chunk-size 1024 --compression lz4 > /dev/null)
mcap_check "export --from/--to clips every channel (small chunks)" "$S/window.mcap" store lz4 1500000000 3500000000
(cd "$S" && "$AUKI" export store --profile raw --mcap - --compression zstd > stdout.mcap 2> /dev/null)
mcap_check "export --mcap - streams the whole file to stdout" "$S/stdout.mcap" store zstd
golden export-session "$S" "$AUKI" export "$ss" --root store --profile raw --mcap session.mcap
mcap_check "export of an activity session clips each file to its window" "$S/session.mcap" session zstd
golden export-missing-output "$S" "$AUKI" export store
golden export-unknown-session "$S" "$AUKI" export ss_01ARZ3NDEKTSV4RRFFQ69G5FAV --root store --mcap x.mcap
expect "a failed export leaves no file behind" '[ ! -e "$S/x.mcap" ] && [ -z "$(ls -A "$S" | grep "^\.x\.mcap")" ]'

echo "== export --profile foxglove (decoded from the file's own schemas with protobufjs)"
"$STOREGEN" foxglove "$work/fox" "$work/fox-expect.json"
foxlog() { "$PY" -c "import json,sys; print('fox/' + json.load(open(sys.argv[1]))['logs'][sys.argv[2]])" "$work/fox-expect.json" "$1"; }
fox_check() { # NAME FILE utc|monotonic
  if node "$CHECK/foxglove.mjs" "$2" "$work/fox-expect.json" "$3" > "$work/check.out" 2>&1; then ok "$1"; else bad "$1" "$(grep -v '^ok' "$work/check.out")"; fi
}
golden export-foxglove "$S" "$AUKI" export fox --mcap fox.mcap
fox_check "foxglove export: RawImage, CompressedImage, CameraCalibration, FrameTransform, auki.* decode as recorded, UTC log times" "$S/fox.mcap" utc
(cd "$S" && "$AUKI" export fox --mcap fox-mono.mcap --time monotonic --compression lz4 > /dev/null)
fox_check "foxglove export --time monotonic keeps the recorded timestamps" "$S/fox-mono.mcap" monotonic
(cd "$S" && "$AUKI" export fox --mcap fox-raw.mcap --profile raw --compression none > /dev/null)
expect "--profile raw keeps every payload as recorded (the skipped frame too)" \
  '"$PY" - "$S/fox-raw.mcap" <<'"'"'EOF'"'"'
import sys
data = open(sys.argv[1], "rb").read()
short = bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 0xEE, 0xEE, 0xEE, 10, 20, 30, 40, 50, 60, 70, 80, 90, 0xEE, 0xEE])
assert b"x-auki-payload" in data and b"\x12\x17" + short in data, "the 23-byte frame is missing"
EOF'
golden export-foxglove-demo "$S" "$AUKI" export store --mcap demo-fox.mcap --compression none

echo "== export --compression zstd of camera frames that do not compress (read back with @mcap/core)"
"$STOREGEN" bulk "$work/noise" 24000000 --typed --fresh > /dev/null
for p in raw foxglove; do
  (cd "$S" && "$AUKI" export "$work/noise" --profile "$p" --mcap "noise-$p-none.mcap" --compression none > /dev/null)
  (cd "$S" && "$AUKI" export "$work/noise" --profile "$p" --mcap "noise-$p-zstd.mcap" --compression zstd > "noise-$p.out")
  if node "$CHECK/same.mjs" "$S/noise-$p-none.mcap" "$S/noise-$p-zstd.mcap" > "$work/check.out" 2>&1; then
    ok "--profile $p zstd export of noise frames reads back whole in @mcap/core, the same messages as uncompressed"
  else bad "--profile $p zstd export of noise frames reads back whole in @mcap/core" "$(cat "$work/check.out")"; fi
  expect "--profile $p: chunks of frames stored uncompressed, the IMU and poses zstd (chunk indexes)" \
    'grep -Eq "^chunks: none=[0-9]+ zstd=[0-9]+$" "$work/check.out"' "$(grep chunks: "$work/check.out")"
  expect "--profile $p: the summary line says how many chunks were stored" 'grep -q "chunks of large messages that did not compress stored uncompressed" "$S/noise-$p.out"' "$(cat "$S/noise-$p.out")"
done

echo "== frame (PNG read back with a PNG decoder of its own)"
for f in cam depth cam_jpeg; do
  at="$("$PY" -c "import json,sys; print(next(x['at'] for x in json.load(open(sys.argv[1]))['frames'] if x['log']==sys.argv[2]))" "$work/fox-expect.json" "$f")"
  log="$(foxlog "$f")"
  # 49 ms after the frame: still nearer to it than to the next one.
  (cd "$S" && "$AUKI" frame "$log" --at $((at + 49000000)) -o "frame-$f.png" > "$work/frame.out")
  if node "$CHECK/png.mjs" "$S/frame-$f.png" "$work/fox-expect.json" "$f" "$at" > "$work/check.out" 2>&1; then ok "auki frame $f: the nearest frame, read back as recorded"; else bad "auki frame $f" "$(cat "$work/frame.out" "$work/check.out")"; fi
done
golden frame-cam "$S" "$AUKI" frame "$(foxlog cam)" --at 1190000000 -o frame.png
golden frame-not-camera "$S" "$AUKI" frame "$(foxlog battery)" --at 0 -o x.png
golden frame-missing-at "$S" "$AUKI" frame "$rgb" -o x.png

echo "== timeline"
(cd "$S" && "$AUKI" timeline store -o timeline.svg > /dev/null)
expect "timeline is well-formed XML naming every log and the activity session" \
  '"$PY" - "$S/timeline.svg" "$work/expect.json" <<'"'"'EOF'"'"'
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
text = " ".join("".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text"))
logs = [l["topic"].split("/", 2)[2] for l in json.load(open(sys.argv[2]))["logs"]]
missing = [name for name in logs + ["drive-1", "galbot", "spot", "legacy-bot"] if name not in text]
assert not missing, missing
bars = [e for e in root.iter("{http://www.w3.org/2000/svg}rect") if e.get("class") == "bar"]
assert len(bars) >= 6, len(bars)
EOF'

echo "== usage, errors, help"
golden error-unknown-command "$S" "$AUKI" frobnicate
golden error-unknown-option "$S" "$AUKI" ls store --bogus
golden error-missing-root "$S" "$AUKI" ls no-such-dir
golden error-not-a-log "$S" "$AUKI" cat store/registries
golden error-bad-number "$S" "$AUKI" cat "$rgb" --from soon
golden error-raw-and-hex "$S" "$AUKI" cat "$rgb" --raw --hex-bytes 4
golden error-inverted-window "$S" "$AUKI" export store --mcap x.mcap --from 5 --to 1
code=0; "$AUKI" > /dev/null 2>&1 || code=$?
expect "auki without a command prints usage and exits 2" '[ $code = 2 ]'
version="$("$AUKI" --version)"
expect "auki --version prints the version" '[[ "$version" =~ ^auki\ [0-9]+\.[0-9]+\.[0-9]+$ ]]' "$version"
for cmd in "" ls cat verify export frame serve timeline sessions "sessions create" "sessions add" "sessions remove" "sessions show" \
           "sessions topics" "sessions list" "sessions delete"; do
  # shellcheck disable=SC2086
  out="$("$AUKI" $cmd --help 2>&1)" && code=0 || code=$?
  expect "auki $cmd --help explains the command" '[ $code = 0 ] && grep -q "^Usage: auki ${cmd:+$cmd}" <<< "$out"' "$out"
done
out="$("$AUKI" export --help 2>&1)"
expect "auki export --help says which chunks are stored uncompressed" 'grep -q "stored uncompressed" <<< "$out"' "$out"
expect "no stack trace on any error above" '! grep -rqs "   at " "$GOLDEN"'

printf '%s passed, %s failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
