//! `json.loads`: strict JSON plus Python's extensions (`NaN`, `Infinity`, `-Infinity`,
//! integers of any size that fit 128 bits), into [`Value`]s.

use super::DictKeys;
use crate::value::Value;
use std::fmt;

/// Nesting deeper than this is refused (Python raises `RecursionError` around 1000).
const MAX_DEPTH: usize = 512;

/// A JSON document could not be decoded. `Display` is Python's `JSONDecodeError` text,
/// e.g. `Expecting value: line 1 column 1 (char 0)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// What was expected or wrong (`Expecting value`).
    pub msg: String,
    /// Line (1-based).
    pub line: usize,
    /// Column (1-based, in characters).
    pub column: usize,
    /// Offset in characters (0-based).
    pub pos: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: line {} column {} (char {})",
            self.msg, self.line, self.column, self.pos
        )
    }
}

impl std::error::Error for JsonError {}

/// Decodes a JSON document as Python's `json.loads` does.
pub fn loads(text: &str) -> Result<Value, JsonError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        depth: 0,
    };
    p.ws();
    let v = p.value()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("Extra data", p.i));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, msg: &str, byte_pos: usize) -> JsonError {
        let before = &self.text[..byte_pos.min(self.text.len())];
        let pos = before.chars().count();
        let line = before.matches('\n').count() + 1;
        let column = match before.rfind('\n') {
            Some(nl) => before[nl + 1..].chars().count() + 1,
            None => pos + 1,
        };
        JsonError {
            msg: msg.to_string(),
            line,
            column,
            pos,
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn starts(&self, lit: &str) -> bool {
        self.s[self.i..].starts_with(lit.as_bytes())
    }

    fn value(&mut self) -> Result<Value, JsonError> {
        let start = self.i;
        match self.s.get(self.i) {
            Some(b'{') => self.nested(|p| p.object()),
            Some(b'[') => self.nested(|p| p.array()),
            Some(b'"') => Ok(Value::Str(self.string()?)),
            Some(b'n') if self.starts("null") => {
                self.i += 4;
                Ok(Value::None)
            }
            Some(b't') if self.starts("true") => {
                self.i += 4;
                Ok(Value::Bool(true))
            }
            Some(b'f') if self.starts("false") => {
                self.i += 5;
                Ok(Value::Bool(false))
            }
            Some(b'N') if self.starts("NaN") => {
                self.i += 3;
                Ok(Value::Float(f64::NAN))
            }
            Some(b'I') if self.starts("Infinity") => {
                self.i += 8;
                Ok(Value::Float(f64::INFINITY))
            }
            Some(b'-') if self.starts("-Infinity") => {
                self.i += 9;
                Ok(Value::Float(f64::NEG_INFINITY))
            }
            Some(b'-' | b'0'..=b'9') => self.number(start),
            _ => Err(self.err("Expecting value", start)),
        }
    }

    fn nested(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<Value, JsonError>,
    ) -> Result<Value, JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("Maximum nesting depth exceeded", self.i));
        }
        let v = f(self);
        self.depth -= 1;
        v
    }

    fn number(&mut self, start: usize) -> Result<Value, JsonError> {
        let s = self.s;
        let mut i = self.i;
        if s[i] == b'-' {
            i += 1;
        }
        match s.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = s.get(i) {
                    i += 1;
                }
            }
            _ => return Err(self.err("Expecting value", start)),
        }
        let mut is_float = false;
        if s.get(i) == Some(&b'.') && matches!(s.get(i + 1), Some(b'0'..=b'9')) {
            is_float = true;
            i += 1;
            while let Some(b'0'..=b'9') = s.get(i) {
                i += 1;
            }
        }
        if let Some(end) = exponent_end(s, i) {
            is_float = true;
            i = end;
        }
        let text = &self.text[start..i];
        self.i = i;
        if is_float {
            text.parse::<f64>()
                .map(Value::Float)
                .map_err(|_| self.err("Expecting value", start))
        } else {
            match text.parse::<i128>() {
                Ok(v) => Ok(Value::Int(v)),
                // Beyond 128 bits: Python keeps an exact int; signet keeps the nearest float.
                Err(_) => text
                    .parse::<f64>()
                    .map(Value::Float)
                    .map_err(|_| self.err("Expecting value", start)),
            }
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        loop {
            // Copy a run of plain characters.
            let run_start = self.i;
            while let Some(&b) = self.s.get(self.i) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(&self.text[run_start..self.i]);
            match self.s.get(self.i) {
                None => return Err(self.err("Unterminated string starting at", start)),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let esc = self.i;
                    match self.s.get(self.i + 1) {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let (c, len) = unicode_escape(self.s, self.i)
                                .ok_or_else(|| self.err("Invalid \\uXXXX escape", esc + 1))?;
                            out.push(c);
                            self.i += len;
                            continue;
                        }
                        Some(_) => return Err(self.err("Invalid \\escape", esc)),
                        None => return Err(self.err("Unterminated string starting at", start)),
                    }
                    self.i += 2;
                }
                Some(_) => return Err(self.err("Invalid control character at", self.i)),
            }
        }
    }

    /// Past an opening bracket and whitespace: whether `close` follows at once (an empty
    /// container); it is consumed then.
    fn opens_empty(&mut self, close: u8) -> bool {
        self.i += 1;
        self.ws();
        let empty = self.s.get(self.i) == Some(&close);
        if empty {
            self.i += 1;
        }
        empty
    }

    /// After an item: `,` (another item follows) or `close` (the end), consumed; anything else
    /// is the delimiter error.
    fn more_items(&mut self, close: u8) -> Result<bool, JsonError> {
        self.ws();
        match self.s.get(self.i) {
            Some(b',') => {
                self.i += 1;
                Ok(true)
            }
            Some(c) if *c == close => {
                self.i += 1;
                Ok(false)
            }
            _ => Err(self.err("Expecting ',' delimiter", self.i)),
        }
    }

    fn array(&mut self) -> Result<Value, JsonError> {
        let mut items = Vec::new();
        if self.opens_empty(b']') {
            return Ok(Value::List(items));
        }
        loop {
            self.ws();
            items.push(self.value()?);
            if !self.more_items(b']')? {
                return Ok(Value::List(items));
            }
        }
    }

    fn object(&mut self) -> Result<Value, JsonError> {
        let mut items: Vec<(Value, Value)> = Vec::new();
        let mut keys = DictKeys::default();
        if self.opens_empty(b'}') {
            return Ok(Value::Dict(items));
        }
        loop {
            self.ws();
            if self.s.get(self.i) != Some(&b'"') {
                return Err(self.err("Expecting property name enclosed in double quotes", self.i));
            }
            let key = self.string()?;
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return Err(self.err("Expecting ':' delimiter", self.i));
            }
            self.i += 1;
            self.ws();
            let v = self.value()?;
            // A repeated key keeps its first position and takes the last value, as a dict does.
            match keys.find(&items, &key) {
                Some(j) => items[j].1 = v,
                None => {
                    keys.add(&key, items.len());
                    items.push((Value::Str(key), v));
                }
            }
            if !self.more_items(b'}')? {
                return Ok(Value::Dict(items));
            }
        }
    }
}

fn hex4(s: &[u8], at: usize) -> Option<u32> {
    let h = s.get(at..at + 4)?;
    let mut v = 0u32;
    for &b in h {
        v = v * 16 + (b as char).to_digit(16)?;
    }
    Some(v)
}

/// The `\uXXXX` escape whose backslash is `s[at]`, joined with a low-surrogate escape right
/// after it as Python's `json` joins them: the character and the bytes read. A lone
/// surrogate, which a Rust string cannot hold, becomes U+FFFD. `None` without four hex digits.
pub fn unicode_escape(s: &[u8], at: usize) -> Option<(char, usize)> {
    let hi = hex4(s, at + 2)?;
    let (mut code, mut len) = (hi, 6);
    if (0xD800..0xDC00).contains(&hi) && s.get(at + 6..at + 8) == Some(b"\\u") {
        if let Some(lo) = hex4(s, at + 8).filter(|lo| (0xDC00..0xE000).contains(lo)) {
            code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
            len = 12;
        }
    }
    Some((char::from_u32(code).unwrap_or('\u{FFFD}'), len))
}

/// Where a JSON number's exponent (`e`/`E`, an optional sign, digits) starting at `s[i]` ends;
/// `None` when there is none (Python's `json` then ends the number before the `e`).
#[inline]
pub fn exponent_end(s: &[u8], i: usize) -> Option<usize> {
    if !matches!(s.get(i), Some(b'e' | b'E')) {
        return None;
    }
    let mut j = i + 1;
    if matches!(s.get(j), Some(b'+' | b'-')) {
        j += 1;
    }
    if !matches!(s.get(j), Some(b'0'..=b'9')) {
        return None;
    }
    while let Some(b'0'..=b'9') = s.get(j) {
        j += 1;
    }
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_extensions_and_errors() {
        assert!(matches!(loads("NaN").unwrap(), Value::Float(f) if f.is_nan()));
        assert_eq!(
            loads("[1, 2.0, -Infinity]").unwrap(),
            Value::List(vec![
                Value::Int(1),
                Value::Float(2.0),
                Value::Float(f64::NEG_INFINITY)
            ])
        );
        assert_eq!(
            loads("18446744073709551615").unwrap(),
            Value::Int(u64::MAX as i128)
        );
        assert_eq!(
            loads("\"caf\\u00e9 \\ud83d\\ude00\"").unwrap(),
            Value::str("café 😀")
        );
        assert_eq!(
            loads("").unwrap_err().to_string(),
            "Expecting value: line 1 column 1 (char 0)"
        );
        assert_eq!(
            loads("{\"a\": 1,}").unwrap_err().to_string(),
            "Expecting property name enclosed in double quotes: line 1 column 9 (char 8)"
        );
        assert_eq!(
            loads("[1] x").unwrap_err().to_string(),
            "Extra data: line 1 column 5 (char 4)"
        );
        assert_eq!(
            loads("{\"a\": 1, \"a\": 2}").unwrap(),
            Value::dict([("a", Value::Int(2))])
        );
    }
}
