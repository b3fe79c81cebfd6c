//! Tensor inputs: which rows of a refused tensor are the cause.

use super::*;

/// Tensor-based schemas: each named tensor's column (or the whole frame, for an unnamed
/// tensor) is enforced; a refused one is pinpointed by enforcing its rows one by one (each
/// row of a DataFrame column is cast on its own, docs/enforcement.md#dataframe-to-tensor). When every row fails
/// alone too, the problem is the column's type or shape: one column-level violation.
pub(super) fn check_tensors(
    schema: &Schema,
    specs: &[TensorSpec],
    batch: &RecordBatch,
    compat: Compat,
    row_offset: usize,
    out: &mut Vec<Violation>,
) {
    if batch.num_rows() == 0 {
        return;
    }
    let labels = labels_of(batch);
    if !schema.has_input_names() {
        let Ok(sig) = ModelSignature::new(Some(schema.clone()), None, None) else {
            return;
        };
        pinpoint_rows(&sig, batch, None, row_offset, compat, out);
        return;
    }
    let first = first_str_labels(&labels);
    for spec in specs {
        let Some(name) = spec.name.as_deref() else {
            continue;
        };
        let Some(&i) = first.get(name) else {
            continue;
        };
        let col = Column::of(batch, i);
        let (Ok(one), Some(frame)) = (Schema::tensors(vec![spec.clone()]), col.frame()) else {
            continue;
        };
        let Ok(sig) = ModelSignature::new(Some(one), None, None) else {
            continue;
        };
        pinpoint_rows(&sig, &frame, Some(&col), row_offset, compat, out);
    }
}

/// Enforces `frame`; when refused, enforces each row alone and reports the rows that fail,
/// or one column-level violation when all of them (or none) do.
pub(super) fn pinpoint_rows(
    sig: &ModelSignature,
    frame: &RecordBatch,
    col: Option<&Column>,
    row_offset: usize,
    compat: Compat,
    out: &mut Vec<Violation>,
) {
    let Err(refusal) = verdict(sig, frame.clone(), compat) else {
        return;
    };
    let name = match col {
        Some(c) => c.name.clone(),
        None => refusal
            .location
            .column
            .clone()
            .unwrap_or_else(|| "(input)".into()),
    };
    let message: Arc<str> = Arc::from(refusal.message());
    let shared = refusal.location.row.is_none().then(|| message.clone());
    let rows = frame.num_rows();
    let mut failed = Vec::new();
    if rows > 1 {
        for i in 0..rows {
            if let Err(e) = verdict(sig, frame.slice(i, 1), compat) {
                failed.push((i, e));
            }
        }
    }
    if failed.is_empty() || failed.len() == rows {
        out.push(column_level(&name, message.to_string(), shared));
        return;
    }
    let values = col.map(|c| table::object_values(&c.field, c.array.as_ref()));
    for (i, e) in failed {
        out.push(Violation {
            column: name.clone(),
            row: Some(row_offset + i),
            value: values.as_ref().and_then(|v| v.get(i)).map(show),
            reason: without_row(&e),
            refusal: shared.clone(),
        });
    }
}

/// CSV cells of the tensor columns read as the tensors' dtypes (cells that cannot be read are
/// reported, and hold a neutral value) in Strict mode; in Mlflow mode read as `pd.read_csv`
/// infers them, for enforcement's casts to judge. `None` when the frame cannot be built.
pub(super) fn tensor_text_batch(
    specs: &[TensorSpec],
    batch: &RecordBatch,
    labels: &[ColumnName],
    row_offset: usize,
    compat: Compat,
    out: &mut Vec<Violation>,
) -> Option<RecordBatch> {
    let named = specs.first().is_some_and(|s| s.name.is_some());
    let mut fields = Vec::new();
    let mut arrays = Vec::new();
    // Name → its first spec (hashed: linear in the widths).
    let mut spec_of: HashMap<&str, &TensorSpec> = HashMap::new();
    for s in specs {
        if let Some(n) = &s.name {
            spec_of.entry(n.as_str()).or_insert(s);
        }
    }
    for (i, label) in labels.iter().enumerate() {
        let spec = if named {
            match label {
                ColumnName::Str(l) => spec_of.get(l.as_str()).copied(),
                ColumnName::Int(_) => None,
            }
        } else {
            specs.first()
        };
        let col = Column::of(batch, i);
        let (Some(spec), Some(cells)) = (spec, col.array.as_any().downcast_ref::<StringArray>())
        else {
            fields.push(col.field.clone());
            arrays.push(col.array.clone());
            continue;
        };
        let (field, array) = match compat {
            Compat::Strict => tensor_text_column(spec.dtype, &col, cells, row_offset, out),
            Compat::Mlflow => inferred_text_column(spec.dtype, &col, cells),
        };
        fields.push(field);
        arrays.push(array);
    }
    crate::table::frame_of(fields, arrays, batch.num_rows()).ok()
}

/// The Arrow type of a numeric or bool numpy dtype.
pub(super) fn numeric_arrow_type(dtype: NumpyDtype) -> Option<ArrowType> {
    crate::table::numpy_arrow_type(dtype).filter(|t| *t == ArrowType::Boolean || t.is_numeric())
}

/// One CSV column read as a tensor dtype: numbers and bools parsed (and range-checked) into
/// exactly that dtype; text and other dtypes keep the text.
pub(super) fn tensor_text_column(
    dtype: NumpyDtype,
    col: &Column,
    cells: &StringArray,
    row_offset: usize,
    out: &mut Vec<Violation>,
) -> (Arc<Field>, ArrayRef) {
    use arrow_array::{BooleanArray, Float64Array, Int64Array, UInt64Array};
    let Some(target) = numeric_arrow_type(dtype) else {
        return (col.field.clone(), col.array.clone());
    };
    let text_at = |i: usize| if cells.is_null(i) { "" } else { cells.value(i) };
    let name = dtype.name();
    let mut bad = |i: usize, reason: String| {
        out.push(Violation {
            column: col.name.clone(),
            row: Some(row_offset + i),
            value: Some(text_at(i).to_string()),
            reason,
            refusal: None,
        })
    };
    // Parsed at full width first; cells that cannot be the dtype hold 0 / false.
    let wide: ArrayRef = match &target {
        ArrowType::Boolean => Arc::new(
            (0..cells.len())
                .map(|i| {
                    Some(parse_bool(text_at(i)).unwrap_or_else(|| {
                        bad(i, format!("not a {name} value"));
                        false
                    }))
                })
                .collect::<BooleanArray>(),
        ),
        t if t.is_integer() => {
            let (lo, hi) = dtype
                .int_bounds()
                .unwrap_or((i64::MIN.into(), i64::MAX.into()));
            let values = (0..cells.len()).map(|i| match parse_int(text_at(i)) {
                Some(v) if (lo..=hi).contains(&v) => v,
                Some(_) => {
                    bad(i, format!("out of the {name} range"));
                    0
                }
                None => {
                    bad(i, format!("not an integer ({name} tensor)"));
                    0
                }
            });
            // uint64 is held unsigned, the other integer dtypes in int64.
            if *t == ArrowType::UInt64 {
                Arc::new(values.map(|v| Some(v as u64)).collect::<UInt64Array>())
            } else {
                Arc::new(values.map(|v| Some(v as i64)).collect::<Int64Array>())
            }
        }
        _ => Arc::new(
            (0..cells.len())
                .map(|i| {
                    let text = text_at(i);
                    if is_na(text) {
                        return Some(f64::NAN);
                    }
                    Some(parse_float(text).unwrap_or_else(|| {
                        bad(i, format!("not a number ({name} tensor)"));
                        0.0
                    }))
                })
                .collect::<Float64Array>(),
        ),
    };
    let array = if wide.data_type() == &target {
        wide
    } else {
        // In range by construction (floats may round, as numpy's cast does).
        arrow_cast::cast(&wide, &target).unwrap_or(wide)
    };
    let field = Field::new(col.field.name(), array.data_type().clone(), true)
        .with_metadata(col.field.metadata().clone());
    (Arc::new(field), array)
}

/// One CSV column of a numeric or bool tensor as `pd.read_csv` reads it: int64 when every
/// cell is an integer, float64 when every cell is a number or missing, bool when every cell
/// is a boolean, otherwise the text. MLflow's casts (Mlflow mode: lossy ones included) then
/// decide what is refused.
pub(super) fn inferred_text_column(
    dtype: NumpyDtype,
    col: &Column,
    cells: &StringArray,
) -> (Arc<Field>, ArrayRef) {
    use arrow_array::{BooleanArray, Float64Array, Int64Array};
    if numeric_arrow_type(dtype).is_none() {
        return (col.field.clone(), col.array.clone());
    }
    let text_at = |i: usize| if cells.is_null(i) { "" } else { cells.value(i) };
    let n = cells.len();
    let ints: Option<Vec<i64>> = (0..n)
        .map(|i| parse_int(text_at(i)).and_then(|v| i64::try_from(v).ok()))
        .collect();
    let array: Option<ArrayRef> = if let Some(ints) = ints {
        Some(Arc::new(Int64Array::from(ints)))
    } else if let Some(floats) = (0..n)
        .map(|i| {
            let text = text_at(i);
            if is_na(text) {
                Some(f64::NAN)
            } else {
                parse_float(text)
            }
        })
        .collect::<Option<Vec<f64>>>()
    {
        Some(Arc::new(Float64Array::from(floats)))
    } else {
        (0..n)
            .map(|i| parse_bool(text_at(i)).map(Some))
            .collect::<Option<BooleanArray>>()
            .map(|b| Arc::new(b) as ArrayRef)
    };
    let Some(array) = array else {
        return (col.field.clone(), col.array.clone());
    };
    let field = Field::new(col.field.name(), array.data_type().clone(), true)
        .with_metadata(col.field.metadata().clone());
    (Arc::new(field), array)
}

/// String label → the position of its first column (hashed: linear in the width).
fn first_str_labels(labels: &[ColumnName]) -> HashMap<&str, usize> {
    let mut first = HashMap::new();
    for (j, l) in labels.iter().enumerate() {
        if let ColumnName::Str(s) = l {
            first.entry(s.as_str()).or_insert(j);
        }
    }
    first
}
