//! [`passes_as_is`] against [`enforce_columns`]: whenever the fields alone say a frame passes
//! as it is, enforcement returns that frame's own columns, in order, with no warning, in both
//! modes — and the common cases it is meant for are recognised. And [`Matching`]'s in-order
//! shortcut against its maps.

use super::*;
use crate::types::DataType;
use arrow_array::{
    BooleanArray, Float32Array, Float64Array, Int32Array, Int64Array, Int8Array, StringArray,
    TimestampNanosecondArray, UInt8Array,
};
use arrow_schema::Field;
use proptest::prelude::*;

const TYPES: [DataType; 8] = DataType::ALL;

/// Column kinds a frame may hold (two rows, no missing values): `(pandas dtype metadata,
/// values)`.
fn column(kind: usize) -> (Option<&'static str>, ArrayRef) {
    match kind {
        0 => (None, Arc::new(BooleanArray::from(vec![true, false]))),
        1 => (None, Arc::new(Int8Array::from(vec![1, 2]))),
        2 => (None, Arc::new(Int32Array::from(vec![1, 2]))),
        3 => (None, Arc::new(Int64Array::from(vec![0, 1]))),
        4 => (Some("Int64"), Arc::new(Int64Array::from(vec![1, 2]))),
        5 => (None, Arc::new(UInt8Array::from(vec![1, 2]))),
        6 => (None, Arc::new(Float32Array::from(vec![1.5, 2.0]))),
        7 => (None, Arc::new(Float64Array::from(vec![1.0, f64::NAN]))),
        8 => (
            Some("Float64"),
            Arc::new(Float64Array::from(vec![1.0, 2.0])),
        ),
        9 => (None, Arc::new(StringArray::from(vec!["a", "1"]))),
        10 => (Some("string"), Arc::new(StringArray::from(vec!["a", "b"]))),
        11 => (Some("object"), Arc::new(StringArray::from(vec!["1", "0"]))),
        _ => (
            None,
            Arc::new(TimestampNanosecondArray::from(vec![0, 1_000_000_000])),
        ),
    }
}

/// The column kind that already has `t`'s type.
fn exact_kind(t: DataType) -> usize {
    match t {
        DataType::Boolean => 0,
        DataType::Integer => 2,
        DataType::Long => 3,
        DataType::Float => 6,
        DataType::Double => 7,
        DataType::String => 10,
        DataType::Binary => 9,
        DataType::Datetime => 12,
    }
}

fn label(i: usize) -> ColumnName {
    match i {
        0 => ColumnName::Str("a".into()),
        1 => ColumnName::Str("b".into()),
        2 => ColumnName::Str("0".into()),
        _ => ColumnName::Int(0),
    }
}

fn frame(cols: &[(ColumnName, usize)]) -> RecordBatch {
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = cols
        .iter()
        .map(|(name, kind)| {
            let (meta, array) = column(*kind);
            let meta: Vec<(&str, &str)> = meta
                .map(|m| vec![(table::PANDAS_DTYPE_KEY, m)])
                .unwrap_or_default();
            let field = table::labelled_field(name, array.data_type().clone(), &meta);
            (field, array)
        })
        .unzip();
    table::frame_of(fields, arrays, 2).expect("batch")
}

/// Checks the promise for one schema and frame; returns what `passes_as_is` said.
fn check(specs: &[ColSpec], batch: &RecordBatch) -> bool {
    let fields: Vec<FieldRef> = batch.schema().fields().iter().cloned().collect();
    let as_is = passes_as_is(specs, super::tests::distinct(specs), &fields);
    if as_is {
        for compat in [Compat::Strict, Compat::Mlflow] {
            let mut warnings = Vec::new();
            let out = enforce_columns(
                specs,
                super::tests::distinct(specs),
                ModelInput::Table(batch.clone()),
                compat,
                &mut warnings,
            );
            let Ok(ModelInput::Table(out)) = out else {
                panic!("{specs:?} on {fields:?} ({compat:?}): {out:?}");
            };
            assert!(warnings.is_empty(), "{warnings:?}");
            assert_eq!(out.num_columns(), batch.num_columns());
            for (a, b) in out.columns().iter().zip(batch.columns()) {
                assert!(
                    Arc::ptr_eq(a, b),
                    "{specs:?} on {fields:?}: a column changed"
                );
            }
            assert_eq!(out.schema().fields(), batch.schema().fields());
        }
    }
    as_is
}

fn specs_of(named: bool, specs: &[(usize, usize, bool)]) -> Vec<ColSpec> {
    specs
        .iter()
        .map(|&(name, ty, required)| {
            if named {
                ColSpec::new(label(name), TYPES[ty], required)
            } else {
                ColSpec::unnamed(TYPES[ty])
            }
        })
        .collect()
}

proptest! {
    #[test]
    fn what_the_fields_promise_enforcement_keeps(
        named in any::<bool>(),
        specs in prop::collection::vec((0..4usize, 0..8usize, any::<bool>()), 1..4),
        cols in prop::collection::vec((0..4usize, 0..13usize), 0..5),
        shape in 0..3usize,
    ) {
        let schema = specs_of(named, &specs);
        // A third of the frames are the schema's own (its labels, its exact types): the case
        // the promise is for; a third the same with the text label "0" and the integer label
        // 0 swapped (a near miss); the rest anything.
        let swapped = |i: usize| match i {
            2 => 3,
            3 => 2,
            other => other,
        };
        let cols: Vec<(ColumnName, usize)> = match shape {
            0 => specs.iter().map(|&(name, ty, _)| (label(name), exact_kind(TYPES[ty]))).collect(),
            1 => specs
                .iter()
                .map(|&(name, ty, _)| (label(swapped(name)), exact_kind(TYPES[ty])))
                .collect(),
            _ => cols.iter().map(|&(name, kind)| (label(name), kind)).collect(),
        };
        let batch = frame(&cols);
        check(&schema, &batch);
        // The in-order shortcut finds what the maps find.
        let fields: Vec<FieldRef> = batch.schema().fields().iter().cloned().collect();
        let distinct = super::tests::distinct(&schema);
        let quick = Matching::new(&schema, distinct, &fields, |f| f);
        let mapped = Matching::new(&schema, false, &fields, |f| f);
        prop_assert_eq!(quick.found, mapped.found);
        prop_assert_eq!(quick.unknown, mapped.unknown);
    }
}

#[test]
fn a_frame_of_the_schemas_own_columns_passes_as_is() {
    let specs = vec![
        ColSpec::new("a", DataType::Double, true),
        ColSpec::new("b", DataType::Long, false),
        ColSpec::new(0, DataType::String, true),
    ];
    let own = [
        (label(0), 7),
        (label(1), 3),
        (ColumnName::Int(0), exact_kind(DataType::String)),
    ];
    assert!(check(&specs, &frame(&own)));
    let unnamed: Vec<ColSpec> = [DataType::Double, DataType::Float]
        .map(ColSpec::unnamed)
        .to_vec();
    assert!(check(&unnamed, &frame(&[(label(3), 7), (label(0), 6)])));
}

#[test]
fn anything_the_values_or_a_change_decide_is_not_promised() {
    let specs = vec![
        ColSpec::new("a", DataType::Double, true),
        ColSpec::new("b", DataType::Long, false),
    ];
    let cases: [&[(ColumnName, usize)]; 7] = [
        // reordered
        &[(label(1), 3), (label(0), 7)],
        // an extra column (dropped with a warning)
        &[(label(0), 7), (label(1), 3), (label(2), 3)],
        // an optional column absent
        &[(label(0), 7)],
        // a safe cast (float32 -> double)
        &[(label(0), 6), (label(1), 3)],
        // a nullable Int64 column for long
        &[(label(0), 7), (label(1), 4)],
        // an object column (re-inferred from its values)
        &[(label(0), 11), (label(1), 3)],
        // the integer label 0 is not the text label "a"
        &[(ColumnName::Int(0), 7), (label(1), 3)],
    ];
    for cols in cases {
        assert!(!check(&specs, &frame(cols)), "{cols:?}");
    }
    // A repeated label is refused, not passed.
    let one = vec![ColSpec::new("a", DataType::Double, true)];
    assert!(!check(&one, &frame(&[(label(0), 7), (label(0), 7)])));
}

#[test]
fn a_repeated_name_is_matched_by_the_maps() {
    let specs = vec![
        ColSpec::new("a", DataType::Double, true),
        ColSpec::new("a", DataType::Double, true),
    ];
    assert!(!super::tests::distinct(&specs));
    let batch = frame(&[(label(0), 7), (label(0), 7)]);
    let fields: Vec<FieldRef> = batch.schema().fields().iter().cloned().collect();
    let m = Matching::new(&specs, super::tests::distinct(&specs), &fields, |f| f);
    assert_eq!(m.found, vec![Some((0, 2)), Some((0, 2))]);
    assert!(m.unknown.is_empty());
}
