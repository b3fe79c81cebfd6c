//! End-to-end tests of `signet check`.

mod common;
use common::*;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use signet_testkit::messages::assert_has;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The house-price signature (`sqft: long, bedrooms: long`) in its dict form.
const HOUSE_SIGNATURE: &str = r#"{"inputs": "[{\"type\": \"long\", \"name\": \"sqft\", \"required\": true}, {\"type\": \"long\", \"name\": \"bedrooms\", \"required\": true}]", "outputs": null, "params": null}"#;

/// The same signature as MLflow writes it in an MLmodel file.
const HOUSE_MLMODEL: &str = "flavors:
  python_function:
    loader_module: mlflow.pyfunc.model
is_signature_from_type_hint: false
mlflow_version: 3.17.2
signature:
  inputs: '[{\"type\": \"long\", \"name\": \"sqft\", \"required\": true}, {\"type\": \"long\",
    \"name\": \"bedrooms\", \"required\": true}]'
  outputs: null
  params: null
type_hint_from_example: false
";

/// A fresh scratch directory for one test.
fn scratch_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("signet-check-tests")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write scratch file");
    path.to_str().expect("utf-8 path").to_string()
}

/// Runs `signet check --signature sig data... extra...`, asserts the exit code and returns
/// stdout.
fn check(sig: &str, data: &[&str], extra: &[&str], code: i32) -> String {
    let mut args = vec!["check", "--signature", sig];
    args.extend_from_slice(data);
    args.extend_from_slice(extra);
    let out = signet(&args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "signet {args:?}\nstdout:\n{}\nstderr:\n{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains("panicked"),
        "signet {args:?} panicked: {}",
        stderr(&out)
    );
    stdout(&out)
}

/// A fresh scratch directory for one test, with `signature.json` holding `signature`.
fn scratch(test: &str, signature: &str) -> (PathBuf, String) {
    let dir = scratch_dir(test);
    let sig = write(&dir, "signature.json", signature);
    (dir, sig)
}

fn write_parquet(path: &Path, batch: &RecordBatch, batch_rows: usize) {
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_size(batch_rows)
        .build();
    let bytes = signet_testkit::parquet::to_parquet(batch, Some(props));
    std::fs::write(path, bytes).expect("write parquet");
}

fn json(text: &str) -> signet::Value {
    signet::pyjson::loads(text).unwrap_or_else(|e| panic!("not JSON ({e:?}):\n{text}"))
}

/// The `files` of a JSON report.
fn report_files(report: &signet::Value) -> Vec<signet::Value> {
    match report.get("files") {
        Some(signet::Value::List(files)) => files.clone(),
        other => panic!("no files in the report: {other:?}"),
    }
}

/// The rows of the examples a JSON report's `file` gives for column `name`.
fn example_rows(file: &signet::Value, name: &str) -> Vec<i128> {
    let Some(signet::Value::List(columns)) = file.get("columns") else {
        panic!("no columns in {file:?}")
    };
    let column = columns
        .iter()
        .find(|c| c.get("column") == Some(&signet::Value::str(name)))
        .unwrap_or_else(|| panic!("no column {name} in {columns:?}"));
    let Some(signet::Value::List(examples)) = column.get("examples") else {
        panic!("no examples in {column:?}")
    };
    examples.iter().map(|e| int(e.get("row"))).collect()
}

fn int(v: Option<&signet::Value>) -> i128 {
    match v {
        Some(signet::Value::Int(i)) => *i,
        other => panic!("expected an int, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The three house-price scenarios

#[test]
fn a_correct_csv_is_accepted() {
    let (dir, sig) = scratch("correct_csv", HOUSE_SIGNATURE);
    let data = write(&dir, "houses.csv", "sqft,bedrooms\n1500,3\n2000,4\n850,2\n");
    let out = check(&sig, &[&data], &[], 0);
    assert_has(&out, &["3 rows checked, valid", "no violations"]);
    // The shipped example, against an MLmodel file and a model directory.
    let model = dir.join("model");
    std::fs::create_dir_all(&model).expect("model dir");
    let mlmodel = write(&model, "MLmodel", HOUSE_MLMODEL);
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/data/house_prices.csv"
    );
    check(&mlmodel, &[example], &[], 0);
    check(model.to_str().expect("utf-8"), &[example, &data], &[], 0);
}

#[test]
fn missing_inputs_are_refused_with_mlflows_message() {
    let (dir, sig) = scratch("missing_inputs", HOUSE_SIGNATURE);
    let data = write(&dir, "baths.csv", "sqft,bathrooms\n1500,2\n2000,3\n");
    let out = check(&sig, &[&data], &[], 1);
    assert_has(
        &out,
        &[
            "Model is missing inputs ['bedrooms']. Note that there were extra inputs: \
             ['bathrooms'].",
        ],
    );
    // Once per file, however many batches.
    let out = check(&sig, &[&data], &["--batch-size", "1"], 1);
    assert_eq!(out.matches("Model is missing inputs").count(), 1, "{out}");
    let report = json(&check(&sig, &[&data], &["--format", "json"], 1));
    let file = match report.get("files") {
        Some(signet::Value::List(files)) => files[0].clone(),
        other => panic!("no files: {other:?}"),
    };
    assert_eq!(
        file.get("missing_inputs"),
        Some(&signet::Value::List(vec![signet::Value::str("bedrooms")]))
    );
    assert_eq!(
        file.get("extra_inputs"),
        Some(&signet::Value::List(vec![signet::Value::str("bathrooms")]))
    );
    assert_eq!(int(report.get("total_violations")), 1);
}

#[test]
fn text_in_a_long_column_is_refused_with_mlflows_message() {
    let (dir, sig) = scratch("text_sqft", HOUSE_SIGNATURE);
    let data = write(
        &dir,
        "houses.jsonl",
        "{\"sqft\": \"1500\", \"bedrooms\": 3}\n",
    );
    let out = check(&sig, &[&data], &[], 1);
    assert_has(
        &out,
        &[
            "Incompatible input types for column sqft. Can not safely convert str to int64.",
            "row 1: '1500'",
        ],
    );
    // In a CSV file, "1500" is a number.
    let csv = write(&dir, "houses.csv", "sqft,bedrooms\n\"1500\",3\n");
    check(&sig, &[&csv], &[], 0);
}

// ---------------------------------------------------------------------------------------------
// Every violation, with its row

#[test]
fn violations_in_several_batches_are_all_reported_with_their_rows() {
    let (dir, sig) = scratch("multi_batch", HOUSE_SIGNATURE);
    let mut csv = String::from("sqft,bedrooms\n");
    let mut jsonl = String::new();
    for row in 1..=20 {
        let (sqft, bedrooms) = match row {
            3 => ("abc".to_string(), "3".to_string()),
            8 => ("1500.5".to_string(), "".to_string()),
            17 => ("1700".to_string(), "NA".to_string()),
            _ => ((1000 + row).to_string(), "2".to_string()),
        };
        csv.push_str(&format!("{sqft},{bedrooms}\n"));
        let value = |s: &str| match s.parse::<f64>() {
            Ok(_) => s.to_string(),
            Err(_) if s.is_empty() || s == "NA" => "null".to_string(),
            Err(_) => format!("\"{s}\""),
        };
        jsonl.push_str(&format!(
            "{{\"sqft\": {}, \"bedrooms\": {}}}\n",
            value(&sqft),
            value(&bedrooms)
        ));
    }
    let csv = write(&dir, "houses.csv", &csv);
    let jsonl = write(&dir, "houses.jsonl", &jsonl);
    for data in [&csv, &jsonl] {
        let report = json(&check(
            &sig,
            &[data],
            &[
                "--batch-size",
                "4",
                "--format",
                "json",
                "--max-examples",
                "10",
            ],
            1,
        ));
        assert_eq!(int(report.get("rows_checked")), 20, "{data}");
        assert_eq!(int(report.get("total_violations")), 4, "{data}");
        let files = report_files(&report);
        assert_eq!(example_rows(&files[0], "sqft"), [3, 8], "{data}");
        assert_eq!(example_rows(&files[0], "bedrooms"), [8, 17], "{data}");
    }
    // The human form says the row convention and gives value and reason.
    let out = check(&sig, &[&csv], &["--batch-size", "4"], 1);
    assert_has(
        &out,
        &[
            "row 3: abc - not an integer",
            "row 8: 1500.5 - not an integer",
            "row 17: NA - missing value",
            "numbered from 1",
        ],
    );
}

#[test]
fn parquet_batches_are_pinpointed() {
    let (dir, sig) = scratch("parquet", HOUSE_SIGNATURE);
    // bedrooms has nulls in rows 2 and 7 (1-based); sqft is a float column with one
    // fractional value at row 5.
    let sqft: ArrayRef = Arc::new(Float64Array::from(
        (1..=9)
            .map(|r| if r == 5 { 1500.5 } else { 1000.0 + r as f64 })
            .collect::<Vec<_>>(),
    ));
    let bedrooms: ArrayRef = Arc::new(Int64Array::from(
        (1..=9)
            .map(|r| (r != 2 && r != 7).then_some(3))
            .collect::<Vec<_>>(),
    ));
    let city: ArrayRef = Arc::new(StringArray::from(vec!["x"; 9]));
    let batch =
        RecordBatch::try_from_iter([("sqft", sqft), ("bedrooms", bedrooms), ("city", city)])
            .expect("batch");
    let path = dir.join("houses.parquet");
    write_parquet(&path, &batch, 3);
    let data = path.to_str().expect("utf-8");
    let out = check(&sig, &[data], &["--batch-size", "3"], 1);
    assert_has(
        &out,
        &[
            "column bedrooms: 2 violations",
            "row 2: nan - missing value",
            "row 7: nan - missing value",
            "Hint: the type mismatch is likely caused by missing values",
            "row 5: 1500.5 - not an integer",
        ],
    );
    // The float column's integral batches are refused for their type alone: once per file.
    assert_has(
        &out,
        &[
            "Can not safely convert float64 to int64.",
            "note: Found extra inputs",
        ],
    );

    // A valid file.
    let sqft: ArrayRef = Arc::new(Int64Array::from(vec![1500, 2000]));
    let bedrooms: ArrayRef = Arc::new(Int64Array::from(vec![3, 4]));
    let good = RecordBatch::try_from_iter([("sqft", sqft), ("bedrooms", bedrooms)]).expect("batch");
    let path = dir.join("good.parquet");
    write_parquet(&path, &good, 1);
    check(
        &sig,
        &[path.to_str().expect("utf-8")],
        &["--batch-size", "1"],
        0,
    );
}

#[test]
fn arrow_ipc_files_and_streams() {
    let (dir, sig) = scratch("ipc", HOUSE_SIGNATURE);
    let sqft: ArrayRef = Arc::new(Int64Array::from(vec![1500, 2000]));
    let bedrooms: ArrayRef = Arc::new(StringArray::from(vec!["3", "four"]));
    let batch =
        RecordBatch::try_from_iter([("sqft", sqft), ("bedrooms", bedrooms)]).expect("batch");
    let file_path = dir.join("houses.arrow");
    let mut w = arrow_ipc::writer::FileWriter::try_new(
        std::fs::File::create(&file_path).expect("create"),
        &batch.schema(),
    )
    .expect("ipc writer");
    w.write(&batch).expect("write");
    w.write(&batch).expect("write");
    w.finish().expect("finish");
    let stream_path = dir.join("houses.ipc");
    let mut w = arrow_ipc::writer::StreamWriter::try_new(
        std::fs::File::create(&stream_path).expect("create"),
        &batch.schema(),
    )
    .expect("ipc writer");
    w.write(&batch).expect("write");
    w.finish().expect("finish");
    let out = check(
        &sig,
        &[
            file_path.to_str().expect("utf-8"),
            stream_path.to_str().expect("utf-8"),
        ],
        &[],
        1,
    );
    assert_has(
        &out,
        &[
            "Incompatible input types for column bedrooms. Can not safely convert str to int64.",
            "houses.arrow: 4 rows checked",
            "houses.ipc: 2 rows checked",
        ],
    );
}

#[test]
fn composite_columns_are_checked_cell_by_cell() {
    let (dir, sig) = scratch(
        "composite",
        r#"{"inputs": "[{\"type\": \"array\", \"items\": {\"type\": \"long\"}, \"name\": \"a\", \"required\": true}, {\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"long\", \"required\": true}}, \"name\": \"o\", \"required\": true}]", "outputs": null, "params": null}"#,
    );
    // (file, contents, what the report says)
    let cases: [(&str, &str, &[&str]); 2] = [
        (
            "data.jsonl",
            "{\"a\": [1, 2], \"o\": {\"x\": 1}}\n\
             {\"a\": [1.5], \"o\": {\"x\": 2}}\n\
             \n\
             {\"a\": 3, \"o\": {\"y\": 1}}\n\
             {\"a\": [], \"o\": {\"x\": 4}}\n",
            &[
                "column a: 2 violations",
                "row 2: [1.5]",
                "row 3: 3 - Expected data to be list or numpy array, got int",
                "column o: 1 violation",
                "Missing required properties: {'x'}",
            ],
        ),
        // CSV cells of composite columns are JSON text.
        (
            "data.csv",
            "a,o\n\"[1, 2]\",\"{\"\"x\"\": 1}\"\n\"[1,oops]\",\"{\"\"x\"\": 2}\"\n",
            &["row 2: [1,oops] - not valid JSON", "1 violation"],
        ),
    ];
    for (name, text, expected) in cases {
        let data = write(&dir, name, text);
        assert_has(&check(&sig, &[&data], &[], 1), expected);
    }
}

#[test]
fn compat_mlflow_reports_only_what_mlflow_refuses() {
    let (dir, sig) = scratch(
        "compat",
        r#"{"inputs": "[{\"type\": \"string\", \"name\": \"name\", \"required\": true}, {\"type\": \"long\", \"name\": \"sqft\", \"required\": true}]", "outputs": null, "params": null}"#,
    );
    // A number in a string column (docs/divergences.md S1): MLflow passes the object column on.
    let lenient = write(
        &dir,
        "lenient.jsonl",
        "{\"name\": 5, \"sqft\": 1500}\n{\"name\": \"x\", \"sqft\": 1600}\n",
    );
    let out = check(&sig, &[&lenient], &[], 1);
    assert_has(&out, &["column name: 1 violation", "row 1: 5"]);
    let strict = check(&sig, &[&lenient], &["--compat", "strict"], 1);
    assert_eq!(strict, out);
    let out = check(&sig, &[&lenient], &["--compat", "mlflow"], 0);
    assert_has(&out, &["lenient.jsonl: 2 rows checked, valid"]);
    // Text in a long column is refused by MLflow too.
    let refused = write(
        &dir,
        "refused.jsonl",
        "{\"name\": 5, \"sqft\": 1500}\n{\"name\": \"x\", \"sqft\": \"1600\"}\n",
    );
    for compat in ["strict", "mlflow"] {
        let out = check(&sig, &[&refused], &["--compat", compat], 1);
        assert!(out.contains("column sqft: 1 violation"), "{compat}: {out}");
        assert!(out.contains("row 2: '1600'"), "{compat}: {out}");
        assert_eq!(
            out.contains("column name:"),
            compat == "strict",
            "{compat}: {out}"
        );
    }
    // Bad values are usage errors.
    let out = signet(&[
        "check",
        "--signature",
        &sig,
        &lenient,
        "--compat",
        "lenient",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn max_examples_bounds_the_examples_not_the_count() {
    let (dir, sig) = scratch("max_examples", HOUSE_SIGNATURE);
    let mut csv = String::from("sqft,bedrooms\n");
    for _ in 0..50 {
        csv.push_str("x,1\n");
    }
    let data = write(&dir, "bad.csv", &csv);
    let out = check(
        &sig,
        &[&data],
        &["--max-examples", "2", "--batch-size", "7"],
        1,
    );
    assert_has(&out, &["column sqft: 50 violations"]);
    assert_eq!(out.matches("not an integer").count(), 2, "{out}");
    assert_has(&out, &["... and 48 more"]);
}

// ---------------------------------------------------------------------------------------------
// Usage and I/O errors: exit code 2, `signet: error: <file>: <problem>`

#[test]
fn bad_signature_sources_exit_2() {
    let dir = scratch_dir("bad_src");
    let data = write(&dir, "houses.csv", "sqft,bedrooms\n1500,3\n");
    let missing = dir.join("nope.json");
    let missing = missing.to_str().expect("utf-8");
    assert_file_error(
        &["check", "--signature", missing, &data],
        missing,
        "no such file",
    );
    let empty_dir = dir.join("empty-model");
    std::fs::create_dir_all(&empty_dir).expect("dir");
    let empty_dir = empty_dir.to_str().expect("utf-8");
    assert_file_error(
        &["check", "--signature", empty_dir, &data],
        empty_dir,
        "no MLmodel file",
    );
    // Files that are there but are not a signature: (name, text, message).
    let cases = [
        (
            "MLmodel",
            "flavors:\n  python_function:\n    loader_module: mlflow.onnx\n",
            "no signature",
        ),
        (
            "outputs.json",
            r#"{"inputs": null, "outputs": "[{\"type\": \"long\", \"name\": \"y\", \"required\": true}]", "params": null}"#,
            "no inputs",
        ),
        (
            "broken.json",
            r#"{"inputs": "[{\"type\": \"int64\", \"name\": \"x\"}]"}"#,
            "invalid signature: Unsupported type 'int64'",
        ),
    ];
    for (name, text, message) in cases {
        let path = write(&dir, name, text);
        assert_file_error(&["check", "--signature", &path, &data], &path, message);
    }
}

#[test]
fn bad_data_paths_exit_2() {
    let (dir, sig) = scratch("bad_data", HOUSE_SIGNATURE);
    let good = write(&dir, "houses.csv", "sqft,bedrooms\n1500,3\n");
    let missing = dir.join("nope.csv");
    let missing = missing.to_str().expect("utf-8");
    // Checked before anything is read or printed.
    assert_file_error(
        &["check", "--signature", &sig, &good, missing],
        missing,
        "no such file",
    );
    // Data files that cannot be read: (name, text, message).
    let cases = [
        ("houses.txt", "sqft,bedrooms\n", "unsupported file extension `.txt`"),
        ("garbage.parquet", "PAR1 not parquet PAR1", "not a readable Parquet file"),
        (
            "bad.jsonl",
            "{\"sqft\": 1, \"bedrooms\": 2}\n{\"sqft\": \n",
            "invalid JSON on line 2",
        ),
        // A row wider than the first one: pandas' "Expected 2 fields in line 3, saw 3". (A
        // first row wider than the header is pandas' implicit index, which reads.)
        (
            "ragged.csv",
            "sqft,bedrooms\n1,2\n3,4,5\n",
            "invalid CSV: line 3: Error tokenizing data. C error: Expected 2 fields in line 3, saw 3",
        ),
        // A quoted field that never closes, refused as pandas refuses it.
        (
            "open_quote.csv",
            "sqft,bedrooms\n1,\"2\n",
            "invalid CSV: line 2: Error tokenizing data. C error: EOF inside string starting at row 1",
        ),
    ];
    for (name, text, message) in cases {
        let path = write(&dir, name, text);
        assert_file_error(&["check", "--signature", &sig, &path], &path, message);
    }
    // No DATA at all is a usage error.
    let out = signet(&["check", "--signature", &sig]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_csv_of_many_blocks_is_checked_in_parallel_with_exact_rows() {
    // ~5 MB: the file is read in blocks of 512 KiB on every core. Every row has a quoted note
    // with a newline and a comma in it, so block cuts fall inside quoted fields; bad cells are
    // spread over the whole file.
    let (dir, sig) = scratch("many_blocks", HOUSE_SIGNATURE);
    let mut csv = String::from("sqft,note,bedrooms\r\n");
    let mut bad_sqft = Vec::new();
    let mut bad_bedrooms = Vec::new();
    let rows = 120_000;
    for row in 1..=rows {
        let sqft = if row % 9_973 == 0 {
            bad_sqft.push(row);
            "abc".to_string()
        } else {
            (row % 5_000).to_string()
        };
        let bedrooms = if row % 15_013 == 0 {
            bad_bedrooms.push(row);
            ""
        } else {
            "3"
        };
        csv.push_str(&format!(
            "{sqft},\"note {row}\nsecond line, \"\"quoted\"\"\",{bedrooms}\r\n"
        ));
        if row % 1_000 == 0 {
            csv.push_str("\r\n  \r\n"); // blank lines are not rows
        }
    }
    let big = write(&dir, "big.csv", &csv);
    let small = write(&dir, "small.csv", "sqft,bedrooms\n1,x\n");
    let args = ["--format", "json", "--max-examples", "100"];
    let report = json(&check(&sig, &[&big, &small, &big], &args, 1));
    let files = report_files(&report);
    assert_eq!(files.len(), 3);
    let as_rows = |rows: &[usize]| rows.iter().map(|&r| r as i128).collect::<Vec<_>>();
    for file in [&files[0], &files[2]] {
        assert_eq!(int(file.get("rows")), rows as i128, "{file:?}");
        assert_eq!(example_rows(file, "sqft"), as_rows(&bad_sqft));
        assert_eq!(example_rows(file, "bedrooms"), as_rows(&bad_bedrooms));
    }
    assert_eq!(int(files[1].get("rows")), 1);
    // The sequential reader reports the same, to the byte, in both forms.
    for form in ["json", "text"] {
        let args = ["check", "--signature", &sig, &big, &small, "--format", form];
        let parallel = signet(&args);
        let sequential = std::process::Command::new(env!("CARGO_BIN_EXE_signet"))
            .args(args)
            .env("SIGNET_CSV_SEQUENTIAL", "1")
            .output()
            .expect("run signet");
        assert_eq!(stdout(&parallel), stdout(&sequential), "{form}");
        assert_eq!(parallel.status.code(), Some(1));
    }
    assert_eq!(
        int(report.get("total_violations")),
        2 * (bad_sqft.len() + bad_bedrooms.len()) as i128 + 1
    );
    // An unterminated quote near the end of a large file is still pandas' error.
    csv.push_str("1,\"open\n2,3\n");
    let open = write(&dir, "open.csv", &csv);
    let out = signet(&["check", "--signature", &sig, &open]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("EOF inside string starting at row"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn columns_are_reported_in_the_order_of_the_batches() {
    // The first batch with a violation lists its columns in schema order.
    let (dir, sig) = scratch("column_order", HOUSE_SIGNATURE);
    let data = write(
        &dir,
        "houses.csv",
        "sqft,bedrooms\n1,2\n1,x\nx,2\n1,2\n1,2\nx,2\n",
    );
    // (batch size, whether sqft is listed first): a first batch of 4 rows holds violations of
    // both columns, one of 2 rows only bedrooms' `x`.
    for (batch_size, sqft_first) in [("4", true), ("2", false)] {
        let out = check(&sig, &[&data], &["--batch-size", batch_size], 1);
        let (sqft, bedrooms) = (out.find("sqft").unwrap(), out.find("bedrooms").unwrap());
        assert_eq!(
            sqft < bedrooms,
            sqft_first,
            "batch size {batch_size}: {out}"
        );
    }
}
