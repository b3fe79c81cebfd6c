//! Parsing: MLflow's `from_json_dict` / `from_json` class methods, accepting what they accept
//! and refusing the rest with their exact messages (including the raw Python `TypeError` /
//! `KeyError` texts that leak out of them).

use crate::pyjson::loads;
use crate::repr::{param_spec_repr_parts, py_repr, py_str, py_str_of, py_tuple};
use crate::types::{
    ColSpec, ColType, ColumnName, DataType, NumpyDtype, ObjectType, ParamSchema, ParamShape,
    ParamSpec, ParamType, Property, Required, Schema, Spec, TensorSpec,
};
use crate::value::Value;
use crate::SchemaError;

type Dict = [(Value, Value)];

const DATATYPE_NAMES: &str =
    "['boolean', 'integer', 'long', 'float', 'double', 'string', 'binary', 'datetime']";

fn err(msg: impl Into<String>) -> SchemaError {
    SchemaError::new(msg)
}

fn get<'a>(d: &'a Dict, key: &str) -> Option<&'a Value> {
    d.iter()
        .rev()
        .find(|(k, _)| matches!(k, Value::Str(s) if s == key))
        .map(|(_, v)| v)
}

fn has(d: &Dict, key: &str) -> bool {
    get(d, key).is_some()
}

fn is_str(v: &Value, s: &str) -> bool {
    matches!(v, Value::Str(x) if x == s)
}

/// The dict minus some keys (what is left after Python's `kwargs.pop(...)`).
fn without(d: &Dict, keys: &[&str]) -> Vec<(Value, Value)> {
    d.iter()
        .filter(|(k, _)| !matches!(k, Value::Str(s) if keys.contains(&s.as_str())))
        .cloned()
        .collect()
}

/// `f(**v)`: `v` must be a mapping.
fn as_kwargs<'a>(v: &'a Value, func: &str) -> Result<&'a Dict, SchemaError> {
    match v {
        Value::Dict(d) => Ok(d),
        other => Err(err(format!(
            "mlflow.types.schema.{func}() argument after ** must be a mapping, not {}",
            other.type_name()
        ))),
    }
}

/// `for x in v` in Python: lists and tuples yield items, dicts their keys, strings their
/// characters; anything else is not iterable.
fn py_iter(v: &Value) -> Result<Vec<Value>, SchemaError> {
    match v {
        Value::List(items) | Value::Tuple(items) => Ok(items.clone()),
        Value::Dict(items) => Ok(items.iter().map(|(k, _)| k.clone()).collect()),
        Value::Str(s) => Ok(s.chars().map(|c| Value::Str(c.to_string())).collect()),
        other => Err(err(format!(
            "'{}' object is not iterable",
            other.type_name()
        ))),
    }
}

/// `x[key]` in Python for a string key.
fn py_getitem<'a>(x: &'a Value, key: &str) -> Result<&'a Value, SchemaError> {
    match x {
        Value::Dict(d) => get(d, key).ok_or_else(|| err(py_str(key))),
        Value::List(_) => Err(err("list indices must be integers or slices, not str")),
        Value::Tuple(_) => Err(err("tuple indices must be integers or slices, not str")),
        Value::Str(_) => Err(err("string indices must be integers, not 'str'")),
        other => Err(err(format!(
            "'{}' object is not subscriptable",
            other.type_name()
        ))),
    }
}

fn expected_type_message(arg: &str, passed: &Value) -> SchemaError {
    err(format!(
        "Expected mlflow.types.schema.Datatype, mlflow.types.schema.Array, \
         mlflow.types.schema.Object, mlflow.types.schema.Map, mlflow.types.schema.AnyType \
         or str for the '{arg}' argument, but got {}",
        py_str_of(passed)
    ))
}

/// `DataType[name]` as the `Array`/`Property` constructors do it.
fn nested_datatype(v: &Value) -> Result<ColType, SchemaError> {
    match v {
        Value::Str(s) => DataType::from_name(s).map(ColType::Scalar).ok_or_else(|| {
            err(format!(
                "Unsupported type '{s}', expected instance of DataType, Array, Object, Map or \
                 one of {DATATYPE_NAMES}"
            ))
        }),
        other => Err(expected_type_message("dtype", other)),
    }
}

fn to_required(v: &Value) -> Required {
    match v {
        Value::Bool(b) => (*b).into(),
        Value::None => Required::Null,
        other => Required::Other(other.clone()),
    }
}

fn to_column_name(v: &Value) -> Result<Option<ColumnName>, SchemaError> {
    match v {
        Value::None => Ok(None),
        Value::Str(s) => Ok(Some(ColumnName::Str(s.clone()))),
        Value::Int(i) if i64::try_from(*i).is_ok() => Ok(Some(ColumnName::Int(*i as i64))),
        other => Err(err(format!(
            "Unsupported column name {}: signet supports only str and int column names",
            py_repr(other)
        ))),
    }
}

/// The checks `Array.from_json_dict` and `Map.from_json_dict` share: the container's keys and
/// `type` (`type_name`), then its element dict under `key` and that dict's `type`, returned with
/// the dict. `class` is MLflow's class name in the messages.
fn element_dict<'a>(
    kw: &'a Dict,
    key: &str,
    type_name: &str,
    class: &str,
) -> Result<(&'a Dict, &'a Value), SchemaError> {
    if !(has(kw, key) && has(kw, "type")) {
        // (sic) MLflow's message for a Map names Array's keys.
        return Err(err(
            "Missing keys in Array JSON. Expected to find keys `items` and `type`",
        ));
    }
    if !get(kw, "type").is_some_and(|t| is_str(t, type_name)) {
        return Err(err(format!(
            "Type mismatch, {class} expects `{type_name}` as the type"
        )));
    }
    let Some(Value::Dict(element)) = get(kw, key) else {
        return Err(err(format!(
            "Expected {key} to be a dictionary of Object JSON"
        )));
    };
    let Some(t) = get(element, "type") else {
        return Err(err(format!(
            "Missing keys in {class}'s items JSON. Expected to find key `type`"
        )));
    };
    Ok((element, t))
}

/// The composite type a nested `type` value names (`object`, `array`, `map` or `any`), parsed
/// from its dict `d`; `None` when `t` names none of them.
fn composite_from_dict(t: &Value, d: &Dict) -> Option<Result<ColType, SchemaError>> {
    let Value::Str(s) = t else {
        return None;
    };
    Some(match s.as_str() {
        "object" => object_from_dict(d).map(ColType::Object),
        "array" => array_from_dict(d),
        "map" => map_from_dict(d),
        "any" => Ok(ColType::Any),
        _ => return None,
    })
}

/// `Array.from_json_dict(**kwargs)`.
pub fn array_from_dict(kw: &Dict) -> Result<ColType, SchemaError> {
    let (items, it) = element_dict(kw, "items", "array", "Array")?;
    let inner = if is_str(it, "sparkml_vector") {
        ColType::SparkMLVector
    } else {
        composite_from_dict(it, items).unwrap_or_else(|| nested_datatype(it))?
    };
    Ok(ColType::Array(Box::new(inner)))
}

/// `Map.from_json_dict(**kwargs)`. A `sparkml_vector` value type yields a bare
/// `SparkMLVector` instead of a Map, as in MLflow.
pub fn map_from_dict(kw: &Dict) -> Result<ColType, SchemaError> {
    let (values, vt) = element_dict(kw, "values", "map", "Map")?;
    if is_str(vt, "sparkml_vector") {
        return Ok(ColType::SparkMLVector);
    }
    let inner = match composite_from_dict(vt, values) {
        Some(parsed) => parsed?,
        None => match vt {
            Value::Str(s) => match DataType::from_name(s) {
                Some(t) => ColType::Scalar(t),
                None => {
                    return Err(err(format!(
                        "Unsupported value type '{s}', expected instance of DataType, Array, \
                         Object, Map or one of {DATATYPE_NAMES}"
                    )))
                }
            },
            other => return Err(expected_type_message("value_type", other)),
        },
    };
    Ok(ColType::Map(Box::new(inner)))
}

/// What `Property.from_json_dict` returns: a property, or (MLflow quirk) a bare SparkMLVector.
enum ParsedProperty {
    Property(Property),
    SparkMLVector,
}

fn property_from_dict(name: &str, dic: &Dict) -> Result<ParsedProperty, SchemaError> {
    let Some(t) = get(dic, "type") else {
        return Err(err(format!(
            "Missing keys in Property `{name}`. Expected to find key `type`"
        )));
    };
    let required = get(dic, "required").map_or(Required::Yes, to_required);
    let rest = without(dic, &["required"]);
    if is_str(t, "sparkml_vector") {
        return Ok(ParsedProperty::SparkMLVector);
    }
    let ty = composite_from_dict(t, &rest).unwrap_or_else(|| nested_datatype(t))?;
    Ok(ParsedProperty::Property(Property {
        name: name.to_string(),
        ty,
        required,
    }))
}

/// `Object.from_json_dict(**kwargs)`.
pub fn object_from_dict(kw: &Dict) -> Result<ObjectType, SchemaError> {
    if !(has(kw, "properties") && has(kw, "type")) {
        return Err(err(
            "Missing keys in Object JSON. Expected to find keys `properties` and `type`",
        ));
    }
    if !get(kw, "type").is_some_and(|t| is_str(t, "object")) {
        return Err(err("Type mismatch, Object expects `object` as the type"));
    }
    let props = match get(kw, "properties") {
        Some(Value::Dict(p)) if p.iter().all(|(_, v)| matches!(v, Value::Dict(_))) => p,
        _ => {
            return Err(err(
                "Expected properties to be a dictionary of Property JSON",
            ))
        }
    };
    let mut parsed = Vec::with_capacity(props.len());
    for (name, prop) in props {
        let Value::Dict(dic) = prop else {
            continue; // checked above
        };
        parsed.push(property_from_dict(&py_str_of(name), dic)?);
    }
    if parsed
        .iter()
        .any(|p| matches!(p, ParsedProperty::SparkMLVector))
    {
        return Err(err("Expected values to be instance of Property"));
    }
    let properties = parsed
        .into_iter()
        .filter_map(|p| match p {
            ParsedProperty::Property(p) => Some(p),
            ParsedProperty::SparkMLVector => None,
        })
        .collect();
    ObjectType::new(properties)
}

/// Parses a type dict (`{"type": "long"}`, `{"type": "array", "items": ...}`, ...) as the
/// element type of an Array would be parsed.
pub fn coltype_from_value(v: &Value) -> Result<ColType, SchemaError> {
    let d = as_kwargs(v, "Array.from_json_dict")?;
    let Some(t) = get(d, "type") else {
        return Err(err(
            "Missing keys in Array's items JSON. Expected to find key `type`",
        ));
    };
    match t {
        Value::Str(s) if s == "object" => Ok(ColType::Object(object_from_dict(d)?)),
        Value::Str(s) if s == "array" => array_from_dict(d),
        Value::Str(s) if s == "sparkml_vector" => Ok(ColType::SparkMLVector),
        Value::Str(s) if s == "map" => map_from_dict(d),
        Value::Str(s) if s == "any" => Ok(ColType::Any),
        other => nested_datatype(other),
    }
}

/// `ColSpec.from_json_dict(**x)`.
pub fn colspec_from_value(x: &Value) -> Result<ColSpec, SchemaError> {
    let kw = as_kwargs(x, "ColSpec.from_json_dict")?;
    let Some(t) = get(kw, "type") else {
        return Err(err(
            "Missing keys in ColSpec JSON. Expected to find key `type`",
        ));
    };
    let composite = ["array", "object", "map", "sparkml_vector", "any"]
        .iter()
        .any(|c| is_str(t, c));
    if !composite {
        // `cls(**kwargs)`: only type, name and required are parameters.
        for (k, _) in kw {
            let k = py_str_of(k);
            if !["type", "name", "required"].contains(&k.as_str()) {
                return Err(err(format!(
                    "ColSpec.__init__() got an unexpected keyword argument '{k}'"
                )));
            }
        }
        let ty = match t {
            Value::Str(s) => DataType::from_name(s).map(ColType::Scalar).ok_or_else(|| {
                err(format!(
                    "Unsupported type '{s}', expected instance of DataType or one of \
                     {DATATYPE_NAMES}"
                ))
            })?,
            other => return Err(expected_type_message("type", other)),
        };
        let required = get(kw, "required").map_or(Required::Yes, to_required);
        let name = to_column_name(get(kw, "name").unwrap_or(&Value::None))?;
        return Ok(ColSpec { ty, name, required });
    }
    let name = get(kw, "name").cloned().unwrap_or(Value::None);
    let required = get(kw, "required").map_or(Required::Null, to_required);
    let rest = without(kw, &["name", "required"]);
    let ty = match t {
        Value::Str(s) if s == "array" => array_from_dict(&rest)?,
        Value::Str(s) if s == "object" => ColType::Object(object_from_dict(&rest)?),
        Value::Str(s) if s == "map" => map_from_dict(&rest)?,
        Value::Str(s) if s == "sparkml_vector" => ColType::SparkMLVector,
        _ => ColType::Any,
    };
    Ok(ColSpec {
        ty,
        name: to_column_name(&name)?,
        required,
    })
}

/// `np.dtype(v)` for the values a JSON document can hold.
fn numpy_dtype(v: &Value) -> Result<NumpyDtype, SchemaError> {
    match v {
        Value::Str(s) => NumpyDtype::parse(s),
        Value::None => Ok(NumpyDtype::Float64),
        other => Err(err(format!(
            "Cannot interpret '{}' as a data type",
            py_repr(other)
        ))),
    }
}

/// `TensorSpec.from_json_dict(**x)`.
pub fn tensor_spec_from_value(x: &Value) -> Result<TensorSpec, SchemaError> {
    let kw = as_kwargs(x, "TensorSpec.from_json_dict")?;
    if !(has(kw, "tensor-spec") && has(kw, "type")) {
        return Err(err(
            "Missing keys in TensorSpec JSON. Expected to find keys `tensor-spec` and `type`",
        ));
    }
    if !get(kw, "type").is_some_and(|t| is_str(t, "tensor")) {
        return Err(err(
            "Type mismatch, TensorSpec expects `tensor` as the type",
        ));
    }
    let info = as_kwargs(
        get(kw, "tensor-spec").unwrap_or(&Value::None),
        "TensorInfo.from_json_dict",
    )?;
    let (Some(dtype), Some(shape)) = (get(info, "dtype"), get(info, "shape")) else {
        return Err(err(
            "Missing keys in TensorSpec JSON. Expected to find keys `dtype` and `shape`",
        ));
    };
    // numpy refuses a bad dtype name first; MLflow's size check comes after `tuple(shape)`.
    let dtype = match numpy_dtype(dtype) {
        Err(e) if !e.message().starts_with("MLflow does not support") => return Err(e),
        other => other,
    };
    let dims = py_iter(shape)?;
    let dtype = dtype?;
    let mut parsed = Vec::with_capacity(dims.len());
    for d in &dims {
        match d {
            Value::Int(i) if i64::try_from(*i).is_ok() => parsed.push(*i as i64),
            _ => {
                let items: Vec<String> = dims.iter().map(py_repr).collect();
                return Err(err(format!(
                    "Unsupported tensor shape {}: signet supports only integer dimensions",
                    py_tuple(&items)
                )));
            }
        }
    }
    let name = match get(kw, "name") {
        None | Some(Value::None) => None,
        Some(Value::Str(s)) => Some(s.clone()),
        Some(other) => {
            return Err(err(format!(
                "Unsupported tensor name {}: signet supports only str tensor names",
                py_repr(other)
            )))
        }
    };
    Ok(TensorSpec::new(dtype, parsed, name))
}

/// `Schema.from_json(...)` on an already decoded JSON value.
pub fn schema_from_value(v: &Value) -> Result<Schema, SchemaError> {
    let items = py_iter(v)?;
    let mut specs = Vec::with_capacity(items.len());
    for x in &items {
        let t = py_getitem(x, "type")?;
        specs.push(if is_str(t, "tensor") {
            Spec::Tensor(tensor_spec_from_value(x)?)
        } else {
            Spec::Col(colspec_from_value(x)?)
        });
    }
    Schema::new(specs)
}

/// `Schema.from_json(text)`.
pub fn schema_from_json(text: &str) -> Result<Schema, SchemaError> {
    let v = loads(text).map_err(|e| err(e.to_string()))?;
    schema_from_value(&v)
}

fn param_datatype(v: &Value) -> Result<DataType, SchemaError> {
    // `DataType[v]`: a KeyError (its text is the repr of the key) or, for unhashable keys,
    // a TypeError.
    match v {
        Value::Str(s) => DataType::from_name(s).ok_or_else(|| err(py_str(s))),
        Value::List(_) | Value::Dict(_) => {
            Err(err(format!("unhashable type: '{}'", v.type_name())))
        }
        other => Err(err(py_repr(other))),
    }
}

/// `ParamSpec.from_json_dict(**x)`.
pub fn param_spec_from_value(x: &Value) -> Result<ParamSpec, SchemaError> {
    let kw = as_kwargs(x, "ParamSpec.from_json_dict")?;
    let keys1 = ["name", "dtype", "default"].iter().all(|k| has(kw, k));
    let keys2 = ["name", "type", "default"].iter().all(|k| has(kw, k));
    if !(keys1 || keys2) {
        let keys: Vec<String> = kw.iter().map(|(k, _)| py_repr(k)).collect();
        return Err(err(format!(
            "Missing keys in ParamSpec JSON. Expected to find keys `name`, `type`(or `dtype`) \
             and `default`. Received keys: dict_keys([{}])",
            keys.join(", ")
        )));
    }
    let dtype_value = match get(kw, "type") {
        Some(t) if t.is_truthy() => t,
        _ => get(kw, "dtype").unwrap_or(&Value::None),
    };
    let dtype = if is_str(dtype_value, "object") {
        ParamType::Object(object_from_dict(kw)?)
    } else {
        ParamType::Scalar(param_datatype(dtype_value)?)
    };
    let name = py_str_of(get(kw, "name").unwrap_or(&Value::None));
    let default = get(kw, "default").cloned().unwrap_or(Value::None);
    let shape = match get(kw, "shape") {
        None | Some(Value::None) => Ok(ParamShape::Scalar),
        Some(s) => {
            let items = py_iter(s)?;
            let is_list = matches!(items.as_slice(), [Value::Int(-1)] | [Value::Float(-1.0)]);
            if is_list {
                Ok(ParamShape::List)
            } else {
                let items: Vec<String> = items.iter().map(py_repr).collect();
                Err(py_tuple(&items))
            }
        }
    };
    if let ParamType::Scalar(DataType::Binary) = dtype {
        return Err(err(format!(
            "Binary type is not supported for parameters, ParamSpec '{name}'has dtype 'binary'"
        )));
    }
    match shape {
        Ok(shape) => ParamSpec::new(name, dtype, default, shape),
        Err(shape) => Err(err(format!(
            "Shape must be None for scalar or dictionary value, or (-1,) for 1D array value \
             for ParamSpec {}), received {shape}",
            param_spec_repr_parts(&name, &dtype, &default, Some(&shape))
        ))),
    }
}

/// `ParamSchema.from_json(...)` on an already decoded JSON value.
pub fn param_schema_from_value(v: &Value) -> Result<ParamSchema, SchemaError> {
    let items = py_iter(v)?;
    let specs = items
        .iter()
        .map(param_spec_from_value)
        .collect::<Result<Vec<_>, _>>()?;
    ParamSchema::new(specs)
}

/// `ParamSchema.from_json(text)`.
pub fn param_schema_from_json(text: &str) -> Result<ParamSchema, SchemaError> {
    let v = loads(text).map_err(|e| err(e.to_string()))?;
    param_schema_from_value(&v)
}
