//! The data estimators see: a [`Frame`] of named or unnamed columns (numbers, or Python
//! objects for strings), built from a `ModelInput` as sklearn sees a pandas DataFrame or numpy
//! array, and the row-major [`Matrix`] numeric estimators work on.

use crate::error::SklearnError;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use signet::{ModelInput, TensorData, Value};
use signet_skops::{Json, Node};

/// One cell of an object column.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// A number.
    Num(f64),
    /// A string.
    Str(String),
    /// `None` / `NaN` / `pd.NA`.
    Missing,
}

impl Cell {
    /// A number; NaN is the missing value.
    pub fn num(f: f64) -> Cell {
        if f.is_nan() {
            Cell::Missing
        } else {
            Cell::Num(f)
        }
    }

    /// An element of a skops object array: a string, `None`, or a number.
    pub fn from_node(node: &Node) -> Result<Cell, SklearnError> {
        Ok(match node.json() {
            Some(Json::Str(s)) => Cell::Str(s.clone()),
            Some(Json::Null) => Cell::Missing,
            _ => Cell::num(node.f64()?),
        })
    }

    /// The cell as sklearn's float conversion sees it.
    pub fn to_f64(&self) -> Result<f64, SklearnError> {
        match self {
            Cell::Num(x) => Ok(*x),
            Cell::Missing => Ok(f64::NAN),
            Cell::Str(s) => s.trim().parse().map_err(|_| {
                SklearnError::new(format!("could not convert string to float: '{s}'"))
            }),
        }
    }
}

/// A column.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// Numbers (missing as NaN).
    Num(Vec<f64>),
    /// Python objects (pandas `object` columns).
    Obj(Vec<Cell>),
}

impl Column {
    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Num(v) => v.len(),
            Column::Obj(v) => v.len(),
        }
    }

    /// Whether the column has no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell at `i` as an object.
    pub fn cell(&self, i: usize) -> Cell {
        match self {
            Column::Num(v) if v[i].is_nan() => Cell::Missing,
            Column::Num(v) => Cell::Num(v[i]),
            Column::Obj(v) => v[i].clone(),
        }
    }

    /// The column as numbers.
    pub fn to_f64(&self) -> Result<Vec<f64>, SklearnError> {
        match self {
            Column::Num(v) => Ok(v.clone()),
            Column::Obj(v) => v.iter().map(Cell::to_f64).collect(),
        }
    }
}

/// A table: columns of equal length, named when the input was a DataFrame.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Column names (`None` for a numpy array).
    pub names: Option<Vec<String>>,
    /// The columns.
    pub columns: Vec<Column>,
    /// The number of rows.
    pub rows: usize,
}

/// A row-major matrix of `f64`.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub cols: usize,
    /// `rows * cols` values, row by row.
    pub data: Vec<f64>,
}

impl Matrix {
    /// A `rows × cols` matrix of C-order `data`.
    pub fn new(rows: usize, cols: usize, data: Vec<f64>) -> Matrix {
        Matrix { rows, cols, data }
    }

    /// A `rows` × `cols` matrix of zeros.
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// The matrix as a frame of unnamed numeric columns.
    pub fn into_frame(self) -> Frame {
        let columns = (0..self.cols)
            .map(|j| {
                Column::Num(
                    (0..self.rows)
                        .map(|i| self.data[i * self.cols + j])
                        .collect(),
                )
            })
            .collect();
        Frame::unnamed(columns, self.rows)
    }
}

impl Frame {
    /// A frame of unnamed columns (what a transformer returns).
    pub fn unnamed(columns: Vec<Column>, rows: usize) -> Frame {
        Frame {
            names: None,
            columns,
            rows,
        }
    }

    /// The frame as a numeric matrix (sklearn's `check_array(X, dtype=float)`).
    pub fn to_matrix(&self) -> Result<Matrix, SklearnError> {
        let cols = self.columns.len();
        let mut data = vec![0.0; self.rows * cols];
        for (j, c) in self.columns.iter().enumerate() {
            for (i, x) in c.to_f64()?.into_iter().enumerate() {
                data[i * cols + j] = x;
            }
        }
        Ok(Matrix {
            rows: self.rows,
            cols,
            data,
        })
    }

    /// A numeric matrix, refusing NaN as sklearn's `check_array` does for estimators that do
    /// not accept missing values.
    pub fn to_finite_matrix(&self, estimator: &str) -> Result<Matrix, SklearnError> {
        let m = self.to_matrix()?;
        if m.data.iter().any(|x| x.is_nan()) {
            return Err(SklearnError::new(format!(
                "Input X contains NaN.\n{estimator} does not accept missing values encoded as NaN natively."
            )));
        }
        Ok(m)
    }

    /// Checks the number of features.
    pub fn check_width(&self, expected: usize, estimator: &str) -> Result<(), SklearnError> {
        if self.columns.len() != expected {
            return Err(SklearnError::new(format!(
                "X has {} features, but {estimator} is expecting {expected} features as input.",
                self.columns.len()
            )));
        }
        Ok(())
    }

    /// Columns picked by index, keeping their names.
    pub fn select(&self, indices: &[usize]) -> Result<Frame, SklearnError> {
        let mut columns = Vec::with_capacity(indices.len());
        for &i in indices {
            columns.push(self.columns.get(i).cloned().ok_or_else(|| {
                SklearnError::new(format!(
                    "column index {i} is out of range ({} columns)",
                    self.columns.len()
                ))
            })?);
        }
        Ok(Frame {
            names: self
                .names
                .as_ref()
                .map(|n| indices.iter().filter_map(|&i| n.get(i).cloned()).collect()),
            columns,
            rows: self.rows,
        })
    }

    /// The index of a column by name.
    pub fn position(&self, name: &str) -> Result<usize, SklearnError> {
        let Some(names) = &self.names else {
            return Err(SklearnError::new(
                "Specifying the columns using strings is only supported for dataframes.",
            ));
        };
        names.iter().position(|n| n == name).ok_or_else(|| {
            SklearnError::new(format!(
                "A given column is not a column of the dataframe: '{name}'"
            ))
        })
    }

    /// Puts the columns in `feature_names_in_` order (sklearn refuses other names; MLflow's
    /// enforcement already orders them as the signature).
    pub fn align(self, feature_names: &[String], estimator: &str) -> Result<Frame, SklearnError> {
        let Some(names) = &self.names else {
            return Ok(self);
        };
        if names.as_slice() == feature_names {
            return Ok(self);
        }
        let mut idx = Vec::with_capacity(feature_names.len());
        for f in feature_names {
            idx.push(names.iter().position(|n| n == f).ok_or_else(|| {
                SklearnError::new(format!(
                    "The feature names should match those that were passed during fit ({estimator}).\nFeature names seen at fit time, yet now missing:\n- {f}"
                ))
            })?);
        }
        self.select(&idx)
    }

    /// Columns side by side (ColumnTransformer's `hstack`).
    pub fn hstack(parts: Vec<Frame>, rows: usize) -> Frame {
        let mut columns = Vec::new();
        for p in parts {
            columns.extend(p.columns);
        }
        Frame::unnamed(columns, rows)
    }

    /// The frame sklearn gets from MLflow's pyfunc for an (enforced) input.
    pub fn from_input(input: &ModelInput) -> Result<Frame, SklearnError> {
        match input {
            ModelInput::Table(batch) => {
                let names = batch
                    .schema()
                    .fields()
                    .iter()
                    .map(|f| f.name().clone())
                    .collect();
                let columns = batch
                    .columns()
                    .iter()
                    .map(column)
                    .collect::<Result<_, _>>()?;
                Ok(Frame {
                    names: Some(names),
                    columns,
                    rows: batch.num_rows(),
                })
            }
            ModelInput::Tensor(t) => {
                let (rows, cols) = match t.shape.as_slice() {
                    [r, c] => (*r, *c),
                    [r] => {
                        return Err(SklearnError::new(format!(
                            "Expected a 2-dimensional container but got a 1-dimensional array of {r} elements. Reshape your data either using array.reshape(-1, 1) if your data has a single feature or array.reshape(1, -1) if it contains a single sample."
                        )))
                    }
                    s => return Err(SklearnError::new(format!("Found array with dim {}, while dim <= 2 is required.", s.len()))),
                };
                let flat: Column = match &t.data {
                    TensorData::Arrow(a) => column(a)?,
                    TensorData::Object(v) => {
                        Column::Obj(v.iter().map(value_cell).collect::<Result<_, _>>()?)
                    }
                };
                let columns = (0..cols)
                    .map(|j| match &flat {
                        Column::Num(v) => Column::Num((0..rows).map(|i| v[i * cols + j]).collect()),
                        Column::Obj(v) => {
                            Column::Obj((0..rows).map(|i| v[i * cols + j].clone()).collect())
                        }
                    })
                    .collect();
                Ok(Frame::unnamed(columns, rows))
            }
            other => Err(SklearnError::new(format!(
                "scikit-learn models take a DataFrame or a 2-D array; got {}",
                match other {
                    ModelInput::Series(_) => "a Series",
                    ModelInput::TensorDict(_) => "a dict of arrays",
                    ModelInput::Sparse(_) =>
                        "a sparse matrix (signet does not run sklearn on sparse input)",
                    _ => "a Python object",
                }
            ))),
        }
    }
}

fn value_cell(v: &Value) -> Result<Cell, SklearnError> {
    Ok(match v {
        Value::None | Value::NA | Value::NaT => Cell::Missing,
        Value::Bool(b) => Cell::Num(f64::from(u8::from(*b))),
        Value::Int(i) => Cell::Num(*i as f64),
        Value::Float(f) if f.is_nan() => Cell::Missing,
        Value::Float(f) => Cell::Num(*f),
        Value::Str(s) => Cell::Str(s.clone()),
        Value::Numpy(_, inner) => value_cell(inner)?,
        other => {
            return Err(SklearnError::new(format!(
                "signet's sklearn estimators take numbers and strings; got {}",
                signet::pyjson::dumps(other)
            )))
        }
    })
}

fn column(a: &ArrayRef) -> Result<Column, SklearnError> {
    match a.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let s = arrow_cast::cast(a, &DataType::Utf8)
                .map_err(|e| SklearnError::new(e.to_string()))?;
            let s = s.as_string::<i32>();
            Ok(Column::Obj(
                (0..s.len())
                    .map(|i| {
                        if s.is_null(i) {
                            Cell::Missing
                        } else {
                            Cell::Str(s.value(i).to_string())
                        }
                    })
                    .collect(),
            ))
        }
        DataType::Null => Ok(Column::Num(vec![f64::NAN; a.len()])),
        DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float16
        | DataType::Float32
        | DataType::Float64 => {
            let f = arrow_cast::cast(a, &DataType::Float64)
                .map_err(|e| SklearnError::new(e.to_string()))?;
            let f = f.as_primitive::<arrow_array::types::Float64Type>();
            Ok(Column::Num(
                (0..f.len())
                    .map(|i| if f.is_null(i) { f64::NAN } else { f.value(i) })
                    .collect(),
            ))
        }
        other => Err(SklearnError::new(format!(
            "signet's sklearn estimators take numeric and string columns; got a column of {other}"
        ))),
    }
}
