
use builtin;
use str;

set edit:completion:arg-completer[odoodb] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'odoodb'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'odoodb'= {
            cand -c 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --config 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --settings 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]'
            cand --host 'PostgreSQL host name, or the directory of its Unix socket'
            cand --port 'PostgreSQL port'
            cand --user 'PostgreSQL role to connect as'
            cand --sslmode 'TLS policy for TCP connections (ignored on a Unix socket)'
            cand --data-dir 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>'
            cand --color 'When to use colours'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --json 'Print one JSON document on stdout and nothing else there'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --verbose 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --no-progress 'Never show progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the Odoo databases on the server: version, sizes, filestore, neutralized, warnings'
            cand info 'Show one database in detail: version, modules, identity, mail, crons, filestore health, sessions'
            cand duplicate 'Copy a database and its filestore under a new name, with a new identity'
            cand rename 'Rename a database and its filestore together, or neither'
            cand delete 'Drop a database and remove its filestore, after a typed confirmation'
            cand neutralize 'Make a copy safe: crons, mail, payments, carriers, EDI… switched off in one transaction; or audit one with --check'
            cand recover 'Complete or roll back the changes of odoodb runs that were killed (every changing command does this first); list the ones still under way'
            cand config 'Show the resolved settings and where each one came from'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page, or write every page into a directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'odoodb;list'= {
            cand -c 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --config 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --settings 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]'
            cand --host 'PostgreSQL host name, or the directory of its Unix socket'
            cand --port 'PostgreSQL port'
            cand --user 'PostgreSQL role to connect as'
            cand --sslmode 'TLS policy for TCP connections (ignored on a Unix socket)'
            cand --data-dir 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>'
            cand --color 'When to use colours'
            cand --all 'Also list databases that are not Odoo''s'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --json 'Print one JSON document on stdout and nothing else there'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --verbose 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --no-progress 'Never show progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'odoodb;info'= {
            cand -c 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --config 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --settings 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]'
            cand --host 'PostgreSQL host name, or the directory of its Unix socket'
            cand --port 'PostgreSQL port'
            cand --user 'PostgreSQL role to connect as'
            cand --sslmode 'TLS policy for TCP connections (ignored on a Unix socket)'
            cand --data-dir 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>'
            cand --color 'When to use colours'
            cand --modules 'Also list every installed module with its version'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --json 'Print one JSON document on stdout and nothing else there'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --verbose 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --no-progress 'Never show progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'odoodb;duplicate'= {
            cand --filestore 'How to bring the filestore along'
            cand --strategy 'How PostgreSQL copies the database'
            cand --addons-path 'Where to find modules'' data/neutralize.sql (comma-separated) [default: odoo.conf addons_path]'
            cand --ignore-module 'Do not run this module''s data/neutralize.sql (repeatable)'
            cand -c 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --config 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --settings 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]'
            cand --host 'PostgreSQL host name, or the directory of its Unix socket'
            cand --port 'PostgreSQL port'
            cand --user 'PostgreSQL role to connect as'
            cand --sslmode 'TLS policy for TCP connections (ignored on a Unix socket)'
            cand --data-dir 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>'
            cand --color 'When to use colours'
            cand --neutralize 'Neutralize the copy (every `odoodb neutralize` step, in one transaction) before it gets its final name, so it is never reachable un-neutralized'
            cand --keep-enterprise-code 'Keep database.enterprise_code in the copy (by default it is removed, so the copy never poses as the production subscription; a neutralized copy never keeps it)'
            cand --force 'Replace an existing TARGET (database and filestore), after confirmation; the old one is removed only once the new copy is complete'
            cand --no-module-files 'Do not run any module''s data/neutralize.sql, only the built-in steps'
            cand --continue-on-error 'Keep going when a module''s neutralize.sql fails (its own changes are undone; the run then exits 3); without it, one failure rolls everything back'
            cand --force-disconnect 'End other sessions on the database without asking (Odoo reconnects fast)'
            cand --dry-run 'Print the plan (SQL and filesystem steps) and change nothing'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --json 'Print one JSON document on stdout and nothing else there'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --verbose 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --no-progress 'Never show progress bars'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'odoodb;rename'= {
            cand -c 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --config 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --settings 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]'
            cand --host 'PostgreSQL host name, or the directory of its Unix socket'
            cand --port 'PostgreSQL port'
            cand --user 'PostgreSQL role to connect as'
            cand --sslmode 'TLS policy for TCP connections (ignored on a Unix socket)'
            cand --data-dir 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>'
            cand --color 'When to use colours'
            cand --force 'Do not ask for the name of a database that looks like production (odoo.conf db_name, or listed in the settings'' [neutralize] protect); --yes alone is not enough for those'
            cand --force-disconnect 'End other sessions on the database without asking (Odoo reconnects fast)'
            cand --dry-run 'Print the plan (SQL and filesystem steps) and change nothing'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --json 'Print one JSON document on stdout and nothing else there'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --verbose 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --no-progress 'Never show progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'odoodb;delete'= {
            cand -c 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --config 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --settings 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]'
            cand --host 'PostgreSQL host name, or the directory of its Unix socket'
            cand --port 'PostgreSQL port'
            cand --user 'PostgreSQL role to connect as'
            cand --sslmode 'TLS policy for TCP connections (ignored on a Unix socket)'
            cand --data-dir 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>'
            cand --color 'When to use colours'
            cand --keep-filestore 'Leave the filestore folder on disk'
            cand --force 'Also drop a database that is not Odoo''s, and one that looks like production (odoo.conf db_name, or listed in the settings'' [neutralize] protect) without typing its name'
            cand --force-disconnect 'End other sessions on the database without asking (Odoo reconnects fast)'
            cand --dry-run 'Print the plan (SQL and filesystem steps) and change nothing'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --json 'Print one JSON document on stdout and nothing else there'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --verbose 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --no-progress 'Never show progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'odoodb;neutralize'= {
            cand --only 'Run only these steps (comma-separated ids, see --list-steps)'
            cand --skip 'Leave out these steps (comma-separated ids)'
            cand --addons-path 'Where to find modules'' data/neutralize.sql (comma-separated) [default: odoo.conf addons_path]'
            cand --ignore-module 'Do not run this module''s data/neutralize.sql (repeatable)'
            cand -c 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --config 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --settings 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]'
            cand --host 'PostgreSQL host name, or the directory of its Unix socket'
            cand --port 'PostgreSQL port'
            cand --user 'PostgreSQL role to connect as'
            cand --sslmode 'TLS policy for TCP connections (ignored on a Unix socket)'
            cand --data-dir 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>'
            cand --color 'When to use colours'
            cand --check 'Audit only: list what is still live and exit 4 if anything is'
            cand --dry-run 'Show the plan with row counts (and the SQL with -v); change nothing'
            cand --interactive 'Confirm or skip each step, then commit once at the end'
            cand --list-steps 'List the steps and exit'
            cand --no-module-files 'Do not run any module''s data/neutralize.sql, only the built-in steps'
            cand --continue-on-error 'Keep going when a module''s neutralize.sql fails (its own changes are undone; the run then exits 3); without it, one failure rolls everything back'
            cand --force 'Do not ask for the name of a database that looks like production (odoo.conf db_name, or listed in the settings'' [neutralize] protect)'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --json 'Print one JSON document on stdout and nothing else there'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --verbose 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --no-progress 'Never show progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'odoodb;recover'= {
            cand -c 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --config 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --settings 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]'
            cand --host 'PostgreSQL host name, or the directory of its Unix socket'
            cand --port 'PostgreSQL port'
            cand --user 'PostgreSQL role to connect as'
            cand --sslmode 'TLS policy for TCP connections (ignored on a Unix socket)'
            cand --data-dir 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>'
            cand --color 'When to use colours'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --json 'Print one JSON document on stdout and nothing else there'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --verbose 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --no-progress 'Never show progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'odoodb;config'= {
            cand -c 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --config 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --settings 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]'
            cand --host 'PostgreSQL host name, or the directory of its Unix socket'
            cand --port 'PostgreSQL port'
            cand --user 'PostgreSQL role to connect as'
            cand --sslmode 'TLS policy for TCP connections (ignored on a Unix socket)'
            cand --data-dir 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>'
            cand --color 'When to use colours'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --json 'Print one JSON document on stdout and nothing else there'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --verbose 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --no-progress 'Never show progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'odoodb;completions'= {
            cand -c 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --config 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --settings 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]'
            cand --host 'PostgreSQL host name, or the directory of its Unix socket'
            cand --port 'PostgreSQL port'
            cand --user 'PostgreSQL role to connect as'
            cand --sslmode 'TLS policy for TCP connections (ignored on a Unix socket)'
            cand --data-dir 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>'
            cand --color 'When to use colours'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --json 'Print one JSON document on stdout and nothing else there'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --verbose 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --no-progress 'Never show progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'odoodb;man'= {
            cand --dir 'Write odoodb.1 and one page per subcommand into this directory instead of printing'
            cand -c 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --config 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]'
            cand --settings 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]'
            cand --host 'PostgreSQL host name, or the directory of its Unix socket'
            cand --port 'PostgreSQL port'
            cand --user 'PostgreSQL role to connect as'
            cand --sslmode 'TLS policy for TCP connections (ignored on a Unix socket)'
            cand --data-dir 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>'
            cand --color 'When to use colours'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --json 'Print one JSON document on stdout and nothing else there'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --verbose 'Say more: where each setting came from, the SQL that runs (repeat for more)'
            cand --no-progress 'Never show progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'odoodb;help'= {
            cand list 'List the Odoo databases on the server: version, sizes, filestore, neutralized, warnings'
            cand info 'Show one database in detail: version, modules, identity, mail, crons, filestore health, sessions'
            cand duplicate 'Copy a database and its filestore under a new name, with a new identity'
            cand rename 'Rename a database and its filestore together, or neither'
            cand delete 'Drop a database and remove its filestore, after a typed confirmation'
            cand neutralize 'Make a copy safe: crons, mail, payments, carriers, EDI… switched off in one transaction; or audit one with --check'
            cand recover 'Complete or roll back the changes of odoodb runs that were killed (every changing command does this first); list the ones still under way'
            cand config 'Show the resolved settings and where each one came from'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page, or write every page into a directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'odoodb;help;list'= {
        }
        &'odoodb;help;info'= {
        }
        &'odoodb;help;duplicate'= {
        }
        &'odoodb;help;rename'= {
        }
        &'odoodb;help;delete'= {
        }
        &'odoodb;help;neutralize'= {
        }
        &'odoodb;help;recover'= {
        }
        &'odoodb;help;config'= {
        }
        &'odoodb;help;completions'= {
        }
        &'odoodb;help;man'= {
        }
        &'odoodb;help;help'= {
        }
    ]
    $completions[$command]
}
