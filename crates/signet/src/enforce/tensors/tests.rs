//! Tensor enforcement rules (docs/enforcement.md#tensors) in both modes.

use crate::elem::{model_input_from_value, model_input_to_value};
use crate::enforce::{enforce, Compat, EnforceError, Enforced, ErrorKind};
use crate::json_form::signature_from_value;
use crate::pyjson::{dumps, loads};
use crate::value::Value;

/// Enforces `input` (a corpus Value as JSON) against tensor `inputs` (schema JSON).
fn run(inputs: &str, input: &str, compat: Compat) -> Result<Enforced, EnforceError> {
    let sig = signature_from_value(&Value::dict([("inputs", Value::str(inputs))])).unwrap();
    let input = model_input_from_value(&loads(input).unwrap()).unwrap();
    enforce(Some(&sig), input, None, compat)
}

fn ok(inputs: &str, input: &str, compat: Compat) -> String {
    let e = run(inputs, input, compat).unwrap();
    dumps(&model_input_to_value(&e.input))
}

fn err(inputs: &str, input: &str, compat: Compat) -> EnforceError {
    run(inputs, input, compat).expect_err("enforcement should fail")
}

fn spec(dtype: &str, shape: &str) -> String {
    format!(r#"[{{"type": "tensor", "tensor-spec": {{"dtype": "{dtype}", "shape": {shape}}}}}]"#)
}

fn nd(dtype: &str, shape: &str, values: &str) -> String {
    format!(r#"{{"type": "ndarray", "dtype": "{dtype}", "shape": {shape}, "values": {values}}}"#)
}

fn frame(columns: &[(&str, &str, &str)]) -> String {
    let cols: Vec<String> = columns
        .iter()
        .map(|(n, d, v)| format!(r#"{{"name": "{n}", "dtype": "{d}", "values": {v}}}"#))
        .collect();
    format!(
        r#"{{"type": "dataframe", "columns": [{}]}}"#,
        cols.join(", ")
    )
}

const BOTH: [Compat; 2] = [Compat::Mlflow, Compat::Strict];

#[test]
fn ndarray_checked_never_cast() {
    let s = spec("float32", "[-1, 2]");
    for c in BOTH {
        let input = nd("float32", "[3, 2]", "[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]");
        assert_eq!(ok(&s, &input, c), dumps(&loads(&input).unwrap()));
        let e = err(&s, &nd("float64", "[1, 2]", "[[1.0, 2.0]]"), c);
        assert_eq!(
            e.message(),
            "dtype of input float64 does not match expected dtype float32"
        );
        assert_eq!((e.kind, e.wrapped), (ErrorKind::IncompatibleType, true));
        let e = err(&s, &nd("float32", "[3]", "[1.0, 2.0, 3.0]"), c);
        assert_eq!(
            e.message(),
            "Shape of input (3,) does not match expected shape (-1, 2)."
        );
        assert_eq!(e.kind, ErrorKind::ShapeMismatch);
        let e = err(
            &spec("int64", "[-1, 2]"),
            &nd("int32", "[1, 2]", "[[1, 2]]"),
            c,
        );
        assert_eq!(
            e.message(),
            "dtype of input int32 does not match expected dtype int64"
        );
        let e = err(&spec("bytes", "[-1]"), &nd("str", "[1]", r#"["ab"]"#), c);
        assert_eq!(
            e.message(),
            "dtype of input <U2 does not match expected dtype |S0"
        );
        // Object (-1,) takes anything.
        ok(
            &spec("object", "[-1]"),
            &nd("float64", "[1, 2]", "[[1.0, 2.0]]"),
            c,
        );
    }
}

#[test]
fn unnamed_spec_refuses_other_containers() {
    let s = spec("float32", "[-1, 2]");
    let e = err(
        &s,
        r#"{"type": "json", "value": [[1.0, 2.0]]}"#,
        Compat::Mlflow,
    );
    assert_eq!(
        e.message(),
        "This model contains a tensor-based model signature with no input names, which suggests \
         a numpy array input or a pandas dataframe input with proper column values, but an input \
         of type <class 'list'> was found."
    );
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    let dict = format!(
        r#"{{"type": "tensor_dict", "arrays": {{"a": {}}}}}"#,
        nd("float32", "[1, 2]", "[[1.0, 2.0]]")
    );
    assert!(err(&s, &dict, Compat::Strict)
        .message()
        .contains("<class 'dict'>"));
}

#[test]
fn frame_columns_become_tensors() {
    for c in BOTH {
        // (spec shape, column dtype, column values) → float32 ndarray (shape, values).
        for (spec_shape, dtype, values, shape, expected) in [
            // Row 77: a float64 scalar column cast to float32.
            ("[-1]", "float64", "[1.0, 2.0]", "[2]", "[1.0, 2.0]"),
            // Row 83: strings parsed.
            ("[-1]", "str", r#"["1.5", "2"]"#, "[2]", "[1.5, 2.0]"),
            // Row 79 and 80: list cells stacked, reshaped, cast.
            (
                "[-1, 2]",
                "object",
                "[[1.0, 2.0], [3.0, 4.0]]",
                "[2, 2]",
                "[[1.0, 2.0], [3.0, 4.0]]",
            ),
            (
                "[-1, 2, 2]",
                "object",
                "[[1, 2, 3, 4]]",
                "[1, 2, 2]",
                "[[[1.0, 2.0], [3.0, 4.0]]]",
            ),
        ] {
            let input = frame(&[("a", dtype, values)]);
            assert_eq!(
                ok(&spec("float32", spec_shape), &input, c),
                nd("float32", shape, expected),
                "{input}"
            );
        }
        // A one-column frame `a` (dtype, values) against a float32 spec of `shape`.
        let column_err = |shape: &str, dtype: &str, values: &str| {
            err(&spec("float32", shape), &frame(&[("a", dtype, values)]), c)
        };
        // Row 78: scalars need (-1,) or (-1, 1).
        let e = column_err("[-1, 2]", "float64", "[1.0]");
        assert_eq!(
            e.message(),
            "The input pandas dataframe column 'None' contains scalar values, which requires the \
             shape to be (-1,) or (-1, 1), but got tensor spec shape of (-1, 2)."
        );
        assert_eq!(e.location.column.as_deref(), Some("None"));
        // Row 82.
        let e = column_err("[-1, -1]", "float64", "[1.0]");
        assert!(e
            .message()
            .ends_with("the shape of the unnamed input is (-1, -1)."));
        // Row 84.
        let e = column_err("[-1]", "float64", "[]");
        assert_eq!(
            (e.message(), e.kind),
            ("Input DataFrame is empty.", ErrorKind::InvalidInput)
        );
        // Checked by how the message starts (the rest quotes the data): ragged lists, cells
        // of other kinds.
        for (shape, cells, start, kind) in [
            (
                "[-1, 3]",
                "[[1.0, 2.0, 3.0], [4.0, 5.0]]",
                "The value in the Input DataFrame column 'None' could not be converted to the \
                 expected shape of: '(-1, 3)'.",
                Some(ErrorKind::ShapeMismatch),
            ),
            (
                "[-1]",
                r#"[{"k": 1}]"#,
                "Because the model signature requires tensor spec",
                None,
            ),
        ] {
            let e = column_err(shape, "object", cells);
            assert!(e.message().starts_with(start), "{cells}: {}", e.message());
            if let Some(kind) = kind {
                assert_eq!(e.kind, kind);
            }
        }
        // An empty first list: numpy's IndexError leaks.
        let e = column_err("[-1]", "object", "[[], [1]]");
        assert_eq!(
            (e.message(), e.exception),
            ("list index out of range", "IndexError")
        );
    }
}

#[test]
fn multi_column_frames() {
    let two = frame(&[("a", "float64", "[1.0]"), ("b", "float64", "[2.0]")]);
    for c in BOTH {
        assert_eq!(
            ok(&spec("float64", "[-1, 2]"), &two, c),
            nd("float64", "[1, 2]", "[[1.0, 2.0]]")
        );
        assert_eq!(
            err(&spec("float32", "[-1, 2]"), &two, c).message(),
            "dtype of input float64 does not match expected dtype float32"
        );
        let e = err(&spec("float64", "[-1, 3]"), &two, c);
        assert!(e
            .message()
            .contains("the input DataFrame passed had 2 columns and an input shape of (-1, 3)"));
        // Text columns interleave as object.
        let text = frame(&[("a", "str", r#"["x"]"#), ("b", "str", r#"["y"]"#)]);
        assert_eq!(
            err(&spec("str", "[-1, 2]"), &text, c).message(),
            "dtype of input object does not match expected dtype <U0"
        );
        // int + float interleave as float64, row-major.
        let mixed = frame(&[("a", "int64", "[1, 2]"), ("b", "float64", "[0.5, 1.5]")]);
        assert_eq!(
            ok(&spec("float64", "[-1, 2]"), &mixed, c),
            nd("float64", "[2, 2]", "[[1.0, 0.5], [2.0, 1.5]]")
        );
    }
}

const NAMED: &str = r#"[{"name": "x", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}, {"name": "y", "type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]"#;

#[test]
fn named_tensors() {
    let x = nd("float32", "[1, 2]", "[[1.0, 2.0]]");
    let y = nd("int64", "[1]", "[5]");
    for c in BOTH {
        // Row 85: extra key dropped with a warning; schema order.
        let input =
            format!(r#"{{"type": "tensor_dict", "arrays": {{"z": {y}, "y": {y}, "x": {x}}}}}"#);
        let e = run(NAMED, &input, c).unwrap();
        assert_eq!(
            dumps(&model_input_to_value(&e.input)),
            format!(r#"{{"type": "tensor_dict", "arrays": {{"x": {x}, "y": {y}}}}}"#)
        );
        assert_eq!(
            e.warnings[0].message,
            "Found extra inputs in the model input that are not defined in the model signature: \
             `['z']`. These inputs will be ignored."
        );
        // Row 86.
        let e = err(
            NAMED,
            &format!(r#"{{"type": "tensor_dict", "arrays": {{"x": {x}}}}}"#),
            c,
        );
        assert_eq!(
            (e.message(), e.kind, e.location.column.as_deref()),
            (
                "Model is missing inputs ['y'].",
                ErrorKind::MissingInputs,
                Some("y")
            )
        );
        // Row 87: a dict value that is not an array.
        let input =
            format!(r#"{{"type": "json", "value": {{"x": {{"$ndarray": {x}}}, "y": [5]}}}}"#);
        let e = err(NAMED, &input, c);
        assert!(e
            .message()
            .ends_with("but a dict with value type <class 'list'> was found."));
        // Row 88.
        let input = format!(
            r#"{{"type": "tensor_dict", "arrays": {{"x": {x}, "y": {}}}}}"#,
            nd("float64", "[1]", "[5.0]")
        );
        assert_eq!(
            err(NAMED, &input, c).message(),
            "dtype of input float64 does not match expected dtype int64"
        );
        // A bare array against two names.
        assert_eq!(
            err(NAMED, &x, c).message(),
            "Model is missing inputs ['x', 'y']."
        );
        // Row 90: a DataFrame, one column per name.
        let df = frame(&[("x", "object", "[[1.0, 2.0]]"), ("y", "int64", "[5]")]);
        assert_eq!(
            ok(NAMED, &df, c),
            format!(r#"{{"type": "tensor_dict", "arrays": {{"x": {x}, "y": {y}}}}}"#)
        );
        // An empty named column: pandas' KeyError leaks.
        let df = frame(&[("x", "object", "[]"), ("y", "int64", "[]")]);
        assert_eq!(err(NAMED, &df, c).exception, "KeyError");
    }
    // Row 89: a single name binds a bare array.
    let single = r#"[{"name": "x", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]"#;
    assert_eq!(
        ok(single, &x, Compat::Strict),
        format!(r#"{{"type": "tensor_dict", "arrays": {{"x": {x}}}}}"#)
    );
    let e = err(
        single,
        r#"{"type": "dataframe", "columns": [{"name": 0, "dtype": "object", "values": [[1.0, 2.0]]}]}"#,
        Compat::Mlflow,
    );
    assert_eq!(
        e.message(),
        "Model is missing inputs ['x']. Note that there were extra inputs: [0]."
    );
}

#[test]
fn strict_refuses_what_numpy_mangles() {
    let cases = [
        // (spec dtype, column dtype, values, MLflow's result values, strict row)
        ("int64", "float64", "[1.0, 1.5]", "[1, 1]", 1),
        (
            "int64",
            "float64",
            "[1.0, null]",
            "[1, -9223372036854775808]",
            1,
        ),
        ("int8", "int64", "[300]", "[44]", 0),
        ("uint8", "int64", "[-1]", "[255]", 0),
        ("bool", "str", r#"["False", ""]"#, "[true, false]", 0),
        ("bool", "float64", "[0.0, 2.0]", "[false, true]", 1),
        ("str", "object", r#"["a", null]"#, r#"["a", "None"]"#, 1),
        ("float32", "float64", "[1e300]", r#"[{"$float": "inf"}]"#, 0),
        ("float32", "int64", "[16777217]", "[16777216.0]", 0),
    ];
    for (dtype, col, values, mlflow, row) in cases {
        let s = spec(dtype, "[-1]");
        let input = frame(&[("c", col, values)]);
        let got = ok(&s, &input, Compat::Mlflow);
        let want_values = dumps(&loads(mlflow).unwrap());
        assert!(
            got.ends_with(&format!(r#""values": {want_values}}}"#)),
            "{dtype} from {col} {values}: {got}"
        );
        let e = err(&s, &input, Compat::Strict);
        assert_eq!(e.kind, ErrorKind::IncompatibleType, "{dtype} from {values}");
        assert_eq!(
            e.location.row,
            Some(row),
            "{dtype} from {values}: {}",
            e.message()
        );
        assert!(
            e.message().starts_with("Can not safely convert "),
            "{}",
            e.message()
        );
    }
    // The strict message names the column of a named input and the row.
    let named =
        r#"[{"name": "a", "type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1, 2]}}]"#;
    let e = err(
        named,
        &frame(&[("a", "object", "[[1, 2], [3, 4.5]]")]),
        Compat::Strict,
    );
    assert_eq!(
        e.message(),
        "Can not safely convert 4.5 at row 1 of column 'a' to int64: the fractional part would be lost."
    );
    assert_eq!(e.location.column.as_deref(), Some("a"));
    // Numeric text is still parsed in strict mode.
    assert_eq!(
        ok(
            &spec("int64", "[-1]"),
            &frame(&[("c", "str", r#"["12"]"#)]),
            Compat::Strict
        ),
        nd("int64", "[1]", "[12]")
    );
}

#[test]
fn strict_checks_array_cells_and_ragged_arrays() {
    // Row 81: float64 array cells pass a float32 spec unchecked in MLflow.
    let s = spec("float32", "[-1, 2]");
    let input = frame(&[(
        "a",
        "object",
        r#"[{"$ndarray": {"type": "ndarray", "dtype": "float64", "shape": [2], "values": [1.0, 2.0]}}]"#,
    )]);
    assert_eq!(
        ok(&s, &input, Compat::Mlflow),
        nd("float64", "[1, 2]", "[[1.0, 2.0]]")
    );
    assert_eq!(
        err(&s, &input, Compat::Strict).message(),
        "dtype of input float64 does not match expected dtype float32"
    );
    // A ragged object array passes MLflow whatever it holds.
    let s = spec("float64", "[-1, -1, 3]");
    let good = nd(
        "object",
        "[2]",
        "[[[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]",
    );
    let bad = nd("object", "[2]", r#"[[[1.0, 2.0, 3.0]], "oops"]"#);
    for c in BOTH {
        ok(&s, &good, c);
    }
    ok(&s, &bad, Compat::Mlflow);
    let e = err(&s, &bad, Compat::Strict);
    assert_eq!(e.location.row, Some(1));
    let short = nd("object", "[2]", "[[[1.0, 2.0]], [[1.0, 2.0, 3.0]]]");
    assert!(err(&s, &short, Compat::Strict)
        .message()
        .contains("a sequence of length 2 where 3 is expected"));
}

/// A `FixedSizeList` column of float32 items is handed through without a copy, with the values,
/// shape and dtype the general stacking gives the same cells as a `List` column.
#[test]
fn fixed_size_list_columns_are_handed_through() {
    use crate::input::{ModelInput, TensorData};
    use arrow_array::{Array, ArrayRef, FixedSizeListArray, Float32Array, ListArray, RecordBatch};
    use arrow_schema::{Field, Schema as ArrowSchema};
    use std::sync::Arc;
    let sig = signature_from_value(&Value::dict([(
        "inputs",
        Value::str(spec("float32", "[-1, 3]")),
    )]))
    .unwrap();
    let values = Float32Array::from(vec![0.1f32, 2.5, -3.0, 4.0, 5.25, 6.0]);
    let item = Arc::new(Field::new("item", arrow_schema::DataType::Float32, false));
    let fsl: ArrayRef = Arc::new(FixedSizeListArray::new(
        item.clone(),
        3,
        Arc::new(values.clone()),
        None,
    ));
    let list: ArrayRef = Arc::new(ListArray::new(
        item,
        arrow_buffer::OffsetBuffer::from_lengths([3, 3]),
        Arc::new(values.clone()),
        None,
    ));
    let table = |a: &ArrayRef| {
        ModelInput::Table(
            RecordBatch::try_new(
                Arc::new(ArrowSchema::new(vec![Field::new(
                    "x",
                    a.data_type().clone(),
                    false,
                )])),
                vec![a.clone()],
            )
            .unwrap(),
        )
    };
    for compat in [Compat::Mlflow, Compat::Strict] {
        let direct = enforce(Some(&sig), table(&fsl), None, compat)
            .unwrap()
            .input;
        let stacked = enforce(Some(&sig), table(&list), None, compat)
            .unwrap()
            .input;
        assert_eq!(
            model_input_to_value(&direct),
            model_input_to_value(&stacked)
        );
        let ModelInput::Tensor(t) = direct else {
            panic!("not a tensor: {direct:?}")
        };
        assert_eq!(t.shape, vec![2, 3]);
        let TensorData::Arrow(a) = &t.data else {
            panic!("not an Arrow tensor")
        };
        // The same buffer as the column's items: no copy.
        assert_eq!(
            a.to_data().buffers()[0].as_ptr(),
            values.values().inner().as_ptr()
        );
    }
}
