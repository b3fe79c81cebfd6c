//! The skops reader on small files built here: the tree, skops' memo, the audit, and the
//! refusals (untrusted types, truncated zips, bad `.npy` headers, unknown loaders, old
//! protocols), each naming the file and the node.

use serde_json::{json, Value};
use signet_skops::{parse_npy, ArrayData, Json, NodeKind, SkopsFile};
use signet_testkit::skops::{archive, f64_bytes as f64s, npy, CompressionMethod};

fn zip_of(schema: &Value, members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    archive(&schema.to_string(), members, CompressionMethod::Stored)
}

fn js(content: &str, id: i64) -> Value {
    json!({"__class__": "str", "__module__": "builtins", "__loader__": "JsonNode",
           "content": content, "is_json": true, "__id__": id})
}

fn array(file: &str, id: i64) -> Value {
    json!({"__class__": "ndarray", "__module__": "numpy", "__loader__": "NdArrayNode",
           "type": "numpy", "file": file, "__id__": id})
}

fn object(class: &str, module: &str, attrs: Vec<(&str, Value)>) -> Value {
    let keys: Vec<Value> = attrs
        .iter()
        .map(|_| json!({"__class__": "str", "__module__": "builtins", "__loader__": "TypeNode", "__id__": 7}))
        .collect();
    let content: serde_json::Map<String, Value> =
        attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    json!({"__class__": class, "__module__": module, "__loader__": "ObjectNode",
           "content": {"__class__": "dict", "__module__": "builtins", "__loader__": "DictNode",
                       "content": content,
                       "key_types": {"__class__": "list", "__module__": "builtins",
                                     "__loader__": "ListNode", "content": keys}},
           "protocol": 2, "_skops_version": "0.16.0"})
}

fn scaler() -> (Value, Vec<(&'static str, Vec<u8>)>) {
    let schema = object(
        "StandardScaler",
        "sklearn.preprocessing._data",
        vec![
            ("with_mean", js("true", 11)),
            ("copy", js("true", 11)),
            ("n_features_in_", js("2", 12)),
            ("mean_", array("1.npy", 21)),
            ("scale_", array("2.npy", 22)),
            ("missing", js("NaN", 13)),
        ],
    );
    let members = vec![
        ("1.npy", npy("'<f8'", false, "(2,)", &f64s(&[1.0, 2.0]))),
        ("2.npy", npy("'<f8'", false, "(2,)", &f64s(&[0.5, 4.0]))),
    ];
    (schema, members)
}

#[test]
fn reads_the_tree_of_an_estimator() {
    let (schema, members) = scaler();
    let file = SkopsFile::from_bytes(&zip_of(&schema, &members), "m.skops", &[]).unwrap();
    let root = &file.root;
    assert_eq!(
        root.type_name(),
        "sklearn.preprocessing._data.StandardScaler"
    );
    assert_eq!(root.attr("n_features_in_").unwrap().i64().unwrap(), 2);
    assert!(root.attr("with_mean").unwrap().bool().unwrap());
    // The same __id__ is the same node (skops' memo).
    assert_eq!(root.attr("copy").unwrap().json(), Some(&Json::Bool(true)));
    let mean = root.attr("mean_").unwrap();
    assert_eq!(mean.path, "mean_");
    assert_eq!(
        *mean.ndarray().unwrap().data,
        ArrayData::F64(vec![1.0, 2.0])
    );
    assert_eq!(
        root.lookup("scale_").unwrap().f64_shaped(&[2]).unwrap(),
        vec![0.5, 4.0]
    );
    assert!(matches!(root.attr("missing").unwrap().json(), Some(Json::Float(f)) if f.is_nan()));
    assert!(matches!(root.kind, NodeKind::Object { .. }));
    // The raw schema is there for readers that walk the JSON themselves.
    assert_eq!(file.schema["content"]["content"]["mean_"]["file"], "1.npy");
    let e = root.attr("var_").unwrap_err();
    assert_eq!(
        e.to_string(),
        "at <root>: StandardScaler has no attribute `var_`"
    );
    let e = mean.str().unwrap_err();
    assert!(
        e.to_string().starts_with("at mean_: expected a string"),
        "{e}"
    );
}

#[test]
fn reads_deflated_members() {
    // skops writes stored members; `skops.io.dump(..., compression=ZIP_DEFLATED)` deflates them.
    let (schema, members) = scaler();
    let bytes = archive(&schema.to_string(), &members, CompressionMethod::Deflated);
    let file = SkopsFile::from_bytes(&bytes, "m.skops", &[]).unwrap();
    assert_eq!(
        file.root.attr("scale_").unwrap().f64_shaped(&[2]).unwrap(),
        vec![0.5, 4.0]
    );
}

#[test]
fn refuses_untrusted_types_naming_them_and_their_node() {
    let schema = object(
        "Pipeline",
        "sklearn.pipeline",
        vec![
            ("memory", object("system", "os", vec![])),
            (
                "f",
                json!({"__class__": "eval", "__module__": "builtins", "__loader__": "FunctionNode", "__id__": 5}),
            ),
        ],
    );
    let bytes = zip_of(&schema, &[]);
    let e = SkopsFile::from_bytes(&bytes, "evil.skops", &[]).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with("evil.skops: untrusted types: builtins.eval (at f), os.system (at memory)"),
        "{msg}"
    );
    assert!(
        msg.contains("skops_trusted_types=[\"builtins.eval\", \"os.system\"]"),
        "{msg}"
    );
    // Trusting them (MLflow's skops_trusted_types) lets the file be read as data.
    let trusted = vec!["os.system".to_string(), "builtins.eval".to_string()];
    let file = SkopsFile::from_bytes(&bytes, "evil.skops", &trusted).unwrap();
    assert_eq!(file.root.attr("memory").unwrap().type_name(), "os.system");
}

#[test]
fn trees_need_trust_as_in_skops() {
    let tree = json!({"__class__": "Tree", "__module__": "sklearn.tree._tree", "__loader__": "TreeNode",
        "__reduce__": {"args": {"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode", "content": [js("1", 3)]}},
        "content": {"__class__": "dict", "__module__": "builtins", "__loader__": "DictNode", "content": {},
                    "key_types": {"__class__": "list", "__module__": "builtins", "__loader__": "ListNode", "content": []}},
        "__id__": 9});
    let schema = object(
        "DecisionTreeRegressor",
        "sklearn.tree._classes",
        vec![("tree_", tree)],
    );
    let bytes = zip_of(&schema, &[]);
    let e = SkopsFile::from_bytes(&bytes, "t.skops", &[]).unwrap_err();
    assert!(
        e.message
            .starts_with("untrusted types: sklearn.tree._tree.Tree (at tree_)"),
        "{e}"
    );
    let ok = SkopsFile::from_bytes(&bytes, "t.skops", &["sklearn.tree._tree.Tree".into()]).unwrap();
    assert!(matches!(
        ok.root.attr("tree_").unwrap().kind,
        NodeKind::Reduce { .. }
    ));
}

#[test]
fn refuses_truncated_zips_without_panicking() {
    let (schema, members) = scaler();
    let bytes = zip_of(&schema, &members);
    let e = SkopsFile::from_bytes(&bytes[..bytes.len() - 10], "cut.skops", &[]).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("cut.skops: not a readable zip archive (truncated or not a skops file)"),
        "{e}"
    );
    for n in (0..bytes.len()).step_by(7) {
        assert!(SkopsFile::from_bytes(&bytes[..n], "cut.skops", &[]).is_err());
    }
}

#[test]
fn refuses_bad_npy_headers_naming_node_and_member() {
    let (schema, mut members) = scaler();
    members[1].1 = b"\x93NUMPY\x01\x00\x20\x00{'descr': '<f8', 'fortran_or".to_vec();
    let e = SkopsFile::from_bytes(&zip_of(&schema, &members), "m.skops", &[]).unwrap_err();
    assert_eq!(e.file, "m.skops");
    assert_eq!(e.location, "scale_ (member 2.npy)");
    assert!(e.message.starts_with("truncated .npy header"), "{e}");
    members[1].1 = npy("'|O'", false, "(2,)", &[0; 16]);
    let e = SkopsFile::from_bytes(&zip_of(&schema, &members), "m.skops", &[]).unwrap_err();
    assert!(
        e.message.contains("pickle, which signet never reads"),
        "{e}"
    );
    members.pop();
    let e = SkopsFile::from_bytes(&zip_of(&schema, &members), "m.skops", &[]).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("m.skops: at scale_ (member 2.npy): cannot open it"),
        "{e}"
    );
}

#[test]
fn refuses_unknown_loaders_old_protocols_and_bad_schemas() {
    let mut schema = object(
        "X",
        "sklearn.x",
        vec![(
            "a",
            json!({"__class__": "x", "__module__": "m", "__loader__": "PickleNode"}),
        )],
    );
    let e = SkopsFile::from_bytes(&zip_of(&schema, &[]), "m.skops", &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "m.skops: at a: unknown loader PickleNode for type m.x (skops 0.16 does not define it)"
    );
    schema["protocol"] = json!(1);
    let e = SkopsFile::from_bytes(&zip_of(&schema, &[]), "m.skops", &[]).unwrap_err();
    assert!(e.to_string().contains("saved with skops protocol 1"), "{e}");
    schema["protocol"] = json!(true);
    let e = SkopsFile::from_bytes(&zip_of(&schema, &[]), "m.skops", &[]).unwrap_err();
    assert!(e.to_string().contains("invalid skops protocol true"), "{e}");
    let e = SkopsFile::from_bytes(&zip_of(&json!([1, 2]), &[]), "m.skops", &[]).unwrap_err();
    assert_eq!(e.to_string(), "m.skops: at schema.json: not a JSON object");
    let no_class = json!({"__module__": "m", "__loader__": "ObjectNode", "protocol": 2});
    let e = SkopsFile::from_bytes(&zip_of(&no_class, &[]), "m.skops", &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "m.skops: at <root>: the node has no string `__class__`"
    );
}

// The .npy reader on its own.

#[test]
fn reads_c_and_fortran_order() {
    let matrix = |fortran, v: &[f64]| parse_npy(&npy("'<f8'", fortran, "(2, 3)", &f64s(v)));
    let c = matrix(false, &[1., 2., 3., 4., 5., 6.]).unwrap();
    assert_eq!(c.shape, vec![2, 3]);
    assert_eq!(*c.data, ArrayData::F64(vec![1., 2., 3., 4., 5., 6.]));
    // The same matrix stored column by column.
    let f = matrix(true, &[1., 4., 2., 5., 3., 6.]).unwrap();
    assert_eq!(f.data, c.data);
}

#[test]
fn reads_ints_bools_strings_and_big_endian() {
    let a = parse_npy(&npy(
        "'<i4'",
        false,
        "(2,)",
        &[0xff, 0xff, 0xff, 0xff, 7, 0, 0, 0],
    ))
    .unwrap();
    assert_eq!(*a.data, ArrayData::Int(vec![-1, 7]));
    let b = parse_npy(&npy("'>i2'", false, "(1,)", &[1, 2])).unwrap();
    assert_eq!(*b.data, ArrayData::Int(vec![258]));
    let c = parse_npy(&npy("'|b1'", false, "(2,)", &[1, 0])).unwrap();
    assert_eq!(*c.data, ArrayData::Bool(vec![true, false]));
    let mut u = Vec::new();
    for ch in ['a', 'b', '\0', 'é', '\0', '\0'] {
        u.extend_from_slice(&(ch as u32).to_le_bytes());
    }
    let d = parse_npy(&npy("'<U3'", false, "(2,)", &u)).unwrap();
    assert_eq!(*d.data, ArrayData::Str(vec!["ab".into(), "é".into()]));
    let s = parse_npy(&npy("'<f8'", false, "()", &f64s(&[2.5]))).unwrap();
    assert!(s.shape.is_empty());
    assert_eq!(s.data.to_f64().unwrap(), vec![2.5]);
}

#[test]
fn reads_structured_records_with_padding() {
    let mut body = Vec::new();
    for (a, b, c) in [(1i64, 0.5f64, 1u8), (-1, 1.5, 0)] {
        body.extend_from_slice(&a.to_le_bytes());
        body.extend_from_slice(&b.to_le_bytes());
        body.push(c);
        body.extend_from_slice(&[0; 7]);
    }
    let descr = "[('left', '<i8'), ('thr', '<f8'), ('miss', '|u1'), ('', '|V7')]";
    let a = parse_npy(&npy(descr, false, "(2,)", &body)).unwrap();
    assert_eq!(a.data.field("left"), Some(&ArrayData::Int(vec![1, -1])));
    assert_eq!(a.data.field("thr"), Some(&ArrayData::F64(vec![0.5, 1.5])));
    assert_eq!(a.data.field("miss"), Some(&ArrayData::UInt(vec![1, 0])));
    assert_eq!(a.data.len(), 2);
}

#[test]
fn refuses_bad_input_clearly() {
    let e = |b: &[u8]| parse_npy(b).unwrap_err().0;
    assert_eq!(e(b"PK\x03\x04 not npy"), "not a .npy file (bad magic)");
    assert!(e(&npy("'|O'", false, "(1,)", &[0; 8])).contains("pickle"));
    assert!(e(&npy("'<f8'", false, "(3,)", &[0; 16])).starts_with("truncated .npy data"));
    assert!(e(&npy("'<c16'", false, "(1,)", &[0; 16])).contains("unsupported dtype"));
    assert!(e(b"\x93NUMPY\x01\x00\xff\x00{'descr'").starts_with("truncated .npy header"));
    assert!(e(&npy("'<f8'", false, "(-1,)", &[])).contains("negative dimension"));
    let bad = npy("'<f8'", false, "(1,", &[0; 8]);
    assert!(e(&bad).starts_with("bad .npy header"), "{}", e(&bad));
    assert!(e(b"\x93NUMPY\x09\x00\x00\x00").contains("version 9"));
    assert!(e(&npy("'<f8'", false, "(4611686018427387904, 4)", &[])).contains("overflow"));
    let wide = "[('a', '|V18446744073709551615'), ('b', '|V2')]";
    assert_eq!(
        e(&npy(wide, false, "(1,)", &[])),
        "structured dtype too wide"
    );
}

#[test]
fn never_panics_on_prefixes() {
    let good = npy("'<f8'", true, "(2, 2)", &f64s(&[1., 2., 3., 4.]));
    for n in 0..good.len() {
        let _ = parse_npy(&good[..n]);
    }
}
