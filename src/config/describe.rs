//! The settings in force as lines of (name, value, source): what `odoodb config` and `-v` show,
//! passwords masked.

use super::{Resolved, Source};
use crate::pg::RootCert;

impl Resolved {
    /// Each setting as (name, value, source), passwords masked: what `config` and `-v` show.
    pub fn describe(&self) -> Vec<(&'static str, String, String)> {
        let none = || "(none)".to_string();
        let mut lines = vec![
            (
                "odoo_conf",
                self.odoo_conf.as_ref().map_or_else(none, |c| c.path.display().to_string()),
                String::new(),
            ),
            (
                "settings",
                self.settings.path.as_ref().map_or_else(none, |p| p.display().to_string()),
                String::new(),
            ),
            ("host", self.host.value.clone(), self.host.source.to_string()),
            ("port", self.port.value.to_string(), self.port.source.to_string()),
            ("user", self.user.value.clone(), self.user.source.to_string()),
        ];
        let (password, source) = match &self.password {
            Some(p) => ("set (hidden)".to_string(), p.source.to_string()),
            None => (
                format!("from {} if it has a matching line", self.passfile.display()),
                "password file".to_string(),
            ),
        };
        lines.push(("password", password, source));
        lines.push((
            "sslmode",
            self.sslmode.value.as_str().to_string(),
            self.sslmode.source.to_string(),
        ));
        if let Some(root_cert) = &self.root_cert {
            let value = match &root_cert.value {
                RootCert::File(path) => path.display().to_string(),
                RootCert::System => "system".to_string(),
            };
            lines.push(("sslrootcert", value, root_cert.source.to_string()));
        }
        if let Some(client_cert) = &self.client_cert {
            lines.push((
                "sslcert",
                client_cert.value.display().to_string(),
                client_cert.source.to_string(),
            ));
            if let Some(key) = &self.client_key {
                lines.push(("sslkey", key.display().to_string(), client_cert.source.to_string()));
            }
        }
        lines.push((
            "connect_timeout",
            format!("{} s", self.connect_timeout.value.as_secs()),
            self.connect_timeout.source.to_string(),
        ));
        lines.push((
            "data_dir",
            self.data_dir.value.display().to_string(),
            self.data_dir.source.to_string(),
        ));
        lines.push((
            "filestores",
            self.data_dir.value.join("filestore").display().to_string(),
            "data_dir/filestore".to_string(),
        ));
        if !self.addons_path.is_empty() {
            let joined = self
                .addons_path
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(",");
            lines.push(("addons_path", joined, Source::OdooConf("addons_path").to_string()));
        }
        if let Some(pg_path) = &self.pg_path {
            lines.push((
                "pg_path",
                pg_path.display().to_string(),
                Source::OdooConf("pg_path").to_string(),
            ));
        }
        lines
    }
}
