//! The token itself: making one ([`mint`], `gen`), judging one ([`check`]), the judgement as
//! people and programs read it ([`report`]), and the cleaning of pasted input.

pub mod check;
pub mod mint;
pub mod report;

/// Tokens longer than this are refused before any decoding (a real Infobip token is ~400 bytes).
pub const MAX_TOKEN_BYTES: usize = 8192;

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
