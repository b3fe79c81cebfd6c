//! CSV and Parquet bodies.

use super::*;

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
