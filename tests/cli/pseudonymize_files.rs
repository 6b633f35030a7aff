//! `--attachments`: the files of people's attachments (partners' photos and documents,
//! invoices, events, orders) leave a pseudonymized copy — replaced by a placeholder or emptied,
//! their files gone from the copy's filestore — while the site's own (products, website,
//! payment logos, the company's logo) stay whole, and the source's files are never touched,
//! even when the copy's are hard links to them. A run killed between its commit and the
//! removal of the files is finished by the next.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::fixtures::{self, Real};
use crate::support::{PgTestDb, TestEnv, files_under, json, text};

use super::pseudonymize::PEOPLE_ATTACHMENTS as PEOPLE;

/// `id → store_fname` of the attachments `condition` selects that have a file.
fn stored(db: &PgTestDb, condition: &str) -> BTreeMap<i32, String> {
    let sql = format!(
        "SELECT id, store_fname FROM ir_attachment WHERE store_fname IS NOT NULL AND ({condition})"
    );
    db.client().query(&sql, &[]).unwrap().iter().map(|r| (r.get(0), r.get(1))).collect()
}

/// Every file of a folder with its content's sha1.
fn contents(folder: &Path) -> BTreeMap<String, String> {
    files_under(folder)
        .into_iter()
        .map(|name| {
            let content = std::fs::read(folder.join(&name)).unwrap();
            (name, sha1_smol::Sha1::from(&content).digest().to_string())
        })
        .collect()
}

/// Whether each of `people` is a placeholder: a PNG or a line of text, in the database, with
/// Odoo's checksum (sha1) and size of it, and no text extracted from the original.
fn placeholders(db: &PgTestDb, people: &BTreeMap<i32, String>) -> Vec<(i32, bool)> {
    let ids: Vec<i32> = people.keys().copied().collect();
    let rows = db
        .client()
        .query(
            "SELECT id, mimetype, db_datas, checksum, file_size, index_content IS NULL \
               FROM ir_attachment WHERE id = ANY($1)",
            &[&ids],
        )
        .unwrap();
    assert_eq!(rows.len(), ids.len());
    rows.iter()
        .map(|row| {
            let (mimetype, content): (String, Vec<u8>) = (row.get(1), row.get(2));
            let shaped = match mimetype.as_str() {
                "image/png" => content.starts_with(b"\x89PNG"),
                "text/plain" => String::from_utf8_lossy(&content).contains("removed"),
                _ => false,
            };
            let sum = sha1_smol::Sha1::from(&content).digest().to_string();
            let whole = row.get::<_, String>(3) == sum
                && row.get::<_, i32>(4) == i32::try_from(content.len()).unwrap()
                && row.get::<_, bool>(5);
            (row.get(0), shaped && whole)
        })
        .collect()
}

#[test]
fn people_files_leave_a_pseudonymized_copy_and_never_the_source() {
    for version in [Real::Odoo17, Real::Odoo15] {
        let env = TestEnv::new();
        let Some(source) = fixtures::real(&env, version, "psf_src") else { continue };
        // A person's document whose content a product image shares: the file stays for it.
        let product: i32 =
            source.scalar_i64("SELECT min(id)::bigint FROM product_template").try_into().unwrap();
        let shared = source.add_attachment(&env, "cv.pdf", b"a CV that is also a product sheet");
        source
            .client()
            .batch_execute(&format!(
                "UPDATE ir_attachment SET res_model = 'res.partner', res_id = \
                   (SELECT max(id) FROM res_partner), mimetype = 'application/pdf' \
                  WHERE store_fname = '{shared}';
                 INSERT INTO ir_attachment (name, type, store_fname, res_model, res_id, mimetype) \
                 VALUES ('sheet.pdf', 'binary', '{shared}', 'product.template', {product}, 'application/pdf')"
            ))
            .unwrap();
        let source_folder = env.filestore(&source.name);
        let (source_files, people, site) = (
            contents(&source_folder),
            stored(&source, PEOPLE),
            stored(&source, &format!("res_model IS NULL OR NOT ({PEOPLE})")),
        );
        assert!(
            people.len() >= 3 && site.len() > 100,
            "{version:?}: {} {}",
            people.len(),
            site.len()
        );

        let copy = PgTestDb::reserve("psf_copy");
        let made = env
            .cmd()
            .args(["duplicate", &source.name, &copy.name, "--pseudonymize", "--filestore"])
            .args(["hardlink", "--yes", "--json"])
            .output()
            .unwrap();
        assert!(made.status.success(), "{version:?}: {}", text(&made.stderr));
        let report = json(&made);
        let emptied = report["pseudonymized"]["attachments"].clone();
        assert_eq!(emptied["mode"], "placeholder", "{report}");
        assert!(emptied["rows"].as_u64().unwrap() >= people.len() as u64, "{report}");

        // People's attachments hold a placeholder, in the database; the site's are as they were.
        assert!(stored(&copy, PEOPLE).is_empty(), "{version:?}: no person's file is referenced");
        for (id, placeholder) in placeholders(&copy, &people) {
            assert!(placeholder, "{version:?}: attachment {id} is not a placeholder");
        }
        assert_eq!(
            stored(&copy, &format!("res_model IS NULL OR NOT ({PEOPLE})")),
            site,
            "{version:?}: site's kept"
        );

        // The copy's folder holds exactly what its attachments use (the shared file included;
        // no file of a deleted attachment, no collection mark); the source's folder is as it
        // was, file for file, content for content.
        let copy_files: BTreeSet<String> =
            files_under(&env.filestore(&copy.name)).into_iter().collect();
        let used: BTreeSet<String> =
            site.values().filter(|f| source_files.contains_key(*f)).cloned().collect();
        let extra: Vec<_> = copy_files.difference(&used).collect();
        let missing: Vec<_> = used.difference(&copy_files).collect();
        assert!(extra.is_empty() && missing.is_empty(), "{version:?}: {extra:?} {missing:?}");
        assert!(copy_files.contains(&shared), "{version:?}: a file still used stays");
        assert_eq!(contents(&source_folder), source_files, "{version:?}: the source's files");
        assert_eq!(stored(&source, PEOPLE), people, "{version:?}: the source's attachments");
        assert_eq!(
            copy.scalar_i64(
                "SELECT count(*) FROM pg_tables WHERE tablename = 'odoodb_pseudonymize_files'"
            ),
            0,
            "{version:?}: no journal left in the copy"
        );
    }
}

#[test]
fn a_run_killed_after_its_commit_is_finished_by_the_next() {
    let env = TestEnv::new();
    let Some(db) = fixtures::real(&env, Real::Odoo17, "psf_kill") else { return };
    let folder = env.filestore(&db.name);
    let people = stored(&db, PEOPLE);
    let site = stored(&db, &format!("res_model IS NULL OR NOT ({PEOPLE})"));
    let only_people: BTreeSet<String> =
        people.values().filter(|f| !site.values().any(|s| s == *f)).cloned().collect();
    assert!(!only_people.is_empty());

    let killed = env
        .cmd()
        .args(["pseudonymize", &db.name, "--attachments", "drop", "--yes", "--force"])
        .env("ODOODB_FAULT", "crash:pseudonymize:after-commit")
        .output()
        .unwrap();
    assert!(!killed.status.success(), "{}", text(&killed.stderr));
    // Committed: emptied in the database, the list of files kept with it, the files still there.
    assert!(stored(&db, PEOPLE).is_empty());
    assert_eq!(
        db.scalar_i64(&format!(
            "SELECT count(*) FROM ir_attachment WHERE ({PEOPLE}) AND id IN ({}) \
               AND db_datas IS NULL AND file_size = 0 AND checksum IS NULL",
            people.keys().map(i32::to_string).collect::<Vec<_>>().join(", ")
        )),
        i64::try_from(people.len()).unwrap(),
        "dropped: emptied"
    );
    assert!(db.scalar_i64("SELECT count(*) FROM odoodb_pseudonymize_files") > 0);
    assert!(only_people.iter().all(|f| folder.join(f).exists()));

    let again = env
        .cmd()
        .args(["pseudonymize", &db.name, "--attachments", "keep", "--yes", "--force", "--json"])
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(only_people.iter().all(|f| !folder.join(f).exists()), "the cut run finished");
    assert!(site.values().all(|f| folder.join(f).exists()), "the site's files stay");
    assert_eq!(
        db.scalar_i64(
            "SELECT count(*) FROM pg_tables WHERE tablename = 'odoodb_pseudonymize_files'"
        ),
        0
    );
}

#[test]
fn a_restore_with_pseudonymize_leaves_no_persons_file_in_the_new_filestore() {
    let env = TestEnv::new();
    let Some(zip) = fixtures::real_file(Real::Odoo17, "odoo-backup.zip").filter(|p| p.is_file())
    else {
        fixtures::skip("psf_restore");
        return;
    };
    let target = PgTestDb::reserve("psf_restored");
    let output = env
        .cmd()
        .arg("restore")
        .arg(&zip)
        .args([&target.name, "--neutralize", "--pseudonymize", "--attachments", "drop"])
        .args(["--seed", "restore-seed", "--yes", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = json(&output);
    assert_eq!(report["pseudonymized"]["attachments"]["mode"], "drop", "{report}");
    assert!(stored(&target, PEOPLE).is_empty(), "no person's attachment keeps a file");
    let folder = env.filestore(&target.name);
    let used: BTreeSet<String> = stored(&target, "true").into_values().collect();
    let present: BTreeSet<String> = files_under(&folder).into_iter().collect();
    assert!(present.iter().all(|f| used.contains(f)), "only the files still used");
    assert!(used.iter().all(|f| present.contains(f)), "every file still used is there");
    let pseudonyms =
        target.scalar_i64("SELECT count(*) FROM res_partner WHERE email LIKE '%@example.invalid'");
    assert!(pseudonyms > 0, "the people are pseudonymized too");
}
