//! What Odoo stores computed from a partner's names, made again from the pseudonyms (so no
//! original name survives in them, and the copy reads as Odoo would have written it): the
//! commercial company's name on every contact, then the name shown everywhere
//! (`complete_name` from 17, `display_name` before): "<company>, <contact>" for a person of a
//! company. A partner that stands alone got both in the rewrite's own pass; these passes only
//! read the others.

use anyhow::{Context as _, Result};
use tokio_postgres::GenericClient;

use super::schema::Schema;

/// Rows changed in each derived column.
pub async fn rederive(client: &impl GenericClient, schema: &Schema) -> Result<Vec<(String, u64)>> {
    let mut changed = Vec::new();
    let has = |column: &str| schema.column("res_partner", column).is_some();
    if !has("is_company") || !has("parent_id") {
        return Ok(changed);
    }
    if has("commercial_company_name") && has("commercial_partner_id") && has("company_name") {
        let rows = client
            .execute(
                "UPDATE res_partner p \
                    SET commercial_company_name = CASE WHEN c.is_company THEN c.name ELSE p.company_name END \
                   FROM res_partner c \
                  WHERE c.id = p.commercial_partner_id AND p.commercial_partner_id <> p.id \
                    AND p.commercial_company_name IS DISTINCT FROM \
                        (CASE WHEN c.is_company THEN c.name ELSE p.company_name END)",
                &[],
            )
            .await
            .context("cannot derive the partners' commercial company names")?;
        changed.push(("res_partner.commercial_company_name".to_string(), rows));
    }
    for column in ["complete_name", "display_name"] {
        if !has(column) {
            continue;
        }
        let company = if has("commercial_company_name") {
            "coalesce(nullif(p.commercial_company_name, ''), parent.name)"
        } else {
            "parent.name"
        };
        let of_company = if has("company_name") {
            "(p.parent_id IS NOT NULL OR nullif(p.company_name, '') IS NOT NULL)"
        } else {
            "p.parent_id IS NOT NULL"
        };
        // A contact without a name (an address) keeps the label it had after the comma.
        let sql = format!(
            "UPDATE res_partner p SET {column} = shown.value \
               FROM (SELECT p.id, CASE \
                        WHEN NOT coalesce(p.is_company, false) AND {of_company} AND {company} IS NOT NULL \
                        THEN {company} || ', ' || coalesce(nullif(p.name, ''), regexp_replace(p.{column}, '^.*, ', '')) \
                        ELSE coalesce(nullif(p.name, ''), p.{column}) END AS value \
                       FROM res_partner p LEFT JOIN res_partner parent ON parent.id = p.parent_id \
                      WHERE {of_company}) AS shown \
              WHERE shown.id = p.id AND p.{column} IS DISTINCT FROM shown.value"
        );
        let rows = client
            .execute(&sql, &[])
            .await
            .with_context(|| format!("cannot derive the partners' {column}"))?;
        changed.push((format!("res_partner.{column}"), rows));
    }
    Ok(changed)
}
