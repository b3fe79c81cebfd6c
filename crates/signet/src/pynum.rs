//! CPython's `int(str)` and `float(str)`: the one home of the text → number rules that MLflow's
//! request parsing (`signet-protocol`) and numpy's object casts (enforcement) both lean on.
//!
//! The grammar is Python's: surrounding whitespace (`str.isspace`), one optional sign, decimal
//! digits with single `_` separators between two digits; `float` also takes a fraction, an
//! exponent and `inf` / `infinity` / `nan` in any case. Callers turn a refusal into the
//! exception text of their context.

/// Why a text is not a Python `int`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntText {
    /// Not an integer literal: `int()` raises `ValueError`.
    Invalid,
    /// A valid literal beyond 128 bits: too large for any numpy integer.
    TooLarge,
}

/// `str.isspace()` for one character: Unicode White_Space plus the ASCII information
/// separators U+001C..U+001F, which Python counts and Rust does not.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `text.strip()` with Python's whitespace.
pub fn strip(text: &str) -> &str {
    text.trim_matches(is_py_space)
}

/// Removes `_` digit separators where Python allows them (only between two digits); `None`
/// when an underscore is misplaced.
fn strip_underscores(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let ok = i > 0
                && b[i - 1].is_ascii_digit()
                && b.get(i + 1).is_some_and(|n| n.is_ascii_digit());
            if !ok {
                return None;
            }
        } else {
            out.push(c as char);
        }
    }
    Some(out)
}

/// Python's `int(text)` in base 10.
pub fn parse_int(text: &str) -> Result<i128, IntText> {
    let t = strip(text);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if !digits.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return Err(IntText::Invalid);
    }
    let clean = strip_underscores(digits).ok_or(IntText::Invalid)?;
    if !clean.bytes().all(|c| c.is_ascii_digit()) {
        return Err(IntText::Invalid);
    }
    match clean.parse::<i128>() {
        Ok(v) => Ok(if neg { -v } else { v }),
        Err(_) => Err(IntText::TooLarge),
    }
}

/// Python's `float(text)`; `None` where it raises `ValueError`.
pub fn parse_float(text: &str) -> Option<f64> {
    let t = strip(text);
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "nan" | "inf" | "infinity") {
        let v = if lower == "nan" {
            f64::NAN
        } else {
            f64::INFINITY
        };
        return Some(if t.starts_with('-') { -v } else { v });
    }
    let numeric =
        |c: u8| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-' | b'_');
    if body.is_empty() || !body.bytes().all(numeric) {
        return None;
    }
    strip_underscores(t)?.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_as_python_reads_them() {
        let cases: [(&str, Result<i128, IntText>); 12] = [
            (" 1_500 ", Ok(1500)),
            ("-7", Ok(-7)),
            ("+3", Ok(3)),
            ("\u{1c}8\u{3000}", Ok(8)),
            ("1500.5", Err(IntText::Invalid)),
            ("1__0", Err(IntText::Invalid)),
            ("_1", Err(IntText::Invalid)),
            ("1_", Err(IntText::Invalid)),
            ("+-1", Err(IntText::Invalid)),
            ("", Err(IntText::Invalid)),
            ("1.0", Err(IntText::Invalid)),
            ("9".repeat(40).leak(), Err(IntText::TooLarge)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_int(text), want, "{text:?}");
        }
    }

    #[test]
    fn floats_as_python_reads_them() {
        let cases: [(&str, Option<f64>); 10] = [
            ("2.5", Some(2.5)),
            ("1_0.5", Some(10.5)),
            (" 1e3\n", Some(1000.0)),
            ("-Infinity", Some(f64::NEG_INFINITY)),
            ("+inf", Some(f64::INFINITY)),
            ("1__0", None),
            ("abc", None),
            ("+-1", None),
            ("", None),
            ("1_e5", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_float(text), want, "{text:?}");
        }
        assert!(parse_float(" NaN").is_some_and(f64::is_nan));
        assert!(parse_float("-nan").is_some_and(f64::is_nan));
    }
}
