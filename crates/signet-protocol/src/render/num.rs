//! Number texts shared by the renderers: Python's `repr(float)` and numpy's float32/float16
//! `str` (from their one home, [`signet::pyjson::float`]), Python's `format(x, " .6f")` /
//! `" .6e"`, numpy's Dragon4 forms, and allocation-free integer/float writers for the JSON
//! encoder.

pub use signet::pyjson::float::{float_text, Bits};
use signet::pyjson::float::{shortest, write_float};

fn push_ascii(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        out.push(b as char);
    }
}

/// `fmt::Write` straight into the JSON encoder's byte buffer.
struct BytesWriter<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for BytesWriter<'_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// Writes Python's `repr(float)` of an `f64` into a byte buffer (the JSON encoder's float
/// form) without allocating.
pub(crate) fn write_float_repr(out: &mut Vec<u8>, f: f64) {
    let _ = write_float(&mut BytesWriter(out), f, Bits::F64);
}

/// Writes the decimal digits of an unsigned integer, in `T`'s own arithmetic (so `u64`
/// values do not pay for 128-bit division).
#[inline]
fn write_digits<T>(out: &mut Vec<u8>, mut v: T)
where
    T: Copy + PartialEq + From<u8> + std::ops::DivAssign + std::ops::Rem<Output = T> + TryInto<u8>,
{
    let (zero, ten) = (T::from(0), T::from(10));
    let mut buf = [0u8; 40];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % ten).try_into().unwrap_or(0);
        v /= ten;
        if v == zero {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Writes the decimal text of an unsigned integer.
pub(crate) fn write_u128(out: &mut Vec<u8>, v: u128) {
    write_digits(out, v);
}

/// Writes the decimal text of a signed 64-bit integer (fast path for the JSON encoder).
#[inline]
pub(crate) fn write_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    write_digits(out, v.unsigned_abs());
}

/// Writes the decimal text of a signed 128-bit integer.
pub(crate) fn write_i128(out: &mut Vec<u8>, v: i128) {
    if v < 0 {
        out.push(b'-');
    }
    write_digits(out, v.unsigned_abs());
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
    sign_space(body, space)
}

/// The `" "` sign option of Python's format spec: a leading space for a non-negative value.
fn sign_space(body: String, space: bool) -> String {
    if space && !body.starts_with('-') {
        format!(" {body}")
    } else {
        body
    }
}

/// Python's `format(x, " .{prec}e")` / `".{prec}e"`: `1.000000e+16`, `-2.5e-07`.
pub(crate) fn py_exp(f: f64, prec: usize, space: bool) -> String {
    if !f.is_finite() {
        return py_fixed(f, prec, space);
    }
    let s = format!("{:.*e}", prec, f);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let body = format!(
        "{m}e{}{:02}",
        if e < 0 { '-' } else { '+' },
        e.unsigned_abs()
    );
    sign_space(body, space)
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
    fn writers() {
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
