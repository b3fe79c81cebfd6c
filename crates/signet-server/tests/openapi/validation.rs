//! The document served over HTTP, every document through `openapi-spec-validator`, and real
//! request and response bodies checked against the documented schemas.

use super::*;

#[tokio::test]
async fn served_by_the_router() {
    for metrics in [false, true] {
        let config = ServerConfig {
            signature: Some(house_price()),
            metrics,
            ..ServerConfig::default()
        };
        let expected = pyjson::dumps(&document(
            Some(&house_price()),
            &DocumentOptions {
                metrics,
                model_name: Some("model".into()),
                model_version: None,
            },
        ));
        let server = router(Arc::new(EchoPredictor::default()), config);
        let r = call(&server, "GET", "/openapi.json", None, b"").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.text(), expected);
        assert_eq!(
            keys(&json(&r.text()))
                .iter()
                .filter(|k| k.as_str() == "paths")
                .count(),
            1
        );
        assert_eq!(
            keys(at(&json(&r.text()), &["paths"])).contains(&"/metrics".to_string()),
            metrics
        );
        for method in ["HEAD", "POST"] {
            let r = call(&server, method, "/openapi.json", None, b"").await;
            assert_eq!(r.status, 405, "{method}");
            assert_eq!(r.header("allow"), Some("GET"));
        }
    }
}

/// Every document through `openapi-spec-validator`, when `SIGNET_OPENAPI_VALIDATOR` names a
/// python that has it.
#[test]
#[ignore = "needs SIGNET_OPENAPI_VALIDATOR (a Python with openapi-spec-validator); scripts/interop.sh runs it"]
fn documents_pass_the_standard_validator() {
    let docs = [
        ("house_price", Some(house_price())),
        ("mixed", Some(mixed())),
        ("mnist", Some(mnist())),
        ("tensor_dict", Some(tensor_dict())),
        ("params", Some(with_params())),
        ("no_signature", None),
    ];
    let dir: PathBuf =
        std::env::temp_dir().join(format!("signet-openapi-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut files = Vec::new();
    for (name, sig) in &docs {
        let options = DocumentOptions {
            metrics: true,
            model_name: Some("model".into()),
            model_version: Some("1".into()),
        };
        for (suffix, opts) in [("", DocumentOptions::default()), ("_options", options)] {
            let path = dir.join(format!("{name}{suffix}.json"));
            std::fs::write(&path, pyjson::dumps(&document(sig.as_ref(), &opts))).expect("write");
            files.push(path);
        }
    }
    let python = validator();
    let mut failures = Vec::new();
    for file in &files {
        let out = Command::new(&python)
            .arg("-c")
            .arg("from openapi_spec_validator import validate; import json,sys; validate(json.load(open(sys.argv[1])))")
            .arg(file)
            .output()
            .expect("run the validator");
        if out.status.success() {
            println!("openapi: {} is valid", file.display());
        } else {
            failures.push(format!(
                "{}: {}\n{}",
                file.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `SIGNET_OPENAPI_VALIDATOR`: a python with `openapi-spec-validator`. A relative path with a
/// directory part is taken relative to the repository root (tests run in the crate directory);
/// a bare name is looked up in `PATH`.
fn validator() -> PathBuf {
    let given = PathBuf::from(std::env::var_os("SIGNET_OPENAPI_VALIDATOR").expect(
        "SIGNET_OPENAPI_VALIDATOR must name a Python with openapi-spec-validator and jsonschema (scripts/interop.sh sets it)",
    ));
    if given.is_relative() && given.components().count() > 1 {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(given)
    } else {
        given
    }
}

/// The house-price model: a constant price, as a list of records.
struct Price;

impl Predictor for Price {
    fn predict(&self, _: ModelInput, _: Option<Value>) -> Result<ModelInput, PredictError> {
        Ok(ModelInput::Value(Value::List(vec![Value::dict([(
            "price",
            Value::Float(150000.0),
        )])])))
    }
}

/// JSON pointer escaping (`/` → `~1`).
fn pointer(parts: &[&str]) -> String {
    let escaped: Vec<String> = parts
        .iter()
        .map(|p| p.replace('~', "~0").replace('/', "~1"))
        .collect();
    format!("#/{}", escaped.join("/"))
}

fn component(name: &str) -> String {
    pointer(&["components", "schemas", name])
}

fn invocations_body() -> String {
    pointer(&[&INVOCATIONS_JSON[..], &["schema"]].concat())
}

/// One body to check against a document's schema.
struct Case {
    /// Index into the documents.
    doc: usize,
    name: String,
    /// JSON pointer of the schema in the document.
    pointer: String,
    instance: Value,
    /// Whether the schema must accept it (else refuse it).
    valid: bool,
}

/// Sends each `(body, accepted)` to `/invocations` of a server with `sig` (asserting 200 for
/// accepted bodies, 400 otherwise) and records it as a case against the request schema.
async fn request_cases(
    cases: &mut Vec<Case>,
    doc: usize,
    sig: ModelSignature,
    predictor: Arc<dyn Predictor>,
    bodies: &[(&str, bool)],
) {
    let config = ServerConfig {
        signature: Some(sig),
        ..ServerConfig::default()
    };
    let server = router(predictor, config);
    for (body, accepted) in bodies {
        let r = call(
            &server,
            "POST",
            "/invocations",
            Some("application/json"),
            body.as_bytes(),
        )
        .await;
        assert_eq!(
            r.status,
            if *accepted { 200 } else { 400 },
            "{body}: {}",
            r.text()
        );
        cases.push(Case {
            doc,
            name: format!("{} {body}", if *accepted { "accepted" } else { "refused" }),
            pointer: invocations_body(),
            instance: json(body),
            valid: *accepted,
        });
        cases.push(Case {
            doc,
            name: format!("answer to {body}"),
            pointer: component(if *accepted { "Predictions" } else { "Error" }),
            instance: json(&r.text()),
            valid: true,
        });
    }
}

/// Real traffic against the documented schemas: requests the server accepts (every one answered
/// 200) and requests it refuses (the schema must refuse them too), for column, tensor and
/// tensor-dict signatures; the server's answers (predictions, MLflow errors, V2 metadata, V2
/// inference, V2 errors); and each document's own request examples. The bodies are checked
/// with `jsonschema` (installed with `openapi-spec-validator`) when `SIGNET_OPENAPI_VALIDATOR`
/// is set.
#[tokio::test]
#[ignore = "needs SIGNET_OPENAPI_VALIDATOR (a Python with jsonschema); scripts/interop.sh runs it"]
async fn real_bodies_match_the_documented_schemas() {
    let options = DocumentOptions {
        metrics: false,
        model_name: Some("model".into()),
        model_version: None,
    };
    let small_tensor = signature(
        Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]"#),
        None,
        None,
    );
    let sigs = [house_price(), mixed(), small_tensor, tensor_dict()];
    let docs: Vec<Value> = sigs.iter().map(|s| document(Some(s), &options)).collect();
    let mut cases = Vec::new();

    request_cases(
        &mut cases,
        0,
        house_price(),
        Arc::new(Price),
        &[
            (r#"{"dataframe_split": {"columns": ["sqft", "bedrooms"], "data": [[1500, 3], [2000, 4]]}}"#, true),
            (r#"{"dataframe_split": {"columns": ["bedrooms", "sqft"], "data": [[3, 1500]], "index": [7]}}"#, true),
            (r#"{"dataframe_records": [{"sqft": 1500, "bedrooms": 3}]}"#, true),
            (r#"{"instances": [{"sqft": 1500, "bedrooms": 3}]}"#, true),
            (r#"{"instances": {"sqft": [1500], "bedrooms": [3]}}"#, true),
            (r#"{"inputs": {"sqft": [1500, 2000], "bedrooms": 3}}"#, true),
            (r#"{"inputs": [{"sqft": 1500, "bedrooms": 3}], "params": {}}"#, true),
            (r#"{"dataframe_split": {"columns": ["sqft", "bathrooms"], "data": [[1500, 2]]}}"#, false),
            (r#"{"dataframe_split": 5}"#, false),
            (r#"{"inputs": {"sqft": ["abc"], "bedrooms": [3]}}"#, false),
            (r#"{"dataframe_records": [{"sqft": 1500}]}"#, false),
            (r#"{"dataframe_records": [{"sqft": 1500, "bedrooms": 3}], "inputs": {"sqft": [1500], "bedrooms": [3]}}"#, false),
            (r#"{"params": {}}"#, false),
        ],
    )
    .await;
    request_cases(
        &mut cases,
        1,
        mixed(),
        Arc::new(EchoPredictor::default()),
        &[
            (r#"{"dataframe_records": [{"name": "a", "ts": "2020-01-01T00:00:00", "tags": ["x"], "attrs": {"k": 1.5}, "n": 1}]}"#, true),
            (r#"{"dataframe_records": [{"name": "a", "active": true, "ts": "2020-01-01T00:00:00", "blob": "AAEC", "tags": ["x", "y"], "meta": {"x": 1, "y": null}, "attrs": {}, "n": 7, "extra": [1, "z"]}]}"#, true),
            (r#"{"dataframe_records": [{"name": "a", "ts": "2020-01-01T00:00:00", "tags": ["x"], "attrs": {"k": 1.5}}]}"#, false),
            (r#"{"dataframe_records": [{"name": "a", "ts": "2020-01-01T00:00:00", "tags": ["x"], "attrs": {"k": 1.5}, "n": 1, "meta": {"x": 1, "z": 2}}]}"#, false),
            (r#"{"dataframe_records": [{"name": "a", "ts": "2020-01-01T00:00:00", "tags": ["x"], "attrs": {"k": "high"}, "n": 1}]}"#, false),
        ],
    )
    .await;
    request_cases(
        &mut cases,
        2,
        sigs[2].clone(),
        Arc::new(EchoPredictor::default()),
        &[
            (r#"{"inputs": [[1, 2], [3, 4]]}"#, true),
            (r#"{"instances": [[1.5, 2]]}"#, true),
            (
                r#"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]]}}"#,
                true,
            ),
            (r#"{"inputs": [[1, 2, 3]]}"#, false),
            (r#"{"inputs": [[1, 2], [3]]}"#, false),
            (r#"{"inputs": [["a", "b"]]}"#, false),
            (r#"{"inputs": {"x": [[1, 2]]}}"#, false),
        ],
    )
    .await;
    request_cases(
        &mut cases,
        3,
        tensor_dict(),
        Arc::new(EchoPredictor::default()),
        &[
            (r#"{"inputs": {"x": [[1, 2]], "y": [5]}}"#, true),
            (r#"{"instances": [{"x": [1, 2], "y": 5}]}"#, true),
            (r#"{"inputs": {"x": [[1, 2]]}}"#, false),
            (r#"{"inputs": {"x": [[1, 2, 3]], "y": [5]}}"#, false),
        ],
    )
    .await;

    // V2, house price.
    let echo = router(
        Arc::new(EchoPredictor::default()),
        ServerConfig {
            signature: Some(house_price()),
            ..ServerConfig::default()
        },
    );
    let mut v2 = |name: &str, schema: &str, instance: Value| {
        cases.push(Case {
            doc: 0,
            name: name.into(),
            pointer: component(schema),
            instance,
            valid: true,
        })
    };
    let r = call(&echo, "GET", "/v2", None, b"").await;
    assert_eq!(r.status, 200, "{}", r.text());
    v2("v2 server", "V2ServerMetadata", json(&r.text()));
    let r = call(&echo, "GET", "/v2/models/model", None, b"").await;
    assert_eq!(r.status, 200, "{}", r.text());
    v2("v2 metadata", "V2ModelMetadata", json(&r.text()));
    let infer = r#"{"id": "r1", "inputs": [{"name": "sqft", "shape": [2], "datatype": "INT64", "data": [1500, 2000]}, {"name": "bedrooms", "shape": [2, 1], "datatype": "INT64", "data": [[3], [4]]}]}"#;
    let r = call(
        &echo,
        "POST",
        "/v2/models/model/infer",
        Some("application/json"),
        infer.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    v2("v2 request", "V2InferenceRequest", json(infer));
    v2("v2 response", "V2InferenceResponse", json(&r.text()));
    let r = call(&echo, "GET", "/v2/models/other", None, b"").await;
    assert_eq!(r.status, 404, "{}", r.text());
    v2("v2 not found", "V2Error", json(&r.text()));

    // Each document's own request examples.
    for (i, d) in docs.iter().enumerate() {
        let content = invocations_json(d, &[]);
        let Some(examples) = content.get("examples") else {
            continue;
        };
        for name in keys(examples) {
            cases.push(Case {
                doc: i,
                name: format!("example {name} of document {i}"),
                pointer: invocations_body(),
                instance: at(examples, &[&name, "value"]).clone(),
                valid: true,
            });
        }
    }

    let python = validator();
    let dir: PathBuf =
        std::env::temp_dir().join(format!("signet-openapi-bodies-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut doc_files = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let file = dir.join(format!("doc{i}.json"));
        std::fs::write(&file, pyjson::dumps(d)).expect("write");
        doc_files.push(Value::str(file.to_string_lossy()));
    }
    let cases_file = dir.join("cases.json");
    let cases_value = Value::dict([
        ("docs", Value::List(doc_files)),
        (
            "cases",
            Value::List(
                cases
                    .iter()
                    .map(|c| {
                        Value::dict([
                            ("doc", Value::Int(c.doc as i128)),
                            ("name", Value::str(c.name.clone())),
                            ("pointer", Value::str(c.pointer.clone())),
                            ("instance", c.instance.clone()),
                            ("valid", Value::Bool(c.valid)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ]);
    std::fs::write(&cases_file, pyjson::dumps(&cases_value)).expect("write");
    let script = r#"
import json, sys
from jsonschema import Draft202012Validator
spec = json.load(open(sys.argv[1]))
docs = [json.load(open(f)) for f in spec["docs"]]
bad = []
for case in spec["cases"]:
    validator = Draft202012Validator(dict(docs[case["doc"]], **{"$ref": case["pointer"]}))
    errors = list(validator.iter_errors(case["instance"]))
    if case["valid"] and errors:
        bad.append("%s: %s" % (case["name"], "; ".join(e.message for e in errors)))
    if not case["valid"] and not errors:
        bad.append("%s: accepted by the schema" % case["name"])
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
"#;
    let out = Command::new(&python)
        .arg("-c")
        .arg(script)
        .arg(&cases_file)
        .output()
        .expect("run the validator");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "bodies disagreeing with the documented schemas:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!(
        "openapi: {} real bodies agree with the documented schemas",
        cases.len()
    );
}
