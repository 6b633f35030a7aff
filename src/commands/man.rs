//! `odoodb man [--dir DIR]`.

use std::io::{IsTerminal as _, Write as _};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result};

use crate::cli::ManArgs;
use crate::output::Printer;

pub fn run(printer: &Printer, args: &ManArgs) -> Result<()> {
    if let Some(dir) = &args.dir {
        let written = crate::docs::write_man_pages(dir)?;
        printer.status(&format!("wrote {} man pages to {}", written.len(), dir.display()));
        return Ok(());
    }
    let page = crate::docs::main_man_page()?;
    // On a terminal, the page as `man` shows it; into a pipe or a file, the roff source.
    if !printer.is_json() && std::io::stdout().is_terminal() && render(&page)? {
        return Ok(());
    }
    printer.emit(&page, || page.trim_end().to_string())
}

/// Shows `page` through `man -l -`; `false` when there is no `man` to run.
fn render(page: &str) -> Result<bool> {
    let mut child = match Command::new("man").args(["-l", "-"]).stdin(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(error) => return Err(error).context("cannot run man"),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A pager quit early closes its input: not an error.
        match stdin.write_all(page.as_bytes()) {
            Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(error).context("cannot hand the page to man");
            }
            _ => {}
        }
    }
    let status = child.wait().context("man stopped unexpectedly")?;
    if status.success() {
        Ok(true)
    } else {
        Err(crate::error::Failure::failed(format!("man -l - failed ({status})"))
            .hint("`odoodb man | less` shows the page's source")
            .into())
    }
}
