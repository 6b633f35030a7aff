//! `odoodb man [--dir DIR]`.

use anyhow::Result;

use crate::cli::ManArgs;
use crate::output::Printer;

pub fn run(printer: &Printer, args: &ManArgs) -> Result<()> {
    if let Some(dir) = &args.dir {
        let written = crate::docs::write_man_pages(dir)?;
        printer.status(&format!("wrote {} man pages to {}", written.len(), dir.display()));
        return Ok(());
    }
    let page = crate::docs::main_man_page()?;
    printer.emit(&page, || page.trim_end().to_string())
}
