//! End-to-end tests of the `signet` binary.

mod common;
use common::*;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The exact one-line output for the shipped example (README, task brief).
const HOUSE_PRICES: &str = "{\"inputs\": \"[{\\\"type\\\": \\\"long\\\", \\\"name\\\": \\\"sqft\\\", \\\"required\\\": true}, {\\\"type\\\": \\\"long\\\", \\\"name\\\": \\\"bedrooms\\\", \\\"required\\\": true}]\", \"outputs\": null, \"params\": null}\n";

/// A fresh scratch file path for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("signet-cli-tests");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir.join(name)
}

/// Runs `signet infer <path> [extra]` and returns stdout, asserting success.
fn infer_ok(path: &Path, extra: &[&str]) -> String {
    let path = path.to_str().expect("utf-8 path");
    let mut args = vec!["infer", path];
    args.extend_from_slice(extra);
    let out = signet(&args);
    assert!(
        out.status.success(),
        "signet {args:?} failed: {}",
        stderr(&out)
    );
    stdout(&out)
}

/// The `inputs` JSON text of a one-line `json` output.
fn inputs_of(json_line: &str) -> String {
    let dict = signet::pyjson::loads(json_line.trim_end()).expect("output is JSON");
    match dict.get("inputs") {
        Some(signet::Value::Str(s)) => s.clone(),
        other => panic!("no inputs in {json_line}: {other:?}"),
    }
}

fn sample_batch() -> RecordBatch {
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("sqft", Arc::new(Int64Array::from(vec![1500, 2000, 1200]))),
        (
            "city",
            Arc::new(StringArray::from(vec!["Paris", "Lyon", "Nice"])),
        ),
        (
            "price",
            Arc::new(Float64Array::from(vec![Some(1.5), None, Some(2.0)])),
        ),
        (
            "garage",
            Arc::new(BooleanArray::from(vec![true, false, true])),
        ),
    ];
    RecordBatch::try_from_iter(columns).expect("batch")
}

const SAMPLE_INPUTS: &str = r#"[{"type": "long", "name": "sqft", "required": true}, {"type": "string", "name": "city", "required": true}, {"type": "double", "name": "price", "required": false}, {"type": "boolean", "name": "garage", "required": true}]"#;

fn write_parquet(path: &Path, batch: &RecordBatch) {
    std::fs::write(path, signet_testkit::parquet::to_parquet(batch, None)).expect("write parquet");
}

/// The inferred `inputs` of `batch` written as the Parquet scratch file `name`.
fn parquet_inputs(name: &str, batch: &RecordBatch) -> String {
    let path = scratch(name);
    write_parquet(&path, batch);
    inputs_of(&infer_ok(&path, &[]))
}

#[test]
fn house_prices_example_prints_the_exact_dict() {
    let out = signet(&["infer", "examples/data/house_prices.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), HOUSE_PRICES);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn output_and_formats() {
    let input = workspace().join("examples/data/house_prices.csv");
    let args = ["--output", "examples/data/house_prices_output.csv"];
    let pretty = infer_ok(&input, &[&args[..], &["--format", "pretty"]].concat());
    assert_eq!(
        pretty,
        r#"{
  "inputs": "[{\"type\": \"long\", \"name\": \"sqft\", \"required\": true}, {\"type\": \"long\", \"name\": \"bedrooms\", \"required\": true}]",
  "outputs": "[{\"type\": \"long\", \"name\": \"price\", \"required\": true}]",
  "params": null
}
"#
    );
    let mlmodel = infer_ok(&input, &[&args[..], &["--format", "mlmodel"]].concat());
    assert_eq!(
        mlmodel,
        r#"signature:
  inputs: '[{"type": "long", "name": "sqft", "required": true}, {"type": "long", "name":
    "bedrooms", "required": true}]'
  outputs: '[{"type": "long", "name": "price", "required": true}]'
  params: null
"#
    );
}

#[test]
fn params_file() {
    let params = scratch("params.json");
    std::fs::write(&params, r#"{"k": 5, "temperature": 0.5, "tags": ["a"]}"#).expect("write");
    let input = workspace().join("examples/data/house_prices.csv");
    let out = infer_ok(&input, &["--params", params.to_str().expect("utf-8")]);
    let dict = signet::pyjson::loads(out.trim_end()).expect("json");
    assert_eq!(
        dict.get("params"),
        Some(&signet::Value::str(
            r#"[{"name": "k", "default": 5, "shape": null, "type": "long"}, {"name": "temperature", "default": 0.5, "shape": null, "type": "double"}, {"name": "tags", "default": ["a"], "shape": [-1], "type": "string"}]"#
        ))
    );

    std::fs::write(&params, "[1, 2]").expect("write");
    let p = params.to_str().expect("utf-8");
    assert_file_error(
        &["infer", "examples/data/house_prices.csv", "--params", p],
        "params.json",
        "must be a JSON object",
    );
}

#[test]
fn parquet_file() {
    assert_eq!(
        parquet_inputs("sample.parquet", &sample_batch()),
        SAMPLE_INPUTS
    );
}

#[test]
fn parquet_integers_with_nulls_read_as_float64() {
    // pyarrow's to_pandas turns an int column with nulls into float64.
    let batch = RecordBatch::try_from_iter([(
        "n",
        Arc::new(Int64Array::from(vec![Some(1), None])) as ArrayRef,
    )])
    .expect("batch");
    assert_eq!(
        parquet_inputs("nullable.parquet", &batch),
        r#"[{"type": "double", "name": "n", "required": false}]"#
    );
}

#[test]
fn parquet_written_by_pandas_keeps_its_dtypes() {
    // `DataFrame.to_parquet` records dtypes and index columns in the "pandas" metadata:
    // the nullable Int64 column stays long, the index column is not a column.
    let pandas = r#"{"index_columns": ["__index_level_0__"], "columns": [{"name": "n", "field_name": "n", "pandas_type": "int64", "numpy_type": "Int64", "metadata": null}, {"name": null, "field_name": "__index_level_0__", "pandas_type": "int64", "numpy_type": "int64", "metadata": null}]}"#;
    let schema = arrow_schema::Schema::new(vec![
        arrow_schema::Field::new("n", arrow_schema::DataType::Int64, true),
        arrow_schema::Field::new("__index_level_0__", arrow_schema::DataType::Int64, true),
    ])
    .with_metadata([("pandas".to_string(), pandas.to_string())].into());
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(vec![Some(1), None])),
        Arc::new(Int64Array::from(vec![10, 20])),
    ];
    let batch = RecordBatch::try_new(Arc::new(schema), columns).expect("batch");
    assert_eq!(
        parquet_inputs("pandas.parquet", &batch),
        r#"[{"type": "long", "name": "n", "required": false}]"#
    );
}

#[test]
fn arrow_ipc_file_and_stream() {
    let batch = sample_batch();
    let file_path = scratch("sample.arrow");
    {
        let file = std::fs::File::create(&file_path).expect("create");
        // Compressed as pandas' `to_feather` does by default.
        let options = arrow_ipc::writer::IpcWriteOptions::default()
            .try_with_compression(Some(arrow_ipc::CompressionType::LZ4_FRAME))
            .expect("lz4");
        let mut w =
            arrow_ipc::writer::FileWriter::try_new_with_options(file, &batch.schema(), options)
                .expect("w");
        w.write(&batch).expect("write");
        w.finish().expect("finish");
    }
    assert_eq!(inputs_of(&infer_ok(&file_path, &[])), SAMPLE_INPUTS);

    let stream_path = scratch("sample.ipc");
    {
        let file = std::fs::File::create(&stream_path).expect("create");
        let mut w = arrow_ipc::writer::StreamWriter::try_new(file, &batch.schema()).expect("w");
        // Two batches: they are concatenated.
        w.write(&batch).expect("write");
        w.write(&batch).expect("write");
        w.finish().expect("finish");
    }
    assert_eq!(inputs_of(&infer_ok(&stream_path, &[])), SAMPLE_INPUTS);
}

#[test]
fn json_records_and_jsonl() {
    let json = scratch("records.json");
    std::fs::write(
        &json,
        r#"[{"sqft": 1500, "bedrooms": 3}, {"sqft": 2000, "bedrooms": 4}]"#,
    )
    .expect("write");
    assert_eq!(infer_ok(&json, &[]), HOUSE_PRICES);

    let jsonl = scratch("records.jsonl");
    std::fs::write(
        &jsonl,
        "{\"sqft\": 1500, \"bedrooms\": 3}\n\n{\"sqft\": 2000, \"bedrooms\": 4}\n",
    )
    .expect("write");
    assert_eq!(infer_ok(&jsonl, &[]), HOUSE_PRICES);
}

#[test]
fn csv_typed_like_pandas() {
    let path = scratch("typed.csv");
    std::fs::write(
        &path,
        "id,score,ok,day,gap\n1,1.5,True,2020-01-01,\n2,,false,2020-01-02,7\n",
    )
    .expect("write");
    assert_eq!(
        inputs_of(&infer_ok(&path, &[])),
        r#"[{"type": "long", "name": "id", "required": true}, {"type": "double", "name": "score", "required": false}, {"type": "boolean", "name": "ok", "required": true}, {"type": "string", "name": "day", "required": true}, {"type": "double", "name": "gap", "required": false}]"#
    );
}

#[test]
fn missing_files_and_unknown_extensions_are_refused() {
    for (file, problem) in [
        ("no/such/file.csv", "no such file"),
        ("Cargo.toml", "unsupported file extension"),
    ] {
        assert_file_error(&["infer", file], file, problem);
    }
}

#[test]
fn unreadable_files_are_refused_naming_the_file_and_the_problem() {
    let parquet = scratch("full.parquet");
    write_parquet(&parquet, &sample_batch());
    let parquet = std::fs::read(&parquet).expect("read");
    // (file, contents, message)
    let cases: [(&str, &[u8], &str); 9] = [
        ("truncated.parquet", &parquet[..parquet.len() / 2], "not a readable Parquet file"),
        // The parquet crate panics on this one (found by the data_parquet fuzz target).
        (
            "panicking.parquet",
            include_bytes!(
                "../../../fuzz/regressions/data_parquet/crash-aba1d699fb62b1fe04c6d30180b263c123bc8dc4"
            ),
            "not a readable Parquet file",
        ),
        (
            "garbage.parquet",
            b"PAR1 this is not parquet at all PAR1",
            "not a readable Parquet file",
        ),
        ("garbage.arrow", b"ARROW1\0\0garbage", "not a readable Arrow IPC"),
        // pd.read_csv refuses it: "EOF inside string starting at row 1" (0-based line).
        (
            "open_quote.csv",
            b"sqft,bed\n1,\"2\n",
            "invalid CSV: line 2: Error tokenizing data. C error: EOF inside string starting at row 1",
        ),
        (
            "latin1.csv",
            b"city,n\ncaf\xe9,1\n",
            "not valid UTF-8: invalid byte 0xE9 at byte offset 10 (line 2)",
        ),
        (
            "broken.json",
            b"[{\"a\": 1},\n {\"a\": }]",
            "invalid JSON on line 2, column 8: Expecting value",
        ),
        (
            "broken.jsonl",
            b"{\"a\": 1}\n{\"a\" 2}\n",
            "invalid JSON on line 2, column 6: Expecting ':' delimiter",
        ),
        ("ragged.csv", b"a,b\n1,2\n3,4,5\n", "invalid CSV"),
    ];
    for (name, contents, message) in cases {
        let path = scratch(name);
        std::fs::write(&path, contents).expect("write");
        assert_file_error(&["infer", path.to_str().expect("utf-8")], name, message);
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["infer"][..],
        &["infer", "x.csv", "--format", "xml"],
        &["frobnicate"],
    ] {
        let out = signet(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).starts_with("signet: error: "),
            "{}",
            stderr(&out)
        );
    }
    let help = signet(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("infer"));
}
