//! End-to-end tests of `signet check`.

mod common;
use common::*;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
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

fn house_signature(dir: &Path) -> String {
    write(dir, "signature.json", HOUSE_SIGNATURE)
}

fn write_parquet(path: &Path, batch: &RecordBatch, batch_rows: usize) {
    let file = std::fs::File::create(path).expect("create parquet");
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_size(batch_rows)
        .build();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(props))
        .expect("parquet writer");
    writer.write(batch).expect("write parquet");
    writer.close().expect("close parquet");
}

fn json(text: &str) -> signet::Value {
    signet::pyjson::loads(text).unwrap_or_else(|e| panic!("not JSON ({e:?}):\n{text}"))
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
    let dir = scratch_dir("correct_csv");
    let sig = house_signature(&dir);
    let data = write(&dir, "houses.csv", "sqft,bedrooms\n1500,3\n2000,4\n850,2\n");
    let out = check(&sig, &[&data], &[], 0);
    assert!(out.contains("3 rows checked, valid"), "{out}");
    assert!(out.contains("no violations"), "{out}");
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
    let dir = scratch_dir("missing_inputs");
    let sig = house_signature(&dir);
    let data = write(&dir, "baths.csv", "sqft,bathrooms\n1500,2\n2000,3\n");
    let out = check(&sig, &[&data], &[], 1);
    assert!(
        out.contains(
            "Model is missing inputs ['bedrooms']. Note that there were extra inputs: \
             ['bathrooms']."
        ),
        "{out}"
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
    let dir = scratch_dir("text_sqft");
    let sig = house_signature(&dir);
    let data = write(
        &dir,
        "houses.jsonl",
        "{\"sqft\": \"1500\", \"bedrooms\": 3}\n",
    );
    let out = check(&sig, &[&data], &[], 1);
    assert!(
        out.contains(
            "Incompatible input types for column sqft. Can not safely convert str to int64."
        ),
        "{out}"
    );
    assert!(out.contains("row 1: '1500'"), "{out}");
    // In a CSV file, "1500" is a number.
    let csv = write(&dir, "houses.csv", "sqft,bedrooms\n\"1500\",3\n");
    check(&sig, &[&csv], &[], 0);
}

// ---------------------------------------------------------------------------------------------
// Every violation, with its row

#[test]
fn violations_in_several_batches_are_all_reported_with_their_rows() {
    let dir = scratch_dir("multi_batch");
    let sig = house_signature(&dir);
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
        let Some(signet::Value::List(files)) = report.get("files") else {
            panic!("no files")
        };
        let Some(signet::Value::List(columns)) = files[0].get("columns") else {
            panic!("no columns")
        };
        let rows_of = |name: &str| -> Vec<i128> {
            let column = columns
                .iter()
                .find(|c| c.get("column") == Some(&signet::Value::str(name)))
                .unwrap_or_else(|| panic!("no column {name} in {columns:?}"));
            let Some(signet::Value::List(examples)) = column.get("examples") else {
                panic!("no examples")
            };
            examples.iter().map(|e| int(e.get("row"))).collect()
        };
        assert_eq!(rows_of("sqft"), [3, 8], "{data}");
        assert_eq!(rows_of("bedrooms"), [8, 17], "{data}");
    }
    // The human form says the row convention and gives value and reason.
    let out = check(&sig, &[&csv], &["--batch-size", "4"], 1);
    assert!(out.contains("row 3: abc - not an integer"), "{out}");
    assert!(out.contains("row 8: 1500.5 - not an integer"), "{out}");
    assert!(out.contains("row 17: NA - missing value"), "{out}");
    assert!(out.contains("numbered from 1"), "{out}");
}

#[test]
fn parquet_batches_are_pinpointed() {
    let dir = scratch_dir("parquet");
    let sig = house_signature(&dir);
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
    assert!(out.contains("column bedrooms: 2 violations"), "{out}");
    assert!(out.contains("row 2: nan - missing value"), "{out}");
    assert!(out.contains("row 7: nan - missing value"), "{out}");
    assert!(
        out.contains("Hint: the type mismatch is likely caused by missing values"),
        "{out}"
    );
    assert!(out.contains("row 5: 1500.5 - not an integer"), "{out}");
    // The float column's integral batches are refused for their type alone: once per file.
    assert!(
        out.contains("Can not safely convert float64 to int64."),
        "{out}"
    );
    assert!(out.contains("note: Found extra inputs"), "{out}");

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
    let dir = scratch_dir("ipc");
    let sig = house_signature(&dir);
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
    assert!(
        out.contains(
            "Incompatible input types for column bedrooms. Can not safely convert str to int64."
        ),
        "{out}"
    );
    assert!(out.contains("houses.arrow: 4 rows checked"), "{out}");
    assert!(out.contains("houses.ipc: 2 rows checked"), "{out}");
}

#[test]
fn composite_columns_are_checked_cell_by_cell() {
    let dir = scratch_dir("composite");
    let sig = write(
        &dir,
        "signature.json",
        r#"{"inputs": "[{\"type\": \"array\", \"items\": {\"type\": \"long\"}, \"name\": \"a\", \"required\": true}, {\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"long\", \"required\": true}}, \"name\": \"o\", \"required\": true}]", "outputs": null, "params": null}"#,
    );
    let jsonl = write(
        &dir,
        "data.jsonl",
        "{\"a\": [1, 2], \"o\": {\"x\": 1}}\n\
         {\"a\": [1.5], \"o\": {\"x\": 2}}\n\
         \n\
         {\"a\": 3, \"o\": {\"y\": 1}}\n\
         {\"a\": [], \"o\": {\"x\": 4}}\n",
    );
    let out = check(&sig, &[&jsonl], &[], 1);
    assert!(out.contains("column a: 2 violations"), "{out}");
    assert!(out.contains("row 2: [1.5]"), "{out}");
    assert!(
        out.contains("row 3: 3 - Expected data to be list or numpy array, got int"),
        "{out}"
    );
    assert!(out.contains("column o: 1 violation"), "{out}");
    assert!(out.contains("Missing required properties: {'x'}"), "{out}");
    // CSV cells of composite columns are JSON text.
    let csv = write(
        &dir,
        "data.csv",
        "a,o\n\"[1, 2]\",\"{\"\"x\"\": 1}\"\n\"[1,oops]\",\"{\"\"x\"\": 2}\"\n",
    );
    let out = check(&sig, &[&csv], &[], 1);
    assert!(out.contains("row 2: [1,oops] - not valid JSON"), "{out}");
    assert!(out.contains("1 violation"), "{out}");
}

#[test]
fn compat_mlflow_reports_only_what_mlflow_refuses() {
    let dir = scratch_dir("compat");
    let sig = write(
        &dir,
        "signature.json",
        r#"{"inputs": "[{\"type\": \"string\", \"name\": \"name\", \"required\": true}, {\"type\": \"long\", \"name\": \"sqft\", \"required\": true}]", "outputs": null, "params": null}"#,
    );
    // A number in a string column (docs/divergences.md S1): MLflow passes the object column on.
    let lenient = write(
        &dir,
        "lenient.jsonl",
        "{\"name\": 5, \"sqft\": 1500}\n{\"name\": \"x\", \"sqft\": 1600}\n",
    );
    let out = check(&sig, &[&lenient], &[], 1);
    assert!(out.contains("column name: 1 violation"), "{out}");
    assert!(out.contains("row 1: 5"), "{out}");
    let strict = check(&sig, &[&lenient], &["--compat", "strict"], 1);
    assert_eq!(strict, out);
    let out = check(&sig, &[&lenient], &["--compat", "mlflow"], 0);
    assert!(
        out.contains("lenient.jsonl: 2 rows checked, valid"),
        "{out}"
    );
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
    let dir = scratch_dir("max_examples");
    let sig = house_signature(&dir);
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
    assert!(out.contains("column sqft: 50 violations"), "{out}");
    assert_eq!(out.matches("not an integer").count(), 2, "{out}");
    assert!(out.contains("... and 48 more"), "{out}");
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
    let no_sig = write(
        &dir,
        "MLmodel",
        "flavors:\n  python_function:\n    loader_module: mlflow.onnx\n",
    );
    assert_file_error(
        &["check", "--signature", &no_sig, &data],
        &no_sig,
        "no signature",
    );
    let outputs_only = write(
        &dir,
        "outputs.json",
        r#"{"inputs": null, "outputs": "[{\"type\": \"long\", \"name\": \"y\", \"required\": true}]", "params": null}"#,
    );
    assert_file_error(
        &["check", "--signature", &outputs_only, &data],
        &outputs_only,
        "no inputs",
    );
    let broken = write(
        &dir,
        "broken.json",
        r#"{"inputs": "[{\"type\": \"int64\", \"name\": \"x\"}]"}"#,
    );
    assert_file_error(
        &["check", "--signature", &broken, &data],
        &broken,
        "invalid signature: Unsupported type 'int64'",
    );
}

#[test]
fn bad_data_paths_exit_2() {
    let dir = scratch_dir("bad_data");
    let sig = house_signature(&dir);
    let good = write(&dir, "houses.csv", "sqft,bedrooms\n1500,3\n");
    let missing = dir.join("nope.csv");
    let missing = missing.to_str().expect("utf-8");
    // Checked before anything is read or printed.
    assert_file_error(
        &["check", "--signature", &sig, &good, missing],
        missing,
        "no such file",
    );
    let txt = write(&dir, "houses.txt", "sqft,bedrooms\n");
    assert_file_error(
        &["check", "--signature", &sig, &txt],
        &txt,
        "unsupported file extension `.txt`",
    );
    let garbage = write(&dir, "garbage.parquet", "PAR1 not parquet PAR1");
    assert_file_error(
        &["check", "--signature", &sig, &garbage],
        &garbage,
        "not a readable Parquet file",
    );
    let bad_json = write(
        &dir,
        "bad.jsonl",
        "{\"sqft\": 1, \"bedrooms\": 2}\n{\"sqft\": \n",
    );
    assert_file_error(
        &["check", "--signature", &sig, &bad_json],
        &bad_json,
        "invalid JSON on line 2",
    );
    // A row wider than the first one: pandas' "Expected 2 fields in line 3, saw 3". (A first
    // row wider than the header is pandas' implicit index, which reads.)
    let ragged = write(&dir, "ragged.csv", "sqft,bedrooms\n1,2\n3,4,5\n");
    assert_file_error(
        &["check", "--signature", &sig, &ragged],
        &ragged,
        "invalid CSV: line 3: Error tokenizing data. C error: Expected 2 fields in line 3, saw 3",
    );
    // A quoted field that never closes, refused as pandas refuses it.
    let open_quote = write(&dir, "open_quote.csv", "sqft,bedrooms\n1,\"2\n");
    assert_file_error(
        &["check", "--signature", &sig, &open_quote],
        &open_quote,
        "invalid CSV: line 2: Error tokenizing data. C error: EOF inside string starting at row 1",
    );
    // No DATA at all is a usage error.
    let out = signet(&["check", "--signature", &sig]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_csv_of_many_blocks_is_checked_in_parallel_with_exact_rows() {
    // ~5 MB: the file is read in blocks of 512 KiB on every core. Every row has a quoted note
    // with a newline and a comma in it, so block cuts fall inside quoted fields; bad cells are
    // spread over the whole file.
    let dir = scratch_dir("many_blocks");
    let sig = house_signature(&dir);
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
    let Some(signet::Value::List(files)) = report.get("files") else {
        panic!("no files")
    };
    assert_eq!(files.len(), 3);
    for file in [&files[0], &files[2]] {
        assert_eq!(int(file.get("rows")), rows as i128, "{file:?}");
        let Some(signet::Value::List(columns)) = file.get("columns") else {
            panic!("no columns")
        };
        let rows_of = |name: &str| -> Vec<usize> {
            let column = columns
                .iter()
                .find(|c| c.get("column") == Some(&signet::Value::str(name)))
                .unwrap_or_else(|| panic!("no column {name} in {columns:?}"));
            let Some(signet::Value::List(examples)) = column.get("examples") else {
                panic!("no examples")
            };
            examples
                .iter()
                .map(|e| int(e.get("row")) as usize)
                .collect()
        };
        assert_eq!(rows_of("sqft"), bad_sqft);
        assert_eq!(rows_of("bedrooms"), bad_bedrooms);
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
    let dir = scratch_dir("column_order");
    let sig = house_signature(&dir);
    let data = write(
        &dir,
        "houses.csv",
        "sqft,bedrooms\n1,2\n1,x\nx,2\n1,2\n1,2\nx,2\n",
    );
    let out = check(&sig, &[&data], &["--batch-size", "4"], 1);
    let (sqft, bedrooms) = (out.find("sqft").unwrap(), out.find("bedrooms").unwrap());
    assert!(sqft < bedrooms, "{out}");
    let out = check(&sig, &[&data], &["--batch-size", "2"], 1);
    let (sqft, bedrooms) = (out.find("sqft").unwrap(), out.find("bedrooms").unwrap());
    assert!(bedrooms < sqft, "{out}");
}
