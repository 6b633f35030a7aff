#!/usr/bin/env bash
# Benchmark: what age encryption adds to a backup (and to its restore), on the real Odoo 17
# fixture scaled up by benches/scaled-fixture.sh (generated mail_message rows, a synthetic
# filestore half random bytes behind PNG/PDF magic, half text). Each format is backed
# up with and without `--encrypt-to`, alternately, BENCH_RUNS times; the medians, their ratio and
# the peak memory are printed; then the tar.gz is restored from each. Not a test: run it by hand,
# then copy the table into the README.
# CPU seconds (user + system) are shown too: on a machine shared with other work, wall-clock
# medians move by several percent from run to run, CPU time much less.
#   BENCH_ROWS_MB=400 BENCH_FILES=3000 BENCH_FILE_KB=100 BENCH_RUNS=5 BENCH_FORMATS="tar.gz zip dump" benches/encryption.sh
set -euo pipefail
cd "$(dirname "$0")/.."

rows_mb=${BENCH_ROWS_MB:-400}
files=${BENCH_FILES:-3000}
file_kb=${BENCH_FILE_KB:-100}
runs=${BENCH_RUNS:-5}
formats=${BENCH_FORMATS:-tar.gz zip dump}
fixtures=${ODOODB_FIXTURES:-$(cd .. && pwd)/shared/fixtures}
[ -f "$fixtures/odoo17/db.dump" ] || { echo "needs the real Odoo 17 fixture (ODOODB_FIXTURES)" >&2; exit 1; }
command -v age-keygen >/dev/null || { echo "needs age-keygen (Debian's age package)" >&2; exit 1; }

scripts/setup-postgres 2>/dev/null
cargo build --release --locked -q
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/odoodb
export PGHOST=${PGHOST:-/var/run/postgresql}

work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/odoodb-bench.XXXXXX")
src=odoodb_encbench_$$
data=$work/data
conf=$work/odoo.conf
out=$work/out
mkdir -p "$out"
printf '[options]\ndata_dir = %s\n' "$data" > "$conf"
dropdb_() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"; }
cleanup() {
    for db in "$src" "${src}_p" "${src}_e"; do dropdb_ "$db"; done
    rm -rf "$work"
}
trap cleanup EXIT

age-keygen -o "$work/key.txt" 2>/dev/null
recipient=$(age-keygen -y "$work/key.txt")

# shellcheck source=benches/scaled-fixture.sh
. benches/scaled-fixture.sh
echo "load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# "seconds peak-RSS-KiB cpu-seconds" of a command (children's CPU included: pg_dump)
measure() {
    /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$work/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

ratio() { awk -v e="$1" -v p="$2" 'BEGIN {printf "%.3f", e / p}'; }
printf '| format | plain s (median of %s) | encrypted s | encrypted / plain | CPU s plain / encrypted | CPU ratio | peak MiB plain / encrypted | size plain / encrypted |\n|---|---|---|---|---|---|---|---|\n' "$runs"
for format in $formats; do
    : > "$work/plain"; : > "$work/enc"; : > "$work/plain_cpu"; : > "$work/enc_cpu"; kp=0; ke=0
    for _ in $(seq "$runs"); do
        rm -f "$out"/*; sync
        read -r s k c < <(measure env ODOO_RC="$conf" "$bin" backup "$src" --format "$format" -o "$out/p.$format")
        echo "$s" >> "$work/plain"; echo "$c" >> "$work/plain_cpu"; kp=$((k > kp ? k : kp)); sp=$(stat -c %s "$out/p.$format")
        rm -f "$out"/*; sync
        read -r t k d < <(measure env ODOO_RC="$conf" "$bin" backup "$src" --format "$format" -o "$out/e.$format.age" --encrypt-to "$recipient")
        echo "$t" >> "$work/enc"; echo "$d" >> "$work/enc_cpu"; ke=$((k > ke ? k : ke)); se=$(stat -c %s "$out/e.$format.age")
        echo "$format: plain ${s}s (${c} CPU s), encrypted ${t}s (${d} CPU s), load $(cut -d' ' -f1 /proc/loadavg)" >&2
    done
    p=$(median < "$work/plain"); e=$(median < "$work/enc")
    pc=$(median < "$work/plain_cpu"); ec=$(median < "$work/enc_cpu")
    printf '| %s | %s | %s | **%s** | %s / %s | %s | %s / %s | %s / %s MiB |\n' "$format" "$p" "$e" \
        "$(ratio "$e" "$p")" "$pc" "$ec" "$(ratio "$ec" "$pc")" $((kp / 1024)) $((ke / 1024)) \
        $((sp / 1024 / 1024)) $((se / 1024 / 1024))
done

# Restore of the tar.gz, plain and encrypted.
rm -f "$out"/*
env ODOO_RC="$conf" "$bin" backup "$src" -o "$out/p.tar.gz" -q
env ODOO_RC="$conf" "$bin" backup "$src" -o "$out/e.tar.gz.age" --encrypt-to "$recipient" -q
sync
read -r rp kp _ < <(measure env ODOO_RC="$conf" "$bin" restore "$out/p.tar.gz" "${src}_p" --move)
read -r re ke _ < <(measure env ODOO_RC="$conf" "$bin" restore "$out/e.tar.gz.age" "${src}_e" --move --identity "$work/key.txt")
printf '\n| restore tar.gz | plain s | encrypted s | encrypted / plain | peak MiB plain / encrypted |\n|---|---|---|---|---|\n'
printf '| one run | %s | %s | **%s** | %s / %s |\n' "$rp" "$re" \
    "$(ratio "$re" "$rp")" $((kp / 1024)) $((ke / 1024))
