//! One CSV cell read as pandas' C parser reads it (default options): missing values, integers,
//! floats and booleans. The parsers take the cell's text exactly as the tokenizer gave it.

/// pandas' default `na_values` (`pandas._libs.parsers.STR_NA_VALUES`) plus the empty cell:
/// cells read as missing.
pub const NA_VALUES: &[&str] = &[
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// Whether pandas reads the cell as a missing value.
pub fn is_na(cell: &str) -> bool {
    NA_VALUES.contains(&cell)
}

/// An integer: optional sign, decimal digits, surrounding spaces or tabs allowed. Integers
/// beyond 128 bits are not integers here (they stay text).
pub fn parse_int(cell: &str) -> Option<i128> {
    let t = cell.trim_matches([' ', '\t']);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.trim_start_matches('+').parse::<i128>().ok()
}

/// A float: decimal or scientific notation, `inf` / `infinity` with an optional sign (any
/// case), surrounding spaces or tabs allowed. NaN spellings that are not NA values are text.
pub fn parse_float(cell: &str) -> Option<f64> {
    let t = cell.trim_matches([' ', '\t']);
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t).to_ascii_lowercase();
    if unsigned == "inf" || unsigned == "infinity" {
        return Some(if t.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if unsigned.is_empty()
        || !unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
    {
        return None;
    }
    t.parse().ok()
}

/// pandas' boolean spellings: `true` / `false` in any case (`tRuE` too), nothing else.
pub fn parse_bool(cell: &str) -> Option<bool> {
    if cell.eq_ignore_ascii_case("true") {
        Some(true)
    } else if cell.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_pandas_reads_them() {
        assert_eq!(parse_int(" 1"), Some(1));
        assert_eq!(parse_int("+5"), Some(5));
        assert_eq!(parse_int("-12\t"), Some(-12));
        assert_eq!(parse_int("1_000"), None);
        assert_eq!(parse_int("0x10"), None);
        assert_eq!(parse_int("1.0"), None);
        assert_eq!(parse_float("1e5"), Some(1e5));
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("5."), Some(5.0));
        assert_eq!(parse_float("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float("INF"), Some(f64::INFINITY));
        assert_eq!(parse_float("1_000"), None);
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool("tRuE"), Some(true));
        assert_eq!(parse_bool("yes"), None);
        assert_eq!(parse_bool(" True"), None);
        assert!(is_na("") && is_na("<NA>") && is_na("-nan") && !is_na(" NA") && !is_na("NAN"));
    }
}
