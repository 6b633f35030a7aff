#!/usr/bin/env bash
# Neutralization cost grows with the rows it touches, not with the database's size.
#
# Builds odoodb --release, makes two databases from tests/fixtures/odoo-modern.sql — one as is,
# one with 1,000,000 extra mail_message rows — times `odoodb neutralize --yes` on each, prints
# both timings and their ratio, and drops both databases.
#
# Connection: PGHOST/PGPORT/PGUSER (default: the local socket as the current user).
# Usage: benches/neutralize.sh [ROWS]
set -euo pipefail

rows=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
export PGHOST=${PGHOST:-/var/run/postgresql}

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
odoodb="$target/release/odoodb"

small="odoodb_bench_small_$$"
big="odoodb_bench_big_$$"
cleanup() {
    for db in "$small" "$big"; do
        psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT

for db in "$small" "$big"; do
    psql -q -d postgres -c "CREATE DATABASE \"$db\""
    psql -q -v ON_ERROR_STOP=1 -d "$db" -f "$root/tests/fixtures/odoo-modern.sql" >/dev/null
done
echo "filling $big with $rows mail_message rows…"
psql -q -v ON_ERROR_STOP=1 -d "$big" <<SQL
INSERT INTO mail_message (subject, body, model, res_id, message_type)
SELECT 'Message ' || n, '<p>' || repeat('lorem ipsum ', 20) || '</p>', 'res.partner', n % 5000, 'comment'
  FROM generate_series(1, $rows) AS n;
VACUUM ANALYZE mail_message;
SQL

# An empty odoo.conf, so a local ~/.odoorc cannot add module files or a db_name.
conf=$(mktemp)
printf '[options]\n' >"$conf"

time_ms() {
    local start end
    start=$(date +%s%N)
    ODOO_RC="$conf" "$odoodb" --host "$PGHOST" neutralize "$1" --yes --quiet >/dev/null
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

small_ms=$(time_ms "$small")
big_ms=$(time_ms "$big")
rm -f "$conf"

printf '%-40s %8s %10s\n' database "size" "neutralize"
printf '%-40s %8s %7s ms\n' "modern fixture" \
    "$(psql -Atd postgres -c "SELECT pg_size_pretty(pg_database_size('$small'))")" "$small_ms"
printf '%-40s %8s %7s ms\n' "modern fixture + $rows mail_message" \
    "$(psql -Atd postgres -c "SELECT pg_size_pretty(pg_database_size('$big'))")" "$big_ms"
awk -v a="$small_ms" -v b="$big_ms" 'BEGIN { printf "ratio big/small: %.2f\n", (a > 0 ? b / a : 0) }'
