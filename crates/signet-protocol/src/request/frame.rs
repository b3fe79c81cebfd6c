//! `dataframe_split` and `dataframe_records` (docs/serving.md#dataframe-split, #dataframe-records, #json-column-typing, #schema-cast): MLflow's
//! `dataframe_from_parsed_json` followed by `cast_df_types_according_to_schema`.
//!
//! Two readers feed the same column builders: [`split_fast`] / [`records_fast`] read the common
//! shapes straight from the bytes, and [`split_from_value`] / [`records_from_value`] handle
//! any parsed value (the fast readers fall back to them for unusual shapes).

use super::cast::finish_table;
use super::columns::{ColumnBuilder, RowMode, TableBuilder};
use super::rows;
use super::scan::{Num, Scanner, Syntax};
use super::RequestError;
use arrow_array::RecordBatch;
use signet::enforce::Compat;
use signet::input::Tensor;
use signet::repr::{py_class, py_repr, py_set, py_str};
use signet::types::{ColumnName, Schema};
use signet::value::Value;

/// The outcome of reading one format value: the frame, or MLflow's error for it.
pub(crate) type Frame = Result<RecordBatch, RequestError>;

fn split_invalid(msg: &str) -> RequestError {
    RequestError::invalid_input(format!(
        "Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: '{msg}'"
    ))
}

fn records_invalid(msg: &str) -> RequestError {
    RequestError::invalid_input(format!(
        "Provided dataframe_records field is not a valid dataframe representation in 'records' format. Error: '{msg}'"
    ))
}

use signet::table::label_of_value as label_of;

fn default_labels(n: usize) -> Vec<ColumnName> {
    (0..n as i64).map(ColumnName::Int).collect()
}

/// `columns` of a split frame: `None` for absent / null.
fn split_columns(v: Option<&Value>) -> Result<Option<Vec<ColumnName>>, RequestError> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::List(items)) => Ok(Some(items.iter().map(label_of).collect())),
        Some(other) => Err(split_invalid(&format!(
            "Index(...) must be called with a collection of some kind, {} was passed",
            py_repr(other)
        ))),
    }
}

fn index_len(v: Option<&Value>) -> Result<Option<usize>, RequestError> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::List(items)) => Ok(Some(items.len())),
        Some(other) => Err(split_invalid(&format!(
            "Index(...) must be called with a collection of some kind, {} was passed",
            py_repr(other)
        ))),
    }
}

/// The split-key check: `data` required, only `columns` / `index` besides.
fn check_split_keys(keys: &[String]) -> Result<(), RequestError> {
    let extra = keys
        .iter()
        .any(|k| !matches!(k.as_str(), "data" | "columns" | "index"));
    if !keys.iter().any(|k| k == "data") || extra {
        let items: Vec<String> = keys.iter().map(|k| py_str(k)).collect();
        return Err(RequestError::invalid_input(format!(
            "Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got {}.'",
            py_set(&items)
        )));
    }
    Ok(())
}

/// Labels and shape checks once the rows are built (`DataFrame(index=..., columns=..., data=...)`).
fn frame_labels(
    t: &TableBuilder,
    mode: RowMode,
    columns: Option<Vec<ColumnName>>,
    index: Option<usize>,
    invalid: fn(&str) -> RequestError,
) -> Result<Vec<ColumnName>, RequestError> {
    let width = t.cols.len();
    let labels = match (mode, columns) {
        (RowMode::Dicts, Some(cols)) => cols,
        (RowMode::Dicts, None) => t.keys.iter().map(|k| ColumnName::Str(k.clone())).collect(),
        (_, None) => default_labels(width),
        (RowMode::Lists, Some(cols)) => {
            if t.rows > 0 && cols.len() != width {
                return Err(invalid(&format!(
                    "{} columns passed, passed data had {width} columns",
                    cols.len()
                )));
            }
            cols
        }
        (RowMode::Scalars, Some(cols)) => {
            if cols.len() != width {
                return Err(invalid(&format!(
                    "Shape of passed values is ({}, {width}), indices imply ({}, {})",
                    t.rows,
                    t.rows,
                    cols.len()
                )));
            }
            cols
        }
    };
    if let Some(n) = index {
        if n != t.rows {
            return Err(invalid(&format!(
                "Shape of passed values is ({}, {}), indices imply ({n}, {})",
                t.rows,
                labels.len(),
                labels.len()
            )));
        }
    }
    Ok(labels)
}

/// A table whose rows are absent but whose labels are known (empty `data`).
fn empty_with(labels: &[ColumnName]) -> TableBuilder {
    let mut t = TableBuilder::new();
    for _ in labels {
        t.cols.push(ColumnBuilder::new());
    }
    t
}

/// MLflow's refusal of a frame body of the wrong kind: `<rule>. Got <what v is>.` (a list or
/// dictionary by name, anything else by its Python type).
fn not_a(rule: &str, v: &Value) -> RequestError {
    let what = match v {
        Value::List(_) => "list".to_string(),
        Value::Dict(_) => "dictionary".to_string(),
        other => format!("type {}", py_class(other)),
    };
    RequestError::invalid_input(format!("{rule}. Got {what}."))
}

/// `dataframe_split` from a parsed value.
pub(crate) fn split_from_value(v: &Value, schema: Option<&Schema>, compat: Compat) -> Frame {
    let Value::Dict(items) = v else {
        return Err(not_a("Dataframe split format must be a dictionary", v));
    };
    let keys: Vec<String> = items
        .iter()
        .map(|(k, _)| match k {
            Value::Str(s) => s.clone(),
            other => signet::repr::py_str_of(other),
        })
        .collect();
    check_split_keys(&keys)?;
    let columns = split_columns(v.get("columns"))?;
    let index = index_len(v.get("index"))?;
    let rows: &[Value] = match v.get("data") {
        Some(Value::List(rows)) => rows,
        Some(Value::None) | None => &[],
        Some(_) => return Err(split_invalid("DataFrame constructor not properly called!")),
    };
    split_table_rows(rows, columns, index, schema, compat)
}

fn split_table_rows(
    rows: &[Value],
    columns: Option<Vec<ColumnName>>,
    index: Option<usize>,
    schema: Option<&Schema>,
    compat: Compat,
) -> Frame {
    if rows.is_empty() {
        let labels = columns.unwrap_or_default();
        if let Some(n) = index.filter(|n| *n > 0) {
            // Rows come from the index, every cell NaN.
            let mut t = TableBuilder::new();
            for _ in &labels {
                t.cols
                    .push(ColumnBuilder::filled(n, super::columns::Cell::Missing));
            }
            t.rows = n;
            return finish_table(t, &labels, schema, compat);
        }
        return finish_table(empty_with(&labels), &labels, schema, compat);
    }
    let (t, mode) =
        TableBuilder::from_rows(rows, columns.as_deref()).map_err(|m| split_invalid(&m))?;
    let labels = frame_labels(&t, mode, columns, index, split_invalid)?;
    finish_table(t, &labels, schema, compat)
}

/// `dataframe_records` from a parsed value.
pub(crate) fn records_from_value(v: &Value, schema: Option<&Schema>, compat: Compat) -> Frame {
    let Value::List(rows) = v else {
        return Err(not_a(
            "Dataframe records format must be a list of records",
            v,
        ));
    };
    let (t, mode) = TableBuilder::from_rows(rows, None).map_err(|m| records_invalid(&m))?;
    let labels = frame_labels(&t, mode, None, None, records_invalid)?;
    finish_table(t, &labels, schema, compat)
}

// ---------------------------------------------------------------------------------------------
// fast readers

/// Why a fast read stopped: a syntax error, or a shape it leaves to the value-based reader.
enum Stop {
    Syntax,
    Unusual,
}

impl From<Syntax> for Stop {
    fn from(_: Syntax) -> Self {
        Stop::Syntax
    }
}

/// Reads one cell into a column builder.
#[inline]
fn cell(sc: &mut Scanner<'_>, col: &mut ColumnBuilder) -> Result<(), Syntax> {
    sc.ws();
    let rest = &sc.s[sc.i..];
    match rest.first().copied().ok_or(Syntax)? {
        b'"' => {
            let s = sc.string()?;
            col.push_str(&s);
        }
        b't' if rest.starts_with(b"true") => {
            sc.i += 4;
            col.push_bool(true);
        }
        b'f' if rest.starts_with(b"false") => {
            sc.i += 5;
            col.push_bool(false);
        }
        b'n' if rest.starts_with(b"null") => {
            sc.i += 4;
            col.push_null();
        }
        b'0'..=b'9' => match sc.number()? {
            Num::Int(i) => col.push_int(i),
            Num::Big(i) => col.push_big(i),
            Num::Float(f) => col.push_float(f),
        },
        b'[' | b'{' => {
            let v = sc.value()?;
            col.push_nested(v);
        }
        _ => {
            if let Some(f) = sc.special() {
                col.push_float(f);
            } else {
                match sc.number()? {
                    Num::Int(i) => col.push_int(i),
                    Num::Big(i) => col.push_big(i),
                    Num::Float(f) => col.push_float(f),
                }
            }
        }
    }
    Ok(())
}

/// A plain integer (at most 18 digits, no fraction or exponent) at `*i`; the cursor moves past
/// it. `None` leaves the cursor alone: the general number reader takes over.
#[inline(always)]
fn plain_int(s: &[u8], i: &mut usize) -> Option<i64> {
    let mut j = *i;
    let neg = s.get(j) == Some(&b'-');
    if neg {
        j += 1;
    }
    let first = *s.get(j)?;
    if !first.is_ascii_digit() {
        return None;
    }
    let digits_start = j;
    let mut acc = (first - b'0') as u64;
    j += 1;
    if first != b'0' {
        while let Some(&c) = s.get(j) {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            acc = acc.wrapping_mul(10).wrapping_add(d as u64);
            j += 1;
        }
        if j - digits_start > 18 {
            return None;
        }
    }
    if matches!(s.get(j), Some(b'.' | b'e' | b'E')) {
        return None;
    }
    *i = j;
    let v = acc as i64;
    Some(if neg { -v } else { v })
}

#[inline(always)]
fn skip_ws(s: &[u8], i: &mut usize) {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = s.get(*i) {
        *i += 1;
    }
}

/// The hot loop for rows of plain integers of the same width as the columns so far. Reads
/// rows from `*i` (the start of a row) until the list ends (`Some(true)`, cursor after `]`)
/// or a row needs the general reader (`Some(false)`, cursor back at that row's start, no cell
/// of it kept). `None` when the columns are not all integer vectors.
fn int_rows(s: &[u8], i: &mut usize, t: &mut TableBuilder) -> Option<bool> {
    let n = t.cols.len();
    if n == 0 || t.cols.iter_mut().any(|c| c.ints_mut().is_none()) {
        return None;
    }
    // Row-major into one buffer (its length stays in a register), then split by column.
    let mut flat: Vec<i64> = Vec::with_capacity((s.len() - *i) / (2 * n + 2) * n + n);
    let mut p = *i;
    let ended = 'rows: loop {
        let row_start = p;
        let kept = flat.len();
        skip_ws(s, &mut p);
        if s.get(p) != Some(&b'[') {
            p = row_start;
            break 'rows false;
        }
        p += 1;
        for j in 0..n {
            skip_ws(s, &mut p);
            let Some(x) = plain_int(s, &mut p) else {
                flat.truncate(kept);
                p = row_start;
                break 'rows false;
            };
            flat.push(x);
            skip_ws(s, &mut p);
            let want = if j + 1 < n { b',' } else { b']' };
            if s.get(p) != Some(&want) {
                flat.truncate(kept);
                p = row_start;
                break 'rows false;
            }
            p += 1;
        }
        skip_ws(s, &mut p);
        match s.get(p) {
            Some(b',') => p += 1,
            Some(b']') => {
                p += 1;
                break 'rows true;
            }
            _ => {
                // Let the general reader report it: back to this row's start.
                flat.truncate(kept);
                p = row_start;
                break 'rows false;
            }
        }
    };
    let rows = flat.len() / n;
    for (j, c) in t.cols.iter_mut().enumerate() {
        if let Some(v) = c.ints_mut() {
            v.reserve(rows);
            v.extend(flat.iter().skip(j).step_by(n));
        }
    }
    t.rows += rows;
    *i = p;
    Some(ended)
}

/// Opens the outer `[` of a list of rows; `true` when the list is empty (and already closed).
fn open_rows(sc: &mut Scanner<'_>) -> Result<bool, Stop> {
    sc.ws();
    if sc.peek() != Some(b'[') {
        return Err(Stop::Unusual);
    }
    sc.i += 1;
    sc.enter()?;
    sc.ws();
    if sc.peek() == Some(b']') {
        sc.i += 1;
        sc.leave();
        return Ok(true);
    }
    Ok(false)
}

/// Rows that are all lists, read into a table builder. Plain integers are read inline; any
/// other cell goes through the scanner.
fn list_rows(sc: &mut Scanner<'_>) -> Result<TableBuilder, Stop> {
    let mut t = TableBuilder::new();
    if open_rows(sc)? {
        return Ok(t);
    }
    let s = sc.s;
    let mut i = sc.i;
    let first_row = i;
    loop {
        skip_ws(s, &mut i);
        if s.get(i) != Some(&b'[') {
            return Err(Stop::Unusual);
        }
        i += 1;
        skip_ws(s, &mut i);
        let mut j = 0;
        if s.get(i) == Some(&b']') {
            i += 1;
        } else {
            loop {
                let col = t.list_col(j);
                match plain_int(s, &mut i) {
                    Some(v) => col.push_int(v),
                    None => {
                        sc.i = i;
                        sc.enter()?;
                        cell(sc, col)?;
                        sc.leave();
                        i = sc.i;
                    }
                }
                j += 1;
                skip_ws(s, &mut i);
                match s.get(i) {
                    Some(b',') => {
                        i += 1;
                        skip_ws(s, &mut i);
                    }
                    Some(b']') => {
                        i += 1;
                        break;
                    }
                    _ => return Err(Stop::Syntax),
                }
            }
        }
        t.end_list_row(j);
        if t.rows == 1 && !t.cols.iter_mut().all(|c| c.ints_mut().is_some()) {
            // Size the columns from the first row's length.
            let per_row = (i - first_row).max(1);
            let estimate = (s.len() - i) / per_row + 1;
            for c in &mut t.cols {
                c.reserve(estimate);
            }
        }
        skip_ws(s, &mut i);
        match s.get(i) {
            Some(b',') => i += 1,
            Some(b']') => {
                i += 1;
                break;
            }
            _ => return Err(Stop::Syntax),
        }
        if t.rows == 1 && int_rows(s, &mut i, &mut t) == Some(true) {
            break;
        }
    }
    sc.i = i;
    sc.leave();
    Ok(t)
}

/// Rows that are all objects, read into a table builder.
fn dict_rows(sc: &mut Scanner<'_>) -> Result<TableBuilder, Stop> {
    let mut t = TableBuilder::new();
    if open_rows(sc)? {
        return Ok(t);
    }
    loop {
        sc.ws();
        if sc.peek() != Some(b'{') {
            return Err(Stop::Unusual);
        }
        sc.i += 1;
        sc.enter()?;
        sc.members(|sc, key| match t.key_col(&key) {
            Some(col) => cell(sc, col),
            None => Ok(sc.skip()?),
        })?;
        sc.leave();
        t.end_dict_row();
        if !sc.sep(b']')? {
            break;
        }
    }
    sc.leave();
    Ok(t)
}

/// A `dataframe_split` value as read: the frame (or MLflow's error for it), or — against a
/// single unnamed tensor spec — the frame's values as the row-major tensor enforcement would
/// take from it, with the frame's labels (see [`super::rows`]).
pub(crate) enum Split {
    Frame(Frame),
    Tensor(Tensor, Vec<ColumnName>),
}

/// Where the `data` rows of a split value went.
enum Rows {
    Table(TableBuilder),
    /// Not read yet (`columns` came after `data`): the position of the rows.
    Later(usize),
    Tensor(Tensor),
}

/// Reads a `dataframe_split` value at the cursor. `Err` only for syntax errors; MLflow's
/// errors about the frame are in the returned [`Split::Frame`].
pub(crate) fn split_fast(
    sc: &mut Scanner<'_>,
    schema: Option<&Schema>,
    compat: Compat,
) -> Result<Split, Syntax> {
    sc.ws();
    let start = sc.i;
    let slow = |sc: &mut Scanner<'_>| {
        sc.reread(start, |v| Split::Frame(split_from_value(v, schema, compat)))
    };
    if sc.peek() != Some(b'{') {
        return slow(sc);
    }
    sc.i += 1;
    sc.enter()?;
    let mut keys: Vec<String> = Vec::new();
    let mut columns: Option<Value> = None;
    let mut index: Option<Value> = None;
    let mut data: Option<Rows> = None;
    sc.ws();
    if sc.peek() == Some(b'}') {
        sc.i += 1;
    } else {
        loop {
            sc.ws();
            if sc.peek() != Some(b'"') {
                return Err(Syntax);
            }
            let key = sc.string()?;
            sc.eat(b':')?;
            match key.as_ref() {
                "columns" => columns = Some(sc.value()?),
                "index" => index = Some(sc.value()?),
                "data" => {
                    sc.ws();
                    let at = sc.i;
                    let width = match &columns {
                        Some(Value::List(labels)) => labels.len(),
                        _ => 0,
                    };
                    let direct = rows::tensor_target(schema, width).and_then(|dtype| {
                        let mut fork = sc.fork(at);
                        let t = rows::read(&mut fork, dtype, width, compat)?;
                        sc.i = fork.i;
                        Some(t)
                    });
                    if let Some(t) = direct {
                        data = Some(Rows::Tensor(t));
                    } else if columns.is_some() {
                        match list_rows(sc) {
                            Ok(t) => data = Some(Rows::Table(t)),
                            Err(Stop::Syntax) => return Err(Syntax),
                            Err(Stop::Unusual) => return slow(sc),
                        }
                    } else {
                        sc.skip()?;
                        data = Some(Rows::Later(at));
                    }
                }
                _ => sc.skip()?,
            }
            if !keys.iter().any(|k| k == key.as_ref()) {
                keys.push(key.into_owned());
            }
            if !sc.sep(b'}')? {
                break;
            }
        }
    }
    sc.leave();
    let end = sc.i;
    if let Err(e) = check_split_keys(&keys) {
        return Ok(Split::Frame(Err(e)));
    }
    // Odd `columns` / `data` shapes go through the value-based reader.
    if !matches!(columns, None | Some(Value::None) | Some(Value::List(_))) {
        return slow(sc);
    }
    let cols = match split_columns(columns.as_ref()) {
        Ok(c) => c,
        Err(e) => return Ok(Split::Frame(Err(e))),
    };
    let index = match index_len(index.as_ref()) {
        Ok(n) => n,
        Err(e) => return Ok(Split::Frame(Err(e))),
    };
    let t = match data {
        Some(Rows::Tensor(t)) => {
            return match (cols, index) {
                (Some(labels), None) => Ok(Split::Tensor(t, labels)),
                (Some(labels), Some(n)) if n == t.shape[0] => Ok(Split::Tensor(t, labels)),
                _ => slow(sc),
            };
        }
        Some(Rows::Table(t)) => t,
        Some(Rows::Later(at)) => {
            let mut sub = sc.fork(at);
            match list_rows(&mut sub) {
                Ok(t) => t,
                Err(Stop::Syntax) => return Err(Syntax),
                Err(Stop::Unusual) => return slow(sc),
            }
        }
        None => {
            return Ok(Split::Frame(Err(split_invalid(
                "DataFrame constructor not properly called!",
            ))))
        }
    };
    if t.rows == 0 {
        return slow(sc);
    }
    debug_assert_eq!(sc.i, end);
    let frame = frame_labels(&t, RowMode::Lists, cols, index, split_invalid)
        .and_then(|labels| finish_table(t, &labels, schema, compat));
    Ok(Split::Frame(frame))
}

/// Reads a `dataframe_records` value at the cursor (see [`split_fast`]).
pub(crate) fn records_fast(
    sc: &mut Scanner<'_>,
    schema: Option<&Schema>,
    compat: Compat,
) -> Result<Frame, Syntax> {
    sc.ws();
    let start = sc.i;
    let slow = |sc: &mut Scanner<'_>| sc.reread(start, |v| records_from_value(v, schema, compat));
    if sc.peek() != Some(b'[') {
        return slow(sc);
    }
    match dict_rows(sc) {
        Ok(t) => {
            if t.rows == 0 {
                return slow(sc);
            }
            let labels = frame_labels(&t, RowMode::Dicts, None, None, records_invalid);
            Ok(labels.and_then(|l| finish_table(t, &l, schema, compat)))
        }
        Err(Stop::Syntax) => Err(Syntax),
        Err(Stop::Unusual) => slow(sc),
    }
}
