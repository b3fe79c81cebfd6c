//! The request bodies of `/invocations`' four JSON formats (`dataframe_split`,
//! `dataframe_records`, `instances`, `inputs`) and CSV, typed by the signature's inputs, with
//! request examples.

use super::builders::{any_of, array_of, described, obj, reference, s, set, strs, Components};
use super::types::{cell, shape_text, tensor, tensor_elem, tensor_row};
use signet::types::{ColSpec, ColType, DataType, Schema, SchemaKind, TensorSpec};
use signet::Value;

/// The schemas of the four JSON formats' values (in MLflow's order), whether `text/csv` is
/// accepted, and request examples.
pub(super) struct Formats {
    pub(super) bodies: Vec<(&'static str, Value)>,
    pub(super) csv: Option<String>,
    pub(super) examples: Vec<(String, Value)>,
}

/// The request formats for the signature's `inputs` (`None`: any JSON of the accepted shapes);
/// the schemas they refer to are added to `components`.
pub(super) fn input_formats(inputs: Option<&Schema>, components: &mut Components) -> Formats {
    match inputs.map(Schema::kind) {
        None => untyped_formats(),
        Some(SchemaKind::Columns(cols)) if cols[0].name.is_some() => {
            named_columns(cols, components)
        }
        Some(SchemaKind::Columns(cols)) => unnamed_columns(cols),
        Some(SchemaKind::Tensors(ts)) if ts[0].name.is_some() => named_tensors(ts, components),
        Some(SchemaKind::Tensors(ts)) => unnamed_tensor(&ts[0]),
    }
}

/// `dataframe_split`'s object: `columns`, `data` rows, `index`.
fn split_schema(columns: Value, row: Value, required: &[&str], description: String) -> Value {
    obj([
        ("type", s("object")),
        ("description", s(description)),
        (
            "properties",
            obj([
                ("columns", columns),
                ("data", array_of(row)),
                (
                    "index",
                    described(array_of(obj([])), "Row labels (ignored)."),
                ),
            ]),
        ),
        ("required", strs(required.iter().copied())),
        ("additionalProperties", Value::Bool(false)),
    ])
}

fn any_columns() -> Value {
    described(
        array_of(obj([("type", strs(["string", "integer"]))])),
        "Column labels (default: 0, 1, ...).",
    )
}

fn untyped_formats() -> Formats {
    let any = || obj([]);
    Formats {
        bodies: vec![
            (
                "dataframe_split",
                split_schema(
                    any_columns(),
                    array_of(any()),
                    &["data"],
                    "A table in pandas' `split` orientation.".into(),
                ),
            ),
            (
                "dataframe_records",
                described(
                    array_of(obj([("type", strs(["object", "array"]))])),
                    "A table as a list of records (objects keyed by column, or arrays).",
                ),
            ),
            (
                "instances",
                described(any(), "Any JSON value (arrays become numpy arrays)."),
            ),
            (
                "inputs",
                described(any(), "Any JSON value (arrays become numpy arrays)."),
            ),
        ],
        csv: Some("A CSV table with a header row.".into()),
        examples: Vec::new(),
    }
}

/// CSV is refused for tensor signatures, composite columns and (named) datetime columns.
fn csv_description(cols: &[ColSpec]) -> Option<String> {
    if cols.iter().any(|c| c.ty.as_scalar().is_none()) {
        return None;
    }
    let named = cols[0].name.is_some();
    if named
        && cols
            .iter()
            .any(|c| c.is_required() && c.ty == ColType::Scalar(DataType::Datetime))
    {
        return None;
    }
    if !named {
        return Some("A CSV table with a header row; columns are matched by position.".into());
    }
    let is_datetime = |c: &&ColSpec| c.ty == ColType::Scalar(DataType::Datetime);
    let names = |datetime: bool| {
        cols.iter()
            .filter(|c| is_datetime(c) == datetime)
            .filter_map(|c| c.name.as_ref().map(|n| format!("`{}`", n.as_text())))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!(
        "A CSV table with a header row naming the columns ({}).",
        names(false)
    );
    if cols.iter().any(|c| is_datetime(&c)) {
        text.push_str(&format!(
            " The optional datetime column(s) {} cannot be sent as CSV.",
            names(true)
        ));
    }
    Some(text)
}

/// The names of named columns, and those of the required ones.
pub(super) fn names_and_required(cols: &[ColSpec]) -> (Vec<String>, Vec<String>) {
    let named = || {
        cols.iter()
            .filter_map(|c| c.name.as_ref().map(|n| (c, n.as_text())))
    };
    let names = named().map(|(_, n)| n).collect();
    let required = named()
        .filter(|(c, _)| c.is_required())
        .map(|(_, n)| n)
        .collect();
    (names, required)
}

fn named_columns(cols: &[ColSpec], components: &mut Components) -> Formats {
    let (names, required) = names_and_required(cols);
    let with_required = |mut v: Value| {
        if !required.is_empty() {
            set(
                &mut v,
                "required",
                strs(required.iter().map(String::as_str)),
            );
        }
        v
    };

    let row = with_required(obj([
        ("type", s("object")),
        (
            "description",
            s("One row of model input: a value per column (optional columns may be absent or null; other keys are dropped)."),
        ),
        (
            "properties",
            Value::dict(names.iter().cloned().zip(cols.iter().map(cell))),
        ),
    ]));
    components.add("ModelInputRow", row);
    let columns = with_required(obj([
        ("type", s("object")),
        (
            "description",
            s("Model input by column: each column's values (a single value is broadcast to every row)."),
        ),
        (
            "properties",
            Value::dict(names.iter().cloned().zip(cols.iter().map(|c| {
                any_of(vec![array_of(cell(c)), cell(c)])
            }))),
        ),
    ]));
    components.add("ModelInputColumns", columns);

    let order = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut split_columns = described(
        array_of(obj([("enum", strs(names.iter().cloned()))])),
        format!("The column names, in the order of the cells of each row; the signature's order is {order}."),
    );
    set(&mut split_columns, "uniqueItems", Value::Bool(true));
    set(
        &mut split_columns,
        "examples",
        Value::List(vec![strs(names.iter().cloned())]),
    );
    let split_row = obj([
        ("type", s("array")),
        (
            "description",
            s(format!("A row's cells, in the order of `columns`; typed here for the signature's order ({order}).")),
        ),
        ("prefixItems", Value::List(cols.iter().map(cell).collect())),
    ]);
    let split_required: &[&str] = if required.is_empty() {
        &["data"]
    } else {
        &["columns", "data"]
    };
    let split = split_schema(
        split_columns,
        split_row,
        split_required,
        "A table in pandas' `split` orientation.".into(),
    );
    let records = described(
        array_of(reference("ModelInputRow")),
        "A table as a list of records.",
    );
    let instances = any_of(vec![
        described(array_of(reference("ModelInputRow")), "A list of records."),
        reference("ModelInputColumns"),
    ]);
    let mut inputs = vec![
        reference("ModelInputColumns"),
        described(array_of(reference("ModelInputRow")), "A list of records."),
    ];
    if cols.len() == 1 {
        inputs.push(described(
            array_of(cell(&cols[0])),
            format!("The values of `{}`.", names[0]),
        ));
    }

    let sample_row: Vec<Value> = cols.iter().map(|c| sample(&c.ty)).collect();
    let sample_record = Value::dict(names.iter().cloned().zip(sample_row.iter().cloned()));
    let examples = vec![
        (
            "dataframe_split".to_string(),
            obj([(
                "dataframe_split",
                obj([
                    ("columns", strs(names.iter().cloned())),
                    ("data", Value::List(vec![Value::List(sample_row.clone())])),
                ]),
            )]),
        ),
        (
            "dataframe_records".to_string(),
            obj([(
                "dataframe_records",
                Value::List(vec![sample_record.clone()]),
            )]),
        ),
        (
            "inputs".to_string(),
            obj([("inputs", Value::List(vec![sample_record]))]),
        ),
    ];
    Formats {
        bodies: vec![
            ("dataframe_split", split),
            ("dataframe_records", records),
            ("instances", instances),
            ("inputs", any_of(inputs)),
        ],
        csv: csv_description(cols),
        examples,
    }
}

fn unnamed_columns(cols: &[ColSpec]) -> Formats {
    let row = obj([
        ("type", s("array")),
        ("description", s("A row's cells, by position.")),
        ("prefixItems", Value::List(cols.iter().map(cell).collect())),
        ("minItems", Value::Int(cols.len() as i128)),
    ]);
    let split = split_schema(
        any_columns(),
        row.clone(),
        &["data"],
        "A table in pandas' `split` orientation; columns are matched by position.".into(),
    );
    let records = described(
        array_of(row.clone()),
        "A table as a list of rows (columns are matched by position).",
    );
    let values = if cols.len() == 1 {
        any_of(vec![
            described(array_of(cell(&cols[0])), "The column's values."),
            described(cell(&cols[0]), "A single value."),
        ])
    } else {
        described(array_of(row), "A list of rows.")
    };
    Formats {
        bodies: vec![
            ("dataframe_split", split),
            ("dataframe_records", records),
            ("instances", values.clone()),
            ("inputs", values),
        ],
        csv: csv_description(cols),
        examples: Vec::new(),
    }
}

fn unnamed_tensor(t: &TensorSpec) -> Formats {
    let row = if t.shape.len() >= 2 {
        tensor_row(t)
    } else {
        let mut r = array_of(tensor_elem(t.dtype));
        set(&mut r, "minItems", Value::Int(1));
        set(&mut r, "maxItems", Value::Int(1));
        r
    };
    let split = split_schema(
        any_columns(),
        row.clone(),
        &["data"],
        format!(
            "A table whose rows are the tensor's rows (shape {}).",
            shape_text(&t.shape)
        ),
    );
    Formats {
        bodies: vec![
            ("dataframe_split", split),
            (
                "dataframe_records",
                described(array_of(row), "The tensor's rows."),
            ),
            ("instances", tensor(t)),
            ("inputs", tensor(t)),
        ],
        csv: None,
        examples: Vec::new(),
    }
}

fn named_tensors(ts: &[TensorSpec], components: &mut Components) -> Formats {
    let names: Vec<String> = ts
        .iter()
        .map(|t| t.name.clone().unwrap_or_default())
        .collect();
    components.add(
        "ModelInputTensors",
        obj([
            ("type", s("object")),
            ("description", s("The model's input tensors by name.")),
            (
                "properties",
                Value::dict(names.iter().cloned().zip(ts.iter().map(tensor))),
            ),
            ("required", strs(names.iter().cloned())),
        ]),
    );
    let record = obj([
        ("type", s("object")),
        (
            "description",
            s("One row of each tensor (the first dimension dropped)."),
        ),
        (
            "properties",
            Value::dict(names.iter().cloned().zip(ts.iter().map(tensor_row))),
        ),
        ("required", strs(names.iter().cloned())),
    ]);
    let mut split_columns = described(
        array_of(obj([("enum", strs(names.iter().cloned()))])),
        "The tensor names, in the order of the cells of each row.",
    );
    set(&mut split_columns, "uniqueItems", Value::Bool(true));
    let split_row = obj([
        ("type", s("array")),
        (
            "description",
            s("A row of each tensor, in the order of `columns` (typed here for the signature's order)."),
        ),
        ("prefixItems", Value::List(ts.iter().map(tensor_row).collect())),
    ]);
    Formats {
        bodies: vec![
            (
                "dataframe_split",
                split_schema(
                    split_columns,
                    split_row,
                    &["columns", "data"],
                    "A table with one column per tensor.".into(),
                ),
            ),
            (
                "dataframe_records",
                described(
                    array_of(record.clone()),
                    "A list of records, one row of each tensor.",
                ),
            ),
            (
                "instances",
                any_of(vec![
                    described(
                        array_of(record),
                        "A list of records, one row of each tensor.",
                    ),
                    reference("ModelInputTensors"),
                ]),
            ),
            ("inputs", reference("ModelInputTensors")),
        ],
        csv: None,
        examples: Vec::new(),
    }
}

/// A sample value of a column type, for request examples.
fn sample(t: &ColType) -> Value {
    match t {
        ColType::Scalar(d) => match d {
            DataType::Boolean => Value::Bool(true),
            DataType::Integer | DataType::Long => Value::Int(1),
            DataType::Float | DataType::Double => Value::Float(1.5),
            DataType::String => s("text"),
            DataType::Binary => s("AAEC"),
            DataType::Datetime => s("2020-01-01T00:00:00"),
        },
        ColType::Array(item) => Value::List(vec![sample(item)]),
        ColType::Object(o) => Value::dict(
            o.properties()
                .iter()
                .filter(|p| p.required.is_required())
                .map(|p| (p.name.clone(), sample(&p.ty))),
        ),
        ColType::Map(v) => obj([("key", sample(v))]),
        ColType::Any => s("any"),
        ColType::SparkMLVector => Value::List(vec![Value::Float(1.5)]),
    }
}
