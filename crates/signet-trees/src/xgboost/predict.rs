//! XGBoost prediction on a dense row-major `f32` matrix (NaN = missing), in XGBoost's order:
//! each output starts at its base margin and adds the trees' leaf values one tree at a time in
//! `float`; dart multiplies each tree's value by its weight; gblinear adds `x * w` feature by
//! feature after `bias + base`.

use super::objective::Objective;
use super::{Booster, Model};
use crate::error::{check_shape, TreeError};
use crate::forest::{Forest, Split, BLOCK_ROWS, ROW_CHUNK};
use crate::tree::{CatSets, Node, Tree, CATEGORICAL, DEFAULT_LEFT};

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

/// The prediction layout of XGBoost trees: `x < t` is `x <= next_down(t)` in `f32` (exact for
/// every `x`, since floats are discrete); categorical splits and a `-inf` threshold are decided
/// by [`go_left`] on the original node.
pub fn forest(trees: &[Tree<f32>]) -> Result<Forest<f32>, String> {
    Forest::new(trees, |n| {
        if n.flags & CATEGORICAL != 0 || n.value == f32::NEG_INFINITY {
            Split::Special
        } else {
            Split::Le {
                threshold: n.value.next_down(),
                nan_left: n.flags & DEFAULT_LEFT != 0,
            }
        }
    })
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
        check_shape(rows, self.num_feature, x.len(), None)?;
        let mut out = vec![0f32; rows * self.groups];
        self.predict_into(x, rows, opts, &mut out)?;
        out.truncate(rows * self.output_width(opts.margin));
        Ok(out)
    }

    /// [`predict`](Self::predict) into `out`, which must hold `rows * groups` values (the
    /// margins are computed there); the first `rows * output_width` values are the result.
    /// Allocates nothing.
    pub fn predict_into(
        &self,
        x: &[f32],
        rows: usize,
        opts: &Options,
        out: &mut [f32],
    ) -> Result<(), TreeError> {
        let nf = self.num_feature;
        let g = self.groups;
        check_shape(rows, nf, x.len(), Some((g, out.len())))?;
        for o in out.chunks_exact_mut(g) {
            o.copy_from_slice(&self.base_margin);
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
                let special = |t: usize, node: usize, v: f32| {
                    let tree = &ens.trees[t];
                    go_left(&tree.nodes()[node], v, &tree.cat_sets)
                };
                let add = |t: usize, leaf: u32, o: &mut [f32]| {
                    let v = ens.forest.value(leaf);
                    let grp = ens.tree_info[t];
                    o[grp] += match &ens.weight_drop {
                        None => v,
                        Some(w) if opts.inplace => {
                            let b = self.base_margin[grp];
                            ((b + v) - b) * w[t]
                        }
                        Some(w) => v * w[t],
                    };
                };
                if rows == 1 {
                    // One row: groups of trees walked together (forest.rs), added in order.
                    let mut leaf = [0u32; ROW_CHUNK];
                    for start in (t0..t1).step_by(ROW_CHUNK) {
                        let group = start..(start + ROW_CHUNK).min(t1);
                        let leaf = &mut leaf[..group.len()];
                        ens.forest.row_leaves(group.clone(), x, leaf, &special);
                        if g == 1 && ens.weight_drop.is_none() {
                            // Added in a register, in the same order.
                            let mut sum = out[0];
                            for l in leaf.iter() {
                                sum += ens.forest.value(*l);
                            }
                            out[0] = sum;
                        } else {
                            for (t, l) in group.zip(leaf.iter()) {
                                add(t, *l, out);
                            }
                        }
                    }
                } else {
                    crate::parallel::for_row_chunks(x, nf, out, g, |xc, oc| {
                        // Blocks of rows walked through one tree at a time (forest.rs); each
                        // row still adds the trees in order, so no result bit changes.
                        let mut leaf = [0u32; BLOCK_ROWS];
                        let blocks = xc
                            .chunks(nf * BLOCK_ROWS)
                            .zip(oc.chunks_mut(g * BLOCK_ROWS));
                        for (xb, ob) in blocks {
                            let leaf = &mut leaf[..ob.len() / g];
                            ens.forest
                                .block_leaves(t0..t1, xb, nf, leaf, &special, |t, leaf| {
                                    for (o, l) in ob.chunks_exact_mut(g).zip(leaf.iter()) {
                                        add(t, *l, o);
                                    }
                                });
                        }
                    });
                }
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
            return Ok(());
        }
        for r in 0..rows {
            self.objective.transform(&mut out[r * g..(r + 1) * g]);
        }
        if self.objective == Objective::Softmax {
            // The label of row r is at r * g; gather them at the front (r <= r * g).
            for r in 0..rows {
                out[r] = out[r * g];
            }
        }
        Ok(())
    }
}
