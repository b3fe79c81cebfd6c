//! The `inputs` and `instances` request formats (docs/serving.md#inputs-and-instances): MLflow's
//! `_cast_schema_type`, `convert_data_type` and `parse_instances_data`.

use super::composite;
use super::numpy::np_array;
use super::text::exc_repr as exc;
use super::RequestError;
use signet::enforce::Compat;
use signet::input::{ModelInput, Tensor};
use signet::repr::{colspec_repr, py_str_of, tensor_spec_repr};
use signet::types::{ColSpec, ColType, DataType, NumpyDtype, Schema, SchemaKind, TensorSpec};
use signet::value::Value;
use std::collections::{HashMap, HashSet};

/// One spec of the input schema.
#[derive(Clone, Copy)]
pub(crate) enum SpecRef<'s> {
    Col(&'s ColSpec),
    Tensor(&'s TensorSpec),
}

impl SpecRef<'_> {
    fn repr(self) -> String {
        match self {
            SpecRef::Col(c) => colspec_repr(c),
            SpecRef::Tensor(t) => tensor_spec_repr(t),
        }
    }
}

/// The first spec of the schema (what an unnamed or list input is converted with).
pub(crate) fn first_spec(schema: Option<&Schema>) -> Option<SpecRef<'_>> {
    match schema?.kind() {
        SchemaKind::Columns(c) => c.first().map(SpecRef::Col),
        SchemaKind::Tensors(t) => t.first().map(SpecRef::Tensor),
    }
}

/// `schema.input_dict()` for named schemas: name → spec.
fn input_dict(schema: Option<&Schema>) -> Vec<(String, SpecRef<'_>)> {
    let Some(s) = schema.filter(|s| s.has_input_names()) else {
        return Vec::new();
    };
    let names = s.input_names();
    match s.kind() {
        SchemaKind::Columns(c) => c
            .iter()
            .zip(names)
            .map(|(spec, n)| (n.as_text(), SpecRef::Col(spec)))
            .collect(),
        SchemaKind::Tensors(t) => t
            .iter()
            .zip(names)
            .map(|(spec, n)| (n.as_text(), SpecRef::Tensor(spec)))
            .collect(),
    }
}

/// Name → spec (the first spec of a name), built once per request so that looking up every
/// key of a wide input stays linear.
pub(crate) struct Types<'s> {
    /// `schema.input_dict()` in schema order (empty for an unnamed schema).
    pub list: Vec<(String, SpecRef<'s>)>,
    /// Name → the first spec of that name.
    pub map: HashMap<String, SpecRef<'s>>,
}

impl<'s> Types<'s> {
    /// The look-ups of `schema`.
    pub fn of(schema: Option<&'s Schema>) -> Types<'s> {
        let list = input_dict(schema);
        let mut map = HashMap::with_capacity(list.len());
        for (n, s) in &list {
            map.entry(n.clone()).or_insert(*s);
        }
        Types { list, map }
    }
}

fn lookup<'s>(types: &Types<'s>, key: &str) -> Option<SpecRef<'s>> {
    types.map.get(key).copied()
}

/// The numpy dtype of a DataType (`DataType.to_numpy()`).
pub(crate) fn datatype_numpy(t: DataType) -> NumpyDtype {
    t.numpy_dtype()
}

fn ndarray(t: Tensor) -> Value {
    Value::Ndarray(Box::new(t))
}

/// `convert_data_type(data, spec)`; errors are MLflow's `Invalid input. <message>`.
fn convert(data: Value, spec: Option<SpecRef<'_>>, compat: Compat) -> Result<Value, RequestError> {
    let inv = RequestError::invalid_input;
    match spec {
        None => np_array(&data, None, compat).map(ndarray).map_err(inv),
        Some(SpecRef::Tensor(t)) => np_array(&data, Some(t.dtype), compat)
            .map(ndarray)
            .map_err(inv),
        Some(SpecRef::Col(c)) => match &c.ty {
            ColType::Scalar(t) => {
                let d = datatype_numpy(*t);
                if matches!(data, Value::List(_) | Value::Ndarray(_)) {
                    np_array(&data, Some(d), compat).map(ndarray).map_err(inv)
                } else {
                    let t = np_array(&Value::List(vec![data]), Some(d), compat).map_err(inv)?;
                    Ok(t.element(0))
                }
            }
            ColType::Array(_) | ColType::SparkMLVector => {
                let v = composite::enforce(data, &c.ty, c.is_required(), compat).map_err(inv)?;
                np_array(&v, None, compat).map(ndarray).map_err(inv)
            }
            ColType::Object(_) | ColType::Map(_) => {
                composite::enforce(data, &c.ty, c.is_required(), compat).map_err(inv)
            }
            ColType::Any => Ok(data),
        },
    }
}

/// Strict mode's refusals name the column they happened in.
fn name_column(e: RequestError, column: &str) -> RequestError {
    if !e.message.contains("refusing") {
        return e;
    }
    let inner = e.message.trim_start_matches("Invalid input. ");
    let sep = if inner.starts_with("row ") { " " } else { ": " };
    RequestError::invalid_input(format!(
        "Column {}{sep}{inner}",
        signet::repr::py_str(column)
    ))
}

/// What `_cast_schema_type` returns.
enum Cast {
    Dict(Vec<(String, Value)>),
    Records(Vec<Value>),
    One(Value),
}

fn key_text(k: &Value) -> String {
    match k {
        Value::Str(s) => s.clone(),
        other => py_str_of(other),
    }
}

fn is_py_scalar(v: &Value) -> bool {
    matches!(
        v,
        Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Bytes(_)
    )
}

/// `_cast_schema_type(input_data, schema)`.
fn cast_schema_type(
    data: Value,
    schema: Option<&Schema>,
    compat: Compat,
) -> Result<Cast, RequestError> {
    let types = Types::of(schema);
    let mut data = data;
    if let Some(s) = schema {
        let is_list = matches!(data, Value::List(_));
        let has_dict =
            matches!(&data, Value::List(l) if l.iter().any(|x| matches!(x, Value::Dict(_))));
        if types.list.len() == 1 && is_list && !has_dict {
            data = Value::Dict(vec![(Value::str(types.list[0].0.clone()), data)]);
        } else if !s.has_input_names() && !is_list && !is_py_scalar(&data) {
            return Err(RequestError::invalid_input(format!(
                "Failed to parse input data. This model contains an un-named  model signature which expects a single n-dimensional array or a single value as input, however, an input of type {} was found.",
                signet::repr::py_class(&data)
            )));
        }
    }
    // A named value converted by its key's spec (an error names the column): key text, value.
    let convert_named = |k: &Value, v: Value| -> Result<(String, Value), RequestError> {
        let key = key_text(k);
        let spec = lookup(&types, &key);
        let converted = convert(v, spec, compat).map_err(|e| name_column(e, &key))?;
        Ok((key, converted))
    };
    match data {
        Value::Dict(items) => {
            let out = items
                .into_iter()
                .map(|(k, v)| convert_named(&k, v))
                .collect::<Result<_, _>>()?;
            Ok(Cast::Dict(out))
        }
        Value::List(items) if items.iter().all(|x| matches!(x, Value::Dict(_))) => {
            let mut rows = Vec::with_capacity(items.len());
            for row in items {
                let Value::Dict(cells) = row else { continue };
                let out = cells
                    .into_iter()
                    .map(|(k, v)| convert_named(&k, v).map(|(_, converted)| (k, converted)))
                    .collect::<Result<_, _>>()?;
                rows.push(Value::Dict(out));
            }
            Ok(Cast::Records(rows))
        }
        list @ Value::List(_) => Ok(Cast::One(convert(list, first_spec(schema), compat)?)),
        other => {
            let spec = first_spec(schema);
            let text = py_str_of(&other);
            convert(other, spec, compat).map(Cast::One).map_err(|e| {
                let spec_text = spec.map(SpecRef::repr).unwrap_or_else(|| "None".into());
                if e.message.contains("refusing") {
                    // Keep strict mode's precise reason.
                    return RequestError::invalid_input(format!(
                        "Failed to convert data `{text}` to type `{spec_text}` defined in the model signature: {}",
                        e.message.trim_start_matches("Invalid input. ").trim_start_matches("row 0: ")
                    ));
                }
                RequestError::invalid_input(format!(
                    "Failed to convert data `{text}` to type `{spec_text}` defined in the model signature."
                ))
            })
        }
    }
}

/// `len()` of a value for the `instances` length check (`None`: not checked).
fn checked_len(v: &Value) -> Option<Result<usize, RequestError>> {
    match v {
        Value::List(l) => Some(Ok(l.len())),
        Value::Ndarray(t) => Some(match t.shape.first() {
            Some(n) => Ok(*n),
            None => Err(RequestError::invalid_input(format!(
                "Ensure that the input is a valid JSON-formatted string.\nError: {}",
                exc("TypeError", "len() of unsized object")
            ))),
        }),
        _ => None,
    }
}

fn into_input(cast: Cast) -> ModelInput {
    match cast {
        Cast::Dict(items) => {
            if items.iter().all(|(_, v)| matches!(v, Value::Ndarray(_))) && !items.is_empty() {
                ModelInput::TensorDict(
                    items
                        .into_iter()
                        .filter_map(|(k, v)| match v {
                            Value::Ndarray(t) => Some((k, *t)),
                            _ => None,
                        })
                        .collect(),
                )
            } else {
                ModelInput::Value(Value::Dict(
                    items.into_iter().map(|(k, v)| (Value::Str(k), v)).collect(),
                ))
            }
        }
        Cast::Records(rows) => ModelInput::Value(Value::List(rows)),
        Cast::One(Value::Ndarray(t)) => ModelInput::Tensor(*t),
        Cast::One(v) => ModelInput::Value(v),
    }
}

/// The `inputs` format.
pub(crate) fn parse_inputs(
    data: Value,
    schema: Option<&Schema>,
    compat: Compat,
) -> Result<ModelInput, RequestError> {
    cast_schema_type(data, schema, compat).map(into_input)
}

/// The `instances` format (`parse_instances_data`).
pub(crate) fn parse_instances(
    data: Value,
    schema: Option<&Schema>,
    compat: Compat,
) -> Result<ModelInput, RequestError> {
    let wrap = |class: &str, msg: &str| {
        RequestError::invalid_input(format!(
            "Ensure that the input is a valid JSON-formatted string.\nError: {}",
            exc(class, msg)
        ))
    };
    let cast = match data {
        Value::List(items) if matches!(items.first(), Some(Value::Dict(_))) => {
            let types = Types::of(schema);
            let mut cols: Vec<(String, Vec<Value>)> = Vec::new();
            let mut col_of: HashMap<String, usize> = HashMap::new();
            for (row, item) in items.into_iter().enumerate() {
                let Value::Dict(cells) = item else {
                    return Err(wrap(
                        "AttributeError",
                        &format!("'{}' object has no attribute 'items'", item.type_name()),
                    ));
                };
                for (k, v) in cells {
                    let key = key_text(&k);
                    let converted = convert(v, lookup(&types, &key), compat).map_err(|e| {
                        let mut e = name_column(e, &key);
                        if !matches!(
                            lookup(&types, &key),
                            Some(SpecRef::Col(ColSpec {
                                ty: ColType::Scalar(_),
                                ..
                            }))
                        ) || !e.message.contains("refusing")
                        {
                            return e;
                        }
                        // A scalar cell is converted alone: its row is the record's index.
                        e.message = e.message.replacen(" row 0: ", &format!(" row {row}: "), 1);
                        e
                    })?;
                    match col_of.get(&key) {
                        Some(&j) => cols[j].1.push(converted),
                        None => {
                            col_of.insert(key.clone(), cols.len());
                            cols.push((key, vec![converted]));
                        }
                    }
                }
            }
            let mut out = Vec::with_capacity(cols.len());
            for (k, vals) in cols {
                let t = np_array(&Value::List(vals), None, compat)
                    .map_err(|m| wrap("ValueError", &m))?;
                out.push((k, ndarray(t)));
            }
            Cast::Dict(out)
        }
        other => cast_schema_type(other, schema, compat)?,
    };
    if let Cast::Dict(items) = &cast {
        let named = schema.filter(|s| s.has_input_names());
        let check: Vec<&(String, Value)> = match named {
            Some(s) => {
                let required: HashSet<String> = match s.kind() {
                    SchemaKind::Columns(c) => c
                        .iter()
                        .zip(s.input_names())
                        .filter(|(spec, _)| {
                            spec.is_required() && !matches!(spec.ty, ColType::Array(_))
                        })
                        .map(|(_, n)| n.as_text())
                        .collect(),
                    SchemaKind::Tensors(_) => s.input_names().iter().map(|n| n.as_text()).collect(),
                };
                items.iter().filter(|(k, _)| required.contains(k)).collect()
            }
            None => items.iter().collect(),
        };
        let mut lens = Vec::new();
        for (_, v) in check {
            if let Some(l) = checked_len(v) {
                lens.push(l?);
            }
        }
        if lens.windows(2).any(|w| w[0] != w[1]) {
            return Err(RequestError::invalid_input(
                "The length of values for each input/column name are not the same",
            ));
        }
    }
    Ok(into_input(cast))
}
