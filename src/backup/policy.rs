//! Which backups a retention policy keeps, restic's `forget` rules: `last` keeps the newest N;
//! `daily`, `weekly`, `monthly` each keep the newest backup of each of the last N days, ISO
//! weeks or months that have one (in the backups' own local time); what any rule keeps is kept.

use chrono::{Datelike as _, NaiveDateTime};

/// How many of each to keep; `None` is a rule not asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    pub last: Option<u32>,
    pub daily: Option<u32>,
    pub weekly: Option<u32>,
    pub monthly: Option<u32>,
}

impl Policy {
    /// No rule at all: nothing is removed.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl From<&crate::config::BackupSettings> for Policy {
    fn from(settings: &crate::config::BackupSettings) -> Self {
        Self {
            last: settings.keep,
            daily: settings.keep_daily,
            weekly: settings.keep_weekly,
            monthly: settings.keep_monthly,
        }
    }
}

/// The day, ISO week or month a backup falls in, as (year, number in the year).
type Bucket = fn(&NaiveDateTime) -> (i32, u32);

/// For each of `times` (in any order), whether the policy keeps it. An empty policy keeps all;
/// otherwise the newest backup is always kept, whatever the rules say.
pub fn kept(times: &[NaiveDateTime], policy: &Policy) -> Vec<bool> {
    if policy.is_empty() {
        return vec![true; times.len()];
    }
    let mut order: Vec<usize> = (0..times.len()).collect();
    // Newest first; equal times keep their given order, so the outcome does not depend on a sort.
    order.sort_by(|&a, &b| times[b].cmp(&times[a]));
    let mut keep = vec![false; times.len()];
    if let Some(&newest) = order.first() {
        keep[newest] = true;
    }
    if let Some(n) = policy.last {
        for &index in order.iter().take(usize::try_from(n).unwrap_or(usize::MAX)) {
            keep[index] = true;
        }
    }
    let rules: [(Option<u32>, Bucket); 3] = [
        (policy.daily, |t| (t.year(), t.ordinal())),
        (policy.weekly, |t| {
            let week = t.iso_week();
            (week.year(), week.week())
        }),
        (policy.monthly, |t| (t.year(), t.month())),
    ];
    for (count, bucket) in rules {
        let Some(count) = count else { continue };
        let mut seen = Vec::new();
        for &index in &order {
            if seen.len() >= usize::try_from(count).unwrap_or(usize::MAX) {
                break;
            }
            let key = bucket(&times[index]);
            if !seen.contains(&key) {
                // The first met is the newest of its day, week or month.
                seen.push(key);
                keep[index] = true;
            }
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    fn kept_times(times: &[&str], policy: Policy) -> Vec<String> {
        let parsed: Vec<NaiveDateTime> = times.iter().map(|t| at(t)).collect();
        kept(&parsed, &policy)
            .iter()
            .zip(times)
            .filter(|(keep, _)| **keep)
            .map(|(_, t)| (*t).to_string())
            .collect()
    }

    #[test]
    fn an_empty_policy_keeps_everything() {
        let times = ["2026-01-01 01:00", "2026-01-02 01:00"];
        assert_eq!(kept_times(&times, Policy::default()).len(), 2);
    }

    #[test]
    fn daily_keeps_the_newest_of_each_of_the_last_days_that_have_one() {
        let times = [
            "2026-03-01 01:00",
            "2026-03-01 13:00",
            "2026-03-03 01:00",
            "2026-03-04 01:00",
            "2026-03-04 02:00",
        ];
        let policy = Policy { daily: Some(2), ..Policy::default() };
        assert_eq!(kept_times(&times, policy), ["2026-03-03 01:00", "2026-03-04 02:00"]);
        // A day without a backup does not count: three days reach back to 1 March.
        let policy = Policy { daily: Some(3), ..Policy::default() };
        assert_eq!(
            kept_times(&times, policy),
            ["2026-03-01 13:00", "2026-03-03 01:00", "2026-03-04 02:00"]
        );
    }

    #[test]
    fn weeks_are_iso_weeks_and_months_calendar_months() {
        // 2026-01-04 is a Sunday (ISO week 1 of 2026); 2025-12-29 is that week's Monday.
        let times =
            ["2025-12-28 10:00", "2025-12-29 10:00", "2026-01-04 10:00", "2026-01-05 10:00"];
        let weekly = Policy { weekly: Some(2), ..Policy::default() };
        assert_eq!(kept_times(&times, weekly), ["2026-01-04 10:00", "2026-01-05 10:00"]);
        let monthly = Policy { monthly: Some(2), ..Policy::default() };
        assert_eq!(kept_times(&times, monthly), ["2025-12-29 10:00", "2026-01-05 10:00"]);
    }

    #[test]
    fn the_rules_add_up_and_the_newest_is_always_kept() {
        let times =
            ["2026-01-10 01:00", "2026-02-10 01:00", "2026-02-11 01:00", "2026-02-12 01:00"];
        let policy = Policy { last: Some(1), monthly: Some(2), ..Policy::default() };
        assert_eq!(kept_times(&times, policy), ["2026-01-10 01:00", "2026-02-12 01:00"]);
        let policy = Policy { last: Some(0), ..Policy::default() };
        assert_eq!(kept_times(&times, policy), ["2026-02-12 01:00"]);
    }
}
