//! The token itself: making one ([`mint`], `gen`), judging one ([`check`]), the judgement as
//! people and programs read it ([`report`]), the usual valid token defined once (`usual`), and
//! the two paths built on it: the judgement alone as a server needs it ([`verdict`]) and the
//! `--json` line of a usual token written in one pass ([`quick`]); also the cleaning of pasted
//! input. Tokens made to fail one way and edited ones are the wire crate's (`mmjwt_wire::token`,
//! which re-exports this module beside them).

pub mod check;
pub mod mint;
pub mod pitfalls;
pub mod quick;
pub mod report;
pub(crate) mod usual;
pub mod verdict;

/// Tokens longer than this are refused before any decoding (a real Infobip token is ~400 bytes).
pub const MAX_TOKEN_BYTES: usize = 8192;

/// Room for a token's three decoded segments, as the usual token's reader takes them (for
/// [`quick`] and [`verdict`]): a header of up to 512 bytes (real ones are ~60), a payload of
/// up to 2,048 (~250) and a signature of up to 48 (an HS256 one is 32). Larger segments go to
/// [`check`]. Each thread keeps one and reuses it, so a token writes only the bytes it decodes
/// instead of clearing the whole room.
#[derive(Debug)]
pub(crate) struct Segments {
    bytes: Box<[u8; Segments::BYTES]>,
}

impl Segments {
    const HEADER_MAX: usize = 512;
    const PAYLOAD_MAX: usize = 2048;
    const SIGNATURE_MAX: usize = 48;
    const BYTES: usize = Segments::HEADER_MAX + Segments::PAYLOAD_MAX + Segments::SIGNATURE_MAX;

    pub(crate) fn new() -> Segments {
        Segments {
            bytes: Box::new([0; Segments::BYTES]),
        }
    }

    /// The header's, the payload's and the signature's room.
    pub(crate) fn split(&mut self) -> (&mut [u8], &mut [u8], &mut [u8]) {
        let (header, rest) = self.bytes.split_at_mut(Segments::HEADER_MAX);
        let (payload, signature) = rest.split_at_mut(Segments::PAYLOAD_MAX);
        (header, payload, signature)
    }
}

/// A token as the user gave it, cleaned: surrounding whitespace, an `Authorization:` header name
/// and a `Bearer ` scheme are removed, and each removal is noted for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub token: String,
    pub notes: Vec<String>,
}

/// Cleans what the user pasted.
pub fn normalize_input(raw: &str) -> Input {
    let mut notes = Vec::new();
    let mut t = raw;
    // Lengths suffice (trimming only removes) and spare comparing the whole token.
    if t.trim().len() != t.len() {
        notes.push("surrounding whitespace removed".to_string());
        t = t.trim();
    }
    if let Some(rest) = strip_prefix_ignore_ascii_case(t, "authorization:") {
        notes.push("'Authorization:' header name removed".to_string());
        t = rest.trim_start();
    }
    if let Some(rest) = strip_prefix_ignore_ascii_case(t, "bearer ") {
        notes.push("'Bearer ' prefix removed".to_string());
        t = rest.trim_start();
    }
    Input {
        token: t.to_string(),
        notes,
    }
}

/// The string exactly as given (`--exact`): nothing removed. The notes say so and name the
/// characters at either end that a terminal does not show, since they decide the verdicts.
pub fn exact_input(raw: &str) -> Input {
    let mut notes = vec!["judged exactly as given (--exact)".to_string()];
    let invisible = |c: char| c.is_whitespace() || c.is_control() || c == '\u{feff}';
    let mut ends = Vec::new();
    if let Some(c) = raw.chars().next().filter(|&c| invisible(c)) {
        ends.push(format!("starts with U+{:04X}", u32::from(c)));
    }
    if raw.chars().count() > 1
        && let Some(c) = raw.chars().next_back().filter(|&c| invisible(c))
    {
        ends.push(format!("ends with U+{:04X}", u32::from(c)));
    }
    if !ends.is_empty() {
        notes.push(format!("the string {}", ends.join(" and ")));
    }
    if strip_prefix_ignore_ascii_case(raw.trim_start(), "bearer ").is_some()
        || strip_prefix_ignore_ascii_case(raw.trim_start(), "authorization:").is_some()
    {
        notes.push("the string carries an HTTP scheme or header name, not only the token".into());
    }
    Input {
        token: raw.to_string(),
        notes,
    }
}

/// `text` without an ASCII `prefix`, compared case-insensitively. Compares bytes, so a
/// multi-byte character where the prefix would end is a mismatch rather than a slicing panic.
fn strip_prefix_ignore_ascii_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.as_bytes().get(..prefix.len())?;
    // The prefix is ASCII, so a match ends on a character boundary.
    head.eq_ignore_ascii_case(prefix.as_bytes())
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_cleaned_and_noted() {
        let i = normalize_input("  Authorization: Bearer abc.def.ghi\n");
        assert_eq!(i.token, "abc.def.ghi");
        assert_eq!(i.notes.len(), 3);
        let i = normalize_input("bearer x.y.z");
        assert_eq!(i.token, "x.y.z");
        assert_eq!(i.notes, vec!["'Bearer ' prefix removed".to_string()]);
        assert!(normalize_input("a.b.c").notes.is_empty());
        assert_eq!(normalize_input("ünï").token, "ünï");
    }

    #[test]
    fn exact_input_keeps_everything_and_names_invisible_ends() {
        let i = exact_input(" a.b.c\u{a0}");
        assert_eq!(i.token, " a.b.c\u{a0}");
        assert_eq!(
            i.notes,
            [
                "judged exactly as given (--exact)",
                "the string starts with U+0020 and ends with U+00A0"
            ]
        );
        assert_eq!(
            exact_input("\u{a0}").notes[1],
            "the string starts with U+00A0"
        );
        assert_eq!(exact_input("Bearer x").notes.len(), 2);
        assert_eq!(exact_input("a.b.c").notes.len(), 1);
    }

    #[test]
    fn multi_byte_text_where_a_prefix_would_end_does_not_panic() {
        // Found by the check_token fuzz target: byte 7 fell inside a replacement character.
        let i = normalize_input("Authorization: Bea\u{fffd}\u{fffd}r eyJ.x.y");
        assert_eq!(i.token, "Bea\u{fffd}\u{fffd}r eyJ.x.y");
        assert_eq!(normalize_input("Bearer\u{e9}x").token, "Bearer\u{e9}x");
        assert_eq!(
            normalize_input("0123456789012\u{e9}").token,
            "0123456789012\u{e9}"
        );
        assert_eq!(normalize_input("bEaReR  a.b.c").token, "a.b.c");
    }
}
