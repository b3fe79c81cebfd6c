//! The `MLmodel` file: [`MlModel`], read and written as MLflow 3.17.2's `mlflow.models.Model`
//! reads and writes it (docs/model-directory.md#mlmodel-keys, #signature-block, #saved-input-example-info, #loading).
//!
//! * Reading ([`MlModel::from_yaml_str`], [`MlModel::load`]) is `Model.load`: the YAML is read
//!   with `safe_load` semantics ([`crate::yaml::load`]); a `signature` mapping is parsed with
//!   `ModelSignature.from_dict` (schema errors are MLflow's) and takes
//!   `is_signature_from_type_hint` / `type_hint_from_example` with it; a missing `model_uuid`
//!   or `mlflow_version` becomes null, a missing (or falsy) `utc_time_created` the current
//!   time; every other key is kept verbatim in [`MlModel::extra`]; flavors keep their file
//!   order.
//! * Writing ([`MlModel::to_yaml_string`]) is `Model.to_yaml()`: `yaml.safe_dump` of
//!   `Model.to_dict()` (keys sorted, nulls dropped where MLflow drops them) through the
//!   PyYAML-exact emitter of [`crate::yaml`].
//!
//! A new model ([`MlModel::new`]) gets a uuid4 `model_uuid`, the current UTC time, and
//! `mlflow_version: 3.17.2`: signet writes the MLmodel format of MLflow 3.17.2 byte for byte,
//! so it declares that version — MLflow uses the field to tell which format it is reading.
//! signet's own version goes in the `signet` flavor.

use crate::error::ModelError;
use crate::yaml::{self, Node, Yaml};
use signet::json_form::signature_to_value;
use signet::{signature_to_dict, ModelSignature, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name of the model description file.
pub const MLMODEL_FILE_NAME: &str = "MLmodel";

/// The MLflow version whose format signet writes (the `mlflow_version` of new models).
pub const MLFLOW_VERSION: &str = "3.17.2";

/// The `python_function` flavor's name.
pub const PYFUNC_FLAVOR: &str = "python_function";

/// An MLmodel file: what `mlflow.models.Model` holds.
///
/// Keys MLflow always writes are plain fields; keys it writes only when set are `Option`s
/// (`None` = absent, and MLflow also drops them when they are null). Values are kept as the
/// YAML read ([`Yaml`]) so that a loaded file is written back unchanged.
#[derive(Clone, Debug, PartialEq)]
pub struct MlModel {
    /// `artifact_path` (logged models only).
    pub artifact_path: Option<Yaml>,
    /// `run_id` (logged models only).
    pub run_id: Option<Yaml>,
    /// `utc_time_created`, as Python's `str()` of the naive UTC time
    /// (`YYYY-MM-DD HH:MM:SS.ffffff`).
    pub utc_time_created: String,
    /// Flavor name → flavor configuration, in file order.
    pub flavors: Vec<(String, Yaml)>,
    /// The parsed `signature` block.
    pub signature: Option<ModelSignature>,
    /// `is_signature_from_type_hint`, written next to the signature (default `false`).
    pub is_signature_from_type_hint: Yaml,
    /// `type_hint_from_example`, written next to the signature (default `false`).
    pub type_hint_from_example: Yaml,
    /// `saved_input_example_info` (see [`ExampleInfo`]).
    pub saved_input_example_info: Option<Yaml>,
    /// `model_uuid` (null when a loaded file lacked it).
    pub model_uuid: Yaml,
    /// `mlflow_version` (null when a loaded file lacked it: then it is not written).
    pub mlflow_version: Yaml,
    /// `metadata`, the user's mapping.
    pub metadata: Option<Yaml>,
    /// `prompts` (always written, null unless prompts are linked).
    pub prompts: Yaml,
    /// `model_size_bytes`.
    pub model_size_bytes: Option<Yaml>,
    /// `resources`.
    pub resources: Option<Yaml>,
    /// `env_vars`.
    pub env_vars: Option<Yaml>,
    /// `auth_policy`.
    pub auth_policy: Option<Yaml>,
    /// `model_id` (always written; null for saved, `m-<hex>` for logged models).
    pub model_id: Yaml,
    /// Every other top-level key, verbatim (including `databricks_runtime`, and a `signature`
    /// that is neither a mapping nor null).
    pub extra: Vec<(String, Yaml)>,
}

impl Default for MlModel {
    fn default() -> Self {
        MlModel::new()
    }
}

/// `saved_input_example_info` in typed form (docs/model-directory.md#saved-input-example-info).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleInfo {
    /// `artifact_path`: the example file, relative to the model directory.
    pub artifact_path: String,
    /// `type`: `dataframe`, `ndarray`, `json_object`, `sparse_matrix_csc` or
    /// `sparse_matrix_csr`.
    pub kind: String,
    /// `pandas_orient` (`split` or `values`, dataframes only).
    pub pandas_orient: Option<String>,
    /// `serving_input_path`: the serving example file, when one was written.
    pub serving_input_path: Option<String>,
    /// Whether the example carries params (`params: 'true'`).
    pub params: bool,
}

impl ExampleInfo {
    /// The YAML mapping MLflow writes.
    pub fn to_yaml(&self) -> Yaml {
        let mut m = BTreeMap::new();
        m.insert("artifact_path".into(), Yaml::str(&self.artifact_path));
        m.insert("type".into(), Yaml::str(&self.kind));
        if let Some(o) = &self.pandas_orient {
            m.insert("pandas_orient".into(), Yaml::str(o));
        }
        if let Some(p) = &self.serving_input_path {
            m.insert("serving_input_path".into(), Yaml::str(p));
        }
        if self.params {
            m.insert("params".into(), Yaml::str("true"));
        }
        Yaml::Map(m)
    }

    /// Reads the mapping (`None` when it lacks `type`; a missing `artifact_path` is
    /// `input_example.json`).
    pub fn from_yaml(y: &Yaml) -> Option<ExampleInfo> {
        let text = |k: &str| y.get(k).and_then(Yaml::as_str).map(str::to_string);
        Some(ExampleInfo {
            artifact_path: text("artifact_path").unwrap_or_else(|| "input_example.json".into()),
            kind: match y.get("type")? {
                Yaml::Str(s) => s.clone(),
                other => signet::repr::py_str_of(&other.to_value()),
            },
            pandas_orient: text("pandas_orient"),
            serving_input_path: text("serving_input_path"),
            params: y.get("params").is_some_and(|v| v.to_value().is_truthy()),
        })
    }
}

impl MlModel {
    /// A new model description, as `mlflow.models.Model()` creates it: a fresh uuid4
    /// `model_uuid`, the current UTC time, `mlflow_version: 3.17.2`, no flavors.
    pub fn new() -> MlModel {
        MlModel {
            artifact_path: None,
            run_id: None,
            utc_time_created: utc_now_text(),
            flavors: Vec::new(),
            signature: None,
            is_signature_from_type_hint: Yaml::Bool(false),
            type_hint_from_example: Yaml::Bool(false),
            saved_input_example_info: None,
            model_uuid: Yaml::Str(uuid4_hex()),
            mlflow_version: Yaml::str(MLFLOW_VERSION),
            metadata: None,
            prompts: Yaml::Null,
            model_size_bytes: None,
            resources: None,
            env_vars: None,
            auth_policy: None,
            model_id: Yaml::Null,
            extra: Vec::new(),
        }
    }

    /// The configuration of a flavor.
    pub fn flavor(&self, name: &str) -> Option<&Yaml> {
        self.flavors.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    /// Adds (or replaces) a flavor (`Model.add_flavor`).
    pub fn add_flavor(&mut self, name: &str, config: Yaml) {
        match self.flavors.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = config,
            None => self.flavors.push((name.to_string(), config)),
        }
    }

    /// The flavor names, in file order.
    pub fn flavor_names(&self) -> Vec<&str> {
        self.flavors.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// `saved_input_example_info` in typed form.
    pub fn example_info(&self) -> Option<ExampleInfo> {
        self.saved_input_example_info
            .as_ref()
            .and_then(ExampleInfo::from_yaml)
    }

    /// `model_uuid` as text, when it is a string.
    pub fn model_uuid(&self) -> Option<&str> {
        self.model_uuid.as_str()
    }

    /// Whether `metadata` marks the model's artifacts as external
    /// (`mlflow.models.is_external: true`), which `mlflow.pyfunc.load_model` refuses.
    pub fn is_external(&self) -> bool {
        self.metadata
            .as_ref()
            .and_then(|m| m.get("mlflow.models.is_external"))
            .is_some_and(|v| v.to_value().is_truthy())
    }

    /// `Model.from_dict(yaml.safe_load(text))`.
    pub fn from_yaml_str(text: &str) -> Result<MlModel, ModelError> {
        let doc = yaml::load(text).map_err(|e| ModelError::Yaml(e.to_string()))?;
        match doc {
            Some(node @ Node::Map(_)) => MlModel::from_node(&node),
            Some(other) => Err(ModelError::Yaml(format!(
                "'{}' object has no attribute 'copy'",
                other.type_name()
            ))),
            None => Err(ModelError::Yaml(
                "'NoneType' object has no attribute 'copy'".into(),
            )),
        }
    }

    /// `Model.from_dict` of a loaded YAML mapping.
    pub fn from_node(doc: &Node) -> Result<MlModel, ModelError> {
        let Node::Map(items) = doc else {
            return Err(ModelError::Yaml(format!(
                "'{}' object has no attribute 'copy'",
                doc.type_name()
            )));
        };
        let mut m = MlModel::new();
        m.model_uuid = Yaml::Null;
        m.mlflow_version = Yaml::Null;
        let mut time: Option<Yaml> = None;
        let sig_is_map = matches!(doc.get("signature"), Some(Node::Map(_)));
        for (key, node) in items {
            let y = node.to_yaml();
            let set = |y: Yaml| if y == Yaml::Null { None } else { Some(y) };
            match key.as_str() {
                "artifact_path" => m.artifact_path = set(y),
                "run_id" => m.run_id = set(y),
                "utc_time_created" => time = Some(y),
                "flavors" => {
                    m.flavors = match node {
                        Node::Map(fl) => fl.iter().map(|(k, v)| (k.clone(), v.to_yaml())).collect(),
                        Node::Scalar(Yaml::Null) => Vec::new(),
                        other => {
                            return Err(ModelError::InvalidModel(format!(
                                "Invalid MLmodel: 'flavors' must be a mapping, got {}",
                                other.type_name()
                            )))
                        }
                    }
                }
                "signature" if sig_is_map => {
                    m.signature = Some(signet::json_form::signature_from_value(&y.to_value())?);
                }
                "signature" if y == Yaml::Null => {}
                "is_signature_from_type_hint" if sig_is_map => m.is_signature_from_type_hint = y,
                "type_hint_from_example" if sig_is_map => m.type_hint_from_example = y,
                "saved_input_example_info" => m.saved_input_example_info = set(y),
                "model_uuid" => m.model_uuid = y,
                "mlflow_version" => m.mlflow_version = y,
                "metadata" => m.metadata = set(y),
                "prompts" => m.prompts = y,
                "model_size_bytes" => m.model_size_bytes = set(y),
                "resources" => m.resources = set(y),
                "env_vars" => m.env_vars = set(y),
                "auth_policy" => m.auth_policy = set(y),
                "model_id" => m.model_id = y,
                _ => m.extra.push((key.clone(), y)),
            }
        }
        m.utc_time_created = match time {
            Some(t) if t.to_value().is_truthy() => match t {
                Yaml::Str(s) => s,
                other => signet::repr::py_str_of(&other.to_value()),
            },
            _ => utc_now_text(),
        };
        Ok(m)
    }

    /// `Model.load(path)`: `path` is the model directory or the `MLmodel` file itself
    /// (docs/model-directory.md#loading). Returns the description and the model directory.
    pub fn load(path: impl AsRef<Path>) -> Result<(MlModel, PathBuf), ModelError> {
        let (file, dir) = mlmodel_path(path.as_ref())?;
        let text = std::fs::read_to_string(&file)
            .map_err(|e| ModelError::io(format!("cannot read {}", file.display()), e))?;
        Ok((MlModel::from_yaml_str(&text)?, dir))
    }

    /// `Model.to_dict()` as a YAML mapping.
    pub fn to_yaml(&self) -> Yaml {
        let mut res: BTreeMap<String, Yaml> = BTreeMap::new();
        for (k, v) in &self.extra {
            res.insert(k.clone(), v.clone());
        }
        let mut put = |k: &str, v: Yaml| {
            res.insert(k.to_string(), v);
        };
        put(
            "flavors",
            Yaml::Map(
                self.flavors
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
        );
        put("utc_time_created", Yaml::str(&self.utc_time_created));
        put("model_uuid", self.model_uuid.clone());
        put("model_id", self.model_id.clone());
        put("prompts", self.prompts.clone());
        if self.mlflow_version != Yaml::Null {
            put("mlflow_version", self.mlflow_version.clone());
        }
        let optional = [
            ("artifact_path", &self.artifact_path),
            ("run_id", &self.run_id),
            ("saved_input_example_info", &self.saved_input_example_info),
            ("metadata", &self.metadata),
            ("resources", &self.resources),
            ("model_size_bytes", &self.model_size_bytes),
            ("auth_policy", &self.auth_policy),
            ("env_vars", &self.env_vars),
        ];
        for (k, v) in optional {
            if let Some(v) = v {
                if *v != Yaml::Null {
                    put(k, v.clone());
                }
            }
        }
        if let Some(sig) = &self.signature {
            put("signature", yaml::signature_node(&signature_to_dict(sig)));
            put(
                "is_signature_from_type_hint",
                self.is_signature_from_type_hint.clone(),
            );
            put(
                "type_hint_from_example",
                self.type_hint_from_example.clone(),
            );
        }
        Yaml::Map(res)
    }

    /// The MLmodel file text (`Model.to_yaml()`).
    pub fn to_yaml_string(&self) -> String {
        yaml::to_string(&self.to_yaml())
    }

    /// The signature in `to_dict()` form as a Python value (`None` without a signature).
    pub fn signature_value(&self) -> Value {
        self.signature
            .as_ref()
            .map_or(Value::None, signature_to_value)
    }
}

/// Where `Model.load(path)` looks: `(MLmodel file, model directory)`, or MLflow's errors for a
/// missing path (`Could not find an "MLmodel" configuration file at "<path>"`) and a directory
/// without an MLmodel (`No such artifact: 'MLmodel'`).
pub fn mlmodel_path(path: &Path) -> Result<(PathBuf, PathBuf), ModelError> {
    let text = path.to_string_lossy();
    let trimmed = text.trim_end_matches(std::path::MAIN_SEPARATOR);
    let trimmed = if trimmed.is_empty() && !text.is_empty() {
        std::path::MAIN_SEPARATOR_STR
    } else {
        trimmed
    };
    let path = PathBuf::from(trimmed);
    if !path.exists() {
        return Err(ModelError::NotFound(format!(
            "Could not find an \"{MLMODEL_FILE_NAME}\" configuration file at \"{trimmed}\""
        )));
    }
    let is_model_dir = path.file_name().is_none_or(|n| n != MLMODEL_FILE_NAME);
    let (file, dir) = if is_model_dir {
        (path.join(MLMODEL_FILE_NAME), path.clone())
    } else {
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        (path.clone(), dir)
    };
    if !file.is_file() {
        return Err(ModelError::NotFound(format!(
            "No such artifact: '{MLMODEL_FILE_NAME}'"
        )));
    }
    Ok((file, dir))
}

/// The current UTC time as Python's `str(datetime.now(timezone.utc).replace(tzinfo=None))`:
/// `YYYY-MM-DD HH:MM:SS.ffffff` (the fraction omitted when the microseconds are 0).
pub fn utc_now_text() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let micros = now.subsec_micros();
    let dt = chrono::DateTime::from_timestamp(now.as_secs() as i64, micros * 1000)
        .unwrap_or_default()
        .naive_utc();
    python_datetime_str(&dt)
}

/// Python's `str()` of a naive datetime (microsecond precision).
pub fn python_datetime_str(dt: &chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    let micros = dt.nanosecond() / 1000;
    let base = dt.format("%Y-%m-%d %H:%M:%S").to_string();
    if micros == 0 {
        base
    } else {
        format!("{base}.{micros:06}")
    }
}

/// A random version-4 UUID as 32 lowercase hex digits (`uuid.uuid4().hex`), from the
/// operating system's random source (`/dev/urandom`), falling back to std's hasher seeds.
pub fn uuid4_hex() -> String {
    let mut bytes = [0u8; 16];
    let filled = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .is_ok();
    if !filled {
        use std::hash::{BuildHasher, Hasher};
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_nanos(),
            );
            h.write_u32(std::process::id());
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAVED: &str = "flavors:\n  python_function:\n    cloudpickle_version: 3.1.3\n    code: null\n    env:\n      conda: conda.yaml\n      virtualenv: python_env.yaml\n    loader_module: mlflow.pyfunc.model\n    python_model: python_model.pkl\n    python_version: 3.11.7\n    streamable: false\nis_signature_from_type_hint: false\nmlflow_version: 3.17.2\nmodel_id: null\nmodel_size_bytes: 1588\nmodel_uuid: 5b7ee3910e2d4630a7f0da4615b49ee0\nprompts: null\nsaved_input_example_info:\n  artifact_path: input_example.json\n  pandas_orient: split\n  serving_input_path: serving_input_example.json\n  type: dataframe\nsignature:\n  inputs: '[{\"type\": \"long\", \"name\": \"sqft\", \"required\": true}, {\"type\": \"string\",\n    \"name\": \"city\", \"required\": true}]'\n  outputs: '[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float64\", \"shape\": [-1]}}]'\n  params: null\ntype_hint_from_example: false\nutc_time_created: '2026-11-26 04:05:09.547476'\n";

    #[test]
    fn round_trips_an_mlflow_file() {
        let m = MlModel::from_yaml_str(SAVED).unwrap();
        assert_eq!(m.flavor_names(), ["python_function"]);
        assert_eq!(m.example_info().unwrap().kind, "dataframe");
        assert_eq!(m.to_yaml_string(), SAVED);
    }

    #[test]
    fn minimal_file_and_unknown_keys() {
        let m = MlModel::from_yaml_str(
            "flavors:\n  python_function:\n    loader_module: mlflow.onnx\nzeta: [1, {b: 2}]\nsignature: null\n",
        )
        .unwrap();
        assert_eq!(m.model_uuid, Yaml::Null);
        assert_eq!(m.mlflow_version, Yaml::Null);
        assert!(m.signature.is_none());
        let text = m.to_yaml_string();
        assert!(text.contains("model_uuid: null\n"));
        assert!(!text.contains("mlflow_version"));
        assert!(text.contains("zeta:\n- 1\n- b: 2\n"));
        assert!(!text.contains("signature"));
    }

    #[test]
    fn new_model_fields() {
        let m = MlModel::new();
        let uuid = m.model_uuid().unwrap();
        assert_eq!(uuid.len(), 32);
        assert_eq!(&uuid[12..13], "4");
        assert!(uuid
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert!(m.utc_time_created.len() >= 19);
        let text = m.to_yaml_string();
        assert!(text.starts_with("flavors: {}\nmlflow_version: 3.17.2\nmodel_id: null\n"));
    }

    #[test]
    fn not_a_mapping() {
        assert_eq!(
            MlModel::from_yaml_str("").unwrap_err().to_string(),
            "'NoneType' object has no attribute 'copy'"
        );
        assert_eq!(
            MlModel::from_yaml_str("- a\n").unwrap_err().to_string(),
            "'list' object has no attribute 'copy'"
        );
    }
}
