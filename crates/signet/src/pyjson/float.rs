//! Python's `repr(float)`.

/// Python's `repr` of a float: shortest round-trip digits; scientific notation when the
/// decimal exponent is < -4 or >= 16 (`1e-07`, `1e+16`); integral values keep `.0`;
/// `nan`, `inf`, `-inf` for non-finite values.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "1.2345e-7", "1e16".
    let sci = format!("{:e}", f);
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` always has an exponent");
    let exp: i32 = exp.parse().expect("exponent is an integer");
    python_layout(mantissa, exp, (-4..16).contains(&exp))
}

/// numpy's `str` of a `float32` scalar (and the value inside its `repr`, `np.float32(0.7)`):
/// the shortest digits that round-trip through `float32`, positional only when
/// `1e-4 <= |x| < 1e6` (`999999.0`, `1e+06`, `1.2345679e+08`), else laid out as Python's.
pub fn float32_repr(f: f32) -> String {
    if !f.is_finite() || f == 0.0 {
        return float_repr(f64::from(f));
    }
    let sci = format!("{:e}", f);
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` always has an exponent");
    let exp: i32 = exp.parse().expect("exponent is an integer");
    let abs = f64::from(f).abs();
    python_layout(mantissa, exp, (1e-4..1e6).contains(&abs))
}

/// Lays out `{:e}`'s mantissa (shortest round-trip digits, `-1.2345`) and decimal exponent as
/// Python lays out floats: positional or scientific (`1e-07`, `1.5e+16`) as `positional` says;
/// integral values keep `.0`.
fn python_layout(mantissa: &str, exp: i32, positional: bool) -> String {
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut out = String::with_capacity(24);
    if neg {
        out.push('-');
    }
    if !positional {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        out.push_str(&a.to_string());
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(&digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{float32_repr, float_repr};

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
        ];
        for (f, want) in cases {
            assert_eq!(float32_repr(f), want, "str(np.float32({f:?}))");
        }
    }
}
