//! A flat JSON object read once into borrowed slices (see [`scan_flat`](super::scan_flat)):
//! its members in written order and the members a caller looks at in named slots, so that each
//! rule is one load, not a search. The usual token's rules (`token::usual`, beneath batch
//! `check`'s one-pass writer and the sandbox's verdict) read token headers and payloads this way.

use super::{FlatValue, scan_flat_text};
use arrayvec::ArrayVec;

/// More members than this and the reader declines (real tokens have 3 and 7).
pub const MAX_MEMBERS: usize = 16;

/// A flat object with the members named by a list of `N` names in slots. Lives on the stack
/// and is filled in place, so a token's two objects are never copied. The members' room is an
/// [`ArrayVec`], so an empty one writes none of it: an array would be cleared on every read.
#[derive(Debug)]
pub struct FlatObject<'a, const N: usize> {
    source: &'a str,
    members: ArrayVec<(&'a str, FlatValue<'a>), MAX_MEMBERS>,
    slots: [Option<FlatValue<'a>>; N],
}

impl<'a, const N: usize> FlatObject<'a, N> {
    pub fn empty() -> Self {
        FlatObject {
            source: "",
            members: ArrayVec::new(),
            slots: [None; N],
        }
    }

    /// Reads `bytes` into this empty value, the member called `names[i]` into slot `i`; `false`
    /// when it is not a flat object, a name repeats (a `DUPLICATE_MEMBER` for `check` to word)
    /// or there are more than [`MAX_MEMBERS`]. After `false` nothing in it may be used.
    pub fn read(&mut self, bytes: &'a [u8], names: &[&str; N]) -> bool {
        debug_assert!(self.members.is_empty(), "read into an empty FlatObject");
        let Ok(text) = std::str::from_utf8(bytes) else {
            return false;
        };
        self.source = text;
        let f = self;
        let mut fits = true;
        let whole = scan_flat_text(text, |name, value| {
            if !fits || f.members.is_full() {
                fits = false;
                return;
            }
            match names.iter().position(|n| same(n, name)) {
                Some(slot) if f.slots[slot].is_some() => fits = false,
                Some(slot) => f.slots[slot] = Some(value),
                // Another name can only repeat another name the list does not hold.
                None if f.members.iter().any(|(n, _)| same(n, name)) => fits = false,
                None => {}
            }
            f.members.push((name, value));
        });
        whole && fits
    }

    /// The object's text as read.
    pub fn source(&self) -> &'a str {
        self.source
    }

    /// Every member, in written order.
    pub fn all(&self) -> &[(&'a str, FlatValue<'a>)] {
        &self.members
    }

    /// The member in `slot`.
    pub fn get(&self, slot: usize) -> Option<FlatValue<'a>> {
        self.slots[slot]
    }

    pub fn has(&self, slot: usize) -> bool {
        self.slots[slot].is_some()
    }

    /// Whether any of the members in `slots` is present.
    pub fn has_any(&self, slots: std::ops::Range<usize>) -> bool {
        self.slots[slots].iter().any(Option::is_some)
    }

    /// A string member equal to `want`.
    pub fn is(&self, slot: usize, want: &str) -> bool {
        self.slots[slot].is_some_and(|v| v.as_str() == Some(want))
    }

    /// A non-empty string member.
    pub fn text(&self, slot: usize) -> Option<&'a str> {
        match self.slots[slot] {
            Some(FlatValue::Str(s)) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    /// An integer member as `check` reads a NumericDate (`as_i64`).
    pub fn date(&self, slot: usize) -> Option<i64> {
        self.slots[slot]?.as_i64()
    }

    /// Whether the text is exactly what serde_json writes for these members: no whitespace
    /// between tokens (strings hold no escapes and integers no leading zeros, or the flat reader
    /// would not have taken them), so the text itself can be copied out.
    pub fn is_compact(&self) -> bool {
        let mut len = 2 + self.members.len().saturating_sub(1);
        for (name, value) in self.all() {
            len += name.len() + 3;
            len += match *value {
                FlatValue::Str(s) => s.len() + 2,
                FlatValue::UInt(n) => itoa::Buffer::new().format(n).len(),
                FlatValue::Int(n) => itoa::Buffer::new().format(n).len(),
                FlatValue::Bool(true) | FlatValue::Null => 4,
                FlatValue::Bool(false) => 5,
            };
        }
        len == self.source.len()
    }
}

/// Name equality as a byte loop: names are a few bytes long, where a call to `memcmp` costs
/// more than the comparison.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 3] = ["sub", "exp", "infobip-api-key"];
    const SUB: usize = 0;
    const EXP: usize = 1;
    const APP: usize = 2;

    fn read(text: &str) -> Option<FlatObject<'_, 3>> {
        let mut f = FlatObject::empty();
        f.read(text.as_bytes(), &NAMES).then_some(f)
    }

    #[test]
    fn named_members_land_in_their_slots_and_all_keep_their_order() {
        let f = read(r#"{"x":1,"exp":9,"sub":"alice","y":null}"#).unwrap();
        assert_eq!(f.text(SUB), Some("alice"));
        assert_eq!(f.date(EXP), Some(9));
        assert!(!f.has(APP) && f.has_any(0..2) && !f.has_any(2..3));
        assert_eq!(
            f.all().iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            ["x", "exp", "sub", "y"]
        );
        assert!(f.is_compact());
        assert!(!read(r#"{"sub": "alice"}"#).unwrap().is_compact());
        // An empty string is present but not text.
        let f = read(r#"{"sub":""}"#).unwrap();
        assert!(f.has(SUB) && f.text(SUB).is_none() && f.is(SUB, ""));
    }

    #[test]
    fn repeats_too_many_members_and_other_shapes_are_declined() {
        for text in [
            r#"{"sub":"a","sub":"b"}"#,
            r#"{"x":1,"x":2}"#,
            r#"{"infobip-api-key":"a","infobip-api-key":"a"}"#,
            r#"{"a":{}}"#,
            r#"{"a":"\u0041"}"#,
            "[1]",
        ] {
            assert!(read(text).is_none(), "{text}");
        }
        let at_most: Vec<String> = (0..MAX_MEMBERS).map(|i| format!("\"m{i}\":{i}")).collect();
        assert!(read(&format!("{{{}}}", at_most.join(","))).is_some());
        let over: Vec<String> = (0..=MAX_MEMBERS).map(|i| format!("\"m{i}\":{i}")).collect();
        assert!(read(&format!("{{{}}}", over.join(","))).is_none());
        let mut f = FlatObject::<'_, 3>::empty();
        assert!(!f.read(b"{\"sub\":\"\xff\"}", &NAMES));
    }

    #[test]
    fn names_are_equal_exactly_when_their_bytes_are() {
        let names = ["", "a", "a\0", "sub", "sua", "subs", "é", "e\u{301}"];
        for a in names {
            for b in names {
                assert_eq!(same(a, b), a == b, "{a:?} vs {b:?}");
            }
        }
    }
}
