//! A small strict JSON reader into [`Value`] (XGBoost's JSON model files). Numbers keep both
//! their `f64` and their directly rounded `f32` value; XGBoost's `NaN`/`Infinity` tokens are
//! accepted. Errors name the byte offset; nesting is limited so corrupt input cannot overflow
//! the stack.

use crate::cursor::Cursor;
use crate::error::TreeError;
use crate::value::Value;

/// Parses a whole JSON document; `file` names it in errors.
pub fn parse(bytes: &[u8], file: &str) -> Result<Value, TreeError> {
    let mut p = Cursor::new(bytes, file);
    p.ws();
    let v = p.value(0)?;
    p.ws();
    p.finish(v, "JSON")
}

/// The JSON grammar, read at the shared [`Cursor`].
impl Cursor<'_> {
    fn ws(&mut self) {
        while let Some(c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Result<u8, TreeError> {
        self.b
            .get(self.i)
            .copied()
            .ok_or_else(|| self.err("unexpected end of file"))
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.b.get(self.i..self.i + lit.len()) == Some(lit.as_bytes()) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, TreeError> {
        self.check_depth(depth)?;
        match self.peek()? {
            b'{' => {
                let mut members = Vec::new();
                self.seq(b'}', |p| {
                    if p.peek()? != b'"' {
                        return Err(p.err("expected a string key"));
                    }
                    let key = p.string()?;
                    p.ws();
                    if !p.eat(":") {
                        return Err(p.err("expected ':'"));
                    }
                    p.ws();
                    members.push((key, p.value(depth + 1)?));
                    Ok(())
                })?;
                Ok(Value::Object(members))
            }
            b'[' => {
                let mut items = Vec::new();
                self.seq(b']', |p| {
                    items.push(p.value(depth + 1)?);
                    Ok(())
                })?;
                Ok(Value::Array(items))
            }
            b'"' => Ok(Value::Str(self.string()?)),
            b't' if self.eat("true") => Ok(Value::Bool(true)),
            b'f' if self.eat("false") => Ok(Value::Bool(false)),
            b'n' if self.eat("null") => Ok(Value::Null),
            b'N' if self.eat("NaN") => Ok(float(f64::NAN, f32::NAN)),
            b'I' if self.eat("Infinity") => Ok(float(f64::INFINITY, f32::INFINITY)),
            b'-' if self.eat("-Infinity") => Ok(float(f64::NEG_INFINITY, f32::NEG_INFINITY)),
            b'-' | b'0'..=b'9' => self.number(),
            c => Err(self.err(format!("unexpected character {:?}", c as char))),
        }
    }

    /// The members of a `{…}` or the items of a `[…]` (the cursor at its opening bracket), each
    /// read by `item` after any whitespace, separated by commas, up to `close`.
    fn seq(
        &mut self,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Result<(), TreeError>,
    ) -> Result<(), TreeError> {
        self.i += 1;
        self.ws();
        if self.peek()? == close {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            item(self)?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                c if c == close => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.err(format!("expected ',' or '{}'", close as char))),
            }
        }
    }

    fn number(&mut self) -> Result<Value, TreeError> {
        let start = self.i;
        let mut is_int = true;
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'0'..=b'9' | b'-' | b'+' => {}
                b'.' | b'e' | b'E' => is_int = false,
                _ => break,
            }
            self.i += 1;
        }
        let text = std::str::from_utf8(&self.b[start..self.i]).unwrap_or("");
        let bad = || self.err_at(start, "invalid number");
        if is_int {
            if let Ok(i) = text.parse::<i64>() {
                return Ok(Value::Int(i));
            }
        }
        let f64v: f64 = text.parse().map_err(|_| bad())?;
        let f32v: f32 = text.parse().map_err(|_| bad())?;
        Ok(float(f64v, f32v))
    }

    fn string(&mut self) -> Result<String, TreeError> {
        let start = self.i;
        self.i += 1; // opening quote
        let mut out = Vec::new();
        loop {
            let c = self.peek()?;
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let c = self.hex4()?;
                            let ch = if (0xD800..0xDC00).contains(&c) && self.eat("\\u") {
                                let lo = self.hex4()?;
                                char::from_u32(
                                    0x10000
                                        + ((c - 0xD800) << 10)
                                        + (lo.wrapping_sub(0xDC00) & 0x3FF),
                                )
                            } else {
                                char::from_u32(c)
                            };
                            let ch = ch.unwrap_or('\u{FFFD}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return Err(self.err("invalid escape in string")),
                    }
                }
                c => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| self.err_at(start, "string is not UTF-8"))
    }

    fn hex4(&mut self) -> Result<u32, TreeError> {
        let digits = self
            .b
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.err("unexpected end of file in \\u escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.err("invalid \\u escape"))?;
        let v = u32::from_str_radix(text, 16).map_err(|_| self.err("invalid \\u escape"))?;
        self.i += 4;
        Ok(v)
    }
}

fn float(f64: f64, f32: f32) -> Value {
    Value::Float { f64, f32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numbers_both_widths() {
        let v = parse(
            br#"{"a": [1, -2.5E-1, 0.1, NaN], "b": "x\u00e9"}"#,
            "m.json",
        )
        .unwrap();
        let Value::Object(m) = v else { panic!() };
        let Value::Array(a) = &m[0].1 else { panic!() };
        assert_eq!(a[0], Value::Int(1));
        assert_eq!(
            a[2],
            Value::Float {
                f64: 0.1,
                f32: 0.1f32
            }
        );
        assert_eq!(m[1].1, Value::Str("xé".into()));
    }

    #[test]
    fn errors_name_file_and_offset() {
        let e = parse(br#"{"a": [1, 2"#, "m.json").unwrap_err();
        assert_eq!(e.to_string(), "m.json: byte 11: unexpected end of file");
        let e = parse(br#"{"a" 1}"#, "m.json").unwrap_err();
        assert_eq!(e.to_string(), "m.json: byte 5: expected ':'");
        let deep = "[".repeat(1000);
        let e = parse(deep.as_bytes(), "d.json").unwrap_err();
        assert!(e.to_string().contains("nesting too deep"), "{e}");
    }
}
