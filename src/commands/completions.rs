//! `odoodb completions <shell>`.

use anyhow::Result;

use crate::cli::CompletionsArgs;
use crate::output::Printer;

pub fn run(printer: &Printer, args: &CompletionsArgs) -> Result<()> {
    let script = crate::docs::completion(args.shell)?;
    printer.emit(&script, || script.trim_end().to_string())
}
