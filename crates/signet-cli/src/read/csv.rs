//! `.csv` files, typed as `pd.read_csv` (C parser, default options) types them.
//!
//! Cells are first read as text (arrow-csv, all columns Utf8); each column then gets the first
//! of these pandas dtypes that fits all its non-missing cells:
//!
//! * missing cells: empty, or one of pandas' default NA strings (`NA`, `NaN`, `null`, `None`,
//!   `N/A`, `#N/A`, `<NA>`, `nan`, `-nan`, ...);
//! * `int64` (Arrow Int64) — `uint64` for integers beyond `i64`; an integer column with
//!   missing cells is `float64` (pandas cannot hold NaN in an int column);
//! * `float64` (Float64; missing cells are null = NaN); an all-missing column is `float64` too;
//! * `bool` (Boolean) for `True`/`TRUE`/`true`/`False`/`FALSE`/`false`; with missing cells
//!   pandas keeps an `object` column of bools and NaN (Boolean, metadata `object`);
//! * otherwise `str` (Utf8) — text that looks like a date stays text, as in pandas.
//!
//! An integer column beyond `uint64` is an `object` column of Python ints (an `arrow.json`
//! column), and a header-only file gives empty `object` columns. Column labels follow pandas
//! too: an empty header cell becomes `Unnamed: <i>` and a repeated label `a` becomes `a.1`,
//! `a.2`, ...

use super::{read_file, utf8_text};
use crate::error::CliError;
use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray, UInt64Array,
};
use arrow_csv::reader::{Format, ReaderBuilder};
use arrow_schema::{ArrowError, DataType, Field, Schema};
use signet::table::{EXTENSION_NAME_KEY, JSON_EXTENSION, PANDAS_DTYPE_KEY};
use signet::ModelInput;
use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

/// pandas' default `na_values` (`pandas._libs.parsers.STR_NA_VALUES`) plus the empty cell.
const NA_VALUES: &[&str] = &[
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// Reads a CSV file into a DataFrame-like record batch.
pub fn read(path: &std::path::Path) -> Result<ModelInput, CliError> {
    let bytes = read_file(path)?;
    let text = utf8_text(path, &bytes)?;
    let csv_error = |e: ArrowError| CliError::file(path, format!("invalid CSV: {}", strip(&e)));
    let format = Format::default()
        .with_header(true)
        .with_truncated_rows(true);
    let (header, _) = format
        .infer_schema(Cursor::new(text.as_bytes()), Some(0))
        .map_err(csv_error)?;
    if header.fields().is_empty() {
        return Err(CliError::file(path, "no columns to parse (empty CSV file)"));
    }
    let text_schema = Arc::new(Schema::new(
        header
            .fields()
            .iter()
            .enumerate()
            .map(|(i, _)| Field::new(format!("c{i}"), DataType::Utf8, true))
            .collect::<Vec<_>>(),
    ));
    let reader = ReaderBuilder::new(text_schema)
        .with_format(format)
        .build(Cursor::new(text.as_bytes()))
        .map_err(csv_error)?;

    let mut cells: Vec<Vec<Option<String>>> = vec![Vec::new(); header.fields().len()];
    for batch in reader {
        let batch = batch.map_err(csv_error)?;
        for (column, out) in batch.columns().iter().zip(cells.iter_mut()) {
            let Some(strings) = column.as_any().downcast_ref::<StringArray>() else {
                return Err(CliError::file(
                    path,
                    "internal error: CSV cells are not text",
                ));
            };
            out.extend(
                strings
                    .iter()
                    .map(|s| s.filter(|s| !NA_VALUES.contains(s)).map(str::to_string)),
            );
        }
    }

    let labels = pandas_labels(header.fields().iter().map(|f| f.name().as_str()));
    let mut fields = Vec::with_capacity(cells.len());
    let mut columns = Vec::with_capacity(cells.len());
    for (label, values) in labels.into_iter().zip(&cells) {
        let (array, metadata) = type_column(values);
        fields.push(Field::new(label, array.data_type().clone(), true).with_metadata(metadata));
        columns.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map(ModelInput::Table)
        .map_err(|e| CliError::file(path, format!("cannot build the table: {e}")))
}

/// arrow-csv prefixes its messages with the error kind ("Csv error: ..."); keep the message.
fn strip(e: &ArrowError) -> String {
    match e {
        ArrowError::CsvError(msg) | ArrowError::ParseError(msg) => msg.clone(),
        other => other.to_string(),
    }
}

/// Column labels as pandas' C parser makes them from a header row: an empty cell becomes
/// `Unnamed: <i>`; a repeated label `a` becomes `a.1`, `a.2`, ..., skipping labels the header
/// already has (named columns are renamed first, unnamed ones last).
fn pandas_labels<'a>(header: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut unnamed = Vec::new();
    for (i, h) in header.enumerate() {
        if h.is_empty() {
            names.push(format!("Unnamed: {i}"));
            unnamed.push(i);
        } else {
            names.push(h.to_string());
        }
    }
    let order: Vec<usize> = (0..names.len())
        .filter(|i| !unnamed.contains(i))
        .chain(unnamed.iter().copied())
        .collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for i in order {
        let old = names[i].clone();
        let mut col = old.clone();
        let mut cur = counts.get(&col).copied().unwrap_or(0);
        while cur > 0 {
            counts.insert(old.clone(), cur + 1);
            col = format!("{old}.{cur}");
            if names.contains(&col) {
                cur += 1;
            } else {
                cur = counts.get(&col).copied().unwrap_or(0);
            }
        }
        names[i] = col.clone();
        counts.insert(col, cur + 1);
    }
    names
}

/// The Arrow column for one CSV column's cells (`None` = missing), with the field metadata
/// giving the pandas dtype when the Arrow type alone does not say it.
fn type_column(values: &[Option<String>]) -> (ArrayRef, Metadata) {
    let present = || values.iter().flatten().map(|s| s.as_str());
    let has_missing = values.iter().any(Option::is_none);
    let no_metadata = Metadata::new();

    if values.is_empty() {
        // A header-only file: pandas gives empty `object` columns.
        let empty = StringArray::from(Vec::<Option<&str>>::new());
        return (Arc::new(empty), pandas_dtype("object"));
    }
    if !present().any(|_| true) {
        // Nothing but missing cells: all-NaN float64.
        return (float_column(values), no_metadata);
    }
    if present().all(|s| parse_int(s).is_some()) {
        if has_missing {
            return (float_column(values), no_metadata);
        }
        if let Some(ints) = present()
            .map(|s| parse_int(s).and_then(|i| i.try_into().ok()))
            .collect::<Option<Vec<i64>>>()
        {
            return (Arc::new(Int64Array::from(ints)), no_metadata);
        }
        if let Some(uints) = present()
            .map(|s| parse_int(s).and_then(|i| i.try_into().ok()))
            .collect::<Option<Vec<u64>>>()
        {
            return (Arc::new(UInt64Array::from(uints)), no_metadata);
        }
        // Beyond uint64: an object column of Python ints, as JSON cells.
        if let Some(texts) = present()
            .map(|s| parse_int(s).map(|i| i.to_string()))
            .collect::<Option<Vec<String>>>()
        {
            let metadata =
                Metadata::from([(EXTENSION_NAME_KEY.to_string(), JSON_EXTENSION.to_string())]);
            return (Arc::new(StringArray::from(texts)), metadata);
        }
        return (string_column(values), no_metadata);
    }
    if present().all(|s| parse_float(s).is_some()) {
        return (float_column(values), no_metadata);
    }
    if present().all(|s| parse_bool(s).is_some()) {
        let bools: BooleanArray = values
            .iter()
            .map(|v| v.as_deref().and_then(parse_bool))
            .collect();
        // With missing cells pandas keeps an object column of bools and NaN.
        let metadata = if has_missing {
            pandas_dtype("object")
        } else {
            no_metadata
        };
        return (Arc::new(bools), metadata);
    }
    (string_column(values), no_metadata)
}

/// Field metadata.
type Metadata = HashMap<String, String>;

/// Metadata overriding the pandas dtype.
fn pandas_dtype(dtype: &str) -> Metadata {
    Metadata::from([(PANDAS_DTYPE_KEY.to_string(), dtype.to_string())])
}

/// A Utf8 (pandas `str`) column, missing cells null.
fn string_column(values: &[Option<String>]) -> ArrayRef {
    Arc::new(values.iter().map(|v| v.as_deref()).collect::<StringArray>())
}

/// A Float64 column: every present cell parsed (ints included), missing cells null (NaN).
fn float_column(values: &[Option<String>]) -> ArrayRef {
    Arc::new(
        values
            .iter()
            .map(|v| v.as_deref().and_then(parse_float))
            .collect::<Float64Array>(),
    )
}

/// An integer as pandas' tokenizer reads it: optional sign, decimal digits, surrounding
/// spaces allowed. Integers beyond 128 bits are not integers here (they stay text).
fn parse_int(s: &str) -> Option<i128> {
    let t = s.trim_matches([' ', '\t']);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.trim_start_matches('+').parse::<i128>().ok()
}

/// A float as pandas' tokenizer reads it: decimal or scientific notation, `inf`/`infinity`
/// with an optional sign (any case), surrounding spaces allowed. NaN spellings that are not
/// NA values are text.
fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim_matches([' ', '\t']);
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t).to_ascii_lowercase();
    if unsigned == "inf" || unsigned == "infinity" {
        return t.parse().ok();
    }
    if !unsigned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
    {
        return None;
    }
    t.parse().ok()
}

/// pandas' default `true_values` / `false_values`.
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "True" | "TRUE" | "true" => Some(true),
        "False" | "FALSE" | "false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;

    fn col(cells: &[&str]) -> (ArrayRef, Metadata) {
        let values: Vec<Option<String>> = cells
            .iter()
            .map(|s| (!NA_VALUES.contains(s)).then(|| s.to_string()))
            .collect();
        type_column(&values)
    }

    #[test]
    fn column_types_follow_pandas() {
        assert_eq!(
            col(&["1", "2", "-3", "+4", "007"]).0.data_type(),
            &DataType::Int64
        );
        assert_eq!(col(&["1", "", "3"]).0.data_type(), &DataType::Float64);
        assert_eq!(col(&["1", "NA", "3"]).0.null_count(), 1);
        assert_eq!(
            col(&["1.5", "2", "1e3", "inf", "-Infinity"]).0.data_type(),
            &DataType::Float64
        );
        assert_eq!(col(&["", "NaN"]).0.data_type(), &DataType::Float64);
        assert!(col(&["True", "false", "TRUE"]).1.is_empty());
        assert_eq!(col(&["True", "false"]).0.data_type(), &DataType::Boolean);
        assert_eq!(col(&["True", ""]).1, pandas_dtype("object"));
        assert_eq!(col(&["yes", "no"]).0.data_type(), &DataType::Utf8);
        assert_eq!(
            col(&["2020-01-01", "2021-02-03"]).0.data_type(),
            &DataType::Utf8
        );
        assert_eq!(col(&["1", "x"]).0.data_type(), &DataType::Utf8);
        assert_eq!(col(&["1", "True"]).0.data_type(), &DataType::Utf8);
        assert_eq!(col(&["NAN"]).0.data_type(), &DataType::Utf8);
        assert_eq!(col(&["0x10"]).0.data_type(), &DataType::Utf8);
        assert_eq!(
            col(&["18446744073709551615"]).0.data_type(),
            &DataType::UInt64
        );
        let (big, metadata) = col(&["99999999999999999999999", "+1"]);
        assert_eq!(big.data_type(), &DataType::Utf8);
        assert_eq!(metadata[EXTENSION_NAME_KEY], JSON_EXTENSION);
        assert_eq!(col(&[]).1, pandas_dtype("object"));
    }

    #[test]
    fn labels_follow_pandas() {
        assert_eq!(
            pandas_labels(["a", "", "a", "a.1", "a"].into_iter()),
            ["a", "Unnamed: 1", "a.2", "a.1", "a.3"]
        );
    }
}
