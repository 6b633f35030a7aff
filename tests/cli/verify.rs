//! `odoodb backup --verify`: 0 on a good archive, 4 with a table of findings after one byte of
//! the dump, one filestore file or the manifest is altered; Odoo's own zips (no checksums)
//! are checked for what they carry.

use std::path::Path;

use crate::support::archives::{self, Entry};
use crate::support::fixtures::{self, Real};
use crate::support::{TestEnv, json};

fn verify(env: &TestEnv, archive: &Path) -> std::process::Output {
    env.cmd().args(["backup", "--verify"]).arg(archive).output().unwrap()
}

fn assert_code(output: &std::process::Output, code: i32, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what}: stdout {} stderr {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_good_tar_gz_passes_and_every_alteration_is_found() {
    let env = TestEnv::new();
    let source = fixtures::modern(&env, "vf_src");
    for form in ["custom", "directory", "plain"] {
        let good = archives::path_in(&env, &format!("{form}.tar.gz"));
        archives::our_tar_gz(&env, &source.name, form, &good, |_, _| {});
        assert_code(&verify(&env, &good), 0, form);
    }
    let output = env
        .cmd()
        .args(["--json", "backup", "--verify"])
        .arg(archives::path_in(&env, "custom.tar.gz"))
        .output()
        .unwrap();
    assert_code(&output, 0, "json");
    assert!(json(&output)["findings"].as_array().unwrap().iter().all(|f| f["ok"] == true));

    // One byte of the dump.
    let dump = archives::path_in(&env, "dump.tar.gz");
    archives::our_tar_gz(&env, &source.name, "custom", &dump, |_, entries| {
        for entry in entries.iter_mut() {
            if let Entry::File(name, data) = entry
                && name == "dump.pgdump"
            {
                let at = data.len() / 2;
                data[at] ^= 1;
            }
        }
    });
    let output = verify(&env, &dump);
    assert_code(&output, 4, "dump byte");
    assert!(String::from_utf8_lossy(&output.stdout).contains("dump checksum"));

    // One filestore file.
    let file = archives::path_in(&env, "file.tar.gz");
    archives::our_tar_gz(&env, &source.name, "custom", &file, |_, entries| {
        for entry in entries.iter_mut() {
            if let Entry::File(name, data) = entry
                && name.starts_with("filestore/")
            {
                data[0] ^= 1;
                break;
            }
        }
    });
    let output = verify(&env, &file);
    assert_code(&output, 4, "filestore file");
    assert!(String::from_utf8_lossy(&output.stdout).contains("does not match their name"));

    // The manifest.
    let manifest = archives::path_in(&env, "manifest.tar.gz");
    archives::our_tar_gz(&env, &source.name, "custom", &manifest, |manifest, _| {
        let sha = manifest["odoodb"]["dump"]["sha256"].as_str().unwrap().replace('a', "b");
        manifest["odoodb"]["dump"]["sha256"] = serde_json::json!(sha);
    });
    assert_code(&verify(&env, &manifest), 4, "manifest");

    // A truncated archive.
    let bytes = std::fs::read(archives::path_in(&env, "custom.tar.gz")).unwrap();
    let truncated = archives::path_in(&env, "trunc.tar.gz");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    assert_code(&verify(&env, &truncated), 4, "truncated");
}

#[test]
fn odoo_zips_and_dumps_are_checked_for_what_they_carry() {
    let env = TestEnv::new();
    for version in [Real::Odoo17, Real::Odoo15] {
        let Some(zip) = fixtures::real_file(version, "odoo-backup.zip").filter(|p| p.is_file())
        else {
            fixtures::skip("verify of Odoo's zips");
            return;
        };
        let output = verify(&env, &zip);
        assert_code(&output, 0, "odoo zip");
        assert!(String::from_utf8_lossy(&output.stdout).contains("no odoodb checksums"));
        let dump = fixtures::real_file(version, "db.dump").unwrap();
        assert_code(&verify(&env, &dump), 0, "db.dump");
    }
    // A damaged Odoo zip: a CRC no longer matches.
    let source = fixtures::modern(&env, "vf_zip");
    let good = archives::path_in(&env, "good.zip");
    archives::odoo_zip(&env, &source.name, &good);
    assert_code(&verify(&env, &good), 0, "made zip");
    let mut bytes = std::fs::read(&good).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 0xff;
    let bad = archives::path_in(&env, "bad.zip");
    std::fs::write(&bad, bytes).unwrap();
    assert_code(&verify(&env, &bad), 4, "damaged zip");
    // A plain dump cut short.
    let sql = archives::path_in(&env, "cut.sql");
    archives::pg_dump(&source.name, &["-Fp"], &sql);
    let text = std::fs::read(&sql).unwrap();
    std::fs::write(&sql, &text[..text.len() / 2]).unwrap();
    assert_code(&verify(&env, &sql), 4, "cut sql");
}
