//! Model inputs and outputs as signet represents them: Arrow tables for pandas DataFrames,
//! [`Tensor`]s for numpy arrays, dicts of tensors, and [`Value`]s for everything else.
//!
//! See the crate documentation for how pandas notions map onto Arrow.

use crate::types::ColumnName;
use crate::value::Value;
pub use crate::value::{Tensor, TensorData};
use arrow_array::{ArrayRef, RecordBatch};
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
