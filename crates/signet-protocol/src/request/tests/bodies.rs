//! CSV and Parquet bodies.

use super::*;

// CSV and Parquet

fn csv(body: &str, s: Option<&ModelSignature>, c: Compat) -> Result<ParsedRequest, RequestError> {
    parse_request(Some("text/csv"), body.as_bytes(), s, c)
}

/// The corpus Value of a parsed CSV body.
fn csv_input(body: &str, s: Option<&ModelSignature>, c: Compat) -> Value {
    model_input_to_value(&csv(body, s, c).unwrap().input)
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
    assert_columns(
        &v,
        &[("a", "int64", "[1, 2]"), ("b", "object", "[\"x\", \"y\"]")],
    );
    let v = csv_input("a,b\n1,x\n,NA\n", None, M);
    assert_columns(
        &v,
        &[
            ("a", "float64", "[1.0, null]"),
            ("b", "str", "[\"x\", null]"),
        ],
    );
    let e = csv_err("a,b\n1.5,x\n", Some(&two));
    assert_eq!(
        e.message,
        csv_msg(
            "cannot safely convert passed user dtype of int64 for float64 dtyped data in column 0"
        )
    );
    assert!(e.stack_trace && e.body().contains("\"stack_trace\": \"Traceback"));
    let arr = sig("[{\"type\": \"array\", \"items\": {\"type\": \"long\"}, \"name\": \"a\", \"required\": true}]");
    let t = sig(
        "[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float64\", \"shape\": [-1, 2]}}]",
    );
    let b = one("b", "boolean");
    for (body, s, inner) in [
        ("a,b\nq,x\n", Some(&two), "invalid literal for int() with base 10: 'q'"),
        ("a,b\n,x\n", Some(&two), "Integer column has NA values in column 0"),
        ("", None, "No columns to parse from file"),
        ("a,b\n1,2\n1,2,3,4\n", None, "Error tokenizing data. C error: Expected 2 fields in line 3, saw 4\n"),
        ("c\n2020-01-01\n", Some(&one("c", "datetime")), "the dtype datetime64[ns] is not supported for parsing, pass this column using parse_dates instead"),
        ("a\n1\n", Some(&arr), "Failed to get pandas types as some of the inputs types are not DataType."),
        ("a\n1\n", Some(&t), "TensorSpec only supports numpy types, use numpy_types() instead"),
        ("b\ntrue\n1\n", Some(&b), "cannot safely convert passed user dtype of bool for object dtyped data in column 0"),
        ("b\ntrue\n\"\"\n", Some(&b), "Bool column has NA values in column 0"),
    ] {
        assert_eq!(csv_err(body, s).message, csv_msg(inner), "{body}");
    }
    let e = parse_request(Some("text/csv"), b"a,b\n1,\xff\n", None, M).unwrap_err();
    assert_eq!(e.message, "Invalid input. Ensure that input is a valid UTF-8 encoded string. Error: 'UnicodeDecodeError('utf-8', b'a,b\\n1,\\xff\\n', 6, 7, 'invalid start byte')'");
    // Blank lines, quotes, booleans.
    for body in ["b\n\ntrue\n\"False\"\n", "b\n1\n0\n"] {
        assert_eq!(
            column(&csv_input(body, Some(&b), M), "b"),
            ("bool".into(), loads("[true, false]").unwrap()),
            "{body}"
        );
    }
    // int32 wraps in MLflow, strict refuses; booleans as numbers likewise.
    for (ty, cell, mlflow, refusal) in [
        (
            "integer",
            "3000000000",
            "[-1294967296]",
            "out of range for integer",
        ),
        ("double", "True", "[1.0]", "refusing to read a boolean"),
        (
            "double",
            "9007199254740993",
            "[9007199254740992.0]",
            "refusing a lossy conversion",
        ),
    ] {
        let s = one("c", ty);
        let body = format!("c\n{cell}\n");
        assert_eq!(
            column(&csv_input(&body, Some(&s), M), "c").1,
            loads(mlflow).unwrap(),
            "{body}"
        );
        let e = csv(&body, Some(&s), S).unwrap_err().message;
        assert!(e.contains(refusal), "{body}: {e}");
    }
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
    let buf = signet_testkit::parquet::to_parquet(&batch, None);
    let p = parse_request(ct, &buf, Some(&house()), M).unwrap();
    assert_eq!(
        column(&model_input_to_value(&p.input), "a"),
        ("float64".into(), loads("[1.0, null]").unwrap())
    );
}

#[test]
fn parquet_bodies_in_every_codec_pandas_writes() {
    // `DataFrame.to_parquet(compression=...)`: snappy (the default), gzip, brotli, lz4, zstd,
    // or none; pyarrow reads them all, so MLflow's server accepts them all.
    use ::parquet::basic::{BrotliLevel, Compression, GzipLevel, ZstdLevel};
    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
    let a: ArrayRef = std::sync::Arc::new(Int64Array::from(vec![1, 2, 1, 2]));
    let s: ArrayRef = std::sync::Arc::new(StringArray::from(vec!["x", "y", "x", "y"]));
    let batch = RecordBatch::try_from_iter([("a", a), ("s", s)]).unwrap();
    let codecs = [
        Compression::UNCOMPRESSED,
        Compression::SNAPPY,
        Compression::GZIP(GzipLevel::default()),
        Compression::BROTLI(BrotliLevel::default()),
        Compression::LZ4_RAW,
        Compression::ZSTD(ZstdLevel::default()),
    ];
    for codec in codecs {
        let props = ::parquet::file::properties::WriterProperties::builder()
            .set_compression(codec)
            .build();
        let buf = signet_testkit::parquet::to_parquet(&batch, Some(props));
        let ct = Some("application/vnd.apache.parquet");
        let p =
            parse_request(ct, &buf, None, M).unwrap_or_else(|e| panic!("{codec}: {}", e.message));
        assert_eq!(
            column(&model_input_to_value(&p.input), "a"),
            ("int64".into(), loads("[1, 2, 1, 2]").unwrap()),
            "{codec}"
        );
    }
}

#[test]
fn a_parquet_body_the_parquet_crate_panics_on_is_a_400_not_a_crash() {
    // Found by the data_parquet fuzz target (fuzz/regressions/data_parquet/): the parquet
    // crate panics slicing a page of this file.
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/regressions/data_parquet"
    );
    let file = std::fs::read_dir(dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let body = std::fs::read(file).unwrap();
    let ct = Some("application/vnd.apache.parquet");
    let e = parse_request(ct, &body, None, M).unwrap_err();
    assert!(
        e.message
            .starts_with("Failed to parse input as a Pandas DataFrame."),
        "{}",
        e.message
    );
    // The page header the crate misread (and panicked on) is refused before it reads it.
    assert!(
        e.message.contains("corrupt page header at byte 207"),
        "{}",
        e.message
    );
}
