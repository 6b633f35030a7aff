//! What tells a whole plain-SQL dump from a cut one. psql runs whatever statements it is given,
//! so a dump cut at a statement boundary loads "successfully" with tables, keys and indexes
//! missing; only pg_dump's closing comment says the end was reached.

/// How many bytes of each end are kept: the closing comment (and, since the 2025 releases,
/// a `\unrestrict <key>` line after it) fits many times over.
pub const EDGE: usize = 4096;

/// The closing comment with the `--` lines pg_dump writes around it: a row of data would have
/// to hold three such lines in a row to pass for it.
const CLOSING: &str = "--\n-- PostgreSQL database dump complete\n--\n";

/// The first and last bytes of a plain dump as it streams by, and whether a NUL went by.
#[derive(Debug, Default)]
pub struct Edges {
    pub head: Vec<u8>,
    tail: Vec<u8>,
    pub bytes: u64,
    pub nul: bool,
}

impl Edges {
    pub fn observe(&mut self, buf: &[u8]) {
        self.bytes += buf.len() as u64;
        self.nul |= buf.contains(&0);
        if self.head.len() < EDGE {
            let take = (EDGE - self.head.len()).min(buf.len());
            self.head.extend_from_slice(&buf[..take]);
        }
        self.tail.extend_from_slice(&buf[buf.len().saturating_sub(EDGE)..]);
        let excess = self.tail.len().saturating_sub(EDGE);
        self.tail.drain(..excess);
    }

    /// Whether the stream began as pg_dump's output does.
    pub fn begins_as_pg_dump(&self) -> bool {
        String::from_utf8_lossy(&self.head).contains("PostgreSQL database dump")
    }

    /// Whether the stream ended with pg_dump's closing comment, followed by nothing but
    /// comments, blank lines and `\unrestrict`: a dump cut anywhere before has no such end.
    pub fn ends_as_pg_dump(&self) -> bool {
        let tail = String::from_utf8_lossy(&self.tail);
        let Some(at) = tail.rfind(CLOSING) else { return false };
        let at_line_start = at == 0 || tail[..at].ends_with('\n');
        at_line_start
            && tail[at + CLOSING.len()..].lines().all(|line| {
                let line = line.trim();
                line.is_empty() || line.starts_with("--") || line.starts_with("\\unrestrict ")
            })
    }
}

/// The one-line reason a plain dump is refused as cut.
pub const CUT: &str = "the SQL dump is incomplete: pg_dump's closing line (\"-- PostgreSQL database dump complete\") is missing, so it was cut short";

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(text: &str) -> Edges {
        let mut edges = Edges::default();
        // In small pieces, as a stream comes.
        for chunk in text.as_bytes().chunks(7) {
            edges.observe(chunk);
        }
        edges
    }

    #[test]
    fn a_whole_dump_ends_with_the_closing_comment() {
        let whole = "--\n-- PostgreSQL database dump\n--\nCREATE TABLE t (a int);\n\n--\n-- PostgreSQL database dump complete\n--\n\n";
        assert!(edges(whole).begins_as_pg_dump());
        assert!(edges(whole).ends_as_pg_dump());
        let restricted =
            "SELECT 1;\n\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict abc123\n\n";
        assert!(edges(restricted).ends_as_pg_dump());
    }

    #[test]
    fn a_cut_dump_does_not() {
        let cut = "--\n-- PostgreSQL database dump\n--\nCREATE TABLE t (a int);\nALTER TABLE";
        assert!(!edges(cut).ends_as_pg_dump());
        assert!(!edges("").ends_as_pg_dump());
        let marker_in_data =
            "COPY t (a) FROM stdin;\n-- PostgreSQL database dump complete\nmore rows\n";
        assert!(!edges(marker_in_data).ends_as_pg_dump());
        // A last row that reads like the comment, and the dump cut after it.
        let row_then_cut = "COPY t (a) FROM stdin;\nx\n-- PostgreSQL database dump complete\n";
        assert!(!edges(row_then_cut).ends_as_pg_dump());
        let long = format!(
            "{}{}",
            "x".repeat(3 * EDGE),
            "\n--\n-- PostgreSQL database dump complete\n--\n"
        );
        assert!(edges(&long).ends_as_pg_dump());
        assert!(!edges(&long[..long.len() - 10]).ends_as_pg_dump());
    }
}
