#!/usr/bin/env bash
# Benchmark: `odoodb duplicate` in each filestore mode against Odoo's own way (a template copy,
# then a full recursive copy of the filestore, as `cp -a` does), in the same run, on the real
# Odoo 17 fixture plus a synthetic filestore (default 20,000 files / 2 GB). Prints seconds,
# ratios and peak memory. Not a test: run it by hand, then copy the table into the README.
#   BENCH_FILES=20000 BENCH_FILE_KB=100 benches/duplicate.sh
set -euo pipefail
cd "$(dirname "$0")/.."

files=${BENCH_FILES:-20000}
file_kb=${BENCH_FILE_KB:-100}
fixtures=${ODOODB_FIXTURES:-$(cd .. && pwd)/shared/fixtures}
[ -f "$fixtures/odoo17/db.dump" ] || { echo "needs the real Odoo 17 fixture (ODOODB_FIXTURES)" >&2; exit 1; }

scripts/setup-postgres 2>/dev/null
cargo build --release --locked -q
bin=$PWD/target/release/odoodb
export PGHOST=${PGHOST:-/var/run/postgresql}

work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/odoodb-bench.XXXXXX")
src=odoodb_bench_$$
data=$work/data
conf=$work/odoo.conf
printf '[options]\ndata_dir = %s\n' "$data" > "$conf"
cleanup() {
    for db in $(psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '${src}%'"); do
        psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
    done
    rm -rf "$work"
}
trap cleanup EXIT

echo "preparing: Odoo 17 fixture + $files synthetic files of $file_kb KiB ..." >&2
createdb "$src"
pg_restore --no-owner -d "$src" "$fixtures/odoo17/db.dump"
mkdir -p "$data/filestore/$src"
tar -C "$data/filestore/$src" -xzf "$fixtures/odoo17/filestore.tar.gz"
python3 - "$data/filestore/$src" "$files" "$file_kb" <<'PY'
import hashlib, os, sys
root, count, kib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
block = os.urandom(kib * 1024)
for i in range(count):
    body = i.to_bytes(8, "little") + block[8:]
    sha = hashlib.sha1(body).hexdigest()
    folder = os.path.join(root, sha[:2])
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, sha), "wb") as fh:
        fh.write(body)
PY
sync
read -r fs_files fs_bytes < <(find "$data/filestore/$src" -type f -printf '%s\n' | awk '{n++; b+=$1} END {print n, b}')
echo "source: database $(psql -X -At -d postgres -c "SELECT pg_size_pretty(pg_database_size('$src'))"), filestore $fs_files files, $((fs_bytes / 1024 / 1024)) MiB" >&2

# seconds and peak RSS (KiB) of a command
measure() { /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }; cat "$work/time"; }
drop() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"; rm -rf "${data:?}/filestore/$1"; }

odoo_way() {
    local dst=${src}_odoo
    /usr/bin/time -f '%e %M' -o "$work/time" bash -c "
        psql -X -q -d postgres -c 'CREATE DATABASE \"$dst\" TEMPLATE \"$src\"' &&
        cp -a '$data/filestore/$src' '$data/filestore/$dst'" >/dev/null
    cat "$work/time"
    drop "$dst"
}

results=()
read -r odoo_first _ < <(odoo_way)
for mode in hardlink copy auto; do
    read -r secs rss < <(measure "$bin" -c "$conf" duplicate "$src" "${src}_$mode" --filestore "$mode" --no-progress)
    results+=("$mode $secs $rss")
    drop "${src}_$mode"
done
read -r odoo_again _ < <(odoo_way)
odoo=$(python3 -c "print(min($odoo_first, $odoo_again))")
for strategy in file-copy wal-log; do
    read -r secs rss < <(measure "$bin" -c "$conf" duplicate "$src" "${src}_db" --filestore none --strategy "$strategy" --no-progress)
    results+=("db-only/$strategy $secs $rss")
    drop "${src}_db"
done

printf '\n%-22s %9s %12s %14s\n' "duplicate" "seconds" "vs Odoo's" "peak memory"
printf '%-22s %9s %12s %14s\n' "Odoo's way (cp -a)" "$odoo" "1.00x" "-"
for line in "${results[@]}"; do
    read -r name secs rss <<<"$line"
    ratio=$(python3 -c "print(f'{$odoo / max($secs, 0.001):.2f}x')")
    printf '%-22s %9s %12s %11s MiB\n' "odoodb $name" "$secs" "$ratio" "$((rss / 1024))"
done
echo "(ratio = Odoo's seconds / odoodb's seconds: higher is faster; $fs_files files, $((fs_bytes / 1024 / 1024)) MiB)"
