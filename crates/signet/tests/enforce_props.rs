//! Property: a table built to match a signature is always accepted by enforcement, in both
//! modes, whatever its column order and extra columns, and the model receives exactly the
//! schema's columns, in schema order, with the values it was given.

use arrow_array::{
    Array, ArrayRef, BinaryArray, BooleanArray, Float32Array, Float64Array, Int32Array, Int64Array,
    RecordBatch, StringArray, TimestampNanosecondArray,
};
use arrow_schema::{DataType as ArrowType, Field, Schema as ArrowSchema, TimeUnit};
use proptest::prelude::*;
use signet::enforce::{enforce, Compat};
use signet::{ColSpec, DataType, ModelInput, ModelSignature, Schema};
use std::sync::Arc;

/// A column of `t`'s natural Arrow type with `rows` values drawn from `seed`.
fn column(t: DataType, rows: usize, seed: u64) -> (ArrowType, ArrayRef) {
    let v = |i: usize| {
        seed.wrapping_mul(6364136223846793005)
            .wrapping_add((i as u64).wrapping_mul(1442695040888963407))
    };
    match t {
        DataType::Boolean => (
            ArrowType::Boolean,
            Arc::new(
                (0..rows)
                    .map(|i| Some(v(i) % 2 == 0))
                    .collect::<BooleanArray>(),
            ),
        ),
        DataType::Integer => (
            ArrowType::Int32,
            Arc::new((0..rows).map(|i| v(i) as i32).collect::<Int32Array>()),
        ),
        DataType::Long => (
            ArrowType::Int64,
            Arc::new((0..rows).map(|i| v(i) as i64).collect::<Int64Array>()),
        ),
        DataType::Float => (
            ArrowType::Float32,
            Arc::new(
                (0..rows)
                    .map(|i| (v(i) % 1_000_000) as f32 / 7.0)
                    .collect::<Float32Array>(),
            ),
        ),
        DataType::Double => (
            ArrowType::Float64,
            Arc::new(
                (0..rows)
                    .map(|i| {
                        if v(i) % 11 == 0 {
                            f64::NAN
                        } else {
                            (v(i) % 1_000_000) as f64 / 3.0
                        }
                    })
                    .collect::<Float64Array>(),
            ),
        ),
        DataType::String => (
            ArrowType::Utf8,
            Arc::new(StringArray::from_iter_values(
                (0..rows).map(|i| format!("s{}", v(i) % 97)),
            )),
        ),
        DataType::Binary => (
            ArrowType::Binary,
            Arc::new(BinaryArray::from_iter_values(
                (0..rows).map(|i| (v(i) % 997).to_le_bytes()),
            )),
        ),
        DataType::Datetime => (
            ArrowType::Timestamp(TimeUnit::Nanosecond, None),
            Arc::new(TimestampNanosecondArray::from(
                (0..rows)
                    .map(|i| (v(i) % 4_000_000_000) as i64 * 1_000_000_000)
                    .collect::<Vec<i64>>(),
            )),
        ),
    }
}

fn data_type() -> impl Strategy<Value = DataType> {
    prop::sample::select(DataType::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_matching_table_is_accepted_and_round_trips(
        types in prop::collection::vec(data_type(), 1..8),
        rows in 0usize..20,
        seed in any::<u64>(),
        order_seed in any::<u64>(),
        extra in any::<bool>(),
    ) {
        let specs: Vec<ColSpec> = types.iter().enumerate().map(|(i, t)| ColSpec::new(format!("c{i}"), *t, true)).collect();
        let signature = ModelSignature::new(Some(Schema::columns(specs).unwrap()), None, None).unwrap();
        let mut cols: Vec<(Field, ArrayRef)> = types
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let (ty, a) = column(*t, rows, seed ^ i as u64);
                (Field::new(format!("c{i}"), ty, false), a)
            })
            .collect();
        let expected: Vec<(String, ArrayRef)> = cols.iter().map(|(f, a)| (f.name().clone(), a.clone())).collect();
        if extra {
            let (ty, a) = column(DataType::Long, rows, seed);
            cols.push((Field::new("extra", ty, false), a));
        }
        // Shuffle the input's column order.
        let n = cols.len();
        for i in (1..n).rev() {
            let j = (order_seed.wrapping_mul(i as u64 + 1) % (i as u64 + 1)) as usize;
            cols.swap(i, j);
        }
        let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = cols.into_iter().unzip();
        let batch = RecordBatch::try_new_with_options(
            Arc::new(ArrowSchema::new(fields)),
            arrays,
            &arrow_array::RecordBatchOptions::new().with_row_count(Some(rows)),
        ).unwrap();
        for compat in [Compat::Mlflow, Compat::Strict] {
            let out = enforce(Some(&signature), ModelInput::Table(batch.clone()), None, compat);
            let out = match out {
                Ok(o) => o,
                Err(e) => return Err(TestCaseError::fail(format!("{compat:?} refused a matching table: {e}"))),
            };
            let ModelInput::Table(t) = out.input else { return Err(TestCaseError::fail("not a table")) };
            prop_assert_eq!(t.num_columns(), expected.len());
            prop_assert_eq!(t.num_rows(), rows);
            for (i, (name, want)) in expected.iter().enumerate() {
                let schema = t.schema();
                prop_assert_eq!(schema.field(i).name(), name);
                prop_assert_eq!(t.column(i).to_data(), want.to_data());
            }
            prop_assert_eq!(out.warnings.is_empty(), !extra);
        }
    }
}
