//! Signature inference from sample data (`mlflow.models.infer_signature`), with MLflow's exact
//! results (docs/inference.md#inputs-outputs-and-params, #dispatch, #params-inference).
//!
//! * [`infer_signature`] / [`infer_signature_with_warnings`]: inputs and outputs are inferred
//!   independently with [`infer_schema`]; when that fails the part becomes the unnamed
//!   `[{"type": "any", "required": true}]` and a warning is recorded. Params are inferred with
//!   [`infer_param_schema`], whose failures are errors.
//! * [`infer_schema`]: MLflow's `_infer_schema` dispatch — tables (per-column rules including
//!   pandas' `infer_objects` re-inference of `object` columns), Series, numpy arrays, dicts of
//!   arrays, dicts, lists of records, lists, scalars, sparse matrices.
//! * [`infer_value_type`] and [`merge_types`]: the type of one Python value and the merging of
//!   two types, with MLflow's asymmetries.
//!
//! A [`ModelInput::Value`] holding `None` counts as "not given" (Python's `None` argument).

mod pandas;
mod params;
mod values;

pub use params::infer_param_schema;

use crate::input::ModelInput;
use crate::table;
use crate::types::{
    ColSpec, ColType, ColumnName, DataType, ModelSignature, NumpyDtype, ParamSchema, Schema,
    SchemaKind, TensorSpec,
};
use crate::value::Value;
use crate::SchemaError;
use std::collections::HashMap;

/// An exception raised during inference: its Python class and message.
#[derive(Clone, Debug)]
pub(crate) struct InferError {
    class: &'static str,
    message: String,
}

impl InferError {
    fn mlflow(message: impl Into<String>) -> InferError {
        InferError {
            class: "MlflowException",
            message: message.into(),
        }
    }

    fn other(class: &'static str, message: impl Into<String>) -> InferError {
        InferError {
            class,
            message: message.into(),
        }
    }

    /// Python's `repr()` of the exception: `MlflowException('...')`.
    fn repr(&self) -> String {
        format!("{}({})", self.class, crate::repr::py_str(&self.message))
    }
}

impl From<InferError> for SchemaError {
    fn from(e: InferError) -> SchemaError {
        SchemaError::new(e.message)
    }
}

impl From<SchemaError> for InferError {
    fn from(e: SchemaError) -> InferError {
        InferError::mlflow(e.message())
    }
}

/// A signature with the warnings MLflow logs while inferring it.
#[derive(Clone, Debug, PartialEq)]
pub struct Inferred {
    /// The inferred signature.
    pub signature: ModelSignature,
    /// MLflow's warning texts, in order (failed-inference fallbacks, integer-column hints).
    pub warnings: Vec<String>,
}

/// The hint MLflow emits when a column-based schema has integer columns.
pub const INTEGER_COLUMNS_HINT: &str = "Hint: Inferred schema contains integer column(s). Integer columns in Python cannot represent missing values. If your input data contains missing values at inference time, it will be encoded as floats and will cause a schema enforcement error. The best way to avoid this problem is to infer the model schema based on a realistic data sample (training dataset) that includes missing values. Alternatively, you can declare integer columns as doubles (float64) whenever these columns may have missing values. See `Handling Integers With Missing Values <https://www.mlflow.org/docs/latest/models.html#handling-integers-with-missing-values>`_ for more details.";

/// Infers a signature from an example input, output and params, as MLflow does.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Int64Array, RecordBatch};
/// use signet::{infer_signature, signature_to_dict, ModelInput, Value};
///
/// // The house-price example: a DataFrame in, a float array out, one param.
/// let sqft: ArrayRef = Arc::new(Int64Array::from(vec![1500, 2000]));
/// let bedrooms: ArrayRef = Arc::new(Int64Array::from(vec![3, 4]));
/// let table = RecordBatch::try_from_iter([("sqft", sqft), ("bedrooms", bedrooms)]).unwrap();
/// let prices = ModelInput::Value(Value::List(vec![Value::Float(3.1e5), Value::Float(4.2e5)]));
/// let params = [("threshold".to_string(), Value::Float(0.5))];
/// let sig = infer_signature(Some(&ModelInput::Table(table)), Some(&prices), Some(&params)).unwrap();
/// let dict = signature_to_dict(&sig);
/// assert_eq!(
///     dict.inputs.as_deref(),
///     Some(r#"[{"type": "long", "name": "sqft", "required": true}, {"type": "long", "name": "bedrooms", "required": true}]"#)
/// );
/// assert_eq!(dict.outputs.as_deref(), Some(r#"[{"type": "double", "required": true}]"#));
/// assert_eq!(
///     dict.params.as_deref(),
///     Some(r#"[{"name": "threshold", "default": 0.5, "shape": null, "type": "double"}]"#)
/// );
/// ```
pub fn infer_signature(
    input: Option<&ModelInput>,
    output: Option<&ModelInput>,
    params: Option<&[(String, Value)]>,
) -> Result<ModelSignature, SchemaError> {
    infer_signature_with_warnings(input, output, params).map(|i| i.signature)
}

fn given(x: Option<&ModelInput>) -> Option<&ModelInput> {
    x.filter(|m| !matches!(m, ModelInput::Value(Value::None)))
}

/// The fallback schema of a part whose inference failed: `[{"type": "any", "required": true}]`.
pub fn any_schema() -> Schema {
    match Schema::columns(vec![ColSpec::unnamed(ColType::Any)]) {
        Ok(s) => s,
        Err(_) => unreachable!("a single unnamed required column is a valid schema"),
    }
}

fn infer_part(data: &ModelInput, what: &str, warnings: &mut Vec<String>) -> Schema {
    match infer_schema_inner(data, warnings) {
        Ok(s) => s,
        Err(_) => {
            let extra = if what == "inputs" {
                "Note that MLflow doesn't validate data types during inference for AnyType. "
            } else {
                ""
            };
            warnings.push(format!(
                "Failed to infer schema for {what}. Setting schema to `Schema([ColSpec(type=AnyType())]` as default. {extra}To see the full traceback, set logging level to DEBUG."
            ));
            any_schema()
        }
    }
}

/// [`infer_signature`] that also returns MLflow's warnings.
pub fn infer_signature_with_warnings(
    input: Option<&ModelInput>,
    output: Option<&ModelInput>,
    params: Option<&[(String, Value)]>,
) -> Result<Inferred, SchemaError> {
    let mut warnings = Vec::new();
    let inputs = given(input).map(|d| infer_part(d, "inputs", &mut warnings));
    let outputs = given(output).map(|d| infer_part(d, "outputs", &mut warnings));
    let params: Option<ParamSchema> = match params {
        Some(p) if !p.is_empty() => Some(infer_param_schema(p)?),
        _ => None,
    };
    let signature = ModelSignature::new(inputs, outputs, params)?;
    Ok(Inferred {
        signature,
        warnings,
    })
}

/// MLflow's `_infer_schema`: the schema of one input or output, or MLflow's error (which
/// [`infer_signature`] turns into the AnyType fallback).
pub fn infer_schema(data: &ModelInput) -> Result<Schema, SchemaError> {
    let mut warnings = Vec::new();
    infer_schema_inner(data, &mut warnings).map_err(SchemaError::from)
}

/// The type MLflow infers for one Python value (`_infer_datatype`): dict → Object, list or
/// array → Array, scalar → DataType, `None`/NaN/empty list/empty dict → Any; `Ok(None)` when
/// undetermined (an empty numpy array).
pub fn infer_value_type(v: &Value) -> Result<Option<ColType>, SchemaError> {
    values::infer_datatype(v).map_err(SchemaError::from)
}

/// Merges two inferred types as MLflow does when it meets several values for one slot
/// (`a._merge(b)`; `a` must be composite: Array, Object, Map, Any).
pub fn merge_types(a: &ColType, b: &ColType) -> Result<ColType, SchemaError> {
    values::merge(a, b).map_err(SchemaError::from)
}

fn hint_if_integers(schema: &Schema, warnings: &mut Vec<String>) {
    if let SchemaKind::Columns(cols) = schema.kind() {
        if cols.iter().any(|c| {
            matches!(
                c.ty,
                ColType::Scalar(DataType::Integer) | ColType::Scalar(DataType::Long)
            )
        }) {
            warnings.push(INTEGER_COLUMNS_HINT.to_string());
        }
    }
}

fn tensor_shape(shape: &[usize]) -> Result<Vec<i64>, InferError> {
    if shape.is_empty() {
        return Err(InferError::mlflow(
            "The specified variable_dimension 0 is out of bounds with respect to the number of dimensions 0 in the input dataset",
        ));
    }
    let mut out: Vec<i64> = shape.iter().map(|&d| d as i64).collect();
    out[0] = -1;
    Ok(out)
}

fn tensor_spec(
    dtype: NumpyDtype,
    shape: &[usize],
    name: Option<String>,
) -> Result<TensorSpec, InferError> {
    Ok(TensorSpec::new(dtype, tensor_shape(shape)?, name))
}

fn key_name(k: &Value) -> Result<ColumnName, InferError> {
    match k {
        Value::Str(s) => Ok(ColumnName::Str(s.clone())),
        Value::Int(i) => i64::try_from(*i)
            .map(ColumnName::Int)
            .map_err(|_| InferError::mlflow("column name out of range")),
        other => Err(InferError::mlflow(format!(
            "unsupported column name {}",
            crate::repr::py_repr(other)
        ))),
    }
}

fn infer_schema_inner(data: &ModelInput, warnings: &mut Vec<String>) -> Result<Schema, InferError> {
    let schema = match data {
        ModelInput::Table(batch) => {
            let schema = batch.schema();
            let labels = table::column_labels(batch);
            for (i, l) in labels.iter().enumerate() {
                if labels[..i].contains(l) {
                    return Err(InferError::other(
                        "TypeError",
                        "Expected pandas.Series, got '<class 'pandas.core.frame.DataFrame'>'.",
                    ));
                }
            }
            let mut cols = Vec::with_capacity(labels.len());
            for ((field, array), label) in schema.fields().iter().zip(batch.columns()).zip(labels) {
                let (ty, required) = pandas::infer_column(field, array.as_ref())?;
                cols.push(ColSpec::new(label, ty, required));
            }
            Schema::columns(cols)?
        }
        ModelInput::Series(s) => {
            let (ty, required) = pandas::infer_column(&s.field, s.values.as_ref())?;
            Schema::columns(vec![ColSpec {
                ty,
                name: s.name.clone(),
                required: required.into(),
            }])?
        }
        ModelInput::Tensor(t) => Schema::tensors(vec![tensor_spec(t.dtype, &t.shape, None)?])?,
        ModelInput::TensorDict(items) => Schema::tensors(
            items
                .iter()
                .map(|(name, t)| tensor_spec(t.dtype, &t.shape, Some(name.clone())))
                .collect::<Result<_, _>>()?,
        )?,
        ModelInput::Sparse(m) => Schema::tensors(vec![TensorSpec::new(
            m.data.dtype,
            vec![-1, m.shape.1 as i64],
            None,
        )])?,
        ModelInput::Value(v) => infer_value_schema(v)?,
    };
    hint_if_integers(&schema, warnings);
    Ok(schema)
}

fn infer_value_schema(v: &Value) -> Result<Schema, InferError> {
    match v {
        Value::List(items) if items.is_empty() => {
            Ok(Schema::columns(vec![ColSpec::unnamed(DataType::String)])?)
        }
        Value::List(items) if items.iter().all(|i| matches!(i, Value::Dict(_))) => {
            // Records: columns in first-seen key order; a column is required when every row
            // has the key with a value that is not None.
            let mut names: Vec<&Value> = Vec::new();
            let mut by_str: HashMap<&str, usize> = HashMap::new();
            let mut columns: Vec<Vec<Value>> = Vec::new();
            // Per column: rows where the key holds a non-None value, last row seen, its flag.
            let mut present: Vec<(usize, usize, bool)> = Vec::new();
            for (row, item) in items.iter().enumerate() {
                let Value::Dict(pairs) = item else { continue };
                for (k, val) in pairs {
                    let found = match k {
                        Value::Str(s) => by_str.get(s.as_str()).copied(),
                        _ => names.iter().position(|n| *n == k),
                    };
                    let c = match found {
                        Some(c) => c,
                        None => {
                            names.push(k);
                            if let Value::Str(s) = k {
                                by_str.insert(s, columns.len());
                            }
                            columns.push(Vec::new());
                            present.push((0, usize::MAX, false));
                            columns.len() - 1
                        }
                    };
                    columns[c].push(val.clone());
                    let ok = !matches!(val, Value::None);
                    let state = &mut present[c];
                    if state.1 == row {
                        state.0 = state.0 - state.2 as usize + ok as usize;
                    } else {
                        state.0 += ok as usize;
                        state.1 = row;
                    }
                    state.2 = ok;
                }
            }
            let mut cols = Vec::with_capacity(names.len());
            for ((k, vals), (count, _, _)) in names.into_iter().zip(columns).zip(present) {
                let required = count == items.len();
                let ty = match values::infer_colspec_type(&Value::List(vals))? {
                    ColType::Array(inner) => *inner,
                    _ => {
                        return Err(InferError::other(
                            "AttributeError",
                            "'AnyType' object has no attribute 'dtype'",
                        ))
                    }
                };
                cols.push(ColSpec::new(key_name(k)?, ty, required));
            }
            Ok(Schema::columns(cols)?)
        }
        Value::Dict(pairs) if pairs.iter().all(|(_, v)| matches!(v, Value::Ndarray(_))) => {
            let specs = pairs
                .iter()
                .map(|(k, v)| match v {
                    Value::Ndarray(t) => {
                        let name = match k {
                            Value::Str(s) => s.clone(),
                            other => crate::repr::py_str_of(other),
                        };
                        tensor_spec(t.dtype, &t.shape, Some(name))
                    }
                    _ => Err(InferError::mlflow("not an array")),
                })
                .collect::<Result<_, _>>()?;
            Ok(Schema::tensors(specs)?)
        }
        Value::Dict(pairs) => {
            if pairs.iter().any(|(k, _)| !matches!(k, Value::Str(_))) {
                return Err(InferError::mlflow("The dictionary keys are not all strings."));
            }
            let cols = pairs
                .iter()
                .map(|(k, val)| {
                    Ok(ColSpec::new(
                        key_name(k)?,
                        values::infer_colspec_type(val)?,
                        values::infer_required(val),
                    ))
                })
                .collect::<Result<_, InferError>>()?;
            Ok(Schema::columns(cols)?)
        }
        Value::Ndarray(t) => Ok(Schema::tensors(vec![tensor_spec(t.dtype, &t.shape, None)?])?),
        Value::List(_) => {
            let ty = match values::infer_colspec_type(v)? {
                ColType::Array(inner) => *inner,
                other => other,
            };
            Ok(Schema::columns(vec![ColSpec::unnamed(ty)])?)
        }
        scalar => match values::infer_colspec_type(scalar) {
            Ok(ty) => Ok(Schema::columns(vec![ColSpec::unnamed(ty)])?),
            Err(e) => Err(InferError::mlflow(format!(
                "Failed to infer schema. Expected one of the following types:\n- pandas.DataFrame\n- pandas.Series\n- numpy.ndarray\n- dictionary of (name -> numpy.ndarray)\n- pyspark.sql.DataFrame\n- scipy.sparse.csr_matrix\n- scipy.sparse.csc_matrix\n- DataType\n- List[DataType]\n- Dict[str, Union[DataType, List, Dict]]\n- List[Dict[str, Union[DataType, List, Dict]]]\nbut got '{}'.\nError: {}",
                crate::repr::py_str_of(scalar),
                e.message
            ))),
        },
    }
}

#[cfg(test)]
mod tests;
