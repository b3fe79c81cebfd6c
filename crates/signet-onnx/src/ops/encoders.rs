//! The ONNX-ML preprocessing operators scikit-learn pipelines export, as onnxruntime runs them:
//!
//! * `Imputer`: elements equal to `replaced_value_float` / `replaced_value_int64` (NaN matches
//!   NaN) take `imputed_value_floats` / `imputed_value_int64s` (one value, or one per column);
//! * `Binarizer`: `x > threshold` → 1, else 0 (same type);
//! * `OneHotEncoder`: each element becomes a row of `len(cats)` floats with a 1 at its category
//!   (`zeros = 0` refuses an unknown category; numbers are looked up truncated to int64);
//! * `LabelEncoder` (opset 1 `classes_strings`, opsets 2–4 `keys_*` / `values_*`): a map from
//!   int64, string or float keys to int64, string or float values, with the `default_*` value
//!   for unknown keys;
//! * `FeatureVectorizer`: its inputs cast to float and concatenated along the feature axis,
//!   each padded with zeros or truncated to its `inputdimensions` entry.

use super::attrs::{attr, float_attr, float_list, int_attr, int_list, string_attr, string_list};
use super::native::{NativeOp, Parse, UnaryOp};
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// A tensor of `shape` from row-major values.
pub(crate) fn shaped<T: Datum>(shape: &[usize], v: Vec<T>) -> TractResult<Tensor> {
    Ok(tract_ndarray::ArrayD::from_shape_vec(tract_ndarray::IxDyn(shape), v)?.into())
}

/// The elements of a tensor as f64 (numbers) for element-wise ops.
fn as_f64(t: &Tensor) -> TractResult<Vec<f64>> {
    let c = t.cast_to::<f64>()?;
    Ok(c.try_as_plain_ram()?.as_slice::<f64>()?.to_vec())
}

// ---------------------------------------------------------------------------------------------
// Imputer

/// `Imputer`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Imputer {
    floats: Vec<f32>,
    replaced_float: f32,
    ints: Vec<i64>,
    replaced_int: i64,
}

impl Parse for Imputer {
    fn parse(_ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let floats = float_list(node, "imputed_value_floats")?.unwrap_or_default();
        let ints = int_list(node, "imputed_value_int64s")?.unwrap_or_default();
        ensure!(
            !floats.is_empty() || !ints.is_empty(),
            "imputed_value_floats or imputed_value_int64s is required"
        );
        let replaced_float = float_attr(node, "replaced_value_float").unwrap_or(0.0);
        let replaced_int = int_attr(node, "replaced_value_int64").unwrap_or(0);
        Ok(Imputer {
            floats,
            replaced_float,
            ints,
            replaced_int,
        })
    }
}

fn pick<T: Copy>(values: &[T], col: usize, what: &str) -> TractResult<T> {
    if values.len() == 1 {
        Ok(values[0])
    } else {
        values.get(col).copied().ok_or_else(|| {
            format_err!(
                "Imputer: column {col} has no {what} imputed value ({} given)",
                values.len()
            )
        })
    }
}

impl UnaryOp for Imputer {
    const NAME: &'static str = "Imputer";

    fn run(&self, x: &Tensor) -> TractResult<Tensor> {
        let shape = x.shape().to_vec();
        let cols = shape.last().copied().unwrap_or(1).max(1);
        match x.datum_type() {
            DatumType::F32 | DatumType::F64 => {
                ensure!(
                    !self.floats.is_empty(),
                    "Imputer: a float input needs imputed_value_floats"
                );
                let wide = x.datum_type() == DatumType::F64;
                let v = as_f64(x)?;
                let r = self.replaced_float;
                let mut out = Vec::with_capacity(v.len());
                for (i, &e) in v.iter().enumerate() {
                    let hit = if r.is_nan() {
                        e.is_nan()
                    } else {
                        e as f32 == r
                    };
                    out.push(if hit {
                        pick(&self.floats, i % cols, "float")? as f64
                    } else {
                        e
                    });
                }
                if wide {
                    shaped(&shape, out)
                } else {
                    shaped(&shape, out.into_iter().map(|e| e as f32).collect())
                }
            }
            DatumType::I64 | DatumType::I32 => {
                ensure!(
                    !self.ints.is_empty(),
                    "Imputer: an integer input needs imputed_value_int64s"
                );
                let c = x.cast_to::<i64>()?;
                let v = c.try_as_plain_ram()?.as_slice::<i64>()?.to_vec();
                let mut out = Vec::with_capacity(v.len());
                for (i, &e) in v.iter().enumerate() {
                    out.push(if e == self.replaced_int {
                        pick(&self.ints, i % cols, "int64")?
                    } else {
                        e
                    });
                }
                let t = shaped(&shape, out)?;
                Ok(t.cast_to_dt(x.datum_type())?.into_owned())
            }
            dt => bail!("Imputer takes float, double, int64 or int32 inputs, not {dt:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Binarizer

/// `Binarizer`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Binarizer {
    threshold: f32,
}

impl Parse for Binarizer {
    fn parse(_ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let threshold = float_attr(node, "threshold").unwrap_or(0.0);
        Ok(Binarizer { threshold })
    }
}

impl UnaryOp for Binarizer {
    const NAME: &'static str = "Binarizer";

    fn run(&self, x: &Tensor) -> TractResult<Tensor> {
        let dt = x.datum_type();
        ensure!(
            dt.is_float() || dt == DatumType::I64 || dt == DatumType::I32,
            "Binarizer takes numeric inputs, not {dt:?}"
        );
        let t = self.threshold as f64;
        let v: Vec<f64> = as_f64(x)?
            .into_iter()
            .map(|e| if e > t { 1.0 } else { 0.0 })
            .collect();
        Ok(shaped(x.shape(), v)?.cast_to_dt(dt)?.into_owned())
    }
}

// ---------------------------------------------------------------------------------------------
// OneHotEncoder

/// The categories of a `OneHotEncoder`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Cats {
    Ints(Vec<i64>),
    Strings(Vec<String>),
}

/// `OneHotEncoder`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OneHotEncoder {
    cats: Cats,
    zeros: bool,
}

impl Parse for OneHotEncoder {
    fn parse(_ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let cats = match (
            int_list(node, "cats_int64s")?.filter(|v| !v.is_empty()),
            string_list(node, "cats_strings")?.filter(|v| !v.is_empty()),
        ) {
            (Some(v), None) => Cats::Ints(v),
            (None, Some(v)) => Cats::Strings(v),
            _ => bail!("exactly one of cats_int64s and cats_strings must be given"),
        };
        let zeros = int_attr(node, "zeros").unwrap_or(1) != 0;
        Ok(OneHotEncoder { cats, zeros })
    }
}

impl OneHotEncoder {
    fn width(&self) -> usize {
        match &self.cats {
            Cats::Ints(v) => v.len(),
            Cats::Strings(v) => v.len(),
        }
    }

    fn encode(&self, x: &Tensor) -> TractResult<Tensor> {
        let width = self.width();
        let indices: Vec<Option<usize>> = match (&self.cats, x.datum_type()) {
            (Cats::Strings(cats), DatumType::String) => {
                let map: HashMap<&str, usize> = cats
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, c)| (c.as_str(), i))
                    .collect();
                x.try_as_plain_ram()?
                    .as_slice::<String>()?
                    .iter()
                    .map(|s| map.get(s.as_str()).copied())
                    .collect()
            }
            (Cats::Ints(cats), dt) if dt != DatumType::String => {
                let map: HashMap<i64, usize> = cats
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, &c)| (c, i))
                    .collect();
                as_f64(x)?
                    .into_iter()
                    .map(|v| map.get(&(v as i64)).copied())
                    .collect()
            }
            (Cats::Strings(_), dt) => {
                bail!("OneHotEncoder with string categories got a {dt:?} input")
            }
            (Cats::Ints(_), _) => bail!("OneHotEncoder with int64 categories got a string input"),
        };
        let mut out = vec![0f32; indices.len() * width];
        for (row, ix) in indices.iter().enumerate() {
            match ix {
                Some(i) => out[row * width + i] = 1.0,
                None if !self.zeros => bail!("Unknown Category and zeros = 0."),
                None => {}
            }
        }
        let mut shape = x.shape().to_vec();
        shape.push(width);
        shaped(&shape, out)
    }
}

// ---------------------------------------------------------------------------------------------
// LabelEncoder

/// One side (keys or values) of a `LabelEncoder` map.
#[derive(Clone, Debug, PartialEq)]
enum Column {
    Ints(Vec<i64>),
    Strings(Vec<String>),
    Floats(Vec<f32>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Ints(v) => v.len(),
            Column::Strings(v) => v.len(),
            Column::Floats(v) => v.len(),
        }
    }

    fn datum_type(&self) -> DatumType {
        match self {
            Column::Ints(_) => DatumType::I64,
            Column::Strings(_) => DatumType::String,
            Column::Floats(_) => DatumType::F32,
        }
    }
}

/// A key of the map (floats by bits, `-0.0` as `0.0`). onnxruntime (1.32, LabelEncoder opset
/// 2) matches no key with NaN: NaN inputs take the default, see [`float_key`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Int(i64),
    Str(String),
    Float(u32),
}

fn float_key(f: f32) -> Option<Key> {
    Some(if f.is_nan() {
        return None;
    } else if f == 0.0 {
        Key::Float(0f32.to_bits())
    } else {
        Key::Float(f.to_bits())
    })
}

/// `LabelEncoder`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LabelEncoder {
    keys: Column,
    values: Column,
    default: Column,
}

fn column(node: &NodeProto, prefix: &str) -> TractResult<Option<Column>> {
    if let Some(v) = int_list(node, &format!("{prefix}_int64s"))?.filter(|v| !v.is_empty()) {
        return Ok(Some(Column::Ints(v)));
    }
    if let Some(v) = string_list(node, &format!("{prefix}_strings"))?.filter(|v| !v.is_empty()) {
        return Ok(Some(Column::Strings(v)));
    }
    if let Some(v) = float_list(node, &format!("{prefix}_floats"))?.filter(|v| !v.is_empty()) {
        return Ok(Some(Column::Floats(v)));
    }
    Ok(None)
}

impl Parse for LabelEncoder {
    fn parse(ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        parse_label_encoder(ctx, node)
    }
}

fn tensor_column(
    ctx: &ParsingContext,
    node: &NodeProto,
    name: &str,
) -> TractResult<Option<Column>> {
    let Some(t) = attr(node, name).and_then(|a| a.t.as_ref()) else {
        return Ok(None);
    };
    let t = ctx.load_tensor(t)?;
    let plain = t.try_as_plain_ram()?;
    Ok(Some(match t.datum_type() {
        DatumType::String => Column::Strings(plain.as_slice::<String>()?.to_vec()),
        DatumType::I64 => Column::Ints(plain.as_slice::<i64>()?.to_vec()),
        DatumType::F32 => Column::Floats(plain.as_slice::<f32>()?.to_vec()),
        dt => bail!("{name} of type {dt:?} is not supported"),
    }))
}

fn parse_label_encoder(ctx: &ParsingContext, node: &NodeProto) -> TractResult<LabelEncoder> {
    if let Some(classes) = string_list(node, "classes_strings")?.filter(|v| !v.is_empty()) {
        // Opset 1: a string input maps to its index in `classes_strings`.
        // Opset 1 also maps int64 inputs back to strings; skl2onnx never emits that form.
        let n = classes.len() as i64;
        return Ok(LabelEncoder {
            keys: Column::Strings(classes),
            values: Column::Ints((0..n).collect()),
            default: Column::Ints(vec![int_attr(node, "default_int64").unwrap_or(-1)]),
        });
    }
    let keys = match column(node, "keys")? {
        Some(k) => k,
        None => tensor_column(ctx, node, "keys_tensor")?
            .ok_or_else(|| format_err!("no keys_* attribute"))?,
    };
    let values = match column(node, "values")? {
        Some(v) => v,
        None => tensor_column(ctx, node, "values_tensor")?
            .ok_or_else(|| format_err!("no values_* attribute"))?,
    };
    ensure!(
        keys.len() == values.len(),
        "{} keys and {} values; they must have the same size",
        keys.len(),
        values.len()
    );
    let default = match tensor_column(ctx, node, "default_tensor")? {
        Some(d) if d.len() == 1 && d.datum_type() == values.datum_type() => d,
        Some(_) => bail!("default_tensor must hold one value of the values' type"),
        None => match &values {
            Column::Ints(_) => Column::Ints(vec![int_attr(node, "default_int64").unwrap_or(-1)]),
            Column::Strings(_) => Column::Strings(vec![
                string_attr(node, "default_string").unwrap_or_else(|| "_Unused".into())
            ]),
            Column::Floats(_) => {
                Column::Floats(vec![float_attr(node, "default_float").unwrap_or(-0.0)])
            }
        },
    };
    Ok(LabelEncoder {
        keys,
        values,
        default,
    })
}

impl LabelEncoder {
    fn keys(&self) -> Vec<Option<Key>> {
        match &self.keys {
            Column::Ints(v) => v.iter().map(|&k| Some(Key::Int(k))).collect(),
            Column::Strings(v) => v.iter().map(|k| Some(Key::Str(k.clone()))).collect(),
            Column::Floats(v) => v.iter().map(|&k| float_key(k)).collect(),
        }
    }

    fn map(&self, x: &Tensor) -> TractResult<Tensor> {
        let input: Vec<Option<Key>> = match (&self.keys, x.datum_type()) {
            (Column::Strings(_), DatumType::String) => x
                .try_as_plain_ram()?
                .as_slice::<String>()?
                .iter()
                .map(|s| Some(Key::Str(s.clone())))
                .collect(),
            (Column::Ints(_), DatumType::I64 | DatumType::I32 | DatumType::I16) => {
                let c = x.cast_to::<i64>()?;
                c.try_as_plain_ram()?
                    .as_slice::<i64>()?
                    .iter()
                    .map(|&k| Some(Key::Int(k)))
                    .collect()
            }
            (Column::Floats(_), dt) if dt.is_float() => {
                let c = x.cast_to::<f32>()?;
                c.try_as_plain_ram()?
                    .as_slice::<f32>()?
                    .iter()
                    .map(|&k| float_key(k))
                    .collect()
            }
            (keys, dt) => bail!(
                "LabelEncoder with {:?} keys got a {dt:?} input",
                keys.datum_type()
            ),
        };
        let map: HashMap<Key, usize> = self
            .keys()
            .into_iter()
            .enumerate()
            .rev()
            .filter_map(|(i, k)| k.map(|k| (k, i)))
            .collect();
        let ix: Vec<Option<usize>> = input
            .iter()
            .map(|k| k.as_ref().and_then(|k| map.get(k).copied()))
            .collect();
        let shape = x.shape();
        match (&self.values, &self.default) {
            (Column::Ints(v), Column::Ints(d)) => {
                shaped(shape, ix.iter().map(|i| i.map_or(d[0], |i| v[i])).collect())
            }
            (Column::Floats(v), Column::Floats(d)) => {
                shaped(shape, ix.iter().map(|i| i.map_or(d[0], |i| v[i])).collect())
            }
            (Column::Strings(v), Column::Strings(d)) => shaped(
                shape,
                ix.iter()
                    .map(|i| i.map_or_else(|| d[0].clone(), |i| v[i].clone()))
                    .collect(),
            ),
            _ => bail!("LabelEncoder: the default's type differs from the values'"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// FeatureVectorizer

/// `FeatureVectorizer`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FeatureVectorizer {
    dims: Vec<usize>,
}

impl Parse for FeatureVectorizer {
    fn parse(_ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let dims = int_list(node, "inputdimensions")?
            .unwrap_or_default()
            .into_iter()
            .map(|d| usize::try_from(d).map_err(|_| format_err!("negative input dimension {d}")))
            .collect::<TractResult<Vec<_>>>()?;
        ensure!(
            dims.len() == node.input.len(),
            "{} inputs but {} inputdimensions",
            node.input.len(),
            dims.len()
        );
        Ok(FeatureVectorizer { dims })
    }
}

impl FeatureVectorizer {
    fn concat(&self, inputs: &[TValue]) -> TractResult<Tensor> {
        let width: usize = self.dims.iter().sum();
        let rows = match inputs.first().map(|t| t.shape()) {
            Some([n, ..]) if inputs[0].rank() > 1 => *n,
            _ => 1,
        };
        let mut out = vec![0f32; rows * width];
        let mut offset = 0;
        for (t, &dim) in inputs.iter().zip(&self.dims) {
            let v = as_f64(t)?;
            let n = if t.rank() > 1 { t.shape()[0] } else { 1 };
            ensure!(
                n == rows,
                "FeatureVectorizer: inputs have {rows} and {n} rows; they must agree"
            );
            let c = v.len().checked_div(rows).unwrap_or(0);
            for r in 0..rows {
                for j in 0..c.min(dim) {
                    out[r * width + offset + j] = v[r * c + j] as f32;
                }
            }
            offset += dim;
        }
        shaped(&[rows, width], out)
    }
}

// ---------------------------------------------------------------------------------------------
// tract plumbing: the other one-input operators are `UnaryOp`s too, `FeatureVectorizer` a
// `NativeOp`.

impl UnaryOp for OneHotEncoder {
    const NAME: &'static str = "OneHotEncoder";

    fn output_fact(&self, input: &TypedFact) -> TractResult<TypedFact> {
        let mut shape = input.shape.to_tvec();
        shape.push(self.width().to_dim());
        Ok(f32::fact(shape))
    }

    fn run(&self, x: &Tensor) -> TractResult<Tensor> {
        self.encode(x)
    }
}

impl UnaryOp for LabelEncoder {
    const NAME: &'static str = "LabelEncoder";

    fn output_fact(&self, input: &TypedFact) -> TractResult<TypedFact> {
        Ok(self.values.datum_type().fact(input.shape.clone()))
    }

    fn run(&self, x: &Tensor) -> TractResult<Tensor> {
        self.map(x)
    }
}

impl NativeOp for FeatureVectorizer {
    fn name(&self) -> &'static str {
        "FeatureVectorizer"
    }

    fn inputs(&self) -> Option<usize> {
        None
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let width: usize = self.dims.iter().sum();
        let rows = if inputs[0].rank() > 1 {
            inputs[0].shape[0].clone()
        } else {
            1.to_dim()
        };
        Ok(tvec!(f32::fact([rows, width.to_dim()])))
    }

    fn eval(&self, inputs: &[TValue]) -> TractResult<TVec<Tensor>> {
        Ok(tvec!(self.concat(inputs)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn floats(t: &Tensor) -> Vec<f32> {
        t.try_as_plain_ram()
            .unwrap()
            .as_slice::<f32>()
            .unwrap()
            .to_vec()
    }

    #[test]
    fn imputer_replaces_nan_per_column() {
        let op = Imputer {
            floats: vec![1.0, 2.0],
            replaced_float: f32::NAN,
            ints: vec![],
            replaced_int: 0,
        };
        let x = shaped(&[2, 2], vec![f32::NAN, 5.0, 3.0, f32::NAN]).unwrap();
        assert_eq!(floats(&op.run(&x).unwrap()), vec![1.0, 5.0, 3.0, 2.0]);
    }

    #[test]
    fn one_hot_marks_known_categories_and_refuses_unknown_ones_without_zeros() {
        let mut op = OneHotEncoder {
            cats: Cats::Strings(vec!["a".into(), "b".into()]),
            zeros: true,
        };
        let x = shaped(&[3, 1], vec!["b".to_string(), "z".into(), "a".into()]).unwrap();
        let y = op.run(&x).unwrap();
        assert_eq!(y.shape(), &[3, 1, 2]);
        assert_eq!(floats(&y), vec![0.0, 1.0, 0.0, 0.0, 1.0, 0.0]);
        op.zeros = false;
        let e = op.run(&x).unwrap_err().to_string();
        assert!(e.contains("Unknown Category"), "{e}");
    }

    #[test]
    fn label_encoder_maps_every_key_and_value_type() {
        let op = LabelEncoder {
            keys: Column::Strings(vec!["x".into(), "y".into()]),
            values: Column::Ints(vec![7, 9]),
            default: Column::Ints(vec![-1]),
        };
        let x = shaped(&[3], vec!["y".to_string(), "q".into(), "x".into()]).unwrap();
        let y = op.run(&x).unwrap();
        assert_eq!(
            y.try_as_plain_ram().unwrap().as_slice::<i64>().unwrap(),
            &[9, -1, 7]
        );
        let op = LabelEncoder {
            keys: Column::Floats(vec![f32::NAN, 1.5]),
            values: Column::Strings(vec!["nan".into(), "one".into()]),
            default: Column::Strings(vec!["_Unused".into()]),
        };
        let x = shaped(&[3], vec![1.5f32, f32::NAN, 2.0]).unwrap();
        let y = op.run(&x).unwrap();
        // onnxruntime matches no key with NaN.
        assert_eq!(
            y.try_as_plain_ram().unwrap().as_slice::<String>().unwrap(),
            &["one", "_Unused", "_Unused"]
        );
    }

    #[test]
    fn feature_vectorizer_pads_and_truncates() {
        let op = FeatureVectorizer { dims: vec![2, 1] };
        let a: TValue = shaped(&[2, 1], vec![1.0f64, 2.0]).unwrap().into_tvalue();
        let b: TValue = shaped(&[2, 2], vec![3i64, 4, 5, 6]).unwrap().into_tvalue();
        let y = op.concat(&[a, b]).unwrap();
        assert_eq!(floats(&y), vec![1.0, 0.0, 3.0, 2.0, 0.0, 5.0]);
    }

    #[test]
    fn binarizer_thresholds() {
        let op = Binarizer { threshold: 0.5 };
        let x = shaped(&[3], vec![0.2f32, 0.5, 0.7]).unwrap();
        assert_eq!(floats(&op.run(&x).unwrap()), vec![0.0, 0.0, 1.0]);
    }
}
