//! XGBoost prediction on a dense row-major `f32` matrix (NaN = missing), in XGBoost's order:
//! each output starts at its base margin and adds the trees' leaf values one tree at a time in
//! `float`; dart multiplies each tree's value by its weight; gblinear adds `x * w` feature by
//! feature after `bias + base`.

use super::objective::Objective;
use super::{Booster, Model};
use crate::error::TreeError;
use crate::tree::{CatSets, Node, CATEGORICAL, DEFAULT_LEFT};

/// Rows per block in batch prediction.
const BLOCK_ROWS: usize = 64;

/// How to predict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Return margins (`output_margin=True` / `predict_type="margin"`).
    pub margin: bool,
    /// Layers (iterations) `begin..end` to use; `end == 0` means all (`iteration_range`).
    pub iteration_range: Option<(usize, usize)>,
    /// Use `inplace_predict`'s arithmetic for dart (`(base + v) - base`, as the sklearn
    /// wrappers do) instead of `Booster.predict`'s (`v`).
    pub inplace: bool,
}

/// `Decision` for one node and feature value: whether to go left.
#[inline]
fn go_left(n: &Node<f32>, x: f32, sets: &CatSets) -> bool {
    if x.is_nan() {
        n.flags & DEFAULT_LEFT != 0
    } else if n.flags & CATEGORICAL != 0 {
        // InvalidCat (negative or >= 2^24) goes left; chosen categories go right.
        if !(0.0..16_777_216.0).contains(&x) {
            true
        } else {
            !sets.contains(n.cats, x as u32)
        }
    } else {
        x < n.value
    }
}

impl Model {
    /// The number of values per row [`predict`](Self::predict) returns.
    pub fn output_width(&self, margin: bool) -> usize {
        if !margin && self.objective == Objective::Softmax {
            1
        } else {
            self.groups
        }
    }

    /// Predicts `rows` rows of `x` (row-major, `num_feature` columns, NaN for missing);
    /// returns `rows * output_width` values.
    pub fn predict(&self, x: &[f32], rows: usize, opts: &Options) -> Result<Vec<f32>, TreeError> {
        let nf = self.num_feature;
        if rows.checked_mul(nf) != Some(x.len()) {
            return Err(TreeError::input(format!(
                "expected {rows} rows of {nf} features ({} values), got {} values",
                rows.saturating_mul(nf),
                x.len()
            )));
        }
        let g = self.groups;
        let mut out = vec![0f32; rows * g];
        for r in 0..rows {
            out[r * g..(r + 1) * g].copy_from_slice(&self.base_margin);
        }
        match &self.booster {
            Booster::Trees(ens) => {
                let (begin, end) = opts.iteration_range.unwrap_or((0, 0));
                let rounds = ens.iteration_indptr.len().saturating_sub(1);
                let end = if end == 0 { rounds } else { end };
                if begin > end || end > rounds {
                    return Err(TreeError::input(format!(
                        "iteration_range ({begin}, {end}) is outside the model's {rounds} rounds"
                    )));
                }
                let (t0, t1) = (ens.iteration_indptr[begin], ens.iteration_indptr[end]);
                crate::parallel::for_row_chunks(x, nf, &mut out, g, |xc, oc| {
                    // Blocks of rows, tree-major inside a block (the tree stays in cache);
                    // each row still adds the trees in order, so no result bit changes.
                    let blocks = xc
                        .chunks(nf * BLOCK_ROWS)
                        .zip(oc.chunks_mut(g * BLOCK_ROWS));
                    for (xb, ob) in blocks {
                        for t in t0..t1 {
                            let tree = &ens.trees[t];
                            let grp = ens.tree_info[t];
                            for (row, o) in xb.chunks_exact(nf).zip(ob.chunks_exact_mut(g)) {
                                let leaf = tree
                                    .walk(|n| go_left(n, row[n.feature as usize], &tree.cat_sets))
                                    .value;
                                match &ens.weight_drop {
                                    None => o[grp] += leaf,
                                    Some(w) if opts.inplace => {
                                        let b = self.base_margin[grp];
                                        o[grp] += ((b + leaf) - b) * w[t];
                                    }
                                    Some(w) => o[grp] += leaf * w[t],
                                }
                            }
                        }
                    }
                });
            }
            Booster::Linear { weights } => {
                let bias = &weights[nf * g..];
                for r in 0..rows {
                    let row = &x[r * nf..(r + 1) * nf];
                    for grp in 0..g {
                        let mut psum = bias[grp] + self.base_margin[0];
                        for (f, v) in row.iter().enumerate() {
                            if !v.is_nan() {
                                psum += v * weights[f * g + grp];
                            }
                        }
                        out[r * g + grp] = psum;
                    }
                }
            }
        }
        if opts.margin {
            return Ok(out);
        }
        if self.objective == Objective::Softmax {
            let mut labels = Vec::with_capacity(rows);
            for r in 0..rows {
                let row = &mut out[r * g..(r + 1) * g];
                self.objective.transform(row);
                labels.push(row[0]);
            }
            return Ok(labels);
        }
        for r in 0..rows {
            self.objective.transform(&mut out[r * g..(r + 1) * g]);
        }
        Ok(out)
    }
}
