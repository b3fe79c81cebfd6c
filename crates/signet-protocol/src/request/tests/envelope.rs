//! Content type, JSON decoding and the envelope (format keys, params, the unified LLM form).

use super::*;

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
    refusals(&[
        ("[1, 2]", None, M, &format!("Invalid input. The input must be a JSON dictionary with exactly one of the input fields {fields}. Received a list.")),
        ("5", None, M, &format!("Invalid input. The input must be a JSON dictionary with exactly one of the input fields {fields}. Received unexpected input type '<class 'int'>.")),
    ]);
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
