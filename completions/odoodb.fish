# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_odoodb_global_optspecs
    string join \n c/config= settings= host= p/port= U/user= sslmode= data-dir= y/yes json q/quiet v/verbose no-progress color= h/help V/version
end

function __fish_odoodb_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_odoodb_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_odoodb_using_subcommand
    set -l cmd (__fish_odoodb_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c odoodb -n "__fish_odoodb_needs_command" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_needs_command" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_needs_command" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_needs_command" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_needs_command" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_needs_command" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_needs_command" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_needs_command" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_needs_command" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_needs_command" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_needs_command" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_needs_command" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_needs_command" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_needs_command" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_needs_command" -s V -l version -d 'Print version'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "list" -d 'List the Odoo databases on the server: version, sizes, filestore, neutralized, warnings'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "info" -d 'Show one database in detail: version, modules, identity, mail, crons, filestore health, sessions'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "backup" -d 'Back up a database and its filestore into one archive (tar.gz, Odoo\'s zip, or a pg_dump file); or check an archive with --verify'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "backups" -d 'List the backups in a folder, newest first; with --max-age, exit 4 when a database\'s newest backup is older or missing (for monitoring)'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "restore" -d 'Restore a backup (ours, Odoo\'s zip, a pg_dump file or folder, plain SQL) into a new database, atomically'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "duplicate" -d 'Copy a database and its filestore under a new name, with a new identity'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "rename" -d 'Rename a database and its filestore together, or neither'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "delete" -d 'Drop a database and remove its filestore, after a typed confirmation'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "neutralize" -d 'Make a copy safe: crons, mail, payments, carriers, EDI… switched off in one transaction; or audit one with --check'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "pseudonymize" -d 'Rewrite every person\'s data of a copy into consistent pseudonyms and reset every credential, in one transaction; or prove a copy with --check --against its source'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "upgrade" -d 'Upgrade a database (Odoo\'s upgrade platform, or a local program such as OpenUpgrade): preflight, an upgraded test copy, production with a backup first and an automatic revert, a platform request\'s status and log'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "update" -d 'Update production\'s modules within its version (`-u` after a code deploy): closed, backed up, updated on a copy, checked, swapped in; the original kept closed for `odoodb upgrade rollback`'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "recover" -d 'Complete or roll back the changes of odoodb runs that were killed (every changing command does this first); list the ones still under way'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "config" -d 'Show the resolved settings and where each one came from'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "man" -d 'Print the man page, or write every page into a directory'
complete -c odoodb -n "__fish_odoodb_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -l all -d 'Also list databases that are not Odoo\'s'
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand list" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -l modules -d 'Also list every installed module with its version'
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand info" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l match -d 'With --all: only the databases whose name matches this shell glob (`*`, `?`); repeatable' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l parallel -d 'With --all: how many databases at a time (pg_dump and compression already use the cores) [default: 1]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l wait -d 'With --all: when another `backup --all` is writing into the same folder, wait this long for it (90m, 2h, …) instead of exiting 1 at once' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l format -d 'Archive format [default: settings backup.format, else tar.gz]' -r -f -a "tar.gz\t'manifest.json, the database dump, filestore/: restored by odoodb, in parallel'
zip\t'Odoo\'s own layout (dump.sql, manifest.json, filestore/): for Odoo\'s database manager, `odoo-bin db load` and the upgrade platform'
dump\t'pg_dump\'s custom format, no filestore: Odoo\'s "dump" backups, pg_restore'"
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -s o -l output -d 'Write the archive here instead of into --dir: a new file (its extension chooses the format when --format is not given), `-` for stdout, or a named pipe or device, written through; an existing file only with --force, a link is followed' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l dir -d 'Write <db>_<YYYY-mm-dd_HH-MM-SS>.<ext> into this folder [default: settings backup.dir, else the current folder]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l to -d 'Write <db>_<YYYY-mm-dd_HH-MM-SS>.<ext> under this object-storage prefix (s3://BUCKET/PREFIX/), or into this folder; credentials and endpoint from AWS_* and ~/.aws as every S3 tool reads them, or [backup.s3] in the settings [default: settings backup.to]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l keep -d 'Once the new backup is complete and verified, keep only the newest N backups of this database in the folder [default: settings backup.keep]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l keep-daily -d 'Also keep the newest backup of each of the last N days that have one (restic\'s rule; with --keep-weekly and --keep-monthly, what any rule keeps stays) [default: settings backup.keep_daily]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l keep-weekly -d 'Keep the newest backup of each of the last N ISO weeks that have one [default: settings backup.keep_weekly]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l keep-monthly -d 'Keep the newest backup of each of the last N calendar months that have one [default: settings backup.keep_monthly]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l compression -d 'How hard to compress' -r -f -a "fast\t''
default\t''
best\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l jobs -d 'Parallel pg_dump/compression jobs [default: the number of cores]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l encrypt-to -d 'Encrypt the whole archive with age to this public key (age1…), as `age -r` does; its name then ends in .age; repeatable [default: settings backup.encrypt_to]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l encrypt-to-file -d 'Encrypt to the public keys in this file, one a line (`#` comments), as `age -R` reads; repeatable' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l verify -d 'Check an archive (a file, an http(s) URL or s3://BUCKET/KEY) end to end (checksums, manifest, dump, filestore names) instead of making one; exit 4 when anything is wrong' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l identity -d 'With --verify: the age identity file (AGE-SECRET-KEY-1… lines) that decrypts an encrypted archive [default: $ODOODB_AGE_IDENTITY, else settings restore.identity]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l all -d 'Back up every Odoo database of the server (not templates, not the system\'s), one archive each into --dir; exit 1 if any failed (the others are still made and kept)'
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l force -d 'Replace the file named with -o if it exists (once the new backup is complete)'
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l no-filestore -d 'Leave the filestore out (a backup of the database alone)'
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l dry-run -d 'Check everything and write nothing: for each database the archive it would write, the space it may need and the space free, and the older backups retention would remove'
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l no-space-check -d 'Do not check the target folder\'s free space first (for filesystems whose free space misleads: compressing ones, some network mounts)'
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand backup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -l match -d 'Only the databases whose name matches this shell glob (`*`, `?`); repeatable' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -l max-age -d 'Exit 4 when an Odoo database of the server (those --match names) has no backup in the folder newer than this: 90m, 26h, 7d, 3600s' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand backups" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l owner -d 'The role that owns the restored database [default: the connecting role]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l jobs -d 'Parallel pg_restore jobs [default: the number of cores]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l identity -d 'The age identity file (AGE-SECRET-KEY-1… lines) that decrypts an encrypted archive [default: $ODOODB_AGE_IDENTITY, else settings restore.identity]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l connect-timeout -d 'For an http(s) archive: seconds to wait for its server to accept the connection [default: settings [restore] connect_timeout, else 30]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l read-timeout -d 'For an http(s) archive: seconds its server may send nothing (its answer, then each part of the download) before the restore gives up [default: settings [restore] read_timeout, else 60]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l addons-path -d 'Where to find modules\' data/neutralize.sql (comma-separated) [default: odoo.conf addons_path]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l ignore-module -d 'Do not run this module\'s data/neutralize.sql (repeatable)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l seed -d 'Repeatable pseudonyms (for CI): the same seed gives the same pseudonyms. Anyone who has it can test a guessed value, so keep copies made with it among those who may know. Prefer the environment variable ODOODB_PSEUDONYMIZE_SEED (read where something is pseudonymized): arguments are visible to every user of the machine' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l attachments -d 'The files attached to people\'s records (photos, CVs, IDs, documents sent to them): replaced by a placeholder (a one-pixel image, a line of text), dropped (emptied), or kept; the filestore of the result then holds only what remains [default: placeholder]' -r -f -a "placeholder\t''
drop\t''
keep\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l password-file -d 'Every user\'s new password: the first line of this file [default: a random one, printed once]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l profile -d 'A TOML file whose [columns] table adds the columns of custom modules ("res_partner.x_ref" = "hash") or keeps built-in ones (= "keep"); on top of the settings\' [pseudonymize.columns]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l sql -d 'SQL run after the built-in rules, in the same transaction (repeatable): if it fails, nothing is changed' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l copy -d 'Restore as a copy: new uuid, secret and create date, no enterprise code, web.base.url reset (as Odoo\'s "copied") [default in scripts]'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l move -d 'Restore as the same database moved here: identity kept (as Odoo\'s "moved")'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l neutralize -d 'Neutralize the restored database before it gets its name (every `odoodb neutralize` step, parameters that look like credentials blanked too)'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l force -d 'Replace an existing database of that name (after confirmation), once the restore is complete'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l inspect -d 'Show what the archive holds (manifest, format, versions, sizes) and restore nothing'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l no-module-files -d 'Do not run any module\'s data/neutralize.sql, only the built-in steps'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l continue-on-error -d 'Keep going when a module\'s neutralize.sql fails (its own changes are undone; the run then exits 3); without it, one failure rolls everything back'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l pseudonymize -d 'Pseudonymize the new database (every person\'s data rewritten, every credential reset; see `odoodb pseudonymize`) before it gets its name'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l keep-admin -d 'The administrator keeps its login (its password is reset all the same)'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l keep-internal -d 'Internal users keep their names and details (portal users and contacts do not)'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l force-disconnect -d 'End other sessions on the database without asking (Odoo reconnects fast)'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l dry-run -d 'Print the plan (SQL and filesystem steps) and change nothing'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand restore" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l filestore -d 'How to bring the filestore along' -r -f -a "auto\t'Reflinks where the filesystem can, else hard links on one filesystem, else a copy'
copy\t'A full, independent copy of every file'
hardlink\t'Hard links: instant and free of space; safe because Odoo never rewrites a filestore file (files are named by the sha1 of their content)'
reflink\t'Copy-on-write clones (btrfs, XFS): instant, and independent copies'
none\t'No filestore for the copy'"
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l strategy -d 'How PostgreSQL copies the database' -r -f -a "auto\t'WAL_LOG below 1 GiB (no checkpoint: several times faster there, see benches/), FILE_COPY from 1 GiB on; before PostgreSQL 15 the file copy is the only way'
wal-log\t'WAL-logged block copy (PostgreSQL 15+ default; no checkpoint, more WAL)'
file-copy\t'File-level copy with a checkpoint (the only strategy before PostgreSQL 15)'"
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l owner -d 'The role that owns the copy [default: the source\'s owner, so the Odoo that serves the source lists the copy too]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l addons-path -d 'Where to find modules\' data/neutralize.sql (comma-separated) [default: odoo.conf addons_path]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l ignore-module -d 'Do not run this module\'s data/neutralize.sql (repeatable)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l seed -d 'Repeatable pseudonyms (for CI): the same seed gives the same pseudonyms. Anyone who has it can test a guessed value, so keep copies made with it among those who may know. Prefer the environment variable ODOODB_PSEUDONYMIZE_SEED (read where something is pseudonymized): arguments are visible to every user of the machine' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l attachments -d 'The files attached to people\'s records (photos, CVs, IDs, documents sent to them): replaced by a placeholder (a one-pixel image, a line of text), dropped (emptied), or kept; the filestore of the result then holds only what remains [default: placeholder]' -r -f -a "placeholder\t''
drop\t''
keep\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l password-file -d 'Every user\'s new password: the first line of this file [default: a random one, printed once]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l profile -d 'A TOML file whose [columns] table adds the columns of custom modules ("res_partner.x_ref" = "hash") or keeps built-in ones (= "keep"); on top of the settings\' [pseudonymize.columns]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l sql -d 'SQL run after the built-in rules, in the same transaction (repeatable): if it fails, nothing is changed' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l neutralize -d 'Neutralize the copy (every `odoodb neutralize` step, in one transaction, parameters that look like credentials blanked too) before it gets its final name, so it is never reachable un-neutralized'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l keep-enterprise-code -d 'Keep database.enterprise_code in the copy (by default it is removed, so the copy never poses as the production subscription; a neutralized copy never keeps it)'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l force -d 'Replace an existing TARGET (database and filestore), after confirmation; the old one is removed only once the new copy is complete'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l no-module-files -d 'Do not run any module\'s data/neutralize.sql, only the built-in steps'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l continue-on-error -d 'Keep going when a module\'s neutralize.sql fails (its own changes are undone; the run then exits 3); without it, one failure rolls everything back'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l pseudonymize -d 'Pseudonymize the new database (every person\'s data rewritten, every credential reset; see `odoodb pseudonymize`) before it gets its name'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l keep-admin -d 'The administrator keeps its login (its password is reset all the same)'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l keep-internal -d 'Internal users keep their names and details (portal users and contacts do not)'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l backup-first -d 'With --force: back up the database being replaced into the backup folder (settings backup.dir) first, and change nothing if that fails'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l force-disconnect -d 'End other sessions on the database without asking (Odoo reconnects fast)'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l dry-run -d 'Print the plan (SQL and filesystem steps) and change nothing'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand duplicate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -l force -d 'Do not ask for the name of a database that looks like production (odoo.conf db_name, or listed in the settings\' [neutralize] protect); --yes alone is not enough for those'
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -l force-disconnect -d 'End other sessions on the database without asking (Odoo reconnects fast)'
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -l dry-run -d 'Print the plan (SQL and filesystem steps) and change nothing'
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand rename" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l dir -d 'With --backup-first: write <db>_<YYYY-mm-dd_HH-MM-SS>.<ext> into this folder [default: settings backup.dir, else the current folder]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l keep-filestore -d 'Leave the filestore folder on disk'
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l if-exists -d 'Succeed, changing nothing, when the database does not exist (for scripts that clean up)'
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l backup-first -d 'Make a backup into the backup folder (--dir, else settings backup.dir) first, and drop nothing if it fails'
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l force -d 'Also drop a database that is not Odoo\'s, and one that looks like production (odoo.conf db_name, or listed in the settings\' [neutralize] protect) without typing its name'
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l force-disconnect -d 'End other sessions on the database without asking (Odoo reconnects fast)'
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l dry-run -d 'Print the plan (SQL and filesystem steps) and change nothing'
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand delete" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l only -d 'Run only these steps (comma-separated ids, see --list-steps)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l skip -d 'Leave out these steps (comma-separated ids)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l addons-path -d 'Where to find modules\' data/neutralize.sql (comma-separated) [default: odoo.conf addons_path]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l ignore-module -d 'Do not run this module\'s data/neutralize.sql (repeatable)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l check -d 'Audit only: list what is still live and exit 4 if anything is'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l dry-run -d 'Show the plan with row counts (and the SQL with -v); change nothing'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l interactive -d 'Confirm or skip each step, then commit once at the end'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l list-steps -d 'List the steps and exit'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l clear-unknown-secrets -d 'Also blank the parameters that look like credentials (keys with secret, token, api_key, password, private_key…) that no step covers; without it they are only reported, and --check counts them'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l no-module-files -d 'Do not run any module\'s data/neutralize.sql, only the built-in steps'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l continue-on-error -d 'Keep going when a module\'s neutralize.sql fails (its own changes are undone; the run then exits 3); without it, one failure rolls everything back'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l force -d 'Do not ask for the name of a database that looks like production (odoo.conf db_name, or listed in the settings\' [neutralize] protect)'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand neutralize" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l against -d 'With --check: the source database the copy was made from' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l seed -d 'Repeatable pseudonyms (for CI): the same seed gives the same pseudonyms. Anyone who has it can test a guessed value, so keep copies made with it among those who may know. Prefer the environment variable ODOODB_PSEUDONYMIZE_SEED (read where something is pseudonymized): arguments are visible to every user of the machine' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l attachments -d 'The files attached to people\'s records (photos, CVs, IDs, documents sent to them): replaced by a placeholder (a one-pixel image, a line of text), dropped (emptied), or kept; the filestore of the result then holds only what remains [default: placeholder]' -r -f -a "placeholder\t''
drop\t''
keep\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l password-file -d 'Every user\'s new password: the first line of this file [default: a random one, printed once]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l profile -d 'A TOML file whose [columns] table adds the columns of custom modules ("res_partner.x_ref" = "hash") or keeps built-in ones (= "keep"); on top of the settings\' [pseudonymize.columns]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l sql -d 'SQL run after the built-in rules, in the same transaction (repeatable): if it fails, nothing is changed' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l check -d 'Prove a copy: compare it with its source (--against) and exit 4 when a value or a credential of the source is still there; changes nothing'
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l dry-run -d 'Show the plan with row counts; change nothing'
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l keep-admin -d 'The administrator keeps its login (its password is reset all the same)'
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l keep-internal -d 'Internal users keep their names and details (portal users and contacts do not)'
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l force -d 'Do not ask for the name of a database that looks like production (odoo.conf db_name, listed in the settings\' [neutralize] protect, or not neutralized)'
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand pseudonymize" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -f -a "check" -d 'Preflight: versions, contract, local tools, free disk, and installed modules missing from the target version\'s code; exits 4 when something blocks the upgrade'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -f -a "test" -d 'A test upgrade: an upgraded, neutralized copy under a new name; the original is never closed or changed'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -f -a "production" -d 'Upgrade production: closed to connections, backed up, upgraded, swapped in; the original is kept as <db>_pre_<target>_<YYYY-mm-dd_HH-MM-SS>, and any failure puts it back as it was'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -f -a "rollback" -d 'Undo the last production upgrade: the kept original takes the name back (database and filestore), the upgraded database is set aside closed (or dropped)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -f -a "resume" -d 'Continue an interrupted test upgrade from where the platform is'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -f -a "status" -d 'The platform\'s view of the upgrade request stored for a database'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -f -a "log" -d 'The platform\'s log of the upgrade request stored for a database'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and not __fish_seen_subcommand_from check test production rollback resume status log help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -s t -l target -d 'The version to upgrade to: 17.0, 18.0, saas~18.3…' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l contract -d 'The subscription code the platform checks [default: settings [upgrade] contract, else the database\'s database.enterprise_code]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l addons-path -d 'The addons path of the TARGET version (comma-separated): installed modules missing from it are reported' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l write-stubs -d 'Write an installable empty module into DIR for each missing module (needs --addons-path)' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l work-dir -d 'Where the dump and the download will go, checked for free space [default: the system\'s temporary directory]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l engine -d 'Who will upgrade: the platform needs a contract, ssh and rsync; a local command does not' -r -f -a "platform\t'Odoo\'s upgrade platform (Enterprise: needs a contract)'
command\t'A local program (OpenUpgrade through odoo-bin, a script…): --upgrade-command'"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l upgrade-command -d 'With --engine command: the program that will upgrade, as `upgrade test` takes it; its program (the first word) must be found and executable. The check never runs it' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l upgrade-probe -d 'A harmless command showing that the upgrade program works, e.g. \'odoo-bin --version\': run by `sh -c` with ODOODB_TARGET set and no database connection; failing, or not done within --upgrade-probe-timeout, blocks' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l upgrade-probe-timeout -d 'Seconds the probe may take before it is stopped' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l name -d 'The name of the upgraded copy [default: <db>_test_<target>, e.g. prod_test_18]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -s t -l target -d 'The version to upgrade to: 17.0, 18.0, saas~18.3…' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l engine -d 'Who upgrades: Odoo\'s platform, or a local program' -r -f -a "platform\t'Odoo\'s upgrade platform (Enterprise: needs a contract)'
command\t'A local program (OpenUpgrade through odoo-bin, a script…): --upgrade-command'"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l upgrade-command -d 'With --engine command: the program, run by `sh -c` against the copy (its filestore in place) with ODOODB_DB, ODOODB_FILESTORE, ODOODB_DATA_DIR, ODOODB_TARGET, ODOODB_FROM and PGHOST/PGPORT/PGUSER/PGDATABASE (password in PGPASSFILE) in its environment; once per major version when the target is further' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l contract -d 'The subscription code the platform checks [default: settings [upgrade] contract, else the database\'s database.enterprise_code]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l addons-path -d 'The addons path of the TARGET version (comma-separated): installed modules missing from it block the upgrade (as `upgrade check`); a test copy runs its modules\' data/neutralize.sql from it' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l work-dir -d 'Where the dump and the download go [default: <temporary directory>/odoodb-upgrade-<db>]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -s j -l jobs -d 'Parallel jobs of pg_dump and pg_restore [default: the number of cores]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l env -d 'KEY=VALUE passed to the platform\'s upgrade (repeatable)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l env-file -d 'A file of KEY=VALUE lines (blank lines and # comments skipped) passed like --env' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l data-server-user -d 'The data server\'s ssh user [default: settings [upgrade] data_server_user, else odoo]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l data-server-path -d 'The data server\'s folder [default: settings [upgrade] data_server_path, else /data]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l poll-interval -d 'Seconds between two questions to the platform while it works' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l upgrade-server -d 'The upgrade platform [default: settings [upgrade] server, else https://upgrade.odoo.com]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l upgrade-ca -d 'PEM file of root certificates to trust for the platform, on top of the system\'s (TLS is never turned off) [default: settings [upgrade] ca]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l upgrade-timeout -d 'Seconds to wait for each answer of the platform [default: settings [upgrade] timeout, else 60]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l ignore-module -d 'Do not run this module\'s data/neutralize.sql (repeatable)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l seed -d 'Repeatable pseudonyms (for CI): the same seed gives the same pseudonyms. Anyone who has it can test a guessed value, so keep copies made with it among those who may know. Prefer the environment variable ODOODB_PSEUDONYMIZE_SEED (read where something is pseudonymized): arguments are visible to every user of the machine' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l attachments -d 'The files attached to people\'s records (photos, CVs, IDs, documents sent to them): replaced by a placeholder (a one-pixel image, a line of text), dropped (emptied), or kept; the filestore of the result then holds only what remains [default: placeholder]' -r -f -a "placeholder\t''
drop\t''
keep\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l password-file -d 'Every user\'s new password: the first line of this file [default: a random one, printed once]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l profile -d 'A TOML file whose [columns] table adds the columns of custom modules ("res_partner.x_ref" = "hash") or keeps built-in ones (= "keep"); on top of the settings\' [pseudonymize.columns]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l sql -d 'SQL run after the built-in rules, in the same transaction (repeatable): if it fails, nothing is changed' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l force -d 'Replace an existing copy of that name (after typing its name), once the new one is complete'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l no-module-files -d 'Do not run any module\'s data/neutralize.sql on the test copy, only the built-in steps'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l pseudonymize -d 'Pseudonymize the test copy too (every person\'s data, every credential; see `odoodb pseudonymize`); pass it again to `upgrade resume`'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l keep-admin -d 'The administrator keeps its login (its password is reset all the same)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l keep-internal -d 'Internal users keep their names and details (portal users and contacts do not)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l backup-dir -d 'Where the backup made first goes [default: settings backup.dir]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l stop-cmd -d 'Run before the database is closed (e.g. `systemctl stop odoo`); non-zero stops before anything changed' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l start-cmd -d 'Run at the end, whatever happened (e.g. `systemctl start odoo`)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l post-command -d 'Run against the upgraded copy before the swap (ODOODB_DB names it), e.g. \'odoo-bin -d "$ODOODB_DB" -u all --stop-after-init\'; non-zero puts everything back' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -s t -l target -d 'The version to upgrade to: 17.0, 18.0, saas~18.3…' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l engine -d 'Who upgrades: Odoo\'s platform, or a local program' -r -f -a "platform\t'Odoo\'s upgrade platform (Enterprise: needs a contract)'
command\t'A local program (OpenUpgrade through odoo-bin, a script…): --upgrade-command'"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l upgrade-command -d 'With --engine command: the program, run by `sh -c` against the copy (its filestore in place) with ODOODB_DB, ODOODB_FILESTORE, ODOODB_DATA_DIR, ODOODB_TARGET, ODOODB_FROM and PGHOST/PGPORT/PGUSER/PGDATABASE (password in PGPASSFILE) in its environment; once per major version when the target is further' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l contract -d 'The subscription code the platform checks [default: settings [upgrade] contract, else the database\'s database.enterprise_code]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l addons-path -d 'The addons path of the TARGET version (comma-separated): installed modules missing from it block the upgrade (as `upgrade check`); a test copy runs its modules\' data/neutralize.sql from it' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l work-dir -d 'Where the dump and the download go [default: <temporary directory>/odoodb-upgrade-<db>]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -s j -l jobs -d 'Parallel jobs of pg_dump and pg_restore [default: the number of cores]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l env -d 'KEY=VALUE passed to the platform\'s upgrade (repeatable)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l env-file -d 'A file of KEY=VALUE lines (blank lines and # comments skipped) passed like --env' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l data-server-user -d 'The data server\'s ssh user [default: settings [upgrade] data_server_user, else odoo]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l data-server-path -d 'The data server\'s folder [default: settings [upgrade] data_server_path, else /data]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l poll-interval -d 'Seconds between two questions to the platform while it works' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l upgrade-server -d 'The upgrade platform [default: settings [upgrade] server, else https://upgrade.odoo.com]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l upgrade-ca -d 'PEM file of root certificates to trust for the platform, on top of the system\'s (TLS is never turned off) [default: settings [upgrade] ca]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l upgrade-timeout -d 'Seconds to wait for each answer of the platform [default: settings [upgrade] timeout, else 60]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from production" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -l stop-cmd -d 'Run before the database is closed (e.g. `systemctl stop odoo`); non-zero stops before anything changed' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -l start-cmd -d 'Run at the end, whatever happened (e.g. `systemctl start odoo`)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -l drop-upgraded -d 'Drop the upgraded database (and its filestore) instead of setting it aside; asks for the typed name'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -l dry-run -d 'Print the plan and change nothing'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from rollback" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -s j -l jobs -d 'Parallel jobs of pg_dump and pg_restore [default: the number of cores]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l poll-interval -d 'Seconds between two questions to the platform while it works' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l addons-path -d 'The addons path of the target version, for the copy\'s modules\' data/neutralize.sql' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l upgrade-server -d 'The upgrade platform [default: settings [upgrade] server, else https://upgrade.odoo.com]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l upgrade-ca -d 'PEM file of root certificates to trust for the platform, on top of the system\'s (TLS is never turned off) [default: settings [upgrade] ca]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l upgrade-timeout -d 'Seconds to wait for each answer of the platform [default: settings [upgrade] timeout, else 60]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l ignore-module -d 'Do not run this module\'s data/neutralize.sql (repeatable)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l seed -d 'Repeatable pseudonyms (for CI): the same seed gives the same pseudonyms. Anyone who has it can test a guessed value, so keep copies made with it among those who may know. Prefer the environment variable ODOODB_PSEUDONYMIZE_SEED (read where something is pseudonymized): arguments are visible to every user of the machine' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l attachments -d 'The files attached to people\'s records (photos, CVs, IDs, documents sent to them): replaced by a placeholder (a one-pixel image, a line of text), dropped (emptied), or kept; the filestore of the result then holds only what remains [default: placeholder]' -r -f -a "placeholder\t''
drop\t''
keep\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l password-file -d 'Every user\'s new password: the first line of this file [default: a random one, printed once]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l profile -d 'A TOML file whose [columns] table adds the columns of custom modules ("res_partner.x_ref" = "hash") or keeps built-in ones (= "keep"); on top of the settings\' [pseudonymize.columns]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l sql -d 'SQL run after the built-in rules, in the same transaction (repeatable): if it fails, nothing is changed' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l no-module-files -d 'Do not run any module\'s data/neutralize.sql on the test copy, only the built-in steps'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l pseudonymize -d 'Pseudonymize the test copy too (every person\'s data, every credential; see `odoodb pseudonymize`); pass it again to `upgrade resume`'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l keep-admin -d 'The administrator keeps its login (its password is reset all the same)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l keep-internal -d 'Internal users keep their names and details (portal users and contacts do not)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -l aim -d 'Which request, when the database has both a test and a production one' -r -f -a "test\t''
production\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -l upgrade-server -d 'The upgrade platform [default: settings [upgrade] server, else https://upgrade.odoo.com]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -l upgrade-ca -d 'PEM file of root certificates to trust for the platform, on top of the system\'s (TLS is never turned off) [default: settings [upgrade] ca]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -l upgrade-timeout -d 'Seconds to wait for each answer of the platform [default: settings [upgrade] timeout, else 60]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -l aim -d 'Which request, when the database has both a test and a production one' -r -f -a "test\t''
production\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -l upgrade-server -d 'The upgrade platform [default: settings [upgrade] server, else https://upgrade.odoo.com]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -l upgrade-ca -d 'PEM file of root certificates to trust for the platform, on top of the system\'s (TLS is never turned off) [default: settings [upgrade] ca]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -l upgrade-timeout -d 'Seconds to wait for each answer of the platform [default: settings [upgrade] timeout, else 60]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -s f -l follow -d 'Keep following the log until the request is done, failed or cancelled (Ctrl-C stops)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from log" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from help" -f -a "check" -d 'Preflight: versions, contract, local tools, free disk, and installed modules missing from the target version\'s code; exits 4 when something blocks the upgrade'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from help" -f -a "test" -d 'A test upgrade: an upgraded, neutralized copy under a new name; the original is never closed or changed'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from help" -f -a "production" -d 'Upgrade production: closed to connections, backed up, upgraded, swapped in; the original is kept as <db>_pre_<target>_<YYYY-mm-dd_HH-MM-SS>, and any failure puts it back as it was'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from help" -f -a "rollback" -d 'Undo the last production upgrade: the kept original takes the name back (database and filestore), the upgraded database is set aside closed (or dropped)'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Continue an interrupted test upgrade from where the platform is'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from help" -f -a "status" -d 'The platform\'s view of the upgrade request stored for a database'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from help" -f -a "log" -d 'The platform\'s log of the upgrade request stored for a database'
complete -c odoodb -n "__fish_odoodb_using_subcommand upgrade; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -l command -d 'The program that updates the copy, e.g. \'odoo-bin -c /etc/odoo.conf -d "$ODOODB_DB" -u all --stop-after-init\' (or -u mod1,mod2)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -l backup-dir -d 'Where the backup made first goes [default: settings backup.dir]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -l stop-cmd -d 'Run before the database is closed (e.g. `systemctl stop odoo`); non-zero stops before anything changed' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -l start-cmd -d 'Run at the end, whatever happened (e.g. `systemctl start odoo`)' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -s j -l jobs -d 'Parallel jobs of the backup [default: the number of cores]' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand update" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand recover" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand config" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand completions" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -l dir -d 'Write odoodb.1 and one page per subcommand into this directory instead of printing' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -s c -l config -d 'Odoo config file to read db_host, db_port, db_user, db_password, data_dir… from [default: $ODOO_RC, else ~/.odoorc]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -l settings -d 'odoodb\'s own settings file (TOML) [default: ~/.config/odoodb/config.toml, else /etc/odoodb/config.toml]' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -l host -d 'PostgreSQL host name, or the directory of its Unix socket' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -s p -l port -d 'PostgreSQL port' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -s U -l user -d 'PostgreSQL role to connect as' -r
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -l sslmode -d 'TLS policy for TCP connections (ignored on a Unix socket)' -r -f -a "disable\t''
allow\t''
prefer\t''
require\t''
verify-ca\t''
verify-full\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -l data-dir -d 'Odoo\'s data directory; filestores live in <DATA_DIR>/filestore/<db>' -r -F
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -l color -d 'When to use colours' -r -f -a "auto\t''
always\t''
never\t''"
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -l json -d 'Print one JSON document on stdout and nothing else there'
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -s q -l quiet -d 'Print only errors and warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -s v -l verbose -d 'Say more: where each setting came from, the SQL that runs (repeat for more)'
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -l no-progress -d 'Never show progress bars'
complete -c odoodb -n "__fish_odoodb_using_subcommand man" -s h -l help -d 'Print help'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "list" -d 'List the Odoo databases on the server: version, sizes, filestore, neutralized, warnings'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "info" -d 'Show one database in detail: version, modules, identity, mail, crons, filestore health, sessions'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "backup" -d 'Back up a database and its filestore into one archive (tar.gz, Odoo\'s zip, or a pg_dump file); or check an archive with --verify'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "backups" -d 'List the backups in a folder, newest first; with --max-age, exit 4 when a database\'s newest backup is older or missing (for monitoring)'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "restore" -d 'Restore a backup (ours, Odoo\'s zip, a pg_dump file or folder, plain SQL) into a new database, atomically'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "duplicate" -d 'Copy a database and its filestore under a new name, with a new identity'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "rename" -d 'Rename a database and its filestore together, or neither'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "delete" -d 'Drop a database and remove its filestore, after a typed confirmation'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "neutralize" -d 'Make a copy safe: crons, mail, payments, carriers, EDI… switched off in one transaction; or audit one with --check'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "pseudonymize" -d 'Rewrite every person\'s data of a copy into consistent pseudonyms and reset every credential, in one transaction; or prove a copy with --check --against its source'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "upgrade" -d 'Upgrade a database (Odoo\'s upgrade platform, or a local program such as OpenUpgrade): preflight, an upgraded test copy, production with a backup first and an automatic revert, a platform request\'s status and log'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "update" -d 'Update production\'s modules within its version (`-u` after a code deploy): closed, backed up, updated on a copy, checked, swapped in; the original kept closed for `odoodb upgrade rollback`'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "recover" -d 'Complete or roll back the changes of odoodb runs that were killed (every changing command does this first); list the ones still under way'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "config" -d 'Show the resolved settings and where each one came from'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "man" -d 'Print the man page, or write every page into a directory'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and not __fish_seen_subcommand_from list info backup backups restore duplicate rename delete neutralize pseudonymize upgrade update recover config completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and __fish_seen_subcommand_from upgrade" -f -a "check" -d 'Preflight: versions, contract, local tools, free disk, and installed modules missing from the target version\'s code; exits 4 when something blocks the upgrade'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and __fish_seen_subcommand_from upgrade" -f -a "test" -d 'A test upgrade: an upgraded, neutralized copy under a new name; the original is never closed or changed'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and __fish_seen_subcommand_from upgrade" -f -a "production" -d 'Upgrade production: closed to connections, backed up, upgraded, swapped in; the original is kept as <db>_pre_<target>_<YYYY-mm-dd_HH-MM-SS>, and any failure puts it back as it was'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and __fish_seen_subcommand_from upgrade" -f -a "rollback" -d 'Undo the last production upgrade: the kept original takes the name back (database and filestore), the upgraded database is set aside closed (or dropped)'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and __fish_seen_subcommand_from upgrade" -f -a "resume" -d 'Continue an interrupted test upgrade from where the platform is'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and __fish_seen_subcommand_from upgrade" -f -a "status" -d 'The platform\'s view of the upgrade request stored for a database'
complete -c odoodb -n "__fish_odoodb_using_subcommand help; and __fish_seen_subcommand_from upgrade" -f -a "log" -d 'The platform\'s log of the upgrade request stored for a database'
