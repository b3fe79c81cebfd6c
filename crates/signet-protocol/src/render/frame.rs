//! pandas 3's `str()` of DataFrames and Series, as MLflow embeds them in its messages.
//!
//! This follows pandas' `DataFrameFormatter` / `StringFormatter` / `SeriesFormatter` with the
//! options a non-interactive MLflow process has: `display.width` 80 with `max_columns` 0 (so
//! frames wider than the 80-column terminal drop middle columns for a `...` column),
//! `max_rows` 60 / `min_rows` 10 (longer frames show 5 head and 5 tail rows around `..`),
//! `max_colwidth` 50, `precision` 6, `show_dimensions='truncate'`. The row index is the
//! default `RangeIndex` (signet tables carry no index).
//!
//! Cells are formatted per column the way pandas' `format_array` does for the column's dtype:
//! integers `' 1500'`; numpy floats with a shared number of decimals (`1.25`/`3.50`, `NaN`,
//! scientific `1.000000e-07` when values are tiny or long and huge); bools `' True'`;
//! datetimes without a leading space at the resolution the column needs; nullable dtypes with
//! `<NA>`; `str` columns with `NaN`; `object` cells through pandas' `pprint_thing` (strings
//! bare, `None`, nested lists and dicts with pandas' own quoting quirks).

use super::num::{py_exp, py_fixed, trim_zeros_single, Bits};
use super::pyrepr::numpy::{array_str, element, sub_tensor};
use super::pyrepr::{float_bits, py_str_value};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType, DurationSecondType,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field, TimeUnit as ArrowUnit};
use chrono::{NaiveDateTime, Timelike};
use signet::input::Series;
use signet::table::{array_value, column_label, dtype_info, py_value, DtypeInfo};
use signet::types::ColumnName;
use signet::value::Value;

type HalfF16 = <arrow_array::types::Float16Type as arrow_array::ArrowPrimitiveType>::Native;

const WIDTH: usize = 80;
const MAX_ROWS: usize = 60;
const MIN_ROWS: usize = 10;
const MAX_COLWIDTH: usize = 50;
const MAX_SEQ_ITEMS: usize = 100;
const NEST_DEPTH: usize = 3;
const PRECISION: usize = 6;

fn clen(s: &str) -> usize {
    s.chars().count()
}

/// `s` padded with spaces to `width` characters, `left(padding)` of them before it.
fn pad(s: &str, width: usize, left: impl Fn(usize) -> usize) -> String {
    let n = clen(s);
    if n >= width {
        return s.to_string();
    }
    let pad = width - n;
    let left = left(pad);
    format!("{}{s}{}", " ".repeat(left), " ".repeat(pad - left))
}

/// Python's `str.rjust`.
fn rjust(s: &str, width: usize) -> String {
    pad(s, width, |pad| pad)
}

/// Python's `str.ljust`.
fn ljust(s: &str, width: usize) -> String {
    pad(s, width, |_| 0)
}

/// Python's `str.center`.
fn center(s: &str, width: usize) -> String {
    pad(s, width, |pad| pad / 2 + (pad & width & 1))
}

/// pandas' `_make_fixed_width` (right-justified): pads to the widest string (at least
/// `minimum`), cutting strings longer than `max_colwidth` to `...`.
fn make_fixed_width(strings: Vec<String>, minimum: usize) -> (Vec<String>, usize) {
    if strings.is_empty() {
        return (strings, 0);
    }
    let mut max_len = strings
        .iter()
        .map(|s| clen(s))
        .max()
        .unwrap_or(0)
        .max(minimum);
    if max_len > MAX_COLWIDTH {
        max_len = MAX_COLWIDTH;
    }
    let keep = max_len.saturating_sub(3);
    let placeholder = &"..."[..max_len - keep];
    let out = strings
        .into_iter()
        .map(|s| {
            let s = if clen(&s) > max_len {
                let head: String = s.chars().take(keep).collect();
                format!("{head}{placeholder}")
            } else {
                s
            };
            rjust(&s, max_len)
        })
        .collect();
    (out, max_len)
}

/// pandas' `adjoin`: glues columns side by side, each padded to its widest cell plus `space`.
fn adjoin(space: usize, cols: &[Vec<String>]) -> String {
    if cols.is_empty() {
        return String::new();
    }
    let n = cols.len();
    let lengths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.iter().map(|s| clen(s)).max().unwrap_or(0) + if i + 1 < n { space } else { 0 }
        })
        .collect();
    let rows = cols.iter().map(Vec::len).max().unwrap_or(0);
    let mut lines = Vec::with_capacity(rows);
    for r in 0..rows {
        let mut line = String::new();
        for (i, c) in cols.iter().enumerate() {
            // Shorter columns are padded at the top.
            let missing = rows - c.len();
            let cell = if r < missing {
                ""
            } else {
                c[r - missing].as_str()
            };
            line.push_str(&ljust(cell, lengths[i]));
        }
        lines.push(line);
    }
    lines.join("\n")
}

// ---------------------------------------------------------------------------------------------
// pprint_thing

fn is_float_value(v: &Value) -> bool {
    match v {
        Value::Float(_) => true,
        Value::Numpy(d, _) => float_bits(*d).is_some(),
        _ => false,
    }
}

fn float_of(v: &Value) -> f64 {
    match v {
        Value::Float(f) => *f,
        Value::Numpy(_, inner) => float_of(inner),
        Value::Int(i) => *i as f64,
        _ => f64::NAN,
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(
        v,
        Value::List(_) | Value::Tuple(_) | Value::Dict(_) | Value::Ndarray(_)
    )
}

fn escape(s: String) -> String {
    if s.contains(['\t', '\r', '\n']) {
        s.replace('\t', "\\t")
            .replace('\r', "\\r")
            .replace('\n', "\\n")
    } else {
        s
    }
}

/// The items of a sequence as pandas iterates them (numpy scalars / sub-arrays for arrays).
fn seq_items(v: &Value) -> Option<(Vec<Value>, &'static str, &'static str, bool)> {
    match v {
        Value::List(items) => Some((items.clone(), "[", "]", false)),
        Value::Tuple(items) => Some((items.clone(), "(", ")", true)),
        Value::Ndarray(t) if !t.shape.is_empty() => {
            let n = t.shape[0];
            let items = if t.shape.len() == 1 {
                (0..n).map(|i| element(t, i)).collect()
            } else {
                (0..n)
                    .map(|i| Value::Ndarray(Box::new(sub_tensor(t, i))))
                    .collect()
            };
            Some((items, "[", "]", false))
        }
        _ => None,
    }
}

/// pandas' `pprint_thing(thing, escape_chars=..., quote_strings=...)`.
fn pprint(v: &Value, nest: usize, esc: bool, quote: bool) -> String {
    if is_scalar(v) || matches!(v, Value::Ndarray(t) if t.shape.is_empty()) {
        let s = match v {
            Value::Ndarray(t) => array_str(t),
            other => py_str_value(other),
        };
        let s = if esc { escape(s) } else { s };
        return if quote && matches!(v, Value::Str(_)) {
            format!("'{s}'")
        } else {
            s
        };
    }
    if nest < NEST_DEPTH {
        if let Value::Dict(items) = v {
            let mut parts: Vec<String> = items
                .iter()
                .take(MAX_SEQ_ITEMS)
                .map(|(k, val)| {
                    format!(
                        "{}: {}",
                        pprint(k, nest + 1, false, true),
                        pprint(val, nest + 1, false, true)
                    )
                })
                .collect();
            if items.len() > MAX_SEQ_ITEMS {
                parts.push("...".into());
            }
            return format!("{{{}}}", parts.join(", "));
        }
        if let Some((items, open, close, tuple)) = seq_items(v) {
            let parts: Vec<String> = items
                .iter()
                .take(MAX_SEQ_ITEMS)
                .map(|item| {
                    if is_float_value(item) && !item.is_missing() {
                        let text = trim_zeros_single(py_fixed(float_of(item), PRECISION, false));
                        pprint(&Value::Str(text), nest + 1, esc, quote)
                    } else {
                        pprint(item, nest + 1, esc, quote)
                    }
                })
                .collect();
            let mut body = parts.join(", ");
            if items.len() > MAX_SEQ_ITEMS {
                body.push_str(", ...");
            } else if tuple && items.len() == 1 {
                body.push(',');
            }
            return format!("{open}{body}{close}");
        }
    }
    let s = py_str_value(v);
    if esc {
        escape(s)
    } else {
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Column cells (pandas' `format_array`)

/// A cell of an object-like column as a Python value (`tolist()` semantics).
fn cell_value(field: &Field, array: &dyn Array, info: &DtypeInfo, i: usize) -> Value {
    if array.is_null(i) {
        info.missing_value()
    } else {
        py_value(Some(field), array, i)
    }
}

/// `_GenericArrayFormatter` on Python values: missing markers, floats with 6 decimals (zeros
/// trimmed per value), everything else through `pprint_thing` after a space.
fn generic_cells(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .map(|v| {
            if is_scalar(v) && v.is_missing() {
                let text = match v {
                    Value::None => "None",
                    Value::NA => "<NA>",
                    Value::NaT => "NaT",
                    _ => "NaN",
                };
                format!(" {text}")
            } else if is_float_value(v) {
                trim_zeros_single(py_fixed(float_of(v), PRECISION, true))
            } else {
                format!(" {}", pprint(v, 0, true, false))
            }
        })
        .collect()
}

/// pandas' `_trim_zeros_float`: trims trailing zeros equally from all decimal numbers.
fn trim_zeros_float(strs: Vec<String>) -> Vec<String> {
    fn is_number(s: &str) -> bool {
        let t = s.trim_start();
        let t = t.strip_prefix(['+', '-']).unwrap_or(t);
        match t.split_once('.') {
            Some((i, f)) => {
                !i.is_empty()
                    && i.bytes().all(|b| b.is_ascii_digit())
                    && f.bytes().all(|b| b.is_ascii_digit())
            }
            None => false,
        }
    }
    let numbers: Vec<bool> = strs.iter().map(|s| is_number(s)).collect();
    if !numbers.iter().any(|&b| b) {
        return strs;
    }
    let mut strs = strs;
    loop {
        let all_zero = strs
            .iter()
            .zip(&numbers)
            .filter(|(_, &n)| n)
            .all(|(s, _)| s.ends_with('0'));
        if !all_zero {
            break;
        }
        for (s, &n) in strs.iter_mut().zip(&numbers) {
            if n {
                s.pop();
            }
        }
    }
    for (s, &n) in strs.iter_mut().zip(&numbers) {
        if n && s.ends_with('.') {
            s.push('0');
        }
    }
    strs
}

/// `FloatArrayFormatter` for numpy float columns (NaN = missing). The thresholds deciding
/// scientific notation are cast to the column's dtype first (numpy 2 semantics): for `float16`
/// `1e6` becomes `inf` and `1e-6` the nearest `float16`.
fn float_cells(values: &[f64], bits: Bits) -> Vec<String> {
    // Every value through `format` (`NaN` for a missing one), trailing zeros trimmed alike.
    let cells = |format: fn(f64, usize, bool) -> String| -> Vec<String> {
        let strs = values
            .iter()
            .map(|&f| {
                if f.is_nan() {
                    "NaN".to_string()
                } else {
                    format(f, PRECISION, true)
                }
            })
            .collect();
        trim_zeros_float(strs)
    };
    let fixed = cells(py_fixed);
    let maxlen = fixed.iter().map(|s| clen(s)).max().unwrap_or(0);
    let too_long = maxlen > PRECISION + 6;
    let (large, small) = match bits {
        Bits::F64 => (1e6, 1e-6),
        Bits::F32 => (1e6, 1e-6f32 as f64),
        Bits::F16 => (f64::INFINITY, HalfF16::from_f64(1e-6).to_f64()),
    };
    let has_large = values.iter().any(|f| f.abs() > large);
    let has_small = values.iter().any(|f| f.abs() < small && f.abs() > 0.0);
    if has_small || (too_long && has_large) {
        return cells(py_exp);
    }
    fixed
}

/// The `+HH:MM` suffix pandas prints for a column's time zone (`UTC` = `+00:00`; zones
/// that are not fixed offsets are shown as UTC, which is how signet stores them).
pub(crate) fn tz_offset_suffix(tz: &str) -> String {
    if tz.eq_ignore_ascii_case("utc") || tz == "Z" {
        return "+00:00".into();
    }
    let (sign, rest) = match tz.as_bytes().first() {
        Some(b'+') => ('+', &tz[1..]),
        Some(b'-') => ('-', &tz[1..]),
        _ => return "+00:00".into(),
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => (&rest[..2], &rest[2..]),
        None => (rest, "0"),
    };
    match (h.parse::<u32>(), m.parse::<u32>()) {
        (Ok(h), Ok(m)) => format!("{sign}{h:02}:{m:02}"),
        _ => "+00:00".into(),
    }
}

/// `_Datetime64Formatter`: `2020-01-01` when every value is a midnight (naive columns only),
/// else `2020-01-01 12:00:00` with the fraction digits the finest value needs; tz-aware
/// columns append the offset.
fn datetime_cells(array: &dyn Array, rows: &[usize]) -> Vec<String> {
    let tz = match array.data_type() {
        DataType::Timestamp(_, Some(tz)) => Some(tz_offset_suffix(tz)),
        _ => None,
    };
    let values: Vec<Option<NaiveDateTime>> = rows
        .iter()
        .map(|&i| match array_value(array, i) {
            Value::Datetime64(dt, _) => Some(dt),
            _ => None,
        })
        .collect();
    let present = values.iter().flatten();
    let dates_only = tz.is_none()
        && present
            .clone()
            .all(|dt| dt.num_seconds_from_midnight() == 0 && dt.nanosecond() == 0);
    let mut digits = 0;
    for dt in present {
        let n = dt.nanosecond() % 1_000_000_000;
        let d = if n % 1000 != 0 {
            9
        } else if n % 1_000_000 != 0 {
            6
        } else if n != 0 {
            3
        } else {
            0
        };
        digits = digits.max(d);
    }
    values
        .iter()
        .map(|v| match v {
            None => "NaT".to_string(),
            Some(dt) if dates_only => dt.format("%Y-%m-%d").to_string(),
            Some(dt) => {
                let mut s = dt.format("%Y-%m-%d %H:%M:%S").to_string();
                let n = dt.nanosecond() % 1_000_000_000;
                match digits {
                    9 => s.push_str(&format!(".{n:09}")),
                    6 => s.push_str(&format!(".{:06}", n / 1000)),
                    3 => s.push_str(&format!(".{:03}", n / 1_000_000)),
                    _ => {}
                }
                if let Some(tz) = &tz {
                    s.push_str(tz);
                }
                s
            }
        })
        .collect()
}

fn duration_ns(array: &dyn Array, i: usize) -> Option<i128> {
    let (v, mult) = match array.data_type() {
        DataType::Duration(ArrowUnit::Second) => (
            array.as_primitive_opt::<DurationSecondType>()?.value(i),
            1_000_000_000i128,
        ),
        DataType::Duration(ArrowUnit::Millisecond) => (
            array
                .as_primitive_opt::<DurationMillisecondType>()?
                .value(i),
            1_000_000,
        ),
        DataType::Duration(ArrowUnit::Microsecond) => (
            array
                .as_primitive_opt::<DurationMicrosecondType>()?
                .value(i),
            1000,
        ),
        DataType::Duration(ArrowUnit::Nanosecond) => (
            array.as_primitive_opt::<DurationNanosecondType>()?.value(i),
            1,
        ),
        _ => return None,
    };
    Some(v as i128 * mult)
}

/// `_Timedelta64Formatter` (pandas' `Timedelta._repr_base`): `1 days`, `0 days 00:00:01`,
/// `-1 days +23:59:59.999999999`.
fn timedelta_cells(array: &dyn Array, rows: &[usize]) -> Vec<String> {
    const DAY: i128 = 86_400_000_000_000;
    let values: Vec<Option<i128>> = rows
        .iter()
        .map(|&i| {
            if array.is_null(i) {
                None
            } else {
                duration_ns(array, i)
            }
        })
        .collect();
    let present: Vec<i128> = values.iter().flatten().copied().collect();
    let ns_unit = matches!(array.data_type(), DataType::Duration(ArrowUnit::Nanosecond));
    let format = if present.iter().all(|v| v % DAY == 0) {
        "none"
    } else if present.iter().all(|v| v % 1_000_000_000 == 0) {
        "long"
    } else if ns_unit && present.iter().any(|v| v % 1000 != 0) {
        "all"
    } else {
        "us"
    };
    values
        .iter()
        .map(|v| match v {
            None => "NaT".to_string(),
            Some(total) => {
                let days = total.div_euclid(DAY);
                let rem = total.rem_euclid(DAY);
                let sign = if *total < 0 { " +" } else { " " };
                let (h, m, s) = (
                    rem / 3_600_000_000_000,
                    (rem / 60_000_000_000) % 60,
                    (rem / 1_000_000_000) % 60,
                );
                let frac = rem % 1_000_000_000;
                let (ms, us, ns) = (frac / 1_000_000, (frac / 1000) % 1000, frac % 1000);
                let subs = h != 0 || m != 0 || s != 0 || frac != 0;
                if format == "all" {
                    format!("{days} days{sign}{h:02}:{m:02}:{s:02}.{ms:03}{us:03}{ns:03}")
                } else {
                    let secs = if frac != 0 {
                        let mut t = format!("{s:02}.{ms:03}{us:03}");
                        if ns != 0 {
                            t.push_str(&format!("{ns:03}"));
                        }
                        t
                    } else {
                        format!("{s:02}")
                    };
                    if subs || format == "long" {
                        format!("{days} days{sign}{h:02}:{m:02}:{secs}")
                    } else {
                        format!("{days} days")
                    }
                }
            }
        })
        .collect()
}

/// pandas' `format_array` for the given rows of a column, made fixed-width (right-justified).
fn format_column(field: &Field, array: &dyn Array, rows: &[usize]) -> Vec<String> {
    let info = dtype_info(field, array);
    let cells = if info.is_nullable_extension() || info.kind == 'O' {
        let values: Vec<Value> = rows
            .iter()
            .map(|&i| cell_value(field, array, &info, i))
            .collect();
        generic_cells(&values)
    } else {
        match info.kind {
            'i' | 'u' => rows
                .iter()
                .map(|&i| match py_value(None, array, i) {
                    Value::Int(v) if v < 0 => v.to_string(),
                    Value::Int(v) => format!(" {v}"),
                    other => format!(" {}", py_str_value(&other)),
                })
                .collect(),
            'f' => {
                let bits = match array.data_type() {
                    DataType::Float16 => Bits::F16,
                    DataType::Float32 => Bits::F32,
                    _ => Bits::F64,
                };
                let floats: Vec<f64> = rows
                    .iter()
                    .map(|&i| match py_value(None, array, i) {
                        Value::Float(f) => f,
                        _ => f64::NAN,
                    })
                    .collect();
                float_cells(&floats, bits)
            }
            'b' => rows
                .iter()
                .map(|&i| match py_value(None, array, i) {
                    Value::Bool(true) => " True".to_string(),
                    _ => " False".to_string(),
                })
                .collect(),
            'M' => datetime_cells(array, rows),
            'm' => timedelta_cells(array, rows),
            _ => {
                let values: Vec<Value> = rows
                    .iter()
                    .map(|&i| cell_value(field, array, &info, i))
                    .collect();
                generic_cells(&values)
            }
        }
    };
    make_fixed_width(cells, 0).0
}

/// pandas' `is_numeric_dtype` (column labels of numeric columns get a leading space).
fn is_numeric(info: &DtypeInfo) -> bool {
    matches!(info.kind, 'b' | 'i' | 'u' | 'f' | 'c')
}

// ---------------------------------------------------------------------------------------------
// Labels and indexes

fn label_text(label: &ColumnName) -> String {
    match label {
        ColumnName::Str(s) => escape(s.clone()),
        ColumnName::Int(i) => i.to_string(),
    }
}

/// `columns._format_flat()`: integer labels left-justified to a common width; string (or
/// mixed) labels as they are.
fn label_texts(labels: &[ColumnName]) -> Vec<String> {
    let texts: Vec<String> = labels.iter().map(label_text).collect();
    if labels.iter().all(|l| matches!(l, ColumnName::Int(_))) {
        let w = texts.iter().map(|s| clen(s)).max().unwrap_or(0);
        texts.iter().map(|s| ljust(s, w)).collect()
    } else {
        texts
    }
}

/// `pprint_thing` of an Index: `[a, b]`, at most 100 items then `...`.
fn pprint_index(items: impl ExactSizeIterator<Item = String>) -> String {
    let n = items.len();
    let mut parts: Vec<String> = items.take(MAX_SEQ_ITEMS).collect();
    if n > MAX_SEQ_ITEMS {
        parts.push("...".into());
    }
    format!("[{}]", parts.join(", "))
}

fn shown_rows(n: usize) -> (Vec<usize>, Option<usize>) {
    if n > MAX_ROWS {
        let half = MIN_ROWS.min(MAX_ROWS) / 2;
        let mut rows: Vec<usize> = (0..half).collect();
        rows.extend(n - half..n);
        (rows, Some(half))
    } else {
        ((0..n).collect(), None)
    }
}

/// Python 3's `round(n / 2)` (ties to even).
fn round_half(n: usize) -> usize {
    let k = n / 2;
    if n % 2 == 1 && k % 2 == 1 {
        k + 1
    } else {
        k
    }
}

/// `StringFormatter._fit_strcols_to_terminal_width`: drops middle columns (for a ` ...`
/// column) until the frame fits the 80-character terminal. Returns the text and whether
/// columns were dropped.
fn fit_to_width(strcols: Vec<Vec<String>>) -> (String, Option<usize>) {
    let col_lens: Vec<usize> = strcols
        .iter()
        .map(|c| c.iter().map(|s| clen(s)).max().unwrap_or(0))
        .collect();
    let mut n_cols = col_lens.len();
    let total: usize = col_lens.iter().sum::<usize>() + n_cols - 1;
    let mut adj_dif = total as i64 - WIDTH as i64 + 1;
    if adj_dif <= 0 {
        return (adjoin(1, &strcols), None);
    }
    adj_dif += 5;
    let mut lens = col_lens;
    while adj_dif > 0 && n_cols > 1 {
        let mid = round_half(n_cols).min(lens.len() - 1);
        adj_dif -= lens.remove(mid) as i64 + 1;
        n_cols -= 1;
    }
    let max_cols_fitted = n_cols.saturating_sub(1).max(2);
    let num_data_cols = strcols.len() - 1;
    if max_cols_fitted >= num_data_cols {
        return (adjoin(1, &strcols), Some(max_cols_fitted));
    }
    let col_num = max_cols_fitted / 2;
    let rows = strcols[0].len();
    let mut kept: Vec<Vec<String>> = strcols[..col_num + 1].to_vec();
    kept.push(vec![" ...".to_string(); rows]);
    kept.extend_from_slice(&strcols[strcols.len() - col_num..]);
    (adjoin(1, &kept), Some(max_cols_fitted))
}

/// `str(DataFrame)` as pandas 3.1 prints it in a non-interactive process.
pub fn frame_str(batch: &RecordBatch) -> String {
    let nrows = batch.num_rows();
    let ncols = batch.num_columns();
    let schema = batch.schema();
    let fields = schema.fields();
    let labels: Vec<ColumnName> = fields.iter().map(|f| column_label(f)).collect();
    if nrows == 0 || ncols == 0 {
        return format!(
            "Empty DataFrame\nColumns: {}\nIndex: {}",
            pprint_index(
                labels
                    .iter()
                    .map(label_text)
                    .collect::<Vec<_>>()
                    .into_iter()
            ),
            pprint_index(
                (0..nrows)
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .into_iter()
            ),
        );
    }
    // Columns beyond the 80-character screen width are cut before formatting.
    let (cols, tr_col_num): (Vec<usize>, Option<usize>) = if ncols > WIDTH {
        let half = WIDTH / 2;
        let mut c: Vec<usize> = (0..half).collect();
        c.extend(ncols - half..ncols);
        (c, Some(half))
    } else {
        ((0..ncols).collect(), None)
    };
    let (rows, tr_row_num) = shown_rows(nrows);
    let shown_labels: Vec<ColumnName> = cols.iter().map(|&j| labels[j].clone()).collect();
    let texts = label_texts(&shown_labels);
    let mut strcols: Vec<Vec<String>> = Vec::with_capacity(cols.len() + 2);
    // The index column: labels left-justified, an empty header.
    let idx: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
    let iw = idx.iter().map(|s| clen(s)).max().unwrap_or(0);
    let mut index_col = vec![String::new()];
    index_col.extend(idx.iter().map(|s| ljust(s, iw)));
    strcols.push(index_col);
    for (pos, &j) in cols.iter().enumerate() {
        // pandas decides the label's leading space from the dtype of the column at the same
        // position in the untruncated frame.
        let dtype_field = &fields[pos];
        let numeric = is_numeric(&dtype_info(dtype_field, batch.column(pos).as_ref()));
        let header = if numeric {
            format!(" {}", texts[pos])
        } else {
            texts[pos].clone()
        };
        let header_w = clen(&header);
        let values = format_column(&fields[j], batch.column(j).as_ref(), &rows);
        let (values, max_len) = make_fixed_width(values, header_w);
        let max_len = max_len.max(header_w);
        let mut col = vec![rjust(&header, max_len)];
        col.extend(values);
        strcols.push(col);
    }
    let index_length = strcols[0].len();
    if let Some(c) = tr_col_num {
        strcols.insert(c + 1, vec![" ...".to_string(); index_length]);
    }
    if let Some(row_num) = tr_row_num {
        for (ix, col) in strcols.iter_mut().enumerate() {
            let mut cwidth = col.get(row_num).map_or(0, |s| clen(s));
            let is_dot_col = tr_col_num.is_some_and(|c| ix == c + 1);
            let dots = if cwidth > 3 || is_dot_col {
                "..."
            } else {
                ".."
            };
            let dot_str = if ix == 0 {
                ljust(dots, cwidth)
            } else {
                if is_dot_col {
                    cwidth = 4;
                }
                rjust(dots, cwidth)
            };
            col.insert(row_num + 1, dot_str);
        }
    }
    let (mut text, fitted) = fit_to_width(strcols);
    let h_trunc = match fitted {
        Some(m) => ncols > m,
        None => tr_col_num.is_some(),
    };
    if h_trunc || tr_row_num.is_some() {
        text.push_str(&format!("\n\n[{nrows} rows x {ncols} columns]"));
    }
    text
}

/// `str(Series)` as pandas 3.1 prints it: index and values three spaces apart, then
/// `Name: ..., Length: ..., dtype: ...`.
pub fn series_str(s: &Series) -> String {
    let array = s.values.as_ref();
    let n = array.len();
    let (rows, tr_row_num) = shown_rows(n);
    let mut footer = Vec::new();
    if let Some(name) = &s.name {
        footer.push(format!("Name: {}", label_text(name)));
    }
    if tr_row_num.is_some() {
        footer.push(format!("Length: {n}"));
    }
    footer.push(format!("dtype: {}", dtype_info(&s.field, array).name));
    let footer = footer.join(", ");
    if n == 0 {
        return format!("Series([], {footer})");
    }
    let idx: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
    let iw = idx.iter().map(|x| clen(x)).max().unwrap_or(0);
    let mut index: Vec<String> = idx.iter().map(|x| ljust(x, iw)).collect();
    let mut values = format_column(&s.field, array, &rows);
    if let Some(row_num) = tr_row_num {
        let width = values.get(row_num - 1).map_or(0, |v| clen(v));
        let dots = if width > 3 { "..." } else { ".." };
        values.insert(row_num, center(dots, width));
        index.insert(row_num, String::new());
    }
    format!("{}\n{footer}", adjoin(3, &[index, values]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, Float64Array, Int64Array, StringArray};
    use std::sync::Arc;

    #[test]
    fn simple_frames() {
        let ints = |v: Vec<i64>| Arc::new(Int64Array::from(v)) as ArrayRef;
        let floats = |v: Vec<Option<f64>>| Arc::new(Float64Array::from(v)) as ArrayRef;
        let strs = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
        for (cols, want) in [
            (vec![("sqft", ints(vec![1500]))], "   sqft\n0  1500"),
            (
                vec![("sqft", floats(vec![Some(1500.0), None]))],
                "     sqft\n0  1500.0\n1     NaN",
            ),
            (
                vec![("a", ints(vec![1, 22])), ("b", strs(vec!["x", "yy"]))],
                "    a   b\n0   1   x\n1  22  yy",
            ),
            (
                vec![("f", floats(vec![Some(1.25), Some(3.5), Some(100.0)]))],
                "        f\n0    1.25\n1    3.50\n2  100.00",
            ),
        ] {
            let b = RecordBatch::try_from_iter(cols).unwrap();
            assert_eq!(frame_str(&b), want);
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(center("..", 3), " ..");
        assert_eq!(round_half(5), 2);
        assert_eq!(round_half(7), 4);
        assert_eq!(round_half(9), 4);
        assert_eq!(
            trim_zeros_float(vec![" 1.000000".into(), "NaN".into()]),
            vec![" 1.0".to_string(), "NaN".to_string()]
        );
    }
}
