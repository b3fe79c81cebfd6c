//! DataFrames against tensor specs (docs/enforcement.md#unnamed-tensor, #dataframe-to-tensor): one column turned into a
//! tensor (scalars cast, lists stacked and cast, arrays stacked), or a whole frame's values.

use super::cast::{self, CastFailure};
use super::check::{self, spec_dtype_text};
use super::stack;
use crate::enforce::{Compat, EnforceError, ErrorKind};
use crate::input::{Tensor, TensorData};
use crate::repr::shape_repr;
use crate::table;
use crate::types::{NumpyDtype, TensorSpec, TimeUnit};
use crate::value::Value;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType as ArrowType, Field, SchemaRef, TimeUnit as ArrowUnit};
use std::sync::Arc;

/// A cast failure as the enforcement error MLflow's wrapper reports: numpy's exception text,
/// or strict mode's refusal naming `column` and the row (`per_row` elements per row).
pub(super) fn cast_error(
    f: CastFailure,
    column: Option<&str>,
    per_row: usize,
    target: NumpyDtype,
) -> EnforceError {
    match f {
        CastFailure::Raw { exception, message } => {
            EnforceError::raw(ErrorKind::IncompatibleType, exception, message)
        }
        CastFailure::Lossy {
            index,
            value,
            reason,
        } => EnforceError::lossy(
            column,
            index / per_row.max(1),
            value,
            &target.name(),
            reason,
        ),
        CastFailure::Unsupported(m) => EnforceError::new(ErrorKind::Other, m),
    }
}

/// A DataFrame against an unnamed tensor spec (§7.2).
pub(super) fn unnamed_frame(
    batch: &RecordBatch,
    spec: &TensorSpec,
    compat: Compat,
) -> Result<Tensor, EnforceError> {
    unnamed_frame_shape(batch.num_rows(), batch.num_columns(), spec)?;
    let schema = batch.schema();
    if batch.num_columns() == 1 {
        return column_to_tensor(None, schema.field(0), batch.column(0), spec, compat);
    }
    let t = frame_to_numpy(batch)?;
    check::enforce_spec(&t, spec, compat)?;
    Ok(t)
}

/// §7.2's checks of a DataFrame's size against an unnamed tensor spec: a frame of `rows` rows
/// and `columns` columns must not be empty, and with more than one column the spec's shape
/// must be `(-1, columns)`. Past them, a frame of several columns is its values
/// (`df.to_numpy()`) checked as an array (§7.1), one column is converted on its own. Public
/// for a reader that holds a frame's values as one row-major array already (the Python
/// package's pandas reader) and checks that array in place of building the table.
pub fn unnamed_frame_shape(
    rows: usize,
    columns: usize,
    spec: &TensorSpec,
) -> Result<(), EnforceError> {
    if rows == 0 || columns == 0 {
        return Err(EnforceError::new(
            ErrorKind::InvalidInput,
            "Input DataFrame is empty.",
        ));
    }
    let k = columns;
    if k > 1 && spec.shape != [-1, k as i64] {
        return Err(EnforceError::new(
            ErrorKind::ShapeMismatch,
            format!(
                "This model contains a model signature with an unnamed input. Since the input \
                 data is a pandas DataFrame containing multiple columns, the input shape must be \
                 of the structure (-1, number_of_dataframe_columns). Instead, the input \
                 DataFrame passed had {k} columns and an input shape of {} with all values \
                 within the DataFrame of scalar type. Please adjust the passed in DataFrame to \
                 match the expected structure",
                shape_repr(&spec.shape)
            ),
        ));
    }
    Ok(())
}

/// The numpy dtype pandas' `to_numpy()` keeps for a column when the frame is interleaved, or
/// `None` when the column only interleaves as `object` (pandas extension dtypes, text,
/// categories, tz-aware datetimes, object columns).
fn interleave_dtype(field: &Field, array: &ArrayRef) -> Option<NumpyDtype> {
    let info = table::dtype_info(field, array.as_ref());
    if info.is_nullable_extension() {
        return None;
    }
    match array.data_type() {
        ArrowType::Timestamp(u, None) if info.kind == 'M' => {
            Some(NumpyDtype::Datetime64(match u {
                ArrowUnit::Second => TimeUnit::Second,
                ArrowUnit::Millisecond => TimeUnit::Milli,
                ArrowUnit::Microsecond => TimeUnit::Micro,
                ArrowUnit::Nanosecond => TimeUnit::Nano,
            }))
        }
        t if matches!(info.kind, 'b' | 'i' | 'u' | 'f') => cast::numeric_dtype(t),
        _ => None,
    }
}

/// The columns' common interleave dtype (`None`: the frame interleaves as `object`).
fn common_dtype(batch: &RecordBatch) -> Option<NumpyDtype> {
    let dtypes: Option<Vec<NumpyDtype>> = table::fields_and_columns(batch)
        .map(|(f, a)| interleave_dtype(f, a))
        .collect();
    dtypes.and_then(|d| {
        let any_bool = d.contains(&NumpyDtype::Bool);
        let any_dt = d.iter().any(|x| matches!(x, NumpyDtype::Datetime64(_)));
        let all_bool = d.iter().all(|x| *x == NumpyDtype::Bool);
        let all_dt = d.iter().all(|x| matches!(x, NumpyDtype::Datetime64(_)));
        if (any_bool && !all_bool) || (any_dt && !all_dt) {
            None
        } else {
            d.into_iter().reduce(stack::promote)
        }
    })
}

thread_local! {
    /// The last schema whose common dtype was worked out for a batch without nulls, and that
    /// dtype: a model is fed batch after batch of one schema, so the per-column dtype checks
    /// (784 of them for an image model) run once per schema, not once per batch.
    static COMMON: std::cell::RefCell<Option<(SchemaRef, Option<NumpyDtype>)>> =
        const { std::cell::RefCell::new(None) };
}

/// [`common_dtype`], remembered per schema. Without nulls a column's interleave dtype depends
/// on its field alone (nulls turn integer and bool columns into nullable extension dtypes), so
/// the answer for a null-free batch holds for every null-free batch of the same schema.
fn common_dtype_cached(batch: &RecordBatch) -> Option<NumpyDtype> {
    if batch.columns().iter().any(|a| a.null_count() > 0) {
        return common_dtype(batch);
    }
    let schema = batch.schema();
    let hit = COMMON.with(|c| match &*c.borrow() {
        Some((s, d)) if Arc::ptr_eq(s, &schema) => Some(*d),
        _ => None,
    });
    if let Some(d) = hit {
        return d;
    }
    let d = common_dtype(batch);
    COMMON.with(|c| *c.borrow_mut() = Some((schema, d)));
    d
}

/// `DataFrame.to_numpy()`: the columns' common dtype (pandas: bools only with bools, datetimes
/// only with datetimes, anything else non-numeric makes it `object`), row-major.
pub(super) fn frame_to_numpy(batch: &RecordBatch) -> Result<Tensor, EnforceError> {
    let (rows, cols) = (batch.num_rows(), batch.num_columns());
    let common = common_dtype_cached(batch);
    let shape = vec![rows, cols];
    if let Some(dtype) = common.filter(|d| *d != NumpyDtype::Object) {
        let target = crate::table::numpy_arrow_type(dtype).ok_or_else(|| {
            EnforceError::new(ErrorKind::Other, format!("unsupported dtype {dtype}"))
        })?;
        let cast_columns;
        let columns: &[ArrayRef] = if batch.columns().iter().all(|a| a.data_type() == &target) {
            batch.columns()
        } else {
            cast_columns = batch
                .columns()
                .iter()
                .map(|a| {
                    if a.data_type() == &target {
                        Ok(a.clone())
                    } else {
                        arrow_cast::cast(a, &target)
                    }
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| EnforceError::new(ErrorKind::Other, e.to_string()))?;
            &cast_columns
        };
        let data = match transpose_fast(columns, rows, &target) {
            Some(data) => data,
            None => {
                let refs: Vec<&dyn Array> = columns.iter().map(|a| a.as_ref()).collect();
                let indices: Vec<(usize, usize)> = (0..rows)
                    .flat_map(|r| (0..cols).map(move |c| (c, r)))
                    .collect();
                arrow_select::interleave::interleave(&refs, &indices)
                    .map_err(|e| EnforceError::new(ErrorKind::Other, e.to_string()))?
            }
        };
        return Ok(Tensor {
            dtype,
            shape,
            data: TensorData::Arrow(data),
        });
    }
    let columns: Vec<Vec<Value>> = table::fields_and_columns(batch)
        .map(|(f, a)| table::object_values(f, a.as_ref()))
        .collect();
    let values = (0..rows)
        .flat_map(|r| columns.iter().map(move |c| c[r].clone()))
        .collect();
    Ok(Tensor {
        dtype: NumpyDtype::Object,
        shape,
        data: TensorData::Object(values),
    })
}

/// Rows per block of the transpose: a block's output rows (`ROW_BLOCK` × columns values) stay
/// in cache while every column contributes its (one cache line of) values to them.
const ROW_BLOCK: usize = 16;

/// The row-major interleaving of equally long columns: a cache-blocked transpose.
fn transpose<T: Copy + Default>(slices: &[&[T]], rows: usize) -> Vec<T> {
    let cols = slices.len();
    let mut out = vec![T::default(); rows * cols];
    for r0 in (0..rows).step_by(ROW_BLOCK) {
        let r1 = (r0 + ROW_BLOCK).min(rows);
        let block = &mut out[r0 * cols..r1 * cols];
        for (c, values) in slices.iter().enumerate() {
            for (k, v) in values[r0..r1].iter().enumerate() {
                block[k * cols + c] = *v;
            }
        }
    }
    out
}

/// Row-major interleaving of null-free primitive columns of one type, a straight transpose of
/// their value buffers (`None`: another type, or nulls, which take the general path).
fn transpose_fast(columns: &[ArrayRef], rows: usize, target: &ArrowType) -> Option<ArrayRef> {
    fn go<T: arrow_array::ArrowPrimitiveType>(
        columns: &[ArrayRef],
        rows: usize,
    ) -> Option<ArrayRef> {
        let slices: Vec<&[T::Native]> = columns
            .iter()
            .map(|a| {
                let p = a
                    .as_any()
                    .downcast_ref::<arrow_array::PrimitiveArray<T>>()?;
                (p.null_count() == 0 && p.len() >= rows).then(|| &p.values()[..rows])
            })
            .collect::<Option<_>>()?;
        let out = transpose(&slices, rows);
        Some(Arc::new(arrow_array::PrimitiveArray::<T>::new(
            out.into(),
            None,
        )))
    }
    use arrow_array::types::*;
    match target {
        ArrowType::Float32 => go::<Float32Type>(columns, rows),
        ArrowType::Float64 => go::<Float64Type>(columns, rows),
        ArrowType::Int64 => go::<Int64Type>(columns, rows),
        ArrowType::Int32 => go::<Int32Type>(columns, rows),
        ArrowType::Int16 => go::<Int16Type>(columns, rows),
        ArrowType::Int8 => go::<Int8Type>(columns, rows),
        ArrowType::UInt64 => go::<UInt64Type>(columns, rows),
        ArrowType::UInt32 => go::<UInt32Type>(columns, rows),
        ArrowType::UInt16 => go::<UInt16Type>(columns, rows),
        ArrowType::UInt8 => go::<UInt8Type>(columns, rows),
        _ => None,
    }
}

/// What the first cell of a column is, which decides how the column becomes a tensor.
enum FirstCell {
    Scalar,
    List,
    Ndarray,
    Other,
}

fn first_cell(field: &Field, array: &ArrayRef) -> Result<FirstCell, EnforceError> {
    if matches!(
        array.data_type(),
        ArrowType::Duration(_)
            | ArrowType::Time32(_)
            | ArrowType::Time64(_)
            | ArrowType::Timestamp(..)
            | ArrowType::Date32
            | ArrowType::Date64
            | ArrowType::Struct(_)
            | ArrowType::Map(..)
            | ArrowType::Null
    ) {
        return Ok(FirstCell::Other);
    }
    if let ArrowType::FixedSizeList(child, n) = array.data_type() {
        // A list of plain numbers (no nulls, no pandas metadata on the items): known without
        // turning the first cell into Python values.
        let plain = *n > 0
            && child.metadata().is_empty()
            && cast::numeric_dtype(child.data_type()).is_some()
            && array.null_count() == 0
            && array.as_fixed_size_list().values().null_count() == 0;
        if plain {
            return Ok(FirstCell::List);
        }
    }
    let head = array.slice(0, 1);
    let cell = table::object_values(field, head.as_ref())
        .into_iter()
        .next()
        .unwrap_or(Value::None);
    Ok(match &cell {
        v if stack::is_scalar(v) => FirstCell::Scalar,
        Value::List(items) => match items.first() {
            None => {
                return Err(EnforceError::raw(
                    ErrorKind::Other,
                    "IndexError",
                    "list index out of range",
                ))
            }
            Some(x) if stack::is_scalar(x) => FirstCell::List,
            Some(_) => FirstCell::Other,
        },
        Value::Ndarray(_) => FirstCell::Ndarray,
        _ => FirstCell::Other,
    })
}

/// A column as numpy sees it before `np.array(column, dtype=...)`: numeric and bool columns
/// as their Arrow data, categories as their values, anything else as Python objects.
fn column_tensor(field: &Field, array: &ArrayRef) -> Tensor {
    let n = array.len();
    if let ArrowType::Dictionary(_, value_type) = array.data_type() {
        if let Ok(values) = arrow_cast::cast(array, value_type) {
            let f = Field::new(field.name(), values.data_type().clone(), true);
            return column_tensor(&f, &values);
        }
    }
    let info = table::dtype_info(field, array.as_ref());
    if matches!(info.kind, 'b' | 'i' | 'u' | 'f') {
        if let Some(dtype) = cast::numeric_dtype(array.data_type()) {
            return Tensor {
                dtype,
                shape: vec![n],
                data: TensorData::Arrow(array.clone()),
            };
        }
    }
    Tensor {
        dtype: NumpyDtype::Object,
        shape: vec![n],
        data: TensorData::Object(table::object_values(field, array.as_ref())),
    }
}

/// Reshapes a stacked array to `(-1, *spec.shape[1:])`, as `ndarray.reshape` does (`None` when
/// numpy would raise).
fn reshape(mut t: Tensor, spec: &TensorSpec) -> Option<Tensor> {
    let dims: Vec<usize> = spec.shape[1..]
        .iter()
        .map(|d| usize::try_from(*d).ok())
        .collect::<Option<_>>()?;
    let per: usize = dims.iter().product();
    let total = t.len();
    if per == 0 || !total.is_multiple_of(per) {
        return None;
    }
    let mut shape = vec![total / per];
    shape.extend(dims);
    t.shape = shape;
    Some(t)
}

/// The refusal of a column whose list or array cells do not stack to the spec's shape;
/// `ensure` ends MLflow's advice ("Ensure that each of the input ...").
fn cell_shape_error(label: &str, spec: &TensorSpec, ensure: &str) -> EnforceError {
    EnforceError::new(
        ErrorKind::ShapeMismatch,
        format!(
            "The value in the Input DataFrame column '{label}' could not be converted to the \
             expected shape of: '{}'. Ensure that each of the input {ensure}",
            shape_repr(&spec.shape)
        ),
    )
    .column(label)
}

/// `np.vstack` of a column's list or array cells, reshaped to the spec: a `ValueError` on the
/// way is `shape_error`, any other failure the cast error of one element.
fn stack_and_reshape(
    field: &Field,
    array: &ArrayRef,
    spec: &TensorSpec,
    name: Option<&str>,
    shape_error: &dyn Fn() -> EnforceError,
) -> Result<Tensor, EnforceError> {
    let stacked = stack::stack_column(field, array).map_err(|f| {
        if f.is_value_error() {
            shape_error()
        } else {
            cast_error(f, name, 1, spec.dtype)
        }
    })?;
    reshape(stacked, spec).ok_or_else(shape_error)
}

/// `_reshape_and_cast_pandas_column_values`: one DataFrame column against a tensor spec
/// (§7.4). `name` is the input name (`None` for an unnamed schema, shown as `'None'`).
pub(super) fn column_to_tensor(
    name: Option<&str>,
    field: &Field,
    array: &ArrayRef,
    spec: &TensorSpec,
    compat: Compat,
) -> Result<Tensor, EnforceError> {
    let label = name.unwrap_or("None");
    let with_name = |e: EnforceError| match name {
        Some(n) => e.column(n),
        None => e,
    };
    let Some(&first_dim) = spec.shape.first() else {
        return Err(EnforceError::raw(
            ErrorKind::Other,
            "IndexError",
            "tuple index out of range",
        ));
    };
    if first_dim != -1 || spec.shape[1..].contains(&-1) {
        let which = match name {
            Some(n) if !n.is_empty() => format!("input {n}"),
            _ => "the unnamed input".to_string(),
        };
        return Err(with_name(EnforceError::new(
            ErrorKind::ShapeMismatch,
            format!(
                "For pandas dataframe input, the first dimension of shape must be a variable \
                 dimension and other dimensions must be fixed, but in model signature the shape \
                 of {which} is {}.",
                shape_repr(&spec.shape)
            ),
        )));
    }
    let rows = array.len();
    if rows == 0 {
        // `pd_series[0]` on an empty column.
        return Err(EnforceError::raw(ErrorKind::Other, "KeyError", "0"));
    }
    let dtype_text = spec_dtype_text(spec.dtype);
    match first_cell(field, array)? {
        FirstCell::Scalar => {
            let two_d = spec.shape == [-1, 1];
            if spec.shape != [-1] && !two_d {
                return Err(EnforceError::new(
                    ErrorKind::ShapeMismatch,
                    format!(
                        "The input pandas dataframe column '{label}' contains scalar values, \
                         which requires the shape to be (-1,) or (-1, 1), but got tensor spec \
                         shape of {}.",
                        shape_repr(&spec.shape)
                    ),
                )
                .column(label));
            }
            let mut source = column_tensor(field, array);
            let info = table::dtype_info(field, array.as_ref());
            if info.kind == 'f' && info.is_nullable_extension() && array.null_count() > 0 {
                // A nullable float column holds pd.NA, not NaN.
                if spec.dtype.is_int() || spec.dtype == NumpyDtype::Bool {
                    return Err(EnforceError::raw(
                        ErrorKind::IncompatibleType,
                        "ValueError",
                        format!(
                            "cannot convert to '{}'-dtype NumPy array with missing values. \
                             Specify an appropriate 'na_value' for this dtype.",
                            spec.dtype
                        ),
                    ));
                }
                if spec.dtype == NumpyDtype::Object {
                    source = Tensor {
                        dtype: NumpyDtype::Object,
                        shape: vec![rows],
                        data: TensorData::Object(table::object_values(field, array.as_ref())),
                    };
                }
            }
            let data = cast::astype(&source, spec.dtype, compat)
                .map_err(|f| cast_error(f, name, 1, spec.dtype))?;
            Ok(Tensor {
                dtype: spec.dtype,
                shape: if two_d { vec![rows, 1] } else { vec![rows] },
                data,
            })
        }
        FirstCell::List => {
            let reshape_error = || {
                cell_shape_error(
                    label,
                    spec,
                    &format!(
                        "list elements are of uniform length and that the data can be coerced to \
                         the tensor type '{dtype_text}'"
                    ),
                )
            };
            let reshaped = match stack::stack_exact(array, spec.dtype) {
                Some(t) => reshape(t, spec).ok_or_else(reshape_error)?,
                None => stack_and_reshape(field, array, spec, name, &reshape_error)?,
            };
            let per_row = reshaped.len() / rows.max(1);
            let data = cast::astype(&reshaped, spec.dtype, compat).map_err(|f| {
                if f.is_value_error() {
                    reshape_error()
                } else {
                    cast_error(f, name, per_row, spec.dtype)
                }
            })?;
            if reshaped.shape[0] != rows {
                return Err(reshape_error());
            }
            Ok(Tensor {
                dtype: spec.dtype,
                shape: reshaped.shape,
                data,
            })
        }
        FirstCell::Ndarray => {
            let reshape_error = || {
                cell_shape_error(
                    label,
                    spec,
                    "numpy array elements are of uniform length and can be reshaped to above \
                     expected shape.",
                )
            };
            let reshaped = stack_and_reshape(field, array, spec, name, &reshape_error)?;
            if reshaped.shape[0] != rows {
                return Err(reshape_error());
            }
            // MLflow keeps the arrays' own dtype unchecked; strict mode checks it as for a bare
            // ndarray.
            if compat == Compat::Strict {
                check::enforce_spec(&reshaped, spec, compat).map_err(with_name)?;
            }
            Ok(reshaped)
        }
        FirstCell::Other => Err(EnforceError::new(
            ErrorKind::IncompatibleType,
            "Because the model signature requires tensor spec input, the input pandas dataframe \
             values should be either scalar value, python list containing scalar values or numpy \
             array containing scalar values, other types are not supported.",
        )),
    }
}
