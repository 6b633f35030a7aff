//! `odoodb config`: the resolved settings and where each came from.

use anyhow::Result;
use serde_json::{Map, Value, json};

use crate::context::Context;

pub fn run(ctx: &Context) -> Result<()> {
    let lines = ctx.config.describe();
    let mut document = Map::new();
    for (name, value, source) in &lines {
        document.insert((*name).to_string(), json!({ "value": value, "source": source }));
    }
    ctx.printer.emit(&Value::Object(document), || {
        let mut table = ctx.printer.table(&["SETTING", "VALUE", "FROM"]);
        for (name, value, source) in &lines {
            table.add_row(vec![name.to_string(), value.clone(), source.clone()]);
        }
        table.to_string()
    })
}
