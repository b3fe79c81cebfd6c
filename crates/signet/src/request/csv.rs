//! `text/csv` requests (SERVING.md §6): a small reader with pandas `read_csv` semantics — the C
//! tokenizer's quoting and blank-line rules, pandas' default NA strings, its column type
//! inference (int64 → uint64 → float64 → bool → str) and its handling of a user `dtype` map
//! built from the schema.

use super::pyconv;
use super::text::decode_utf8;
use super::RequestError;
use crate::enforce::Compat;
use crate::input::ModelInput;
use crate::table::object_column;
use crate::types::{ColType, ColumnName, DataType, Schema, SchemaKind};
use crate::value::Value;
use arrow_array::{
    ArrayRef, BooleanArray, Float32Array, Float64Array, Int32Array, Int64Array, StringArray,
    UInt64Array,
};
use arrow_schema::Field;
use std::sync::Arc;

const NA_VALUES: &[&str] = &[
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

fn parse_error(msg: &str, class: &str) -> RequestError {
    RequestError::with_trace(
        format!(
            "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()` method. Error: '{msg}'"
        ),
        format!("{class}: {msg}"),
    )
}

/// A field and the 1-based line it ended on.
struct Row {
    fields: Vec<String>,
    line: usize,
}

/// The C tokenizer: `,` delimiter, `"` quoting with doubled quotes, `\n` / `\r\n` / `\r` line
/// ends, blank lines skipped.
fn tokenize(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut field_started = false;
    let mut line = 1usize;
    let mut chars = text.chars().peekable();
    let mut row_has_content = false;
    let end_row = |fields: &mut Vec<String>,
                   field: &mut String,
                   rows: &mut Vec<Row>,
                   line: usize,
                   has: bool| {
        if has {
            fields.push(std::mem::take(field));
            rows.push(Row {
                fields: std::mem::take(fields),
                line,
            });
        } else {
            field.clear();
            fields.clear();
        }
    };
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if !field_started => {
                in_quotes = true;
                field_started = true;
                row_has_content = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                field_started = false;
                row_has_content = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                end_row(&mut fields, &mut field, &mut rows, line, row_has_content);
                row_has_content = false;
                field_started = false;
                line += 1;
            }
            other => {
                field.push(other);
                field_started = true;
                row_has_content = true;
            }
        }
    }
    end_row(&mut fields, &mut field, &mut rows, line, row_has_content);
    rows
}

/// The pandas dtype the schema asks for, per column name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UserDtype {
    Int64,
    Int32,
    Float64,
    Float32,
    Bool,
    Object,
    Datetime,
}

impl UserDtype {
    fn name(self) -> &'static str {
        match self {
            UserDtype::Int64 => "int64",
            UserDtype::Int32 => "int32",
            UserDtype::Float64 => "float64",
            UserDtype::Float32 => "float32",
            UserDtype::Bool => "bool",
            UserDtype::Object => "object",
            UserDtype::Datetime => "datetime64[ns]",
        }
    }
}

/// `dict(zip(schema.input_names(), schema.pandas_types()))`.
fn dtype_map(schema: &Schema) -> Result<Vec<(ColumnName, UserDtype)>, RequestError> {
    let specs = match schema.kind() {
        SchemaKind::Tensors(_) => {
            return Err(parse_error(
                "TensorSpec only supports numpy types, use numpy_types() instead",
                "MlflowException",
            ))
        }
        SchemaKind::Columns(c) => c,
    };
    let mut out = Vec::new();
    for (spec, name) in specs.iter().zip(schema.input_names()) {
        let ColType::Scalar(t) = spec.ty else {
            return Err(parse_error(
                "Failed to get pandas types as some of the inputs types are not DataType.",
                "MlflowException",
            ));
        };
        let d = match t {
            DataType::Boolean => UserDtype::Bool,
            DataType::Integer => UserDtype::Int32,
            DataType::Long => UserDtype::Int64,
            DataType::Float => UserDtype::Float32,
            DataType::Double => UserDtype::Float64,
            DataType::String | DataType::Binary => UserDtype::Object,
            DataType::Datetime => UserDtype::Datetime,
        };
        out.push((name, d));
    }
    Ok(out)
}

/// pandas' C-parser integer token.
fn csv_int(s: &str) -> Option<i128> {
    let t = s.trim_matches(|c| c == ' ' || c == '\t');
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<i128>().ok()
}

/// pandas' C-parser float token.
fn csv_float(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c| c == ' ' || c == '\t');
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(if t.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    t.parse::<f64>().ok()
}

fn csv_bool(s: &str) -> Option<bool> {
    match s {
        "True" | "TRUE" | "true" => Some(true),
        "False" | "FALSE" | "false" => Some(false),
        _ => None,
    }
}

/// The dtype pandas infers for a column of tokens (`None` = NA).
enum Inferred {
    Int(Vec<i64>),
    UInt(Vec<u64>),
    Float(Vec<f64>),
    Bool(Vec<bool>),
    BoolNa(Vec<Option<bool>>),
    Str(Vec<Option<String>>),
}

impl Inferred {
    fn name(&self) -> &'static str {
        match self {
            Inferred::Int(_) => "int64",
            Inferred::UInt(_) => "uint64",
            Inferred::Float(_) => "float64",
            Inferred::Bool(_) => "bool",
            Inferred::BoolNa(_) | Inferred::Str(_) => "object",
        }
    }
}

fn infer(tokens: &[Option<&str>]) -> Inferred {
    let na = tokens.iter().any(Option::is_none);
    if !na {
        let ints: Option<Vec<i128>> = tokens.iter().map(|t| t.and_then(csv_int)).collect();
        if let Some(ints) = ints {
            if ints.iter().all(|i| i64::try_from(*i).is_ok()) {
                return Inferred::Int(ints.into_iter().map(|i| i as i64).collect());
            }
            if ints.iter().all(|i| u64::try_from(*i).is_ok()) {
                return Inferred::UInt(ints.into_iter().map(|i| i as u64).collect());
            }
        }
    }
    let floats: Option<Vec<f64>> = tokens
        .iter()
        .map(|t| match t {
            None => Some(f64::NAN),
            Some(s) => csv_float(s),
        })
        .collect();
    if let Some(f) = floats {
        return Inferred::Float(f);
    }
    let bools: Option<Vec<Option<bool>>> = tokens
        .iter()
        .map(|t| match t {
            None => Some(None),
            Some(s) => csv_bool(s).map(Some),
        })
        .collect();
    if let Some(b) = bools {
        return if na {
            Inferred::BoolNa(b)
        } else {
            Inferred::Bool(b.into_iter().map(|x| x.unwrap_or(false)).collect())
        };
    }
    Inferred::Str(tokens.iter().map(|t| t.map(str::to_string)).collect())
}

fn natural(label: &str, inferred: Inferred) -> (Field, ArrayRef) {
    let array: ArrayRef = match inferred {
        Inferred::Int(v) => Arc::new(Int64Array::from(v)),
        Inferred::UInt(v) => Arc::new(UInt64Array::from(v)),
        Inferred::Float(v) => Arc::new(Float64Array::from(v)),
        Inferred::Bool(v) => Arc::new(BooleanArray::from(v)),
        Inferred::Str(v) => Arc::new(StringArray::from(v)),
        Inferred::BoolNa(v) => {
            let values: Vec<Value> = v
                .into_iter()
                .map(|b| b.map(Value::Bool).unwrap_or(Value::Float(f64::NAN)))
                .collect();
            return object_column(label, &values);
        }
    };
    (Field::new(label, array.data_type().clone(), true), array)
}

fn unsafe_msg(d: UserDtype, from: &str, col: usize) -> String {
    format!(
        "cannot safely convert passed user dtype of {} for {from} dtyped data in column {col}",
        d.name()
    )
}

/// Converts one column's tokens with a user dtype, as the C parser does.
fn with_dtype(
    label: &str,
    col: usize,
    tokens: &[Option<&str>],
    d: UserDtype,
    compat: Compat,
) -> Result<(Field, ArrayRef), RequestError> {
    let strict = compat == Compat::Strict;
    let refuse = |row: usize, tok: &str, why: &str| {
        RequestError::invalid_input(format!(
            "Column {} row {row}: {} {why}",
            crate::repr::py_str(label),
            crate::repr::py_str(tok)
        ))
    };
    let fail = |m: String| parse_error(&m, "ValueError");
    let field = |a: ArrayRef| (Field::new(label, a.data_type().clone(), true), a);
    match d {
        UserDtype::Datetime => Err(parse_error(
            "the dtype datetime64[ns] is not supported for parsing, pass this column using parse_dates instead",
            "TypeError",
        )),
        UserDtype::Object => {
            let values: Vec<Value> = tokens
                .iter()
                .map(|t| t.map(Value::str).unwrap_or(Value::Float(f64::NAN)))
                .collect();
            Ok(object_column(label, &values))
        }
        UserDtype::Int64 | UserDtype::Int32 => {
            let ints: Option<Vec<Option<i128>>> = tokens
                .iter()
                .map(|t| match t {
                    None => Some(None),
                    Some(s) => csv_int(s).map(Some),
                })
                .collect();
            let values: Vec<i128> = match ints {
                Some(v) if v.iter().flatten().all(|i| i64::try_from(*i).is_ok()) => {
                    if v.iter().any(Option::is_none) {
                        return Err(fail(format!("Integer column has NA values in column {col}")));
                    }
                    v.into_iter().map(|i| i.unwrap_or(0)).collect()
                }
                _ => match infer(tokens) {
                    Inferred::Float(f) => {
                        let mut out = Vec::with_capacity(f.len());
                        for x in &f {
                            if !x.is_finite() || x.fract() != 0.0 || x.abs() > 9.2e18 {
                                return Err(fail(unsafe_msg(d, "float64", col)));
                            }
                            out.push(*x as i128);
                        }
                        out
                    }
                    Inferred::Bool(b) => {
                        if strict {
                            return Err(refuse(0, tokens[0].unwrap_or(""), "is not an integer; refusing to read a boolean as an integer"));
                        }
                        b.into_iter().map(|x| x as i128).collect()
                    }
                    Inferred::UInt(u) => u.into_iter().map(|x| x as i64 as i128).collect(),
                    other => {
                        for t in tokens {
                            match t {
                                None => return Err(fail("cannot convert float NaN to integer".into())),
                                Some(s) => {
                                    pyconv::py_int_from_str(s).map_err(|e| fail(e.1))?;
                                }
                            }
                        }
                        return Err(fail(unsafe_msg(d, other.name(), col)));
                    }
                },
            };
            if d == UserDtype::Int32 {
                if strict {
                    if let Some(p) = values.iter().position(|v| i32::try_from(*v).is_err()) {
                        return Err(refuse(p, tokens[p].unwrap_or(""), "is out of range for integer"));
                    }
                }
                let a: ArrayRef = Arc::new(Int32Array::from(
                    values.into_iter().map(|v| v as i64 as i32).collect::<Vec<_>>(),
                ));
                Ok(field(a))
            } else {
                let a: ArrayRef = Arc::new(Int64Array::from(
                    values.into_iter().map(|v| v as i64).collect::<Vec<_>>(),
                ));
                Ok(field(a))
            }
        }
        UserDtype::Float64 | UserDtype::Float32 => {
            let values: Vec<f64> = match infer(tokens) {
                Inferred::Int(v) => {
                    if strict {
                        if let Some(p) = v.iter().position(|i| (*i as f64) as i64 != *i || (d == UserDtype::Float32 && (*i as f32) as i64 != *i)) {
                            return Err(refuse(p, tokens[p].unwrap_or(""), "cannot be represented exactly as a float; refusing a lossy conversion"));
                        }
                    } else if d == UserDtype::Float32 && v.iter().any(|i| (*i as f32) as i64 != *i) {
                        return Err(fail(unsafe_msg(d, "int64", col)));
                    }
                    v.into_iter().map(|i| i as f64).collect()
                }
                Inferred::UInt(v) => v.into_iter().map(|i| i as f64).collect(),
                Inferred::Float(v) => v,
                Inferred::Bool(b) => {
                    if strict {
                        return Err(refuse(0, tokens[0].unwrap_or(""), "is not a number; refusing to read a boolean as a float"));
                    }
                    b.into_iter().map(|x| x as u8 as f64).collect()
                }
                Inferred::BoolNa(b) => {
                    if strict {
                        return Err(refuse(0, tokens[0].unwrap_or(""), "is not a number; refusing to read a boolean as a float"));
                    }
                    b.into_iter().map(|x| x.map_or(f64::NAN, |v| v as u8 as f64)).collect()
                }
                Inferred::Str(s) => {
                    for t in s.iter().flatten() {
                        pyconv::py_float_from_str(t).map_err(|e| fail(e.1))?;
                    }
                    return Err(fail(unsafe_msg(d, "object", col)));
                }
            };
            let a: ArrayRef = if d == UserDtype::Float32 {
                Arc::new(Float32Array::from(values.into_iter().map(|v| v as f32).collect::<Vec<_>>()))
            } else {
                Arc::new(Float64Array::from(values))
            };
            Ok(field(a))
        }
        UserDtype::Bool => {
            let bools: Option<Vec<Option<bool>>> = tokens
                .iter()
                .map(|t| match t {
                    None => Some(None),
                    Some(s) => csv_bool(s).map(Some),
                })
                .collect();
            let values: Vec<bool> = match bools {
                Some(b) => {
                    if b.iter().any(Option::is_none) {
                        return Err(fail(format!("Bool column has NA values in column {col}")));
                    }
                    b.into_iter().map(|x| x.unwrap_or(false)).collect()
                }
                None => match infer(tokens) {
                    Inferred::Int(v) if v.iter().all(|i| *i == 0 || *i == 1) => v.into_iter().map(|i| i == 1).collect(),
                    Inferred::Float(v) if v.iter().all(|f| *f == 0.0 || *f == 1.0) => v.into_iter().map(|f| f == 1.0).collect(),
                    other => return Err(fail(unsafe_msg(d, other.name(), col))),
                },
            };
            let a: ArrayRef = Arc::new(BooleanArray::from(values));
            Ok(field(a))
        }
    }
}

/// Mangles duplicate / empty header names as pandas does (`a`, `a.1`, `Unnamed: 2`).
fn header_names(fields: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        let base = if f.is_empty() {
            format!("Unnamed: {i}")
        } else {
            f.clone()
        };
        let mut name = base.clone();
        let mut k = 1;
        while out.contains(&name) {
            name = format!("{base}.{k}");
            k += 1;
        }
        out.push(name);
    }
    out
}

/// Parses a `text/csv` body.
pub(crate) fn parse_csv(
    body: &[u8],
    schema: Option<&Schema>,
    compat: Compat,
) -> Result<ModelInput, RequestError> {
    let text = decode_utf8(body).map_err(|e| {
        RequestError::invalid_input(format!(
            "Ensure that input is a valid UTF-8 encoded string. Error: '{}'",
            e.repr(body)
        ))
    })?;
    let dtypes = match schema {
        Some(s) => dtype_map(s)?,
        None => Vec::new(),
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let rows = tokenize(text);
    let Some(header) = rows.first() else {
        return Err(parse_error(
            "No columns to parse from file",
            "EmptyDataError",
        ));
    };
    let names = header_names(&header.fields);
    let width = names.len();
    let data = &rows[1..];
    // An implicit index when the first data row is wider than the header.
    let skip = data
        .first()
        .map_or(0, |r| r.fields.len().saturating_sub(width));
    let expected = width + skip;
    for r in data {
        if r.fields.len() > expected {
            return Err(parse_error(
                &format!(
                    "Error tokenizing data. C error: Expected {expected} fields in line {}, saw {}\n",
                    r.line,
                    r.fields.len()
                ),
                "ParserError",
            ));
        }
    }
    let mut fields = Vec::with_capacity(width);
    let mut arrays = Vec::with_capacity(width);
    for (j, name) in names.iter().enumerate() {
        let tokens: Vec<Option<&str>> = data
            .iter()
            .map(|r| {
                r.fields
                    .get(j + skip)
                    .map(String::as_str)
                    .filter(|t| !NA_VALUES.contains(t))
            })
            .collect();
        let user = dtypes
            .iter()
            .find(|(n, _)| matches!(n, ColumnName::Str(s) if s == name))
            .map(|(_, d)| *d);
        let (f, a) = match user {
            Some(d) => with_dtype(name, j, &tokens, d, compat)?,
            None if tokens.is_empty() => {
                let values: Vec<Value> = Vec::new();
                object_column(name, &values)
            }
            None => natural(name, infer(&tokens)),
        };
        fields.push(f);
        arrays.push(a);
    }
    let batch = super::columns::batch(fields, arrays, data.len())?;
    Ok(ModelInput::Table(batch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer() {
        let rows = tokenize("a,b\n\"x,\"\"y\"\"\",2\r\n\n3,\n");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].fields, vec!["x,\"y\"".to_string(), "2".into()]);
        assert_eq!(rows[2].fields, vec!["3".to_string(), "".into()]);
        assert_eq!(
            header_names(&["a".into(), "a".into(), "".into()]),
            vec!["a", "a.1", "Unnamed: 2"]
        );
    }
}
