//! QuickScorer (Lucchese et al., SIGIR 2015): a forest scored feature by feature instead of
//! tree by tree, for blocks of rows without NaN through forests of small, ragged trees
//! (LightGBM's leaf-wise trees), where a walk spends most of its steps on the block's deepest
//! paths.
//!
//! Each tree's leaves are numbered left to right (at most 64: one `u64` a tree). A split whose
//! comparison a row fails (`x > threshold`: the row goes right) rules out every leaf of its
//! left subtree; its *mask* has those leaves' bits cleared. A row's leaf in a tree is the
//! leftmost leaf no failed split ruled out: the lowest bit set once every failed split's mask
//! is applied. The failed splits of a feature are the ones whose threshold is below the row's
//! value, a prefix of the feature's splits sorted by threshold, so scoring is a scan of each
//! feature's sorted thresholds that stops at the row's value.
//!
//! [`LANES`] rows go together: sorted by their value of a feature, they share one scan of its
//! thresholds, each threshold applying to the rows whose value is above it. The leaves are the
//! walk's, so a forest's results do not change by a bit.

use crate::real::Real;
use std::cmp::Ordering;

/// Rows scored together (measured: 8 beats 2, 4, 16 and 32 on a 200-tree LightGBM model).
/// [`QuickScorer::leaves`] spells out one scan step per lane.
pub const LANES: usize = 8;
const _: () = assert!(
    LANES == 8,
    "QuickScorer::leaves spells out fail::<8> .. fail::<1>"
);

/// One feature's splits, by threshold.
struct Splits<'a, T> {
    threshold: &'a [T],
    tree: &'a [u32],
    mask: &'a [u64],
}

impl<T: Real> Splits<'_, T> {
    /// Applies the splits from `*i` on whose threshold is below `x` to the `N` lanes of
    /// `lanes` (the rows whose value is at least `x`), and moves `*i` past them.
    #[inline(always)]
    fn fail<const N: usize>(&self, i: &mut usize, x: T, lanes: &[usize], v: &mut [[u64; LANES]]) {
        let lanes: [usize; N] = std::array::from_fn(|j| lanes[j] % LANES);
        while *i < self.threshold.len() && self.threshold[*i] < x {
            let bits = &mut v[self.tree[*i] as usize];
            let m = self.mask[*i];
            for lane in lanes {
                bits[lane] &= m;
            }
            *i += 1;
        }
    }
}

/// A forest laid out for QuickScorer (see the module documentation).
#[derive(Clone, Debug)]
pub struct QuickScorer<T> {
    /// Feature `f`'s splits are `start[f]..start[f + 1]` of the arrays below, by threshold.
    start: Vec<usize>,
    /// The splits' thresholds (left when `x <= threshold`).
    threshold: Vec<T>,
    /// The splits' trees.
    tree: Vec<u32>,
    /// The splits' masks: every bit set but those of the leaves of the left subtree.
    mask: Vec<u64>,
    /// Tree `t`'s leaves are `first[t]..` of `leaves`, left to right.
    first: Vec<u32>,
    /// Each leaf's node index in the caller's layout.
    leaves: Vec<u32>,
}

/// One node of the caller's layout, as [`QuickScorer::new`] reads it.
pub enum Node<T> {
    /// A leaf.
    Leaf,
    /// A split: left when `x[feature] <= threshold`, to node `left`, else to `right`.
    Split {
        /// The feature index.
        feature: u32,
        /// The inclusive threshold.
        threshold: T,
        /// The left child.
        left: u32,
        /// The right child.
        right: u32,
    },
}

impl<T: Real> QuickScorer<T> {
    /// Lays out the trees rooted at `roots`, reading node `i` as `node(i)`; `None` when a tree
    /// has more than 64 leaves (one `u64` of bits).
    pub fn new(roots: &[u32], node: impl Fn(u32) -> Node<T>) -> Option<Self> {
        // (threshold, tree, mask) of every split, by feature.
        let mut splits: Vec<Vec<(T, u32, u64)>> = Vec::new();
        let mut first = Vec::with_capacity(roots.len());
        let mut leaves = Vec::new();
        for (t, &root) in roots.iter().enumerate() {
            first.push(u32::try_from(leaves.len()).ok()?);
            let base = leaves.len();
            // In-order walk; each split's entry is made once its left subtree's leaves are
            // numbered: `(node, leaves before it)` on the stack, `None` marks a split whose
            // left subtree is done.
            let mut stack: Vec<(u32, Option<usize>)> = vec![(root, None)];
            while let Some((i, left_from)) = stack.pop() {
                match (node(i), left_from) {
                    (Node::Leaf, _) => {
                        if leaves.len() - base == 64 {
                            return None;
                        }
                        leaves.push(i);
                    }
                    (Node::Split { left, .. }, None) => {
                        stack.push((i, Some(leaves.len() - base)));
                        stack.push((left, None));
                    }
                    (
                        Node::Split {
                            feature,
                            threshold,
                            right,
                            ..
                        },
                        Some(from),
                    ) => {
                        let to = leaves.len() - base;
                        // Bits from..to: the left subtree's leaves (fewer than 64 of them).
                        let bits = ((1u64 << (to - from)) - 1) << from;
                        let f = feature as usize;
                        if splits.len() <= f {
                            splits.resize_with(f + 1, Vec::new);
                        }
                        splits[f].push((threshold, t as u32, !bits));
                        stack.push((right, None));
                    }
                }
            }
        }
        let mut q = QuickScorer {
            start: vec![0],
            threshold: Vec::new(),
            tree: Vec::new(),
            mask: Vec::new(),
            first,
            leaves,
        };
        for mut s in splits {
            s.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(Ordering::Equal));
            for (threshold, tree, mask) in s {
                q.threshold.push(threshold);
                q.tree.push(tree);
                q.mask.push(mask);
            }
            q.start.push(q.threshold.len());
        }
        Some(q)
    }

    /// Number of trees.
    pub fn len(&self) -> usize {
        self.first.len()
    }

    /// Whether there are no trees.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    /// Scores the `rows` rows of `x` (`nf` values a row, no NaN, every feature a split reads
    /// present): on return `out[t * stride + r]` is row `r`'s leaf in tree `t` (`out` holds
    /// `len() * stride` positions, `rows <= stride`).
    pub fn leaves(&self, x: &[T], nf: usize, rows: usize, stride: usize, out: &mut [u32]) {
        debug_assert!(rows <= stride && out.len() >= self.len() * stride);
        let mut v = vec![[u64::MAX; LANES]; self.len()];
        for group in (0..rows).step_by(LANES) {
            // A short last group repeats its last row in the spare lanes.
            let row = |lane: usize| (group + lane).min(rows - 1) * nf;
            v.fill([u64::MAX; LANES]);
            for (f, span) in self.start.windows(2).enumerate() {
                let (from, to) = (span[0], span[1]);
                if from == to {
                    continue;
                }
                let values: [T; LANES] = std::array::from_fn(|lane| x[row(lane) + f]);
                let mut order: [usize; LANES] = std::array::from_fn(|lane| lane);
                order.sort_unstable_by(|&a, &b| {
                    values[a % LANES]
                        .partial_cmp(&values[b % LANES])
                        .unwrap_or(Ordering::Equal)
                });
                let splits = Splits {
                    threshold: &self.threshold[from..to],
                    tree: &self.tree[from..to],
                    mask: &self.mask[from..to],
                };
                // The thresholds below the k-th smallest value fail for it and every larger one;
                // each k has its own fixed number of lanes, so the lanes stay in registers.
                let mut i = 0;
                let x = |k: usize| values[order[k] % LANES];
                splits.fail::<8>(&mut i, x(0), &order[0..], &mut v);
                splits.fail::<7>(&mut i, x(1), &order[1..], &mut v);
                splits.fail::<6>(&mut i, x(2), &order[2..], &mut v);
                splits.fail::<5>(&mut i, x(3), &order[3..], &mut v);
                splits.fail::<4>(&mut i, x(4), &order[4..], &mut v);
                splits.fail::<3>(&mut i, x(5), &order[5..], &mut v);
                splits.fail::<2>(&mut i, x(6), &order[6..], &mut v);
                splits.fail::<1>(&mut i, x(7), &order[7..], &mut v);
            }
            let lanes = LANES.min(rows - group);
            for (t, bits) in v.iter().enumerate() {
                let leaves = &self.leaves[self.first[t] as usize..];
                let out = &mut out[t * stride + group..][..lanes];
                for (o, b) in out.iter_mut().zip(bits) {
                    // A tree always keeps its row's leaf: a bit is set.
                    *o = leaves[b.trailing_zeros() as usize];
                }
            }
        }
    }
}
