//! The printer: the one place that writes to stdout and stderr. It decides what quiet,
//! verbose, JSON and progress mean, so commands never print directly.
#![allow(clippy::print_stderr, reason = "the printer owns the terminal")]

use std::io::{IsTerminal as _, Write as _};

use anyhow::{Context as _, Result};
use comfy_table::{ContentArrangement, Table, presets};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::cli::{ColorChoice, GlobalArgs};

#[derive(Debug, Clone)]
pub struct Printer {
    json: bool,
    quiet: bool,
    verbose: u8,
    progress: bool,
    color: bool,
}

impl Printer {
    pub fn new(args: &GlobalArgs) -> Self {
        let stderr_tty = std::io::stderr().is_terminal();
        let color = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stderr_tty && std::env::var_os("NO_COLOR").is_none(),
        };
        console::set_colors_enabled(color);
        console::set_colors_enabled_stderr(color);
        Self {
            json: args.json,
            quiet: args.quiet,
            verbose: args.verbose,
            progress: stderr_tty && !args.quiet && !args.json && !args.no_progress,
            color,
        }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    pub fn verbosity(&self) -> u8 {
        self.verbose
    }

    /// The command's result: JSON in `--json` mode, else the human text.
    pub fn emit<T: Serialize>(&self, value: &T, human: impl FnOnce() -> String) -> Result<()> {
        if self.json {
            let text = serde_json::to_string_pretty(value).context("cannot encode JSON")?;
            write_stdout(&text)
        } else {
            let text = human();
            if text.is_empty() {
                return Ok(());
            }
            // Tables pad every cell; trailing blanks only get in the way of `grep` and diffs.
            let trimmed: Vec<&str> = text.lines().map(str::trim_end).collect();
            write_stdout(&trimmed.join("\n"))
        }
    }

    /// The result of a command that changes something ("Backed up …", "Duplicated …"): JSON in
    /// `--json` mode, else the human text, which `--quiet` hides (cron mails nothing on success).
    /// Data the user asked for (a listing, a plan, a report) goes through `emit`.
    pub fn done<T: Serialize>(&self, value: &T, human: impl FnOnce() -> String) -> Result<()> {
        if self.quiet && !self.json {
            return Ok(());
        }
        self.emit(value, human)
    }

    /// Text as it arrives (a log being followed), on stdout, flushed at once.
    #[allow(clippy::unused_self, reason = "the log is output, like all other output")]
    pub fn stream(&self, text: &str) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .context("cannot write to stdout")
    }

    /// A progress or status line on stderr, hidden by `--quiet` and `--json`.
    pub fn status(&self, text: &str) {
        if !self.quiet && !self.json {
            to_stderr(format_args!("{text}"));
        }
    }

    /// Always shown, on stderr.
    pub fn warn(&self, text: &str) {
        to_stderr(format_args!("{} {text}", self.paint_yellow("warning:")));
    }

    /// Shown with `-v` (level 1) or `-vv` (level 2), on stderr.
    pub fn verbose(&self, level: u8, text: &str) {
        if self.verbose >= level {
            to_stderr(format_args!("{}", console::style(text).dim()));
        }
    }

    /// A table sized to the terminal (or `COLUMNS`), plain when not on a terminal.
    #[allow(clippy::unused_self, reason = "tables are the printer's, like all other output")]
    pub fn table(&self, header: &[&str]) -> Table {
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        if let Some(width) = std::env::var("COLUMNS").ok().and_then(|c| c.parse::<u16>().ok()) {
            table.set_width(width);
        }
        if !std::io::stdout().is_terminal() {
            table.load_style(presets::NOTHING);
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
        if !header.is_empty() {
            table.set_header(header.to_vec());
        }
        table
    }

    /// A bar with ETA; hidden without a terminal, and under `--quiet`, `--json`, `--no-progress`.
    pub fn bar(&self, total: u64, template: &str) -> ProgressBar {
        if !self.progress {
            return ProgressBar::hidden();
        }
        // A bar dropped on an early return (an error, Ctrl-C) clears its line rather than
        // leaving a stale one under the error.
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
            .with_finish(indicatif::ProgressFinish::AndClear);
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    }

    fn paint_yellow(&self, text: &str) -> String {
        if self.color { console::style(text).yellow().bold().to_string() } else { text.to_string() }
    }
}

fn write_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}").and_then(|()| stdout.flush()).context("cannot write to stdout")
}

/// The final `error: …` line and its hint, on stderr.
pub fn print_error(message: &str, hint: Option<&str>) {
    let color = console::colors_enabled_stderr();
    let label =
        if color { console::style("error:").red().bold().to_string() } else { "error:".into() };
    to_stderr(format_args!("{label} {}", terminal_safe(message)));
    if let Some(hint) = hint {
        let label = if color { console::style("hint:").cyan().to_string() } else { "hint:".into() };
        to_stderr(format_args!("{label} {hint}"));
    }
}

/// One line on stderr. A closed stderr (its reader gone) must not turn into a panic and exit
/// 101: the exit code already says what happened.
fn to_stderr(line: std::fmt::Arguments<'_>) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// Replaces control characters so a hostile database or file name cannot drive the terminal.
pub fn terminal_safe(text: &str) -> String {
    text.chars().map(|c| if c.is_control() && c != '\n' { '?' } else { c }).collect()
}

/// `12.3 MiB`.
pub fn bytes(n: u64) -> String {
    indicatif::HumanBytes(n).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_neutralised() {
        assert_eq!(terminal_safe("a\u{1b}[31mb"), "a?[31mb");
    }
}
