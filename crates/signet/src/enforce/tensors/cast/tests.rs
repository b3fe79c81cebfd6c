use super::objects::{parse_py_float, parse_py_int};
use super::{cast_numeric, cast_values, CastFailure, FRACTION};
use crate::enforce::Compat;
use crate::input::TensorData;
use crate::types::NumpyDtype;
use crate::value::Value;
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{ArrayRef, Float64Array, Int64Array};
use std::sync::Arc;

fn f64s(v: &[f64]) -> ArrayRef {
    Arc::new(Float64Array::from(v.to_vec()))
}

#[test]
fn numpy_garbage_in_mlflow_mode() {
    let a = f64s(&[1.5, f64::NAN, 300.0, -1.0]);
    let out = cast_numeric(&a, NumpyDtype::Float64, NumpyDtype::Int8, Compat::Mlflow).unwrap();
    let out = out.as_primitive::<arrow_array::types::Int8Type>();
    assert_eq!(out.values().to_vec(), vec![1, 0, 44, -1]);
    let out = cast_numeric(&a, NumpyDtype::Float64, NumpyDtype::Int64, Compat::Mlflow).unwrap();
    let out = out.as_primitive::<Int64Type>();
    assert_eq!(out.values().to_vec(), vec![1, i64::MIN, 300, -1]);
    let out = cast_numeric(&a, NumpyDtype::Float64, NumpyDtype::UInt8, Compat::Mlflow).unwrap();
    let out = out.as_primitive::<arrow_array::types::UInt8Type>();
    assert_eq!(out.values().to_vec(), vec![1, 0, 44, 255]);
    let out = cast_numeric(&a, NumpyDtype::Float64, NumpyDtype::Bool, Compat::Mlflow).unwrap();
    assert_eq!(
        out.as_boolean().values().iter().collect::<Vec<_>>(),
        vec![true; 4]
    );
}

#[test]
fn strict_refuses_lossy_numbers() {
    let a = f64s(&[1.0, 1.5]);
    let err = cast_numeric(&a, NumpyDtype::Float64, NumpyDtype::Int64, Compat::Strict).unwrap_err();
    assert_eq!(
        err,
        CastFailure::Lossy {
            index: 1,
            value: "1.5".into(),
            reason: FRACTION
        }
    );
    let ints: ArrayRef = Arc::new(Int64Array::from(vec![1, 300]));
    assert!(cast_numeric(&ints, NumpyDtype::Int64, NumpyDtype::Int8, Compat::Strict).is_err());
    assert!(cast_numeric(
        &ints,
        NumpyDtype::Int64,
        NumpyDtype::Float32,
        Compat::Strict
    )
    .is_ok());
    let big: ArrayRef = Arc::new(Int64Array::from(vec![16_777_217]));
    assert!(cast_numeric(&big, NumpyDtype::Int64, NumpyDtype::Float32, Compat::Strict).is_err());
    let wide = f64s(&[1e300]);
    assert!(cast_numeric(
        &wide,
        NumpyDtype::Float64,
        NumpyDtype::Float32,
        Compat::Strict
    )
    .is_err());
    assert!(cast_numeric(
        &wide,
        NumpyDtype::Float64,
        NumpyDtype::Float32,
        Compat::Mlflow
    )
    .is_ok());
}

#[test]
fn python_object_rules() {
    let vals = vec![Value::str(" 1_0 "), Value::Int(2), Value::Bool(true)];
    let TensorData::Arrow(a) = cast_values(&vals, NumpyDtype::Int64, Compat::Mlflow).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        a.as_primitive::<Int64Type>().values().to_vec(),
        vec![10, 2, 1]
    );
    let err = cast_values(&[Value::str("1.5")], NumpyDtype::Int64, Compat::Mlflow).unwrap_err();
    assert_eq!(
        err,
        CastFailure::raw(
            "ValueError",
            "invalid literal for int() with base 10: '1.5'"
        )
    );
    let err = cast_values(&[Value::str("abc")], NumpyDtype::Float32, Compat::Mlflow).unwrap_err();
    assert_eq!(
        err,
        CastFailure::raw("ValueError", "could not convert string to float: 'abc'")
    );
    let err = cast_values(&[Value::None], NumpyDtype::Int64, Compat::Mlflow).unwrap_err();
    assert!(matches!(
        err,
        CastFailure::Raw {
            exception: "TypeError",
            ..
        }
    ));
    let err = cast_values(&[Value::Int(300)], NumpyDtype::Int8, Compat::Mlflow).unwrap_err();
    assert_eq!(
        err,
        CastFailure::raw("OverflowError", "Python integer 300 out of bounds for int8")
    );
    // Truthiness: "abc" and "0" are True for numpy, refused in strict mode.
    let TensorData::Arrow(a) = cast_values(
        &[Value::str("0"), Value::str("")],
        NumpyDtype::Bool,
        Compat::Mlflow,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(
        a.as_boolean().values().iter().collect::<Vec<_>>(),
        vec![true, false]
    );
    assert!(cast_values(&[Value::str("0")], NumpyDtype::Bool, Compat::Strict).is_err());
    // None becomes the text 'None' (refused in strict mode).
    let TensorData::Arrow(a) = cast_values(
        &[Value::None, Value::Float(1.5)],
        NumpyDtype::Str,
        Compat::Mlflow,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(a.as_string::<i32>().value(0), "None");
    assert_eq!(a.as_string::<i32>().value(1), "1.5");
    assert!(cast_values(&[Value::None], NumpyDtype::Str, Compat::Strict).is_err());
    assert_eq!(
        cast_values(&[Value::str("é")], NumpyDtype::Bytes, Compat::Mlflow).unwrap_err(),
        CastFailure::raw(
            "UnicodeEncodeError",
            "'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)"
        )
    );
    assert_eq!(parse_py_float("1_0.5"), Some(10.5));
    assert_eq!(parse_py_float("-Infinity"), Some(f64::NEG_INFINITY));
    assert_eq!(parse_py_float("1__0"), None);
    assert_eq!(parse_py_int("+3"), Some(3));
    assert_eq!(parse_py_int("1.0"), None);
}
