//! Hand-made models (tests/data): predictions worked out by hand, the same model through JSON
//! and UBJSON, and corrupt or truncated files refused with the file and position, never a
//! panic.

use signet_testkit::workloads::Rng;
use signet_trees::value::Value;
use signet_trees::xgboost::predict::Options;
use signet_trees::{lightgbm, xgboost};
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

const NAN32: f32 = f32::NAN;

#[test]
fn xgboost_json_by_hand() {
    let m = xgboost::Model::load(&data("tiny_xgb.json")).unwrap();
    assert_eq!(m.feature_names, ["a", "b"]);
    // rows: (a, b)
    let x = [
        0.2, 3.0, NAN32, NAN32, 0.5, 0.0, 1.0, -1.0, 1.0, 2.0, 0.4, 1.0,
    ];
    let margin = m
        .predict(
            &x,
            6,
            &Options {
                margin: true,
                ..Options::default()
            },
        )
        .unwrap();
    // tree 0: a < 0.5 left (-1), NaN default left; tree 1: b in {1, 3} right (-0.5), else left
    // (0.25); missing b goes right (default_left = 0); negative categories go left.
    assert_eq!(margin, [-1.5, -1.5, 1.25, 1.25, 1.25, -1.5]);
    let p = m.predict(&x, 6, &Options::default()).unwrap();
    let expect = |z: f32| 1.0f32 / ((-z).exp() + 1.0 + 1e-16);
    assert_eq!(p[0], expect(-1.5));
    assert!((p[0] - 0.182_425_52).abs() < 1e-7);
    assert_eq!(p[2], expect(1.25));
    // one iteration only
    let first = m
        .predict(
            &x[..2],
            1,
            &Options {
                margin: true,
                iteration_range: Some((0, 1)),
                ..Options::default()
            },
        )
        .unwrap();
    assert_eq!(first, [-1.0]);
    let e = m
        .predict(
            &x[..2],
            1,
            &Options {
                iteration_range: Some((0, 3)),
                ..Options::default()
            },
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "iteration_range (0, 3) is outside the model's 2 rounds"
    );
}

/// A UBJSON encoder the way XGBoost writes: int64 key lengths, float32 typed arrays.
fn ubj(v: &Value, out: &mut Vec<u8>) {
    fn key(k: &str, out: &mut Vec<u8>) {
        out.push(b'L');
        out.extend_from_slice(&(k.len() as i64).to_be_bytes());
        out.extend_from_slice(k.as_bytes());
    }
    match v {
        Value::Null => out.push(b'Z'),
        Value::Bool(b) => out.push(if *b { b'T' } else { b'F' }),
        Value::Int(i) => {
            out.push(b'L');
            out.extend_from_slice(&i.to_be_bytes());
        }
        Value::Float { f32, .. } => {
            out.push(b'd');
            out.extend_from_slice(&f32.to_be_bytes());
        }
        Value::Str(s) => {
            out.push(b'S');
            key(s, out);
        }
        Value::Array(items)
            if !items.is_empty() && items.iter().all(|i| matches!(i, Value::Float { .. })) =>
        {
            out.extend_from_slice(b"[$d#L");
            out.extend_from_slice(&(items.len() as i64).to_be_bytes());
            for i in items {
                if let Value::Float { f32, .. } = i {
                    out.extend_from_slice(&f32.to_be_bytes());
                }
            }
        }
        Value::Array(items) => {
            out.push(b'[');
            items.iter().for_each(|i| ubj(i, out));
            out.push(b']');
        }
        Value::Object(members) => {
            out.push(b'{');
            for (k, v) in members {
                key(k, out);
                ubj(v, out);
            }
            out.push(b'}');
        }
        other => panic!("not produced by the JSON reader: {other:?}"),
    }
}

fn tiny_ubj() -> Vec<u8> {
    let text = std::fs::read(data("tiny_xgb.json")).unwrap();
    let doc = signet_trees::json::parse(&text, "tiny_xgb.json").unwrap();
    let mut out = Vec::new();
    ubj(&doc, &mut out);
    out
}

/// 3000 copies of `bytes`, each with three bytes at random offsets replaced by `byte(rng)`.
fn mutants(bytes: &[u8], seed: u64, mut byte: impl FnMut(&mut Rng) -> u8) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(seed);
    (0..3000)
        .map(|_| {
            let mut b = bytes.to_vec();
            for _ in 0..3 {
                let i = rng.below(b.len());
                b[i] = byte(&mut rng);
            }
            b
        })
        .collect()
}

#[test]
fn xgboost_ubjson_same_as_json() {
    let bytes = tiny_ubj();
    assert_eq!(&bytes[..2], b"{L");
    let a = xgboost::Model::from_bytes(&bytes, "tiny.ubj").unwrap();
    let b = xgboost::Model::load(&data("tiny_xgb.json")).unwrap();
    let x = [0.2, 3.0, NAN32, NAN32, 1.0, 2.0];
    let o = Options::default();
    assert_eq!(a.predict(&x, 3, &o).unwrap(), b.predict(&x, 3, &o).unwrap());
}

#[test]
fn xgboost_legacy_binary_refused() {
    let e = xgboost::Model::from_bytes(b"\x00\x00\x00?binf", "model.xgb").unwrap_err();
    assert!(e.to_string().starts_with("model.xgb: byte 0: not an XGBoost JSON or UBJSON model: this looks like XGBoost's legacy binary format"), "{e}");
}

#[test]
fn xgboost_truncated_and_corrupt_never_panic() {
    let json = std::fs::read(data("tiny_xgb.json")).unwrap();
    for cut in 0..json.len() - 2 {
        let e = xgboost::Model::from_bytes(&json[..cut], "t.json").unwrap_err();
        assert!(e.to_string().starts_with("t.json: "), "{e}");
    }
    let ubj = tiny_ubj();
    for cut in 0..ubj.len() - 1 {
        let e = xgboost::Model::from_bytes(&ubj[..cut], "t.ubj").unwrap_err();
        assert!(e.to_string().starts_with("t.ubj: "), "{e}");
    }
    // flipped bytes: errors or (rarely) another valid model, never a panic
    for b in mutants(&ubj, 12345, |rng| rng.next_u64() as u8) {
        if let Ok(m) = xgboost::Model::from_bytes(&b, "t.ubj") {
            let x = vec![0.5f32; m.num_feature * 2];
            let _ = m.predict(&x, 2, &Options::default());
        }
    }
}

#[test]
fn xgboost_key_errors_name_the_key() {
    let text = std::fs::read_to_string(data("tiny_xgb.json")).unwrap();
    let bad = text.replace("\"binary:logistic\"", "\"reg:madeup\"");
    let e = xgboost::Model::from_bytes(bad.as_bytes(), "m.json").unwrap_err();
    assert_eq!(
        e.to_string(),
        "m.json: key learner.objective.name: objective \"reg:madeup\" is not supported by signet"
    );
    let bad = text.replace("\"left_children\": [1, -1, -1], \"right_children\": [2, -1, -1], \"loss_changes\": [1, 0, 0],\n         \"parents\": [2147483647, 0, 0], \"split_conditions\": [0.5", "\"left_children\": [1, -1, -1], \"right_children\": [0, -1, -1], \"loss_changes\": [1, 0, 0],\n         \"parents\": [2147483647, 0, 0], \"split_conditions\": [0.5");
    assert_ne!(bad, text);
    let e = xgboost::Model::from_bytes(bad.as_bytes(), "m.json").unwrap_err();
    assert_eq!(
        e.to_string(),
        "m.json: key learner.gradient_booster.model.trees[0]: node 0 is reached twice (not a tree)"
    );
    let bad = text.replace(
        "\"split_indices\": [1, 0, 0]",
        "\"split_indices\": [7, 0, 0]",
    );
    let e = xgboost::Model::from_bytes(bad.as_bytes(), "m.json").unwrap_err();
    assert_eq!(e.to_string(), "m.json: key learner.gradient_booster.model.trees[1]: node 0 splits on feature 7 but the model has 2 features");
}

#[test]
fn lightgbm_text_by_hand() {
    let b = lightgbm::Booster::load(&data("tiny.lgb")).unwrap();
    assert_eq!(b.feature_names, ["a", "b"]);
    let nan = f64::NAN;
    let x = [
        0.2, 0.0, nan, 2.0, 1.0, 1.0, 2.0, nan, 0.7, -1.0, 1e-36, 5.0,
    ];
    let raw = b.predict(&x, 6, None, true).unwrap();
    // tree 0: a <= 0.5 left (0.1; NaN is missing, default left), else a <= 1.5 (0.2 / 0.3);
    // tree 1: b in {0, 2} left (-0.25), else right (0.75); NaN and negatives go right.
    let (l0, l1, l2) = (0.1f64, 0.2f64, 0.3f64);
    assert_eq!(
        raw,
        [
            l0 - 0.25,
            l0 - 0.25,
            l1 + 0.75,
            l2 + 0.75,
            l1 + 0.75,
            l0 + 0.75
        ]
    );
    let p = b.predict(&x, 6, None, false).unwrap();
    assert_eq!(p[0], 1.0 / (1.0 + (-(l0 - 0.25f64)).exp()));
    let first = b.predict(&x[..2], 1, Some(1), true).unwrap();
    assert_eq!(first, [0.1]);
}

#[test]
fn lightgbm_truncated_and_corrupt_never_panic() {
    let text = std::fs::read_to_string(data("tiny.lgb")).unwrap();
    for cut in 0..text.len() {
        if !text.is_char_boundary(cut) {
            continue;
        }
        if let Ok(b) = lightgbm::Booster::from_text(&text[..cut], "t.lgb") {
            let x = vec![0.5; b.num_features];
            let _ = b.predict(&x, 1, None, false);
        }
    }
    let e = lightgbm::Booster::from_text(&text[..text.find("Tree=1").unwrap() + 40], "t.lgb")
        .unwrap_err();
    assert_eq!(e.to_string(), "t.lgb: line 31, key leaf_value: missing");
    let bad = text.replace("left_child=-1 -2", "left_child=-1 0");
    let e = lightgbm::Booster::from_text(&bad, "t.lgb").unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.lgb: line 12: node 0 is reached twice (not a tree)"
    );
    let bad = text.replace("threshold=0.5 1.5", "threshold=0.5 x");
    let e = lightgbm::Booster::from_text(&bad, "t.lgb").unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.lgb: line 17, key threshold: element 1: invalid value \"x\""
    );
    let bad = text.replace("cat_threshold=5", "cat_threshold=5 6");
    let e = lightgbm::Booster::from_text(&bad, "t.lgb").unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.lgb: line 47, key cat_threshold: 2 values, expected 1"
    );
    // Found by the fuzz target `lightgbm_model`: without trees, any output count passed the
    // multiple test, and predict allocated that many values a row.
    let header = &text[..text.find("Tree=0").unwrap()];
    let bad = header.replace(
        "num_tree_per_iteration=1",
        "num_tree_per_iteration=99999999999999",
    );
    let e = lightgbm::Booster::from_text(&bad, "t.lgb").unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.lgb: line 1, key num_tree_per_iteration: 99999999999999 outputs for a model without trees (at most 1024)"
    );
    let e = lightgbm::Booster::from_text("hello", "t.lgb").unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.lgb: line 1: not a LightGBM text model (the first line is not `tree`)"
    );
    for b in mutants(text.as_bytes(), 99, |rng| {
        b"0123456789-=\n x"[rng.below(15)]
    }) {
        let Ok(s) = std::str::from_utf8(&b) else {
            continue;
        };
        if let Ok(m) = lightgbm::Booster::from_text(s, "t.lgb") {
            let x = vec![0.5; m.num_features * 2];
            let _ = m.predict(&x, 2, None, false);
        }
    }
}

#[test]
fn parallel_batches_equal_row_by_row() {
    let m = xgboost::Model::load(&data("tiny_xgb.json")).unwrap();
    let b = lightgbm::Booster::load(&data("tiny.lgb")).unwrap();
    let rows = 3 * signet_trees::parallel::MIN_PARALLEL_ROWS + 7;
    let x32: Vec<f32> = (0..rows * 2)
        .map(|i| {
            if i % 11 == 0 {
                f32::NAN
            } else {
                ((i * 37) % 9) as f32 * 0.5 - 1.0
            }
        })
        .collect();
    let x64: Vec<f64> = x32.iter().map(|v| f64::from(*v)).collect();
    let o = Options::default();
    let batch = m.predict(&x32, rows, &o).unwrap();
    let lbatch = b.predict(&x64, rows, None, false).unwrap();
    for r in 0..rows {
        let one = m.predict(&x32[r * 2..r * 2 + 2], 1, &o).unwrap();
        assert_eq!(batch[r].to_bits(), one[0].to_bits(), "xgboost row {r}");
        let lone = b.predict(&x64[r * 2..r * 2 + 2], 1, None, false).unwrap();
        assert_eq!(lbatch[r].to_bits(), lone[0].to_bits(), "lightgbm row {r}");
    }
}
