#!/usr/bin/env bash
# Benchmark, backup then restore, in one run on one scaled dataset.
# Backup: `odoodb backup` in each format against (a) `pg_dump -Fc` then `tar czf` of the
# filestore, one after the other, and (b) Odoo's own zip backup (plain pg_dump into a temporary
# folder, a copy of the filestore, then Python's zipfile over the lot), in one run, on the real
# Odoo 17 fixture scaled up: generated mail_message rows (BENCH_ROWS_MB of row data) and a
# synthetic filestore (BENCH_FILES files of BENCH_FILE_KB KiB, half random bytes behind a PNG or
# PDF magic, half text). Prints seconds, peak memory and the ratios. Not a test: run it by hand,
# then copy the tables into the README.
# Restore: `odoodb restore` of each of those backups (tar.gz, zip, dump) against
#   (a) createdb + `pg_restore` (one job) of the -Fc dump + `tar xzf` of the filestore,
#   (b) Odoo's own restore of its zip (zipfile extractall into a temporary folder, createdb,
#       `psql -f dump.sql`, then a move of the filestore into place),
#   (c) the best raw restores found: `pg_restore --jobs N` of a -Fc -Z0 dump file, and
#       `psql --single-transaction` with synchronous_commit=off of the plain dump, each with
#       `tar xf` of the filestore running at the same time; the faster is the baseline.
#   BENCH_ROWS_MB=1024 BENCH_FILES=20000 BENCH_FILE_KB=100 benches/backup-restore.sh   (full size)
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
dropdb_() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"; }
cleanup() {
    for db in "$src" "${src}_r"; do dropdb_ "$db"; done
    rm -rf "$work"
}
trap cleanup EXIT

# The real Odoo 17 fixture grown: $src, its filestore under $data; sets fs_files, fs_bytes.
# shellcheck source=benches/scaled-fixture.sh
. benches/scaled-fixture.sh

# "seconds peak-RSS-KiB" of a command
measure() {
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    cat "$work/time"
}
size_of() { du -cb "$@" | tail -1 | cut -f1; }

sync
read -r a_s a_kb < <(measure bash -c "pg_dump -Fc --no-owner -d '$src' -f '$out/a.dump' && tar -C '$data/filestore/$src' -czf '$out/a.tar.gz' ."); a_size=$(size_of "$out/a.dump" "$out/a.tar.gz")
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
); b_size=$(size_of "$out/odoo.zip")

declare -A secs kib bytes
for format in tar.gz zip dump; do
    sync
    read -r s k < <(measure env ODOO_RC="$conf" "$bin" backup "$src" --format "$format" -o "$out/ours.$format")
    secs[$format]=$s; kib[$format]=$k; bytes[$format]=$(size_of "$out/ours.$format")
done

# The dump forms the tar.gz could hold: time to dump (and to pack, for pg_dump's own compression).
read -r fc_z0 _ < <(measure pg_dump -Fc -Z0 --no-owner -d "$src" -f "$out/z0.dump")
read -r fc_z _ < <(measure pg_dump -Fc --no-owner -d "$src" -f "$out/z.dump"); rm -f "$out/z.dump"
read -r fd_j _ < <(measure pg_dump -Fd -Z0 -j "$(nproc)" --no-owner -d "$src" -f "$out/dir"); rm -rf "$out/dir"

# --- Restore -------------------------------------------------------------------------------
# Inputs kept from above: a.dump (-Fc) + a.tar.gz (filestore), odoo.zip (Odoo's), ours.*,
# z0.dump (-Fc -Z0); the plain dump and an uncompressed filestore tar for (c).
pg_dump --no-owner -d "$src" -f "$out/plain.sql"
tar -C "$data/filestore/$src" -cf "$out/fs.tar" .
dst=${src}_r
fs_dst=$data/filestore/$dst
create_like_odoo() { psql -X -q -d postgres -c "CREATE DATABASE \"$dst\" ENCODING 'unicode' LC_COLLATE 'C' TEMPLATE template0"; }
reset_dst() { dropdb_ "$dst"; rm -rf "$fs_dst"; sync; }
check_dst() {
    local n; n=$(find "$fs_dst" -type f | wc -l)
    [ "$n" -ge "$fs_files" ] || { echo "restore check: $n files in $fs_dst, expected $fs_files" >&2; exit 1; }
    psql -X -At -d "$dst" -c "SELECT count(*) FROM mail_message" >/dev/null
}
echo "restoring ..." >&2
reset_dst
read -r ra_s ra_kb < <(measure bash -c "createdb -T template0 -E unicode --lc-collate=C '$dst' && pg_restore --no-owner -d '$dst' '$out/a.dump' && mkdir -p '$fs_dst' && tar -C '$fs_dst' -xzf '$out/a.tar.gz'")
check_dst; reset_dst
read -r rb_s rb_kb < <(measure python3 - "$dst" "$out/odoo.zip" "$fs_dst" <<'PY'
# Odoo's restore_db of a zip: extractall of dump.sql and filestore/ into a temporary folder,
# an empty database, psql -q -f dump.sql, then shutil.move of the filestore into place.
import os, shutil, subprocess, sys, tempfile, zipfile
db, archive, dest = sys.argv[1:4]
with tempfile.TemporaryDirectory(dir=os.path.dirname(archive)) as tmp:
    with zipfile.ZipFile(archive) as z:
        members = ["dump.sql"] + [m for m in z.namelist() if m.startswith("filestore/")]
        z.extractall(tmp, members)
    subprocess.run(["psql", "-X", "-d", "postgres", "-q", "-c",
                    f"CREATE DATABASE \"{db}\" ENCODING 'unicode' LC_COLLATE 'C' TEMPLATE template0"], check=True)
    subprocess.run(["psql", "-X", "-q", "-f", os.path.join(tmp, "dump.sql"), db],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.move(os.path.join(tmp, "filestore"), dest)
PY
)
check_dst; reset_dst
jobs=$(nproc)
read -r rc1_s rc1_kb < <(measure bash -c "psql -X -q -d postgres -c \"CREATE DATABASE \\\"$dst\\\" ENCODING 'unicode' LC_COLLATE 'C' TEMPLATE template0\" && mkdir -p '$fs_dst' && { tar -C '$fs_dst' -xf '$out/fs.tar' & t=\$!; PGOPTIONS='-c synchronous_commit=off' pg_restore --no-owner --exit-on-error -j $jobs -d '$dst' '$out/z0.dump' && wait \$t; }")
check_dst; reset_dst
read -r rc2_s rc2_kb < <(measure bash -c "psql -X -q -d postgres -c \"CREATE DATABASE \\\"$dst\\\" ENCODING 'unicode' LC_COLLATE 'C' TEMPLATE template0\" && mkdir -p '$fs_dst' && { tar -C '$fs_dst' -xf '$out/fs.tar' & t=\$!; PGOPTIONS='-c synchronous_commit=off' psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f '$out/plain.sql' -d '$dst' && wait \$t; }")
check_dst; reset_dst
# The database part alone, for the record.
create_like_odoo; read -r rc1db_s _ < <(measure env PGOPTIONS='-c synchronous_commit=off' pg_restore --no-owner --exit-on-error -j "$jobs" -d "$dst" "$out/z0.dump"); reset_dst
create_like_odoo; read -r rc2db_s _ < <(measure env PGOPTIONS='-c synchronous_commit=off' psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$out/plain.sql" -d "$dst"); reset_dst
declare -A rsecs rkib
for format in tar.gz zip dump; do
    read -r s k < <(measure env ODOO_RC="$conf" "$bin" restore "$out/ours.$format" "$dst" --move --yes)
    rsecs[$format]=$s; rkib[$format]=$k
    if [ "$format" != dump ]; then check_dst; fi
    reset_dst
done
if python3 -c "import sys; sys.exit(0 if $rc1_s <= $rc2_s else 1)"; then c_s=$rc1_s; c_name="pg_restore -j$jobs"; else c_s=$rc2_s; c_name="psql --single-transaction"; fi

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

printf '\n| restore | seconds | vs Odoo (b) | vs best raw (c) | peak RSS MiB |\n|---|---|---|---|---|\n'
row() { printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$(ratio "$rb_s" "$2")x faster" "$(ratio "$2" "$c_s")x" "$3"; }
row "(a) createdb + pg_restore (1 job) + tar xzf" "$ra_s" $((ra_kb / 1024))
row "(b) Odoo: zip extractall + psql -f dump.sql + move" "$rb_s" $((rb_kb / 1024))
row "(c1) pg_restore -j$jobs of -Fc -Z0, tar xf alongside" "$rc1_s" $((rc1_kb / 1024))
row "(c2) psql --single-transaction, sync_commit off, tar xf alongside" "$rc2_s" $((rc2_kb / 1024))
for format in tar.gz zip dump; do
    row "odoodb restore $format" "${rsecs[$format]}" $((${rkib[$format]} / 1024))
done
printf '\ndatabase alone: pg_restore -j%s of -Fc -Z0 %ss, psql --single-transaction (sync_commit off) %ss; best raw (c) = %s\n' "$jobs" "$rc1db_s" "$rc2db_s" "$c_name"
printf 'ratios: (b) / tar.gz = %s, (b) / zip = %s (target >= 3); tar.gz / (c) = %s, zip / (c) = %s, dump / (c) = %s (target <= 1.1; the dump has no filestore)\n' \
    "$(ratio "$rb_s" "${rsecs[tar.gz]}")" "$(ratio "$rb_s" "${rsecs[zip]}")" "$(ratio "${rsecs[tar.gz]}" "$c_s")" "$(ratio "${rsecs[zip]}" "$c_s")" "$(ratio "${rsecs[dump]}" "$c_s")"
printf 'peak memory, odoodb restore: tar.gz %s MiB, zip %s MiB, dump %s MiB (target < 64)\n' $((${rkib[tar.gz]} / 1024)) $((${rkib[zip]} / 1024)) $((${rkib[dump]} / 1024))
