//! The user ids an audit asks tokens for: the built-in battery of ids that break issuers, or a
//! file with one id per line.

/// At most this many user ids (a CI audit needs dozens, not millions).
pub(crate) const MAX_USERS: usize = 10_000;

/// The built-in battery: each id is there because some issuer gets it wrong (encoding in the
/// URL, Unicode normal forms, trimming, JSON escaping, length).
pub(crate) fn battery() -> Vec<String> {
    let mut v: Vec<String> = [
        "alice",
        "alice.smith@example.com",
        "+385911234567",
        // Precomposed (NFC) letters: an issuer that normalises to NFD, or decodes Latin-1, breaks.
        "\u{17d}eljko \u{160}imi\u{107}",
        "山田太郎",
        "emoji-\u{1f680}-user",
        "first middle  last",
        "quote\"apostrophe'back\\slash",
        "plus+sign",
        "percent%41literal",
        "slash/in/id",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    // 200 characters: longer than many database columns and URL-length assumptions.
    v.push(format!("long-{}", "x".repeat(195)));
    v
}

/// One id per line (`\n` or `\r\n`); nothing else is trimmed, since spaces are part of an id.
/// Empty lines are skipped. Errors name the line, never its content.
pub(crate) fn parse(bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut users = Vec::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let Ok(id) = std::str::from_utf8(line) else {
            return Err(format!("line {} is not valid UTF-8", i + 1));
        };
        // A NUL cannot be passed to a program (argv, environment) nor sensibly be an id.
        if id.contains('\0') {
            return Err(format!("line {} contains a NUL character", i + 1));
        }
        if users.len() == MAX_USERS {
            return Err(format!("more than {MAX_USERS} user ids"));
        }
        users.push(id.to_string());
    }
    if users.is_empty() {
        return Err("no user id in the file (one per line)".into());
    }
    Ok(users)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_battery_covers_what_the_issue_names() {
        let b = battery();
        assert!(
            b.iter()
                .any(|u| u.is_ascii() && u.chars().all(char::is_alphanumeric))
        );
        assert!(b.iter().any(|u| u.contains('@')));
        assert!(
            b.iter()
                .any(|u| u.starts_with('+') && u[1..].chars().all(|c| c.is_ascii_digit()))
        );
        assert!(b.iter().any(|u| u.contains('\u{17d}')));
        assert!(
            b.iter()
                .any(|u| u.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        );
        assert!(b.iter().any(|u| u.chars().any(|c| c as u32 >= 0x1f300)));
        assert!(b.iter().any(|u| u.trim() == u && u.contains(' ')));
        assert!(b.iter().any(|u| u.contains('"') && u.contains('\\')));
        for c in ['+', '%', '/'] {
            assert!(b.iter().any(|u| u.contains(c)), "{c}");
        }
        assert!(b.iter().any(|u| u.chars().count() == 200));
        // Distinct ids, or cross-user rules would see false duplicates.
        let set: std::collections::HashSet<_> = b.iter().collect();
        assert_eq!(set.len(), b.len());
    }

    #[test]
    fn files_keep_spaces_and_skip_empty_lines() {
        assert_eq!(
            parse(b" a \r\n\nb\n").unwrap(),
            vec![" a ".to_string(), "b".to_string()]
        );
        assert_eq!(
            parse(b"\n\n").unwrap_err(),
            "no user id in the file (one per line)"
        );
        assert_eq!(
            parse(b"ok\n\xff\n").unwrap_err(),
            "line 2 is not valid UTF-8"
        );
        assert_eq!(
            parse(b"a\0b").unwrap_err(),
            "line 1 contains a NUL character"
        );
    }
}
