//! signet's numpy arrays and DataFrames ↔ tract tensors.

use crate::error::OnnxError;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float16Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type,
    UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, ArrowPrimitiveType, BooleanArray, PrimitiveArray, RecordBatch, StringArray,
};
use arrow_buffer::{Buffer, ScalarBuffer};
use arrow_schema::{DataType as ArrowType, Field};
use signet::table::dtype_info;
use signet::{NumpyDtype, Tensor as NdArray, TensorData, Value};
use std::sync::Arc;
use tract_onnx::prelude::{f16, tract_ndarray, Datum, DatumType, Tensor};

fn unsupported(what: impl std::fmt::Display) -> OnnxError {
    OnnxError::invalid(
        "TypeError",
        format!("ONNX models cannot take {what} as input"),
    )
}

fn shaped<T: Datum>(shape: &[usize], data: Vec<T>) -> Result<Tensor, OnnxError> {
    tract_ndarray::ArrayD::from_shape_vec(tract_ndarray::IxDyn(shape), data)
        .map(Tensor::from)
        .map_err(|e| OnnxError::invalid("ValueError", format!("bad array shape: {e}")))
}

fn floats<T>(a: &dyn Array, nan: T::Native) -> Vec<T::Native>
where
    T: ArrowPrimitiveType,
{
    let a = a.as_primitive::<T>();
    if a.null_count() == 0 {
        a.values().to_vec()
    } else {
        a.iter().map(|v| v.unwrap_or(nan)).collect()
    }
}

fn ints<T>(a: &dyn Array) -> Result<Vec<T::Native>, OnnxError>
where
    T: ArrowPrimitiveType,
{
    if a.null_count() > 0 {
        return Err(unsupported("missing values in an integer array"));
    }
    Ok(a.as_primitive::<T>().values().to_vec())
}

/// A flat Arrow array (C order) as a tract tensor of the given shape; float nulls become NaN.
pub(crate) fn arrow_to_tract(a: &dyn Array, shape: &[usize]) -> Result<Tensor, OnnxError> {
    let expected: usize = shape.iter().product();
    if a.len() != expected {
        return Err(OnnxError::invalid(
            "ValueError",
            format!("array of {} elements cannot have shape {shape:?}", a.len()),
        ));
    }
    match a.data_type() {
        ArrowType::Float32 => shaped(shape, floats::<Float32Type>(a, f32::NAN)),
        ArrowType::Float64 => shaped(shape, floats::<Float64Type>(a, f64::NAN)),
        ArrowType::Float16 => {
            let p = a.as_primitive::<Float16Type>();
            let v = (0..p.len())
                .map(|i| {
                    if p.is_null(i) {
                        f16::NAN
                    } else {
                        f16::from_bits(p.value(i).to_bits())
                    }
                })
                .collect();
            shaped(shape, v)
        }
        ArrowType::Int8 => shaped(shape, ints::<Int8Type>(a)?),
        ArrowType::Int16 => shaped(shape, ints::<Int16Type>(a)?),
        ArrowType::Int32 => shaped(shape, ints::<Int32Type>(a)?),
        ArrowType::Int64 => shaped(shape, ints::<Int64Type>(a)?),
        ArrowType::UInt8 => shaped(shape, ints::<UInt8Type>(a)?),
        ArrowType::UInt16 => shaped(shape, ints::<UInt16Type>(a)?),
        ArrowType::UInt32 => shaped(shape, ints::<UInt32Type>(a)?),
        ArrowType::UInt64 => shaped(shape, ints::<UInt64Type>(a)?),
        ArrowType::Boolean => {
            if a.null_count() > 0 {
                return Err(unsupported("missing values in a bool array"));
            }
            let b = a.as_boolean();
            shaped(
                shape,
                (0..b.len()).map(|i| b.value(i)).collect::<Vec<bool>>(),
            )
        }
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View => {
            if a.null_count() > 0 {
                return Err(unsupported("missing values in a string array"));
            }
            let utf8 = arrow_cast::cast(a, &ArrowType::Utf8)
                .map_err(|e| OnnxError::invalid("ValueError", e.to_string()))?;
            let v: Vec<String> = (utf8.as_string::<i32>().iter().flatten())
                .map(String::from)
                .collect();
            shaped(shape, v)
        }
        other => Err(unsupported(format!("arrays of Arrow type {other}"))),
    }
}

/// The values of an object array when every one is a `str`.
fn all_strings(values: &[Value]) -> Option<Vec<&str>> {
    values
        .iter()
        .map(|v| match v {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        })
        .collect()
}

/// A numpy array as a tract tensor, with the numpy dtype onnxruntime would see.
pub(crate) fn ndarray_to_tract(t: &NdArray) -> Result<(NumpyDtype, Tensor), OnnxError> {
    match &t.data {
        TensorData::Arrow(a) => Ok((t.dtype, arrow_to_tract(a.as_ref(), &t.shape)?)),
        TensorData::Object(values) => match all_strings(values) {
            Some(s) if s.len() == t.len() => {
                let s: Vec<String> = s.into_iter().map(str::to_string).collect();
                Ok((NumpyDtype::Object, shaped(&t.shape, s)?))
            }
            Some(_) => Err(OnnxError::invalid(
                "ValueError",
                format!(
                    "array of {} elements cannot have shape {:?}",
                    values.len(),
                    t.shape
                ),
            )),
            None => Err(unsupported("object arrays holding non-string values")),
        },
    }
}

/// onnxruntime's name for the tensor type of a numpy dtype (`tensor(double)` for float64):
/// numpy's name except for the floats and strings.
pub(crate) fn ort_type_of(dtype: NumpyDtype) -> String {
    match dtype {
        NumpyDtype::Float32 => "tensor(float)".into(),
        NumpyDtype::Float64 => "tensor(double)".into(),
        NumpyDtype::Str | NumpyDtype::Object => "tensor(string)".into(),
        other => format!("tensor({other})"),
    }
}

/// The numpy dtype of a tract element type.
fn numpy_of(dt: DatumType) -> Option<NumpyDtype> {
    Some(match dt {
        DatumType::Bool => NumpyDtype::Bool,
        DatumType::U8 => NumpyDtype::UInt8,
        DatumType::U16 => NumpyDtype::UInt16,
        DatumType::U32 => NumpyDtype::UInt32,
        DatumType::U64 => NumpyDtype::UInt64,
        DatumType::I8 => NumpyDtype::Int8,
        DatumType::I16 => NumpyDtype::Int16,
        DatumType::I32 => NumpyDtype::Int32,
        DatumType::I64 | DatumType::TDim => NumpyDtype::Int64,
        DatumType::F16 => NumpyDtype::Float16,
        DatumType::F32 => NumpyDtype::Float32,
        DatumType::F64 => NumpyDtype::Float64,
        DatumType::String => NumpyDtype::Object,
        _ => return None,
    })
}

fn prim<T: ArrowPrimitiveType>(v: &[T::Native]) -> ArrayRef {
    Arc::new(PrimitiveArray::<T>::new(
        ScalarBuffer::from(v.to_vec()),
        None,
    ))
}

fn run_err(e: impl std::fmt::Display) -> OnnxError {
    OnnxError::Run(e.to_string())
}

/// A tract output as a numpy array (strings as an `object` array of `str`, as onnxruntime
/// returns them).
pub(crate) fn tract_to_ndarray(t: &Tensor) -> Result<NdArray, OnnxError> {
    let dt = t.datum_type();
    let dtype = numpy_of(dt).ok_or_else(|| {
        OnnxError::Run(format!(
            "the model produced a tensor of unsupported type {dt:?}"
        ))
    })?;
    let shape = t.shape().to_vec();
    let view = t.try_as_plain_ram().map_err(run_err)?;
    macro_rules! p {
        ($native:ty, $arrow:ty) => {
            prim::<$arrow>(view.as_slice::<$native>().map_err(run_err)?)
        };
    }
    let array: ArrayRef = match dt {
        DatumType::F32 => p!(f32, Float32Type),
        DatumType::F64 => p!(f64, Float64Type),
        DatumType::I8 => p!(i8, Int8Type),
        DatumType::I16 => p!(i16, Int16Type),
        DatumType::I32 => p!(i32, Int32Type),
        DatumType::I64 => p!(i64, Int64Type),
        DatumType::U8 => p!(u8, UInt8Type),
        DatumType::U16 => p!(u16, UInt16Type),
        DatumType::U32 => p!(u32, UInt32Type),
        DatumType::U64 => p!(u64, UInt64Type),
        DatumType::F16 => {
            let bits: Vec<u16> = view
                .as_slice::<f16>()
                .map_err(run_err)?
                .iter()
                .map(|v| v.to_bits())
                .collect();
            let n = bits.len();
            Arc::new(PrimitiveArray::<Float16Type>::new(
                ScalarBuffer::new(Buffer::from_vec(bits), 0, n),
                None,
            ))
        }
        DatumType::Bool => Arc::new(BooleanArray::from(
            view.as_slice::<bool>().map_err(run_err)?.to_vec(),
        )),
        DatumType::TDim => {
            let cast = t.cast_to::<i64>().map_err(run_err)?;
            let v = cast.try_as_plain_ram().map_err(run_err)?;
            prim::<Int64Type>(v.as_slice::<i64>().map_err(run_err)?)
        }
        DatumType::String => {
            let s = view.as_slice::<String>().map_err(run_err)?;
            return Ok(NdArray {
                dtype,
                shape,
                data: TensorData::Object(s.iter().map(|s| Value::Str(s.clone())).collect()),
            });
        }
        _ => return Err(OnnxError::Run(format!("unsupported output type {dt:?}"))),
    };
    Ok(NdArray {
        dtype,
        shape,
        data: TensorData::Arrow(array),
    })
}

/// A numpy array's elements as one flat Arrow column named `name`: object arrays of `str`
/// become Utf8, object arrays of other values (ZipMap's dicts) an `object` column
/// ([`signet::table::object_column`]).
pub(crate) fn flat_column(name: &str, t: &NdArray) -> Result<(Field, ArrayRef), OnnxError> {
    let column = match &t.data {
        TensorData::Arrow(a) => a.clone(),
        TensorData::Object(values) => match all_strings(values) {
            Some(s) => Arc::new(StringArray::from(s)) as ArrayRef,
            None => return Ok(signet::table::object_column(name, values)),
        },
    };
    let field = Field::new(name, column.data_type().clone(), column.null_count() > 0);
    Ok((field, column))
}

/// The dtype of `DataFrame.values` for columns of dtypes `a` and `b` (pandas'
/// `find_common_type`): numpy's promotion for numbers, but bool mixed with anything else gives
/// an object array (`None`, as does any non-numeric mix).
pub(crate) fn promote(a: NumpyDtype, b: NumpyDtype) -> Option<NumpyDtype> {
    if a != b && (a == NumpyDtype::Bool || b == NumpyDtype::Bool) {
        return None;
    }
    signet::numpy::promote_types(a, b)
}

fn parse_numpy(name: &str) -> Option<NumpyDtype> {
    NumpyDtype::parse(name)
        .ok()
        .filter(|d| matches!(d.kind(), 'b' | 'i' | 'u' | 'f'))
}

/// The numpy dtype of one DataFrame column's `.values`, or `None` when pandas would give an
/// object array ONNX cannot take (strings give `Object`).
fn column_dtype(field: &arrow_schema::Field, a: &dyn Array) -> Result<NumpyDtype, OnnxError> {
    let info = dtype_info(field, a);
    if info.is_nullable_extension() {
        // Nullable dtypes: `to_numpy()` gives the numpy dtype, float64 (ints with NA) or object
        // (booleans with NA).
        let lower = info.name.to_ascii_lowercase();
        let base = if lower == "boolean" {
            "bool".to_string()
        } else {
            lower
        };
        let d = parse_numpy(&base).ok_or_else(|| unsupported(format!("{} columns", info.name)))?;
        return Ok(if a.null_count() == 0 {
            d
        } else if d == NumpyDtype::Bool {
            return Err(unsupported("boolean columns with missing values"));
        } else if matches!(d, NumpyDtype::Float32 | NumpyDtype::Float16) {
            d
        } else {
            NumpyDtype::Float64
        });
    }
    match info.name.as_str() {
        "str" | "string" | "object"
            if matches!(
                a.data_type(),
                ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View
            ) =>
        {
            Ok(NumpyDtype::Object)
        }
        name => parse_numpy(name).ok_or_else(|| unsupported(format!("{name} columns"))),
    }
}

/// A column converted to `dtype` as a flat Arrow array.
fn column_as(a: &ArrayRef, dtype: NumpyDtype) -> Result<ArrayRef, OnnxError> {
    let target = match dtype {
        NumpyDtype::Bool => ArrowType::Boolean,
        NumpyDtype::Int8 => ArrowType::Int8,
        NumpyDtype::Int16 => ArrowType::Int16,
        NumpyDtype::Int32 => ArrowType::Int32,
        NumpyDtype::Int64 => ArrowType::Int64,
        NumpyDtype::UInt8 => ArrowType::UInt8,
        NumpyDtype::UInt16 => ArrowType::UInt16,
        NumpyDtype::UInt32 => ArrowType::UInt32,
        NumpyDtype::UInt64 => ArrowType::UInt64,
        NumpyDtype::Float16 => ArrowType::Float16,
        NumpyDtype::Float32 => ArrowType::Float32,
        NumpyDtype::Float64 => ArrowType::Float64,
        _ => return Ok(a.clone()),
    };
    if a.data_type() == &target {
        return Ok(a.clone());
    }
    arrow_cast::cast(a, &target).map_err(|e| OnnxError::invalid("ValueError", e.to_string()))
}

/// One DataFrame column's `.values` (a 1-D array).
pub(crate) fn column_values(
    batch: &RecordBatch,
    index: usize,
) -> Result<(NumpyDtype, Tensor), OnnxError> {
    let schema = batch.schema();
    let field = schema.field(index);
    let a = batch.column(index);
    let dtype = column_dtype(field, a.as_ref())?;
    let a = column_as(a, dtype)?;
    Ok((dtype, arrow_to_tract(a.as_ref(), &[a.len()])?))
}

/// `DataFrame.values`: the columns' common dtype, rows × columns in C order.
pub(crate) fn frame_values(batch: &RecordBatch) -> Result<(NumpyDtype, Tensor), OnnxError> {
    let schema = batch.schema();
    let rows = batch.num_rows();
    let cols = batch.num_columns();
    let mut dtypes = Vec::with_capacity(cols);
    for (f, a) in schema.fields().iter().zip(batch.columns()) {
        dtypes.push(column_dtype(f, a.as_ref())?);
    }
    let infos: Vec<_> = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(f, a)| dtype_info(f, a.as_ref()))
        .collect();
    let same_pandas_dtype = infos.windows(2).all(|w| w[0].name == w[1].name);
    if !same_pandas_dtype && infos.iter().any(|i| i.is_nullable_extension()) {
        // pandas gives an object array for nullable dtypes mixed with anything else.
        return Err(unsupported(
            "DataFrames mixing nullable and other column dtypes",
        ));
    }
    let mut common = dtypes.first().copied().unwrap_or(NumpyDtype::Float64);
    for d in dtypes.iter().skip(1) {
        common = promote(common, *d).ok_or_else(|| {
            unsupported(format!(
                "DataFrames mixing {common} and {d} columns (their values form an object array)"
            ))
        })?;
    }
    if cols == 0 {
        return Ok((common, shaped::<f64>(&[rows, 0], vec![])?));
    }
    // Row-major interleave of the converted columns.
    let converted: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .map(|a| column_as(a, common))
        .collect::<Result<_, _>>()?;
    let tensors: Vec<Tensor> = converted
        .iter()
        .map(|a| arrow_to_tract(a.as_ref(), &[rows, 1]))
        .collect::<Result<_, _>>()?;
    let refs: Vec<&Tensor> = tensors.iter().collect();
    let t = Tensor::stack_tensors(1, &refs)
        .map_err(|e| OnnxError::invalid("ValueError", e.to_string()))?;
    Ok((common, t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{BooleanArray, Float32Array, Int32Array, Int64Array, UInt64Array};

    fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
        RecordBatch::try_from_iter(cols).unwrap()
    }

    #[test]
    fn numpy_promotion() {
        use NumpyDtype::*;
        for (a, b, want) in [
            (Int32, Float32, Some(Float64)),
            (Int8, Float16, Some(Float16)),
            (Int16, Float16, Some(Float32)),
            (UInt64, Int64, Some(Float64)),
            (UInt8, Int8, Some(Int16)),
            (UInt32, Int64, Some(Int64)),
            (Float32, Float64, Some(Float64)),
            (Bool, Int64, None),
            (Bool, Bool, Some(Bool)),
            (Object, Object, Some(Object)),
            (Object, Float64, None),
        ] {
            assert_eq!(promote(a, b), want, "{a} + {b}");
        }
    }

    #[test]
    fn frame_values_interleave_rows_in_the_common_dtype() {
        let b = batch(vec![
            ("a", Arc::new(Int32Array::from(vec![1, 2]))),
            ("b", Arc::new(Float32Array::from(vec![0.5, 1.5]))),
        ]);
        let (dtype, t) = frame_values(&b).unwrap();
        assert_eq!(dtype, NumpyDtype::Float64);
        assert_eq!(t.shape(), &[2, 2]);
        let v = t.try_as_plain_ram().unwrap();
        assert_eq!(v.as_slice::<f64>().unwrap(), &[1.0, 0.5, 2.0, 1.5]);
    }

    #[test]
    fn frame_values_of_strings_are_a_string_tensor() {
        let b = batch(vec![
            ("a", Arc::new(StringArray::from(vec!["x", "y"]))),
            ("b", Arc::new(StringArray::from(vec!["z", "w"]))),
        ]);
        let (dtype, t) = frame_values(&b).unwrap();
        assert_eq!(dtype, NumpyDtype::Object);
        let v = t.try_as_plain_ram().unwrap();
        assert_eq!(v.as_slice::<String>().unwrap(), &["x", "z", "y", "w"]);
    }

    #[test]
    fn nullable_ints_with_missing_values_become_float64_nan() {
        let b = batch(vec![("a", Arc::new(Int64Array::from(vec![Some(1), None])))]);
        let (dtype, t) = frame_values(&b).unwrap();
        assert_eq!(dtype, NumpyDtype::Float64);
        let v = t.try_as_plain_ram().unwrap();
        let v = v.as_slice::<f64>().unwrap();
        assert_eq!(v[0], 1.0);
        assert!(v[1].is_nan());
    }

    #[test]
    fn object_frames_are_refused() {
        for b in [
            batch(vec![
                ("a", Arc::new(BooleanArray::from(vec![true]))),
                ("b", Arc::new(Int64Array::from(vec![1]))),
            ]),
            batch(vec![
                ("a", Arc::new(StringArray::from(vec!["x"]))),
                ("b", Arc::new(UInt64Array::from(vec![1]))),
            ]),
            batch(vec![
                ("a", Arc::new(Int64Array::from(vec![Some(1)]))),
                ("b", Arc::new(Int64Array::from(vec![None]))),
                ("c", Arc::new(Float32Array::from(vec![1.0]))),
            ]),
        ] {
            let err = frame_values(&b).unwrap_err();
            assert!(
                matches!(
                    err,
                    OnnxError::InvalidInput {
                        exception: "TypeError",
                        ..
                    }
                ),
                "{err:?}"
            );
        }
    }

    #[test]
    fn outputs_round_trip_to_numpy_arrays() {
        let t = Tensor::from_shape(&[2, 1], &[1.5f32, -2.0]).unwrap();
        let a = tract_to_ndarray(&t).unwrap();
        assert_eq!(a.dtype, NumpyDtype::Float32);
        assert_eq!(a.shape, vec![2, 1]);
        let (dtype, back) = ndarray_to_tract(&a).unwrap();
        assert_eq!(dtype, NumpyDtype::Float32);
        assert_eq!(back, t);
        let s: Tensor = tract_ndarray::arr1(&["a".to_string(), "b".to_string()])
            .into_dyn()
            .into();
        let a = tract_to_ndarray(&s).unwrap();
        assert_eq!(a.dtype, NumpyDtype::Object);
        assert_eq!(
            a.data,
            TensorData::Object(vec![Value::Str("a".into()), Value::Str("b".into())])
        );
        assert_eq!(ort_type_of(NumpyDtype::Float64), "tensor(double)");
    }

    #[test]
    fn ort_type_names_are_numpy_names_but_for_floats_and_strings() {
        for (dtype, want) in [
            (NumpyDtype::Float32, "tensor(float)"),
            (NumpyDtype::Float64, "tensor(double)"),
            (NumpyDtype::Float16, "tensor(float16)"),
            (NumpyDtype::Bool, "tensor(bool)"),
            (NumpyDtype::Int8, "tensor(int8)"),
            (NumpyDtype::UInt64, "tensor(uint64)"),
            (NumpyDtype::Complex128, "tensor(complex128)"),
            (NumpyDtype::Str, "tensor(string)"),
            (NumpyDtype::Object, "tensor(string)"),
        ] {
            assert_eq!(ort_type_of(dtype), want, "{dtype:?}");
        }
    }
}
