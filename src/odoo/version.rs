//! Odoo version strings: `17.0.1.3` (module version) → `17.0` (series).

/// The series of a module version: the first two parts, `saas~17.2` style included.
pub fn series(module_version: &str) -> Option<String> {
    let mut parts = module_version.split('.');
    let major = parts.next()?;
    let minor = parts.next()?;
    let number = major.strip_prefix("saas~").unwrap_or(major);
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if minor.is_empty() || !minor.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(format!("{major}.{minor}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_of_module_versions() {
        assert_eq!(series("17.0.1.3").as_deref(), Some("17.0"));
        assert_eq!(series("saas~17.2.1.0").as_deref(), Some("saas~17.2"));
        assert_eq!(series("15.0.1.3").as_deref(), Some("15.0"));
        assert_eq!(series("garbage"), None);
        assert_eq!(series(""), None);
    }
}
