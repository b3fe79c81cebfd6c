//! `signet::pandas::csv::read_csv` against real pandas: every input of
//! `tests/pandas/read_csv_cases.jsonl` (recorded from pandas 3.1.1's `pd.read_csv` by
//! `scripts/gen_pandas_cases.py`) must give pandas' labels, dtypes and values, or pandas'
//! error.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt64Type};
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, Field};
use signet::pandas::csv::read_csv;
use signet::table::{is_json_field, object_values, PANDAS_DTYPE_KEY};
use signet::{pyjson, Value};

fn dtype_name(field: &Field, array: &ArrayRef) -> String {
    if is_json_field(field) {
        return "object".into();
    }
    if let Some(d) = field.metadata().get(PANDAS_DTYPE_KEY) {
        return d.clone();
    }
    match array.data_type() {
        DataType::Int64 => "int64",
        DataType::UInt64 => "uint64",
        DataType::Float64 => "float64",
        DataType::Boolean => "bool",
        DataType::Utf8 => "str",
        _ => "?",
    }
    .to_string()
}

/// The cells as the recording writes them: missing values (NaN, None) as `null`, integers
/// beyond 64 bits as `{"$int": "<digits>"}`, non-finite floats as `{"$float": "inf"}`.
fn cells(field: &Field, array: &ArrayRef) -> Vec<Value> {
    let float = |f: f64| {
        if f.is_nan() {
            Value::None
        } else if f.is_infinite() {
            Value::dict([("$float", Value::str(if f > 0.0 { "inf" } else { "-inf" }))])
        } else {
            Value::Float(f)
        }
    };
    let int = |i: i128| {
        if i64::try_from(i).is_ok() || u64::try_from(i).is_ok() {
            Value::Int(i)
        } else {
            Value::dict([("$int", Value::str(i.to_string()))])
        }
    };
    if is_json_field(field) {
        return object_values(field, array.as_ref())
            .into_iter()
            .map(|v| match v {
                Value::Int(i) => int(i),
                Value::Float(f) => float(f),
                other => other,
            })
            .collect();
    }
    (0..array.len())
        .map(|i| {
            if array.is_null(i) {
                return Value::None;
            }
            match array.data_type() {
                DataType::Int64 => Value::Int(array.as_primitive::<Int64Type>().value(i).into()),
                DataType::UInt64 => Value::Int(array.as_primitive::<UInt64Type>().value(i).into()),
                DataType::Float64 => float(array.as_primitive::<Float64Type>().value(i)),
                DataType::Boolean => Value::Bool(array.as_boolean().value(i)),
                DataType::Utf8 => Value::str(array.as_string::<i32>().value(i)),
                other => Value::str(format!("<{other}>")),
            }
        })
        .collect()
}

fn check(case: &Value) -> Result<(), String> {
    let csv = match case.get("csv") {
        Some(Value::Str(s)) => s.clone(),
        _ => return Err("case without `csv`".into()),
    };
    let expect = case.get("expect").ok_or("case without `expect`")?;
    let got = read_csv(csv.as_bytes());
    if let Some(Value::Str(want)) = expect.get("error") {
        return match got {
            Ok(_) => Err(format!("read, pandas refuses: {want}")),
            Err(e) => {
                let class = match e {
                    signet::pandas::csv::CsvError::Empty => "EmptyDataError",
                    _ => "ParserError",
                };
                let have = format!("{class}: {e}");
                (have == *want)
                    .then_some(())
                    .ok_or(format!("error {have:?}, pandas {want:?}"))
            }
        };
    }
    let batch = got.map_err(|e| format!("refused ({e}), pandas reads it"))?;
    // One pass over the columns: their labels, dtypes and cells.
    let (mut labels, mut dtypes, mut values) = (Vec::new(), Vec::new(), Vec::new());
    for (f, a) in signet::table::fields_and_columns(&batch) {
        labels.push(Value::str(f.name().clone()));
        dtypes.push(Value::str(dtype_name(f, a)));
        values.push(Value::List(cells(f, a)));
    }
    let mut diffs = Vec::new();
    for (what, have) in [("columns", labels), ("dtypes", dtypes), ("values", values)] {
        let have = Value::List(have);
        match expect.get(what) {
            Some(want) if *want == have => {}
            want => diffs.push(format!(
                "{what}: pandas {}, signet {}",
                want.map_or("-".into(), pyjson::dumps),
                pyjson::dumps(&have)
            )),
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("; "))
    }
}

#[test]
fn read_csv_agrees_with_pandas() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/pandas/read_csv_cases.jsonl");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut failures = Vec::new();
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case = pyjson::loads(line).expect("case is JSON");
        let id = match case.get("id") {
            Some(Value::Str(s)) => s.clone(),
            _ => "?".into(),
        };
        count += 1;
        if let Err(diff) = check(&case) {
            failures.push(format!("{id}: {diff}"));
        }
    }
    println!(
        "pandas read_csv cases: {} agree, {} differ",
        count - failures.len(),
        failures.len()
    );
    assert!(count > 0, "no case in {}", path.display());
    assert!(
        failures.is_empty(),
        "{} case(s) differ from pandas:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
