//! CSV text cells read as the type the schema declares for their column.

use super::*;

/// Whether ISO date-time text carries a zone (`Z`, `+01:00`, `-0500` after the time).
pub(super) fn has_zone(text: &str) -> bool {
    let t = text.trim();
    let Some(pos) = t.find(['T', ' ']) else {
        return false;
    };
    let time = &t[pos + 1..];
    time.ends_with('Z') || time.contains(['+', '-'])
}

/// Why CSV cell `text` cannot be a value of scalar type `t` (`None`: it can).
pub(super) fn text_cell_problem(t: DataType, text: &str) -> Option<String> {
    let missing = is_na(text);
    match t {
        DataType::Long | DataType::Integer => {
            if missing {
                return Some("missing value: integer columns cannot hold missing values".into());
            }
            match parse_int(text) {
                Some(i) => {
                    let (lo, hi) = int_range(t);
                    (i < lo || i > hi)
                        .then(|| format!("{} is out of the {} range", i, t.numpy_text()))
                }
                None => Some(match parse_float(text) {
                    Some(f) if f.is_finite() && f.fract() == 0.0 => {
                        "a decimal number, not an integer (pandas reads it as float64)".into()
                    }
                    Some(f) if f.is_finite() => "not an integer: it has a fractional part".into(),
                    Some(_) => "not a finite number".into(),
                    None if text.len() > 40 => "not an integer".into(),
                    None => format!("not an integer ({} is text)", repr::py_str(text.trim())),
                }),
            }
        }
        DataType::Double | DataType::Float => {
            if missing || parse_float(text).is_some() {
                let too_big = t == DataType::Float
                    && parse_float(text).is_some_and(|f| f.is_finite() && (f as f32).is_infinite());
                return too_big.then(|| "out of the float32 range".into());
            }
            Some("not a number".into())
        }
        DataType::Boolean => (!missing && parse_bool(text).is_none())
            .then(|| "not a boolean (pandas reads True/TRUE/true and False/FALSE/false)".into()),
        DataType::String | DataType::Binary => None,
        DataType::Datetime => {
            if missing {
                return None;
            }
            match crate::numpy::parse_iso_datetime(text.trim()) {
                Some(_) if has_zone(text) => Some(
                    "a timezone-aware datetime: MLflow requires timezone-naive datetimes".into(),
                ),
                Some(_) => None,
                None => Some("not a date or date-time (ISO 8601, e.g. 2020-01-31 12:00:00)".into()),
            }
        }
    }
}

/// Whether a CSV cell (its bytes as the tokenizer gives them) is a valid value of scalar type
/// `t`: exactly when [`text_cell_violation`] finds nothing, with the common spellings (plain
/// integers and decimals, the empty cell) decided from the bytes without parsing.
pub fn text_cell_valid(t: DataType, cell: &[u8]) -> bool {
    let digits = |b: &[u8], max: usize| {
        let b = b.strip_prefix(b"-").unwrap_or(b);
        !b.is_empty() && b.len() <= max && b.iter().all(u8::is_ascii_digit)
    };
    let decimal = |b: &[u8]| {
        let b = b.strip_prefix(b"-").unwrap_or(b);
        let (whole, fraction) = match b.iter().position(|&c| c == b'.') {
            Some(dot) => (&b[..dot], &b[dot + 1..]),
            None => (b, &b[..0]),
        };
        !whole.is_empty()
            && whole.iter().all(u8::is_ascii_digit)
            && fraction.iter().all(u8::is_ascii_digit)
    };
    let quick = match t {
        DataType::String | DataType::Binary => return true,
        // 18 digits are within int64, 9 within int32.
        DataType::Long => digits(cell, 18),
        DataType::Integer => digits(cell, 9),
        DataType::Double => cell.is_empty() || decimal(cell),
        // Under 31 characters a decimal is within the float32 range.
        DataType::Float => cell.is_empty() || (cell.len() <= 30 && decimal(cell)),
        DataType::Boolean | DataType::Datetime => cell.is_empty(),
    };
    quick || std::str::from_utf8(cell).is_ok_and(|text| text_cell_problem(t, text).is_none())
}

/// The violation of CSV cell `text` at 0-based `row` of column `column` declared as scalar
/// type `t`, if it cannot be a value of that type.
pub fn text_cell_violation(t: DataType, column: &str, row: usize, text: &str) -> Option<Violation> {
    text_cell_problem(t, text).map(|reason| Violation {
        column: column.to_string(),
        row: Some(row),
        value: Some(text.to_string()),
        reason,
        refusal: None,
    })
}

pub(super) fn check_text_column(
    spec: &ColSpec,
    col: &Column,
    cells: &StringArray,
    row_offset: usize,
    compat: Compat,
    out: &mut Vec<Violation>,
) {
    let text_at = |i: usize| if cells.is_null(i) { "" } else { cells.value(i) };
    match &spec.ty {
        ColType::Scalar(t) => {
            for i in 0..cells.len() {
                out.extend(text_cell_violation(
                    *t,
                    &col.name,
                    row_offset + i,
                    text_at(i),
                ));
            }
        }
        ColType::Any => {}
        _ => {
            // Composite cells are JSON text; the parsed values are checked as an object column.
            let mut values = Vec::with_capacity(cells.len());
            let mut rows = Vec::with_capacity(cells.len());
            for i in 0..cells.len() {
                let text = text_at(i);
                if is_na(text) {
                    values.push(Value::None);
                    rows.push(i);
                    continue;
                }
                match pyjson::loads(text) {
                    Ok(v) => {
                        values.push(v);
                        rows.push(i);
                    }
                    Err(e) => out.push(Violation {
                        column: col.name.clone(),
                        row: Some(row_offset + i),
                        value: Some(text.to_string()),
                        reason: format!(
                            "not valid JSON for {} ({} at column {})",
                            repr::coltype_repr(&spec.ty),
                            e.msg,
                            e.column
                        ),
                        refusal: None,
                    }),
                }
            }
            let (field, array) = table::object_column(col.field.name(), &values);
            let metadata = merged_metadata(&col.field, &field);
            let field = Arc::new(field.with_metadata(metadata));
            let parsed = Column {
                field,
                array,
                name: col.name.clone(),
            };
            let mut found = Vec::new();
            check_column(spec, &parsed, 0, compat, &mut found);
            for mut v in found {
                if let Some(r) = v.row {
                    v.row = Some(row_offset + rows[r]);
                    v.value = Some(text_at(rows[r]).to_string());
                }
                out.push(v);
            }
        }
    }
}

/// The new field's metadata plus the label kind of the original field.
pub(super) fn merged_metadata(
    original: &Field,
    new: &Field,
) -> std::collections::HashMap<String, String> {
    let mut md = new.metadata().clone();
    if let Some(kind) = original.metadata().get(table::LABEL_KIND_KEY) {
        md.insert(table::LABEL_KIND_KEY.to_string(), kind.clone());
    }
    md
}
