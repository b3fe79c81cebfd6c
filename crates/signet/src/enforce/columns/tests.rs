//! Unit tests of column enforcement, and a replay of the corpus' column-schema cases.

use super::*;
use crate::elem::{model_input_from_value, model_input_to_value};
use crate::json_form::signature_from_value;
use crate::pyjson;
use crate::value::Value;
use arrow_schema::Schema as ArrowSchema;

/// Strips numpy scalar tags (recorded results write numpy scalars as plain values) and the
/// row index.
fn plain(v: &Value) -> Value {
    match v {
        Value::Dict(items) => {
            if items.len() == 1 {
                if let (Value::Str(k), Value::List(pair)) = (&items[0].0, &items[0].1) {
                    if k == "$numpy" && pair.len() == 2 {
                        return plain(&pair[1]);
                    }
                }
            }
            Value::Dict(
                items
                    .iter()
                    .filter(|(k, _)| !matches!(k, Value::Str(s) if s == "index"))
                    .map(|(k, x)| (k.clone(), plain(x)))
                    .collect(),
            )
        }
        Value::List(items) => Value::List(items.iter().map(plain).collect()),
        other => other.clone(),
    }
}

/// Whether no two of `specs` share a name, as the schema of these specs says.
pub(super) fn distinct(specs: &[ColSpec]) -> bool {
    crate::types::Schema::columns(specs.to_vec())
        .expect("schema")
        .names_distinct()
}

fn specs(json: &str) -> Vec<ColSpec> {
    let v = pyjson::loads(&format!(
        r#"{{"inputs": {}}}"#,
        pyjson::dumps(&Value::str(json))
    ))
    .expect("json");
    let sig = signature_from_value(&v).expect("signature");
    sig.inputs
        .and_then(|s| s.col_specs().map(<[ColSpec]>::to_vec))
        .expect("column specs")
}

fn table(cols: Vec<(&str, ArrayRef)>) -> ModelInput {
    let fields: Vec<arrow_schema::Field> = cols
        .iter()
        .map(|(n, a)| arrow_schema::Field::new(*n, a.data_type().clone(), true))
        .collect();
    let arrays = cols.into_iter().map(|(_, a)| a).collect();
    ModelInput::Table(
        RecordBatch::try_new(Arc::new(ArrowSchema::new(fields)), arrays).expect("batch"),
    )
}

/// Enforces `schema` (the `inputs` JSON) on an input given as a corpus Value; returns the
/// result as a corpus Value (numpy tags stripped) and the warnings.
fn run(schema: &str, input: &str, compat: Compat) -> Result<(String, Vec<String>), EnforceError> {
    let s = specs(schema);
    let input = model_input_from_value(&pyjson::loads(input).expect("input json")).expect("input");
    let mut w = Vec::new();
    let out = enforce_columns(&s, distinct(&s), input, compat, &mut w)?;
    Ok((
        pyjson::dumps(&plain(&model_input_to_value(&out))),
        w.into_iter().map(|w| w.message).collect(),
    ))
}

fn ok(schema: &str, input: &str) -> String {
    let (mlflow, _) = run(schema, input, Compat::Mlflow).expect("accepted");
    let (strict, _) = run(schema, input, Compat::Strict).expect("accepted in strict mode");
    assert_eq!(mlflow, strict);
    mlflow
}

fn err(schema: &str, input: &str) -> EnforceError {
    let e = run(schema, input, Compat::Mlflow).expect_err("refused");
    let s = run(schema, input, Compat::Strict).expect_err("refused in strict mode");
    assert_eq!(e, s);
    e
}

const LONG: &str = r#"[{"type": "long", "name": "sqft", "required": true}]"#;
const ABC: &str = r#"[{"type": "long", "name": "a", "required": true}, {"type": "string", "name": "b", "required": true}, {"type": "double", "name": "c", "required": false}]"#;
const UNNAMED: &str =
    r#"[{"type": "long", "required": true}, {"type": "string", "required": true}]"#;

fn df(cols: &str) -> String {
    format!(r#"{{"type": "dataframe", "columns": [{cols}]}}"#)
}

fn json(v: &str) -> String {
    format!(r#"{{"type": "json", "value": {v}}}"#)
}

#[test]
fn typed_columns_pass_through_without_copy() {
    use arrow_array::Int64Array;
    let s = specs(
        r#"[{"type": "long", "name": "b", "required": true}, {"type": "long", "name": "a", "required": true}]"#,
    );
    let a: ArrayRef = Arc::new(Int64Array::from(vec![1, 2]));
    let b: ArrayRef = Arc::new(Int64Array::from(vec![3, 4]));
    let input = table(vec![("a", a.clone()), ("b", b.clone())]);
    let mut w = Vec::new();
    let ModelInput::Table(out) =
        enforce_columns(&s, distinct(&s), input, Compat::Strict, &mut w).expect("ok")
    else {
        panic!("not a table")
    };
    // Reordered (row 20), the arrays themselves shared.
    assert!(Arc::ptr_eq(out.column(0), &b));
    assert!(Arc::ptr_eq(out.column(1), &a));
    assert!(w.is_empty());
}

#[test]
fn section_11_scalar_rules() {
    // Rows 1–3: int32 / uint32 → int64.
    for dtype in ["int64", "int32", "uint32"] {
        let out = ok(
            LONG,
            &df(&format!(
                r#"{{"name": "sqft", "dtype": "{dtype}", "values": [1500]}}"#
            )),
        );
        assert!(
            out.contains(r#""dtype": "int64", "values": [1500]"#),
            "{out}"
        );
    }
    // Row 4.
    let e = err(
        LONG,
        &df(r#"{"name": "sqft", "dtype": "uint64", "values": [1500]}"#),
    );
    assert_eq!(
        e.message(),
        "Incompatible input types for column sqft. Can not safely convert uint64 to int64."
    );
    assert_eq!(
        (e.kind, e.location.column.as_deref()),
        (ErrorKind::IncompatibleType, Some("sqft"))
    );
    assert_eq!(
        (e.expected.as_deref(), e.found.as_deref()),
        (Some("int64"), Some("uint64"))
    );
    // Rows 5–6: float64, with the hint only when NaN and integral.
    let e = err(
        LONG,
        &df(r#"{"name": "sqft", "dtype": "float64", "values": [1500.0]}"#),
    );
    assert!(e.message().ends_with("convert float64 to int64."));
    let e = err(
        LONG,
        &df(r#"{"name": "sqft", "dtype": "float64", "values": [1500.0, null]}"#),
    );
    assert!(e
        .message()
        .contains("float64 to int64. Hint: the type mismatch"));
    // Rows 7, 9, 10.
    for (dtype, v, found) in [
        ("str", r#""1500""#, "str"),
        ("bool", "true", "bool"),
        ("object", "null", "object"),
    ] {
        let e = err(
            LONG,
            &df(&format!(
                r#"{{"name": "sqft", "dtype": "{dtype}", "values": [{v}]}}"#
            )),
        );
        assert!(
            e.message().ends_with(&format!("convert {found} to int64.")),
            "{}",
            e.message()
        );
    }
    // Row 8: object of ints re-inferred.
    let out = ok(
        LONG,
        &df(r#"{"name": "sqft", "dtype": "object", "values": [1500]}"#),
    );
    assert!(out.contains(r#""dtype": "int64""#));
    // Row 11: a raw pandas error leaks.
    let e = err(
        LONG,
        &df(r#"{"name": "sqft", "dtype": "Int64", "values": [1, null]}"#),
    );
    assert_eq!(
        (e.message(), e.exception),
        ("cannot convert NA to integer", "ValueError")
    );
    assert_eq!(e.location.column, None);
    // Row 21: int64 of 0/1 → double; row 22: None → NaN.
    let out = ok(
        ABC,
        &df(
            r#"{"name": "c", "dtype": "int64", "values": [1]}, {"name": "b", "dtype": "str", "values": ["x"]}, {"name": "a", "dtype": "int64", "values": [1]}"#,
        ),
    );
    assert_eq!(
        out,
        df(
            r#"{"name": "a", "dtype": "int64", "values": [1]}, {"name": "b", "dtype": "str", "values": ["x"]}, {"name": "c", "dtype": "float64", "values": [1.0]}"#
        )
    );
    let out = ok(
        ABC,
        &df(
            r#"{"name": "a", "dtype": "int64", "values": [1]}, {"name": "b", "dtype": "object", "values": ["x"]}, {"name": "c", "dtype": "object", "values": [null]}"#,
        ),
    );
    assert!(
        out.contains(r#"{"name": "c", "dtype": "float64", "values": [null]}"#),
        "{out}"
    );
    // Row 27.
    let e = err(
        ABC,
        &df(
            r#"{"name": "a", "dtype": "int64", "values": [1]}, {"name": "b", "dtype": "int64", "values": [5]}"#,
        ),
    );
    assert!(e
        .message()
        .ends_with("column b. Can not safely convert int64 to <U0."));
    // Rows 36–39 (scalars and lists, unnamed and named).
    let dbl = r#"[{"type": "double", "required": true}]"#;
    assert!(err(dbl, &json("[1, 2]"))
        .message()
        .ends_with("column 0. Can not safely convert int64 to float64."));
    assert_eq!(
        ok(dbl, &json("[0, 1]")),
        df(r#"{"name": 0, "dtype": "float64", "values": [0.0, 1.0]}"#)
    );
    let f = r#"[{"type": "float", "name": "f", "required": true}]"#;
    assert!(err(f, &json(r#"{"f": 1.5}"#))
        .message()
        .ends_with("float64 to float32."));
    let i = r#"[{"type": "integer", "name": "i", "required": true}]"#;
    assert!(err(i, &json(r#"{"i": 1}"#))
        .message()
        .ends_with("int64 to int32."));
    // Row 42: str accepted for binary.
    let b = r#"[{"type": "binary", "name": "b", "required": true}]"#;
    assert_eq!(
        ok(b, &json(r#"{"b": "abc"}"#)),
        df(r#"{"name": "b", "dtype": "str", "values": ["abc"]}"#)
    );
}

#[test]
fn datetimes() {
    let d = r#"[{"type": "datetime", "name": "d", "required": true}]"#;
    // Row 40: strings are refused on this path; row 41: a datetime scalar in a dict.
    let e = err(d, &json(r#"{"d": "2020-01-01"}"#));
    assert!(e
        .message()
        .ends_with("column d. Can not safely convert str to datetime64[ns]."));
    let e = err(d, &json(r#"{"d": {"$datetime": "2020-01-01T00:00:00"}}"#));
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    assert!(e
        .message()
        .ends_with("DataFrame: If using all scalar values, you must pass an index"));
    // Any unit → ns; dates in object columns converted.
    let out = ok(
        d,
        &df(r#"{"name": "d", "dtype": "datetime64[s]", "values": ["2020-01-01T00:00:00", null]}"#),
    );
    assert_eq!(
        out,
        df(
            r#"{"name": "d", "dtype": "datetime64[ns]", "values": ["2020-01-01T00:00:00.000000000", null]}"#
        )
    );
    let out = ok(
        d,
        &df(r#"{"name": "d", "dtype": "object", "values": [{"$date": "2020-01-02"}, null]}"#),
    );
    assert!(out.contains(r#""datetime64[ns]", "values": ["2020-01-02T00:00:00.000000000", null]"#));
    // Timezone-aware columns are refused.
    let e = err(
        d,
        &df(r#"{"name": "d", "dtype": "datetime64[us, UTC]", "values": ["2020-01-01T00:00:00"]}"#),
    );
    assert!(e.message().starts_with(
        "Please ensure that the input data of datetime column only contains timezone-naive"
    ));
    // Raw TypeErrors leak.
    let e = err(
        d,
        &df(r#"{"name": "d", "dtype": "object", "values": [{"$bytes": "YWI="}, null]}"#),
    );
    assert_eq!(
        (e.message(), e.exception),
        (
            "<class 'bytes'> is not convertible to datetime",
            "TypeError"
        )
    );
    let e = err(
        d,
        &df(r#"{"name": "d", "dtype": "object", "values": [{"$date": "2020-01-02"}, "x"]}"#),
    );
    assert_eq!(
        e.message(),
        "Failed to convert column d from type object to DataType.datetime."
    );
}

#[test]
fn presence_order_and_extras() {
    // Row 12: extra column dropped with a warning.
    let (out, w) = run(LONG, &df(r#"{"name": "sqft", "dtype": "int64", "values": [1]}, {"name": "x", "dtype": "int64", "values": [2]}"#), Compat::Mlflow).expect("ok");
    assert_eq!(
        out,
        df(r#"{"name": "sqft", "dtype": "int64", "values": [1]}"#)
    );
    assert_eq!(w, vec!["Found extra inputs in the model input that are not defined in the model signature: `['x']`. These inputs will be ignored.".to_string()]);
    // Rows 13, 23, 24: missing in schema order, extras in input order.
    let e = err(
        ABC,
        &df(
            r#"{"name": "z", "dtype": "int64", "values": [1]}, {"name": "y", "dtype": "int64", "values": [1]}"#,
        ),
    );
    assert_eq!(
        e.message(),
        "Model is missing inputs ['a', 'b']. Note that there were extra inputs: ['z', 'y']."
    );
    assert_eq!(
        (e.kind, e.location.column.as_deref()),
        (ErrorKind::MissingInputs, Some("a"))
    );
    let e = err(
        ABC,
        &df(r#"{"name": "a", "dtype": "int64", "values": [1]}"#),
    );
    assert_eq!(e.message(), "Model is missing inputs ['b'].");
    // Row 17: a bare list, ndarray or scalar is column 0.
    for input in [
        json("[1500, 1600]"),
        json("1500"),
        r#"{"type": "ndarray", "dtype": "int64", "shape": [2], "values": [1500, 1600]}"#
            .to_string(),
    ] {
        let e = err(LONG, &input);
        assert_eq!(
            e.message(),
            "Model is missing inputs ['sqft']. Note that there were extra inputs: [0]."
        );
    }
    // Row 19.
    let e = err(LONG, &json("null"));
    assert_eq!(
        (e.kind, e.message()),
        (
            ErrorKind::InvalidInput,
            "Expected input to be DataFrame. Found: NoneType"
        )
    );
    // Row 18: a named Series.
    let out = ok(
        LONG,
        r#"{"type": "series", "name": "sqft", "dtype": "int32", "values": [1500]}"#,
    );
    assert_eq!(
        out,
        df(r#"{"name": "sqft", "dtype": "int64", "values": [1500]}"#)
    );
    // Optional columns absent stay absent.
    let out = ok(
        ABC,
        &df(
            r#"{"name": "b", "dtype": "str", "values": ["x"]}, {"name": "a", "dtype": "int64", "values": [1]}"#,
        ),
    );
    assert_eq!(
        out,
        df(
            r#"{"name": "a", "dtype": "int64", "values": [1]}, {"name": "b", "dtype": "str", "values": ["x"]}"#
        )
    );
}

#[test]
fn unnamed_schemas() {
    // Row 29–30: positional, labels kept, extra columns dropped silently.
    let (out, w) = run(UNNAMED, &df(r#"{"name": "x", "dtype": "int32", "values": [1]}, {"name": "y", "dtype": "str", "values": ["s"]}, {"name": "z", "dtype": "str", "values": ["t"]}"#), Compat::Mlflow).expect("ok");
    assert_eq!(
        out,
        df(
            r#"{"name": "x", "dtype": "int64", "values": [1]}, {"name": "y", "dtype": "str", "values": ["s"]}"#
        )
    );
    assert!(w.is_empty());
    // Row 31.
    let e = err(
        UNNAMED,
        &df(r#"{"name": "x", "dtype": "int64", "values": [1]}"#),
    );
    assert_eq!(e.message(), "Model inference is missing inputs. The model signature declares 2 inputs  but the provided value only has 1 inputs. Note: the inputs were not named in the signature so we can only verify their count.");
    // Row 33: list of lists.
    let out = ok(UNNAMED, &json(r#"[[1, "s"], [2, "t"]]"#));
    assert_eq!(
        out,
        df(
            r#"{"name": 0, "dtype": "int64", "values": [1, 2]}, {"name": 1, "dtype": "str", "values": ["s", "t"]}"#
        )
    );
    // Row 34–35: scalars.
    let s = r#"[{"type": "string", "required": true}]"#;
    assert_eq!(
        ok(s, &json(r#""hello""#)),
        df(r#"{"name": 0, "dtype": "str", "values": ["hello"]}"#)
    );
    assert!(err(s, &json("5"))
        .message()
        .ends_with("column 0. Can not safely convert int64 to <U0."));
}

#[test]
fn dict_and_records_inputs() {
    // Rows 14–16.
    let two = r#"[{"type": "long", "name": "sqft", "required": true}]"#;
    assert_eq!(
        ok(two, &json(r#"{"sqft": 1500}"#)),
        df(r#"{"name": "sqft", "dtype": "int64", "values": [1500]}"#)
    );
    assert_eq!(
        ok(two, &json(r#"{"sqft": [1500, 1600]}"#)),
        df(r#"{"name": "sqft", "dtype": "int64", "values": [1500, 1600]}"#)
    );
    assert_eq!(
        ok(two, &json(r#"[{"sqft": 1500}]"#)),
        df(r#"{"name": "sqft", "dtype": "int64", "values": [1500]}"#)
    );
    // Row 28: records, missing keys are NaN.
    let out = ok(
        ABC,
        &json(r#"[{"a": 1, "b": "x"}, {"a": 2, "b": "y", "c": 2.5}]"#),
    );
    assert!(
        out.ends_with(r#"{"name": "c", "dtype": "float64", "values": [null, 2.5]}]}"#),
        "{out}"
    );
    // Broadcasting, and pandas' construction errors.
    let out = ok(two, &json(r#"{"sqft": [1, 2], "c": "z"}"#));
    assert_eq!(
        out,
        df(r#"{"name": "sqft", "dtype": "int64", "values": [1, 2]}"#)
    );
    let e = err(two, &json(r#"{"sqft": [1, 2], "c": [1]}"#));
    assert!(e.message().ends_with("There was an error casting the input data to a DataFrame: All arrays must be of the same length"));
    // A list of strings is one cell (one row).
    let s = r#"[{"type": "string", "name": "b", "required": true}]"#;
    assert_eq!(
        ok(s, &json(r#"{"b": ["x", "y"]}"#)),
        df(r#"{"name": "b", "dtype": "object", "values": [["x", "y"]]}"#)
    );
    // Row 58: a dict value is an index for pandas.
    let m = r#"[{"type": "map", "values": {"type": "double"}, "name": "m", "required": true}]"#;
    assert_eq!(
        err(m, &json(r#"{"m": {"a": 1.5}}"#)).message(),
        "Expected data to be a dict, got float"
    );
    // ndim > 2.
    let e = err(
        s,
        r#"{"type": "ndarray", "dtype": "int64", "shape": [1, 1, 1], "values": [[[1]]]}"#,
    );
    assert_eq!(
        (e.message(), e.exception),
        ("Must pass 2-d input. shape=(1, 1, 1)", "ValueError")
    );
}

#[test]
fn composite_columns() {
    let arr = r#"[{"type": "array", "items": {"type": "long"}, "name": "a", "required": true}]"#;
    let opt = r#"[{"type": "array", "items": {"type": "long"}, "name": "a", "required": false}]"#;
    let obj = r#"[{"type": "object", "properties": {"x": {"type": "long", "required": true}, "y": {"type": "string", "required": false}}, "name": "o", "required": true}]"#;
    let map = r#"[{"type": "map", "values": {"type": "double"}, "name": "m", "required": true}]"#;
    let col = |name: &str, v: &str| {
        df(&format!(
            r#"{{"name": "{name}", "dtype": "object", "values": {v}}}"#
        ))
    };
    // Rows 43–49.
    assert_eq!(
        ok(arr, &col("a", "[[1, 2], [3]]")),
        col("a", "[[1, 2], [3]]")
    );
    let e = err(arr, &json(r#"{"a": [1.5, 2.0]}"#));
    assert_eq!(
        e.message(),
        "Incompatible input types for column . Can not safely convert float64 to int64."
    );
    assert_eq!(e.location.column, None);
    assert_eq!(
        err(arr, &col("a", "[1]")).message(),
        "Expected data to be list or numpy array, got int"
    );
    assert_eq!(
        err(arr, &col("a", "[null]")).message(),
        "Expected data to be list or numpy array, got NoneType"
    );
    assert_eq!(ok(opt, &col("a", "[null]")), col("a", "[null]"));
    assert_eq!(ok(arr, &col("a", "[[]]")), col("a", "[[]]"));
    let dbl = r#"[{"type": "array", "items": {"type": "double"}, "name": "a", "required": true}]"#;
    assert!(err(dbl, &json(r#"{"a": [1, 2]}"#))
        .message()
        .ends_with("convert int64 to float64."));
    assert_eq!(ok(dbl, &json(r#"{"a": [0, 1]}"#)), col("a", "[[0.0, 1.0]]"));
    // Rows 50–57.
    assert_eq!(
        ok(obj, &json(r#"{"o": {"x": 1, "y": "s"}}"#)),
        col("o", r#"[{"x": 1, "y": "s"}]"#)
    );
    assert_eq!(
        err(obj, &json(r#"{"o": {"y": "s"}}"#)).message(),
        "Missing required properties: {'x'}"
    );
    assert_eq!(
        err(obj, &json(r#"{"o": {"x": 1, "z": 2}}"#)).message(),
        "Invalid properties not defined in the schema found: {'z'}"
    );
    assert_eq!(
        err(obj, &json(r#"{"o": {"x": "s"}}"#)).message(),
        "Failed to enforce schema for key `x`. Expected type long, received type str"
    );
    assert_eq!(
        err(obj, &json(r#"{"o": {"x": 1.0}}"#)).message(),
        "Failed to enforce schema for key `x`. Expected type long, received type float"
    );
    assert_eq!(err(obj, &col("o", r#"["s"]"#)).message(), "Failed to enforce schema of 's' with type '{x: long (required), y: string (optional)}'. Expected data to be dictionary, got str");
    assert_eq!(
        err(obj, &json(r#"{"o": {"x": null}}"#)).message(),
        "Failed to enforce schema for key `x`. Expected type long, received type NoneType"
    );
    assert_eq!(
        ok(obj, &json(r#"{"o": {"x": 1, "y": null}}"#)),
        col("o", r#"[{"x": 1, "y": null}]"#)
    );
    // Rows 59–62.
    assert_eq!(
        ok(map, &json(r#"[{"m": {"a": 1.5}}]"#)),
        col("m", r#"[{"a": 1.5}]"#)
    );
    assert_eq!(
        ok(map, &col("m", r#"[{"a": 1}]"#)),
        col("m", r#"[{"a": 1.0}]"#)
    );
    assert_eq!(
        err(map, &col("m", r#"[{"a": 2}]"#)).message(),
        "Failed to enforce schema of data `2` with dtype `double`"
    );
    assert_eq!(
        err(map, &col("m", r#"[{"$dict": [[1, 1.5]]}]"#)).message(),
        "Expected all keys in the map type data are string type."
    );
    assert_eq!(
        err(map, &col("m", r#"[{"a": null}]"#)).message(),
        "Expected data to be scalar, got NoneType"
    );
    // Converted scalars are numpy scalars.
    let s = specs(obj);
    let input = model_input_from_value(&pyjson::loads(&json(r#"{"o": {"x": 1}}"#)).expect("json"))
        .expect("input");
    let out =
        enforce_columns(&s, distinct(&s), input, Compat::Mlflow, &mut Vec::new()).expect("ok");
    assert!(pyjson::dumps(&model_input_to_value(&out)).contains(r#"{"$numpy": ["int64", 1]}"#));
    // Row 63–64: Any.
    let any = r#"[{"type": "any", "name": "z", "required": true}]"#;
    assert_eq!(
        ok(any, &col("z", r#"[{"q": [1, "a"]}]"#)),
        col("z", r#"[{"q": [1, "a"]}]"#)
    );
    assert_eq!(
        ok(
            any,
            &df(r#"{"name": "z", "dtype": "int16", "values": [1]}"#)
        ),
        df(r#"{"name": "z", "dtype": "int64", "values": [1]}"#)
    );
    assert_eq!(
        err(
            any,
            &df(r#"{"name": "b", "dtype": "int16", "values": [1]}"#)
        )
        .message(),
        "Model is missing inputs ['z']. Note that there were extra inputs: ['b']."
    );
}

/// Every Strict-mode difference, in both modes.
#[test]
fn strict_mode_differences() {
    let both = |schema: &str, input: &str| {
        let m = run(schema, input, Compat::Mlflow).map(|(v, _)| v);
        let s = run(schema, input, Compat::Strict);
        (m, s)
    };
    let col = |dtype: &str, v: &str| {
        df(&format!(
            r#"{{"name": "x", "dtype": "{dtype}", "values": {v}}}"#
        ))
    };
    let spec = |t: &str| format!(r#"[{{"type": "{t}", "name": "x", "required": true}}]"#);
    // S1: object columns passed unchanged for boolean / string / binary hold other types.
    for (t, v) in [
        ("boolean", r#"[1, "a"]"#),
        ("string", "[1, 2]"),
        ("binary", r#"[true, null]"#),
    ] {
        let (m, s) = both(&spec(t), &col("object", v));
        assert_eq!(m.expect("MLflow passes it"), col("object", v));
        let e = s.expect_err("strict refuses");
        assert_eq!(
            (e.kind, e.location.row),
            (ErrorKind::IncompatibleType, Some(0))
        );
        assert_eq!(e.location.column.as_deref(), Some("x"));
    }
    let (_, s) = both(&spec("boolean"), &col("object", "[true, null]"));
    assert!(s.is_ok(), "bools and missing values pass");
    // S2: the numeric parse of text, bytes and bools for double.
    let (m, s) = both(&spec("double"), &col("object", r#"[1, "2"]"#));
    assert_eq!(m.expect("parsed"), col("int64", "[1, 2]"));
    let e = s.expect_err("strict refuses");
    assert_eq!(
        (e.location.row, e.location.value.as_deref()),
        (Some(1), Some("'2'"))
    );
    let (m, s) = both(&spec("double"), &col("object", "[true, null]"));
    assert_eq!(m.expect("parsed"), col("float64", "[1.0, null]"));
    assert!(s.is_err());
    let (_, s) = both(&spec("double"), &col("object", r#"[1, null, 2.5]"#));
    assert!(s.is_ok(), "numbers parse in both modes");
    // S3: numbers read as epoch nanoseconds for datetime.
    let (m, s) = both(
        &spec("datetime"),
        &col("object", r#"[{"$date": "2020-01-01"}, 5]"#),
    );
    assert_eq!(
        m.expect("converted"),
        col(
            "datetime64[ns]",
            r#"["2020-01-01T00:00:00.000000000", "1970-01-01T00:00:00.000000005"]"#
        )
    );
    assert_eq!(s.expect_err("strict refuses").location.row, Some(1));
    // S4: array elements `to_numpy` would rewrite (missing → 'n'/'nan'/'None'/False,
    // numbers → text).
    let arr = |t: &str| {
        format!(
            r#"[{{"type": "array", "items": {{"type": "{t}"}}, "name": "x", "required": true}}]"#
        )
    };
    for (t, v, mlflow) in [
        ("string", r#"[["a", null]]"#, r#"[["a", "n"]]"#),
        ("string", r#"[["abcd", null]]"#, r#"[["abcd", "nan"]]"#),
        ("string", r#"[["a", 1]]"#, r#"[["a", "1"]]"#),
        ("string", r#"[["a", 1, null]]"#, r#"[["a", "1", "None"]]"#),
        ("boolean", r#"[[true, null]]"#, "[[true, false]]"),
    ] {
        let (m, s) = both(&arr(t), &col("object", v));
        assert_eq!(
            m.expect("MLflow converts"),
            col("object", mlflow),
            "{t} {v}"
        );
        let e = s.expect_err("strict refuses");
        assert_eq!(e.kind, ErrorKind::IncompatibleType);
        assert!(e.location.row.is_some());
    }
    let (m, s) = both(&arr("string"), &col("object", r#"[["a", "b"]]"#));
    assert_eq!(m.expect("ok"), s.expect("ok").0);
}

#[test]
fn malformed_tensors_are_refused_not_panicking() {
    use crate::input::{Tensor, TensorData};
    use crate::types::NumpyDtype;
    let s = specs(LONG);
    for shape in [vec![3], vec![2, 2], vec![usize::MAX, 2]] {
        let t = Tensor {
            dtype: NumpyDtype::Object,
            shape,
            data: TensorData::Object(vec![Value::Int(1)]),
        };
        let e = enforce_columns(
            &s,
            distinct(&s),
            ModelInput::Tensor(t.clone()),
            Compat::Mlflow,
            &mut Vec::new(),
        )
        .expect_err("refused");
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        let dict = ModelInput::TensorDict(vec![("sqft".into(), t)]);
        assert!(enforce_columns(&s, distinct(&s), dict, Compat::Mlflow, &mut Vec::new()).is_err());
    }
}

#[test]
fn a_repeated_schema_column_is_refused_in_both_modes() {
    let input = df(
        r#"{"name": "sqft", "dtype": "int64", "values": [1500]}, {"name": "sqft", "dtype": "int64", "values": [7]}"#,
    );
    let m = run(LONG, &input, Compat::Mlflow).expect_err("refused");
    assert_eq!(m.message(), "'DataFrame' object has no attribute 'dtype'");
    assert_eq!(m.exception, "AttributeError");
    let s = run(LONG, &input, Compat::Strict).expect_err("refused");
    assert_eq!(
        s.message(),
        "Column 'sqft' appears 2 times in the input; each column must appear once."
    );
}
