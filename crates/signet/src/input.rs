//! Model inputs and outputs as signet represents them: Arrow tables for pandas DataFrames,
//! [`Tensor`]s for numpy arrays, dicts of tensors, and [`Value`]s for everything else.
//!
//! See the crate documentation for how pandas notions map onto Arrow.

use crate::types::{ColumnName, NumpyDtype};
use crate::value::Value;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::Field;

/// A model input or output, one variant per kind of Python object MLflow distinguishes.
#[derive(Clone, Debug)]
pub enum ModelInput {
    /// A pandas DataFrame: an Arrow record batch (column conventions in [`crate::table`]).
    Table(RecordBatch),
    /// A pandas Series.
    Series(Series),
    /// A numpy ndarray.
    Tensor(Tensor),
    /// A dict of numpy arrays, in key order.
    TensorDict(Vec<(String, Tensor)>),
    /// A scipy sparse matrix (CSR or CSC): its stored values and its shape.
    Sparse(SparseMatrix),
    /// Any other Python object: dict, list, str, number, bool, bytes, date, None.
    Value(Value),
}

/// A pandas Series: one Arrow column with an optional label.
#[derive(Clone, Debug)]
pub struct Series {
    /// The series name (`None` for an unnamed series).
    pub name: Option<ColumnName>,
    /// The field describing the values (type and pandas dtype metadata, see [`crate::table`]).
    pub field: Field,
    /// The values.
    pub values: ArrayRef,
}

/// A scipy sparse matrix; only what signatures need is kept.
#[derive(Clone, Debug)]
pub struct SparseMatrix {
    /// `true` for CSR, `false` for CSC.
    pub csr: bool,
    /// The stored (non-zero) values.
    pub data: Tensor,
    /// `(rows, columns)`.
    pub shape: (usize, usize),
}

/// A numpy array: a dtype, a shape and the elements in C order.
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    /// Element dtype.
    pub dtype: NumpyDtype,
    /// Shape (empty for a 0-d array).
    pub shape: Vec<usize>,
    /// Elements, flattened in C order.
    pub data: TensorData,
}

/// The elements of a [`Tensor`].
#[derive(Clone, Debug)]
pub enum TensorData {
    /// A flat Arrow array (numeric, bool, Utf8 for `str`, Binary for `bytes`, Timestamp or
    /// Date32 for `datetime64`).
    Arrow(ArrayRef),
    /// Python objects, for `object` arrays.
    Object(Vec<Value>),
}

impl PartialEq for TensorData {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (TensorData::Arrow(a), TensorData::Arrow(b)) => a.to_data() == b.to_data(),
            (TensorData::Object(a), TensorData::Object(b)) => a == b,
            _ => false,
        }
    }
}

impl Tensor {
    /// Number of elements (product of the shape).
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// Whether the tensor holds no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The element at flat position `i` as a Python value (a numpy scalar for numeric dtypes).
    pub fn element(&self, i: usize) -> Value {
        match &self.data {
            TensorData::Object(v) => v[i].clone(),
            TensorData::Arrow(a) => crate::table::array_value(a.as_ref(), i),
        }
    }

    /// The nested-list form (`ndarray.tolist()`), elements as plain Python values.
    pub fn to_list(&self) -> Value {
        fn build(t: &Tensor, dim: usize, offset: &mut usize) -> Value {
            if dim == t.shape.len() {
                let v = t.element(*offset);
                *offset += 1;
                return match v {
                    Value::Numpy(_, inner) => *inner,
                    other => other,
                };
            }
            Value::List(
                (0..t.shape[dim])
                    .map(|_| build(t, dim + 1, offset))
                    .collect(),
            )
        }
        let mut offset = 0;
        build(self, 0, &mut offset)
    }
}
