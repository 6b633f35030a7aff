//! Where settings come from, as `odoodb config` reports it.

use crate::support::{TestEnv, json};

#[test]
fn flags_beat_odoo_conf_which_beats_the_environment() {
    let env = TestEnv::new();
    let doc =
        json(&env.cmd().args(["config", "--json"]).env("PGHOST", "/elsewhere").output().unwrap());
    assert_eq!(doc["data_dir"]["value"], env.data_dir.display().to_string());
    assert_eq!(doc["data_dir"]["source"], "odoo.conf data_dir");
    assert_eq!(doc["host"]["source"], "odoo.conf db_host");
    assert_eq!(doc["odoo_conf"]["value"], env.odoo_conf.display().to_string());

    let doc =
        json(&env.cmd().args(["config", "--json", "--data-dir", "/srv/odoo"]).output().unwrap());
    assert_eq!(doc["data_dir"]["value"], "/srv/odoo");
    assert_eq!(doc["data_dir"]["source"], "flag --data-dir");

    let doc = json(
        &env.bare_cmd()
            .args(["config", "--json"])
            .env("PGHOST", "/elsewhere")
            .env("PGPASSWORD", "envpw-123")
            .output()
            .unwrap(),
    );
    assert_eq!(doc["host"]["value"], "/elsewhere");
    assert_eq!(doc["host"]["source"], "environment PGHOST");
    assert_eq!(doc["data_dir"]["value"], env.home.join(".local/share/Odoo").display().to_string());
    assert_eq!(doc["password"]["source"], "environment PGPASSWORD");
    assert!(!doc.to_string().contains("envpw-123"));
}

#[test]
fn odoorc_in_home_is_found_and_verbose_names_sources() {
    let env = TestEnv::new();
    std::fs::write(
        env.home.join(".odoorc"),
        "[options]\ndata_dir = /opt/odoo-data\ndb_port = 5433\n",
    )
    .unwrap();
    let output = env.bare_cmd().args(["-v", "config"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("setting data_dir = /opt/odoo-data  [odoo.conf data_dir]"), "{stderr}");
    assert!(stderr.contains("setting port = 5433  [odoo.conf db_port]"), "{stderr}");
}

#[test]
fn settings_toml_is_read_from_home() {
    let env = TestEnv::new();
    let dir = env.home.join(".config/odoodb");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[duplicate]\nfilestore = 'copy'\n").unwrap();
    let doc = json(&env.cmd().args(["config", "--json"]).output().unwrap());
    assert_eq!(doc["settings"]["value"], dir.join("config.toml").display().to_string());
}

#[test]
fn the_example_settings_file_is_valid() {
    let env = TestEnv::new();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/config.toml");
    let output =
        env.cmd().arg("--settings").arg(&example).args(["config", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(json(&output)["settings"]["value"], example.display().to_string());
}
