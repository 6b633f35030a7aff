//! `cloud-storage`: attachments no longer go to production's Azure or Google bucket (18+).

use super::{Probe, Schema, Step, params};

pub const STEP: Step = Step {
    id: "cloud-storage",
    title: "Cloud storage provider and its bucket credentials removed",
    why: "a copy would keep writing (and deleting) attachments in production's bucket with \
          production's credentials",
    tables: &[params::TABLE],
    probe,
};

/// The provider choice and each provider's account, bucket and credentials.
const KEYS: &[&str] = &[
    "cloud_storage_provider",
    "cloud_storage_azure_account_name",
    "cloud_storage_azure_container_name",
    "cloud_storage_azure_tenant_id",
    "cloud_storage_azure_client_id",
    "cloud_storage_azure_client_secret",
    "cloud_storage_google_bucket_name",
    "cloud_storage_google_account_info",
];

fn probe(schema: &Schema) -> Probe {
    params::require(schema)?;
    Ok(KEYS.iter().map(|key| params::delete(&format!("parameter {key}"), key).finding()).collect())
}
