//! MLflow types → JSON Schema: scalar and composite column types, column cells, numpy tensors
//! and the inference params object.

use super::builders::{array_of, described, obj, s, set, strs};
use signet::types::{
    ColSpec, ColType, DataType, NumpyDtype, ObjectType, ParamShape, ParamSpec, ParamType,
    TensorSpec,
};
use signet::Value;

/// A scalar MLflow type.
fn data_type(t: DataType) -> Value {
    match t {
        DataType::Boolean => obj([("type", s("boolean"))]),
        DataType::Integer => obj([
            ("type", s("integer")),
            ("format", s("int32")),
            ("minimum", Value::Int(i32::MIN.into())),
            ("maximum", Value::Int(i32::MAX.into())),
        ]),
        DataType::Long => obj([
            ("type", s("integer")),
            ("format", s("int64")),
            ("minimum", Value::Int(i64::MIN.into())),
            ("maximum", Value::Int(i64::MAX.into())),
        ]),
        DataType::Float => obj([("type", s("number")), ("format", s("float"))]),
        DataType::Double => obj([("type", s("number")), ("format", s("double"))]),
        DataType::String => obj([("type", s("string"))]),
        DataType::Binary => obj([("type", s("string")), ("contentEncoding", s("base64"))]),
        DataType::Datetime => obj([("type", s("string")), ("format", s("date-time"))]),
    }
}

/// A column type (scalar or composite).
fn col_type(t: &ColType) -> Value {
    match t {
        ColType::Scalar(d) => data_type(*d),
        ColType::Array(item) => array_of(col_type(item)),
        ColType::Object(o) => object_type(o),
        ColType::Map(v) => obj([("type", s("object")), ("additionalProperties", col_type(v))]),
        ColType::Any => obj([("description", s("AnyType: any value."))]),
        ColType::SparkMLVector => described(
            array_of(data_type(DataType::Double)),
            "SparkML vector (an array of doubles).",
        ),
    }
}

/// An Object type: its properties (optional ones may be null), the required ones listed, no
/// other keys (MLflow refuses properties not in the schema).
fn object_type(o: &ObjectType) -> Value {
    let props = o.properties().iter().map(|p| {
        let ty = col_type(&p.ty);
        let ty = if p.required.is_required() {
            ty
        } else {
            nullable(ty)
        };
        (p.name.clone(), ty)
    });
    let required: Vec<&str> = o
        .properties()
        .iter()
        .filter(|p| p.required.is_required())
        .map(|p| p.name.as_str())
        .collect();
    let mut out = obj([("type", s("object")), ("properties", Value::dict(props))]);
    if !required.is_empty() {
        set(&mut out, "required", strs(required));
    }
    set(&mut out, "additionalProperties", Value::Bool(false));
    out
}

/// `schema` or `null`.
fn nullable(mut schema: Value) -> Value {
    match schema.get("type") {
        Some(Value::Str(t)) => {
            let t = t.clone();
            set(&mut schema, "type", strs([t, "null".to_string()]));
            schema
        }
        _ if schema.get("$ref").is_some() || schema.get("anyOf").is_some() => obj([(
            "anyOf",
            Value::List(vec![schema, obj([("type", s("null"))])]),
        )]),
        // No `type`: already admits null.
        _ => schema,
    }
}

/// A column's cell: its type, or null too when the column is optional.
pub(super) fn cell(c: &ColSpec) -> Value {
    let t = col_type(&c.ty);
    if c.is_required() {
        t
    } else {
        nullable(t)
    }
}

/// The element of a tensor of this dtype.
pub(super) fn tensor_elem(d: NumpyDtype) -> Value {
    let int = |format: Option<&str>, min: i128, max: i128| {
        let mut v = obj([("type", s("integer"))]);
        if let Some(f) = format {
            set(&mut v, "format", s(f));
        }
        set(&mut v, "minimum", Value::Int(min));
        set(&mut v, "maximum", Value::Int(max));
        v
    };
    match d {
        NumpyDtype::Bool => obj([("type", s("boolean"))]),
        NumpyDtype::Int8 => int(None, i8::MIN.into(), i8::MAX.into()),
        NumpyDtype::Int16 => int(None, i16::MIN.into(), i16::MAX.into()),
        NumpyDtype::Int32 => int(Some("int32"), i32::MIN.into(), i32::MAX.into()),
        NumpyDtype::Int64 => int(Some("int64"), i64::MIN.into(), i64::MAX.into()),
        NumpyDtype::UInt8 => int(None, 0, u8::MAX.into()),
        NumpyDtype::UInt16 => int(None, 0, u16::MAX.into()),
        NumpyDtype::UInt32 => int(None, 0, u32::MAX.into()),
        NumpyDtype::UInt64 => int(None, 0, u64::MAX.into()),
        NumpyDtype::Float16 => obj([("type", s("number"))]),
        NumpyDtype::Float32 => obj([("type", s("number")), ("format", s("float"))]),
        NumpyDtype::Float64 => obj([("type", s("number")), ("format", s("double"))]),
        NumpyDtype::Str | NumpyDtype::Bytes => obj([("type", s("string"))]),
        NumpyDtype::Datetime64(_) => obj([("type", s("string")), ("format", s("date-time"))]),
        NumpyDtype::Timedelta64(_) => obj([("type", s("integer"))]),
        NumpyDtype::Complex64 | NumpyDtype::Complex128 | NumpyDtype::Object => {
            obj([("description", s(format!("numpy {}", d.name())))])
        }
    }
}

/// Nested arrays of `elem` with these dimensions (`-1`: any length).
fn nested(elem: Value, dims: &[i64]) -> Value {
    dims.iter().rev().fold(elem, |inner, &d| {
        let mut a = array_of(inner);
        if d >= 0 {
            set(&mut a, "minItems", Value::Int(d.into()));
            set(&mut a, "maxItems", Value::Int(d.into()));
        }
        a
    })
}

/// A whole tensor.
pub(super) fn tensor(t: &TensorSpec) -> Value {
    described(
        nested(tensor_elem(t.dtype), &t.shape),
        format!(
            "{} tensor of shape {}",
            t.dtype.name(),
            shape_text(&t.shape)
        ),
    )
}

/// One row of a tensor (the first dimension dropped): what a table cell or an `instances`
/// record holds.
pub(super) fn tensor_row(t: &TensorSpec) -> Value {
    nested(tensor_elem(t.dtype), t.shape.get(1..).unwrap_or(&[]))
}

/// A tensor shape as MLflow prints it (`(-1, 28, 28)`).
pub(super) fn shape_text(shape: &[i64]) -> String {
    signet::repr::shape_repr(shape)
}

/// A JSON-safe copy of a default (no NaN / infinities, which JSON cannot hold).
fn json_safe(v: &Value) -> Option<Value> {
    finite(v).then(|| v.clone())
}

/// Whether `v` holds no NaN or infinity (and no array, which a default never is).
fn finite(v: &Value) -> bool {
    match v {
        Value::Float(f) => f.is_finite(),
        Value::Numpy(_, inner) => finite(inner),
        Value::List(items) | Value::Tuple(items) => items.iter().all(finite),
        Value::Dict(items) => items.iter().all(|(_, x)| finite(x)),
        Value::Ndarray(_) => false,
        _ => true,
    }
}

/// The params object: one property per ParamSpec (type, default, `shape: (-1,)` → array).
pub(super) fn params_schema(params: Option<&[ParamSpec]>) -> Value {
    let Some(params) = params else {
        return obj([
            ("type", s("object")),
            (
                "description",
                s("Inference parameters. The model's signature declares none: they are dropped (with a warning)."),
            ),
        ]);
    };
    let props = params.iter().map(|p| {
        let elem = match p.dtype() {
            ParamType::Scalar(d) => data_type(*d),
            ParamType::Object(o) => object_type(o),
        };
        let mut schema = match p.shape() {
            ParamShape::Scalar => elem,
            ParamShape::List => array_of(elem),
        };
        if let Some(d) = json_safe(p.default()) {
            set(&mut schema, "default", d);
        }
        set(
            &mut schema,
            "description",
            s(signet::repr::param_spec_repr(p)),
        );
        (p.name().to_string(), schema)
    });
    obj([
        ("type", s("object")),
        (
            "description",
            s("Inference parameters; absent ones take their default, unknown ones are ignored (with a warning)."),
        ),
        ("properties", Value::dict(props)),
    ])
}
