//! Number texts shared by the renderers: shortest round-trip digits for float16/32/64,
//! Python's `repr(float)`, Python's `format(x, " .6f")` / `" .6e"`, numpy's Dragon4 forms,
//! and allocation-free integer/float writers for the JSON encoder.

use arrow_array::types::Float16Type;
use arrow_array::ArrowPrimitiveType;
use std::fmt::Write as _;

type F16 = <Float16Type as ArrowPrimitiveType>::Native;

/// The binary width of a float value: decides its shortest digits (numpy prints a `float32`
/// with the digits that round-trip through `float32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bits {
    /// `float16`
    F16,
    /// `float32`
    F32,
    /// `float64`
    F64,
}

/// A small stack buffer implementing `fmt::Write` (formatting numbers without allocating).
pub(crate) struct StackBuf {
    buf: [u8; 64],
    len: usize,
}

impl StackBuf {
    pub(crate) fn new() -> StackBuf {
        StackBuf {
            buf: [0; 64],
            len: 0,
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII is ever written by the number formatters.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let b = s.as_bytes();
        let end = self.len + b.len();
        if end > self.buf.len() {
            return Err(std::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(b);
        self.len = end;
        Ok(())
    }
}

/// Shortest round-trip decimal digits of a finite float: `0.d1d2...dn × 10^(exp+1)`, i.e.
/// the value is `d1.d2...dn × 10^exp`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Digits {
    digits: [u8; 24],
    len: usize,
    /// Decimal exponent of the first digit.
    pub exp: i32,
    /// Whether the value is negative (including `-0.0`).
    pub neg: bool,
}

impl Digits {
    /// The digit characters (ASCII).
    pub(crate) fn digits(&self) -> &[u8] {
        &self.digits[..self.len]
    }

    fn from_sci(text: &str) -> Digits {
        let mut d = Digits {
            digits: [b'0'; 24],
            len: 0,
            exp: 0,
            neg: false,
        };
        let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
        let mantissa = match mantissa.strip_prefix('-') {
            Some(m) => {
                d.neg = true;
                m
            }
            None => mantissa,
        };
        for b in mantissa.bytes().filter(u8::is_ascii_digit) {
            if d.len < d.digits.len() {
                d.digits[d.len] = b;
                d.len += 1;
            }
        }
        if d.len == 0 {
            d.digits[0] = b'0';
            d.len = 1;
        }
        d.exp = exp.parse().unwrap_or(0);
        d
    }
}

/// Shortest round-trip digits of a finite value of the given width; among the shortest
/// candidates the one nearest the exact value, ties to even (Python's `repr`, numpy's Dragon4).
pub(crate) fn shortest(f: f64, bits: Bits) -> Digits {
    let mut buf = StackBuf::new();
    let _ = match bits {
        Bits::F64 => write!(buf, "{:e}", f),
        Bits::F32 => write!(buf, "{:e}", f as f32),
        Bits::F16 => return shortest_f16(f),
    };
    let d = Digits::from_sci(buf.as_str());
    // Two shortest candidates can both round-trip only when many digits are needed; Rust
    // breaks that tie upwards, Python and numpy take the correctly rounded one.
    let ambiguous = match bits {
        Bits::F64 => 16,
        _ => 7,
    };
    if d.len < ambiguous {
        return d;
    }
    let mut exact = StackBuf::new();
    let _ = write!(exact, "{:.*e}", d.len - 1, f);
    let round_trips = match bits {
        Bits::F64 => exact.as_str().parse::<f64>().ok() == Some(f),
        _ => exact.as_str().parse::<f32>().ok() == Some(f as f32),
    };
    if round_trips {
        Digits::from_sci(exact.as_str())
    } else {
        d
    }
}

/// Shortest digits that round-trip through `float16`.
fn shortest_f16(f: f64) -> Digits {
    let target = F16::from_f64(f);
    for p in 1..=5usize {
        let mut buf = StackBuf::new();
        let _ = write!(buf, "{:.*e}", p - 1, f);
        let back: f64 = buf.as_str().parse().unwrap_or(f64::NAN);
        if F16::from_f64(back) == target {
            let mut d = Digits::from_sci(buf.as_str());
            // Drop trailing zeros of the mantissa (`1.0e0` -> `1e0`).
            while d.len > 1 && d.digits[d.len - 1] == b'0' {
                d.len -= 1;
            }
            return d;
        }
    }
    shortest(f, Bits::F64)
}

/// Lays out shortest digits as Python's `repr(float)` does: positional when
/// `-4 <= exp < 16`, else scientific (`1e-07`, `1.5e+16`); integral values keep `.0`.
fn python_layout(d: &Digits, out: &mut String) {
    python_layout_forced(d, out, (-4..16).contains(&d.exp));
}

fn push_ascii(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        out.push(b as char);
    }
}

/// Python's `repr` / `str` of a float of the given width (numpy's for `float32`/`float16`
/// scalars): `1.5`, `1e-07`, `nan`, `-inf`, `-0.0`. A `float64` is positional for decimal
/// exponents -4..16 (Python's rule); numpy prints a `float32` positionally only when
/// `1e-4 <= |x| < 1e6`, a `float16` when `1e-4 <= |x| < 1e3` (`4.278e+04`).
pub fn float_text(f: f64, bits: Bits) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let mut out = String::with_capacity(24);
    let d = shortest(f, bits);
    let cutoff = match bits {
        Bits::F64 => None,
        Bits::F32 => Some(1e6),
        Bits::F16 => Some(1e3),
    };
    match cutoff {
        None => python_layout(&d, &mut out),
        Some(c) => python_layout_forced(&d, &mut out, f.abs() >= 1e-4 && f.abs() < c),
    }
    out
}

fn python_layout_forced(d: &Digits, out: &mut String, positional: bool) {
    let digits = d.digits();
    if positional {
        if d.neg {
            out.push('-');
        }
        if d.exp < 0 {
            out.push_str("0.");
            for _ in 0..(-d.exp - 1) {
                out.push('0');
            }
            push_ascii(out, digits);
        } else {
            let int_len = d.exp as usize + 1;
            if digits.len() <= int_len {
                push_ascii(out, digits);
                for _ in digits.len()..int_len {
                    out.push('0');
                }
                out.push_str(".0");
            } else {
                push_ascii(out, &digits[..int_len]);
                out.push('.');
                push_ascii(out, &digits[int_len..]);
            }
        }
    } else {
        if d.neg {
            out.push('-');
        }
        out.push(digits[0] as char);
        if digits.len() > 1 {
            out.push('.');
            push_ascii(out, &digits[1..]);
        }
        out.push('e');
        out.push(if d.exp < 0 { '-' } else { '+' });
        let a = d.exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        let _ = write!(out, "{a}");
    }
}

/// Writes Python's `repr(float)` of a finite, non-zero-or-zero `f64` into a byte buffer
/// (the JSON encoder's float form; non-finite values are the caller's business).
pub(crate) fn write_float_repr(out: &mut Vec<u8>, f: f64) {
    if f == 0.0 {
        out.extend_from_slice(if f.is_sign_negative() {
            b"-0.0"
        } else {
            b"0.0"
        });
        return;
    }
    let d = shortest(f, Bits::F64);
    let digits = d.digits();
    if d.neg {
        out.push(b'-');
    }
    let exp = d.exp;
    if !(-4..16).contains(&exp) {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if exp < 0 { b'-' } else { b'+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push(b'0');
        }
        write_u128(out, a as u128);
    } else if exp < 0 {
        out.extend_from_slice(b"0.");
        for _ in 0..(-exp - 1) {
            out.push(b'0');
        }
        out.extend_from_slice(digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.extend_from_slice(digits);
            for _ in digits.len()..int_len {
                out.push(b'0');
            }
            out.extend_from_slice(b".0");
        } else {
            out.extend_from_slice(&digits[..int_len]);
            out.push(b'.');
            out.extend_from_slice(&digits[int_len..]);
        }
    }
}

/// Writes the decimal text of an unsigned integer.
pub(crate) fn write_u128(out: &mut Vec<u8>, mut v: u128) {
    let mut buf = [0u8; 40];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Writes the decimal text of a signed 64-bit integer (fast path for the JSON encoder).
#[inline]
pub(crate) fn write_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    let mut u = v.unsigned_abs();
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Writes the decimal text of a signed 128-bit integer.
pub(crate) fn write_i128(out: &mut Vec<u8>, v: i128) {
    if v < 0 {
        out.push(b'-');
    }
    write_u128(out, v.unsigned_abs());
}

/// Python's `format(x, " .{prec}f")` (`space` = leading space for non-negative values) or
/// `format(x, ".{prec}f")`: correctly rounded fixed notation; `inf`, `nan` for non-finite.
pub(crate) fn py_fixed(f: f64, prec: usize, space: bool) -> String {
    let body = if f.is_nan() {
        "nan".to_string()
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        format!("{:.*}", prec, f)
    };
    if space && !body.starts_with('-') {
        format!(" {body}")
    } else {
        body
    }
}

/// Python's `format(x, " .{prec}e")` / `".{prec}e"`: `1.000000e+16`, `-2.5e-07`.
pub(crate) fn py_exp(f: f64, prec: usize, space: bool) -> String {
    let body = if !f.is_finite() {
        return py_fixed(f, prec, space);
    } else {
        let s = format!("{:.*e}", prec, f);
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        format!(
            "{m}e{}{:02}",
            if e < 0 { '-' } else { '+' },
            e.unsigned_abs()
        )
    };
    if space && !body.starts_with('-') {
        format!(" {body}")
    } else {
        body
    }
}

/// pandas' `_trim_zeros_single_float`: strips trailing zeros, keeping one after the point.
pub(crate) fn trim_zeros_single(s: String) -> String {
    let mut t = s.trim_end_matches('0').to_string();
    if t.ends_with('.') {
        t.push('0');
    }
    t
}

/// numpy's Dragon4 in "unique" mode with at most `precision` fractional digits, trailing zeros
/// trimmed (the decimal point kept): `(integer part with sign, fractional digits)`.
pub(crate) fn dragon4_positional(f: f64, bits: Bits, precision: usize) -> (String, String) {
    let d = shortest(f, bits);
    let digits = d.digits();
    let frac_len = (digits.len() as i32 - 1 - d.exp).max(0) as usize;
    let text = if f == 0.0 {
        if f.is_sign_negative() {
            "-0.".to_string()
        } else {
            "0.".to_string()
        }
    } else if frac_len <= precision {
        let mut s = String::new();
        if d.neg {
            s.push('-');
        }
        if d.exp < 0 {
            s.push_str("0.");
            for _ in 0..(-d.exp - 1) {
                s.push('0');
            }
            push_ascii(&mut s, digits);
        } else {
            let int_len = d.exp as usize + 1;
            if digits.len() <= int_len {
                push_ascii(&mut s, digits);
                for _ in digits.len()..int_len {
                    s.push('0');
                }
                s.push('.');
            } else {
                push_ascii(&mut s, &digits[..int_len]);
                s.push('.');
                push_ascii(&mut s, &digits[int_len..]);
            }
        }
        s
    } else {
        let s = format!("{:.*}", precision, f);
        let t = s.trim_end_matches('0');
        t.to_string()
    };
    match text.split_once('.') {
        Some((i, fr)) => (i.to_string(), fr.to_string()),
        None => (text, String::new()),
    }
}

/// numpy's Dragon4 scientific form in "unique" mode with at most `precision` mantissa
/// fraction digits, trailing zeros trimmed: `(integer digit with sign, fraction, exponent)`.
pub(crate) fn dragon4_scientific(f: f64, bits: Bits, precision: usize) -> (String, String, i32) {
    if f == 0.0 {
        let sign = if f.is_sign_negative() { "-" } else { "" };
        return (format!("{sign}0"), String::new(), 0);
    }
    let d = shortest(f, bits);
    let digits = d.digits();
    let sign = if d.neg { "-" } else { "" };
    if digits.len() - 1 <= precision {
        let mut frac = String::new();
        push_ascii(&mut frac, &digits[1..]);
        return (format!("{sign}{}", digits[0] as char), frac, d.exp);
    }
    let s = format!("{:.*e}", precision, f);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let (i, fr) = m.split_once('.').unwrap_or((m, ""));
    (i.to_string(), fr.trim_end_matches('0').to_string(), e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_texts() {
        assert_eq!(float_text(1.5, Bits::F64), "1.5");
        assert_eq!(float_text(1e16, Bits::F64), "1e+16");
        assert_eq!(float_text(1e-7, Bits::F64), "1e-07");
        assert_eq!(float_text(0.1f32 as f64, Bits::F32), "0.1");
        assert_eq!(float_text(F16::from_f64(0.1).to_f64(), Bits::F16), "0.1");
        assert_eq!(
            float_text(123456789.0f32 as f64, Bits::F32),
            "1.2345679e+08"
        );
        assert_eq!(float_text(42780.0, Bits::F16), "4.278e+04");
        assert_eq!(float_text(1e-4f32 as f64, Bits::F32), "1e-04");
        assert_eq!(float_text(42780.0, Bits::F32), "42780.0");
        // Ties between two 17-digit candidates go to the even one, as in Python.
        assert_eq!(
            float_text(-2.5987625122070312e-05, Bits::F64),
            "-2.5987625122070312e-05"
        );
        assert_eq!(
            float_text(980944364661620.2, Bits::F64),
            "980944364661620.2"
        );
        let mut v = Vec::new();
        write_float_repr(&mut v, 0.1f32 as f64);
        assert_eq!(v, b"0.10000000149011612");
        v.clear();
        write_float_repr(&mut v, 1e300);
        assert_eq!(v, b"1e+300");
        v.clear();
        write_i64(&mut v, i64::MIN);
        assert_eq!(v, b"-9223372036854775808");
    }

    #[test]
    fn fixed_and_exp() {
        assert_eq!(py_fixed(1.5, 6, true), " 1.500000");
        assert_eq!(py_fixed(-1.5, 6, true), "-1.500000");
        assert_eq!(py_exp(1e16, 6, true), " 1.000000e+16");
        assert_eq!(py_exp(1e300, 6, false), "1.000000e+300");
        assert_eq!(trim_zeros_single(py_fixed(0.1234567, 6, false)), "0.123457");
        assert_eq!(
            dragon4_positional(1.0 / 3.0, Bits::F64, 8),
            ("0".into(), "33333333".into())
        );
        assert_eq!(
            dragon4_positional(2.0, Bits::F64, 8),
            ("2".into(), "".into())
        );
        assert_eq!(
            dragon4_scientific(1001.0, Bits::F64, 8),
            ("1".into(), "001".into(), 3)
        );
    }
}
