use super::*;
use crate::types::ColSpec;
use arrow_schema::Schema as ArrowSchema;

fn house() -> Schema {
    Schema::columns(vec![
        ColSpec::new("sqft", DataType::Long, true),
        ColSpec::new("bedrooms", DataType::Long, true),
    ])
    .unwrap()
}

#[test]
fn presence_messages_are_mlflows() {
    let p = presence(&house(), &["sqft".into(), "bathrooms".into()]);
    assert_eq!(
        p.message.as_deref(),
        Some(
            "Model is missing inputs ['bedrooms']. Note that there were extra inputs: \
             ['bathrooms']."
        )
    );
    let p = presence(&house(), &["bedrooms".into(), "x".into(), "sqft".into()]);
    assert!(!p.is_refused());
    assert_eq!(p.extra, [ColumnName::from("x")]);
    assert!(p.note.unwrap().contains("`['x']`"));
    let unnamed = Schema::columns(vec![
        ColSpec::unnamed(DataType::Long),
        ColSpec::unnamed(DataType::String),
    ])
    .unwrap();
    let p = presence(&unnamed, &["a".into()]);
    assert!(p.message.unwrap().contains("declares 2 inputs  but"));
}

#[test]
fn csv_cells_follow_the_declared_type() {
    assert_eq!(text_cell_problem(DataType::Long, " 1500 "), None);
    assert!(text_cell_problem(DataType::Long, "1500.0").is_some());
    assert!(text_cell_problem(DataType::Long, "1500.5").is_some());
    assert!(text_cell_problem(DataType::Long, "").is_some());
    assert!(text_cell_problem(DataType::Long, "NA").is_some());
    assert!(text_cell_problem(DataType::Long, "abc").is_some());
    assert!(text_cell_problem(DataType::Long, "99999999999999999999").is_some());
    assert!(text_cell_problem(DataType::Integer, "3000000000").is_some());
    assert_eq!(text_cell_problem(DataType::Double, "1e3"), None);
    assert_eq!(text_cell_problem(DataType::Double, ""), None);
    assert!(text_cell_problem(DataType::Double, "1,5").is_some());
    assert!(text_cell_problem(DataType::Float, "1e300").is_some());
    assert_eq!(text_cell_problem(DataType::Boolean, "TRUE"), None);
    assert!(text_cell_problem(DataType::Boolean, "yes").is_some());
    assert_eq!(
        text_cell_problem(DataType::Datetime, "2020-01-31 12:00:00"),
        None
    );
    assert!(text_cell_problem(DataType::Datetime, "2020-01-31T12:00:00Z").is_some());
    assert!(text_cell_problem(DataType::Datetime, "31/01/2020").is_some());
    assert_eq!(text_cell_problem(DataType::String, ""), None);
}

#[test]
fn the_quick_cell_check_agrees_with_the_reasons() {
    let cells = [
        "",
        "0",
        "-0",
        "1500",
        "-12",
        "007",
        "123456789",
        "1234567890",
        "999999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "2147483648",
        "1.",
        "1.5",
        "-1.5",
        ".5",
        "-.5",
        "1.2.3",
        "1e5",
        "1E-3",
        "inf",
        "-Infinity",
        "nan",
        "NaN",
        "NA",
        "<NA>",
        "None",
        " 1",
        "1 ",
        "+1",
        "-",
        ".",
        "1,5",
        "abc",
        "1_000",
        "0x10",
        "True",
        "false",
        "TRUE",
        "yes",
        "2020-01-31",
        "2020-01-31 12:00:00",
        "2020-01-31T12:00:00Z",
        "340282346638528859811704183484516925440.0",
        "3402823466385288598117041834845169254400",
        "1e39",
        "\u{e9}",
        "1\u{e9}",
    ];
    let types = [
        DataType::Long,
        DataType::Integer,
        DataType::Double,
        DataType::Float,
        DataType::Boolean,
        DataType::Datetime,
        DataType::String,
        DataType::Binary,
    ];
    for t in types {
        for cell in cells {
            assert_eq!(
                text_cell_valid(t, cell.as_bytes()),
                text_cell_problem(t, cell).is_none(),
                "{t:?} {cell:?}"
            );
            assert_eq!(
                text_cell_violation(t, "c", 7, cell).map(|v| (v.row, v.value)),
                text_cell_problem(t, cell).map(|_| (Some(7), Some(cell.to_string())))
            );
        }
    }
}

#[test]
fn object_cells_are_judged_by_their_own_type() {
    let p = |t, v: Value| scalar_cell_problem(t, &v, true, false);
    assert!(p(DataType::Long, Value::str("1500")).is_some());
    assert!(p(DataType::Long, Value::Float(1500.0)).is_some());
    assert!(p(DataType::Long, Value::Bool(true)).is_some());
    assert!(p(DataType::Long, Value::None).is_some());
    assert_eq!(p(DataType::Long, Value::Int(1500)), None);
    assert!(p(DataType::Double, Value::Int(5)).is_some());
    assert_eq!(p(DataType::Double, Value::Int(1)), None);
    assert_eq!(
        scalar_cell_problem(DataType::Double, &Value::Int(5), true, true),
        None
    );
    assert!(p(DataType::String, Value::Int(5)).is_some());
    assert_eq!(p(DataType::String, Value::None), None);
    // Typed columns: only value-specific causes.
    let typed = |t, v: Value| scalar_cell_problem(t, &v, false, false);
    assert_eq!(typed(DataType::Long, Value::Float(1500.0)), None);
    assert!(typed(DataType::Long, Value::Float(f64::NAN)).is_some());
    assert!(typed(DataType::Long, Value::Float(1.5)).is_some());
    assert_eq!(typed(DataType::Integer, Value::Int(5)), None);
    assert!(typed(DataType::Integer, Value::Int(1 << 40)).is_some());
}

fn csv_batch(columns: &[(&str, &[&str])]) -> RecordBatch {
    RecordBatch::try_from_iter(columns.iter().map(|(name, cells)| {
        let array: ArrayRef = Arc::new(StringArray::from(cells.to_vec()));
        (*name, array)
    }))
    .unwrap()
}

fn rows(found: &[Violation]) -> Vec<Option<usize>> {
    found.iter().map(|v| v.row).collect()
}

#[test]
fn mlflow_mode_reports_only_what_mlflow_refuses() {
    // S1: an object column of mixed values for a string input passes in MLflow.
    let schema = Schema::columns(vec![
        ColSpec::new("name", DataType::String, true),
        ColSpec::new("sqft", DataType::Long, true),
    ])
    .unwrap();
    let (name_field, name) = table::object_column("name", &[Value::Int(5), Value::str("x")]);
    let (sqft_field, sqft) = table::object_column("sqft", &[Value::Int(1500), Value::str("1500")]);
    let batch = RecordBatch::try_new(
        Arc::new(ArrowSchema::new(vec![name_field, sqft_field])),
        vec![name, sqft],
    )
    .unwrap();
    let strict = violations_with(&schema, &batch, 10, Compat::Strict);
    assert_eq!(strict, violations(&schema, &batch, 10));
    let columns: Vec<&str> = strict.iter().map(|v| v.column.as_str()).collect();
    assert_eq!(columns, ["name", "sqft"]);
    assert_eq!(rows(&strict), [Some(10), Some(11)]);
    // Text in a long column is refused by MLflow too.
    let mlflow = violations_with(&schema, &batch, 10, Compat::Mlflow);
    assert_eq!(mlflow.len(), 1);
    assert_eq!(
        (mlflow[0].column.as_str(), mlflow[0].row),
        ("sqft", Some(11))
    );
}

#[test]
fn csv_checks_take_the_mode() {
    // S4: an Array(string) cell holding a number passes in MLflow (numpy makes it '1').
    let schema = crate::json_form::schema_from_json(
        r#"[{"type": "array", "items": {"type": "string"}, "name": "tags", "required": true}]"#,
    )
    .unwrap();
    let batch = csv_batch(&[("tags", &["[\"a\"]", "[\"a\", 1]", "[1,oops]"])]);
    let strict = text_violations_with(&schema, &batch, 0, Compat::Strict);
    assert_eq!(strict, text_violations(&schema, &batch, 0));
    assert_eq!(rows(&strict), [Some(2), Some(1)]);
    let mlflow = text_violations_with(&schema, &batch, 0, Compat::Mlflow);
    assert_eq!(rows(&mlflow), [Some(2)]);
    assert!(mlflow[0].reason.starts_with("not valid JSON"), "{mlflow:?}");

    // T1: a decimal in an int64 tensor's CSV column is cast with loss by MLflow.
    let tensors = crate::json_form::schema_from_json(
        r#"[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}, "name": "x"}]"#,
    )
    .unwrap();
    let batch = csv_batch(&[("x", &["1", "1.5", "2"])]);
    assert_eq!(
        rows(&text_violations_with(&tensors, &batch, 0, Compat::Strict)),
        [Some(1)]
    );
    assert!(text_violations_with(&tensors, &batch, 0, Compat::Mlflow).is_empty());
    // Text that is no number is refused in both modes.
    let batch = csv_batch(&[("x", &["1", "abc", "2"])]);
    assert_eq!(
        rows(&text_violations_with(&tensors, &batch, 0, Compat::Strict)),
        [Some(1)]
    );
    assert_eq!(
        rows(&text_violations_with(&tensors, &batch, 0, Compat::Mlflow)),
        [Some(1)]
    );
}
