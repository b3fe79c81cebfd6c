//! Serialisation: every piece of a signature to the Python value MLflow's `to_dict()` builds,
//! and to the JSON text `json.dumps` makes of it.

use crate::pyjson::dumps;
use crate::types::{
    ColSpec, ColType, ColumnName, ObjectType, ParamSchema, ParamShape, ParamSpec, ParamType,
    Property, Required, Schema, SchemaKind, TensorSpec,
};
use crate::value::Value;

fn entry(key: &str, value: Value) -> (Value, Value) {
    (Value::str(key), value)
}

/// The JSON value of a `required` flag, written back exactly as read.
pub fn required_to_value(r: &Required) -> Value {
    match r {
        Required::Yes => Value::Bool(true),
        Required::No => Value::Bool(false),
        Required::Null => Value::None,
        Required::Other(v) => v.clone(),
    }
}

/// The JSON value of a column label (`"a"` or a bare integer).
pub fn column_name_to_value(n: &ColumnName) -> Value {
    match n {
        ColumnName::Str(s) => Value::str(s.clone()),
        ColumnName::Int(i) => Value::Int(*i as i128),
    }
}

fn type_dict_entries(t: &ColType) -> Vec<(Value, Value)> {
    match t {
        ColType::Scalar(d) => vec![entry("type", Value::str(d.name()))],
        ColType::Array(inner) => vec![
            entry("type", Value::str("array")),
            entry("items", coltype_to_value(inner)),
        ],
        ColType::Object(o) => object_entries(o),
        ColType::Map(v) => vec![
            entry("type", Value::str("map")),
            entry("values", coltype_to_value(v)),
        ],
        ColType::Any => vec![entry("type", Value::str("any"))],
        ColType::SparkMLVector => vec![entry("type", Value::str("sparkml_vector"))],
    }
}

fn object_entries(o: &ObjectType) -> Vec<(Value, Value)> {
    let props: Vec<(Value, Value)> = o
        .properties()
        .iter()
        .map(|p| (Value::str(p.name.clone()), property_to_value(p)))
        .collect();
    vec![
        entry("type", Value::str("object")),
        entry("properties", Value::Dict(props)),
    ]
}

/// The type dict of a column type: `{"type": "array", "items": {"type": "long"}}`.
pub fn coltype_to_value(t: &ColType) -> Value {
    Value::Dict(type_dict_entries(t))
}

/// The dict of a property inside an Object's `properties`: its type dict with `required` last.
pub fn property_to_value(p: &Property) -> Value {
    let mut d = type_dict_entries(&p.ty);
    d.push(entry("required", required_to_value(&p.required)));
    Value::Dict(d)
}

/// `ColSpec.to_dict()`: type dict, then `name` (when named), then `required`.
pub fn colspec_to_value(c: &ColSpec) -> Value {
    let mut d = type_dict_entries(&c.ty);
    if let Some(n) = &c.name {
        d.push(entry("name", column_name_to_value(n)));
    }
    d.push(entry("required", required_to_value(&c.required)));
    Value::Dict(d)
}

/// `TensorSpec.to_dict()`: `name` first (when named), then `type` and `tensor-spec`.
pub fn tensor_spec_to_value(t: &TensorSpec) -> Value {
    let mut d = Vec::with_capacity(3);
    if let Some(n) = &t.name {
        d.push(entry("name", Value::str(n.clone())));
    }
    d.push(entry("type", Value::str("tensor")));
    let shape = t.shape.iter().map(|&x| Value::Int(x as i128)).collect();
    d.push(entry(
        "tensor-spec",
        Value::Dict(vec![
            entry("dtype", Value::str(t.dtype.name())),
            entry("shape", Value::List(shape)),
        ]),
    ));
    Value::Dict(d)
}

/// `Schema.to_dict()`: the list of spec dicts.
pub fn schema_to_value(s: &Schema) -> Value {
    Value::List(match s.kind() {
        SchemaKind::Columns(c) => c.iter().map(colspec_to_value).collect(),
        SchemaKind::Tensors(t) => t.iter().map(tensor_spec_to_value).collect(),
    })
}

/// `ParamSpec.to_dict()`: `name`, `default` (datetimes in ISO form), `shape`, then the type part.
pub fn param_spec_to_value(p: &ParamSpec) -> Value {
    // Dates and datetimes are written by `dumps` in their `isoformat()` form, which is what
    // MLflow writes for datetime params (element-wise for lists).
    let mut d = vec![
        entry("name", Value::str(p.name())),
        entry("default", p.default().clone()),
        entry(
            "shape",
            match p.shape() {
                ParamShape::Scalar => Value::None,
                ParamShape::List => Value::List(vec![Value::Int(-1)]),
            },
        ),
    ];
    match p.dtype() {
        ParamType::Scalar(t) => d.push(entry("type", Value::str(t.name()))),
        ParamType::Object(o) => d.extend(object_entries(o)),
    }
    Value::Dict(d)
}

/// `ParamSchema.to_dict()`: the list of param dicts.
pub fn param_schema_to_value(p: &ParamSchema) -> Value {
    Value::List(p.params().iter().map(param_spec_to_value).collect())
}

/// JSON text of a column type's type dict.
pub fn coltype_to_json(t: &ColType) -> String {
    dumps(&coltype_to_value(t))
}

/// JSON text of a ColSpec.
pub fn colspec_to_json(c: &ColSpec) -> String {
    dumps(&colspec_to_value(c))
}

/// JSON text of a TensorSpec.
pub fn tensor_spec_to_json(t: &TensorSpec) -> String {
    dumps(&tensor_spec_to_value(t))
}

/// `Schema.to_json()`: byte-identical to MLflow.
pub fn schema_to_json(s: &Schema) -> String {
    dumps(&schema_to_value(s))
}

/// JSON text of a ParamSpec.
pub fn param_spec_to_json(p: &ParamSpec) -> String {
    dumps(&param_spec_to_value(p))
}

/// `ParamSchema.to_json()`: byte-identical to MLflow.
pub fn param_schema_to_json(p: &ParamSchema) -> String {
    dumps(&param_schema_to_value(p))
}
