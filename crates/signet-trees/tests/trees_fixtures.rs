//! Predictions of models saved by the real libraries (`tests/trees/make_fixtures.py`, run by
//! `scripts/trees_fixtures.sh`) against the libraries' own predictions and
//! `mlflow.pyfunc.load_model(dir).predict(df)`:
//! * XGBoost: bit-identical (`f32`);
//! * LightGBM: within 1 ulp of `f64`;
//! * labels and dtypes/shapes: equal;
//! * where MLflow's pyfunc raised, signet must refuse as well.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float32Type, Float64Type, Int32Type, Int64Type};
use signet::{ModelInput, TensorData};
use signet_model::{load_model, MlModel, Registry};
use signet_trees::value::{At, Value};
use signet_trees::{lightgbm, xgboost};
use std::path::{Path, PathBuf};

fn fixture_dir() -> PathBuf {
    let dir = std::env::var("SIGNET_TREES_FIXTURES").expect(
        "SIGNET_TREES_FIXTURES is not set: generate the fixtures with scripts/trees_fixtures.sh",
    );
    let dir = PathBuf::from(dir);
    assert!(
        dir.join("cases.json").is_file(),
        "no cases.json in {}",
        dir.display()
    );
    dir
}

fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    signet_trees::json::parse(&bytes, &path.display().to_string()).unwrap()
}

/// A recorded array: dtype, shape, values as bit patterns (floats) or integers.
struct Recorded {
    dtype: String,
    shape: Vec<usize>,
    bits: Vec<u64>,
    /// Text labels (numpy `str`/`object` arrays).
    strings: Vec<String>,
}

fn recorded(at: &At<'_>) -> Recorded {
    let dtype = at.get("dtype").unwrap().str().unwrap().to_string();
    let shape = at
        .get("shape")
        .unwrap()
        .ints()
        .unwrap()
        .iter()
        .map(|x| *x as usize)
        .collect();
    let bits = at
        .get("bits")
        .unwrap()
        .items()
        .unwrap()
        .iter()
        .map(|v| match v.value {
            Value::Int(i) => *i as u64,
            Value::Str(s) => s.parse().unwrap(),
            other => panic!("bad bits value {other:?}"),
        })
        .collect();
    let strings = match at.opt("strings").unwrap() {
        Some(s) => s
            .items()
            .unwrap()
            .iter()
            .map(|v| v.str().unwrap().to_string())
            .collect(),
        None => Vec::new(),
    };
    Recorded {
        dtype,
        shape,
        bits,
        strings,
    }
}

fn read_f32(path: &Path) -> Vec<f32> {
    std::fs::read(path)
        .unwrap()
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

fn read_f64(path: &Path) -> Vec<f64> {
    std::fs::read(path)
        .unwrap()
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect()
}

fn ulps(a: f64, b: f64) -> u64 {
    if a == b || (a.is_nan() && b.is_nan()) {
        return 0;
    }
    (a.to_bits() as i64).abs_diff(b.to_bits() as i64)
}

fn registry() -> Registry {
    let mut r = Registry::new();
    r.register_flavor(signet_trees::XGBOOST_FLAVOR, signet_trees::XgboostFlavor);
    r.register_flavor(signet_trees::LIGHTGBM_FLAVOR, signet_trees::LightGbmFlavor);
    r
}

/// Compares the evaluator with the library on the recorded matrix; returns (exact, max ulps).
/// Each row predicted alone (the single-row walk) gives the bits the batch gave that row.
fn same_alone<T>(
    batch: &[T],
    rows: usize,
    alone: impl Fn(usize) -> Result<Vec<u64>, String>,
    bits: impl Fn(&T) -> u64,
) -> Result<(), String> {
    let width = batch.len() / rows.max(1);
    for r in 0..rows {
        let want: Vec<u64> = batch[r * width..(r + 1) * width]
            .iter()
            .map(&bits)
            .collect();
        let got = alone(r)?;
        if got != want {
            return Err(format!(
                "row {r} predicted alone: {got:?}, in the batch: {want:?} (bits)"
            ));
        }
    }
    Ok(())
}

fn check_library(dir: &Path, case: &At<'_>, flavor: &str) -> Result<(bool, u64), String> {
    let rows = case.get("rows").unwrap().count().unwrap();
    let lib = recorded(&case.get("library").unwrap());
    let (mlmodel, mdir) = MlModel::load(dir.join("model")).map_err(|e| e.to_string())?;
    let data = mlmodel
        .flavor(flavor)
        .and_then(|c| c.get("data"))
        .and_then(signet_model::Yaml::as_str)
        .ok_or("no data in flavor")?
        .to_string();
    let path = mdir.join(data);
    if flavor == "xgboost" {
        let model = xgboost::Model::load(&path).map_err(|e| e.to_string())?;
        let x = read_f32(&dir.join("x.bin"));
        let call = case.get("call").unwrap();
        let api = call.get("api").unwrap().str().unwrap();
        let end = call
            .opt("iteration_end")
            .unwrap()
            .map(|e| e.count().unwrap());
        let opts = xgboost::predict::Options {
            margin: false,
            iteration_range: end.map(|e| (0, e)),
            inplace: api == "sklearn",
        };
        let got = model.predict(&x, rows, &opts).map_err(|e| e.to_string())?;
        same_alone(
            &got,
            rows,
            |r| {
                let nf = x.len() / rows;
                let one = model.predict(&x[r * nf..(r + 1) * nf], 1, &opts);
                Ok(one
                    .map_err(|e| e.to_string())?
                    .iter()
                    .map(|v| v.to_bits().into())
                    .collect())
            },
            |v| v.to_bits().into(),
        )?;
        let got: Vec<u64> = got.iter().map(|v| u64::from(v.to_bits())).collect();
        if got.len() != lib.bits.len() {
            return Err(format!(
                "{} values, library has {}",
                got.len(),
                lib.bits.len()
            ));
        }
        let diff = got.iter().zip(&lib.bits).filter(|(a, b)| a != b).count();
        if diff > 0 {
            let (i, (a, b)) = got
                .iter()
                .zip(&lib.bits)
                .enumerate()
                .find(|(_, (a, b))| a != b)
                .unwrap();
            return Err(format!(
                "{diff} values differ; first at {i}: signet {} library {}",
                f32::from_bits(*a as u32),
                f32::from_bits(*b as u32)
            ));
        }
        Ok((true, 0))
    } else {
        let api = case.get("call").unwrap().get("api").unwrap().str().unwrap();
        let (booster, num_iteration) = if api == "sklearn" {
            let config = mlmodel.flavor(flavor).ok_or("no flavor")?;
            let trusted =
                signet_sklearn::flavor::skops_trusted_types(config).map_err(|e| e.to_string())?;
            let m = lightgbm::sklearn::SklearnModel::load(&path, &trusted)
                .map_err(|e| e.to_string())?;
            let call = case.get("call").unwrap();
            let want = call.get("best_iteration").unwrap().count().unwrap() as i64;
            if m.best_iteration != want {
                return Err(format!(
                    "best_iteration {} read, {want} recorded",
                    m.best_iteration
                ));
            }
            (m.booster, Some(m.best_iteration))
        } else {
            let b = lightgbm::Booster::load(&path).map_err(|e| e.to_string())?;
            (b, None)
        };
        let x = read_f64(&dir.join("x.bin"));
        let got = booster
            .predict(&x, rows, num_iteration, false)
            .map_err(|e| e.to_string())?;
        same_alone(
            &got,
            rows,
            |r| {
                let nf = x.len() / rows;
                let one = booster.predict(&x[r * nf..(r + 1) * nf], 1, num_iteration, false);
                Ok(one
                    .map_err(|e| e.to_string())?
                    .iter()
                    .map(|v| v.to_bits())
                    .collect())
            },
            |v| v.to_bits(),
        )?;
        if got.len() != lib.bits.len() {
            return Err(format!(
                "{} values, library has {}",
                got.len(),
                lib.bits.len()
            ));
        }
        let max = got
            .iter()
            .zip(&lib.bits)
            .map(|(a, b)| ulps(*a, f64::from_bits(*b)))
            .max()
            .unwrap_or(0);
        if max > 1 {
            return Err(format!("max difference {max} ulps"));
        }
        Ok((max == 0, max))
    }
}

/// Runs the model through signet's pyfunc and compares with MLflow's.
fn check_pyfunc(dir: &Path, case: &At<'_>, flavor: &str) -> Result<String, String> {
    let pyfunc = case.get("pyfunc").unwrap();
    let model = load_model(dir.join("model"), &registry()).map_err(|e| format!("load: {e}"))?;
    let body = std::fs::read(dir.join("input.parquet")).unwrap();
    let input = signet_protocol::request::parse_request(
        Some("application/vnd.apache.parquet"),
        &body,
        None,
        signet::enforce::Compat::default(),
    )
    .map_err(|e| format!("parquet: {e:?}"))?
    .input;
    let result = model.predict(input, None);
    if let Some(err) = pyfunc.opt("error").unwrap() {
        return match result {
            Err(e) => Ok(format!(
                "both refused (mlflow: {}; signet: {e})",
                first_line(err.str().unwrap())
            )),
            Ok(_) => Err(format!(
                "MLflow refused ({}) but signet predicted",
                first_line(err.str().unwrap())
            )),
        };
    }
    let want = recorded(&pyfunc.get("ok").unwrap());
    let out = result.map_err(|e| format!("signet refused: {e}"))?;
    let ModelInput::Tensor(t) = out else {
        return Err("signet returned no tensor".into());
    };
    let same_dtype = t.dtype.to_string() == want.dtype
        || (t.dtype.to_string() == "str" && want.dtype.starts_with("<U"));
    if !same_dtype || t.shape != want.shape {
        return Err(format!(
            "signet {} {:?}, mlflow {} {:?}",
            t.dtype, t.shape, want.dtype, want.shape
        ));
    }
    if want.dtype.starts_with("<U") || want.dtype == "object" {
        let got: Vec<String> = match &t.data {
            TensorData::Arrow(a) => a
                .as_string::<i32>()
                .iter()
                .map(|v| v.unwrap_or_default().to_string())
                .collect(),
            TensorData::Object(v) => v
                .iter()
                .map(|v| match v {
                    signet::Value::Str(s) => s.clone(),
                    other => format!("{other:?}"),
                })
                .collect(),
        };
        if got != want.strings {
            return Err(format!(
                "labels differ from mlflow's pyfunc: {:?}... vs {:?}...",
                &got[..got.len().min(5)],
                &want.strings[..want.strings.len().min(5)]
            ));
        }
        return Ok(format!("{} {:?} labels equal", want.dtype, want.shape));
    }
    let TensorData::Arrow(a) = &t.data else {
        return Err("object tensor".into());
    };
    let got: Vec<u64> = match want.dtype.as_str() {
        "float32" => a
            .as_primitive::<Float32Type>()
            .values()
            .iter()
            .map(|v| u64::from(v.to_bits()))
            .collect(),
        "float64" => a
            .as_primitive::<Float64Type>()
            .values()
            .iter()
            .map(|v| v.to_bits())
            .collect(),
        "int64" => a
            .as_primitive::<Int64Type>()
            .values()
            .iter()
            .map(|v| *v as u64)
            .collect(),
        "int32" => a
            .as_primitive::<Int32Type>()
            .values()
            .iter()
            .map(|v| *v as i64 as u64)
            .collect(),
        other => return Err(format!("unexpected dtype {other}")),
    };
    let bad = if want.dtype == "float64" && flavor == "lightgbm" {
        got.iter()
            .zip(&want.bits)
            .filter(|(a, b)| ulps(f64::from_bits(**a), f64::from_bits(**b)) > 1)
            .count()
    } else {
        got.iter().zip(&want.bits).filter(|(a, b)| a != b).count()
    };
    if bad > 0 {
        return Err(format!(
            "{bad} of {} values differ from mlflow's pyfunc",
            got.len()
        ));
    }
    Ok(format!("{} {:?} equal", want.dtype, want.shape))
}

fn first_line(s: &str) -> String {
    let s = s.rsplit("Error: ").next().unwrap_or(s);
    s.lines().next().unwrap_or("").chars().take(100).collect()
}

#[test]
#[ignore = "needs generated fixtures: run scripts/trees_fixtures.sh"]
fn library_fixtures() {
    let root = fixture_dir();
    let cases = read_json(&root.join("cases.json"));
    let names: Vec<String> = match &cases {
        Value::Array(v) => v
            .iter()
            .map(|c| match c {
                Value::Str(s) => s.clone(),
                _ => panic!("bad cases.json"),
            })
            .collect(),
        _ => panic!("bad cases.json"),
    };
    assert!(!names.is_empty(), "no cases");
    let (mut failures, mut exact, mut lib_checked, mut pyfunc_ok) = (Vec::new(), 0, 0, 0);
    for name in &names {
        let dir = root.join(name);
        let doc = read_json(&dir.join("case.json"));
        let case = At::root(&doc, name);
        let flavor = case.get("flavor").unwrap().str().unwrap().to_string();
        let rows = case.get("rows").unwrap().count().unwrap();
        if rows > 0 {
            lib_checked += 1;
            match check_library(&dir, &case, &flavor) {
                Ok((is_exact, ulp)) => {
                    exact += usize::from(is_exact);
                    println!(
                        "{name}: library {}",
                        if is_exact {
                            "bit-identical".to_string()
                        } else {
                            format!("within {ulp} ulp")
                        }
                    );
                }
                Err(e) => failures.push(format!("{name}: library: {e}")),
            }
        }
        match check_pyfunc(&dir, &case, &flavor) {
            Ok(m) => {
                pyfunc_ok += 1;
                println!("{name}: pyfunc {m}");
            }
            Err(e) => failures.push(format!("{name}: pyfunc: {e}")),
        }
    }
    println!(
        "{} cases: {exact} of {lib_checked} library comparisons bit-identical, {pyfunc_ok} pyfunc comparisons equal",
        names.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
