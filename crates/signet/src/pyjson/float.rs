//! Python's `repr(float)` and numpy's `str` of `float32` / `float16` scalars: the shortest
//! digits that round-trip at the value's width, laid out positionally or in scientific form.
//! The one home of these rules; [`write_float`] writes into any `fmt::Write` without
//! allocating (the JSON and response renderers use it on every float).

use crate::numpy::F16;
use std::fmt::{self, Write as _};

/// The binary width of a float value: decides its shortest digits (numpy prints a `float32`
/// with the digits that round-trip through `float32`) and when its text turns scientific.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bits {
    /// `float16`
    F16,
    /// `float32`
    F32,
    /// `float64` (Python's `float`)
    F64,
}

/// A 64-byte stack buffer implementing `fmt::Write`: formats a number without allocating
/// (every float text fits; a longer write fails with `fmt::Error`).
pub struct StackBuf {
    buf: [u8; 64],
    len: usize,
}

impl StackBuf {
    /// An empty buffer.
    pub fn new() -> StackBuf {
        StackBuf {
            buf: [0; 64],
            len: 0,
        }
    }

    /// The text written so far.
    pub fn as_str(&self) -> &str {
        // Only whole `&str`s are ever copied in, so the bytes are UTF-8.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl Default for StackBuf {
    fn default() -> Self {
        StackBuf::new()
    }
}

impl fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let b = s.as_bytes();
        let end = self.len + b.len();
        if end > self.buf.len() {
            return Err(fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(b);
        self.len = end;
        Ok(())
    }
}

/// Shortest round-trip decimal digits of a finite float: the value is `d1.d2...dn × 10^exp`.
#[derive(Clone, Copy, Debug)]
pub struct Digits {
    digits: [u8; 24],
    len: usize,
    /// Decimal exponent of the first digit.
    pub exp: i32,
    /// Whether the value is negative (including `-0.0`).
    pub neg: bool,
}

impl Digits {
    /// The digit characters (ASCII), without sign, point or exponent.
    pub fn digits(&self) -> &[u8] {
        &self.digits[..self.len]
    }

    /// The digits as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.digits()).unwrap_or("0")
    }

    #[inline]
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
#[inline]
pub fn shortest(f: f64, bits: Bits) -> Digits {
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

/// Writes Python's `repr` / `str` of a float of the given width (numpy's for `float32` /
/// `float16` scalars): `1.5`, `1e-07`, `nan`, `-inf`, `-0.0`. A `float64` is positional for
/// decimal exponents -4..16 (Python's rule); numpy prints a `float32` positionally only when
/// `1e-4 <= |x| < 1e6` (`999999.0`, `1e+06`, `1.2345679e+08`), a `float16` when
/// `1e-4 <= |x| < 1e3` (`4.278e+04`). Integral values keep `.0`.
pub fn write_float<W: fmt::Write + ?Sized>(out: &mut W, f: f64, bits: Bits) -> fmt::Result {
    if f.is_nan() {
        return out.write_str("nan");
    }
    if f.is_infinite() {
        return out.write_str(if f > 0.0 { "inf" } else { "-inf" });
    }
    if f == 0.0 {
        return out.write_str(if f.is_sign_negative() { "-0.0" } else { "0.0" });
    }
    let d = shortest(f, bits);
    let positional = match bits {
        Bits::F64 => (-4..16).contains(&d.exp),
        Bits::F32 => (1e-4..1e6).contains(&f.abs()),
        Bits::F16 => (1e-4..1e3).contains(&f.abs()),
    };
    write_layout(out, &d, positional)
}

/// Lays out shortest digits as Python lays out floats: positional (`0.00012`, `1500.0`) or
/// scientific with at least two exponent digits (`1e-07`, `1.5e+16`).
fn write_layout<W: fmt::Write + ?Sized>(out: &mut W, d: &Digits, positional: bool) -> fmt::Result {
    let digits = d.as_str();
    if d.neg {
        out.write_char('-')?;
    }
    if !positional {
        out.write_str(&digits[..1])?;
        if digits.len() > 1 {
            out.write_char('.')?;
            out.write_str(&digits[1..])?;
        }
        let sign = if d.exp < 0 { '-' } else { '+' };
        return write!(out, "e{sign}{:02}", d.exp.unsigned_abs());
    }
    if d.exp < 0 {
        out.write_str("0.")?;
        for _ in 0..(-d.exp - 1) {
            out.write_char('0')?;
        }
        return out.write_str(digits);
    }
    let int_len = d.exp as usize + 1;
    if digits.len() <= int_len {
        out.write_str(digits)?;
        for _ in digits.len()..int_len {
            out.write_char('0')?;
        }
        out.write_str(".0")
    } else {
        out.write_str(&digits[..int_len])?;
        out.write_char('.')?;
        out.write_str(&digits[int_len..])
    }
}

/// [`write_float`] into a new string.
pub fn float_text(f: f64, bits: Bits) -> String {
    let mut out = String::with_capacity(24);
    let _ = write_float(&mut out, f, bits);
    out
}

/// Python's `repr` of a float: shortest round-trip digits; scientific notation when the
/// decimal exponent is < -4 or >= 16 (`1e-07`, `1e+16`); integral values keep `.0`;
/// `nan`, `inf`, `-inf` for non-finite values.
pub fn float_repr(f: f64) -> String {
    float_text(f, Bits::F64)
}

/// numpy's `str` of a `float32` scalar (and the value inside its `repr`, `np.float32(0.7)`):
/// the shortest digits that round-trip through `float32`, positional only when
/// `1e-4 <= |x| < 1e6` (`999999.0`, `1e+06`, `1.2345679e+08`), else laid out as Python's.
pub fn float32_repr(f: f32) -> String {
    float_text(f64::from(f), Bits::F32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_python_repr() {
        let cases = [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (1e-7, "1e-07"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e15, "1000000000000000.0"),
            (123456.789, "123456.789"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5, "-2.5"),
            (1e300, "1e+300"),
            (5e-324, "5e-324"),
            (0.30000000000000004, "0.30000000000000004"),
            (1500.0, "1500.0"),
            (-0.0, "-0.0"),
            // Ties between two 17-digit candidates go to the even one, as in Python.
            (-2.5987625122070312e-05, "-2.5987625122070312e-05"),
            (980944364661620.2, "980944364661620.2"),
        ];
        for (f, want) in cases {
            assert_eq!(float_repr(f), want, "repr({f:?})");
        }
    }

    /// `str(np.float32(x))`, recorded from numpy 2 (the pinned interop venv).
    #[test]
    fn matches_numpy_float32_str() {
        let cases = [
            (123456789.0f32, "1.2345679e+08"),
            (1e6, "1e+06"),
            (999999.0, "999999.0"),
            (1e7, "1e+07"),
            (1e20, "1e+20"),
            (1.5e-5, "1.5e-05"),
            (1e-4, "1e-04"),
            (0.00011, "0.00011"),
            (0.7, "0.7"),
            (1.0, "1.0"),
            (-2.5, "-2.5"),
            (42780.0, "42780.0"),
        ];
        for (f, want) in cases {
            assert_eq!(float32_repr(f), want, "str(np.float32({f:?}))");
        }
    }

    /// `str(np.float16(x))`.
    #[test]
    fn matches_numpy_float16_str() {
        assert_eq!(float_text(F16::from_f64(0.1).to_f64(), Bits::F16), "0.1");
        assert_eq!(float_text(42780.0, Bits::F16), "4.278e+04");
    }

    #[test]
    fn writes_into_a_stack_buffer() {
        let mut buf = StackBuf::new();
        write_float(&mut buf, -2.5987625122070312e-05, Bits::F64).unwrap();
        assert_eq!(buf.as_str(), "-2.5987625122070312e-05");
    }
}
