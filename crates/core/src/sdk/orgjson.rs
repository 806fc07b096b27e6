//! Android's `org.json` (`JSONTokener` / `JSONObject`) as the SDK runs it: a lenient reader that
//! accepts unquoted names and strings, single quotes, `=`/`=>` separators, `;` between pairs,
//! comments, hex and octal integers, duplicate names (last wins) and ignores text after the
//! closing brace. It works on UTF-16 code units, like Java strings, and leaves Java's number and
//! case rules to `javanum`.

use super::javanum;

/// An org.json value. Integers cover Java's `Integer` and `Long`. The SDK only asks the top-level
/// object for its members, so nested containers keep only their kind: besides saving work, that
/// keeps a deeply nested value from recursing when it is dropped.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum JVal {
    Null,
    Bool(bool),
    Int(i64),
    Double(f64),
    Str(String),
    Object,
    Array,
}

/// A `JSONObject`: insertion-ordered names, a repeated name replaces the earlier value.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Object {
    members: Vec<(String, JVal)>,
}

impl Object {
    pub(super) fn has(&self, name: &str) -> bool {
        self.members.iter().any(|(n, _)| n == name)
    }

    pub(super) fn get(&self, name: &str) -> Option<&JVal> {
        self.members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    fn put(&mut self, name: String, value: JVal) -> Result<(), ()> {
        // JSONObject.put refuses NaN and infinities (JSON.checkDouble).
        if let JVal::Double(d) = value
            && !d.is_finite()
        {
            return Err(());
        }
        if let Some(slot) = self.members.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = value;
        } else {
            self.members.push((name, value));
        }
        Ok(())
    }
}

/// What parsing found: the object (or that the text is none), and how deep the containers
/// nested at the deepest point the parser reached, the outermost object counting as 1.
#[derive(Debug)]
pub(super) struct Parse {
    pub(super) object: Result<Object, ()>,
    pub(super) depth: usize,
}

/// `new JSONObject(text)`: the first value must be an object; what follows it is ignored.
///
/// org.json recurses once per nesting level and has no limit of its own: the thread's stack is
/// the limit. This parser keeps its own stack on the heap instead, so any depth parses (the
/// input's length bounds it) and [`Parse::depth`] tells the caller how deep Java would have
/// recursed.
pub(super) fn parse_object(text: &str) -> Parse {
    let mut units: Vec<u16> = text.encode_utf16().collect();
    if units.first() == Some(&0xFEFF) {
        units.remove(0);
    }
    let mut t = Tokener {
        s: &units,
        pos: 0,
        depth: 0,
    };
    let object = match t.next_value() {
        Ok(Value::Object(o)) => Ok(o),
        _ => Err(()),
    };
    Parse {
        object,
        depth: t.depth,
    }
}

/// The top-level value: only an object matters, with its members.
enum Value {
    Object(Object),
    Other,
}

/// An open container on the parser's stack.
enum Frame {
    /// Reading an object; `name` is set between a name and its value.
    Object {
        object: Object,
        name: Option<String>,
    },
    /// Reading an array (its items are never looked at).
    Array,
}

/// What the parser does next.
enum Step {
    /// Read a value (`nextValue`).
    Value,
    /// A value was read; hand it to the innermost open container.
    Done(JVal),
    /// The innermost container closed.
    Close,
}

struct Tokener<'a> {
    s: &'a [u16],
    pos: usize,
    /// The deepest nesting reached so far.
    depth: usize,
}

const fn u(c: char) -> u16 {
    c as u16
}

impl Tokener<'_> {
    fn next_clean(&mut self) -> Result<Option<u16>, ()> {
        while self.pos < self.s.len() {
            let c = self.s[self.pos];
            self.pos += 1;
            match c {
                0x09 | 0x20 | 0x0A | 0x0D => {}
                0x2F /* / */ => {
                    if self.pos == self.s.len() {
                        return Ok(Some(c));
                    }
                    match self.s[self.pos] {
                        0x2A /* * */ => {
                            self.pos += 1;
                            let end = self.s[self.pos..]
                                .windows(2)
                                .position(|w| w == [u('*'), u('/')])
                                .ok_or(())?;
                            self.pos += end + 2;
                        }
                        0x2F => {
                            self.pos += 1;
                            self.skip_to_end_of_line();
                        }
                        _ => return Ok(Some(c)),
                    }
                }
                0x23 /* # */ => self.skip_to_end_of_line(),
                _ => return Ok(Some(c)),
            }
        }
        Ok(None)
    }

    fn skip_to_end_of_line(&mut self) {
        while self.pos < self.s.len() {
            let c = self.s[self.pos];
            self.pos += 1;
            if c == 0x0D || c == 0x0A {
                break;
            }
        }
    }

    /// `nextValue()` with JSONTokener's `readObject` / `readArray` recursion unrolled onto
    /// `stack`; each step is the one the Java code takes at that point, in the same order, so
    /// the first error found is the one Java finds.
    fn next_value(&mut self) -> Result<Value, ()> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut step = Step::Value;
        loop {
            step = match step {
                Step::Value => self.begin_value(&mut stack)?,
                Step::Done(value) => match stack.last_mut() {
                    None => return Ok(Value::Other),
                    Some(Frame::Object { object, name }) => match name.take() {
                        None => {
                            // The value just read is a member name.
                            let JVal::Str(n) = value else {
                                return Err(());
                            };
                            match self.next_clean()? {
                                Some(0x3A | 0x3D) => {}
                                _ => return Err(()),
                            }
                            if self.s.get(self.pos) == Some(&u('>')) {
                                self.pos += 1;
                            }
                            *name = Some(n);
                            Step::Value
                        }
                        Some(n) => {
                            object.put(n, value)?;
                            match self.next_clean()? {
                                Some(0x7D) => Step::Close,
                                Some(0x3B | 0x2C) => Step::Value,
                                _ => return Err(()),
                            }
                        }
                    },
                    Some(Frame::Array) => match self.next_clean()? {
                        Some(0x5D) => Step::Close,
                        Some(0x2C | 0x3B) => self.array_items()?,
                        _ => return Err(()),
                    },
                },
                Step::Close => match stack.pop() {
                    Some(Frame::Object { object, .. }) if stack.is_empty() => {
                        return Ok(Value::Object(object));
                    }
                    Some(Frame::Object { .. }) => Step::Done(JVal::Object),
                    _ if stack.is_empty() => return Ok(Value::Other),
                    _ => Step::Done(JVal::Array),
                },
            };
        }
    }

    /// The start of `nextValue()`: a scalar is read whole; `{` and `[` open a container.
    fn begin_value(&mut self, stack: &mut Vec<Frame>) -> Result<Step, ()> {
        match self.next_clean()? {
            None => Err(()),
            Some(0x7B) => {
                self.open(
                    stack,
                    Frame::Object {
                        object: Object::default(),
                        name: None,
                    },
                );
                match self.next_clean()? {
                    Some(0x7D) => Ok(Step::Close),
                    Some(_) => {
                        self.pos -= 1;
                        Ok(Step::Value)
                    }
                    // Java then asks for a name and finds the end of the input.
                    None => Err(()),
                }
            }
            Some(0x5B) => {
                self.open(stack, Frame::Array);
                self.array_items()
            }
            Some(q @ (0x27 | 0x22)) => self.next_string(q).map(|s| Step::Done(JVal::Str(s))),
            Some(_) => {
                self.pos -= 1;
                self.read_literal().map(Step::Done)
            }
        }
    }

    fn open(&mut self, stack: &mut Vec<Frame>, frame: Frame) {
        stack.push(frame);
        self.depth = self.depth.max(stack.len());
    }

    /// The head of `readArray`'s loop, for the innermost array: separators with no value
    /// before them stand for nulls; `]` closes the array, anything else starts a value.
    fn array_items(&mut self) -> Result<Step, ()> {
        loop {
            match self.next_clean()? {
                None => return Err(()),
                // (`[1,]` has a second item, a null; nothing reads it.)
                Some(0x5D) => return Ok(Step::Close),
                Some(0x2C | 0x3B) => {}
                Some(_) => {
                    self.pos -= 1;
                    return Ok(Step::Value);
                }
            }
        }
    }

    fn next_string(&mut self, quote: u16) -> Result<String, ()> {
        let mut out: Vec<u16> = Vec::new();
        while self.pos < self.s.len() {
            let c = self.s[self.pos];
            self.pos += 1;
            if c == quote {
                return Ok(String::from_utf16_lossy(&out));
            }
            if c == u('\\') {
                if self.pos == self.s.len() {
                    return Err(());
                }
                let e = self.s[self.pos];
                self.pos += 1;
                out.push(match e {
                    0x75 /* u */ => {
                        if self.pos + 4 > self.s.len() {
                            return Err(());
                        }
                        let hex = &self.s[self.pos..self.pos + 4];
                        self.pos += 4;
                        // `(char) Integer.parseInt(hex, 16)`: a sign and any script's digits
                        // are allowed, and the cast wraps (`\u-001` is U+FFFF).
                        javanum::parse_int(hex, 16).ok_or(())? as u16
                    }
                    0x74 => u('\t'),
                    0x62 => 0x08,
                    0x6E => u('\n'),
                    0x72 => u('\r'),
                    0x66 => 0x0C,
                    other => other,
                });
                continue;
            }
            out.push(c);
        }
        Err(())
    }

    /// `readLiteral()`: null, a boolean, a number (integer first, then `Double.valueOf`) or an
    /// unquoted string, decided by Java's own rules (see `javanum`).
    fn read_literal(&mut self) -> Result<JVal, ()> {
        const STOP: &str = "{}[]/\\:,=;# \t\u{0C}";
        let start = self.pos;
        while self.pos < self.s.len() {
            let c = self.s[self.pos];
            if c == 0x0D || c == 0x0A || STOP.encode_utf16().any(|s| s == c) {
                break;
            }
            self.pos += 1;
        }
        let literal = &self.s[start..self.pos];
        if literal.is_empty() {
            return Err(());
        }
        if javanum::equals_ignore_case("null", literal) {
            return Ok(JVal::Null);
        }
        if javanum::equals_ignore_case("true", literal) {
            return Ok(JVal::Bool(true));
        }
        if javanum::equals_ignore_case("false", literal) {
            return Ok(JVal::Bool(false));
        }
        if !literal.contains(&u('.')) {
            let (digits, radix) = match literal {
                [0x30, 0x78 | 0x58, rest @ ..] => (rest, 16),
                [0x30, rest @ ..] if !rest.is_empty() => (rest, 8),
                _ => (literal, 10),
            };
            if let Some(n) = javanum::parse_long(digits, radix) {
                return Ok(JVal::Int(n));
            }
        }
        if let Some(d) = javanum::parse_double(literal) {
            return Ok(JVal::Double(d));
        }
        Ok(JVal::Str(String::from_utf16_lossy(literal)))
    }
}

/// `Double.parseDouble(s)` on a Rust string (a `getLong` on a string value).
pub(super) fn java_parse_double(s: &str) -> Option<f64> {
    let units: Vec<u16> = s.encode_utf16().collect();
    javanum::parse_double(&units)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(s: &str) -> Object {
        parse_object(s).object.unwrap()
    }

    fn fails(s: &str) -> bool {
        parse_object(s).object.is_err()
    }

    #[test]
    fn strict_json_parses() {
        let o = obj(r#"{"alg":"HS256","n":1700000000,"f":1.5,"b":true,"z":null,"a":[1,2],"o":{}}"#);
        assert_eq!(o.get("alg"), Some(&JVal::Str("HS256".into())));
        assert_eq!(o.get("n"), Some(&JVal::Int(1_700_000_000)));
        assert_eq!(o.get("f"), Some(&JVal::Double(1.5)));
        assert_eq!(o.get("z"), Some(&JVal::Null));
        assert_eq!(o.get("a"), Some(&JVal::Array));
        assert_eq!(o.get("o"), Some(&JVal::Object));
    }

    #[test]
    fn lenient_forms_are_accepted() {
        let o = obj("{alg:HS256; 'typ' => 'JWT', /* c */ kid = k1 # tail\n} trailing junk");
        assert_eq!(o.get("alg"), Some(&JVal::Str("HS256".into())));
        assert_eq!(o.get("typ"), Some(&JVal::Str("JWT".into())));
        assert_eq!(o.get("kid"), Some(&JVal::Str("k1".into())));
        let o = obj("{a:0x1F, b:010, c:1e3, d:TRUE, a:2, e:[,;1,], f:[NaN]}");
        assert_eq!(o.get("a"), Some(&JVal::Int(2)));
        assert_eq!(o.get("b"), Some(&JVal::Int(8)));
        assert_eq!(o.get("c"), Some(&JVal::Double(1000.0)));
        assert_eq!(o.get("d"), Some(&JVal::Bool(true)));
        assert_eq!(o.get("e"), Some(&JVal::Array));
    }

    #[test]
    fn malformed_input_fails() {
        for bad in [
            "",
            "[1]",
            "\"x\"",
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1",
            "{\"a\":1,}",
            "{1:2}",
            "{\"a\":NaN}",
            "{\"a\":{\"b\":Infinity}}",
            "{\"a\":\"x",
            "{/* open",
            "{null:1}",
            "{[]:1}",
            "{{}:1}",
            "{\"a\":[1 2]}",
            "{\"a\":[1",
            "{\"s\":\"\\u12\"}",
            "{\"s\":\"\\u12G4\"}",
        ] {
            assert!(fails(bad), "{bad:?}");
        }
    }

    #[test]
    fn escapes_and_surrogates() {
        let o = obj(r#"{"s":"\u0041\n\x\/\ud83d\ude00"}"#);
        assert_eq!(o.get("s"), Some(&JVal::Str("A\nx/😀".into())));
    }

    /// The Java library's rules, not JSON's: spec 4.5.
    #[test]
    fn java_corners() {
        // Hexadecimal floating point, with or without a sign or suffix.
        let o = obj("{a:0x1p31, b:0x1.8p1, c:-0X1P-3, d:0x1p4f, e:'0x1p31', g:0x10, h:-0x10}");
        assert_eq!(o.get("a"), Some(&JVal::Double(2_147_483_648.0)));
        assert_eq!(o.get("b"), Some(&JVal::Double(3.0)));
        assert_eq!(o.get("c"), Some(&JVal::Double(-0.125)));
        assert_eq!(o.get("d"), Some(&JVal::Double(16.0)));
        assert_eq!(o.get("e"), Some(&JVal::Str("0x1p31".into())));
        assert_eq!(o.get("g"), Some(&JVal::Int(16)));
        assert_eq!(o.get("h"), Some(&JVal::Str("-0x10".into())));
        // Every script's decimal digits, and fullwidth hex letters in escapes.
        let o = obj(
            "{a:２０００００００００, b:٣, c:０１２, d:0x-Ｆ, \"\\u٠٠٦٥\":1, \"\\u００６Ｃ\":2}",
        );
        assert_eq!(o.get("a"), Some(&JVal::Int(2_000_000_000)));
        assert_eq!(o.get("b"), Some(&JVal::Int(3)));
        assert_eq!(
            o.get("c"),
            Some(&JVal::Int(12)),
            "a fullwidth zero is no octal prefix"
        );
        assert_eq!(o.get("d"), Some(&JVal::Int(-15)));
        assert!(o.has("e") && o.has("l"));
        // A name that reads as a number or a boolean is no name.
        assert!(fails("{٣:1}"));
        assert!(fails("{falſe:1}"));
        assert_eq!(obj("{a:falſe}").get("a"), Some(&JVal::Bool(false)));
        assert_eq!(obj("{a:NuLl}").get("a"), Some(&JVal::Null));
        // `\u-001` wraps to U+FFFF; a surrogate is no hex digit.
        assert_eq!(
            obj(r#"{"s":"\u-001"}"#).get("s"),
            Some(&JVal::Str("\u{FFFF}".into()))
        );
        assert!(fails("{\"s\":\"\\u00\u{1D7CE}\"}"));
    }

    #[test]
    fn any_depth_parses_and_is_measured() {
        let deep = |n: usize| format!("{{\"a\":{}1{}}}", "[".repeat(n), "]".repeat(n));
        for n in [0, 100, 512, 2_500, 100_000] {
            let p = parse_object(&deep(n));
            assert!(p.object.is_ok(), "{n}");
            assert_eq!(p.depth, n + 1);
        }
        let objects = format!(
            "{{{}\"a\":1{}",
            "\"a\":{".repeat(50_000),
            "}".repeat(50_001)
        );
        let p = parse_object(&objects);
        assert!(p.object.unwrap().has("a"));
        assert_eq!(p.depth, 50_001);
        // The depth reached counts even when the text then fails.
        let p = parse_object(&format!("{{\"a\":{}", "[".repeat(3_000)));
        assert!(p.object.is_err());
        assert_eq!(p.depth, 3_001);
        assert_eq!(parse_object("{}").depth, 1);
        assert_eq!(parse_object("1").depth, 0);
    }

    #[test]
    fn java_numbers() {
        assert_eq!(java_parse_double(" 1.7e9 "), Some(1.7e9));
        assert_eq!(java_parse_double("0x1p31"), Some(2_147_483_648.0));
        assert_eq!(java_parse_double("２"), None);
        assert_eq!(java_parse_double("abc"), None);
    }
}
