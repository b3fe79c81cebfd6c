//! The benchmark cases of `../shared/bench/_mlflow_fixtures.py`, built as signet inputs, so that
//! signet's figures line up with MLflow's measured on the same work.

use arrow_array::{
    Array, ArrayRef, BooleanArray, Float32Array, Float64Array, Int32Array, Int64Array, RecordBatch,
    StringArray, TimestampNanosecondArray,
};
use arrow_schema::{DataType as ArrowType, Field, Schema as ArrowSchema};
use signet::input::TensorData;
use signet::types::{ColSpec, DataType, NumpyDtype, Schema, TensorSpec};
use signet::{ModelInput, ModelSignature, Tensor};
use std::collections::HashMap;
use std::sync::Arc;

/// The row counts MLflow was measured at.
pub const ROWS: [usize; 4] = [1, 100, 10_000, 1_000_000];

/// A tiny deterministic generator (xorshift64*), so no RNG crate is needed. `Rng(state)`
/// starts from a raw non-zero state, [`Rng::new`] from any seed.
pub struct Rng(pub u64);

impl Rng {
    /// A generator seeded from `seed` (any value, zero included).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// An index below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// One of `items`.
    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
    /// An integer in `lo..hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo) as u64) as i64
    }
    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The 20 columns of `mixed20`: 4 long, 4 double, 3 float, 3 string, 3 boolean, 3 datetime.
pub fn mixed20_columns() -> Vec<(String, DataType)> {
    let mut cols = Vec::new();
    for (prefix, n, t) in [
        ("l", 4, DataType::Long),
        ("d", 4, DataType::Double),
        ("f", 3, DataType::Float),
        ("s", 3, DataType::String),
        ("b", 3, DataType::Boolean),
        ("t", 3, DataType::Datetime),
    ] {
        for i in 0..n {
            cols.push((format!("{prefix}{i}"), t));
        }
    }
    cols
}

fn sig(inputs: Schema) -> ModelSignature {
    ModelSignature::new(Some(inputs), None, None).expect("a signature with inputs")
}

fn cols_schema(cols: &[(&str, DataType)]) -> Schema {
    Schema::columns(
        cols.iter()
            .map(|(n, t)| ColSpec::new(*n, *t, true))
            .collect(),
    )
    .expect("valid schema")
}

/// The signature of a case.
pub fn signature(case: &str) -> ModelSignature {
    match case {
        "house_price" => sig(cols_schema(&[
            ("sqft", DataType::Long),
            ("bedrooms", DataType::Long),
        ])),
        "mixed20" => sig(Schema::columns(
            mixed20_columns()
                .into_iter()
                .map(|(n, t)| ColSpec::new(n, t, true))
                .collect(),
        )
        .expect("valid schema")),
        "tensor784" | "tensor784_ndarray" | "tensor784_fsl" => {
            sig(Schema::tensors(vec![TensorSpec::new(
                NumpyDtype::Float32,
                vec![-1, 784],
                None,
            )])
            .expect("valid schema"))
        }
        "convert" => sig(cols_schema(&[
            ("a", DataType::Long),
            ("b", DataType::Double),
        ])),
        "convert_i64_01_to_double" => sig(cols_schema(&[("c", DataType::Double)])),
        other => panic!("unknown case {other}"),
    }
}

fn batch(fields: Vec<Field>, arrays: Vec<ArrayRef>) -> RecordBatch {
    RecordBatch::try_new(Arc::new(ArrowSchema::new(fields)), arrays).expect("consistent batch")
}

/// A table of non-null columns, each typed as its array.
fn table<A: Array + 'static>(columns: Vec<(&str, A)>) -> ModelInput {
    let (fields, arrays) = columns
        .into_iter()
        .map(|(name, a)| {
            let field = Field::new(name, a.data_type().clone(), false);
            (field, Arc::new(a) as ArrayRef)
        })
        .unzip();
    ModelInput::Table(batch(fields, arrays))
}

/// The model input of a case with `rows` rows.
pub fn input(case: &str, rows: usize) -> ModelInput {
    let mut rng = Rng::new(0);
    match case {
        "house_price" => {
            let mut int = |lo, hi| (0..rows).map(|_| rng.int(lo, hi)).collect::<Int64Array>();
            table(vec![("sqft", int(500, 5000)), ("bedrooms", int(1, 7))])
        }
        "mixed20" => {
            let mut fields = Vec::new();
            let mut arrays: Vec<ArrayRef> = Vec::new();
            let base = 1_577_836_800i64 * 1_000_000_000; // 2020-01-01T00:00:00 in ns
            for (name, t) in mixed20_columns() {
                let (ty, array): (ArrowType, ArrayRef) = match t {
                    DataType::Long => (
                        ArrowType::Int64,
                        Arc::new(
                            (0..rows)
                                .map(|_| rng.int(-1_000_000, 1_000_000))
                                .collect::<Int64Array>(),
                        ),
                    ),
                    DataType::Double => (
                        ArrowType::Float64,
                        Arc::new((0..rows).map(|_| rng.unit()).collect::<Float64Array>()),
                    ),
                    DataType::Float => (
                        ArrowType::Float32,
                        Arc::new(
                            (0..rows)
                                .map(|_| rng.unit() as f32)
                                .collect::<Float32Array>(),
                        ),
                    ),
                    DataType::String => (
                        ArrowType::Utf8,
                        Arc::new(StringArray::from_iter_values(
                            (0..rows).map(|_| format!("{name}-{}", rng.int(0, 1000))),
                        )),
                    ),
                    DataType::Boolean => (
                        ArrowType::Boolean,
                        Arc::new(
                            (0..rows)
                                .map(|_| Some(rng.unit() < 0.5))
                                .collect::<BooleanArray>(),
                        ),
                    ),
                    _ => (
                        ArrowType::Timestamp(arrow_schema::TimeUnit::Nanosecond, None),
                        Arc::new(TimestampNanosecondArray::from(
                            (0..rows)
                                .map(|_| base + rng.int(0, 5 * 365 * 86400) * 1_000_000_000)
                                .collect::<Vec<i64>>(),
                        )),
                    ),
                };
                fields.push(Field::new(name, ty, false));
                arrays.push(array);
            }
            ModelInput::Table(batch(fields, arrays))
        }
        "tensor784" => {
            let mut fields = Vec::new();
            let mut arrays: Vec<ArrayRef> = Vec::new();
            for c in 0..784 {
                let meta =
                    HashMap::from([(signet::table::LABEL_KIND_KEY.to_string(), "int".to_string())]);
                fields
                    .push(Field::new(c.to_string(), ArrowType::Float32, false).with_metadata(meta));
                arrays.push(Arc::new(
                    (0..rows)
                        .map(|_| rng.unit() as f32)
                        .collect::<Float32Array>(),
                ));
            }
            ModelInput::Table(batch(fields, arrays))
        }
        "tensor784_fsl" => {
            // The 784 values of a row as one `FixedSizeList` cell: the table's values are
            // already one row-major buffer (as a DataFrame over one 2-D numpy block is).
            let values: Float32Array = (0..rows * 784).map(|_| rng.unit() as f32).collect();
            let item = Arc::new(Field::new("item", ArrowType::Float32, false));
            let column = arrow_array::FixedSizeListArray::new(item, 784, Arc::new(values), None);
            ModelInput::Table(batch(
                vec![Field::new(
                    "pixels",
                    arrow_array::Array::data_type(&column).clone(),
                    false,
                )],
                vec![Arc::new(column)],
            ))
        }
        "tensor784_ndarray" => {
            let data: Float32Array = (0..rows * 784).map(|_| rng.unit() as f32).collect();
            ModelInput::Tensor(Tensor {
                dtype: NumpyDtype::Float32,
                shape: vec![rows, 784],
                data: TensorData::Arrow(Arc::new(data)),
            })
        }
        "convert" => {
            let mut int = || {
                (0..rows)
                    .map(|_| rng.int(0, 1_000_000) as i32)
                    .collect::<Int32Array>()
            };
            table(vec![("a", int()), ("b", int())])
        }
        "convert_i64_01_to_double" => {
            let c: Int64Array = (0..rows).map(|_| rng.int(0, 2)).collect();
            table(vec![("c", c)])
        }
        other => panic!("unknown case {other}"),
    }
}

/// A scoring-server JSON body as `make_body` writes it (compact separators, ISO datetimes).
/// `tensor784` bodies are `split` (784 integer column labels) or `inputs` (a 2-D list), the
/// float32 values written as Python writes `ndarray.tolist()` (as `scripts/bench_tensor_mlflow.py`
/// does).
pub fn body(case: &str, format: &str, rows: usize) -> Vec<u8> {
    let mut rng = Rng::new(0);
    if case == "tensor784" {
        return tensor_body(&mut rng, format, rows);
    }
    let (names, gens): (Vec<String>, Vec<DataType>) = match case {
        "house_price" => (
            vec!["sqft".into(), "bedrooms".into()],
            vec![DataType::Long, DataType::Long],
        ),
        "mixed20" => mixed20_columns().into_iter().unzip(),
        other => panic!("bodies are only defined for table cases, not {other}"),
    };
    let cell = |rng: &mut Rng, name: &str, t: DataType, col: usize| -> String {
        match (t, case, col) {
            (DataType::Long, "house_price", 0) => rng.int(500, 5000).to_string(),
            (DataType::Long, "house_price", _) => rng.int(1, 7).to_string(),
            (DataType::Long, ..) => rng.int(-1_000_000, 1_000_000).to_string(),
            (DataType::Double, ..) => signet::pyjson::float_repr(rng.unit()),
            (DataType::Float, ..) => signet::repr::float32_repr(rng.unit() as f32),
            (DataType::String, ..) => format!("\"{name}-{}\"", rng.int(0, 1000)),
            (DataType::Boolean, ..) => (rng.unit() < 0.5).to_string(),
            _ => {
                let secs = rng.int(0, 5 * 365 * 86400);
                let dt =
                    chrono::DateTime::from_timestamp(1_577_836_800 + secs, 0).expect("in range");
                format!("\"{}.000\"", dt.format("%Y-%m-%dT%H:%M:%S"))
            }
        }
    };
    let rows_cells: Vec<Vec<String>> = (0..rows)
        .map(|_| {
            names
                .iter()
                .zip(&gens)
                .enumerate()
                .map(|(i, (n, t))| cell(&mut rng, n, *t, i))
                .collect()
        })
        .collect();
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let record = |cells: &Vec<String>| {
        let members: Vec<String> = quoted
            .iter()
            .zip(cells)
            .map(|(n, v)| format!("{n}:{v}"))
            .collect();
        format!("{{{}}}", members.join(","))
    };
    let text = match format {
        "split" => {
            let data: Vec<String> = rows_cells
                .iter()
                .map(|r| format!("[{}]", r.join(",")))
                .collect();
            format!(
                "{{\"dataframe_split\":{{\"columns\":[{}],\"data\":[{}]}}}}",
                quoted.join(","),
                data.join(",")
            )
        }
        "records" | "instances" => {
            let key = if format == "records" {
                "dataframe_records"
            } else {
                "instances"
            };
            let recs: Vec<String> = rows_cells.iter().map(record).collect();
            format!("{{\"{key}\":[{}]}}", recs.join(","))
        }
        other => panic!("unknown format {other}"),
    };
    text.into_bytes()
}

/// A `tensor784` body: `rows` rows of 784 float32 values.
fn tensor_body(rng: &mut Rng, format: &str, rows: usize) -> Vec<u8> {
    let data: Vec<String> = (0..rows)
        .map(|_| {
            let cells: Vec<String> = (0..784)
                .map(|_| signet::pyjson::float_repr(rng.unit() as f32 as f64))
                .collect();
            format!("[{}]", cells.join(","))
        })
        .collect();
    let text = match format {
        "split" => {
            let labels: Vec<String> = (0..784).map(|c: usize| c.to_string()).collect();
            format!(
                "{{\"dataframe_split\":{{\"columns\":[{}],\"data\":[{}]}}}}",
                labels.join(","),
                data.join(",")
            )
        }
        "inputs" | "instances" => format!("{{\"{format}\":[{}]}}", data.join(",")),
        other => panic!("unknown tensor body format {other}"),
    };
    text.into_bytes()
}

/// A wide 1-row `dataframe_split` body: `known` columns first, then `n` columns `x0..`
/// (`benches/wide.rs` in signet-protocol, the server's column limit).
pub fn wide_split(known: &[&str], n: usize) -> Vec<u8> {
    let mut cols: Vec<String> = known.iter().map(|k| format!("\"{k}\"")).collect();
    cols.extend((0..n).map(|i| format!("\"x{i}\"")));
    let data: Vec<String> = (0..cols.len()).map(|i| format!("{}.5", i % 1000)).collect();
    format!(
        "{{\"dataframe_split\": {{\"columns\": [{}], \"data\": [[{}]]}}}}",
        cols.join(", "),
        data.join(", ")
    )
    .into_bytes()
}
