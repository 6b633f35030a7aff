#!/usr/bin/env bash
# Benchmark: what age encryption adds to a backup (and to its restore), on the real Odoo 17
# fixture scaled up as benches/backup-restore.sh scales it (generated mail_message rows, a
# synthetic filestore half random bytes behind PNG/PDF magic, half text). Each format is backed
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

echo "preparing: Odoo 17 fixture + ${rows_mb} MB of mail_message rows + $files files of $file_kb KiB ..." >&2
createdb "$src"
pg_restore --no-owner -d "$src" "$fixtures/odoo17/db.dump"
cols=$(psql -X -At -d "$src" -c "SELECT string_agg(quote_ident(column_name), ', ') FROM information_schema.columns WHERE table_name = 'mail_message' AND column_name NOT IN ('id', 'body')")
psql -X -q -d "$src" -c "INSERT INTO mail_message ($cols, body)
    SELECT $cols, (SELECT string_agg(md5(g::text || '-' || k::text), ' ') FROM generate_series(1, 30) AS k)
      FROM (SELECT * FROM mail_message ORDER BY id LIMIT 1) AS m, generate_series(1, $((rows_mb * 1024))) AS g"
psql -X -q -d "$src" -c "VACUUM ANALYZE mail_message"
mkdir -p "$data/filestore/$src"
tar -C "$data/filestore/$src" -xzf "$fixtures/odoo17/filestore.tar.gz"
python3 - "$data/filestore/$src" "$files" "$file_kb" <<'PY'
import hashlib, os, random, sys
root, count, kib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
noise = os.urandom(kib * 1024)
words = [hashlib.md5(str(i).encode()).hexdigest()[: 3 + i % 8] for i in range(5000)]
rng = random.Random(1)
for i in range(count):
    if i % 2 == 0:
        magic = b"\x89PNG\r\n\x1a\n" if i % 4 == 0 else b"%PDF-1.7\n"
        body = magic + i.to_bytes(8, "little") + noise[len(magic) + 8:]
    else:
        text = " ".join(rng.choice(words) for _ in range(kib * 1024 // 6))
        body = (str(i) + " " + text).encode()[: kib * 1024]
    sha = hashlib.sha1(body).hexdigest()
    folder = os.path.join(root, sha[:2])
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, sha), "wb") as fh:
        fh.write(body)
PY
sync
read -r fs_files fs_bytes < <(find "$data/filestore/$src" -type f -printf '%s\n' | awk '{n++; b+=$1} END {print n, b}')
db_size=$(psql -X -At -d postgres -c "SELECT pg_size_pretty(pg_database_size('$src'))")
echo "source: database $db_size, filestore $fs_files files, $((fs_bytes / 1024 / 1024)) MiB, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

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
