//! The platform's log, read in byte ranges, as text.

/// Turns the log's bytes into text as they arrive: a character split between two answers is
/// held back until its last byte comes, so no byte is lost, doubled, or mangled.
#[derive(Debug, Default)]
pub struct LogDecoder {
    /// Bytes read so far: the next `Range` starts here.
    pub offset: u64,
    pending: Vec<u8>,
}

impl LogDecoder {
    pub fn feed(&mut self, bytes: &[u8]) -> String {
        self.offset += bytes.len() as u64;
        self.pending.extend_from_slice(bytes);
        let mut text = String::new();
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    text.push_str(valid);
                    rest = &[];
                    break;
                }
                Err(error) => {
                    let (valid, after) = rest.split_at(error.valid_up_to());
                    text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                    match error.error_len() {
                        // Incomplete at the end: wait for the next bytes.
                        None => {
                            rest = after;
                            break;
                        }
                        Some(bad) => {
                            text.push(char::REPLACEMENT_CHARACTER);
                            rest = &after[bad..];
                        }
                    }
                }
            }
        }
        self.pending = rest.to_vec();
        text
    }

    /// What is left once the log is complete: a truncated character, shown as such.
    pub fn finish(&mut self) -> String {
        if self.pending.is_empty() {
            String::new()
        } else {
            self.pending.clear();
            char::REPLACEMENT_CHARACTER.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_split_across_answers_are_kept_whole() {
        let text = "é→🙂 done";
        let bytes = text.as_bytes();
        for split in 0..=bytes.len() {
            for second in split..=bytes.len() {
                let mut decoder = LogDecoder::default();
                let mut out = decoder.feed(&bytes[..split]);
                out.push_str(&decoder.feed(&bytes[split..second]));
                out.push_str(&decoder.feed(&bytes[second..]));
                out.push_str(&decoder.finish());
                assert_eq!(out, text);
                assert_eq!(decoder.offset, bytes.len() as u64);
            }
        }
    }

    #[test]
    fn invalid_bytes_are_replaced_not_dropped() {
        let mut decoder = LogDecoder::default();
        assert_eq!(decoder.feed(b"a\xffb"), "a\u{fffd}b");
        assert_eq!(decoder.feed(b"\xe2\x82"), "");
        assert_eq!(decoder.finish(), "\u{fffd}");
    }
}
