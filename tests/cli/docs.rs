//! `completions/` and `man/` are generated from the clap definitions; they must not go stale.
//! `ODOODB_BLESS=1 cargo test docs` rewrites them.

use std::path::Path;

#[test]
fn generated_files_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = odoodb::docs::generated_files().unwrap();
    let bless = std::env::var_os("ODOODB_BLESS").is_some();
    let mut stale = Vec::new();
    for (relative, content) in &files {
        let path = root.join(relative);
        if std::fs::read(&path).ok().as_deref() != Some(content.as_slice()) {
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, content).unwrap();
            } else {
                stale.push(relative.display().to_string());
            }
        }
    }
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten().flatten() {
            let relative = Path::new(dir).join(entry.file_name());
            if !files.iter().any(|(known, _)| *known == relative) {
                if bless {
                    std::fs::remove_file(entry.path()).unwrap();
                } else {
                    stale.push(format!("{} (not generated any more)", relative.display()));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files: {stale:?}; run `ODOODB_BLESS=1 cargo test docs` and commit"
    );
}

#[test]
fn completions_and_man_are_printed_on_demand() {
    let env = crate::support::TestEnv::new();
    env.cmd()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicates::str::contains("_odoodb()"));
    env.cmd().arg("man").assert().success().stdout(predicates::str::contains(".TH ODOODB 1"));
    let out = env.root.join("man");
    env.cmd().args(["man", "--dir", out.to_str().unwrap()]).assert().success();
    assert!(out.join("odoodb-list.1").is_file());
}

/// Every page has the sections an administrator looks for, in the usual order.
const SECTIONS: [&str; 10] = [
    ".SH NAME",
    ".SH SYNOPSIS",
    ".SH DESCRIPTION",
    ".SH OPTIONS",
    ".SH \"EXIT STATUS\"",
    ".SH ENVIRONMENT",
    ".SH FILES",
    ".SH EXAMPLES",
    ".SH \"SEE ALSO\"",
    "\\fBpsql\\fR(1), \\fBpg_dump\\fR(1)",
];

fn pages() -> Vec<(String, String)> {
    odoodb::docs::man_pages()
        .unwrap()
        .into_iter()
        .map(|(name, page)| (name, String::from_utf8(page).unwrap()))
        .collect()
}

#[test]
fn every_man_page_has_every_section_in_order() {
    let pages = pages();
    let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.contains(&"odoodb.1") && names.contains(&"odoodb-neutralize.1"), "{names:?}");
    for (name, page) in &pages {
        let mut from = 0;
        for section in SECTIONS {
            let at = page[from..].find(section).map(|at| from + at);
            assert!(at.is_some(), "{name}: no {section} after byte {from}");
            from = at.unwrap();
        }
        for variable in ["ODOO_RC", "PGPASSFILE", "PGCONNECT_TIMEOUT", "NO_COLOR", "HOME"] {
            assert!(page.contains(&format!("\\fB{variable}\\fR")), "{name}: no {variable}");
        }
        for code in ["0", "1", "2", "3", "4", "130"] {
            assert!(page.contains(&format!(".TP\n\\fB{code}\\fR\n")), "{name}: no exit {code}");
        }
        assert!(page.contains(".odoodb\\-journal/"), "{name}: the journal is not in FILES");
        let examples = page.split(".SH EXAMPLES").nth(1).unwrap();
        let count = examples.split(".SH").next().unwrap().matches(".TP\n\\fBodoodb").count()
            + examples.matches(".TP\n\\fBsource <(COMPLETE").count();
        assert!((2..=4).contains(&count), "{name}: {count} examples");
    }
}

#[test]
fn no_man_page_names_a_help_page() {
    for (name, page) in pages() {
        assert_ne!(name, "odoodb-help.1");
        assert!(!page.contains("odoodb\\-help") && !page.contains("odoodb-help"), "{name}");
    }
}

#[test]
fn subcommand_pages_show_the_command_as_typed_and_the_global_options() {
    for (name, page) in pages() {
        let Some(sub) = name.strip_prefix("odoodb-").and_then(|n| n.strip_suffix(".1")) else {
            continue;
        };
        let synopsis = page.split(".SH SYNOPSIS\n").nth(1).unwrap().lines().next().unwrap();
        assert!(
            synopsis.starts_with(&format!("\\fBodoodb {sub}\\fR [\\fIOPTIONS\\fR]")),
            "{name}: {synopsis}"
        );
        for global in
            [".SS \"Global options\"", ".SS Connection", ".SS Output", "\\-\\-host", "\\-\\-json"]
        {
            assert!(page.contains(global), "{name}: no {global}");
        }
        assert!(page.contains("\\fBodoodb\\fR(1)"), "{name}: SEE ALSO does not name odoodb(1)");
        assert!(!page.contains(&format!("\\fBodoodb\\-{sub}\\fR(1)")), "{name} names itself");
    }
    let duplicate = &pages().into_iter().find(|(name, _)| name == "odoodb-duplicate.1").unwrap().1;
    assert!(
        duplicate.contains(
            "\\fBodoodb duplicate\\fR [\\fIOPTIONS\\fR] <\\fISOURCE\\fR> <\\fITARGET\\fR>"
        )
    );
}

#[test]
fn destructive_commands_pages_explain_yes() {
    for (name, page) in pages() {
        if ["delete", "rename", "duplicate", "neutralize"]
            .iter()
            .any(|c| name == format!("odoodb-{c}.1"))
        {
            let option = page.split(".SH OPTIONS").nth(1).unwrap();
            assert!(option.contains("\\fB\\-y\\fR, \\fB\\-\\-yes\\fR"), "{name}: no --yes option");
            let exit = page.split(".SH \"EXIT STATUS\"").nth(1).unwrap();
            assert!(
                exit.contains("without \\-\\-yes"),
                "{name}: exit 2 without --yes not explained"
            );
        }
    }
}
