//! What a neutralization did, or would do: per step, per action, and what is still live.

use serde::Serialize;

use super::{Action, ModuleFile, step};

/// A step's state in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    /// Dry run or check: rows are live and would change.
    Planned,
    /// Rows were changed.
    Changed,
    /// Everything this step covers is already neutral.
    NothingToDo,
    /// The tables it needs are absent from this database.
    Skipped,
    /// Left out by `--only`/`--skip`.
    Excluded,
    /// Declined at the `--interactive` prompt.
    Declined,
    /// `flag` only: not set, because something is still live (a step was left out or declined).
    Withheld,
    /// Rows are live and reported, but only an option changes them (`unknown-secrets` without
    /// `--clear-unknown-secrets`).
    ReportOnly,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionReport {
    pub what: String,
    pub table: String,
    /// Rows live before (the plan).
    pub live: i64,
    /// Live rows the statements made neutral (apply only): adds up to `live` once done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<u64>,
    /// Whether a live row counts as a finding for `--check`.
    pub finding: bool,
    #[serde(skip)]
    pub sql: Vec<String>,
    #[serde(skip)]
    pub params: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub id: &'static str,
    pub title: &'static str,
    pub status: StepStatus,
    /// Why the step was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Parts of the step this database has no table for (the rest was done).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unprobed: Vec<String>,
    pub live: i64,
    pub changed: u64,
    pub actions: Vec<ActionReport>,
    #[serde(skip)]
    pub(super) prepared: Vec<Action>,
}

/// Something still live after (or without) neutralization.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub step: &'static str,
    pub what: String,
    pub table: String,
    pub count: i64,
}

/// What a run did, or would do.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub database: String,
    /// `apply`, `dry-run` or `check`.
    pub mode: &'static str,
    /// `database.is_neutralized` was set before this run.
    pub was_flagged: bool,
    pub steps: Vec<StepReport>,
    pub module_files: Vec<ModuleFile>,
    /// Rows live before the run, over every included step.
    pub live: i64,
    /// Rows changed by the built-in steps.
    pub changed: u64,
    /// What is still live (for `--check`, the audit; after apply, the verification), in the
    /// steps the run included.
    pub findings: Vec<Finding>,
    /// Steps left out by `--only`/`--skip`: not run, and not reported as live.
    pub left_out: Vec<&'static str>,
    pub committed: bool,
}

impl Report {
    pub fn new(database: &str, mode: &'static str, was_flagged: bool) -> Self {
        Self {
            database: database.to_string(),
            mode,
            was_flagged,
            steps: Vec::new(),
            module_files: Vec::new(),
            live: 0,
            changed: 0,
            findings: Vec::new(),
            left_out: Vec::new(),
            committed: false,
        }
    }

    pub fn skipped(&self) -> impl Iterator<Item = &StepReport> {
        self.steps.iter().filter(|s| s.status == StepStatus::Skipped)
    }

    /// Keeps the findings of the included steps only, and names the steps left out.
    pub fn set_findings(&mut self, findings: Vec<Finding>) {
        self.left_out =
            self.steps.iter().filter(|s| s.status == StepStatus::Excluded).map(|s| s.id).collect();
        self.findings = findings.into_iter().filter(|f| !self.left_out.contains(&f.step)).collect();
    }
}

/// Which steps run: all, or `--only`, minus `--skip`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub only: Vec<String>,
    pub skip: Vec<String>,
    /// `unknown-secrets` blanks what it finds (else it only reports).
    pub clear_unknown_secrets: bool,
}

/// The live rows the steps will change (those only reported are not counted).
pub fn to_change(steps: &[StepReport]) -> i64 {
    steps.iter().filter(|s| s.status != StepStatus::ReportOnly).map(|s| s.live).sum()
}

impl Selection {
    pub fn includes(&self, id: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|o| o == id))
            && !self.skip.iter().any(|s| s == id)
    }

    /// The ids that name no step.
    pub fn unknown(&self) -> Vec<String> {
        self.only.iter().chain(&self.skip).filter(|id| step(id).is_none()).cloned().collect()
    }
}
