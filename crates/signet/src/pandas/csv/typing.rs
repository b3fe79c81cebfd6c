//! The dtype pandas' C parser gives a column of cells when no dtype is asked for, and the
//! Arrow column that holds it (conventions in [`crate::table`]).
//!
//! In order: all cells missing → `float64` (NaN); integers → `int64`, else `uint64` (none
//! negative), else an `object` column of Python ints (some beyond `uint64` or below `int64`),
//! else `str` (`uint64`-range values mixed with negatives); an `int64` column with missing
//! cells → `float64`, a `uint64` one → `str` keeping the missing cells' text; numbers → `float64` (but `str` when one of them is an integer beyond the
//! 64-bit range); `True`/`False` spellings → `bool` (with missing cells an `object` column of
//! bools and NaN); anything else → `str`. A column with no rows is an empty `object` column.

use super::cells::{is_na, parse_bool, parse_float, parse_int};
use crate::table::{object_column, PANDAS_DTYPE_KEY};
use crate::value::Value;
use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray, UInt64Array};
use arrow_schema::Field;
use std::collections::HashMap;
use std::sync::Arc;

fn plain(label: &str, array: ArrayRef) -> (Field, ArrayRef) {
    (Field::new(label, array.data_type().clone(), true), array)
}

fn strings(label: &str, cells: &[Option<&str>], keep_na: bool) -> (Field, ArrayRef) {
    let texts = cells.iter().map(|c| c.filter(|c| keep_na || !is_na(c)));
    plain(label, Arc::new(texts.collect::<StringArray>()))
}

fn in_64_bits(i: i128) -> bool {
    i64::try_from(i).is_ok() || u64::try_from(i).is_ok()
}

/// The dtype pandas gives a column, with the values read as that dtype.
#[derive(Clone, Debug, PartialEq)]
pub enum Natural {
    /// `int64`.
    Int(Vec<i64>),
    /// `uint64`.
    UInt(Vec<u64>),
    /// `object` of Python ints (`None` = NaN).
    BigInt(Vec<Option<i128>>),
    /// `float64` (NaN for missing cells).
    Float(Vec<f64>),
    /// `bool`.
    Bool(Vec<bool>),
    /// `object` of bools and NaN (`None`).
    BoolNa(Vec<Option<bool>>),
    /// `str` (the cells themselves, missing values as NaN).
    Str,
    /// `str` with missing-value spellings kept as text: pandas' answer for integers beyond
    /// `int64` mixed with missing cells.
    RawStr,
}

impl Natural {
    /// The pandas dtype's name.
    pub fn dtype(&self) -> &'static str {
        match self {
            Natural::Int(_) => "int64",
            Natural::UInt(_) => "uint64",
            Natural::Float(_) => "float64",
            Natural::Bool(_) => "bool",
            Natural::BigInt(_) | Natural::BoolNa(_) => "object",
            Natural::Str | Natural::RawStr => "str",
        }
    }
}

fn float_values(cells: &[Option<&str>]) -> Vec<f64> {
    cells
        .iter()
        .map(|c| {
            c.filter(|c| !is_na(c))
                .and_then(parse_float)
                .unwrap_or(f64::NAN)
        })
        .collect()
}

/// Whether a cell is missing: absent (a short row) or an NA spelling.
fn missing(cell: &Option<&str>) -> bool {
    cell.is_none_or(is_na)
}

/// The dtype pandas gives a column of at least one cell (`None` = a field the row lacks; NA
/// spellings are recognised here).
pub fn classify(cells: &[Option<&str>]) -> Natural {
    let present: Vec<&str> = cells
        .iter()
        .filter(|c| !missing(c))
        .flatten()
        .copied()
        .collect();
    if present.is_empty() {
        return Natural::Float(float_values(cells));
    }
    let has_missing = present.len() < cells.len();
    let ints: Option<Vec<i128>> = present.iter().map(|c| parse_int(c)).collect();
    if let Some(ints) = ints {
        let all_64 = ints.iter().all(|i| in_64_bits(*i));
        if has_missing {
            if ints.iter().all(|i| i64::try_from(*i).is_ok()) {
                return Natural::Float(float_values(cells));
            }
            return if all_64 {
                Natural::RawStr
            } else {
                Natural::BigInt(
                    cells
                        .iter()
                        .map(|c| c.filter(|c| !is_na(c)).and_then(parse_int))
                        .collect(),
                )
            };
        }
        if let Ok(v) = ints
            .iter()
            .map(|i| i64::try_from(*i))
            .collect::<Result<Vec<i64>, _>>()
        {
            return Natural::Int(v);
        }
        if let Ok(v) = ints
            .iter()
            .map(|i| u64::try_from(*i))
            .collect::<Result<Vec<u64>, _>>()
        {
            return Natural::UInt(v);
        }
        if all_64 {
            // uint64-range values mixed with negatives: pandas keeps the text.
            return Natural::Str;
        }
        return Natural::BigInt(cells.iter().map(|c| c.and_then(parse_int)).collect());
    }
    if present.iter().all(|c| parse_float(c).is_some()) {
        if present
            .iter()
            .any(|c| parse_int(c).is_some_and(|i| !in_64_bits(i)))
        {
            return Natural::Str;
        }
        return Natural::Float(float_values(cells));
    }
    if present.iter().all(|c| parse_bool(c).is_some()) {
        let bools: Vec<Option<bool>> = cells
            .iter()
            .map(|c| c.filter(|c| !is_na(c)).and_then(parse_bool))
            .collect();
        if has_missing {
            return Natural::BoolNa(bools);
        }
        return Natural::Bool(bools.into_iter().map(|b| b.unwrap_or(false)).collect());
    }
    Natural::Str
}

/// The column of `cells` (`None` = a field the row lacks; NA spellings are missing values)
/// labelled `label`, typed as pandas types it.
pub fn type_column(label: &str, cells: &[Option<&str>]) -> (Field, ArrayRef) {
    if cells.is_empty() {
        let metadata = HashMap::from([(PANDAS_DTYPE_KEY.to_string(), "object".to_string())]);
        let (field, array) = strings(label, cells, false);
        return (field.with_metadata(metadata), array);
    }
    natural_column(label, classify(cells), cells)
}

/// The Arrow column of a classified column (`cells` are its cells, for the text dtypes).
pub fn natural_column(label: &str, natural: Natural, cells: &[Option<&str>]) -> (Field, ArrayRef) {
    match natural {
        Natural::Int(v) => plain(label, Arc::new(Int64Array::from(v))),
        Natural::UInt(v) => plain(label, Arc::new(UInt64Array::from(v))),
        Natural::Float(v) => plain(label, Arc::new(Float64Array::from(v))),
        Natural::Bool(v) => plain(label, Arc::new(BooleanArray::from(v))),
        Natural::Str => strings(label, cells, false),
        Natural::RawStr => strings(label, cells, true),
        Natural::BigInt(v) => object_column(label, &nan_for_missing(v, Value::Int)),
        Natural::BoolNa(v) => object_column(label, &nan_for_missing(v, Value::Bool)),
    }
}

/// The cells of an object column: each value through `f`, a missing one as pandas' NaN.
fn nan_for_missing<T>(values: Vec<Option<T>>, f: impl Fn(T) -> Value) -> Vec<Value> {
    values
        .into_iter()
        .map(|x| x.map_or(Value::Float(f64::NAN), &f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use arrow_schema::DataType;

    fn dtype(cells: &[Option<&str>]) -> String {
        let (field, array) = type_column("a", cells);
        let meta = field.metadata().get(PANDAS_DTYPE_KEY).cloned();
        let ext = crate::table::is_json_field(&field);
        match (array.data_type(), meta, ext) {
            (_, _, true) => "object(json)".into(),
            (_, Some(m), _) => m,
            (DataType::Int64, ..) => "int64".into(),
            (DataType::UInt64, ..) => "uint64".into(),
            (DataType::Float64, ..) => "float64".into(),
            (DataType::Boolean, ..) => "bool".into(),
            (DataType::Utf8, ..) => "str".into(),
            (other, ..) => format!("{other}"),
        }
    }

    #[test]
    fn column_dtypes_follow_pandas() {
        // Each expectation recorded from pandas 3.1.1 (`pd.read_csv(...).dtypes`).
        let cases: &[(&[Option<&str>], &str)] = &[
            (&[Some("1"), Some("2")], "int64"),
            (&[Some(" 1"), Some("2 ")], "int64"),
            (&[Some("1"), None], "float64"),
            (&[None, None], "float64"),
            (&[Some("9223372036854775808"), Some("1")], "uint64"),
            (&[Some("9223372036854775808"), Some("-1")], "str"),
            (
                &[Some("99999999999999999999999"), Some("-1")],
                "object(json)",
            ),
            (&[Some("-9223372036854775809"), Some("1")], "object(json)"),
            (&[Some("18446744073709551616")], "object(json)"),
            (&[Some("9223372036854775808"), Some("1.5")], "float64"),
            (&[Some("99999999999999999999999"), Some("1.5")], "str"),
            (&[Some("1"), Some("True")], "str"),
            (&[Some("1_000")], "str"),
            (&[Some("1e5"), Some(".5"), Some("5.")], "float64"),
            (&[Some("inf"), Some("-Infinity")], "float64"),
            (&[Some("True"), Some("false")], "bool"),
            (&[Some("True"), None], "object(json)"),
            (&[], "object"),
        ];
        for (cells, want) in cases {
            assert_eq!(dtype(cells), *want, "{cells:?}");
        }
    }
}
