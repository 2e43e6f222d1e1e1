#!/usr/bin/env bash
# Live-ingest benchmark: a loopback Jetstream server replays generated posts at full speed into
# `outcry ingest --config`, end to end (parse, keep filter, classify, index, commit). Prints the
# throughput and resident memory every 10 s, and the end-to-end rate including start-up and the
# final commit. Everything stays on 127.0.0.1.
#
#   cargo build --release -p outcry --bin outcry
#   cargo build --release -p outcry-ingest --example jetstream_replay
#   POSTS=1000000 scripts/bench_live_ingest.sh
set -euo pipefail
POSTS=${POSTS:-1000000}
TARGET=${CARGO_TARGET_DIR:-target}
BIN=${BIN:-$TARGET/release/outcry}
REPLAY=${REPLAY:-$TARGET/release/examples/jetstream_replay}
METRICS=${METRICS:-127.0.0.1:9477}
WORK=$(mktemp -d)
trap 'kill $replay 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$REPLAY" 127.0.0.1:0 "$POSTS" > "$WORK/url" 2> "$WORK/replay.log" &
replay=$!
for _ in $(seq 50); do [ -s "$WORK/url" ] && break; sleep 0.1; done
URL=$(head -1 "$WORK/url")
cat > "$WORK/sources.toml" <<TOML
[[source]]
kind = "jetstream"
name = "bench"
url = "$URL"
keep = "all"
TOML

metric() {
    exec 3<>"/dev/tcp/${METRICS%:*}/${METRICS#*:}" || { echo 0; return; }
    printf 'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3
    awk -v m="$1" '$1 ~ "^"m"\\{" {print $2}' <&3
    exec 3<&-
}

start=$(date +%s.%N)
"$BIN" ingest --index "$WORK/idx" --config "$WORK/sources.toml" --metrics "$METRICS" 2> "$WORK/ingest.log" &
pid=$!
peak=0
peak_anon=0
last=0
elapsed=0
while kill -0 $pid 2>/dev/null; do
    sleep 1
    elapsed=$((elapsed + 1))
    rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    anon=$(awk '/RssAnon/{print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    [ "$rss" -gt "$peak" ] && peak=$rss
    [ "$anon" -gt "$peak_anon" ] && peak_anon=$anon
    n=$(metric outcry_ingest_posts_ingested_total); n=${n:-0}
    if [ $((elapsed % 10)) -eq 0 ]; then
        echo "t=${elapsed}s posts=$n rate=$(( (n - last) / 10 ))/s rss=$((rss / 1024))MB anon=$((anon / 1024))MB"
        last=$n
    fi
    [ "$n" -ge "$POSTS" ] && break
done
kill -INT $pid
wait $pid
end=$(date +%s.%N)
grep "live ingest stopped" "$WORK/ingest.log" || tail -5 "$WORK/ingest.log"
indexed=$(grep -o '[0-9]* posts indexed' "$WORK/ingest.log" | grep -o '^[0-9]*')
awk -v n="$indexed" -v s="$start" -v e="$end" -v p="$peak" -v a="$peak_anon" 'BEGIN {
    printf "end to end: %d posts in %.1f s = %.0f posts/s; peak RSS %.0f MB (anonymous %.0f MB)\n", n, e - s, n / (e - s), p / 1024, a / 1024 }'
