
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'odoodb' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'odoodb'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'odoodb' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the Odoo databases on the server: version, sizes, filestore, neutralized, warnings')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show one database in detail: version, modules, identity, mail, crons, filestore health, sessions')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Back up a database and its filestore into one archive (tar.gz, Odoo''s zip, or a pg_dump file); or check an archive with --verify')
            [CompletionResult]::new('backups', 'backups', [CompletionResultType]::ParameterValue, 'List the backups in a folder, newest first; with --max-age, exit 4 when a database''s newest backup is older or missing (for monitoring)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a backup (ours, Odoo''s zip, a pg_dump file or folder, plain SQL) into a new database, atomically')
            [CompletionResult]::new('duplicate', 'duplicate', [CompletionResultType]::ParameterValue, 'Copy a database and its filestore under a new name, with a new identity')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a database and its filestore together, or neither')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Drop a database and remove its filestore, after a typed confirmation')
            [CompletionResult]::new('neutralize', 'neutralize', [CompletionResultType]::ParameterValue, 'Make a copy safe: crons, mail, payments, carriers, EDI… switched off in one transaction; or audit one with --check')
            [CompletionResult]::new('pseudonymize', 'pseudonymize', [CompletionResultType]::ParameterValue, 'Rewrite every person''s data of a copy into consistent pseudonyms and reset every credential, in one transaction; or prove a copy with --check --against its source')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Upgrade a database (Odoo''s upgrade platform, or a local program such as OpenUpgrade): preflight, an upgraded test copy, production with a backup first and an automatic revert, a platform request''s status and log')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Update production''s modules within its version (`-u` after a code deploy): closed, backed up, updated on a copy, checked, swapped in; the original kept closed for `odoodb upgrade rollback`')
            [CompletionResult]::new('recover', 'recover', [CompletionResultType]::ParameterValue, 'Complete or roll back the changes of odoodb runs that were killed (every changing command does this first); list the ones still under way')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each one came from')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page, or write every page into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'odoodb;list' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also list databases that are not Odoo''s')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;info' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('--modules', '--modules', [CompletionResultType]::ParameterName, 'Also list every installed module with its version')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;backup' {
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'With --all: only the databases whose name matches this shell glob (`*`, `?`); repeatable')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'With --all: how many databases at a time (pg_dump and compression already use the cores) [default: 1]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'With --all: when another `backup --all` is writing into the same folder, wait this long for it (90m, 2h, …) instead of exiting 1 at once')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Archive format [default: settings backup.format, else tar.gz]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the archive here instead of into --dir: a new file (its extension chooses the format when --format is not given), `-` for stdout, or a named pipe or device, written through; an existing file only with --force, a link is followed')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the archive here instead of into --dir: a new file (its extension chooses the format when --format is not given), `-` for stdout, or a named pipe or device, written through; an existing file only with --force, a link is followed')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write <db>_<YYYY-mm-dd_HH-MM-SS>.<ext> into this folder [default: settings backup.dir, else the current folder]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Write <db>_<YYYY-mm-dd_HH-MM-SS>.<ext> under this object-storage prefix (s3://BUCKET/PREFIX/), or into this folder; credentials and endpoint from AWS_* and ~/.aws as every S3 tool reads them, or [backup.s3] in the settings [default: settings backup.to]')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Once the new backup is complete and verified, keep only the newest N backups of this database in the folder [default: settings backup.keep]')
            [CompletionResult]::new('--keep-daily', '--keep-daily', [CompletionResultType]::ParameterName, 'Also keep the newest backup of each of the last N days that have one (restic''s rule; with --keep-weekly and --keep-monthly, what any rule keeps stays) [default: settings backup.keep_daily]')
            [CompletionResult]::new('--keep-weekly', '--keep-weekly', [CompletionResultType]::ParameterName, 'Keep the newest backup of each of the last N ISO weeks that have one [default: settings backup.keep_weekly]')
            [CompletionResult]::new('--keep-monthly', '--keep-monthly', [CompletionResultType]::ParameterName, 'Keep the newest backup of each of the last N calendar months that have one [default: settings backup.keep_monthly]')
            [CompletionResult]::new('--compression', '--compression', [CompletionResultType]::ParameterName, 'How hard to compress')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Parallel pg_dump/compression jobs [default: the number of cores]')
            [CompletionResult]::new('--encrypt-to', '--encrypt-to', [CompletionResultType]::ParameterName, 'Encrypt the whole archive with age to this public key (age1…), as `age -r` does; its name then ends in .age; repeatable [default: settings backup.encrypt_to]')
            [CompletionResult]::new('--encrypt-to-file', '--encrypt-to-file', [CompletionResultType]::ParameterName, 'Encrypt to the public keys in this file, one a line (`#` comments), as `age -R` reads; repeatable')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Check an archive (a file, an http(s) URL or s3://BUCKET/KEY) end to end (checksums, manifest, dump, filestore names) instead of making one; exit 4 when anything is wrong')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'With --verify: the age identity file (AGE-SECRET-KEY-1… lines) that decrypts an encrypted archive [default: $ODOODB_AGE_IDENTITY, else settings restore.identity]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Back up every Odoo database of the server (not templates, not the system''s), one archive each into --dir; exit 1 if any failed (the others are still made and kept)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the file named with -o if it exists (once the new backup is complete)')
            [CompletionResult]::new('--no-filestore', '--no-filestore', [CompletionResultType]::ParameterName, 'Leave the filestore out (a backup of the database alone)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check everything and write nothing: for each database the archive it would write, the space it may need and the space free, and the older backups retention would remove')
            [CompletionResult]::new('--no-space-check', '--no-space-check', [CompletionResultType]::ParameterName, 'Do not check the target folder''s free space first (for filesystems whose free space misleads: compressing ones, some network mounts)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'odoodb;backups' {
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'Only the databases whose name matches this shell glob (`*`, `?`); repeatable')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Exit 4 when an Odoo database of the server (those --match names) has no backup in the folder newer than this: 90m, 26h, 7d, 3600s')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;restore' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The role that owns the restored database [default: the connecting role]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Parallel pg_restore jobs [default: the number of cores]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'The age identity file (AGE-SECRET-KEY-1… lines) that decrypts an encrypted archive [default: $ODOODB_AGE_IDENTITY, else settings restore.identity]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'For an http(s) archive: seconds to wait for its server to accept the connection [default: settings [restore] connect_timeout, else 30]')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'For an http(s) archive: seconds its server may send nothing (its answer, then each part of the download) before the restore gives up [default: settings [restore] read_timeout, else 60]')
            [CompletionResult]::new('--addons-path', '--addons-path', [CompletionResultType]::ParameterName, 'Where to find modules'' data/neutralize.sql (comma-separated) [default: odoo.conf addons_path]')
            [CompletionResult]::new('--ignore-module', '--ignore-module', [CompletionResultType]::ParameterName, 'Do not run this module''s data/neutralize.sql (repeatable)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Repeatable pseudonyms (for CI): the same seed gives the same pseudonyms. Anyone who has it can test a guessed value, so keep copies made with it among those who may know. Prefer the environment variable ODOODB_PSEUDONYMIZE_SEED (read where something is pseudonymized): arguments are visible to every user of the machine')
            [CompletionResult]::new('--attachments', '--attachments', [CompletionResultType]::ParameterName, 'The files attached to people''s records (photos, CVs, IDs, documents sent to them): replaced by a placeholder (a one-pixel image, a line of text), dropped (emptied), or kept; the filestore of the result then holds only what remains [default: placeholder]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Every user''s new password: the first line of this file [default: a random one, printed once]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A TOML file whose [columns] table adds the columns of custom modules ("res_partner.x_ref" = "hash") or keeps built-in ones (= "keep"); on top of the settings'' [pseudonymize.columns]')
            [CompletionResult]::new('--sql', '--sql', [CompletionResultType]::ParameterName, 'SQL run after the built-in rules, in the same transaction (repeatable): if it fails, nothing is changed')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('--copy', '--copy', [CompletionResultType]::ParameterName, 'Restore as a copy: new uuid, secret and create date, no enterprise code, web.base.url reset (as Odoo''s "copied") [default in scripts]')
            [CompletionResult]::new('--move', '--move', [CompletionResultType]::ParameterName, 'Restore as the same database moved here: identity kept (as Odoo''s "moved")')
            [CompletionResult]::new('--neutralize', '--neutralize', [CompletionResultType]::ParameterName, 'Neutralize the restored database before it gets its name (every `odoodb neutralize` step, parameters that look like credentials blanked too)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing database of that name (after confirmation), once the restore is complete')
            [CompletionResult]::new('--inspect', '--inspect', [CompletionResultType]::ParameterName, 'Show what the archive holds (manifest, format, versions, sizes) and restore nothing')
            [CompletionResult]::new('--no-module-files', '--no-module-files', [CompletionResultType]::ParameterName, 'Do not run any module''s data/neutralize.sql, only the built-in steps')
            [CompletionResult]::new('--continue-on-error', '--continue-on-error', [CompletionResultType]::ParameterName, 'Keep going when a module''s neutralize.sql fails (its own changes are undone; the run then exits 3); without it, one failure rolls everything back')
            [CompletionResult]::new('--pseudonymize', '--pseudonymize', [CompletionResultType]::ParameterName, 'Pseudonymize the new database (every person''s data rewritten, every credential reset; see `odoodb pseudonymize`) before it gets its name')
            [CompletionResult]::new('--keep-admin', '--keep-admin', [CompletionResultType]::ParameterName, 'The administrator keeps its login (its password is reset all the same)')
            [CompletionResult]::new('--keep-internal', '--keep-internal', [CompletionResultType]::ParameterName, 'Internal users keep their names and details (portal users and contacts do not)')
            [CompletionResult]::new('--force-disconnect', '--force-disconnect', [CompletionResultType]::ParameterName, 'End other sessions on the database without asking (Odoo reconnects fast)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan (SQL and filesystem steps) and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;duplicate' {
            [CompletionResult]::new('--filestore', '--filestore', [CompletionResultType]::ParameterName, 'How to bring the filestore along')
            [CompletionResult]::new('--strategy', '--strategy', [CompletionResultType]::ParameterName, 'How PostgreSQL copies the database')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'The role that owns the copy [default: the source''s owner, so the Odoo that serves the source lists the copy too]')
            [CompletionResult]::new('--addons-path', '--addons-path', [CompletionResultType]::ParameterName, 'Where to find modules'' data/neutralize.sql (comma-separated) [default: odoo.conf addons_path]')
            [CompletionResult]::new('--ignore-module', '--ignore-module', [CompletionResultType]::ParameterName, 'Do not run this module''s data/neutralize.sql (repeatable)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Repeatable pseudonyms (for CI): the same seed gives the same pseudonyms. Anyone who has it can test a guessed value, so keep copies made with it among those who may know. Prefer the environment variable ODOODB_PSEUDONYMIZE_SEED (read where something is pseudonymized): arguments are visible to every user of the machine')
            [CompletionResult]::new('--attachments', '--attachments', [CompletionResultType]::ParameterName, 'The files attached to people''s records (photos, CVs, IDs, documents sent to them): replaced by a placeholder (a one-pixel image, a line of text), dropped (emptied), or kept; the filestore of the result then holds only what remains [default: placeholder]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Every user''s new password: the first line of this file [default: a random one, printed once]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A TOML file whose [columns] table adds the columns of custom modules ("res_partner.x_ref" = "hash") or keeps built-in ones (= "keep"); on top of the settings'' [pseudonymize.columns]')
            [CompletionResult]::new('--sql', '--sql', [CompletionResultType]::ParameterName, 'SQL run after the built-in rules, in the same transaction (repeatable): if it fails, nothing is changed')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('--neutralize', '--neutralize', [CompletionResultType]::ParameterName, 'Neutralize the copy (every `odoodb neutralize` step, in one transaction, parameters that look like credentials blanked too) before it gets its final name, so it is never reachable un-neutralized')
            [CompletionResult]::new('--keep-enterprise-code', '--keep-enterprise-code', [CompletionResultType]::ParameterName, 'Keep database.enterprise_code in the copy (by default it is removed, so the copy never poses as the production subscription; a neutralized copy never keeps it)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing TARGET (database and filestore), after confirmation; the old one is removed only once the new copy is complete')
            [CompletionResult]::new('--no-module-files', '--no-module-files', [CompletionResultType]::ParameterName, 'Do not run any module''s data/neutralize.sql, only the built-in steps')
            [CompletionResult]::new('--continue-on-error', '--continue-on-error', [CompletionResultType]::ParameterName, 'Keep going when a module''s neutralize.sql fails (its own changes are undone; the run then exits 3); without it, one failure rolls everything back')
            [CompletionResult]::new('--pseudonymize', '--pseudonymize', [CompletionResultType]::ParameterName, 'Pseudonymize the new database (every person''s data rewritten, every credential reset; see `odoodb pseudonymize`) before it gets its name')
            [CompletionResult]::new('--keep-admin', '--keep-admin', [CompletionResultType]::ParameterName, 'The administrator keeps its login (its password is reset all the same)')
            [CompletionResult]::new('--keep-internal', '--keep-internal', [CompletionResultType]::ParameterName, 'Internal users keep their names and details (portal users and contacts do not)')
            [CompletionResult]::new('--backup-first', '--backup-first', [CompletionResultType]::ParameterName, 'With --force: back up the database being replaced into the backup folder (settings backup.dir) first, and change nothing if that fails')
            [CompletionResult]::new('--force-disconnect', '--force-disconnect', [CompletionResultType]::ParameterName, 'End other sessions on the database without asking (Odoo reconnects fast)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan (SQL and filesystem steps) and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'odoodb;rename' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not ask for the name of a database that looks like production (odoo.conf db_name, or listed in the settings'' [neutralize] protect); --yes alone is not enough for those')
            [CompletionResult]::new('--force-disconnect', '--force-disconnect', [CompletionResultType]::ParameterName, 'End other sessions on the database without asking (Odoo reconnects fast)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan (SQL and filesystem steps) and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;delete' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'With --backup-first: write <db>_<YYYY-mm-dd_HH-MM-SS>.<ext> into this folder [default: settings backup.dir, else the current folder]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('--keep-filestore', '--keep-filestore', [CompletionResultType]::ParameterName, 'Leave the filestore folder on disk')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'Succeed, changing nothing, when the database does not exist (for scripts that clean up)')
            [CompletionResult]::new('--backup-first', '--backup-first', [CompletionResultType]::ParameterName, 'Make a backup into the backup folder (--dir, else settings backup.dir) first, and drop nothing if it fails')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Also drop a database that is not Odoo''s, and one that looks like production (odoo.conf db_name, or listed in the settings'' [neutralize] protect) without typing its name')
            [CompletionResult]::new('--force-disconnect', '--force-disconnect', [CompletionResultType]::ParameterName, 'End other sessions on the database without asking (Odoo reconnects fast)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan (SQL and filesystem steps) and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;neutralize' {
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Run only these steps (comma-separated ids, see --list-steps)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Leave out these steps (comma-separated ids)')
            [CompletionResult]::new('--addons-path', '--addons-path', [CompletionResultType]::ParameterName, 'Where to find modules'' data/neutralize.sql (comma-separated) [default: odoo.conf addons_path]')
            [CompletionResult]::new('--ignore-module', '--ignore-module', [CompletionResultType]::ParameterName, 'Do not run this module''s data/neutralize.sql (repeatable)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Audit only: list what is still live and exit 4 if anything is')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan with row counts (and the SQL with -v); change nothing')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Confirm or skip each step, then commit once at the end')
            [CompletionResult]::new('--list-steps', '--list-steps', [CompletionResultType]::ParameterName, 'List the steps and exit')
            [CompletionResult]::new('--clear-unknown-secrets', '--clear-unknown-secrets', [CompletionResultType]::ParameterName, 'Also blank the parameters that look like credentials (keys with secret, token, api_key, password, private_key…) that no step covers; without it they are only reported, and --check counts them')
            [CompletionResult]::new('--no-module-files', '--no-module-files', [CompletionResultType]::ParameterName, 'Do not run any module''s data/neutralize.sql, only the built-in steps')
            [CompletionResult]::new('--continue-on-error', '--continue-on-error', [CompletionResultType]::ParameterName, 'Keep going when a module''s neutralize.sql fails (its own changes are undone; the run then exits 3); without it, one failure rolls everything back')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not ask for the name of a database that looks like production (odoo.conf db_name, or listed in the settings'' [neutralize] protect)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;pseudonymize' {
            [CompletionResult]::new('--against', '--against', [CompletionResultType]::ParameterName, 'With --check: the source database the copy was made from')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Repeatable pseudonyms (for CI): the same seed gives the same pseudonyms. Anyone who has it can test a guessed value, so keep copies made with it among those who may know. Prefer the environment variable ODOODB_PSEUDONYMIZE_SEED (read where something is pseudonymized): arguments are visible to every user of the machine')
            [CompletionResult]::new('--attachments', '--attachments', [CompletionResultType]::ParameterName, 'The files attached to people''s records (photos, CVs, IDs, documents sent to them): replaced by a placeholder (a one-pixel image, a line of text), dropped (emptied), or kept; the filestore of the result then holds only what remains [default: placeholder]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Every user''s new password: the first line of this file [default: a random one, printed once]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A TOML file whose [columns] table adds the columns of custom modules ("res_partner.x_ref" = "hash") or keeps built-in ones (= "keep"); on top of the settings'' [pseudonymize.columns]')
            [CompletionResult]::new('--sql', '--sql', [CompletionResultType]::ParameterName, 'SQL run after the built-in rules, in the same transaction (repeatable): if it fails, nothing is changed')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Prove a copy: compare it with its source (--against) and exit 4 when a value or a credential of the source is still there; changes nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan with row counts; change nothing')
            [CompletionResult]::new('--keep-admin', '--keep-admin', [CompletionResultType]::ParameterName, 'The administrator keeps its login (its password is reset all the same)')
            [CompletionResult]::new('--keep-internal', '--keep-internal', [CompletionResultType]::ParameterName, 'Internal users keep their names and details (portal users and contacts do not)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not ask for the name of a database that looks like production (odoo.conf db_name, listed in the settings'' [neutralize] protect, or not neutralized)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;upgrade' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Preflight: versions, contract, local tools, free disk, and installed modules missing from the target version''s code; exits 4 when something blocks the upgrade')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'A test upgrade: an upgraded, neutralized copy under a new name; the original is never closed or changed')
            [CompletionResult]::new('production', 'production', [CompletionResultType]::ParameterValue, 'Upgrade production: closed to connections, backed up, upgraded, swapped in; the original is kept as <db>_pre_<target>_<YYYY-mm-dd_HH-MM-SS>, and any failure puts it back as it was')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo the last production upgrade: the kept original takes the name back (database and filestore), the upgraded database is set aside closed (or dropped)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Continue an interrupted test upgrade from where the platform is')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The platform''s view of the upgrade request stored for a database')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'The platform''s log of the upgrade request stored for a database')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'odoodb;upgrade;check' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'The version to upgrade to: 17.0, 18.0, saas~18.3…')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The version to upgrade to: 17.0, 18.0, saas~18.3…')
            [CompletionResult]::new('--contract', '--contract', [CompletionResultType]::ParameterName, 'The subscription code the platform checks [default: settings [upgrade] contract, else the database''s database.enterprise_code]')
            [CompletionResult]::new('--addons-path', '--addons-path', [CompletionResultType]::ParameterName, 'The addons path of the TARGET version (comma-separated): installed modules missing from it are reported')
            [CompletionResult]::new('--write-stubs', '--write-stubs', [CompletionResultType]::ParameterName, 'Write an installable empty module into DIR for each missing module (needs --addons-path)')
            [CompletionResult]::new('--work-dir', '--work-dir', [CompletionResultType]::ParameterName, 'Where the dump and the download will go, checked for free space [default: the system''s temporary directory]')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Who will upgrade: the platform needs a contract, ssh and rsync; a local command does not')
            [CompletionResult]::new('--upgrade-command', '--upgrade-command', [CompletionResultType]::ParameterName, 'With --engine command: the program that will upgrade, as `upgrade test` takes it; its program (the first word) must be found and executable. The check never runs it')
            [CompletionResult]::new('--upgrade-probe', '--upgrade-probe', [CompletionResultType]::ParameterName, 'A harmless command showing that the upgrade program works, e.g. ''odoo-bin --version'': run by `sh -c` with ODOODB_TARGET set and no database connection; failing, or not done within --upgrade-probe-timeout, blocks')
            [CompletionResult]::new('--upgrade-probe-timeout', '--upgrade-probe-timeout', [CompletionResultType]::ParameterName, 'Seconds the probe may take before it is stopped')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'odoodb;upgrade;test' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The name of the upgraded copy [default: <db>_test_<target>, e.g. prod_test_18]')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'The version to upgrade to: 17.0, 18.0, saas~18.3…')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The version to upgrade to: 17.0, 18.0, saas~18.3…')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Who upgrades: Odoo''s platform, or a local program')
            [CompletionResult]::new('--upgrade-command', '--upgrade-command', [CompletionResultType]::ParameterName, 'With --engine command: the program, run by `sh -c` against the copy (its filestore in place) with ODOODB_DB, ODOODB_FILESTORE, ODOODB_DATA_DIR, ODOODB_TARGET, ODOODB_FROM and PGHOST/PGPORT/PGUSER/PGDATABASE (password in PGPASSFILE) in its environment; once per major version when the target is further')
            [CompletionResult]::new('--contract', '--contract', [CompletionResultType]::ParameterName, 'The subscription code the platform checks [default: settings [upgrade] contract, else the database''s database.enterprise_code]')
            [CompletionResult]::new('--addons-path', '--addons-path', [CompletionResultType]::ParameterName, 'The addons path of the TARGET version (comma-separated): installed modules missing from it block the upgrade (as `upgrade check`); a test copy runs its modules'' data/neutralize.sql from it')
            [CompletionResult]::new('--work-dir', '--work-dir', [CompletionResultType]::ParameterName, 'Where the dump and the download go [default: <temporary directory>/odoodb-upgrade-<db>]')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Parallel jobs of pg_dump and pg_restore [default: the number of cores]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Parallel jobs of pg_dump and pg_restore [default: the number of cores]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'KEY=VALUE passed to the platform''s upgrade (repeatable)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'A file of KEY=VALUE lines (blank lines and # comments skipped) passed like --env')
            [CompletionResult]::new('--data-server-user', '--data-server-user', [CompletionResultType]::ParameterName, 'The data server''s ssh user [default: settings [upgrade] data_server_user, else odoo]')
            [CompletionResult]::new('--data-server-path', '--data-server-path', [CompletionResultType]::ParameterName, 'The data server''s folder [default: settings [upgrade] data_server_path, else /data]')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'Seconds between two questions to the platform while it works')
            [CompletionResult]::new('--upgrade-server', '--upgrade-server', [CompletionResultType]::ParameterName, 'The upgrade platform [default: settings [upgrade] server, else https://upgrade.odoo.com]')
            [CompletionResult]::new('--upgrade-ca', '--upgrade-ca', [CompletionResultType]::ParameterName, 'PEM file of root certificates to trust for the platform, on top of the system''s (TLS is never turned off) [default: settings [upgrade] ca]')
            [CompletionResult]::new('--upgrade-timeout', '--upgrade-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each answer of the platform [default: settings [upgrade] timeout, else 60]')
            [CompletionResult]::new('--ignore-module', '--ignore-module', [CompletionResultType]::ParameterName, 'Do not run this module''s data/neutralize.sql (repeatable)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Repeatable pseudonyms (for CI): the same seed gives the same pseudonyms. Anyone who has it can test a guessed value, so keep copies made with it among those who may know. Prefer the environment variable ODOODB_PSEUDONYMIZE_SEED (read where something is pseudonymized): arguments are visible to every user of the machine')
            [CompletionResult]::new('--attachments', '--attachments', [CompletionResultType]::ParameterName, 'The files attached to people''s records (photos, CVs, IDs, documents sent to them): replaced by a placeholder (a one-pixel image, a line of text), dropped (emptied), or kept; the filestore of the result then holds only what remains [default: placeholder]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Every user''s new password: the first line of this file [default: a random one, printed once]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A TOML file whose [columns] table adds the columns of custom modules ("res_partner.x_ref" = "hash") or keeps built-in ones (= "keep"); on top of the settings'' [pseudonymize.columns]')
            [CompletionResult]::new('--sql', '--sql', [CompletionResultType]::ParameterName, 'SQL run after the built-in rules, in the same transaction (repeatable): if it fails, nothing is changed')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing copy of that name (after typing its name), once the new one is complete')
            [CompletionResult]::new('--no-module-files', '--no-module-files', [CompletionResultType]::ParameterName, 'Do not run any module''s data/neutralize.sql on the test copy, only the built-in steps')
            [CompletionResult]::new('--pseudonymize', '--pseudonymize', [CompletionResultType]::ParameterName, 'Pseudonymize the test copy too (every person''s data, every credential; see `odoodb pseudonymize`); pass it again to `upgrade resume`')
            [CompletionResult]::new('--keep-admin', '--keep-admin', [CompletionResultType]::ParameterName, 'The administrator keeps its login (its password is reset all the same)')
            [CompletionResult]::new('--keep-internal', '--keep-internal', [CompletionResultType]::ParameterName, 'Internal users keep their names and details (portal users and contacts do not)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'odoodb;upgrade;production' {
            [CompletionResult]::new('--backup-dir', '--backup-dir', [CompletionResultType]::ParameterName, 'Where the backup made first goes [default: settings backup.dir]')
            [CompletionResult]::new('--stop-cmd', '--stop-cmd', [CompletionResultType]::ParameterName, 'Run before the database is closed (e.g. `systemctl stop odoo`); non-zero stops before anything changed')
            [CompletionResult]::new('--start-cmd', '--start-cmd', [CompletionResultType]::ParameterName, 'Run at the end, whatever happened (e.g. `systemctl start odoo`)')
            [CompletionResult]::new('--post-command', '--post-command', [CompletionResultType]::ParameterName, 'Run against the upgraded copy before the swap (ODOODB_DB names it), e.g. ''odoo-bin -d "$ODOODB_DB" -u all --stop-after-init''; non-zero puts everything back')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'The version to upgrade to: 17.0, 18.0, saas~18.3…')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The version to upgrade to: 17.0, 18.0, saas~18.3…')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Who upgrades: Odoo''s platform, or a local program')
            [CompletionResult]::new('--upgrade-command', '--upgrade-command', [CompletionResultType]::ParameterName, 'With --engine command: the program, run by `sh -c` against the copy (its filestore in place) with ODOODB_DB, ODOODB_FILESTORE, ODOODB_DATA_DIR, ODOODB_TARGET, ODOODB_FROM and PGHOST/PGPORT/PGUSER/PGDATABASE (password in PGPASSFILE) in its environment; once per major version when the target is further')
            [CompletionResult]::new('--contract', '--contract', [CompletionResultType]::ParameterName, 'The subscription code the platform checks [default: settings [upgrade] contract, else the database''s database.enterprise_code]')
            [CompletionResult]::new('--addons-path', '--addons-path', [CompletionResultType]::ParameterName, 'The addons path of the TARGET version (comma-separated): installed modules missing from it block the upgrade (as `upgrade check`); a test copy runs its modules'' data/neutralize.sql from it')
            [CompletionResult]::new('--work-dir', '--work-dir', [CompletionResultType]::ParameterName, 'Where the dump and the download go [default: <temporary directory>/odoodb-upgrade-<db>]')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Parallel jobs of pg_dump and pg_restore [default: the number of cores]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Parallel jobs of pg_dump and pg_restore [default: the number of cores]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'KEY=VALUE passed to the platform''s upgrade (repeatable)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'A file of KEY=VALUE lines (blank lines and # comments skipped) passed like --env')
            [CompletionResult]::new('--data-server-user', '--data-server-user', [CompletionResultType]::ParameterName, 'The data server''s ssh user [default: settings [upgrade] data_server_user, else odoo]')
            [CompletionResult]::new('--data-server-path', '--data-server-path', [CompletionResultType]::ParameterName, 'The data server''s folder [default: settings [upgrade] data_server_path, else /data]')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'Seconds between two questions to the platform while it works')
            [CompletionResult]::new('--upgrade-server', '--upgrade-server', [CompletionResultType]::ParameterName, 'The upgrade platform [default: settings [upgrade] server, else https://upgrade.odoo.com]')
            [CompletionResult]::new('--upgrade-ca', '--upgrade-ca', [CompletionResultType]::ParameterName, 'PEM file of root certificates to trust for the platform, on top of the system''s (TLS is never turned off) [default: settings [upgrade] ca]')
            [CompletionResult]::new('--upgrade-timeout', '--upgrade-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each answer of the platform [default: settings [upgrade] timeout, else 60]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'odoodb;upgrade;rollback' {
            [CompletionResult]::new('--stop-cmd', '--stop-cmd', [CompletionResultType]::ParameterName, 'Run before the database is closed (e.g. `systemctl stop odoo`); non-zero stops before anything changed')
            [CompletionResult]::new('--start-cmd', '--start-cmd', [CompletionResultType]::ParameterName, 'Run at the end, whatever happened (e.g. `systemctl start odoo`)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('--drop-upgraded', '--drop-upgraded', [CompletionResultType]::ParameterName, 'Drop the upgraded database (and its filestore) instead of setting it aside; asks for the typed name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;upgrade;resume' {
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Parallel jobs of pg_dump and pg_restore [default: the number of cores]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Parallel jobs of pg_dump and pg_restore [default: the number of cores]')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'Seconds between two questions to the platform while it works')
            [CompletionResult]::new('--addons-path', '--addons-path', [CompletionResultType]::ParameterName, 'The addons path of the target version, for the copy''s modules'' data/neutralize.sql')
            [CompletionResult]::new('--upgrade-server', '--upgrade-server', [CompletionResultType]::ParameterName, 'The upgrade platform [default: settings [upgrade] server, else https://upgrade.odoo.com]')
            [CompletionResult]::new('--upgrade-ca', '--upgrade-ca', [CompletionResultType]::ParameterName, 'PEM file of root certificates to trust for the platform, on top of the system''s (TLS is never turned off) [default: settings [upgrade] ca]')
            [CompletionResult]::new('--upgrade-timeout', '--upgrade-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each answer of the platform [default: settings [upgrade] timeout, else 60]')
            [CompletionResult]::new('--ignore-module', '--ignore-module', [CompletionResultType]::ParameterName, 'Do not run this module''s data/neutralize.sql (repeatable)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Repeatable pseudonyms (for CI): the same seed gives the same pseudonyms. Anyone who has it can test a guessed value, so keep copies made with it among those who may know. Prefer the environment variable ODOODB_PSEUDONYMIZE_SEED (read where something is pseudonymized): arguments are visible to every user of the machine')
            [CompletionResult]::new('--attachments', '--attachments', [CompletionResultType]::ParameterName, 'The files attached to people''s records (photos, CVs, IDs, documents sent to them): replaced by a placeholder (a one-pixel image, a line of text), dropped (emptied), or kept; the filestore of the result then holds only what remains [default: placeholder]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Every user''s new password: the first line of this file [default: a random one, printed once]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A TOML file whose [columns] table adds the columns of custom modules ("res_partner.x_ref" = "hash") or keeps built-in ones (= "keep"); on top of the settings'' [pseudonymize.columns]')
            [CompletionResult]::new('--sql', '--sql', [CompletionResultType]::ParameterName, 'SQL run after the built-in rules, in the same transaction (repeatable): if it fails, nothing is changed')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('--no-module-files', '--no-module-files', [CompletionResultType]::ParameterName, 'Do not run any module''s data/neutralize.sql on the test copy, only the built-in steps')
            [CompletionResult]::new('--pseudonymize', '--pseudonymize', [CompletionResultType]::ParameterName, 'Pseudonymize the test copy too (every person''s data, every credential; see `odoodb pseudonymize`); pass it again to `upgrade resume`')
            [CompletionResult]::new('--keep-admin', '--keep-admin', [CompletionResultType]::ParameterName, 'The administrator keeps its login (its password is reset all the same)')
            [CompletionResult]::new('--keep-internal', '--keep-internal', [CompletionResultType]::ParameterName, 'Internal users keep their names and details (portal users and contacts do not)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;upgrade;status' {
            [CompletionResult]::new('--aim', '--aim', [CompletionResultType]::ParameterName, 'Which request, when the database has both a test and a production one')
            [CompletionResult]::new('--upgrade-server', '--upgrade-server', [CompletionResultType]::ParameterName, 'The upgrade platform [default: settings [upgrade] server, else https://upgrade.odoo.com]')
            [CompletionResult]::new('--upgrade-ca', '--upgrade-ca', [CompletionResultType]::ParameterName, 'PEM file of root certificates to trust for the platform, on top of the system''s (TLS is never turned off) [default: settings [upgrade] ca]')
            [CompletionResult]::new('--upgrade-timeout', '--upgrade-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each answer of the platform [default: settings [upgrade] timeout, else 60]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;upgrade;log' {
            [CompletionResult]::new('--aim', '--aim', [CompletionResultType]::ParameterName, 'Which request, when the database has both a test and a production one')
            [CompletionResult]::new('--upgrade-server', '--upgrade-server', [CompletionResultType]::ParameterName, 'The upgrade platform [default: settings [upgrade] server, else https://upgrade.odoo.com]')
            [CompletionResult]::new('--upgrade-ca', '--upgrade-ca', [CompletionResultType]::ParameterName, 'PEM file of root certificates to trust for the platform, on top of the system''s (TLS is never turned off) [default: settings [upgrade] ca]')
            [CompletionResult]::new('--upgrade-timeout', '--upgrade-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each answer of the platform [default: settings [upgrade] timeout, else 60]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep following the log until the request is done, failed or cancelled (Ctrl-C stops)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep following the log until the request is done, failed or cancelled (Ctrl-C stops)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;upgrade;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Preflight: versions, contract, local tools, free disk, and installed modules missing from the target version''s code; exits 4 when something blocks the upgrade')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'A test upgrade: an upgraded, neutralized copy under a new name; the original is never closed or changed')
            [CompletionResult]::new('production', 'production', [CompletionResultType]::ParameterValue, 'Upgrade production: closed to connections, backed up, upgraded, swapped in; the original is kept as <db>_pre_<target>_<YYYY-mm-dd_HH-MM-SS>, and any failure puts it back as it was')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo the last production upgrade: the kept original takes the name back (database and filestore), the upgraded database is set aside closed (or dropped)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Continue an interrupted test upgrade from where the platform is')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The platform''s view of the upgrade request stored for a database')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'The platform''s log of the upgrade request stored for a database')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'odoodb;upgrade;help;check' {
            break
        }
        'odoodb;upgrade;help;test' {
            break
        }
        'odoodb;upgrade;help;production' {
            break
        }
        'odoodb;upgrade;help;rollback' {
            break
        }
        'odoodb;upgrade;help;resume' {
            break
        }
        'odoodb;upgrade;help;status' {
            break
        }
        'odoodb;upgrade;help;log' {
            break
        }
        'odoodb;upgrade;help;help' {
            break
        }
        'odoodb;update' {
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'The program that updates the copy, e.g. ''odoo-bin -c /etc/odoo.conf -d "$ODOODB_DB" -u all --stop-after-init'' (or -u mod1,mod2)')
            [CompletionResult]::new('--backup-dir', '--backup-dir', [CompletionResultType]::ParameterName, 'Where the backup made first goes [default: settings backup.dir]')
            [CompletionResult]::new('--stop-cmd', '--stop-cmd', [CompletionResultType]::ParameterName, 'Run before the database is closed (e.g. `systemctl stop odoo`); non-zero stops before anything changed')
            [CompletionResult]::new('--start-cmd', '--start-cmd', [CompletionResultType]::ParameterName, 'Run at the end, whatever happened (e.g. `systemctl start odoo`)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Parallel jobs of the backup [default: the number of cores]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Parallel jobs of the backup [default: the number of cores]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;recover' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;config' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;completions' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write odoodb.1 and one page per subcommand into this directory instead of printing')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'odoodb''s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'PostgreSQL host name, or the directory of its Unix socket')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'PostgreSQL port')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'PostgreSQL role to connect as')
            [CompletionResult]::new('--sslmode', '--sslmode', [CompletionResultType]::ParameterName, 'TLS policy for TCP connections (ignored on a Unix socket)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Odoo''s data directory; filestores live in <DATA_DIR>/filestore/<db>')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout and nothing else there')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: where each setting came from, the SQL that runs (repeat for more)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'odoodb;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the Odoo databases on the server: version, sizes, filestore, neutralized, warnings')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show one database in detail: version, modules, identity, mail, crons, filestore health, sessions')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Back up a database and its filestore into one archive (tar.gz, Odoo''s zip, or a pg_dump file); or check an archive with --verify')
            [CompletionResult]::new('backups', 'backups', [CompletionResultType]::ParameterValue, 'List the backups in a folder, newest first; with --max-age, exit 4 when a database''s newest backup is older or missing (for monitoring)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a backup (ours, Odoo''s zip, a pg_dump file or folder, plain SQL) into a new database, atomically')
            [CompletionResult]::new('duplicate', 'duplicate', [CompletionResultType]::ParameterValue, 'Copy a database and its filestore under a new name, with a new identity')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a database and its filestore together, or neither')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Drop a database and remove its filestore, after a typed confirmation')
            [CompletionResult]::new('neutralize', 'neutralize', [CompletionResultType]::ParameterValue, 'Make a copy safe: crons, mail, payments, carriers, EDI… switched off in one transaction; or audit one with --check')
            [CompletionResult]::new('pseudonymize', 'pseudonymize', [CompletionResultType]::ParameterValue, 'Rewrite every person''s data of a copy into consistent pseudonyms and reset every credential, in one transaction; or prove a copy with --check --against its source')
            [CompletionResult]::new('upgrade', 'upgrade', [CompletionResultType]::ParameterValue, 'Upgrade a database (Odoo''s upgrade platform, or a local program such as OpenUpgrade): preflight, an upgraded test copy, production with a backup first and an automatic revert, a platform request''s status and log')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Update production''s modules within its version (`-u` after a code deploy): closed, backed up, updated on a copy, checked, swapped in; the original kept closed for `odoodb upgrade rollback`')
            [CompletionResult]::new('recover', 'recover', [CompletionResultType]::ParameterValue, 'Complete or roll back the changes of odoodb runs that were killed (every changing command does this first); list the ones still under way')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each one came from')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page, or write every page into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'odoodb;help;list' {
            break
        }
        'odoodb;help;info' {
            break
        }
        'odoodb;help;backup' {
            break
        }
        'odoodb;help;backups' {
            break
        }
        'odoodb;help;restore' {
            break
        }
        'odoodb;help;duplicate' {
            break
        }
        'odoodb;help;rename' {
            break
        }
        'odoodb;help;delete' {
            break
        }
        'odoodb;help;neutralize' {
            break
        }
        'odoodb;help;pseudonymize' {
            break
        }
        'odoodb;help;upgrade' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Preflight: versions, contract, local tools, free disk, and installed modules missing from the target version''s code; exits 4 when something blocks the upgrade')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'A test upgrade: an upgraded, neutralized copy under a new name; the original is never closed or changed')
            [CompletionResult]::new('production', 'production', [CompletionResultType]::ParameterValue, 'Upgrade production: closed to connections, backed up, upgraded, swapped in; the original is kept as <db>_pre_<target>_<YYYY-mm-dd_HH-MM-SS>, and any failure puts it back as it was')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo the last production upgrade: the kept original takes the name back (database and filestore), the upgraded database is set aside closed (or dropped)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Continue an interrupted test upgrade from where the platform is')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The platform''s view of the upgrade request stored for a database')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'The platform''s log of the upgrade request stored for a database')
            break
        }
        'odoodb;help;upgrade;check' {
            break
        }
        'odoodb;help;upgrade;test' {
            break
        }
        'odoodb;help;upgrade;production' {
            break
        }
        'odoodb;help;upgrade;rollback' {
            break
        }
        'odoodb;help;upgrade;resume' {
            break
        }
        'odoodb;help;upgrade;status' {
            break
        }
        'odoodb;help;upgrade;log' {
            break
        }
        'odoodb;help;update' {
            break
        }
        'odoodb;help;recover' {
            break
        }
        'odoodb;help;config' {
            break
        }
        'odoodb;help;completions' {
            break
        }
        'odoodb;help;man' {
            break
        }
        'odoodb;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
