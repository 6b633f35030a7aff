#!/usr/bin/env bash
# Benchmark of `odoodb pseudonymize` against its physical floor, in one run on one dataset: the
# real Odoo 17 fixture grown to BENCH_PARTNERS partners and BENCH_MESSAGES messages (copies of
# its own rows, each with its own name, email, phone and body). The floor is one plain
#   UPDATE <table> SET <col> = md5(<col>), …
# per table, over the same tables and columns the plan names (non-text columns set to
# themselves): each table rewritten once, no shaping, no key. Runs alternate (floor,
# pseudonymize, floor, pseudonymize), each on a fresh template copy; the faster of each kept.
# Peak memory is odoodb's own process (the rewrite runs in the server).
# Not a test: run it by hand, then copy the table into the README.
#   BENCH_PARTNERS=1000000 BENCH_MESSAGES=1000000 benches/pseudonymize.sh
set -euo pipefail
cd "$(dirname "$0")/.."

partners=${BENCH_PARTNERS:-1000000}
messages=${BENCH_MESSAGES:-1000000}
fixtures=${ODOODB_FIXTURES:-$(cd .. && pwd)/shared/fixtures}
[ -f "$fixtures/odoo17/db.dump" ] || { echo "needs the real Odoo 17 fixture (ODOODB_FIXTURES)" >&2; exit 1; }

scripts/setup-postgres 2>/dev/null
cargo build --release --locked -q
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/odoodb
export PGHOST=${PGHOST:-/var/run/postgresql}

work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/odoodb-pseudo.XXXXXX")
src=odoodb_psbench_$$
export ODOO_RC=$work/odoo.conf
printf '[options]\ndata_dir = %s\n' "$work/data" > "$ODOO_RC"
mkdir -p "$work/data/filestore"
dropdb_() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"; }
cleanup() {
    for db in $(psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '${src}%'"); do dropdb_ "$db"; done
    rm -rf "$work"
}
trap cleanup EXIT

echo "preparing: Odoo 17 fixture grown to $partners partners and $messages messages ..." >&2
createdb "$src"
pg_restore --no-owner -d "$src" "$fixtures/odoo17/db.dump"
# Copies of an existing contact and message, every column but id, each with its own values.
grow() { # table, count, which row to copy, then column=expression pairs (g: the copy's number)
    local table=$1 count=$2 filter=$3 pair cols skip
    shift 3
    local names=() exprs=()
    for pair in "$@"; do names+=("${pair%%=*}"); exprs+=("${pair#*=}"); done
    skip=$(printf "'%s'," id "${names[@]}")
    cols=$(psql -X -At -d "$src" -c "SELECT string_agg(quote_ident(column_name), ', ') FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$table' AND column_name NOT IN (${skip%,})")
    psql -X -q -d "$src" -c "INSERT INTO $table ($cols, $(IFS=,; echo "${names[*]}"))
        SELECT $cols, $(IFS=,; echo "${exprs[*]}")
          FROM (SELECT * FROM $table WHERE $filter ORDER BY id LIMIT 1) AS m, generate_series(1, $count) AS g"
}
grow res_partner "$partners" "email IS NOT NULL AND NOT is_company AND parent_id IS NULL" \
    "name='Person ' || g" "complete_name='Person ' || g" \
    "email='person' || g || '@customer' || (g % 997) || '.com'" \
    "phone='+32 475 ' || lpad((g % 1000000)::text, 6, '0')" "street=g || ' Main Street'" \
    "city='City ' || (g % 5000)" "zip=lpad((g % 100000)::text, 5, '0')"
grow mail_message "$messages" "email_from IS NOT NULL AND message_type = 'comment'" \
    "body='<p>Hello ' || g || ', about your order ' || md5(g::text) || '</p>'" \
    "subject='Order ' || g" "email_from='\"Person ' || g || '\" <person' || g || '@customer' || (g % 997) || '.com>'"
psql -X -q -d "$src" -c "VACUUM ANALYZE res_partner" -c "VACUUM ANALYZE mail_message"
db_size=$(psql -X -At -d postgres -c "SELECT pg_size_pretty(pg_database_size('$src'))")
echo "source: $db_size, $(psql -X -At -d "$src" -c 'SELECT count(*) FROM res_partner') partners, $(psql -X -At -d "$src" -c 'SELECT count(*) FROM mail_message') messages, $(nproc) cores" >&2

# The floor's statements: the plan's tables and columns, md5 on text, non-text set to itself.
"$bin" pseudonymize "$src" --dry-run --json > "$work/plan.json"
python3 - "$work/plan.json" "$src" > "$work/floor.sql" <<'PY'
import json, subprocess, sys
plan = json.load(open(sys.argv[1]))
def column_type(table, column):
    return subprocess.run(["psql", "-X", "-At", "-d", sys.argv[2], "-c",
        f"SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}' AND column_name = '{column}'"],
        capture_output=True, text=True, check=True).stdout.strip()
for table in plan["tables"]:
    sets = []
    for column in table["columns"]:
        kind = column_type(table["table"], column)
        value = f'md5("{column}"::text)' if kind in ("character varying", "text") else f'"{column}"'
        sets.append(f'"{column}" = {value}')
    print(f'UPDATE "{table["table"]}" SET {", ".join(sets)};')
PY

measure() { # "seconds peak-KiB" of a command
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    cat "$work/time"
}
best() { awk -v a="$1" -v b="${2:-}" 'BEGIN { if (b == "" || a < b) print a; else print b }'; }
floor=; ours=; ours_kib=0
for round in 1 2; do
    copy=${src}_f$round
    createdb -T "$src" "$copy"
    read -r s _ < <(measure psql -X -q -v ON_ERROR_STOP=1 --single-transaction -d "$copy" -f "$work/floor.sql")
    floor=$(best "$s" "$floor"); dropdb_ "$copy"
    copy=${src}_p$round
    createdb -T "$src" "$copy"
    read -r s k < <(measure "$bin" pseudonymize "$copy" --yes --force --seed bench)
    ours=$(best "$s" "$ours"); ours_kib=$((k > ours_kib ? k : ours_kib)); dropdb_ "$copy"
    echo "round $round: floor ${floor}s, pseudonymize ${ours}s, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done

echo
echo "pseudonymize ($db_size; $partners grown partners, $messages grown messages; $(nproc) cores)"
echo
echo "| run | seconds | ÷ floor | peak memory |"
echo "|---|---|---|---|"
echo "| one \`UPDATE … SET col = md5(col)\` per table, same columns — floor | $floor | 1.00 | – |"
echo "| odoodb pseudonymize | $ours | $(awk "BEGIN { printf \"%.2f\", $ours / $floor }") | $((ours_kib / 1024)) MiB |"
