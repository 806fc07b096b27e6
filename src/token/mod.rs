//! The token itself: making one (`gen`), judging one (`check`), and the strict JSON reader the
//! judgement uses.

pub mod check;
pub mod json;
pub mod mint;

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
    if t.trim() != t {
        notes.push("surrounding whitespace removed".to_string());
        t = t.trim();
    }
    if t.len() >= 14 && t[..14].eq_ignore_ascii_case("authorization:") {
        notes.push("'Authorization:' header name removed".to_string());
        t = t[14..].trim_start();
    }
    if t.len() >= 7 && t[..7].eq_ignore_ascii_case("bearer ") {
        notes.push("'Bearer ' prefix removed".to_string());
        t = t[7..].trim_start();
    }
    Input {
        token: t.to_string(),
        notes,
    }
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
}
