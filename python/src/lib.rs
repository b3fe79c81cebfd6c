//! # signet-python — the `signet` Python package's native half (`signet._signet`)
//!
//! Thin glue: data arrives as the payloads of [`convert`] (Arrow C streams, numpy buffers or
//! the corpus Value form), the work is signet's own (`signet::infer`, `signet::enforce`,
//! `signet::diff`, `signet-model` with every native flavor of `signet-flavors`), and errors
//! become the Python exceptions of `signet/_errors.py` ([`errors`]) with MLflow's messages.
//! The GIL is released while Rust works. The Python API itself (`signet/__init__.py`) wraps
//! these functions.

mod array_struct;
mod convert;
mod errors;
mod export;
mod frame;
mod numpy_api;
mod numpy_mem;

use convert::{model_input, to_python, Read, Want};
use errors::{enforce_error, input_error, model_error, schema_error};
use export::Handover;
use numpy_api::ArrowMemory;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use signet::enforce::violations::{presence, violations_with};
use signet::enforce::{enforce as enforce_input, enforce_params, Compat};
use signet::input::TensorData;
use signet::json_form::{signature_from_dict, signature_to_dict, SignatureDict};
use signet::types::{ColumnName, ModelSignature, SchemaKind};
use signet::{ModelInput, Tensor};
use std::path::PathBuf;
use std::sync::Arc;

/// A signature's dict form as a tuple `(inputs, outputs, params)` of JSON texts.
type SigTuple = (Option<String>, Option<String>, Option<String>);

fn to_tuple(sig: &ModelSignature) -> SigTuple {
    let d = signature_to_dict(sig);
    (d.inputs, d.outputs, d.params)
}

fn parse_signature(py: Python<'_>, sig: SigTuple) -> PyResult<Option<ModelSignature>> {
    let dict = SignatureDict {
        inputs: sig.0,
        outputs: sig.1,
        params: sig.2,
    };
    signature_from_dict(&dict).map_err(|e| schema_error(py, &e))
}

fn compat(py: Python<'_>, mode: &str) -> PyResult<Compat> {
    match mode {
        "strict" => Ok(Compat::Strict),
        "mlflow" => Ok(Compat::Mlflow),
        other => Err(input_error(
            py,
            format!("compat must be 'strict' or 'mlflow', not {other:?}"),
        )),
    }
}

/// A signature parsed once (as `ModelSignature.from_dict` reads it) and reused by every call
/// that checks data against it.
#[pyclass(frozen, module = "signet._signet")]
struct CompiledSignature {
    signature: Option<ModelSignature>,
    dict: SigTuple,
}

#[pymethods]
impl CompiledSignature {
    /// Parses the dict form `(inputs, outputs, params)`; `signet.SchemaError` when invalid.
    #[new]
    fn new(
        py: Python<'_>,
        inputs: Option<String>,
        outputs: Option<String>,
        params: Option<String>,
    ) -> PyResult<Self> {
        let signature = parse_signature(py, (inputs, outputs, params))?;
        let dict = signature
            .as_ref()
            .map(to_tuple)
            .unwrap_or((None, None, None));
        Ok(CompiledSignature { signature, dict })
    }

    /// The dict form as MLflow writes it: `(inputs, outputs, params)`.
    #[getter]
    fn dict(&self) -> SigTuple {
        self.dict.clone()
    }

    /// Whether the dict form held a signature at all.
    #[getter]
    fn is_empty(&self) -> bool {
        self.signature.is_none()
    }
}

/// `mlflow.models.infer_signature(input, output, params)`: the signature's dict form and
/// MLflow's warnings.
#[pyfunction]
#[pyo3(signature = (input, output=None, params=None))]
fn infer_signature(
    py: Python<'_>,
    input: Option<&Bound<'_, PyTuple>>,
    output: Option<&Bound<'_, PyTuple>>,
    params: Option<&str>,
) -> PyResult<(SigTuple, Vec<String>)> {
    let input = input.map(|p| model_input(py, p)).transpose()?;
    let output = output.map(|p| model_input(py, p)).transpose()?;
    let params = match convert::params(py, params)? {
        None => None,
        Some(v) => {
            Some(signet::elem::params_from_value(&v).map_err(|e| input_error(py, e.message()))?)
        }
    };
    let inferred = py
        .allow_threads(|| {
            signet::infer::infer_signature_with_warnings(
                input.as_ref(),
                output.as_ref(),
                params.as_deref(),
            )
        })
        .map_err(|e| schema_error(py, &e))?;
    Ok((to_tuple(&inferred.signature), inferred.warnings))
}

/// One violation: (row, column, value, reason).
type Row = (Option<usize>, String, Option<String>, String);

/// Every violation of `input` against the signature's input schema, row by row.
#[pyfunction]
fn validate(
    py: Python<'_>,
    input: &Bound<'_, PyTuple>,
    sig: &CompiledSignature,
    mode: &str,
) -> PyResult<Vec<Row>> {
    let mode = compat(py, mode)?;
    let signature = sig.signature.as_ref();
    let Some(schema) = signature.and_then(|s| s.inputs.as_ref()) else {
        return Ok(Vec::new());
    };
    let data = match frame_values(py, input, signature)? {
        Some(Ok(values)) => values,
        Some(Err(e)) => return Ok(vec![violation(&e)]),
        None => match read_unless_as_is(py, input, signature)? {
            Read::Input(data, _) => data,
            // Enforcement passes the frame as it is: no violation.
            Read::AsIs => return Ok(Vec::new()),
        },
    };
    Ok(py.allow_threads(move || match (&data, schema.kind()) {
        (ModelInput::Table(batch), SchemaKind::Columns(_)) => {
            let labels: Vec<_> = batch
                .schema()
                .fields()
                .iter()
                .map(|f| signet::table::column_label(f))
                .collect();
            let p = presence(schema, &labels);
            if p.message.is_none()
                && enforce_input(signature, ModelInput::Table(batch.clone()), None, mode).is_ok()
            {
                // Enforcement accepts the whole frame, hence each of its columns: no violation.
                // (Cheaper than enforcing column by column when, as usually, the data passes.)
                return Vec::new();
            }
            let mut rows: Vec<Row> = Vec::new();
            if let Some(message) = &p.message {
                // Named inputs are listed; an unnamed schema's count message names none.
                if p.missing.is_empty() {
                    rows.push((None, String::new(), None, message.clone()));
                }
                for name in &p.missing {
                    rows.push((None, name.as_text(), None, message.clone()));
                }
            }
            for v in violations_with(schema, batch, 0, mode) {
                rows.push((v.row, v.column, v.value, v.reason));
            }
            rows
        }
        _ => match enforce_input(signature, data, None, mode) {
            Ok(_) => Vec::new(),
            Err(e) => vec![violation(&e)],
        },
    }))
}

/// An enforcement error as the one violation it reports.
fn violation(e: &signet::enforce::EnforceError) -> Row {
    (
        e.location.row,
        e.location.column.clone().unwrap_or_default(),
        e.location.value.clone(),
        e.message().to_string(),
    )
}

/// `_enforce_schema` and params enforcement: the input and params as the model receives them,
/// and MLflow's warnings.
#[pyfunction]
#[pyo3(signature = (input, sig, params, mode, want_arrow))]
fn enforce(
    py: Python<'_>,
    input: &Bound<'_, PyTuple>,
    sig: &CompiledSignature,
    params: Option<&str>,
    mode: &str,
    want_arrow: bool,
) -> PyResult<(PyObject, Option<String>, Vec<String>)> {
    let signature = sig.signature.as_ref();
    let values = frame_values(py, input, signature)?;
    let frame_values = values.is_some();
    let params = convert::params(py, params)?;
    let mode = compat(py, mode)?;
    let (data, in_place) = match values {
        Some(checked) => (checked.map_err(|e| enforce_error(py, &e, None))?, true),
        None => match read_unless_as_is(py, input, signature)? {
            Read::Input(data, in_place) => (data, in_place),
            Read::AsIs => {
                // The frame reaches the model as it is; only the params are left to enforce.
                let (params, warnings) = py
                    .allow_threads(|| enforce_params(signature, params.as_ref(), mode))
                    .map_err(|e| enforce_error(py, &e, None))?;
                let out = ("unchanged",).into_pyobject(py)?.into_any().unbind();
                return Ok((out, params_json(params.as_ref()), messages(warnings)));
            }
        },
    };
    let mut handover = Handover::of(&data);
    // A pandas frame read in place, a numpy tensor or a dict of them, that enforcement leaves
    // as it is: the caller returns a (copy-on-write) copy of the frame itself rather than a
    // frame rebuilt from Arrow, and the caller's own arrays, as MLflow does (no copy of their
    // memory). The input is kept to compare (a shallow clone: Arcs).
    let before = match &data {
        ModelInput::Table(_) if in_place => Some(data.clone()),
        ModelInput::Tensor(_) | ModelInput::TensorDict(_) => Some(data.clone()),
        _ => None,
    };
    let enforced = py
        .allow_threads(|| enforce_input(signature, data, params.as_ref(), mode))
        .map_err(|e| enforce_error(py, &e, None))?;
    let unchanged = match (&before, &enforced.input) {
        (Some(ModelInput::Table(b)), ModelInput::Table(a)) => {
            b.num_columns() == a.num_columns()
                && b.columns()
                    .iter()
                    .zip(a.columns())
                    .all(|(x, y)| Arc::ptr_eq(x, y))
        }
        (Some(ModelInput::Tensor(b)), ModelInput::Tensor(a)) => same_tensor(b, a),
        _ => false,
    };
    let out = if let ModelInput::TensorDict(after) = &enforced.input {
        let inputs = match &before {
            Some(ModelInput::TensorDict(ts)) => ts.as_slice(),
            _ => &[],
        };
        tensors_out(py, inputs, after, &mut handover)?
    } else if unchanged {
        // The frame's values as they are: the caller returns `df.to_numpy()`.
        let kind = if frame_values { "values" } else { "unchanged" };
        (kind,).into_pyobject(py)?.into_any().unbind()
    } else {
        let want = if want_arrow { Want::Arrow } else { Want::Value };
        to_python(py, &enforced.input, want, &mut handover)?
    };
    Ok((
        out,
        params_json(enforced.params.as_ref()),
        messages(enforced.warnings),
    ))
}

/// Enforced params as the JSON text of their Elem form.
fn params_json(params: Option<&signet::Value>) -> Option<String> {
    params.map(|p| signet::pyjson::dumps(&signet::elem::to_elem(p)))
}

/// MLflow's log lines.
fn messages(warnings: Vec<signet::enforce::Warning>) -> Vec<String> {
    warnings.into_iter().map(|w| w.message).collect()
}

/// A payload read ([`convert::read_unless`]), or left unread when it is a DataFrame whose
/// numpy columns would be read (strided ones copied) only to be handed back: enforcement
/// passes it as it is, as its columns' fields tell ([`signet::enforce::frame_passes_as_is`]).
fn read_unless_as_is(
    py: Python<'_>,
    input: &Bound<'_, PyTuple>,
    signature: Option<&ModelSignature>,
) -> PyResult<Read> {
    convert::read_unless(py, input, |fields| {
        signet::enforce::frame_passes_as_is(signature, fields)
    })
}

/// A DataFrame of several numeric columns in one row-major block against one unnamed tensor
/// spec, as the tensor of its values once §7.2's checks of the frame's size pass (`Err`: the
/// check that failed); `None` for any other input or signature. MLflow checks such a frame's
/// values, `df.to_numpy()` (pandas' view of that block), as an array; signet checks the block
/// in place as that array instead of splitting it into columns and stacking them back
/// (10k x 784 float32: ~60 ms -> 5 µs).
fn frame_values(
    py: Python<'_>,
    input: &Bound<'_, PyTuple>,
    signature: Option<&ModelSignature>,
) -> PyResult<Option<Result<ModelInput, signet::enforce::EnforceError>>> {
    let Some(spec) = unnamed_tensor_spec(signature) else {
        return Ok(None);
    };
    let Some(df) = convert::pandas_frame(input)? else {
        return Ok(None);
    };
    let Some(tensor) = frame::row_major_values(py, &df) else {
        return Ok(None);
    };
    let checked = signet::enforce::unnamed_frame_shape(tensor.shape[0], tensor.shape[1], spec);
    Ok(Some(checked.map(|()| ModelInput::Tensor(tensor))))
}

/// A dict of tensors enforced from a dict of numpy arrays, as `("tensors", names, arrays)`:
/// each array the result's own (numeric tensors exported), or `None` where the tensor is the
/// caller's array under that name, passed as it is (the caller puts its own array there, as
/// MLflow returns it); the Value form when a result tensor is not numeric.
fn tensors_out(
    py: Python<'_>,
    before: &[(String, Tensor)],
    after: &[(String, Tensor)],
    handover: &mut Handover,
) -> PyResult<PyObject> {
    let mut names = Vec::with_capacity(after.len());
    let mut arrays = Vec::with_capacity(after.len());
    for (name, t) in after {
        let own = before.iter().any(|(n, b)| n == name && same_tensor(b, t));
        let array = if own {
            py.None()
        } else {
            match convert::tensor_bytes(t) {
                Some(bytes) => handover.export(py, bytes, &t.dtype.name(), &t.shape)?,
                None => {
                    let all = ModelInput::TensorDict(after.to_vec());
                    return to_python(py, &all, Want::Value, handover);
                }
            }
        };
        names.push(name.clone());
        arrays.push(array);
    }
    Ok(("tensors", names, arrays)
        .into_pyobject(py)?
        .into_any()
        .unbind())
}

/// Whether `after` is `before` as it was: the same memory (not equal values), dtype and shape.
fn same_tensor(before: &Tensor, after: &Tensor) -> bool {
    let same_data = match (&before.data, &after.data) {
        (TensorData::Arrow(b), TensorData::Arrow(a)) => Arc::ptr_eq(b, a),
        _ => false,
    };
    same_data && before.dtype == after.dtype && before.shape == after.shape
}

/// The spec of a signature whose inputs are one unnamed tensor.
fn unnamed_tensor_spec(signature: Option<&ModelSignature>) -> Option<&signet::types::TensorSpec> {
    match signature?.inputs.as_ref()?.tensor_specs()? {
        [spec] if spec.name.is_none() => Some(spec),
        _ => None,
    }
}

/// What changed between two signatures: (text report, JSON report, breaking?).
#[pyfunction]
fn diff(old: &CompiledSignature, new: &CompiledSignature) -> (String, String, bool) {
    let report = signet::diff::diff_signatures(old.signature.as_ref(), new.signature.as_ref());
    (
        signet::diff::render_text(&report),
        signet::diff::render_json(&report),
        report.is_breaking(),
    )
}

/// Resolves a model URI (`models:/name@alias`, `runs:/...`, `mlflow-artifacts:/...`, `file:`
/// or a path) to a local model directory, downloading it into signet's cache once.
#[pyfunction]
fn resolve(py: Python<'_>, uri: &str) -> PyResult<String> {
    let uri = uri.to_string();
    py.allow_threads(move || resolve_uri(&uri))
        .map(|p| p.display().to_string())
        .map_err(|m| model_error(py, m))
}

fn resolve_uri(uri: &str) -> Result<PathBuf, String> {
    use signet_mlflow::{Client, ModelUri};
    if let ModelUri::Local(p) = ModelUri::parse(uri).map_err(|e| e.to_string())? {
        return Ok(p);
    }
    let client = Client::from_env().map_err(|e| e.to_string())?;
    let cache = signet_mlflow::resolve::cache_root().map_err(|e| e.to_string())?;
    signet_mlflow::resolve::Resolver::new(Some(&client), cache)
        .resolve(uri, &mut |_, _, _| {})
        .map_err(|e| e.to_string())
}

/// The named input columns of the signature in the `MLmodel` file of the model at `uri`
/// (resolved as [`resolve`] does), each with its required flag, without loading the model;
/// `None` when the model has no input schema or its inputs are not named columns (tensors,
/// positional columns).
#[pyfunction]
fn input_columns(py: Python<'_>, uri: &str) -> PyResult<Option<Vec<(String, bool)>>> {
    let uri = uri.to_string();
    py.allow_threads(move || -> Result<_, String> {
        let dir = resolve_uri(&uri)?;
        let (mlmodel, _) = signet_model::MlModel::load(&dir).map_err(|e| e.to_string())?;
        let inputs = mlmodel.signature.and_then(|s| s.inputs);
        Ok(inputs.and_then(|schema| match schema.kind() {
            SchemaKind::Columns(cols) => cols
                .iter()
                .map(|c| match &c.name {
                    Some(ColumnName::Str(name)) => Some((name.clone(), c.is_required())),
                    _ => None,
                })
                .collect(),
            SchemaKind::Tensors(_) => None,
        }))
    })
    .map_err(|m| model_error(py, m))
}

/// A model loaded as `mlflow.pyfunc.load_model` loads it, run natively.
#[pyclass(frozen, module = "signet._signet")]
struct Model {
    inner: Arc<signet_model::PyFuncModel>,
}

#[pymethods]
impl Model {
    /// Loads the model at `uri` (a model URI or a directory).
    #[new]
    #[pyo3(signature = (uri, mode="strict"))]
    fn new(py: Python<'_>, uri: &str, mode: &str) -> PyResult<Model> {
        let mode = compat(py, mode)?;
        let uri = uri.to_string();
        let model = py
            .allow_threads(move || -> Result<_, String> {
                let dir = resolve_uri(&uri)?;
                let mut m = signet_model::load_model(&dir, &signet_flavors::registry())
                    .map_err(|e| format!("{}: {e}", dir.display()))?;
                m.set_compat(mode);
                Ok(m)
            })
            .map_err(|m| model_error(py, m))?;
        Ok(Model {
            inner: Arc::new(model),
        })
    }

    /// The model's signature in dict form, or `None`.
    #[getter]
    fn signature(&self) -> Option<SigTuple> {
        self.inner.signature().map(to_tuple)
    }

    /// The flavor that runs the model.
    #[getter]
    fn flavor(&self) -> String {
        self.inner.flavor().to_string()
    }

    /// The local model directory.
    #[getter]
    fn path(&self) -> String {
        self.inner.model_dir().display().to_string()
    }

    /// `PyFuncModel.predict(data, params)`: (output payload, warnings).
    #[pyo3(signature = (input, params=None, want_arrow=true))]
    fn predict(
        &self,
        py: Python<'_>,
        input: &Bound<'_, PyTuple>,
        params: Option<&str>,
        want_arrow: bool,
    ) -> PyResult<(PyObject, Vec<String>)> {
        let data = model_input(py, input)?;
        let mut handover = Handover::of(&data);
        let params = convert::params(py, params)?;
        let model = self.inner.clone();
        let prediction = py
            .allow_threads(move || model.predict_with_warnings(data, params.as_ref()))
            .map_err(|e| match &e {
                signet_model::ModelError::Enforce { error, message } => {
                    enforce_error(py, error, Some(message))
                }
                other => model_error(py, other.to_string()),
            })?;
        let want = if want_arrow { Want::Arrow } else { Want::Value };
        let out = to_python(py, &prediction.output, want, &mut handover)?;
        Ok((
            out,
            prediction.warnings.into_iter().map(|w| w.message).collect(),
        ))
    }
}

/// The module `signet._signet`.
#[pymodule]
fn _signet(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(infer_signature, m)?)?;
    m.add_class::<CompiledSignature>()?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(enforce, m)?)?;
    m.add_function(wrap_pyfunction!(diff, m)?)?;
    m.add_function(wrap_pyfunction!(resolve, m)?)?;
    m.add_function(wrap_pyfunction!(input_columns, m)?)?;
    m.add_class::<Model>()?;
    m.add_class::<ArrowMemory>()?;
    Ok(())
}
