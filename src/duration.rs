//! Durations as an admin writes them on a command line: `90m`, `26h`, `7d`, `3600s`.

use anyhow::Result;

use crate::error::usage_error;

/// `90m`, `26h`, `7d`, `3600s` (a number alone is seconds).
pub fn parse_duration(flag: &str, text: &str) -> Result<chrono::TimeDelta> {
    let text = text.trim();
    let (number, unit) =
        text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let seconds = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => 0,
    };
    match number.parse::<i64>() {
        Ok(n) if n > 0 && seconds > 0 => Ok(chrono::TimeDelta::seconds(n.saturating_mul(seconds))),
        _ => Err(usage_error(
            format!("{flag} {text:?} is not a duration"),
            "give a number and a unit: 90m, 26h, 7d, 3600s",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("--max-age", "26h").map(|d| d.num_seconds()).ok(), Some(93_600));
        assert_eq!(parse_duration("--max-age", "90m").map(|d| d.num_seconds()).ok(), Some(5_400));
        assert_eq!(parse_duration("--max-age", "7d").map(|d| d.num_seconds()).ok(), Some(604_800));
        assert_eq!(parse_duration("--max-age", "3600").map(|d| d.num_seconds()).ok(), Some(3_600));
        for bad in ["", "h", "0h", "-1h", "1w", "1.5h"] {
            assert!(parse_duration("--max-age", bad).is_err(), "{bad}");
        }
    }
}
