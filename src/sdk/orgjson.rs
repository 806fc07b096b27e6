//! Android's `org.json` (`JSONTokener` / `JSONObject`) as the SDK runs it: a lenient reader that
//! accepts unquoted names and strings, single quotes, `=`/`=>` separators, `;` between pairs,
//! comments, hex and octal integers, duplicate names (last wins) and ignores text after the
//! closing brace. It works on UTF-16 code units, like Java strings.

/// An org.json value. Integers cover Java's `Integer` and `Long`.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum JVal {
    Null,
    Bool(bool),
    Int(i64),
    Double(f64),
    Str(String),
    Object(Object),
    Array(Vec<JVal>),
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

/// Java recursion would overflow the thread's stack somewhere in the thousands; mmjwt stops
/// earlier and treats deeper input as unparseable.
const MAX_DEPTH: usize = 512;

/// `new JSONObject(text)`: the first value must be an object; what follows it is ignored.
pub(super) fn parse_object(text: &str) -> Result<Object, ()> {
    let mut units: Vec<u16> = text.encode_utf16().collect();
    if units.first() == Some(&0xFEFF) {
        units.remove(0);
    }
    let mut t = Tokener {
        s: &units,
        pos: 0,
        depth: 0,
    };
    match t.next_value()? {
        JVal::Object(o) => Ok(o),
        _ => Err(()),
    }
}

struct Tokener<'a> {
    s: &'a [u16],
    pos: usize,
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

    fn next_value(&mut self) -> Result<JVal, ()> {
        match self.next_clean()? {
            None => Err(()),
            Some(0x7B) => self.nested(Self::read_object).map(JVal::Object),
            Some(0x5B) => self.nested(Self::read_array).map(JVal::Array),
            Some(q @ (0x27 | 0x22)) => self.next_string(q).map(JVal::Str),
            Some(_) => {
                self.pos -= 1;
                self.read_literal()
            }
        }
    }

    fn nested<T>(&mut self, f: fn(&mut Self) -> Result<T, ()>) -> Result<T, ()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(());
        }
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn read_object(&mut self) -> Result<Object, ()> {
        let mut obj = Object::default();
        match self.next_clean()? {
            Some(0x7D) => return Ok(obj),
            Some(_) => self.pos -= 1,
            None => {}
        }
        loop {
            let JVal::Str(name) = self.next_value()? else {
                return Err(());
            };
            match self.next_clean()? {
                Some(0x3A | 0x3D) => {}
                _ => return Err(()),
            }
            if self.s.get(self.pos) == Some(&u('>')) {
                self.pos += 1;
            }
            let value = self.next_value()?;
            obj.put(name, value)?;
            match self.next_clean()? {
                Some(0x7D) => return Ok(obj),
                Some(0x3B | 0x2C) => {}
                _ => return Err(()),
            }
        }
    }

    fn read_array(&mut self) -> Result<Vec<JVal>, ()> {
        let mut items = Vec::new();
        let mut trailing_separator = false;
        loop {
            match self.next_clean()? {
                None => return Err(()),
                Some(0x5D) => {
                    if trailing_separator {
                        items.push(JVal::Null);
                    }
                    return Ok(items);
                }
                Some(0x2C | 0x3B) => {
                    items.push(JVal::Null);
                    trailing_separator = true;
                    continue;
                }
                Some(_) => self.pos -= 1,
            }
            items.push(self.next_value()?);
            match self.next_clean()? {
                Some(0x5D) => return Ok(items),
                Some(0x2C | 0x3B) => trailing_separator = true,
                _ => return Err(()),
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
                        let hex = String::from_utf16_lossy(&self.s[self.pos..self.pos + 4]);
                        self.pos += 4;
                        // Integer.parseInt(hex, 16) also takes a sign; the char cast wraps.
                        i32::from_str_radix(&hex, 16).map_err(|_| ())? as u16
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
        let literal = String::from_utf16_lossy(&self.s[start..self.pos]);
        if literal.is_empty() {
            return Err(());
        }
        if literal.eq_ignore_ascii_case("null") {
            return Ok(JVal::Null);
        }
        if literal.eq_ignore_ascii_case("true") {
            return Ok(JVal::Bool(true));
        }
        if literal.eq_ignore_ascii_case("false") {
            return Ok(JVal::Bool(false));
        }
        if !literal.contains('.') {
            let (digits, radix) = if let Some(h) = literal
                .strip_prefix("0x")
                .or_else(|| literal.strip_prefix("0X"))
            {
                (h, 16)
            } else if literal.len() > 1 && literal.starts_with('0') {
                (&literal[1..], 8)
            } else {
                (literal.as_str(), 10)
            };
            if let Some(n) = java_parse_long(digits, radix) {
                return Ok(JVal::Int(n));
            }
        }
        if let Some(d) = java_parse_double(&literal) {
            return Ok(JVal::Double(d));
        }
        Ok(JVal::Str(literal))
    }
}

/// `Long.parseLong(s, radix)`: an optional sign, then at least one digit; overflow fails.
fn java_parse_long(s: &str, radix: u32) -> Option<i64> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    let v = if neg { -magnitude } else { magnitude };
    i64::try_from(v).ok()
}

/// `Double.parseDouble(s)` for the decimal forms: trimmed, an optional sign, `NaN`,
/// `Infinity`, digits with an optional fraction and exponent, and an optional `f`/`d` suffix.
/// (Hexadecimal floating literals are not emulated.)
pub(super) fn java_parse_double(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c <= ' ');
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    match body {
        "NaN" => return Some(f64::NAN),
        "Infinity" => return Some(sign * f64::INFINITY),
        _ => {}
    }
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    let bytes = body.as_bytes();
    let mut i = 0;
    let int_digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if exp_digits == 0 {
            return None;
        }
        i += exp_digits;
    }
    if i != bytes.len() {
        return None;
    }
    body.parse::<f64>().ok().map(|v| sign * v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(s: &str) -> Object {
        parse_object(s).unwrap()
    }

    #[test]
    fn strict_json_parses() {
        let o = obj(r#"{"alg":"HS256","n":1700000000,"f":1.5,"b":true,"z":null,"a":[1,2]}"#);
        assert_eq!(o.get("alg"), Some(&JVal::Str("HS256".into())));
        assert_eq!(o.get("n"), Some(&JVal::Int(1_700_000_000)));
        assert_eq!(o.get("f"), Some(&JVal::Double(1.5)));
        assert_eq!(o.get("z"), Some(&JVal::Null));
        assert!(o.has("a"));
    }

    #[test]
    fn lenient_forms_are_accepted() {
        let o = obj("{alg:HS256; 'typ' => 'JWT', /* c */ kid = k1 # tail\n} trailing junk");
        assert_eq!(o.get("alg"), Some(&JVal::Str("HS256".into())));
        assert_eq!(o.get("typ"), Some(&JVal::Str("JWT".into())));
        assert_eq!(o.get("kid"), Some(&JVal::Str("k1".into())));
        let o = obj("{a:0x1F, b:010, c:1e3, d:TRUE, a:2}");
        assert_eq!(o.get("a"), Some(&JVal::Int(2)));
        assert_eq!(o.get("b"), Some(&JVal::Int(8)));
        assert_eq!(o.get("c"), Some(&JVal::Double(1000.0)));
        assert_eq!(o.get("d"), Some(&JVal::Bool(true)));
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
            "{1:2}",
            "{\"a\":NaN}",
            "{\"a\":\"x",
            "{/* open",
            "{null:1}",
        ] {
            assert!(parse_object(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn escapes_and_surrogates() {
        let o = obj(r#"{"s":"\u0041\n\x\/\ud83d\ude00"}"#);
        assert_eq!(o.get("s"), Some(&JVal::Str("A\nx/😀".into())));
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_object(&deep).is_err());
        let ok = format!("{{\"a\":{}1{}}}", "[".repeat(100), "]".repeat(100));
        assert!(parse_object(&ok).is_ok());
    }

    #[test]
    fn java_numbers() {
        assert_eq!(java_parse_double(" 1.7e9 "), Some(1.7e9));
        assert_eq!(java_parse_double("1d"), Some(1.0));
        assert!(java_parse_double("NaN").unwrap().is_nan());
        assert_eq!(java_parse_double("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(java_parse_double("abc"), None);
        assert_eq!(java_parse_double("."), None);
        assert_eq!(java_parse_double("1e"), None);
        assert_eq!(java_parse_long("-12", 10), Some(-12));
        assert_eq!(java_parse_long("99999999999999999999", 10), None);
    }
}
