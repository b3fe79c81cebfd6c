//! Saving, loading and running models: round trips, enforcement before the model runs, the
//! registry, flavor plug-ins, and the safety rules (no code from the directory, paths inside
//! it, atomic saves).

use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use signet::enforce::Compat;
use signet::{infer_signature, signature_to_dict, ModelInput, Value};
use signet_model::example::load_input_example;
use signet_model::{
    load_model, save_model, FlavorLoader, InputExample, LoadContext, LoadModel, MlModel, Model,
    ModelError, PredictContext, Predictor, Registry,
};
use signet_testkit::scratch::Scratch;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn scratch(name: &str) -> Scratch {
    signet_testkit::scratch::scratch(&format!("model-test-{name}"))
}

/// `Summer { factor: 1 }` saved without signature or example in `root/m`: that directory.
fn saved_summer(root: &Path) -> PathBuf {
    let dir = root.join("m");
    save_model(&dir, &Summer { factor: 1 }, None, None).unwrap();
    dir
}

/// Sums the two columns times a factor kept as state.
struct Summer {
    factor: i64,
}

impl Model for Summer {
    fn model_type(&self) -> &str {
        "summer"
    }
    fn predict(
        &self,
        ctx: &PredictContext,
        input: ModelInput,
        params: Option<&Value>,
    ) -> Result<ModelInput, ModelError> {
        let ModelInput::Table(t) = input else {
            return Err(ModelError::Model("not a table".into()));
        };
        let col = |n: &str| {
            t.column_by_name(n)
                .and_then(|c| c.as_any().downcast_ref::<Int64Array>().cloned())
                .ok_or_else(|| ModelError::Model(format!("no int64 column {n}")))
        };
        let (a, b) = (col("a")?, col("b")?);
        let bonus = match params.and_then(|p| p.get("bonus")) {
            Some(Value::Int(i)) => *i as i64,
            _ => 0,
        };
        assert!(ctx.model_dir.is_none() || ctx.model_dir.as_ref().unwrap().is_dir());
        let out: Int64Array = a
            .iter()
            .zip(b.iter())
            .map(|(x, y)| Some((x? + y?) * self.factor + bonus))
            .collect();
        Ok(ModelInput::Value(Value::List(
            out.iter()
                .map(|v| v.map_or(Value::None, |v| Value::Int(v as i128)))
                .collect(),
        )))
    }
    fn save_state(&self) -> Result<Vec<u8>, ModelError> {
        Ok(self.factor.to_string().into_bytes())
    }
}

impl LoadModel for Summer {
    fn load_state(state: &[u8], _: &PredictContext) -> Result<Self, ModelError> {
        let factor = std::str::from_utf8(state)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| ModelError::Model("bad state".into()))?;
        Ok(Summer { factor })
    }
}

fn table(a: &[i64], b: &[i64]) -> ModelInput {
    let a: ArrayRef = Arc::new(Int64Array::from(a.to_vec()));
    let b: ArrayRef = Arc::new(Int64Array::from(b.to_vec()));
    ModelInput::Table(RecordBatch::try_from_iter([("a", a), ("b", b)]).unwrap())
}

fn registry() -> Registry {
    let mut r = Registry::new();
    r.register::<Summer>("summer");
    r
}

#[test]
fn save_load_predict_with_inferred_signature() {
    let root = scratch("roundtrip");
    let dir = root.join("m");
    let example = InputExample::with_params(
        table(&[1, 2], &[3, 4]),
        vec![("bonus".into(), Value::Int(0))],
    );
    let saved = save_model(&dir, &Summer { factor: 10 }, None, Some(example)).unwrap();
    assert!(saved.warnings.is_empty(), "{:?}", saved.warnings);
    let sig = signature_to_dict(saved.mlmodel.signature.as_ref().unwrap());
    assert_eq!(
        sig.inputs.as_deref(),
        Some(
            r#"[{"type": "long", "name": "a", "required": true}, {"type": "long", "name": "b", "required": true}]"#
        )
    );
    assert_eq!(
        sig.outputs.as_deref(),
        Some(r#"[{"type": "long", "required": true}]"#)
    );
    assert_eq!(
        sig.params.as_deref(),
        Some(r#"[{"name": "bonus", "default": 0, "shape": null, "type": "long"}]"#)
    );
    assert_eq!(
        fs::read_to_string(dir.join("input_example.json")).unwrap(),
        r#"{"inputs": {"columns": ["a", "b"], "data": [[1, 3], [2, 4]]}, "params": {"bonus": 0}}"#
    );
    // Re-reading gives the same description.
    let (again, _) = MlModel::load(dir.join("MLmodel")).unwrap();
    assert_eq!(again, saved.mlmodel);

    let model = load_model(&dir, &registry()).unwrap();
    assert_eq!(model.flavor(), "signet");
    assert_eq!(model.compat(), Compat::Strict);
    let params = Value::dict([("bonus", Value::Int(1))]);
    match model.predict(table(&[1], &[2]), Some(&params)).unwrap() {
        ModelInput::Value(v) => assert_eq!(v, Value::List(vec![Value::Int(31)])),
        other => panic!("{other:?}"),
    }
    // The example reads back.
    let ex = model.input_example().unwrap().unwrap();
    assert!(matches!(ex.data, ModelInput::Table(ref t) if t.num_rows() == 2));
    assert_eq!(ex.params, Some(Value::dict([("bonus", Value::Int(0))])));
}

#[test]
fn enforcement_happens_before_the_model() {
    let root = scratch("enforce");
    let dir = root.join("m");
    let sample = table(&[1, 2], &[3, 4]);
    let sig = infer_signature(Some(&sample), None, None).unwrap();
    save_model(
        &dir,
        &Summer { factor: 1 },
        Some(sig),
        Some(InputExample::new(sample)),
    )
    .unwrap();
    let model = load_model(&dir, &registry()).unwrap();

    let a: ArrayRef = Arc::new(Int64Array::from(vec![1]));
    let c: ArrayRef = Arc::new(Int64Array::from(vec![2]));
    let missing =
        ModelInput::Table(RecordBatch::try_from_iter([("a", a.clone()), ("c", c)]).unwrap());
    let err = model.predict(missing, None).unwrap_err();
    let inner = err
        .enforce_error()
        .expect("an enforcement error")
        .to_string();
    assert_eq!(
        inner,
        "Model is missing inputs ['b']. Note that there were extra inputs: ['c']."
    );
    assert!(err
        .to_string()
        .starts_with("Failed to enforce schema of data '"));
    assert!(err.to_string().ends_with(&format!("Error: {inner}")));

    let text: ArrayRef = Arc::new(StringArray::from(vec!["1"]));
    let wrong = ModelInput::Table(RecordBatch::try_from_iter([("a", text), ("b", a)]).unwrap());
    let err = model.predict(wrong, None).unwrap_err();
    assert_eq!(
        err.enforce_error().unwrap().to_string(),
        "Incompatible input types for column a. Can not safely convert str to int64."
    );
}

#[test]
fn example_must_match_the_signature() {
    let root = scratch("mismatch");
    let sig = infer_signature(Some(&table(&[1], &[2])), None, None).unwrap();
    let a: ArrayRef = Arc::new(Int64Array::from(vec![1]));
    let only_a = ModelInput::Table(RecordBatch::try_from_iter([("a", a)]).unwrap());
    let err = save_model(
        root.join("m"),
        &Summer { factor: 1 },
        Some(sig),
        Some(InputExample::new(only_a)),
    )
    .unwrap_err();
    assert!(err
        .to_string()
        .starts_with("Input example does not match the model signature. "));
    assert!(!root.join("m").exists());
}

#[test]
fn unknown_model_type_names_it_and_says_how_to_register() {
    let root = scratch("unknown");
    let dir = saved_summer(&root);
    let err = load_model(&dir, &Registry::new()).unwrap_err();
    assert!(matches!(err, ModelError::UnknownModelType(_)));
    let msg = err.to_string();
    assert!(
        msg.contains("'summer'") && msg.contains("register::<YourModel>(\"summer\")"),
        "{msg}"
    );
}

#[test]
fn existing_target_is_refused_with_mlflows_message() {
    let root = scratch("exists");
    let dir = root.join("m");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("keep.txt"), "mine").unwrap();
    let err = save_model(&dir, &Summer { factor: 1 }, None, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("Path '{}' already exists and is not empty", dir.display())
    );
    assert_eq!(fs::read_to_string(dir.join("keep.txt")).unwrap(), "mine");
}

/// A model whose state cannot be produced: the save fails and leaves nothing behind.
struct Broken;

impl Model for Broken {
    fn model_type(&self) -> &str {
        "broken"
    }
    fn predict(
        &self,
        _: &PredictContext,
        i: ModelInput,
        _: Option<&Value>,
    ) -> Result<ModelInput, ModelError> {
        Ok(i)
    }
    fn save_state(&self) -> Result<Vec<u8>, ModelError> {
        Err(ModelError::Model("injected failure".into()))
    }
}

#[test]
fn failed_save_leaves_nothing() {
    let root = scratch("failed");
    let err = save_model(
        root.join("m"),
        &Broken,
        None,
        Some(InputExample::new(table(&[1], &[2]))),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "injected failure");
    assert_eq!(fs::read_dir(&root).unwrap().count(), 0);
}

const PICKLED_MLMODEL: &str = "flavors:\n  python_function:\n    cloudpickle_version: 3.1.3\n    code: code\n    env:\n      conda: conda.yaml\n      virtualenv: python_env.yaml\n    loader_module: evil_loader\n    python_model: python_model.pkl\n    python_version: 3.11.7\n    streamable: false\nis_signature_from_type_hint: false\nmlflow_version: 3.17.2\nmodel_id: null\nmodel_uuid: 5b7ee3910e2d4630a7f0da4615b49ee0\nprompts: null\nsaved_input_example_info:\n  artifact_path: input_example.json\n  serving_input_path: serving_input_example.json\n  type: json_object\nsignature:\n  inputs: '[{\"type\": \"string\", \"required\": true}]'\n  outputs: null\n  params: null\ntype_hint_from_example: false\nutc_time_created: '2026-11-26 04:05:09.547476'\n";

/// A directory crafted to run code if anything imported or unpickled it: its pickle and its
/// loader module would each create a sentinel file.
fn crafted(root: &Path, sentinel: &Path) -> PathBuf {
    let dir = root.join("crafted");
    fs::create_dir_all(dir.join("code")).unwrap();
    fs::write(dir.join("MLmodel"), PICKLED_MLMODEL).unwrap();
    let cmd = format!("touch {}", sentinel.display());
    // protocol-0 pickle of os.system(cmd)
    fs::write(
        dir.join("python_model.pkl"),
        format!("cos\nsystem\n(S'{cmd}'\ntR."),
    )
    .unwrap();
    fs::write(
        dir.join("code/evil_loader.py"),
        format!("import os\nos.system({cmd:?})\ndef _load_pyfunc(path):\n    return None\n"),
    )
    .unwrap();
    fs::write(dir.join("input_example.json"), r#"["hello"]"#).unwrap();
    fs::write(
        dir.join("serving_input_example.json"),
        "{\n  \"inputs\": [\n    \"hello\"\n  ]\n}",
    )
    .unwrap();
    dir
}

#[test]
fn loading_runs_no_code_from_the_directory() {
    let root = scratch("crafted");
    let sentinel = root.join("SENTINEL");
    let dir = crafted(&root, &sentinel);
    // Metadata and example are readable...
    let (m, d) = MlModel::load(&dir).unwrap();
    assert!(m.signature.is_some());
    let ex = load_input_example(&d, &m).unwrap().unwrap();
    assert!(matches!(ex.data, ModelInput::Value(Value::List(_))));
    // ...but the model cannot be run, and nothing was executed.
    let err = load_model(&dir, &registry()).unwrap_err();
    assert!(matches!(err, ModelError::UnsupportedFlavor(_)));
    let msg = err.to_string();
    assert!(
        msg.contains("[python_function]") && msg.contains("'evil_loader'"),
        "{msg}"
    );
    assert!(msg.contains("pickled PythonModel"), "{msg}");
    assert!(!sentinel.exists());
    // A python tag in the YAML itself is refused by the safe loader.
    fs::write(
        dir.join("MLmodel"),
        format!(
            "{PICKLED_MLMODEL}x: !!python/object/apply:os.system ['touch {}']\n",
            sentinel.display()
        ),
    )
    .unwrap();
    let err = MlModel::load(&dir).unwrap_err();
    assert!(err
        .to_string()
        .starts_with("could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"));
    assert!(!sentinel.exists());
}

#[test]
fn artifact_paths_escaping_the_directory_are_refused() {
    let root = scratch("escape");
    let dir = saved_summer(&root);
    let original = fs::read_to_string(dir.join("MLmodel")).unwrap();
    fs::write(root.join("outside_state"), "7").unwrap();
    for bad in ["../outside_state", "/etc/passwd"] {
        let text = original.replace("data: model_state", &format!("data: {bad}"));
        fs::write(dir.join("MLmodel"), text).unwrap();
        let err = load_model(&dir, &registry()).unwrap_err();
        assert!(matches!(err, ModelError::UnsafePath(_)), "{bad}: {err}");
        assert!(err.to_string().contains(bad), "{err}");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&root, dir.join("link")).unwrap();
        let text = original.replace("data: model_state", "data: link/outside_state");
        fs::write(dir.join("MLmodel"), text).unwrap();
        assert!(matches!(
            load_model(&dir, &registry()).unwrap_err(),
            ModelError::UnsafePath(_)
        ));
    }
    // The example path too.
    let text = format!(
        "{original}saved_input_example_info:\n  artifact_path: ../../etc/passwd\n  type: json_object\n"
    );
    fs::write(dir.join("MLmodel"), text).unwrap();
    let (m, d) = MlModel::load(&dir).unwrap();
    assert!(matches!(
        load_input_example(&d, &m).unwrap_err(),
        ModelError::UnsafePath(_)
    ));
}

#[test]
fn mlflow_load_errors() {
    let root = scratch("errors");
    let missing = root.join("nope");
    assert_eq!(
        MlModel::load(&missing).unwrap_err().to_string(),
        format!(
            "Could not find an \"MLmodel\" configuration file at \"{}\"",
            missing.display()
        )
    );
    assert_eq!(
        MlModel::load(&root).unwrap_err().to_string(),
        "No such artifact: 'MLmodel'"
    );
    fs::write(root.join("MLmodel"), "flavors: [unclosed\n").unwrap();
    assert!(matches!(
        MlModel::load(&root).unwrap_err(),
        ModelError::Yaml(_)
    ));
    fs::write(
        root.join("MLmodel"),
        "flavors:\n  sklearn:\n    pickled_model: model.pkl\n",
    )
    .unwrap();
    assert_eq!(
        load_model(&root, &registry()).unwrap_err().to_string(),
        "Model does not have the \"python_function\" flavor"
    );
}

/// A stand-in for the ONNX engine: a flavor loader plugged in by the program.
struct FakeOnnx;

struct ConstPredictor(i64);

impl Predictor for ConstPredictor {
    fn predict(&self, _: ModelInput, _: Option<&Value>) -> Result<ModelInput, ModelError> {
        Ok(ModelInput::Value(Value::Int(self.0 as i128)))
    }
}

impl FlavorLoader for FakeOnnx {
    fn load(&self, ctx: &LoadContext<'_>) -> Result<Box<dyn Predictor>, ModelError> {
        let data = ctx.data_path()?;
        let bytes = fs::read(&data).map_err(|e| ModelError::Io(e.to_string()))?;
        Ok(Box::new(ConstPredictor(bytes.len() as i64)))
    }
}

#[test]
fn flavor_loaders_plug_in() {
    let root = scratch("onnx");
    fs::write(
        root.join("MLmodel"),
        "flavors:\n  onnx:\n    code: null\n    data: model.onnx\n    onnx_session_options: null\n    onnx_version: 1.23.2\n    providers:\n    - CUDAExecutionProvider\n    - CPUExecutionProvider\n  python_function:\n    data: model.onnx\n    env:\n      conda: conda.yaml\n      virtualenv: python_env.yaml\n    loader_module: mlflow.onnx\n    python_version: 3.11.7\nmlflow_version: 3.17.2\nmodel_id: null\nmodel_uuid: 942e793258594bd9a7d6fe01065a1cea\nprompts: null\nutc_time_created: '2026-11-26 04:05:19.749521'\n",
    )
    .unwrap();
    fs::write(root.join("model.onnx"), [0u8; 5]).unwrap();
    let err = load_model(&root, &registry()).unwrap_err();
    assert!(err.to_string().contains("[onnx, python_function]"), "{err}");
    let mut reg = registry();
    reg.register_flavor("onnx", FakeOnnx);
    let model = load_model(&root, &reg).unwrap();
    assert_eq!(model.flavor(), "onnx");
    match model
        .predict(ModelInput::Value(Value::Int(1)), None)
        .unwrap()
    {
        ModelInput::Value(Value::Int(5)) => {}
        other => panic!("{other:?}"),
    }
}
