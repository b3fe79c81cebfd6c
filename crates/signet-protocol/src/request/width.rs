//! The column-count guard (`signet serve --max-columns`): a single pass over the raw body that
//! finds whether the request is wider than a limit, before any of it is parsed or built.
//!
//! What counts as a column:
//! * JSON: the keys of any object (record rows, `inputs` / `instances` dicts), the items of a
//!   `columns` array, and the items of a list nested in a list (a `dataframe_split` / `instances`
//!   row). Top-level lists of rows or scalars are rows, not columns, and are not counted.
//! * CSV: the fields of the header line.
//!
//! Every column takes at least two bytes of body, so a body shorter than twice the limit is
//! never scanned. UTF-16/32 JSON bodies and Parquet bodies are not scanned (their readers
//! bound the width by the body size limit).

use super::RequestError;

/// The default of `--max-columns`.
pub const DEFAULT_MAX_COLUMNS: usize = 65_536;

/// The 400 answer to a request with `width` (or more) columns against a limit of `max`.
pub fn too_wide_error(width: usize, max: usize) -> RequestError {
    RequestError::invalid_input(format!(
        "The request has at least {width} columns, more than this server accepts ({max}; \
         see `signet serve --max-columns`)."
    ))
}

/// Refuses a body wider than `max` columns (see the module documentation), for the media
/// type of `content_type`. Linear in the body size, and free for bodies under `2 * max` bytes.
pub fn check_width(
    content_type: Option<&str>,
    body: &[u8],
    max: usize,
) -> Result<(), RequestError> {
    if body.len() < max.saturating_mul(2) {
        return Ok(());
    }
    let media = content_type
        .and_then(|c| c.split(';').next())
        .map(str::trim)
        .unwrap_or("");
    let width = match media {
        "application/json" => json_width(body, max),
        "text/csv" => csv_header_width(body, max),
        _ => None,
    };
    match width {
        Some(w) => Err(too_wide_error(w, max)),
        None => Ok(()),
    }
}

/// One open JSON container.
struct Open {
    /// Counted as columns (see the module documentation).
    counted: bool,
    /// An array (else an object).
    array: bool,
    /// Separators seen so far.
    commas: usize,
}

/// The width (`max + 1`) as soon as a counted container holds more than `max` items; `None`
/// when none does. Malformed JSON is left to the parser (this pass only counts).
fn json_width(s: &[u8], max: usize) -> Option<usize> {
    if s.iter().take(4).any(|&b| b == 0) {
        return None; // UTF-16/32: left to the parser.
    }
    let mut stack: Vec<Open> = Vec::new();
    // The last object key read, when the value after it has not started yet is `columns`.
    let mut columns_key = false;
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < s.len() && s[i] != b'"' {
                    i += if s[i] == b'\\' { 2 } else { 1 };
                }
                if i >= s.len() {
                    return None; // An unterminated string: the parser's error.
                }
                let in_key_position = stack.last().is_some_and(|o| !o.array)
                    && s[i + 1..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b':');
                if in_key_position {
                    columns_key = s.get(start..i) == Some(b"columns".as_slice());
                }
            }
            b'[' | b'{' => {
                let array = s[i] == b'[';
                let counted = match stack.last() {
                    _ if !array => true,
                    Some(parent) if parent.array => true,
                    Some(_) => columns_key,
                    None => false,
                };
                stack.push(Open {
                    counted,
                    array,
                    commas: 0,
                });
                columns_key = false;
            }
            b']' | b'}' => {
                stack.pop();
            }
            b',' => {
                if let Some(top) = stack.last_mut() {
                    top.commas += 1;
                    if top.counted && top.commas >= max {
                        return Some(max + 1);
                    }
                }
                columns_key = false;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The header line's field count (`max + 1` once past `max`), commas inside double quotes
/// excepted.
fn csv_header_width(s: &[u8], max: usize) -> Option<usize> {
    let mut quoted = false;
    let mut commas = 0usize;
    for &b in s {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                commas += 1;
                if commas >= max {
                    return Some(max + 1);
                }
            }
            b'\n' if !quoted => break,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use signet_testkit::workloads::wide_split;

    #[test]
    fn counts_split_columns_rows_and_record_keys() {
        let keys: Vec<String> = (0..11).map(|i| format!("\"k{i}\": 1")).collect();
        for (body, width) in [
            (wide_split(&[], 10), None),
            (wide_split(&[], 11), Some(11)),
            // A wide row without a `columns` list is caught by the row itself.
            (
                format!("{{\"instances\": [[{}]]}}", ["1"; 11].join(",")).into_bytes(),
                Some(11),
            ),
            (
                format!("{{\"dataframe_records\": [{{{}}}]}}", keys.join(", ")).into_bytes(),
                Some(11),
            ),
        ] {
            let text = String::from_utf8_lossy(&body);
            assert_eq!(json_width(&body, 10), width, "{text}");
        }
    }

    #[test]
    fn long_lists_of_rows_or_scalars_are_not_columns() {
        for body in [
            format!("{{\"instances\": [{}]}}", vec!["[1, 2]"; 50].join(",")),
            format!("{{\"inputs\": [{}]}}", vec!["1"; 50].join(",")),
            // Commas and brackets inside strings are text.
            format!("{{\"inputs\": [[\"{}\"]]}}", vec!["a,[b]"; 50].join("")),
        ] {
            assert_eq!(json_width(body.as_bytes(), 10), None, "{body}");
        }
    }

    #[test]
    fn csv_counts_the_header_only() {
        for (body, width) in [
            (format!("{}\n1", ["a"; 11].join(",")), Some(11)),
            (format!("\"{}\",b\n", vec!["x"; 20].join(",")), None),
            (format!("a,b\n{}\n", vec!["1"; 30].join(",")), None),
        ] {
            assert_eq!(csv_header_width(body.as_bytes(), 10), width, "{body}");
        }
    }

    #[test]
    fn short_bodies_are_not_scanned_and_the_error_is_a_400() {
        let body = wide_split(&[], 11);
        assert!(check_width(Some("application/json"), &body, 10_000).is_ok());
        let e =
            check_width(Some("application/json; charset=utf-8"), &body, 10).expect_err("too wide");
        assert_eq!(e.status, 400);
        assert_eq!(e.error_code, Some("BAD_REQUEST"));
        assert!(e.message.contains("--max-columns"), "{}", e.message);
    }
}
