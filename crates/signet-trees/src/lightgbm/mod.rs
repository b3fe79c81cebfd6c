//! LightGBM text models (`model.lgb`, and the model string inside a skops file), predicted as
//! LightGBM 4.x's `Predictor` does in `double`.
//!
//! | module | owns |
//! | --- | --- |
//! | [`parse`] | the text format: header, `Tree=` blocks, decision types, bitsets, linear leaves, `pandas_categorical` |
//! | [`objective`] | objectives and `ConvertOutput` |
//!
//! Prediction ([`Booster::predict`]) follows `GBDT::PredictRaw`: each output starts at 0 and
//! adds one tree per iteration in order, averaged for random forests, then converted by the
//! objective. Inputs with |x| ≤ 1e-35 are read as 0, as LightGBM's dense-row reader drops
//! them.

pub mod objective;
pub mod parse;

use crate::error::TreeError;
use crate::tree::{CatSets, Node, Tree, CATEGORICAL, DEFAULT_LEFT, MISSING_NAN, MISSING_ZERO};
use objective::Objective;
use std::path::Path;

/// Rows per block in batch prediction.
const BLOCK_ROWS: usize = 64;

/// LightGBM's `kZeroThreshold` (`1e-35f`, as a double).
pub const ZERO_THRESHOLD: f64 = 1e-35f32 as f64;

/// A category value of `pandas_categorical`.
#[derive(Clone, Debug, PartialEq)]
pub enum PandasCategory {
    /// A string category.
    Str(String),
    /// A numeric category.
    Num(f64),
}

/// The linear models of a linear tree's leaves (indexed by leaf number).
#[derive(Clone, Debug, PartialEq)]
pub struct LinearLeaves {
    /// Constant term per leaf.
    pub leaf_const: Vec<f64>,
    /// Features per leaf.
    pub features: Vec<Vec<u32>>,
    /// Coefficients per leaf.
    pub coeff: Vec<Vec<f64>>,
}

/// A loaded LightGBM model.
#[derive(Clone, Debug)]
pub struct Booster {
    /// `num_class`.
    pub num_class: usize,
    /// Trees per iteration (classes for multiclass).
    pub num_tree_per_iteration: usize,
    /// `max_feature_idx + 1`.
    pub num_features: usize,
    /// The objective.
    pub objective: Objective,
    /// Random forest (`average_output`).
    pub average_output: bool,
    /// Feature names (in column order).
    pub feature_names: Vec<String>,
    /// Trees, with their linear leaves when the tree is linear.
    pub trees: Vec<(Tree<f64>, Option<LinearLeaves>)>,
    /// The pandas categories of each categorical column, in the order of the DataFrame's
    /// category columns, if the model was trained on a DataFrame.
    pub pandas_categorical: Option<Vec<Vec<PandasCategory>>>,
}

#[inline]
fn go_left(n: &Node<f64>, x: f64, sets: &CatSets) -> bool {
    if n.flags & CATEGORICAL != 0 {
        if x.is_nan() {
            return false;
        }
        let i = x as i32;
        if i < 0 {
            return false;
        }
        return sets.contains(n.cats, i as u32);
    }
    let mut x = x;
    let nan_missing = n.flags & MISSING_NAN != 0;
    if x.is_nan() && !nan_missing {
        x = 0.0;
    }
    if (n.flags & MISSING_ZERO != 0 && (-ZERO_THRESHOLD..=ZERO_THRESHOLD).contains(&x))
        || (nan_missing && x.is_nan())
    {
        return n.flags & DEFAULT_LEFT != 0;
    }
    x <= n.value
}

impl Booster {
    /// Reads a model file.
    pub fn load(path: &Path) -> Result<Self, TreeError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| TreeError::at(&file, "", format!("cannot read: {e}")))?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            TreeError::at(
                &file,
                format!("byte {}", e.valid_up_to()),
                "the model file is not UTF-8 text",
            )
        })?;
        Self::from_text(text, &file)
    }

    /// Reads a model from its text (`Booster.model_to_string()`); `file` names it in errors.
    pub fn from_text(text: &str, file: &str) -> Result<Self, TreeError> {
        parse::parse(text, file)
    }

    /// Number of iterations in the model.
    pub fn num_iterations(&self) -> usize {
        self.trees.len() / self.num_tree_per_iteration
    }

    /// Outputs per row.
    pub fn output_width(&self) -> usize {
        self.num_tree_per_iteration
    }

    /// One tree's output for one row.
    #[inline]
    fn tree_value(tree: &Tree<f64>, linear: Option<&LinearLeaves>, row: &[f64]) -> f64 {
        let leaf = tree.walk(|n| go_left(n, row[n.feature as usize], &tree.cat_sets));
        let Some(lin) = linear else {
            return leaf.value;
        };
        let k = leaf.feature as usize;
        let mut out = lin.leaf_const[k];
        for (f, c) in lin.features[k].iter().zip(&lin.coeff[k]) {
            let v = row[*f as usize];
            if v.is_nan() {
                return leaf.value;
            }
            out += c * v;
        }
        out
    }

    /// Predicts `rows` rows of `x` (row-major, [`num_features`](Self::num_features) columns,
    /// NaN for missing). `num_iteration` limits the iterations used (`None` or a value ≤ 0
    /// means all, as LightGBM's `num_iteration`); `raw_score` skips the objective's
    /// conversion. Returns `rows * output_width` values.
    pub fn predict(
        &self,
        x: &[f64],
        rows: usize,
        num_iteration: Option<i64>,
        raw_score: bool,
    ) -> Result<Vec<f64>, TreeError> {
        let nf = self.num_features;
        if rows.checked_mul(nf) != Some(x.len()) {
            return Err(TreeError::input(format!(
                "expected {rows} rows of {nf} features ({} values), got {} values",
                rows.saturating_mul(nf),
                x.len()
            )));
        }
        let k = self.num_tree_per_iteration;
        let total = self.num_iterations();
        let iters = match num_iteration {
            Some(n) if n > 0 => (n as usize).min(total),
            _ => total,
        };
        let mut out = vec![0f64; rows * k];
        crate::parallel::for_row_chunks(x, nf, &mut out, k, |xc, oc| {
            // Blocks of rows, tree-major inside a block; each row still adds its trees in
            // LightGBM's order (iteration, then class), so no result bit changes.
            let mut buf = vec![0f64; nf * BLOCK_ROWS];
            for (xb, ob) in xc
                .chunks(nf * BLOCK_ROWS)
                .zip(oc.chunks_mut(k * BLOCK_ROWS))
            {
                let buf = &mut buf[..xb.len()];
                for (b, v) in buf.iter_mut().zip(xb) {
                    *b = if v.is_nan() || v.abs() > ZERO_THRESHOLD {
                        *v
                    } else {
                        0.0
                    };
                }
                for i in 0..iters {
                    for c in 0..k {
                        let (tree, lin) = &self.trees[i * k + c];
                        for (row, o) in buf.chunks_exact(nf).zip(ob.chunks_exact_mut(k)) {
                            o[c] += Self::tree_value(tree, lin.as_ref(), row);
                        }
                    }
                }
                for o in ob.chunks_exact_mut(k) {
                    if self.average_output && iters > 0 {
                        o.iter_mut().for_each(|v| *v /= iters as f64);
                    }
                    if !raw_score {
                        self.objective.convert(o);
                    }
                }
            }
        });
        Ok(out)
    }
}
