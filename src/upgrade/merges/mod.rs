//! Odoo's own modules that an upgrade merges into another, renames or removes, from 15.0 to
//! 19.0: such a module is absent from the target's code on purpose, so its absence is not the
//! missing module that makes an update fail. The facts are in `steps.rs`, with their sources.

mod steps;

use serde::Serialize;

use crate::upgrade::target::Series;
use steps::{Only, STEPS, Step};

/// What an upgrade does to a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Absorbed into an existing module (its data and records move there).
    Merged,
    /// The same module under a new name.
    Renamed,
    /// Uninstalled by Odoo's script: its data and features are gone.
    Removed,
}

/// What the database is, for the steps that depend on it.
pub struct Edition<'a> {
    /// `web_enterprise` is installed: Odoo's scripts take their Enterprise branches.
    pub enterprise: bool,
    /// The installed modules whose license is Odoo Enterprise's (OEEL-1).
    pub enterprise_modules: &'a [String],
}

impl Edition<'_> {
    fn allows(&self, only: Only, module: &str) -> bool {
        match only {
            Only::Always => true,
            Only::EnterpriseModule => self.enterprise_modules.iter().any(|m| m == module),
            Only::WithEnterprise => self.enterprise,
            Only::WithoutEnterprise => !self.enterprise,
        }
    }
}

/// What becomes of a module on the way to the target.
#[derive(Debug, Clone, Serialize)]
pub struct Fate {
    pub module: String,
    pub change: Change,
    /// The module it lives on in at the target (the last name of a chain); none when removed.
    pub into: Option<String>,
    /// The series whose script makes the (last) change.
    pub version: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub note: &'static str,
}

impl Fate {
    /// `merged into account (saas~17.2)`, `removed by Odoo in saas~17.5 (moved to Enterprise)`.
    pub fn describe(&self) -> String {
        let into = self.into.as_deref().unwrap_or_default();
        let text = match self.change {
            Change::Merged => format!("merged into {into} ({})", self.version),
            Change::Renamed => format!("renamed to {into} ({})", self.version),
            Change::Removed => format!("removed by Odoo in {}", self.version),
        };
        if self.note.is_empty() { text } else { format!("{text} ({})", self.note) }
    }
}

/// What the upgrade from `from` to `to` does to `module`, step by step across every series in
/// between (15.0 → 18.0 goes through 16 and 17); `None` when it is not one of Odoo's changes.
pub fn fate(module: &str, from: &Series, to: &Series, edition: &Edition<'_>) -> Option<Fate> {
    let (after, upto) = ((from.major, from.minor), (to.major, to.minor));
    let mut name = module.to_string();
    let mut last: Option<&Step> = None;
    let mut merged = false;
    for step in STEPS.iter().filter(|step| step.at > after && step.at <= upto) {
        if step.module != name || !edition.allows(step.only, module) {
            continue;
        }
        last = Some(step);
        match step.change {
            Change::Removed => break,
            Change::Merged => merged = true,
            Change::Renamed => {}
        }
        step.into.clone_into(&mut name);
    }
    let step = last?;
    let (change, into) = match step.change {
        Change::Removed => (Change::Removed, None),
        _ if merged => (Change::Merged, Some(name)),
        _ => (Change::Renamed, Some(name)),
    };
    let (major, minor) = step.at;
    Some(Fate {
        module: module.to_string(),
        change,
        into,
        version: Series { major, minor, saas: minor != 0 }.to_string(),
        note: step.note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(text: &str) -> Series {
        Series::parse(text).unwrap_or_else(|| unreachable!("{text}"))
    }

    const COMMUNITY: Edition<'static> = Edition { enterprise: false, enterprise_modules: &[] };

    fn described(module: &str, from: &str, to: &str, edition: &Edition<'_>) -> Option<String> {
        fate(module, &series(from), &series(to), edition).map(|fate| fate.describe())
    }

    #[test]
    fn steps_are_in_order_and_well_formed() {
        let valid = |name: &str| {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        for pair in STEPS.windows(2) {
            assert!(pair[0].at <= pair[1].at, "{} before {}", pair[0].module, pair[1].module);
        }
        for step in STEPS {
            assert!(valid(step.module), "{:?}", step.module);
            assert!((15..=19).contains(&step.at.0) && step.at.1 <= 5, "{}", step.module);
            match step.change {
                Change::Removed => assert!(step.into.is_empty(), "{}", step.module),
                _ => assert!(valid(step.into) && step.into != step.module, "{}", step.module),
            }
        }
    }

    #[test]
    fn a_plain_community_17_database_going_to_18() {
        let to_18 = |module| described(module, "17.0", "18.0", &COMMUNITY);
        assert_eq!(
            to_18("account_payment_term").as_deref(),
            Some("merged into account (saas~17.2)")
        );
        assert_eq!(
            to_18("sale_product_configurator").as_deref(),
            Some("merged into sale (saas~17.3)")
        );
        assert_eq!(
            to_18("website_form_project").as_deref(),
            Some("renamed to website_project (saas~17.1)")
        );
        assert_eq!(
            to_18("website_sale_picking").as_deref(),
            Some("renamed to website_sale_collect (saas~17.5)")
        );
        assert_eq!(
            to_18("spreadsheet_dashboard_purchase").as_deref(),
            Some("removed by Odoo in saas~17.5")
        );
        assert_eq!(
            to_18("spreadsheet_dashboard_purchase_stock").as_deref(),
            Some("removed by Odoo in saas~17.5 (moved to Enterprise)")
        );
        // A chain inside one major: merged into l10n_fr, which becomes l10n_fr_account.
        assert_eq!(
            to_18("l10n_fr_fec").as_deref(),
            Some("merged into l10n_fr_account (saas~17.2)")
        );
        assert_eq!(to_18("x_custom"), None);
        // Steps past the target do not apply; neither do those the database is already past.
        assert_eq!(to_18("sale_async_emails"), None);
        assert_eq!(described("web_kanban_gauge", "17.0", "18.0", &COMMUNITY), None);
        assert_eq!(described("sale_async_emails", "18.0", "saas~18.2", &COMMUNITY), None);
        assert!(described("sale_async_emails", "18.0", "saas~18.3", &COMMUNITY).is_some());
    }

    #[test]
    fn several_majors_are_followed_step_by_step() {
        let coupon = |to| described("website_sale_coupon_delivery", "15.0", to, &COMMUNITY);
        assert_eq!(
            coupon("16.0").as_deref(),
            Some("renamed to website_sale_loyalty_delivery (saas~15.3)")
        );
        assert_eq!(coupon("18.0").as_deref(), Some("merged into website_sale_loyalty (saas~16.2)"));
        // Renamed to l10n_hr, never on to l10n_hr_kuna (the step before it in the same script).
        assert_eq!(
            described("l10n_hr_euro", "16.0", "17.0", &COMMUNITY).as_deref(),
            Some("renamed to l10n_hr (saas~16.1)")
        );
    }

    #[test]
    fn enterprise_steps_need_enterprise() {
        let modules = ["l10n_mx_edi_stock_extended_40".to_string()];
        let enterprise = Edition { enterprise: true, enterprise_modules: &modules };
        let module = "l10n_mx_edi_stock_extended_40";
        assert_eq!(
            described(module, "16.0", "18.0", &enterprise).as_deref(),
            Some("merged into l10n_mx_edi_stock (saas~17.5)")
        );
        assert_eq!(described(module, "16.0", "18.0", &COMMUNITY), None);
        let purchase_stock = "spreadsheet_dashboard_purchase_stock";
        assert_eq!(described(purchase_stock, "17.0", "18.0", &enterprise), None);
        assert_eq!(
            described("l10n_mx_hr", "18.0", "19.0", &enterprise).as_deref(),
            Some("renamed to l10n_mx_hr_payroll_account_edi (saas~18.5)")
        );
        assert_eq!(
            described("l10n_mx_hr", "18.0", "19.0", &COMMUNITY).as_deref(),
            Some("removed by Odoo in saas~18.5")
        );
    }
}
