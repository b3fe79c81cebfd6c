//! LightGBM text models (`model.lgb`, and the model string inside a skops file), predicted as
//! LightGBM 4.x's `Predictor` does in `double`.
//!
//! | module | owns |
//! | --- | --- |
//! | [`parse`] | the text format: header, `Tree=` blocks, decision types, bitsets, linear leaves, `pandas_categorical` |
//! | [`objective`] | objectives and `ConvertOutput` |
//! | [`sklearn`] | `LGBMClassifier`/`LGBMRegressor` saved as skops: the Booster string, labels |
//!
//! Prediction ([`Booster::predict`]) follows `GBDT::PredictRaw`: each output starts at 0 and
//! adds one tree per iteration in order, averaged for random forests, then converted by the
//! objective. Inputs with |x| ≤ 1e-35 are read as 0, as LightGBM's dense-row reader drops
//! them.

pub mod objective;
pub mod parse;
pub mod sklearn;

use crate::error::{check_shape, TreeError};
use crate::forest::{Forest, Split, BLOCK_ROWS, ROW_CHUNK};
use crate::tree::{CatSets, Node, Tree, CATEGORICAL, DEFAULT_LEFT, MISSING_NAN, MISSING_ZERO};
use objective::Objective;
use std::path::Path;

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
    /// The same trees laid out for prediction.
    pub forest: Forest<f64>,
    /// The pandas categories of each categorical column, in the order of the DataFrame's
    /// category columns, if the model was trained on a DataFrame.
    pub pandas_categorical: Option<Vec<Vec<PandasCategory>>>,
    /// Whether any tree is linear (asked once, not per prediction).
    linear: bool,
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

/// The prediction layout of LightGBM trees: a numerical split with missing type `None` or
/// `NaN` is `x <= threshold` with NaN going left when `NaN` is missing and default-left, or
/// (type `None`, NaN read as 0) when `0 <= threshold`; categorical and `Zero` splits are decided
/// by [`go_left`] on the original node.
pub fn forest<'a>(trees: impl IntoIterator<Item = &'a Tree<f64>>) -> Result<Forest<f64>, String> {
    Forest::new(trees, |n| {
        if n.flags & (CATEGORICAL | MISSING_ZERO) != 0 {
            Split::Special
        } else {
            let nan_left = if n.flags & MISSING_NAN != 0 {
                n.flags & DEFAULT_LEFT != 0
            } else {
                0.0 <= n.value
            };
            Split::Le {
                threshold: n.value,
                nan_left,
            }
        }
    })
}

/// `x` as LightGBM reads it: values with |x| ≤ 1e-35 as 0. Copies into `buf` only when such a
/// value (other than 0) is there.
fn zeroed<'a>(x: &'a [f64], buf: &'a mut Vec<f64>) -> &'a [f64] {
    let tiny = |v: &f64| *v != 0.0 && v.abs() <= ZERO_THRESHOLD;
    if !x.iter().any(tiny) {
        return x;
    }
    buf.clear();
    buf.extend(x.iter().map(|v| if tiny(v) { 0.0 } else { *v }));
    buf
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

    /// The output of tree `t` for a row that reached flat leaf `leaf`.
    #[inline]
    fn leaf_value(&self, t: usize, leaf: u32, row: &[f64]) -> f64 {
        let value = self.forest.value(leaf);
        if !self.linear {
            return value;
        }
        let Some(lin) = &self.trees[t].1 else {
            return value;
        };
        let k = self.trees[t].0.nodes()[self.forest.original(leaf)].feature as usize;
        let mut out = lin.leaf_const[k];
        for (f, c) in lin.features[k].iter().zip(&lin.coeff[k]) {
            let v = row[*f as usize];
            if v.is_nan() {
                return value;
            }
            out += c * v;
        }
        out
    }

    /// One row's outputs after the trees: averaged for random forests, then converted by the
    /// objective unless `raw_score`.
    #[inline]
    fn finish(&self, o: &mut [f64], iters: usize, raw_score: bool) {
        if self.average_output && iters > 0 {
            o.iter_mut().for_each(|v| *v /= iters as f64);
        }
        if !raw_score {
            self.objective.convert(o);
        }
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
        check_shape(rows, self.num_features, x.len(), None)?;
        let mut out = vec![0f64; rows * self.num_tree_per_iteration];
        self.predict_into(x, rows, num_iteration, raw_score, &mut out)?;
        Ok(out)
    }

    /// [`predict`](Self::predict) into `out` (`rows * output_width` values). Allocates
    /// nothing unless an input value needs LightGBM's zeroing (|x| ≤ 1e-35, not 0).
    pub fn predict_into(
        &self,
        x: &[f64],
        rows: usize,
        num_iteration: Option<i64>,
        raw_score: bool,
        out: &mut [f64],
    ) -> Result<(), TreeError> {
        let nf = self.num_features;
        let k = self.num_tree_per_iteration;
        check_shape(rows, nf, x.len(), Some((k, out.len())))?;
        out.fill(0.0);
        let total = self.num_iterations();
        let iters = match num_iteration {
            Some(n) if n > 0 => (n as usize).min(total),
            _ => total,
        };
        let special = |t: usize, node: usize, v: f64| {
            let tree = &self.trees[t].0;
            go_left(&tree.nodes()[node], v, &tree.cat_sets)
        };
        if rows == 1 {
            // One row: groups of trees walked together (forest.rs), added in LightGBM's order.
            let mut buf = Vec::new();
            let row = zeroed(x, &mut buf);
            let mut leaf = [0u32; ROW_CHUNK];
            let n = iters * k;
            for start in (0..n).step_by(ROW_CHUNK) {
                let group = start..(start + ROW_CHUNK).min(n);
                let leaf = &mut leaf[..group.len()];
                self.forest.row_leaves(group.clone(), row, leaf, &special);
                if k == 1 {
                    // Added in a register, in the same order (out[0] starts at 0.0).
                    let mut sum = out[0];
                    if self.linear {
                        for (t, l) in group.zip(leaf.iter()) {
                            sum += self.leaf_value(t, *l, row);
                        }
                    } else {
                        for l in leaf.iter() {
                            sum += self.forest.value(*l);
                        }
                    }
                    out[0] = sum;
                } else {
                    for (t, l) in group.zip(leaf.iter()) {
                        out[t % k] += self.leaf_value(t, *l, row);
                    }
                }
            }
            self.finish(out, iters, raw_score);
            return Ok(());
        }
        crate::parallel::for_row_chunks(x, nf, out, k, |xc, oc| {
            // Blocks of rows walked through one tree at a time (forest.rs); each row still
            // adds its trees in LightGBM's order (iteration, then class), so no result bit
            // changes.
            let mut leaf = [0u32; BLOCK_ROWS];
            let mut buf = Vec::new();
            for (xb, ob) in xc
                .chunks(nf * BLOCK_ROWS)
                .zip(oc.chunks_mut(k * BLOCK_ROWS))
            {
                let xb = zeroed(xb, &mut buf);
                let leaf = &mut leaf[..ob.len() / k];
                self.forest
                    .block_leaves(0..iters * k, xb, nf, leaf, &special, |t, leaf| {
                        let c = t % k;
                        let outs = ob.chunks_exact_mut(k).zip(leaf.iter());
                        if self.linear {
                            for ((o, l), row) in outs.zip(xb.chunks_exact(nf)) {
                                o[c] += self.leaf_value(t, *l, row);
                            }
                        } else {
                            for (o, l) in outs {
                                o[c] += self.forest.value(*l);
                            }
                        }
                    });
                for o in ob.chunks_exact_mut(k) {
                    self.finish(o, iters, raw_score);
                }
            }
        });
        Ok(())
    }
}
