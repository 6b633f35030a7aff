#!/usr/bin/env bash
# Benchmark: `odoodb backup` in each format against (a) `pg_dump -Fc` then `tar czf` of the
# filestore, one after the other, and (b) Odoo's own zip backup (plain pg_dump into a temporary
# folder, a copy of the filestore, then Python's zipfile over the lot), in one run, on the real
# Odoo 17 fixture scaled up: generated mail_message rows (BENCH_ROWS_MB of row data) and a
# synthetic filestore (BENCH_FILES files of BENCH_FILE_KB KiB, half random bytes behind a PNG or
# PDF magic, half text). Prints seconds, peak memory and the ratios. Not a test: run it by hand,
# then copy the table into the README.
#   BENCH_ROWS_MB=1024 BENCH_FILES=20000 BENCH_FILE_KB=100 benches/backup.sh   (the full size)
# Also times the dump forms that the tar.gz could hold (pg_dump -Fc with and without its own
# compression, -Fd -j), which is how the tar.gz's form was chosen.
set -euo pipefail
cd "$(dirname "$0")/.."

rows_mb=${BENCH_ROWS_MB:-1024}
files=${BENCH_FILES:-20000}
file_kb=${BENCH_FILE_KB:-100}
fixtures=${ODOODB_FIXTURES:-$(cd .. && pwd)/shared/fixtures}
[ -f "$fixtures/odoo17/db.dump" ] || { echo "needs the real Odoo 17 fixture (ODOODB_FIXTURES)" >&2; exit 1; }

scripts/setup-postgres 2>/dev/null
cargo build --release --locked -q
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/odoodb
export PGHOST=${PGHOST:-/var/run/postgresql}

work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/odoodb-bench.XXXXXX")
src=odoodb_bkbench_$$
data=$work/data
conf=$work/odoo.conf
out=$work/out
mkdir -p "$out"
printf '[options]\ndata_dir = %s\n' "$data" > "$conf"
cleanup() {
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$src\" WITH (FORCE)"
    rm -rf "$work"
}
trap cleanup EXIT

echo "preparing: Odoo 17 fixture + ${rows_mb} MB of mail_message rows + $files files of $file_kb KiB ..." >&2
createdb "$src"
pg_restore --no-owner -d "$src" "$fixtures/odoo17/db.dump"
# Copies of an existing message with a ~1 KiB text body each (every column but id, so the
# rows are valid whatever the version's NOT NULL columns).
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
echo "source: database $db_size, filestore $fs_files files, $((fs_bytes / 1024 / 1024)) MiB, $(nproc) cores" >&2

# "seconds peak-RSS-KiB" of a command
measure() {
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    cat "$work/time"
}
size_of() { du -cb "$@" | tail -1 | cut -f1; }

sync
read -r a_s a_kb < <(measure bash -c "pg_dump -Fc --no-owner -d '$src' -f '$out/a.dump' && tar -C '$data/filestore/$src' -czf '$out/a.tar.gz' ."); a_size=$(size_of "$out/a.dump" "$out/a.tar.gz"); rm -f "$out"/a.*
read -r b_s b_kb < <(measure python3 - "$src" "$data/filestore/$src" "$out/odoo.zip" <<'PY'
# Odoo's dump_db(..., 'zip'): a temporary folder with the filestore copied in, plain SQL,
# a manifest, then zip_dir with dump.sql first, deflated.
import json, os, shutil, subprocess, sys, tempfile, zipfile
db, filestore, target = sys.argv[1:4]
with tempfile.TemporaryDirectory(dir=os.path.dirname(target)) as tmp:
    shutil.copytree(filestore, os.path.join(tmp, "filestore"))
    with open(os.path.join(tmp, "manifest.json"), "w") as fh:
        json.dump({"odoo_dump": "1", "db_name": db}, fh, indent=4)
    subprocess.run(["pg_dump", "--no-owner", "-f", os.path.join(tmp, "dump.sql"), db], check=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for root, dirs, names in os.walk(tmp):
            for name in sorted(names, key=lambda n: n != "dump.sql"):
                path = os.path.join(root, name)
                zf.write(path, os.path.relpath(path, tmp))
PY
); b_size=$(size_of "$out/odoo.zip"); rm -f "$out/odoo.zip"

declare -A secs kib bytes
for format in tar.gz zip dump; do
    sync
    read -r s k < <(measure env ODOO_RC="$conf" "$bin" backup "$src" --format "$format" -o "$out/ours.$format")
    secs[$format]=$s; kib[$format]=$k; bytes[$format]=$(size_of "$out/ours.$format"); rm -f "$out/ours.$format"
done

# The dump forms the tar.gz could hold: time to dump (and to pack, for pg_dump's own compression).
read -r fc_z0 _ < <(measure pg_dump -Fc -Z0 --no-owner -d "$src" -f "$out/z0.dump"); rm -f "$out/z0.dump"
read -r fc_z _ < <(measure pg_dump -Fc --no-owner -d "$src" -f "$out/z.dump"); rm -f "$out/z.dump"
read -r fd_j _ < <(measure pg_dump -Fd -Z0 -j "$(nproc)" --no-owner -d "$src" -f "$out/dir"); rm -rf "$out/dir"

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
mib() { echo $(($1 / 1024 / 1024)); }
printf '\nsource: database %s, filestore %s files / %s MiB, %s cores\n\n' "$db_size" "$fs_files" "$(mib "$fs_bytes")" "$(nproc)"
printf '| method | seconds | peak RSS MiB | output MiB |\n|---|---|---|---|\n'
printf '| (a) pg_dump -Fc, then tar czf filestore | %s | %s | %s |\n' "$a_s" $((a_kb / 1024)) "$(mib "$a_size")"
printf '| (b) Odoo: plain pg_dump + filestore copy + zipfile | %s | %s | %s |\n' "$b_s" $((b_kb / 1024)) "$(mib "$b_size")"
for format in tar.gz zip dump; do
    printf '| odoodb backup --format %s | %s | %s | %s |\n' "$format" "${secs[$format]}" $((${kib[$format]} / 1024)) "$(mib "${bytes[$format]}")"
done
printf '\ndump forms: pg_dump -Fc -Z0 %ss, pg_dump -Fc (its own zlib) %ss, pg_dump -Fd -Z0 -j%s %ss\n' "$fc_z0" "$fc_z" "$(nproc)" "$fd_j"
printf 'ratios: tar.gz / (a) = %s (target <= 0.6), zip / (b) = %s (target <= 0.5)\n' \
    "$(ratio "${secs[tar.gz]}" "$a_s")" "$(ratio "${secs[zip]}" "$b_s")"
