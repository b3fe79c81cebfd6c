//! The examples of docs/model-directory.md#yaml-bytes, #signature-block, #reference-files, copied verbatim.

use super::*;

fn sig(inputs: Option<&str>, outputs: Option<&str>, params: Option<&str>) -> SignatureDict {
    SignatureDict::from_texts(inputs, outputs, params)
}

/// `key: <scalar>` as `safe_dump` writes it, without the trailing newline.
fn kv(value: &str) -> String {
    let out = to_string(&Yaml::map([("k", Yaml::str(value))]));
    out.strip_prefix("k: ")
        .and_then(|s| s.strip_suffix('\n'))
        .unwrap_or(&out)
        .to_string()
}

#[test]
fn signature_block_folds_long_inputs() {
    // docs/model-directory.md#yaml-bytes, #reference-files.
    let dict = sig(
        Some(
            r#"[{"type": "long", "name": "sqft", "required": true}, {"type": "string", "name": "city", "required": true}]"#,
        ),
        Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]"#),
        None,
    );
    let expected = r#"signature:
  inputs: '[{"type": "long", "name": "sqft", "required": true}, {"type": "string",
    "name": "city", "required": true}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'
  params: null
"#;
    assert_eq!(signature_block(&dict), expected);
}

#[test]
fn signature_block_with_params() {
    // docs/model-directory.md#reference-files.
    let dict = sig(
        Some(r#"[{"type": "long", "name": "a", "required": true}]"#),
        Some(r#"[{"type": "long", "name": "a", "required": true}]"#),
        Some(r#"[{"name": "k", "default": 5, "shape": null, "type": "long"}]"#),
    );
    let expected = r#"signature:
  inputs: '[{"type": "long", "name": "a", "required": true}]'
  outputs: '[{"type": "long", "name": "a", "required": true}]'
  params: '[{"name": "k", "default": 5, "shape": null, "type": "long"}]'
"#;
    assert_eq!(signature_block(&dict), expected);
}

#[test]
fn signature_block_tensors() {
    // docs/model-directory.md#reference-files: the inputs line is 86 characters long, yet unbroken: no space
    // is reached once the column is past 80.
    let dict = sig(
        Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]"#),
        Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}}]"#),
        None,
    );
    let expected = r#"signature:
  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}}]'
  params: null
"#;
    assert_eq!(signature_block(&dict), expected);
}

#[test]
fn signature_block_all_null() {
    assert_eq!(
        signature_block(&sig(None, None, None)),
        "signature:\n  inputs: null\n  outputs: null\n  params: null\n"
    );
}

#[test]
fn whole_mlmodel_file() {
    // docs/model-directory.md#reference-files, the complete file.
    let python_function = Yaml::map([
        ("cloudpickle_version", Yaml::str("3.1.3")),
        ("code", Yaml::Null),
        (
            "env",
            Yaml::map([
                ("conda", Yaml::str("conda.yaml")),
                ("virtualenv", Yaml::str("python_env.yaml")),
            ]),
        ),
        ("loader_module", Yaml::str("mlflow.pyfunc.model")),
        ("python_model", Yaml::str("python_model.pkl")),
        ("python_version", Yaml::str("3.11.7")),
        ("streamable", Yaml::Bool(false)),
    ]);
    let dict = sig(
        Some(
            r#"[{"type": "long", "name": "sqft", "required": true}, {"type": "string", "name": "city", "required": true}]"#,
        ),
        Some(r#"[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]"#),
        None,
    );
    // Inserted out of order on purpose: the emitter sorts keys.
    let doc = Yaml::map([
        ("utc_time_created", Yaml::str("2026-11-26 04:05:09.547476")),
        ("type_hint_from_example", Yaml::Bool(false)),
        ("signature", signature_node(&dict)),
        (
            "saved_input_example_info",
            Yaml::map([
                ("type", Yaml::str("dataframe")),
                (
                    "serving_input_path",
                    Yaml::str("serving_input_example.json"),
                ),
                ("pandas_orient", Yaml::str("split")),
                ("artifact_path", Yaml::str("input_example.json")),
            ]),
        ),
        ("prompts", Yaml::Null),
        ("model_uuid", Yaml::str("5b7ee3910e2d4630a7f0da4615b49ee0")),
        ("model_size_bytes", Yaml::Int(1588)),
        ("model_id", Yaml::Null),
        ("mlflow_version", Yaml::str("3.17.2")),
        ("is_signature_from_type_hint", Yaml::Bool(false)),
        ("flavors", Yaml::map([("python_function", python_function)])),
    ]);
    let expected = r#"flavors:
  python_function:
    cloudpickle_version: 3.1.3
    code: null
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.pyfunc.model
    python_model: python_model.pkl
    python_version: 3.11.7
    streamable: false
is_signature_from_type_hint: false
mlflow_version: 3.17.2
model_id: null
model_size_bytes: 1588
model_uuid: 5b7ee3910e2d4630a7f0da4615b49ee0
prompts: null
saved_input_example_info:
  artifact_path: input_example.json
  pandas_orient: split
  serving_input_path: serving_input_example.json
  type: dataframe
signature:
  inputs: '[{"type": "long", "name": "sqft", "required": true}, {"type": "string",
    "name": "city", "required": true}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'
  params: null
type_hint_from_example: false
utc_time_created: '2026-11-26 04:05:09.547476'
"#;
    assert_eq!(to_string(&doc), expected);
}

#[test]
fn onnx_providers_sequence_is_not_indented() {
    // docs/model-directory.md#yaml-bytes, #reference-files.
    let doc = Yaml::map([(
        "onnx",
        Yaml::map([
            ("onnx_session_options", Yaml::Null),
            (
                "providers",
                Yaml::Seq(vec![
                    Yaml::str("CUDAExecutionProvider"),
                    Yaml::str("CPUExecutionProvider"),
                ]),
            ),
        ]),
    )]);
    assert_eq!(
        to_string(&doc),
        "onnx:\n  onnx_session_options: null\n  providers:\n  - CUDAExecutionProvider\n  - CPUExecutionProvider\n"
    );
}

#[test]
fn nested_sequences_and_mappings_in_sequences() {
    let doc = Yaml::Seq(vec![
        Yaml::Seq(vec![
            Yaml::Int(1),
            Yaml::Seq(vec![Yaml::Int(2), Yaml::Int(3)]),
        ]),
        Yaml::map([(
            "a",
            Yaml::map([("b", Yaml::Seq(vec![Yaml::map::<&str>([])]))]),
        )]),
    ]);
    assert_eq!(
        to_string(&doc),
        "- - 1\n  - - 2\n    - 3\n- a:\n    b:\n    - {}\n"
    );
}

#[test]
fn empty_collections_and_root_scalars() {
    assert_eq!(to_string(&Yaml::map::<&str>([])), "{}\n");
    assert_eq!(to_string(&Yaml::Seq(vec![])), "[]\n");
    assert_eq!(to_string(&Yaml::str("abc")), "abc\n...\n");
    assert_eq!(to_string(&Yaml::Int(1)), "1\n...\n");
    assert_eq!(to_string(&Yaml::str("")), "''\n");
    assert_eq!(to_string(&Yaml::str("yes")), "'yes'\n");
}

#[test]
fn scalars() {
    let doc = Yaml::map([
        ("a", Yaml::Float(1.5)),
        ("b", Yaml::Float(1e20)),
        ("c", Yaml::Float(f64::INFINITY)),
        ("d", Yaml::Float(f64::NEG_INFINITY)),
        ("e", Yaml::Float(f64::NAN)),
        ("f", Yaml::Float(1e-7)),
        ("g", Yaml::Int(-12)),
        ("h", Yaml::Bool(true)),
        ("i", Yaml::Null),
        ("j", Yaml::Float(2.0)),
    ]);
    assert_eq!(
        to_string(&doc),
        "a: 1.5\nb: 1.0e+20\nc: .inf\nd: -.inf\ne: .nan\nf: 1.0e-07\ng: -12\nh: true\ni: null\nj: 2.0\n"
    );
}

#[test]
fn quoting_rules_of_model_format_section_3() {
    for s in [
        "yes",
        "Yes",
        "on",
        "off",
        "true",
        "null",
        "NULL",
        "~",
        "",
        "1234",
        "012",
        "+1",
        "-1",
        "1_000",
        "0x1F",
        "1:30",
        ".5",
        "1.0",
        ".nan",
        "2020-01-01",
        "2020-01-01T10:00:00Z",
        "2026-11-26 04:05:09.547476",
        "=",
        "<<",
        " x",
        "x ",
        "[x",
        "{x",
        "&x",
        "*x",
        "!x",
        "|x",
        ">x",
        "%x",
        "@x",
        "`x",
        "#x",
        "- x",
        "? x",
        ": x",
        "x:",
        "a: b",
        "a #b",
    ] {
        assert_eq!(kv(s), format!("'{s}'"), "{s:?} must be single-quoted");
    }
    for s in [
        "1e3",
        "1e10",
        "12e4",
        "0o12",
        "nan",
        "-x",
        "?x",
        ":x",
        "x#y",
        "a,b",
        "x]",
        "x}",
        "3.17.2",
        "3.11.7",
        "5b7ee3910e2d4630a7f0da4615b49ee0",
        "m-83ebc4da36a349efaa6a6bb5b25c9f27",
        "python_model.pkl",
        "it's",
    ] {
        assert_eq!(kv(s), s, "{s:?} must stay plain");
    }
    // All-digit uuid: an int.
    assert_eq!(
        kv("12345678901234567890123456789012"),
        "'12345678901234567890123456789012'"
    );
    // Quotes are doubled inside single quotes; a leading quote forces quoting.
    assert_eq!(kv("'a'"), "'''a'''");
    assert_eq!(kv("[it's]"), "'[it''s]'");
    // Tabs, control and non-ASCII characters force double quotes with escapes.
    assert_eq!(kv("caf\u{e9}"), "\"caf\\xE9\"");
    assert_eq!(kv("a\tb"), "\"a\\tb\"");
    assert_eq!(kv("snow\u{2603}"), "\"snow\\u2603\"");
    assert_eq!(kv("\u{1F600}"), "\"\\U0001F600\"");
    assert_eq!(kv("q\"\\\u{7f}"), "\"q\\\"\\\\\\x7F\"");
}

#[test]
fn keys_are_quoted_and_long_keys_become_complex() {
    assert_eq!(to_string(&Yaml::map([("yes", Yaml::Int(1))])), "'yes': 1\n");
    let k122 = "k".repeat(122);
    assert_eq!(
        to_string(&Yaml::map([(k122.clone(), Yaml::Int(1))])),
        format!("{k122}: 1\n")
    );
    let k123 = "k".repeat(123);
    assert_eq!(
        to_string(&Yaml::map([(k123.clone(), Yaml::Int(1))])),
        format!("? {k123}\n: 1\n")
    );
    assert_eq!(to_string(&Yaml::map([("", Yaml::Int(1))])), "? ''\n: 1\n");
}

#[test]
fn folding_plain_and_double_quoted() {
    let words = "x ".repeat(60);
    assert_eq!(
        to_string(&Yaml::map([("a", Yaml::str(words.trim_end()))])),
        format!(
            "a: {}\n  {}\n",
            "x ".repeat(39) + "x",
            "x ".repeat(19) + "x"
        )
    );
    let cafe = "caf\u{e9} ".repeat(30) + "\t";
    let expected = "a: \"caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9\\\n  \\ caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9\\\n  \\ caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9 caf\\xE9\\\n  \\ \\t\"\n";
    assert_eq!(to_string(&Yaml::map([("a", Yaml::str(cafe))])), expected);
}

#[test]
fn multiline_strings() {
    assert_eq!(kv("line\nbreak"), "'line\n\n  break'");
    assert_eq!(kv("space \nbreak"), "\"space \\nbreak\"");
}

#[test]
fn resolver() {
    for s in [
        "190:20:30",
        "1:30.5",
        "-.inf",
        "+.Inf",
        "0b101",
        "2020-1-1 1:00:00.5 +01:00",
    ] {
        assert!(!resolves_to_str(s), "{s}");
    }
    for s in ["1:60", "0b", "0x", "1.0e3", "09", "2020-1-1", "yEs", "1e"] {
        assert!(resolves_to_str(s), "{s}");
    }
}
