//! `calls`: the video-call servers' shared secrets.

use super::{Probe, Schema, Step, params};

pub const STEP: Step = Step {
    id: "calls",
    title: "Call servers: SFU key and Jitsi server removed",
    why: "a copy must not open calls on production's media servers with production's secret",
    tables: &["ir_config_parameter"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    params::require(schema)?;
    Ok(vec![
        params::delete("parameter mail.sfu_server_key", "mail.sfu_server_key").finding(),
        params::delete(
            "parameter website_jitsi.jitsi_server_domain",
            "website_jitsi.jitsi_server_domain",
        ),
    ])
}
