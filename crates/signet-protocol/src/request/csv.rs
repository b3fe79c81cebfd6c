//! `text/csv` requests (docs/serving.md#csv): `pd.read_csv(body, dtype=schema's dtype map)`. The
//! text is read by [`signet::pandas::csv`] (tokenizer, NA strings, labels, natural typing);
//! this module adds the handling of the user `dtype` map MLflow builds from the schema.

use super::pyconv;
use super::text::decode_utf8;
use super::RequestError;
use arrow_array::{ArrayRef, BooleanArray, Float32Array, Float64Array, Int32Array, Int64Array};
use arrow_schema::Field;
use signet::enforce::Compat;
use signet::input::ModelInput;
use signet::pandas::csv::{
    classify, is_na, natural_column, parse_bool, parse_int, CsvError, Natural, TextReader,
};
use signet::table::object_column;
use signet::types::{ColType, ColumnName, DataType, Schema, SchemaKind};
use signet::value::Value;
use std::collections::HashMap;
use std::sync::Arc;

fn parse_error(msg: &str, class: &str) -> RequestError {
    RequestError::with_trace(
        format!(
            "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()` method. Error: '{msg}'"
        ),
        format!("{class}: {msg}"),
    )
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

/// The dtype name pandas' messages give a naturally typed column (`object` for text).
fn natural_name(n: &Natural) -> &'static str {
    match n {
        Natural::Str | Natural::RawStr => "object",
        other => other.dtype(),
    }
}

fn unsafe_msg(d: UserDtype, from: &str, col: usize) -> String {
    format!(
        "cannot safely convert passed user dtype of {} for {from} dtyped data in column {col}",
        d.name()
    )
}

/// Every token through `parse` (`None` if one does not parse); a missing token stays `None`.
fn parse_all<T>(
    tokens: &[Option<&str>],
    parse: impl Fn(&str) -> Option<T>,
) -> Option<Vec<Option<T>>> {
    tokens
        .iter()
        .map(|t| t.map_or(Some(None), |s| parse(s).map(Some)))
        .collect()
}

/// The values of a column that must have no missing one: else the C parser's
/// `<kind> column has NA values in column <col>`.
fn without_na<T>(values: Vec<Option<T>>, kind: &str, col: usize) -> Result<Vec<T>, String> {
    values
        .into_iter()
        .collect::<Option<Vec<T>>>()
        .ok_or_else(|| format!("{kind} column has NA values in column {col}"))
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
            signet::repr::py_str(label),
            signet::repr::py_str(tok)
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
            let values: Vec<i128> = match parse_all(tokens, parse_int) {
                Some(v) if v.iter().flatten().all(|i| i64::try_from(*i).is_ok()) => {
                    without_na(v, "Integer", col).map_err(fail)?
                }
                _ => match classify(tokens) {
                    Natural::Float(f) => {
                        let mut out = Vec::with_capacity(f.len());
                        for x in &f {
                            if !x.is_finite() || x.fract() != 0.0 || x.abs() > 9.2e18 {
                                return Err(fail(unsafe_msg(d, "float64", col)));
                            }
                            out.push(*x as i128);
                        }
                        out
                    }
                    Natural::Bool(b) => {
                        if strict {
                            return Err(refuse(0, tokens[0].unwrap_or(""), "is not an integer; refusing to read a boolean as an integer"));
                        }
                        b.into_iter().map(|x| x as i128).collect()
                    }
                    Natural::UInt(u) => u.into_iter().map(|x| x as i64 as i128).collect(),
                    other => {
                        for t in tokens {
                            match t {
                                None => return Err(fail("cannot convert float NaN to integer".into())),
                                Some(s) => {
                                    pyconv::py_int_from_str(s).map_err(|e| fail(e.1))?;
                                }
                            }
                        }
                        return Err(fail(unsafe_msg(d, natural_name(&other), col)));
                    }
                },
            };
            let a: ArrayRef = if d == UserDtype::Int32 {
                if strict {
                    if let Some(p) = values.iter().position(|v| i32::try_from(*v).is_err()) {
                        return Err(refuse(p, tokens[p].unwrap_or(""), "is out of range for integer"));
                    }
                }
                Arc::new(Int32Array::from_iter_values(values.into_iter().map(|v| v as i64 as i32)))
            } else {
                Arc::new(Int64Array::from_iter_values(values.into_iter().map(|v| v as i64)))
            };
            Ok(field(a))
        }
        UserDtype::Float64 | UserDtype::Float32 => {
            let values: Vec<f64> = match classify(tokens) {
                Natural::Int(v) => {
                    if strict {
                        if let Some(p) = v.iter().position(|i| (*i as f64) as i64 != *i || (d == UserDtype::Float32 && (*i as f32) as i64 != *i)) {
                            return Err(refuse(p, tokens[p].unwrap_or(""), "cannot be represented exactly as a float; refusing a lossy conversion"));
                        }
                    } else if d == UserDtype::Float32 && v.iter().any(|i| (*i as f32) as i64 != *i) {
                        return Err(fail(unsafe_msg(d, "int64", col)));
                    }
                    v.into_iter().map(|i| i as f64).collect()
                }
                Natural::UInt(v) => v.into_iter().map(|i| i as f64).collect(),
                Natural::Float(v) => v,
                Natural::Bool(_) | Natural::BoolNa(_) if strict => {
                    return Err(refuse(0, tokens[0].unwrap_or(""), "is not a number; refusing to read a boolean as a float"));
                }
                Natural::Bool(b) => b.into_iter().map(|x| x as u8 as f64).collect(),
                Natural::BoolNa(b) => b.into_iter().map(|x| x.map_or(f64::NAN, |v| v as u8 as f64)).collect(),
                Natural::Str | Natural::RawStr | Natural::BigInt(_) => {
                    for t in tokens.iter().flatten() {
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
            let values: Vec<bool> = match parse_all(tokens, parse_bool) {
                Some(b) => without_na(b, "Bool", col).map_err(fail)?,
                None => match classify(tokens) {
                    Natural::Int(v) if v.iter().all(|i| *i == 0 || *i == 1) => v.into_iter().map(|i| i == 1).collect(),
                    Natural::Float(v) if v.iter().all(|f| *f == 0.0 || *f == 1.0) => v.into_iter().map(|f| f == 1.0).collect(),
                    other => return Err(fail(unsafe_msg(d, natural_name(&other), col))),
                },
            };
            let a: ArrayRef = Arc::new(BooleanArray::from(values));
            Ok(field(a))
        }
    }
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
    let csv_error = |e: CsvError| match e {
        CsvError::Empty => parse_error(&e.to_string(), "EmptyDataError"),
        other => parse_error(&other.to_string(), "ParserError"),
    };
    let mut reader = TextReader::new(text.as_bytes()).map_err(csv_error)?;
    let names = reader.labels().to_vec();
    let mut columns: Vec<Vec<Option<String>>> = vec![Vec::new(); names.len()];
    let mut rows = 0;
    while let Some(more) = reader.next_rows(usize::MAX).map_err(csv_error)? {
        rows += more.len();
        for (column, cells) in columns.iter_mut().zip(more.columns) {
            column.extend(cells);
        }
    }
    // Name → the first dtype given for it (hashed: linear in the width).
    let mut dtype_of: HashMap<&str, UserDtype> = HashMap::with_capacity(dtypes.len());
    for (n, d) in &dtypes {
        if let ColumnName::Str(s) = n {
            dtype_of.entry(s.as_str()).or_insert(*d);
        }
    }
    let mut fields = Vec::with_capacity(names.len());
    let mut arrays = Vec::with_capacity(names.len());
    for (j, (name, cells)) in names.iter().zip(&columns).enumerate() {
        let tokens: Vec<Option<&str>> = cells
            .iter()
            .map(|c| c.as_deref().filter(|t| !is_na(t)))
            .collect();
        let user = dtype_of.get(name.as_str()).copied();
        let (f, a) = match user {
            Some(d) => with_dtype(name, j, &tokens, d, compat)?,
            None if tokens.is_empty() => {
                let values: Vec<Value> = Vec::new();
                object_column(name, &values)
            }
            None => natural_column(name, classify(&tokens), &tokens),
        };
        fields.push(f);
        arrays.push(a);
    }
    let batch = super::cast::batch(fields, arrays, rows)?;
    Ok(ModelInput::Table(batch))
}
