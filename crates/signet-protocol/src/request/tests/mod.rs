//! Unit tests of request parsing: every error path, MLflow's quirks (in both modes) and
//! strict mode's refusals, plus property tests (no panics on arbitrary bytes; the byte
//! scanner and the value-based reader build the same frames; the typed readers and the value
//! path give the same input). One file per job; the shared helpers are here.

mod bodies;
mod envelope;
mod frames;
mod properties;
mod tf;
mod typed;

use super::*;
use proptest::prelude::*;
use signet::elem::model_input_to_value;
use signet::json_form::{param_schema_from_json, schema_from_json};
use signet::pyjson::loads;

const M: Compat = Compat::Mlflow;
const S: Compat = Compat::Strict;
const JSON: Option<&str> = Some("application/json");

fn sig(inputs: &str) -> ModelSignature {
    ModelSignature {
        inputs: Some(schema_from_json(inputs).unwrap()),
        outputs: None,
        params: None,
    }
}

fn sig_params(inputs: &str, params: &str) -> ModelSignature {
    ModelSignature {
        params: Some(param_schema_from_json(params).unwrap()),
        ..sig(inputs)
    }
}

fn long(name: &str) -> String {
    format!("{{\"type\": \"long\", \"name\": \"{name}\", \"required\": true}}")
}

fn one(name: &str, ty: &str) -> ModelSignature {
    sig(&format!(
        "[{{\"type\": \"{ty}\", \"name\": \"{name}\", \"required\": true}}]"
    ))
}

fn house() -> ModelSignature {
    sig(&format!("[{}, {}]", long("sqft"), long("bedrooms")))
}

fn parse(body: &str, s: Option<&ModelSignature>, c: Compat) -> Result<ParsedRequest, RequestError> {
    parse_request(JSON, body.as_bytes(), s, c)
}

/// The corpus Value of the parsed input.
fn input(body: &str, s: Option<&ModelSignature>, c: Compat) -> Value {
    match parse(body, s, c) {
        Ok(p) => model_input_to_value(&p.input),
        Err(e) => panic!("{body}: {}", e.message),
    }
}

fn err(body: &str, s: Option<&ModelSignature>, c: Compat) -> String {
    match parse(body, s, c) {
        Ok(p) => panic!("{body}: accepted {:?}", model_input_to_value(&p.input)),
        Err(e) => e.message,
    }
}

/// The values of column `name` in a parsed table Value.
fn column(v: &Value, name: &str) -> (String, Value) {
    let Some(Value::List(cols)) = v.get("columns") else {
        panic!("not a table: {v:?}")
    };
    for c in cols {
        if c.get("name") == Some(&Value::str(name)) {
            let dtype = match c.get("dtype") {
                Some(Value::Str(s)) => s.clone(),
                _ => String::new(),
            };
            return (dtype, c.get("values").cloned().unwrap_or(Value::None));
        }
    }
    panic!("no column {name} in {v:?}")
}

/// Asserts the dtype and values (corpus JSON) of columns of a parsed table Value:
/// `(name, dtype, values)`.
#[track_caller]
fn assert_columns(v: &Value, want: &[(&str, &str, &str)]) {
    for (name, dtype, values) in want {
        let want = (dtype.to_string(), loads(values).unwrap());
        assert_eq!(column(v, name), want, "{name}");
    }
}

fn split1(name: &str, cell: &str) -> String {
    format!("{{\"dataframe_split\": {{\"columns\": [\"{name}\"], \"data\": [[{cell}]]}}}}")
}

fn cast_err(col: &str, ty: &str, repr: &str) -> String {
    format!(
        "Invalid input. Data is not compatible with model signature. Failed to convert column {col} to type '{ty}'. Error: '{repr}'"
    )
}

/// Each body is refused with exactly its message: `(body, signature, mode, message)`.
#[track_caller]
fn refusals(cases: &[(&str, Option<&ModelSignature>, Compat, &str)]) {
    for (body, s, c, want) in cases {
        assert_eq!(err(body, *s, *c), *want, "{body}");
    }
}

/// The dtype and values of column `col` parsed from a one-cell `dataframe_split` body.
fn cast_one(s: &ModelSignature, col: &str, cell: &str, c: Compat) -> (String, Value) {
    column(&input(&split1(col, cell), Some(s), c), col)
}

/// Each one-cell `dataframe_split` body of column `col` is refused by MLflow's cast to
/// `type_text` with the Python exception `repr`: `(cell, repr)`.
#[track_caller]
fn cast_refusals(s: &ModelSignature, col: &str, type_text: &str, cases: &[(&str, &str)]) {
    for (cell, repr) in cases {
        let want = cast_err(col, type_text, repr);
        assert_eq!(err(&split1(col, cell), Some(s), M), want, "{cell}");
    }
}

/// The values of tensor `name` in a parsed `tensor_dict` input.
fn tensor_values<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    v.get("arrays")
        .and_then(|a| a.get(name))
        .and_then(|c| c.get("values"))
}
