//! Request parsing of Object columns with a missing cell, checked against what real MLflow
//! 3.17.2 answers (`_parse_json_data`, recorded by hand: a `dataframe_records` row without the
//! optional Object's key becomes NaN, which `_enforce_object` refuses while parsing).

use signet::enforce::Compat;
use signet::json_form::signature_from_value;
use signet::pyjson;
use signet_protocol::request::parse_request;

#[test]
fn missing_optional_object_cell_is_refused_as_mlflow_does() {
    let v = pyjson::loads(r#"{"inputs": "[{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"long\", \"required\": true}}, \"name\": \"a\", \"required\": false}, {\"type\": \"long\", \"name\": \"b\", \"required\": true}]", "outputs": null, "params": null}"#).unwrap();
    let sig = signature_from_value(&v).unwrap();
    let body = br#"{"dataframe_records": [{"a": {"x": 1}, "b": 1}, {"b": 2}]}"#;
    for compat in [Compat::Mlflow, Compat::Strict] {
        let err = parse_request(Some("application/json"), body, Some(&sig), compat)
            .err()
            .unwrap_or_else(|| panic!("{compat:?}: accepted"));
        assert_eq!(
            err.to_string(),
            "Invalid input. Data is not compatible with model signature. Failed to convert column a to type '{x: long (required)}'. Error: 'MlflowException(\"Failed to enforce schema of 'nan' with type '{x: long (required)}'. Expected data to be dictionary, got float\")'",
            "{compat:?}"
        );
    }
    // A null (not a missing key) is still accepted for the optional column.
    let body = br#"{"dataframe_records": [{"a": {"x": 1}, "b": 1}, {"a": null, "b": 2}]}"#;
    assert!(parse_request(Some("application/json"), body, Some(&sig), Compat::Mlflow).is_ok());
}
