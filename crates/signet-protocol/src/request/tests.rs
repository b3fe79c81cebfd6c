//! Unit tests of request parsing: every error path, MLflow's quirks (in both modes) and
//! strict mode's refusals, plus property tests (no panics on arbitrary bytes; the byte
//! scanner and the value-based reader build the same frames).

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

fn split1(name: &str, cell: &str) -> String {
    format!("{{\"dataframe_split\": {{\"columns\": [\"{name}\"], \"data\": [[{cell}]]}}}}")
}

fn cast_err(col: &str, ty: &str, repr: &str) -> String {
    format!(
        "Invalid input. Data is not compatible with model signature. Failed to convert column {col} to type '{ty}'. Error: '{repr}'"
    )
}

// ---------------------------------------------------------------------------------------------
// content type and envelope

#[test]
fn content_type_handling() {
    let body = b"{\"inputs\": [1]}";
    let e = parse_request(None, body, None, M).unwrap_err();
    assert_eq!(
        (e.status, e.content_type, e.body()),
        (500, TEXT_CONTENT_TYPE, "Internal Server Error".to_string())
    );
    let e = parse_request(Some("application/json; charset=latin-1"), body, None, M).unwrap_err();
    assert_eq!(
        (e.status, e.body()),
        (415, "The scoring server only supports UTF-8".to_string())
    );
    assert_eq!(e.error_code, None);
    let e = parse_request(Some("application/json; charset=\"utf-8\""), body, None, M).unwrap_err();
    assert_eq!(e.status, 415);
    let e =
        parse_request(Some("application/json; format=pandas-split"), body, None, M).unwrap_err();
    assert_eq!(
        e.body(),
        format!("Unrecognized content type parameters: format. {PROTOCOL_INFO}")
    );
    let e = parse_request(Some("application/json;"), body, None, M).unwrap_err();
    assert!(e
        .body()
        .starts_with("Unrecognized content type parameters: . IMPORTANT"));
    let e = parse_request(Some("APPLICATION/JSON"), body, None, M).unwrap_err();
    assert_eq!(
        e.body(),
        "This predictor only supports the following content types: Types: ['text/csv', 'application/json', 'application/vnd.apache.parquet']. Got 'APPLICATION/JSON'."
    );
    for ok in [
        "application/json ",
        " application/json ; charset=UTF-8 ",
        "application/json;charset=utf-8",
    ] {
        assert!(parse_request(Some(ok), body, None, M).is_ok(), "{ok}");
    }
}

#[test]
fn json_decode_errors() {
    let e = parse_request(JSON, b"{bad", None, M).unwrap_err();
    assert_eq!(
        e.message,
        "Invalid input. Ensure that input is a valid JSON formatted string. Error: 'JSONDecodeError('Expecting property name enclosed in double quotes: line 1 column 2 (char 1)')'\nInput: \nb'{bad'\n"
    );
    assert_eq!(
        e.body(),
        "{\"error_code\": \"BAD_REQUEST\", \"message\": \"Invalid input. Ensure that input is a valid JSON formatted string. Error: 'JSONDecodeError('Expecting property name enclosed in double quotes: line 1 column 2 (char 1)')'\\nInput: \\nb'{bad'\\n\", \"sqlstate\": \"KAM00\", \"error_class\": \"INVALID_PARAMETER_VALUE\"}"
    );
    let e = parse_request(
        JSON,
        b"{\"dataframe_split\": {\"columns\": [\"sqft\"]",
        None,
        M,
    )
    .unwrap_err();
    assert!(e
        .message
        .contains("JSONDecodeError(\"Expecting ',' delimiter: line 1 column 41 (char 40)\")"));
    // Errors after a well-formed format value still win over that value's own problems.
    let e = parse("{\"dataframe_split\": [1], \"x\": }", Some(&house()), M).unwrap_err();
    assert!(
        e.message.contains("JSONDecodeError('Expecting value"),
        "{}",
        e.message
    );
    let e = parse("", None, M).unwrap_err();
    assert!(e
        .message
        .contains("Expecting value: line 1 column 1 (char 0)')'\nInput: \nb''\n"));
    // Not UTF-8: MLflow's json.loads raises UnicodeDecodeError, unhandled (500).
    let e = parse_request(JSON, b"{\"inputs\": \"\xff\"}", None, M).unwrap_err();
    assert_eq!(e.status, 500);
    let e = parse_request(JSON, b"{\"inputs\": \"\xff\"}", None, S).unwrap_err();
    assert_eq!(e.status, 400);
    assert!(e.message.contains(
        "UnicodeDecodeError('utf-8', b'{\"inputs\": \"\\xff\"}', 12, 13, 'invalid start byte')"
    ));
    // BOM and UTF-16 bodies are accepted.
    assert!(parse_request(JSON, b"\xEF\xBB\xBF{\"inputs\": [1]}", None, M).is_ok());
    let utf16: Vec<u8> = "{\"inputs\": [1]}"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    assert!(parse_request(JSON, &utf16, None, M).is_ok());
}

#[test]
fn envelope_errors() {
    let fields = "{'dataframe_split', 'dataframe_records', 'inputs', 'instances'}";
    assert_eq!(
        err("[1, 2]", None, M),
        format!("Invalid input. The input must be a JSON dictionary with exactly one of the input fields {fields}. Received a list.")
    );
    assert_eq!(
        err("5", None, M),
        format!("Invalid input. The input must be a JSON dictionary with exactly one of the input fields {fields}. Received unexpected input type '<class 'int'>.")
    );
    assert!(err("null", None, M).ends_with("Received unexpected input type '<class 'NoneType'>."));
    for body in ["{}", "{\"foo\": 1}", "{\"params\": {\"a\": 1}}"] {
        assert_eq!(
            err(body, None, M),
            format!("The input must be a JSON dictionary with exactly one of the input fields {fields}. Received dictionary with input fields: []. {PROTOCOL_INFO}")
        );
    }
    let e = err(
        "{\"dataframe_split\": {\"data\": [[1]]}, \"inputs\": [1], \"dataframe_split\": 1}",
        None,
        M,
    );
    assert!(e.contains("Received dictionary with input fields: ['dataframe_split', 'inputs']."));
    let e = parse("{}", None, M).unwrap_err();
    assert_eq!((e.status, e.error_code), (400, Some("BAD_REQUEST")));
}

#[test]
fn params_and_unrelated_keys() {
    let body = "{\"dataframe_split\": {\"columns\": [\"sqft\", \"bedrooms\"], \"data\": [[1, 2]]}, \"params\": {\"k\": 5}, \"signature_name\": \"x\"}";
    let p = parse(body, Some(&house()), M).unwrap();
    assert_eq!(p.params, Some(loads("{\"k\": 5}").unwrap()));
    assert!(!p.unified_llm);
    let p = parse("{\"inputs\": [1], \"params\": null}", None, M).unwrap();
    assert_eq!(p.params, None);
    let p = parse("{\"inputs\": [1], \"params\": [1]}", None, M).unwrap();
    assert_eq!(p.params, Some(loads("[1]").unwrap()));
}

#[test]
fn unified_llm_form() {
    let s = sig_params(
        "[{\"type\": \"string\", \"name\": \"messages\", \"required\": true}]",
        "[{\"name\": \"temperature\", \"default\": 1.0, \"shape\": null, \"type\": \"double\"}]",
    );
    let p = parse(
        "{\"messages\": [{\"role\": \"user\"}], \"temperature\": 0.5, \"stream\": false, \"dataframe_split\": 1}",
        Some(&s),
        M,
    )
    .unwrap();
    assert!(p.unified_llm);
    assert_eq!(p.params, Some(loads("{\"temperature\": 0.5}").unwrap()));
    assert_eq!(
        model_input_to_value(&p.input),
        loads("{\"type\": \"json\", \"value\": {\"messages\": [{\"role\": \"user\"}], \"stream\": false, \"dataframe_split\": 1}}").unwrap()
    );
    let p = parse("{\"prompt\": \"hi\", \"temperature\": 0.5}", None, M).unwrap();
    assert_eq!(p.params, Some(Value::Dict(Vec::new())));
}

// ---------------------------------------------------------------------------------------------
// dataframe_split / dataframe_records

#[test]
fn split_structure_errors() {
    let h = house();
    assert_eq!(
        err("{\"dataframe_split\": [[1, \"x\"]]}", Some(&h), M),
        "Invalid input. Dataframe split format must be a dictionary. Got list."
    );
    assert_eq!(
        err("{\"dataframe_split\": 5}", Some(&h), M),
        "Invalid input. Dataframe split format must be a dictionary. Got type <class 'int'>."
    );
    assert_eq!(
        err("{\"dataframe_split\": {\"columns\": [\"a\"], \"data\": [[1]], \"foo\": 1}}", Some(&h), M),
        "Invalid input. Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got {'columns', 'data', 'foo'}.'"
    );
    assert_eq!(
        err("{\"dataframe_split\": {\"columns\": [\"a\"]}}", Some(&h), M),
        "Invalid input. Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got {'columns'}.'"
    );
    assert_eq!(
        err("{\"dataframe_split\": {\"columns\": [\"a\", \"b\"], \"data\": [[1, 2, 3]]}}", Some(&h), M),
        "Invalid input. Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: '2 columns passed, passed data had 3 columns'"
    );
    assert_eq!(
        err("{\"dataframe_split\": {\"data\": [[1, 2], 3]}}", None, M),
        "Invalid input. Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: 'object of type 'int' has no len()'"
    );
    assert!(err(
        "{\"dataframe_split\": {\"data\": [[1]], \"index\": [1, 2]}}",
        None,
        M
    )
    .contains("Error: 'Shape of passed values is (1, 1), indices imply (2, 1)'"));
    assert!(err("{\"dataframe_split\": {\"data\": 5}}", None, M)
        .contains("DataFrame constructor not properly called!"));
    // `data` before `columns`, an index, and ragged rows padded with None.
    let v = input("{\"dataframe_split\": {\"data\": [[1, 2], [3]], \"index\": [5, 6], \"columns\": [\"a\", \"b\"]}}", None, M);
    assert_eq!(
        column(&v, "b"),
        ("float64".into(), loads("[2.0, null]").unwrap())
    );
    let v = input("{\"dataframe_split\": {\"data\": [[\"x\"]]}}", None, M);
    assert_eq!(v, loads("{\"type\": \"dataframe\", \"columns\": [{\"name\": 0, \"dtype\": \"str\", \"values\": [\"x\"]}]}").unwrap());
    // Empty data with columns: a 0-row frame, cast by the schema.
    let v = input(
        "{\"dataframe_split\": {\"columns\": [\"sqft\"], \"data\": []}}",
        Some(&one("sqft", "long")),
        M,
    );
    assert_eq!(column(&v, "sqft"), ("int64".into(), Value::List(vec![])));
}

#[test]
fn records_structure_errors() {
    assert_eq!(
        err("{\"dataframe_records\": {\"a\": 1}}", None, M),
        "Invalid input. Dataframe records format must be a list of records. Got dictionary."
    );
    assert_eq!(err("{\"dataframe_records\": 5}", None, M), "Invalid input. Dataframe records format must be a list of records. Got type <class 'int'>.");
    assert_eq!(
        err("{\"dataframe_records\": [{\"a\": 1}, [1]]}", None, M),
        "Invalid input. Provided dataframe_records field is not a valid dataframe representation in 'records' format. Error: ''list' object has no attribute 'keys''"
    );
    let v = input(
        "{\"dataframe_records\": [{\"a\": 1}, {\"b\": \"x\", \"a\": 2, \"a\": 3}]}",
        None,
        M,
    );
    assert_eq!(column(&v, "a"), ("int64".into(), loads("[1, 3]").unwrap()));
    assert_eq!(
        column(&v, "b"),
        ("str".into(), loads("[null, \"x\"]").unwrap())
    );
    let v = input("{\"dataframe_records\": [[1, \"x\"]]}", None, M);
    assert_eq!(
        v,
        loads("{\"type\": \"dataframe\", \"columns\": [{\"name\": 0, \"dtype\": \"int64\", \"values\": [1]}, {\"name\": 1, \"dtype\": \"str\", \"values\": [\"x\"]}]}").unwrap()
    );
}

#[test]
fn json_column_typing() {
    let cases = [
        ("[[1], [2]]", "int64", "[1, 2]"),
        (
            "[[9223372036854775808], [1]]",
            "uint64",
            "[9223372036854775808, 1]",
        ),
        (
            "[[-9223372036854775809]]",
            "object",
            "[-9223372036854775809]",
        ),
        ("[[1], [2.5]]", "float64", "[1.0, 2.5]"),
        ("[[1], [null]]", "float64", "[1.0, null]"),
        ("[[true], [false]]", "bool", "[true, false]"),
        ("[[true], [null]]", "object", "[true, null]"),
        ("[[true], [1]]", "object", "[true, 1]"),
        ("[[\"a\"], [null]]", "str", "[\"a\", null]"),
        ("[[\"a\"], [1]]", "object", "[\"a\", 1]"),
        ("[[null], [null]]", "object", "[null, null]"),
        ("[[[1, 2]], [{\"k\": 1}]]", "object", "[[1, 2], {\"k\": 1}]"),
    ];
    for (data, dtype, values) in cases {
        let v = input(
            &format!("{{\"dataframe_split\": {{\"columns\": [\"c\"], \"data\": {data}}}}}"),
            None,
            M,
        );
        assert_eq!(
            column(&v, "c"),
            (dtype.to_string(), loads(values).unwrap()),
            "{data}"
        );
    }
}

#[test]
fn long_cast_quirks() {
    let s = one("sqft", "long");
    let get = |cell: &str, c: Compat| column(&input(&split1("sqft", cell), Some(&s), c), "sqft");
    assert_eq!(
        get("\"1500\"", M),
        ("int64".into(), loads("[1500]").unwrap())
    );
    assert_eq!(get("1500.5", M).1, loads("[1500]").unwrap());
    assert_eq!(get("true", M).1, loads("[1]").unwrap());
    assert_eq!(get("\"1500\"", S).1, loads("[1500]").unwrap());
    assert_eq!(get("1500.0", S).1, loads("[1500]").unwrap());
    assert_eq!(
        err(&split1("sqft", "1500.5"), Some(&s), S),
        "Invalid input. Column 'sqft' row 0: 1500.5 is not an integer; refusing a lossy conversion to long"
    );
    assert!(err(&split1("sqft", "true"), Some(&s), S)
        .contains("Column 'sqft' row 0: True is not an integer"));
    assert_eq!(
        err(&split1("sqft", "null"), Some(&s), M),
        cast_err("sqft", "int64", "TypeError(\"int() argument must be a string, a bytes-like object or a real number, not 'NoneType'\")")
    );
    assert_eq!(
        err(&split1("sqft", "\"abc\""), Some(&s), M),
        cast_err(
            "sqft",
            "int64",
            "ValueError(\"invalid literal for int() with base 10: 'abc'\")"
        )
    );
    assert_eq!(
        err(&split1("sqft", "[1500]"), Some(&s), M),
        cast_err("sqft", "int64", "TypeError(\"int() argument must be a string, a bytes-like object or a real number, not 'list'\")")
    );
    let nan = cast_err("sqft", "int64", "IntCastingNaNError(\"Cannot convert non-finite values (NA or inf) to integer. Replace or remove non-finite values or cast to an integer type that supports these values (e.g. 'Int64')\")");
    assert_eq!(err(&split1("sqft", "NaN"), Some(&s), M), nan);
    let body = "{\"dataframe_split\": {\"columns\": [\"sqft\"], \"data\": [[1], [null]]}}";
    assert_eq!(err(body, Some(&s), M), nan);
    assert_eq!(
        err(body, Some(&s), S),
        nan,
        "strict keeps MLflow's own refusals"
    );
    let body = "{\"dataframe_records\": [{\"sqft\": 1}, {\"x\": 1}]}";
    assert_eq!(err(body, Some(&s), M), nan);
    // Mixed columns go through float64: big integers lose precision (MLflow), not in strict mode.
    let body =
        "{\"dataframe_split\": {\"columns\": [\"sqft\"], \"data\": [[9007199254740993], [1.0]]}}";
    assert_eq!(
        column(&input(body, Some(&s), M), "sqft").1,
        loads("[9007199254740992, 1]").unwrap()
    );
    assert_eq!(
        column(&input(body, Some(&s), S), "sqft").1,
        loads("[9007199254740993, 1]").unwrap()
    );
    // Integers >= 2**63 make a uint64 column, which wraps into int64.
    let body =
        "{\"dataframe_split\": {\"columns\": [\"sqft\"], \"data\": [[9223372036854775808]]}}";
    assert_eq!(
        column(&input(body, Some(&s), M), "sqft").1,
        loads("[-9223372036854775808]").unwrap()
    );
    assert!(err(body, Some(&s), S).contains("is out of range for long"));
}

#[test]
fn integer_cast_wraps() {
    let s = one("i", "integer");
    let body = split1("i", "3000000000");
    assert_eq!(
        column(&input(&body, Some(&s), M), "i"),
        ("int32".into(), loads("[-1294967296]").unwrap())
    );
    assert_eq!(
        err(&body, Some(&s), S),
        "Invalid input. Column 'i' row 0: 3000000000 is out of range for integer"
    );
    // An object column checks each Python int instead.
    let body = "{\"dataframe_split\": {\"columns\": [\"i\"], \"data\": [[3000000000], [\"1\"]]}}";
    assert_eq!(
        err(body, Some(&s), M),
        cast_err(
            "i",
            "int32",
            "OverflowError('Python integer 3000000000 out of bounds for int32')"
        )
    );
}

#[test]
fn boolean_cast_quirks() {
    let s = one("b", "boolean");
    let get = |cell: &str| column(&input(&split1("b", cell), Some(&s), M), "b").1;
    assert_eq!(get("\"false\""), loads("[true]").unwrap());
    assert_eq!(get("\"abc\""), loads("[true]").unwrap());
    assert_eq!(get("null"), loads("[false]").unwrap());
    assert_eq!(get("0"), loads("[false]").unwrap());
    assert_eq!(get("[]"), loads("[false]").unwrap());
    // A NaN filler (missing record key) is truthy.
    let body = "{\"dataframe_records\": [{\"b\": true}, {\"x\": 1}]}";
    assert_eq!(
        column(&input(body, Some(&s), M), "b").1,
        loads("[true, true]").unwrap()
    );
    assert!(err(body, Some(&s), S).contains("Column 'b' row 1: nan is not a boolean"));
    for cell in ["\"false\"", "null", "1"] {
        assert!(
            err(&split1("b", cell), Some(&s), S).contains("is not a boolean"),
            "{cell}"
        );
    }
    assert_eq!(
        column(&input(&split1("b", "true"), Some(&s), S), "b").1,
        loads("[true]").unwrap()
    );
}

#[test]
fn float_casts() {
    let d = one("d", "double");
    let f = one("f", "float");
    let body = "{\"dataframe_split\": {\"columns\": [\"d\"], \"data\": [[NaN], [Infinity], [-Infinity], [\"2.5\"], [null]]}}";
    let v = input(body, Some(&d), M);
    assert_eq!(column(&v, "d").0, "float64");
    assert_eq!(
        column(&input(&split1("d", "true"), Some(&d), M), "d").1,
        loads("[1.0]").unwrap()
    );
    assert!(err(&split1("d", "true"), Some(&d), S).contains("True is not a number"));
    assert!(err(&split1("d", "9007199254740993"), Some(&d), S)
        .contains("cannot be represented exactly as float64"));
    assert!(err(&split1("f", "1e39"), Some(&f), S).contains("overflows float32"));
    assert_eq!(
        column(&input(&split1("f", "0.1"), Some(&f), M), "f"),
        ("float32".into(), loads("[0.10000000149011612]").unwrap())
    );
    assert_eq!(
        err(&split1("d", "\"abc\""), Some(&d), M),
        cast_err(
            "d",
            "float64",
            "ValueError(\"could not convert string to float: 'abc'\")"
        )
    );
    assert_eq!(
        err(&split1("d", "{\"a\": 1}"), Some(&d), M),
        cast_err(
            "d",
            "float64",
            "TypeError(\"float() argument must be a string or a real number, not 'dict'\")"
        )
    );
    assert_eq!(
        err(&split1("d", "[1]"), Some(&d), M),
        cast_err(
            "d",
            "float64",
            "ValueError('setting an array element with a sequence.')"
        )
    );
}

#[test]
fn string_and_binary_casts() {
    let s = one("c", "string");
    assert_eq!(
        column(&input(&split1("c", "1500"), Some(&s), M), "c"),
        ("object".into(), loads("[1500]").unwrap())
    );
    assert_eq!(
        err(&split1("c", "1500"), Some(&s), S),
        "Invalid input. Column 'c' row 0: 1500 is not a string"
    );
    assert_eq!(
        column(&input(&split1("c", "null"), Some(&s), S), "c"),
        ("object".into(), loads("[null]").unwrap())
    );
    // ints with a null become floats in an object column.
    let body = "{\"dataframe_split\": {\"columns\": [\"c\"], \"data\": [[1], [null]]}}";
    assert_eq!(
        column(&input(body, Some(&s), M), "c"),
        (
            "object".into(),
            loads("[1.0, {\"$float\": \"nan\"}]").unwrap()
        )
    );
    let b = one("c", "binary");
    assert_eq!(
        column(&input(&split1("c", "\"YWJj\""), Some(&b), M), "c"),
        ("bytes".into(), loads("[\"YWJj\"]").unwrap())
    );
    assert_eq!(
        column(&input(&split1("c", "\"YW Jj!\""), Some(&b), M), "c").1,
        loads("[\"YWJj\"]").unwrap()
    );
    assert!(err(&split1("c", "\"YW Jj!\""), Some(&b), S).contains("is not valid base64"));
    assert_eq!(
        err(&split1("c", "1500"), Some(&b), M),
        cast_err(
            "c",
            "<class 'object'>",
            "TypeError('encoding without a string argument')"
        )
    );
    assert_eq!(
        err(&split1("c", "\"aGVsbG8\""), Some(&b), M),
        cast_err("c", "<class 'object'>", "Error('Incorrect padding')")
    );
}

#[test]
fn datetime_casts() {
    let s = one("dt", "datetime");
    let get = |cell: &str, c: Compat| column(&input(&split1("dt", cell), Some(&s), c), "dt");
    assert_eq!(
        get("\"2020-01-01\"", M),
        (
            "datetime64[ns]".into(),
            loads("[\"2020-01-01T00:00:00.000000000\"]").unwrap()
        )
    );
    assert_eq!(
        get("1500", M).1,
        loads("[\"1970-01-01T00:00:00.000001500\"]").unwrap()
    );
    assert_eq!(get("null", S).1, loads("[null]").unwrap());
    assert!(err(&split1("dt", "1500"), Some(&s), S)
        .contains("Column 'dt' row 0: 1500 is a number, not a datetime"));
    assert!(err(&split1("dt", "1500.5"), Some(&s), S).contains("is a number, not a datetime"));
    assert_eq!(
        err(&split1("dt", "true"), Some(&s), M),
        cast_err(
            "dt",
            "datetime64[ns]",
            "TypeError('dtype bool cannot be converted to datetime64[ns]')"
        )
    );
    assert_eq!(
        err(&split1("dt", "\"abc\""), Some(&s), M),
        cast_err(
            "dt",
            "datetime64[ns]",
            "DateParseError('Unknown datetime string format, unable to parse: abc')"
        )
    );
    assert_eq!(
        err(&split1("dt", "\"1500\""), Some(&s), M),
        cast_err(
            "dt",
            "datetime64[ns]",
            "OutOfBoundsDatetime('Out of bounds nanosecond timestamp: 1500-01-01 00:00:00')"
        )
    );
    // A timezone-aware string makes a timezone-aware column (enforcement refuses it).
    let p = parse(&split1("dt", "\"2021-06-30T12:34:56+02:00\""), Some(&s), M).unwrap();
    let ModelInput::Table(t) = p.input else {
        panic!()
    };
    assert_eq!(
        signet::table::pandas_dtype(t.schema().field(0), t.column(0).as_ref()),
        "datetime64[ns, +02:00]"
    );
}

#[test]
fn composite_columns() {
    let arr = sig("[{\"type\": \"array\", \"items\": {\"type\": \"long\"}, \"name\": \"a\", \"required\": true}]");
    assert_eq!(
        column(&input(&split1("a", "[1, 2]"), Some(&arr), M), "a"),
        ("object".into(), loads("[[1, 2]]").unwrap())
    );
    assert_eq!(
        err(&split1("a", "[1.5]"), Some(&arr), M),
        cast_err("a", "Array(long)", "MlflowException('Incompatible input types for column . Can not safely convert float64 to int64.')")
    );
    let strs = sig("[{\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"name\": \"a\", \"required\": true}]");
    assert_eq!(
        column(&input(&split1("a", "[\"a\", null]"), Some(&strs), M), "a").1,
        loads("[[\"a\", \"n\"]]").unwrap()
    );
    assert!(err(&split1("a", "[\"a\", null]"), Some(&strs), S)
        .contains("Array(string) item 1: None is not a string"));
    let obj = sig("[{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"long\", \"required\": true}}, \"name\": \"o\", \"required\": true}]");
    assert_eq!(
        err(&split1("o", "{\"x\": \"s\"}"), Some(&obj), M),
        cast_err("o", "{x: long (required)}", "MlflowException('Failed to enforce schema for key `x`. Expected type long, received type str')")
    );
}

#[test]
fn tensor_schema_split() {
    let s = sig(
        "[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1, 2]}}]",
    );
    let v = input(
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\"], \"data\": [[1, \"2.5\"]]}}",
        Some(&s),
        M,
    );
    assert_eq!(column(&v, "b"), ("float32".into(), loads("[2.5]").unwrap()));
    let n = sig("[{\"name\": \"a\", \"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float64\", \"shape\": [-1, 2]}}]");
    let v = input(
        "{\"dataframe_split\": {\"columns\": [\"a\"], \"data\": [[[1, 2]]]}}",
        Some(&n),
        M,
    );
    assert_eq!(
        column(&v, "a"),
        ("object".into(), loads("[[1, 2]]").unwrap()),
        "list cells are left for enforcement"
    );
}

// ---------------------------------------------------------------------------------------------
// inputs / instances

#[test]
fn inputs_formats() {
    let h = house();
    let v = input(
        "{\"inputs\": {\"sqft\": [1, 2], \"bedrooms\": [\"3\", 4.7]}}",
        Some(&h),
        M,
    );
    assert_eq!(
        v,
        loads("{\"type\": \"tensor_dict\", \"arrays\": {\"sqft\": {\"type\": \"ndarray\", \"dtype\": \"int64\", \"shape\": [2], \"values\": [1, 2]}, \"bedrooms\": {\"type\": \"ndarray\", \"dtype\": \"int64\", \"shape\": [2], \"values\": [3, 4]}}}").unwrap()
    );
    assert!(err(
        "{\"inputs\": {\"sqft\": [1.5], \"bedrooms\": [1]}}",
        Some(&h),
        S
    )
    .contains("1.5 is not an integer; refusing a lossy conversion to long"));
    assert_eq!(
        err("{\"inputs\": {\"sqft\": [\"abc\"]}}", Some(&h), M),
        "Invalid input. invalid literal for int() with base 10: 'abc'"
    );
    assert_eq!(err("{\"inputs\": [[1, \"x\"]]}", Some(&sig("[{\"type\": \"long\", \"required\": true}, {\"type\": \"string\", \"required\": true}]")), M), "Invalid input. invalid literal for int() with base 10: 'x'");
    // A scalar against a named schema becomes a numpy scalar (enforcement reports column 0).
    let v = input("{\"inputs\": 5}", Some(&h), M);
    assert_eq!(
        v,
        loads("{\"type\": \"json\", \"value\": {\"$numpy\": [\"int64\", 5]}}").unwrap()
    );
    let unnamed = sig("[{\"type\": \"long\", \"required\": true}]");
    assert_eq!(
        err("{\"inputs\": {\"a\": [1]}}", Some(&unnamed), M),
        "Invalid input. Failed to parse input data. This model contains an un-named  model signature which expects a single n-dimensional array or a single value as input, however, an input of type <class 'dict'> was found."
    );
    assert!(err("{\"inputs\": null}", Some(&unnamed), M)
        .ends_with("an input of type <class 'NoneType'> was found."));
    assert_eq!(
        err("{\"inputs\": \"abc\"}", Some(&unnamed), M),
        "Invalid input. Failed to convert data `abc` to type `long (required)` defined in the model signature."
    );
    assert_eq!(
        err("{\"inputs\": 1.5}", Some(&unnamed), S),
        "Invalid input. Failed to convert data `1.5` to type `long (required)` defined in the model signature: 1.5 is not an integer; refusing a lossy conversion to long"
    );
    assert_eq!(
        err("{\"inputs\": {\"sqft\": [1, 1.5], \"bedrooms\": [1, 2]}}", Some(&h), S),
        "Invalid input. Column 'sqft' row 1: 1.5 is not an integer; refusing a lossy conversion to long"
    );
    assert_eq!(
        err("{\"instances\": [{\"sqft\": 1, \"bedrooms\": 1}, {\"sqft\": 2.5, \"bedrooms\": 1}]}", Some(&h), S),
        "Invalid input. Column 'sqft' row 1: 2.5 is not an integer; refusing a lossy conversion to long"
    );
    // Single named spec: a list binds to it.
    let v = input("{\"inputs\": [1, 2]}", Some(&one("a", "long")), M);
    assert_eq!(v.get("type"), Some(&Value::str("tensor_dict")));
}

#[test]
fn inputs_element_quirks() {
    let s = one("c", "string");
    let v = input("{\"inputs\": {\"c\": [null, 5]}}", Some(&s), M);
    assert_eq!(
        v.get("arrays")
            .and_then(|a| a.get("c"))
            .and_then(|c| c.get("values")),
        Some(&loads("[\"None\", \"5\"]").unwrap())
    );
    assert!(err("{\"inputs\": {\"c\": [null]}}", Some(&s), S).contains("None is not a string"));
    let b = one("b", "boolean");
    let v = input("{\"inputs\": {\"b\": [\"false\", null, 0]}}", Some(&b), M);
    assert_eq!(
        v.get("arrays")
            .and_then(|a| a.get("b"))
            .and_then(|c| c.get("values")),
        Some(&loads("[true, false, false]").unwrap())
    );
    assert!(err("{\"inputs\": {\"b\": [\"false\"]}}", Some(&b), S).contains("is not a boolean"));
    let dt = one("dt", "datetime");
    let v = input(
        "{\"inputs\": {\"dt\": [1500, \"1500\", \"\", true]}}",
        Some(&dt),
        M,
    );
    assert_eq!(
        v.get("arrays").and_then(|a| a.get("dt")).and_then(|c| c.get("values")),
        Some(&loads("[\"1970-01-01T00:00:00.000001500\", \"2084-07-20T23:34:33.709551616\", null, \"1970-01-01T00:00:00.000000001\"]").unwrap())
    );
    assert_eq!(
        err("{\"inputs\": {\"dt\": [1.5]}}", Some(&dt), M),
        "Invalid input. Could not convert object to NumPy datetime"
    );
    assert_eq!(
        err("{\"inputs\": {\"dt\": [\"abc\"]}}", Some(&dt), M),
        "Invalid input. Error parsing datetime string \"abc\" at position 0"
    );
    for cell in ["1500", "\"1500\"", "\"\""] {
        assert!(
            err(
                &format!("{{\"inputs\": {{\"dt\": [{cell}]}}}}"),
                Some(&dt),
                S
            )
            .contains("refusing"),
            "{cell}"
        );
    }
    let bin = one("x", "binary");
    let v = input("{\"inputs\": {\"x\": [\"abc\", 5]}}", Some(&bin), M);
    assert_eq!(
        v.get("arrays")
            .and_then(|a| a.get("x"))
            .and_then(|c| c.get("values")),
        Some(&loads("[\"YWJj\", \"NQ==\"]").unwrap())
    );
    assert!(err("{\"inputs\": {\"x\": [5]}}", Some(&bin), S).contains("5 is not a string"));
    let i = one("i", "integer");
    assert_eq!(
        err("{\"inputs\": {\"i\": [3000000000]}}", Some(&i), M),
        "Invalid input. Python integer 3000000000 out of bounds for int32"
    );
    assert_eq!(err("{\"inputs\": {\"i\": [null]}}", Some(&i), M), "Invalid input. int() argument must be a string, a bytes-like object or a real number, not 'NoneType'");
}

#[test]
fn inputs_without_schema() {
    let v = input("{\"inputs\": [1, \"a\"]}", None, M);
    assert_eq!(v, loads("{\"type\": \"ndarray\", \"dtype\": \"str\", \"shape\": [2], \"values\": [\"1\", \"a\"]}").unwrap());
    assert!(
        err("{\"inputs\": [1, \"a\"]}", None, S).contains("refusing to turn the numbers into text")
    );
    let v = input("{\"inputs\": [true, 2]}", None, M);
    assert_eq!(v.get("dtype"), Some(&Value::str("int64")));
    assert!(
        err("{\"inputs\": [true, 2]}", None, S).contains("refusing to read booleans as numbers")
    );
    assert_eq!(
        err("{\"inputs\": [[1, 2], [3]]}", None, M),
        "Invalid input. setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part."
    );
    let v = input("{\"inputs\": \"hello\"}", None, M);
    assert_eq!(
        v,
        loads("{\"type\": \"ndarray\", \"dtype\": \"str\", \"shape\": [], \"values\": \"hello\"}")
            .unwrap()
    );
}

#[test]
fn instances_format() {
    let h = house();
    assert_eq!(
        err(
            "{\"instances\": {\"sqft\": [1, 2], \"bedrooms\": [1]}}",
            Some(&h),
            M
        ),
        "Invalid input. The length of values for each input/column name are not the same"
    );
    assert_eq!(
        err(
            "{\"instances\": [{\"sqft\": 1, \"bedrooms\": 3}, {\"sqft\": 2}]}",
            Some(&h),
            M
        ),
        "Invalid input. The length of values for each input/column name are not the same"
    );
    assert_eq!(
        err("{\"instances\": [{\"sqft\": 1}, [1]]}", Some(&h), M),
        "Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: AttributeError(\"'list' object has no attribute 'items'\")"
    );
    let v = input(
        "{\"instances\": [{\"sqft\": 1500.5, \"bedrooms\": \"3\"}]}",
        Some(&h),
        M,
    );
    assert_eq!(
        v.get("arrays")
            .and_then(|a| a.get("sqft"))
            .and_then(|c| c.get("values")),
        Some(&loads("[1500]").unwrap())
    );
    let arr = sig("[{\"type\": \"array\", \"items\": {\"type\": \"long\"}, \"name\": \"a\", \"required\": true}]");
    let v = input("{\"instances\": [{\"a\": [1, 2]}]}", Some(&arr), M);
    assert_eq!(
        v.get("arrays")
            .and_then(|a| a.get("a"))
            .and_then(|c| c.get("shape")),
        Some(&loads("[1, 2]").unwrap())
    );
}

#[test]
fn composite_inputs() {
    let m = sig("[{\"type\": \"map\", \"values\": {\"type\": \"double\"}, \"name\": \"m\", \"required\": true}]");
    assert_eq!(
        err("{\"inputs\": {\"m\": {\"k\": 5}}}", Some(&m), M),
        "Invalid input. Failed to enforce schema of data `5` with dtype `double`"
    );
    let arr = sig("[{\"type\": \"array\", \"items\": {\"type\": \"long\"}, \"name\": \"a\", \"required\": true}, {\"type\": \"any\", \"name\": \"z\", \"required\": true}]");
    assert_eq!(
        err("{\"inputs\": {\"a\": 1, \"z\": 1}}", Some(&arr), M),
        "Invalid input. Expected data to be list or numpy array, got int"
    );
    let v = input(
        "{\"inputs\": {\"a\": [1, 2], \"z\": [\"q\"]}}",
        Some(&arr),
        M,
    );
    assert_eq!(
        v.get("type"),
        Some(&Value::str("json")),
        "an Any value stays a plain value"
    );
}

// ---------------------------------------------------------------------------------------------
// CSV and Parquet

fn csv(body: &str, s: Option<&ModelSignature>, c: Compat) -> Result<ParsedRequest, RequestError> {
    parse_request(Some("text/csv"), body.as_bytes(), s, c)
}

fn csv_err(body: &str, s: Option<&ModelSignature>) -> RequestError {
    csv(body, s, M).unwrap_err()
}

fn csv_msg(inner: &str) -> String {
    format!("Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()` method. Error: '{inner}'")
}

#[test]
fn csv_requests() {
    let two = sig(&format!(
        "[{}, {{\"type\": \"string\", \"name\": \"b\", \"required\": true}}]",
        long("a")
    ));
    let p = csv("a,b\n1,x\n2,y\n", Some(&two), M).unwrap();
    assert_eq!(p.params, None);
    let v = model_input_to_value(&p.input);
    assert_eq!(column(&v, "a"), ("int64".into(), loads("[1, 2]").unwrap()));
    assert_eq!(
        column(&v, "b"),
        ("object".into(), loads("[\"x\", \"y\"]").unwrap())
    );
    let v = model_input_to_value(&csv("a,b\n1,x\n,NA\n", None, M).unwrap().input);
    assert_eq!(
        column(&v, "a"),
        ("float64".into(), loads("[1.0, null]").unwrap())
    );
    assert_eq!(
        column(&v, "b"),
        ("str".into(), loads("[\"x\", null]").unwrap())
    );
    let e = csv_err("a,b\n1.5,x\n", Some(&two));
    assert_eq!(
        e.message,
        csv_msg(
            "cannot safely convert passed user dtype of int64 for float64 dtyped data in column 0"
        )
    );
    assert!(e.stack_trace && e.body().contains("\"stack_trace\": \"Traceback"));
    assert_eq!(
        csv_err("a,b\nq,x\n", Some(&two)).message,
        csv_msg("invalid literal for int() with base 10: 'q'")
    );
    assert_eq!(
        csv_err("a,b\n,x\n", Some(&two)).message,
        csv_msg("Integer column has NA values in column 0")
    );
    assert_eq!(
        csv_err("", None).message,
        csv_msg("No columns to parse from file")
    );
    assert_eq!(
        csv_err("a,b\n1,2\n1,2,3,4\n", None).message,
        csv_msg("Error tokenizing data. C error: Expected 2 fields in line 3, saw 4\n")
    );
    assert_eq!(csv_err("c\n2020-01-01\n", Some(&one("c", "datetime"))).message, csv_msg("the dtype datetime64[ns] is not supported for parsing, pass this column using parse_dates instead"));
    let arr = sig("[{\"type\": \"array\", \"items\": {\"type\": \"long\"}, \"name\": \"a\", \"required\": true}]");
    assert_eq!(
        csv_err("a\n1\n", Some(&arr)).message,
        csv_msg("Failed to get pandas types as some of the inputs types are not DataType.")
    );
    let t = sig(
        "[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float64\", \"shape\": [-1, 2]}}]",
    );
    assert_eq!(
        csv_err("a\n1\n", Some(&t)).message,
        csv_msg("TensorSpec only supports numpy types, use numpy_types() instead")
    );
    let e = parse_request(Some("text/csv"), b"a,b\n1,\xff\n", None, M).unwrap_err();
    assert_eq!(e.message, "Invalid input. Ensure that input is a valid UTF-8 encoded string. Error: 'UnicodeDecodeError('utf-8', b'a,b\\n1,\\xff\\n', 6, 7, 'invalid start byte')'");
    // Blank lines, quotes, booleans.
    let b = one("b", "boolean");
    let v = model_input_to_value(&csv("b\n\ntrue\n\"False\"\n", Some(&b), M).unwrap().input);
    assert_eq!(
        column(&v, "b"),
        ("bool".into(), loads("[true, false]").unwrap())
    );
    let v = model_input_to_value(&csv("b\n1\n0\n", Some(&b), M).unwrap().input);
    assert_eq!(
        column(&v, "b"),
        ("bool".into(), loads("[true, false]").unwrap())
    );
    assert_eq!(
        csv_err("b\ntrue\n1\n", Some(&b)).message,
        csv_msg(
            "cannot safely convert passed user dtype of bool for object dtyped data in column 0"
        )
    );
    assert_eq!(
        csv_err("b\ntrue\n\"\"\n", Some(&b)).message,
        csv_msg("Bool column has NA values in column 0")
    );
    // int32 wraps in MLflow, strict refuses; booleans as numbers likewise.
    let i = one("i", "integer");
    let v = model_input_to_value(&csv("i\n3000000000\n", Some(&i), M).unwrap().input);
    assert_eq!(column(&v, "i").1, loads("[-1294967296]").unwrap());
    assert!(csv("i\n3000000000\n", Some(&i), S)
        .unwrap_err()
        .message
        .contains("out of range for integer"));
    let d = one("d", "double");
    let v = model_input_to_value(&csv("d\nTrue\n", Some(&d), M).unwrap().input);
    assert_eq!(column(&v, "d").1, loads("[1.0]").unwrap());
    assert!(csv("d\nTrue\n", Some(&d), S)
        .unwrap_err()
        .message
        .contains("refusing to read a boolean"));
    assert!(csv("d\n9007199254740993\n", Some(&d), S)
        .unwrap_err()
        .message
        .contains("refusing a lossy conversion"));
}

#[test]
fn parquet_requests() {
    let ct = Some("application/vnd.apache.parquet");
    let e = parse_request(ct, b"not parquet", None, M).unwrap_err();
    assert!(e
        .message
        .contains("Parquet magic bytes not found in footer"));
    assert!(e.stack_trace);
    let e = parse_request(ct, b"", None, M).unwrap_err();
    assert!(e.message.contains("Parquet file size is 0 bytes"));
    // A real file round-trips.
    use arrow_array::{ArrayRef, Int64Array, RecordBatch};
    let a: ArrayRef = std::sync::Arc::new(Int64Array::from(vec![Some(1), None]));
    let batch = RecordBatch::try_from_iter([("a", a)]).unwrap();
    let mut buf = Vec::new();
    {
        let mut w = ::parquet::arrow::ArrowWriter::try_new(&mut buf, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }
    let p = parse_request(ct, &buf, Some(&house()), M).unwrap();
    assert_eq!(
        column(&model_input_to_value(&p.input), "a"),
        ("float64".into(), loads("[1.0, null]").unwrap())
    );
}

// ---------------------------------------------------------------------------------------------
// properties

fn cell_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        (-1e6f64..1e6).prop_map(|f| format!("{f:?}")),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("NaN".to_string()),
        Just("18446744073709551615".to_string()),
        "[a-z0-9 ]{0,4}".prop_map(|s| format!("\"{s}\"")),
        Just("[1, \"a\"]".to_string()),
        Just("{\"k\": 1}".to_string()),
    ]
}

fn schemas() -> Vec<Option<ModelSignature>> {
    let mut out = vec![None];
    for t in [
        "long", "integer", "double", "float", "boolean", "string", "binary", "datetime",
    ] {
        out.push(Some(sig(&format!(
            "[{{\"type\": \"{t}\", \"name\": \"a\", \"required\": true}}, {{\"type\": \"{t}\", \"name\": \"b\", \"required\": false}}]"
        ))));
    }
    out.push(Some(sig("[{\"type\": \"array\", \"items\": {\"type\": \"long\"}, \"name\": \"a\", \"required\": true}]")));
    out.push(Some(sig(
        "[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"int32\", \"shape\": [-1, 2]}}]",
    )));
    out
}

fn frame_value(f: &Result<RecordBatch, RequestError>) -> Result<Value, String> {
    match f {
        Ok(b) => Ok(model_input_to_value(&ModelInput::Table(b.clone()))),
        Err(e) => Err(e.message.clone()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Arbitrary bytes never make the parser panic, whatever the content type and schema.
    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..200), ct in 0usize..4, s in 0usize..11) {
        let cts = [Some("application/json"), Some("text/csv"), Some("application/vnd.apache.parquet"), None];
        let sigs = schemas();
        for compat in [M, S] {
            let _ = parse_request(cts[ct], &body, sigs[s].as_ref(), compat);
        }
    }

    /// JSON-ish bodies (more likely to get deep into the parser) never panic either.
    #[test]
    fn jsonish_bodies_never_panic(cells in proptest::collection::vec(cell_strategy(), 0..6), fmt in 0usize..4, s in 0usize..11) {
        let row = cells.join(", ");
        let body = match fmt {
            0 => format!("{{\"dataframe_split\": {{\"columns\": [\"a\", \"b\"], \"data\": [[{row}]]}}}}"),
            1 => format!("{{\"dataframe_records\": [{{\"a\": {}, \"b\": [{row}]}}]}}", cells.first().cloned().unwrap_or("1".into())),
            2 => format!("{{\"inputs\": {{\"a\": [{row}], \"b\": {}}}}}", cells.last().cloned().unwrap_or("1".into())),
            _ => format!("{{\"instances\": [{{\"a\": [{row}]}}, {{\"a\": {}}}]}}", cells.first().cloned().unwrap_or("1".into())),
        };
        let sigs = schemas();
        for compat in [M, S] {
            let _ = parse_request(JSON, body.as_bytes(), sigs[s].as_ref(), compat);
        }
    }

    /// The byte scanner and the value-based reader build the same frame (or the same error).
    #[test]
    fn fast_and_reference_readers_agree(rows in proptest::collection::vec(proptest::collection::vec(cell_strategy(), 0..3), 0..5), s in 0usize..11, records in any::<bool>()) {
        let sigs = schemas();
        let schema = sigs[s].as_ref().and_then(|x| x.inputs.as_ref());
        for compat in [M, S] {
            let (text, fast) = if records {
                let objs: Vec<String> = rows
                    .iter()
                    .map(|r| {
                        let members: Vec<String> = r.iter().enumerate().map(|(j, c)| format!("\"{}\": {c}", ["a", "b", "a"][j])).collect();
                        format!("{{{}}}", members.join(", "))
                    })
                    .collect();
                let text = format!("[{}]", objs.join(", "));
                let mut sc = Scanner::new(&text);
                let f = frame::records_fast(&mut sc, schema, compat).unwrap();
                (text, f)
            } else {
                let lists: Vec<String> = rows.iter().map(|r| format!("[{}]", r.join(", "))).collect();
                let text = format!("{{\"columns\": [\"a\", \"b\"], \"data\": [{}]}}", lists.join(", "));
                let mut sc = Scanner::new(&text);
                let f = frame::split_fast(&mut sc, schema, compat).unwrap();
                (text, f)
            };
            let v = loads(&text).unwrap();
            let reference = if records {
                frame::records_from_value(&v, schema, compat)
            } else {
                frame::split_from_value(&v, schema, compat)
            };
            prop_assert_eq!(frame_value(&fast), frame_value(&reference));
        }
    }
}
