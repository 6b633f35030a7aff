# Sourced by the benchmarks: the real Odoo 17 fixture restored as $src and grown by $rows_mb MB
# of generated mail_message rows and a synthetic filestore under $data ($files files of $file_kb
# KiB, half random bytes behind a PNG or PDF magic, half text). Sets fs_files and fs_bytes.
# Expects: src, data, fixtures, rows_mb, files, file_kb.
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
