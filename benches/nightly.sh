#!/usr/bin/env bash
# Benchmark of the nightly job, in one run on one scaled dataset: the real Odoo 17 fixture grown
# to >= 400 MB of rows and >= 300 MB of filestore (see scaled-fixture.sh). Each figure is set
# against its named baseline measured in the same run, runs alternating (baseline, candidate,
# baseline, candidate; the faster of each kept):
#   backup tar.gz to a local S3 server (s3s-fs on 127.0.0.1)  vs  backup to a local folder
#   restore from that object                                  vs  restore from the local file
#   backup with --encrypt-to (age)                            vs  the same backup without
#   peak memory of each (GNU time's maximum resident set of the largest process);
#   backup --all of BENCH_ALL_COPIES copies to the S3 server, seconds per database.
# Not a test: run it by hand, then copy the table into the README.
#   BENCH_ROWS_MB=450 BENCH_FILES=3200 BENCH_FILE_KB=100 BENCH_ALL_COPIES=10 benches/nightly.sh
set -euo pipefail
cd "$(dirname "$0")/.."

rows_mb=${BENCH_ROWS_MB:-450}
files=${BENCH_FILES:-3200}
file_kb=${BENCH_FILE_KB:-100}
copies=${BENCH_ALL_COPIES:-10}
fixtures=${ODOODB_FIXTURES:-$(cd .. && pwd)/shared/fixtures}
[ -f "$fixtures/odoo17/db.dump" ] || { echo "needs the real Odoo 17 fixture (ODOODB_FIXTURES)" >&2; exit 1; }
command -v s3s-fs >/dev/null || { echo "needs s3s-fs: cargo install --locked s3s-fs --version 0.14.1 --features binary" >&2; exit 1; }

scripts/setup-postgres 2>/dev/null
cargo build --release --locked -q
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/odoodb
export PGHOST=${PGHOST:-/var/run/postgresql}

work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/odoodb-nightly.XXXXXX")
src=odoodb_nbench_$$
data=$work/data
out=$work/out
mkdir -p "$out" "$work/s3/bench"
export ODOO_RC=$work/odoo.conf XDG_STATE_HOME=$work/state
printf '[options]\ndata_dir = %s\n' "$data" > "$ODOO_RC"
dropdb_() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"; }
s3_pid=
cleanup() {
    [ -n "$s3_pid" ] && kill "$s3_pid" 2>/dev/null
    for db in $(psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '${src}%'"); do dropdb_ "$db"; done
    rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=benches/scaled-fixture.sh
. benches/scaled-fixture.sh

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret-$$ AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_REGION=us-east-1
s3s-fs --host 127.0.0.1 --port "$port" --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" "$work/s3" 2>/dev/null &
s3_pid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

# "seconds peak-RSS-KiB" of a command
measure() {
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    cat "$work/time"
}
clean_out() { rm -rf "$out"/* "$work/s3/bench"/*; sync; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
mib() { echo $(( $1 / 1024 )); }

echo "backing up ..." >&2
# Alternating: folder, object storage, folder, object storage.
declare -A s k
for round in 1 2; do
    for target in dir s3; do
        clean_out
        if [ "$target" = dir ]; then args=(--dir "$out"); else args=(--to "s3://bench/nightly/"); fi
        read -r t m < <(measure "$bin" backup "$src" "${args[@]}")
        if [ -z "${s[$target]:-}" ] || awk "BEGIN { exit !($t < ${s[$target]}) }"; then s[$target]=$t; k[$target]=$m; fi
    done
done
archive_bytes=$(find "$work/s3/bench" -type f -printf '%s\n' | awk '{b+=$1} END {print b}')

echo "restoring ..." >&2
"$bin" backup "$src" --dir "$out" -q
"$bin" backup "$src" --to s3://bench/nightly/ -q
file=$(ls "$out"/*.tar.gz | head -1)
key=$(cd "$work/s3/bench" && ls nightly/*.tar.gz | head -1)
dst=${src}_r
reset_dst() { dropdb_ "$dst"; rm -rf "$data/filestore/$dst"; sync; }
for round in 1 2; do
    for source in file s3; do
        reset_dst
        if [ "$source" = file ]; then from=$file; else from=s3://bench/$key; fi
        read -r t m < <(measure "$bin" restore "$from" "$dst" --move --yes)
        name=restore_$source
        if [ -z "${s[$name]:-}" ] || awk "BEGIN { exit !($t < ${s[$name]}) }"; then s[$name]=$t; k[$name]=$m; fi
    done
done
reset_dst

encrypt=
if "$bin" backup --help | grep -q -- '--encrypt-to'; then
    echo "encrypting ..." >&2
    recipient=
    if command -v age-keygen >/dev/null; then
        age-keygen -o "$work/key.txt" 2>/dev/null
        recipient=$(grep -o 'age1[0-9a-z]*' "$work/key.txt" | head -1)
    fi
    if [ -n "$recipient" ]; then
        for round in 1 2; do
            for mode in plain age; do
                clean_out
                if [ "$mode" = plain ]; then extra=(); else extra=(--encrypt-to "$recipient"); fi
                read -r t m < <(measure "$bin" backup "$src" --dir "$out" "${extra[@]}")
                name=enc_$mode
                if [ -z "${s[$name]:-}" ] || awk "BEGIN { exit !($t < ${s[$name]}) }"; then s[$name]=$t; k[$name]=$m; fi
            done
        done
        encrypt=1
    fi
fi

echo "backup --all of $copies copies ..." >&2
clean_out
for i in $(seq "$copies"); do
    createdb -T "$src" "${src}_c$i"
    cp -al "$data/filestore/$src" "$data/filestore/${src}_c$i"
done
read -r all_s all_k < <(measure "$bin" --json backup --all --match "${src}_c*" --to s3://bench/all/ -q)
per_db=$(awk "BEGIN { printf \"%.1f\", $all_s / $copies }")

db_size=$(psql -X -At -d postgres -c "SELECT pg_size_pretty(pg_database_size('$src'))")
echo
echo "nightly job ($db_size database, $fs_files files / $((fs_bytes / 1024 / 1024)) MiB of filestore, archive $((archive_bytes / 1024 / 1024)) MiB, $(nproc) cores)"
echo
echo "| run | seconds | ÷ baseline | peak memory |"
echo "|---|---|---|---|"
echo "| backup to a local folder — baseline | ${s[dir]} | 1.00 | $(mib "${k[dir]}") MiB |"
echo "| backup to S3 (s3s-fs, 127.0.0.1) | ${s[s3]} | $(ratio "${s[s3]}" "${s[dir]}") | $(mib "${k[s3]}") MiB |"
echo "| restore from the local file — baseline | ${s[restore_file]} | 1.00 | $(mib "${k[restore_file]}") MiB |"
echo "| restore from S3 | ${s[restore_s3]} | $(ratio "${s[restore_s3]}" "${s[restore_file]}") | $(mib "${k[restore_s3]}") MiB |"
if [ -n "$encrypt" ]; then
    echo "| backup, not encrypted — baseline | ${s[enc_plain]} | 1.00 | $(mib "${k[enc_plain]}") MiB |"
    echo "| backup --encrypt-to (age) | ${s[enc_age]} | $(ratio "${s[enc_age]}" "${s[enc_plain]}") | $(mib "${k[enc_age]}") MiB |"
fi
echo "| backup --all of $copies copies to S3 | $all_s ($per_db per database) | – | $(mib "$all_k") MiB |"
