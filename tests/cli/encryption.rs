//! Encrypted backups (age): `backup --encrypt-to` in every format and target, read back by
//! `backup --verify`, `restore` and `restore --inspect` with the identity, by the standard `age`
//! tool where it is installed, and refused, naming the recipients, without it or with another.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use age::secrecy::ExposeSecret as _;

use crate::support::archives::filestore_entries;
use crate::support::fixtures;
use crate::support::{PgTestDb, TestEnv, checksums, database_exists, json, leftovers, row_counts};

const MAGIC: &[u8] = b"age-encryption.org/v1\n";

/// A key pair: the identity file written under `env`, and the public key.
struct Key {
    file: PathBuf,
    public: String,
    secret: String,
}

fn key(env: &TestEnv, name: &str) -> Key {
    let identity = age::x25519::Identity::generate();
    let secret = identity.to_string().expose_secret().to_string();
    let public = identity.to_public().to_string();
    let file = env.root.join(format!("{name}.txt"));
    std::fs::write(&file, format!("# public key: {public}\n{secret}\n")).unwrap();
    Key { file, public, secret }
}

fn out_dir(env: &TestEnv) -> PathBuf {
    let dir = env.root.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The standard `age` tool, when installed (`.ci/run` installs it, and CI requires it).
fn age_tool() -> Option<&'static str> {
    let found = Process::new("age").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("ODOODB_REQUIRE_FIXTURES").is_none(),
            "CI requires the age tool (Debian's age package), which .ci/run installs"
        );
        eprintln!("SKIPPED the checks with the age tool: it is not installed");
    }
    found.then_some("age")
}

/// `age -d -i KEY FILE`: the plaintext.
fn age_decrypt(tool: &str, key: &Key, file: &Path) -> Vec<u8> {
    let output = Process::new(tool).arg("-d").arg("-i").arg(&key.file).arg(file).output().unwrap();
    assert!(output.status.success(), "age -d refused {}: {}", file.display(), stderr(&output));
    output.stdout
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A backup of `db` into `dir`, encrypted to `to`; returns the JSON report.
fn backup(env: &TestEnv, db: &str, format: &str, dir: &Path, to: &[&Key]) -> serde_json::Value {
    let mut cmd = env.cmd();
    cmd.args(["--json", "backup", db, "--format", format, "--dir"]).arg(dir);
    for key in to {
        cmd.args(["--encrypt-to", &key.public]);
    }
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    json(&output)
}

#[test]
fn every_format_round_trips_encrypted_and_age_reads_it() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "enc_src");
    let (mine, theirs) = (key(&env, "mine"), key(&env, "theirs"));
    let dir = out_dir(&env);
    for format in ["tar.gz", "zip", "dump"] {
        let report = backup(&env, &source.name, format, &dir, &[&mine, &theirs]);
        let path = PathBuf::from(report["path"].as_str().unwrap());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.ends_with(&format!(".{format}.age")), "{name}");
        assert_eq!(report["encrypted_to"], serde_json::json!([mine.public, theirs.public]));
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(report["bytes"], bytes.len() as u64, "the size stored is the file's");
        assert!(bytes.starts_with(MAGIC));
        // Whole archive encrypted: neither the manifest nor the dump shows.
        for plain in [&b"manifest.json"[..], b"odoo_dump", b"PGDMP", b"logo.png"] {
            assert!(
                !contains(&bytes, plain),
                "{format}: {:?} in clear",
                String::from_utf8_lossy(plain)
            );
        }
        // The header names the recipients; the secret keys are nowhere.
        assert!(contains(&bytes, format!("odoodb-recipient {}", mine.public).as_bytes()));
        assert!(!contains(&bytes, b"AGE-SECRET-KEY"));

        // The standard tool decrypts it, with either identity.
        if let Some(tool) = age_tool() {
            let plain = age_decrypt(tool, &theirs, &path);
            let clear = env.root.join(format!("clear.{format}"));
            std::fs::write(&clear, &plain).unwrap();
            let (program, args): (&str, &[&str]) = match format {
                "tar.gz" => ("tar", &["tzf"]),
                "zip" => ("unzip", &["-l"]),
                _ => ("pg_restore", &["--list"]),
            };
            let listed = Process::new(program).args(args).arg(&clear).output().unwrap();
            assert!(listed.status.success(), "{program} {format}: {}", stderr(&listed));
            let listed = String::from_utf8_lossy(&listed.stdout);
            if format == "dump" {
                assert!(listed.contains("TABLE DATA public ir_config_parameter"), "{listed}");
            } else {
                assert!(listed.contains("manifest.json"), "{listed}");
            }
        }

        // Verified end to end with the identity.
        let output = env
            .cmd()
            .args(["--json", "backup", "--verify"])
            .arg(&path)
            .arg("--identity")
            .arg(&mine.file)
            .output()
            .unwrap();
        assert!(output.status.success(), "verify {format}: {}", stderr(&output));
        let verified = json(&output);
        assert_eq!(verified["encrypted_to"], serde_json::json!([mine.public, theirs.public]));
        assert!(verified["findings"].as_array().unwrap().iter().all(|f| f["ok"] == true));

        // Restored whole: every row, every file byte for byte.
        let target = PgTestDb::reserve(&format!("enc_r_{}", &format[..3]));
        let output = env
            .cmd()
            .arg("restore")
            .arg(&path)
            .arg(&target.name)
            .arg("--identity")
            .arg(&theirs.file)
            .arg("--move")
            .output()
            .unwrap();
        assert!(output.status.success(), "restore {format}: {}", stderr(&output));
        assert_eq!(row_counts(&target.name), row_counts(&source.name), "{format}");
        assert_eq!(checksums(&target.name), checksums(&source.name), "{format}");
        if format != "dump" {
            assert_eq!(
                filestore_entries(&env, &target.name),
                filestore_entries(&env, &source.name)
            );
        }
        assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());
    }
}

#[test]
fn a_missing_or_wrong_identity_names_the_recipients_and_changes_nothing() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "enc_id_src");
    let (mine, other) = (key(&env, "mine"), key(&env, "other"));
    let report = backup(&env, &source.name, "tar.gz", &out_dir(&env), &[&mine]);
    let path = PathBuf::from(report["path"].as_str().unwrap());
    let target = PgTestDb::reserve("enc_id_r");
    let restore = |extra: &[&std::ffi::OsStr]| {
        env.cmd().arg("restore").arg(&path).arg(&target.name).args(extra).output().unwrap()
    };
    let inspect = |extra: &[&std::ffi::OsStr]| {
        env.cmd().args(["restore", "--inspect"]).arg(&path).args(extra).output().unwrap()
    };
    let verify = |extra: &[&std::ffi::OsStr]| {
        env.cmd().args(["backup", "--verify"]).arg(&path).args(extra).output().unwrap()
    };
    let wrong = [std::ffi::OsStr::new("--identity"), other.file.as_os_str()];
    for (what, output) in [
        ("restore, no identity", restore(&[])),
        ("restore, wrong identity", restore(&wrong)),
        ("inspect, no identity", inspect(&[])),
        ("inspect, wrong identity", inspect(&wrong)),
        ("verify, no identity", verify(&[])),
        ("verify, wrong identity", verify(&wrong)),
    ] {
        // Exit 1 (not 4: the archive is not known to be damaged), one error line naming the
        // recipient, and a hint; no secret.
        assert_eq!(output.status.code(), Some(1), "{what}: {}", stderr(&output));
        let text = stderr(&output);
        let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error: ")).collect();
        assert_eq!(errors.len(), 1, "{what}: {text}");
        assert!(errors[0].contains(&mine.public), "{what}: {text}");
        assert!(text.contains("hint: "), "{what}: {text}");
        assert!(!text.contains(&mine.secret) && !text.contains(&other.secret), "{what}: {text}");
        if what.contains("wrong") {
            assert!(errors[0].contains(&other.public), "{what} names the key it holds: {text}");
        }
    }
    assert!(!database_exists(&target.name));
    assert!(!env.filestore(&target.name).exists());
    assert_eq!(leftovers(&env, &target.name), Vec::<String>::new());

    // The environment, then the settings, name the identity file.
    let output = env
        .cmd()
        .args(["restore", "--inspect", "--json"])
        .arg(&path)
        .env("ODOODB_AGE_IDENTITY", &mine.file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let inspected = json(&output);
    assert_eq!(inspected["encrypted_to"], serde_json::json!([mine.public]));
    assert_eq!(inspected["manifest"]["db_name"], source.name.as_str());
    let settings = env.root.join("settings.toml");
    std::fs::write(&settings, format!("[restore]\nidentity = {:?}\n", mine.file)).unwrap();
    let output =
        env.cmd().arg("--settings").arg(&settings).args(["backup", "--verify"]).arg(&path).output();
    let output = output.unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    // --identity wins over both.
    let output = env
        .cmd()
        .arg("--settings")
        .arg(&settings)
        .args(["backup", "--verify"])
        .arg(&path)
        .arg("--identity")
        .arg(&other.file)
        .env("ODOODB_AGE_IDENTITY", &mine.file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}

#[test]
fn recipients_come_from_files_and_settings_and_reach_stdout_and_named_files() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "enc_to_src");
    let (one, two) = (key(&env, "one"), key(&env, "two"));
    let recipients = env.root.join("recipients.txt");
    std::fs::write(
        &recipients,
        format!("# the admins\n{}\n\n# offsite\n{}\n", one.public, two.public),
    )
    .unwrap();

    // -o - : the encrypted archive on stdout.
    let output = env
        .cmd()
        .args(["backup", &source.name, "--format", "dump", "-o", "-", "--encrypt-to-file"])
        .arg(&recipients)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.starts_with(MAGIC));
    let streamed = env.root.join("streamed.dump.age");
    std::fs::write(&streamed, &output.stdout).unwrap();
    let target = PgTestDb::reserve("enc_to_out");
    let restored = env
        .cmd()
        .arg("restore")
        .arg(&streamed)
        .arg(&target.name)
        .arg("--identity")
        .arg(&two.file)
        .arg("--move")
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert_eq!(checksums(&target.name), checksums(&source.name));

    // -o FILE.zip.age: the name says the format under the .age; the settings say to whom.
    let settings = env.root.join("settings.toml");
    std::fs::write(&settings, format!("[backup]\nencrypt_to = [{:?}]\n", one.public)).unwrap();
    let named = env.root.join("copy.zip.age");
    let output = env
        .cmd()
        .arg("--settings")
        .arg(&settings)
        .args(["--json", "backup", &source.name, "-o"])
        .arg(&named)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json(&output)["format"], "zip");
    assert!(std::fs::read(&named).unwrap().starts_with(MAGIC));
    if let Some(tool) = age_tool() {
        assert!(age_decrypt(tool, &one, &named).starts_with(b"PK\x03\x04"));
    }

    // A secret key where a recipient belongs is refused without being echoed.
    let dir = out_dir(&env);
    let output = env
        .cmd()
        .args(["backup", &source.name, "--encrypt-to", &one.secret, "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!stderr(&output).contains(&one.secret), "{}", stderr(&output));
    std::fs::write(&recipients, format!("{}\n{}\n", one.public, two.secret)).unwrap();
    let output = env
        .cmd()
        .args(["backup", &source.name, "--encrypt-to-file"])
        .arg(&recipients)
        .arg("--dir")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("line 2") && !text.contains(&two.secret), "{text}");
    assert!(std::fs::read_dir(&dir).unwrap().next().is_none(), "nothing was backed up");
}

#[test]
fn keep_and_the_listing_count_encrypted_backups() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "enc_keep");
    let key = key(&env, "k");
    let dir = out_dir(&env);
    let older: Vec<String> = [
        "2020-01-01_01-00-00.tar.gz.age",
        "2020-01-02_01-00-00.zip",
        "2020-01-03_01-00-00.dump.age",
    ]
    .iter()
    .map(|rest| format!("{}_{rest}", source.name))
    .collect();
    for name in &older {
        std::fs::write(dir.join(name), b"made up").unwrap();
    }
    let output = env
        .cmd()
        .args([
            "--json",
            "backup",
            "--all",
            "--match",
            &source.name,
            "--keep",
            "2",
            "--encrypt-to",
            &key.public,
            "--dir",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    left.sort();
    assert_eq!(left.len(), 2, "{left:?}");
    assert_eq!(left[0], older[2], "the newest older one is kept, the rest removed");
    assert!(left[1].ends_with(".tar.gz.age"), "{left:?}");

    let output = env.cmd().args(["--json", "backups"]).arg(&dir).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let listing = json(&output);
    let backups = listing["backups"].as_array().unwrap();
    assert_eq!(backups.len(), 2);
    assert!(
        backups.iter().all(|b| b["encrypted"] == true && b["database"] == source.name.as_str())
    );
    assert_eq!(backups[0]["format"], "tar.gz");
    assert_eq!(backups[1]["format"], "dump");
    let output = env.cmd().arg("backups").arg(&dir).output().unwrap();
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(table.contains("ENCRYPTED") && table.contains("age"), "{table}");
}

#[test]
fn a_file_the_age_tool_encrypted_is_read_too() {
    let Some(tool) = age_tool() else { return };
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "enc_tool");
    let key = key(&env, "k");
    let plain = env.root.join("plain.tar.gz");
    let output = env.cmd().args(["backup", &source.name, "-o"]).arg(&plain).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let sealed = env.root.join("plain.tar.gz.age");
    let status = Process::new(tool)
        .args(["-r", &key.public, "-o"])
        .arg(&sealed)
        .arg(&plain)
        .status()
        .unwrap();
    assert!(status.success());
    // No odoodb stanza: the error says the recipients are not named.
    let output = env.cmd().args(["backup", "--verify"]).arg(&sealed).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("recipients it does not name"), "{}", stderr(&output));
    let output = env
        .cmd()
        .args(["backup", "--verify"])
        .arg(&sealed)
        .arg("--identity")
        .arg(&key.file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    // A damaged one is a failed check (exit 4), not a key problem.
    let mut bytes = std::fs::read(&sealed).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&sealed, &bytes).unwrap();
    let output = env
        .cmd()
        .args(["backup", "--verify"])
        .arg(&sealed)
        .arg("--identity")
        .arg(&key.file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
}

#[test]
fn encrypted_backups_go_through_object_storage_and_back() {
    let Some(s3) = crate::support::s3::S3Server::start("encrypted backups in object storage")
    else {
        return;
    };
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "enc_s3");
    // Random bytes that do not compress: the upload spans several parts.
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let noise: Vec<u8> = (0..12 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[5]
        })
        .collect();
    source.add_attachment(&env, "noise.bin", &noise);
    let key = key(&env, "k");
    let bucket = s3.bucket("encrypted");
    let prefix = format!("s3://{bucket}/nightly/");
    let output = env
        .cmd()
        .envs(s3.vars())
        .args(["backup", "--all", "--match", &source.name, "--to", &prefix])
        .args(["--encrypt-to", &key.public, "-q"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let objects = s3.objects(&bucket, "nightly/");
    assert_eq!(objects.len(), 1, "{objects:?}");
    assert!(objects[0].ends_with(".tar.gz.age"), "{objects:?}");
    let stored = std::fs::read(s3.object_path(&bucket, &objects[0])).unwrap();
    assert!(stored.starts_with(MAGIC) && stored.len() > 12 << 20);
    assert!(!contains(&stored[..1 << 20], b"manifest.json"));
    let address = format!("s3://{bucket}/{}", objects[0]);

    let output = env.cmd().envs(s3.vars()).args(["--json", "backups", &prefix]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json(&output)["backups"][0]["encrypted"], true);
    let output = env
        .cmd()
        .envs(s3.vars())
        .args(["backup", "--verify", &address, "--identity"])
        .arg(&key.file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let target = PgTestDb::reserve("enc_s3_r");
    let output = env
        .cmd()
        .envs(s3.vars())
        .args(["restore", &address, &target.name, "--move", "--identity"])
        .arg(&key.file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(checksums(&target.name), checksums(&source.name));
    assert_eq!(filestore_entries(&env, &target.name), filestore_entries(&env, &source.name));
}
