//! A prediction layout for a whole ensemble: every tree's split and leaf nodes in one array of
//! 16-byte (`f64`) or 12-byte (`f32`) nodes (threshold, feature with flags, left child),
//! breadth-first so the top levels of a tree share cache lines and the two children of a split
//! are neighbours (the right child is `left + 1`), and one comparison rule (`x <= threshold`,
//! NaN going to a per-node side) for every ordinary split. A leaf is a node `x <= +inf` (NaN
//! left) whose left child is itself, so a walk needs no "is this a leaf" test; the leaf values
//! are kept apart, read once a tree.
//!
//! Both walks advance several independent paths *in lockstep*, one level at a time, so their
//! node loads overlap instead of each waiting on the one before, with no branch on "is this a
//! leaf" (a leaf's child is itself) and a stop as soon as no path moved:
//! * [`Forest::leaves`] and [`Forest::block_leaves`]: a block of rows through one tree at a
//!   time (batches);
//! * [`Forest::row_leaves`]: one row through a group of trees (single rows: one row's walk
//!   through one tree is a chain of dependent loads, so the trees of a group go together).
//!
//! Either way each row still adds the trees in the model's order, so no result bit changes.
//!
//! A forest of small ragged trees (LightGBM's leaf-wise ones) without special
//! splits scores its blocks without NaN through [`QuickScorer`] instead, feature by feature;
//! it reaches the same leaves.
//!
//! Splits the single rule cannot express (categorical sets, LightGBM's `Zero` missing type,
//! an XGBoost threshold of `-inf`) are *special*: the evaluator decides them on the original
//! [`Node`] through the callback it passes.

use crate::quickscorer::{self, QuickScorer};
pub use crate::real::Real;
use crate::tree::{Node, Tree};
use std::ops::Range;

thread_local! {
    /// The leaves QuickScorer finds for a block, kept by each thread across blocks (taken
    /// while in use: a nested call would start a buffer of its own).
    static SCRATCH: std::cell::Cell<Vec<u32>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Rows per block in batch prediction (the positions of a block live on the stack).
pub const BLOCK_ROWS: usize = 64;

/// Trees per group in single-row prediction ([`Forest::row_leaves`]): walked in lockstep.
pub const ROW_TREES: usize = 8;

/// Trees per wider group in single-row prediction: a row's walk through many trees starts
/// with groups this wide (more paths in flight hide more of each load's latency).
pub const ROW_TREES_WIDE: usize = 16;

/// Trees per call of [`Forest::row_leaves`] in single-row prediction (the row is prepared
/// once a call): a multiple of [`ROW_TREES_WIDE`], and the callers' stack buffer of leaves.
pub const ROW_CHUNK: usize = 64;

/// Rows of up to this many features take the single-row walk without bounds checks.
const PAD: usize = 64;

/// A forest with at most this many split nodes per level of its trees' depths is scored by
/// [`QuickScorer`] in batches: it visits about half the splits a row, a walk about each tree's
/// depth, at ~1/3 of the cost a visit (measured: a 200-tree LightGBM model, ~30 splits and
/// ~10 levels a tree, 1.8x faster; a 200-tree XGBoost model of depth 6, ~55 splits a tree,
/// 1.4x slower).
const QUICK: usize = 4;

/// `feature` flag: the split is decided by the evaluator's callback.
const SPECIAL: u32 = 1 << 31;
/// `feature` flag: NaN goes left.
const NAN_LEFT: u32 = 1 << 30;
/// The feature index bits.
const FEATURE: u32 = NAN_LEFT - 1;

/// How the flat layout decides one split node of the original tree.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Split<T> {
    /// Left when `x <= threshold`; a NaN goes left when `nan_left`.
    Le {
        /// The inclusive threshold.
        threshold: T,
        /// Where NaN goes.
        nan_left: bool,
    },
    /// Decided by the evaluator's callback on the original node.
    Special,
}

/// One node: a split (its children are `left` and `left + 1`), or a leaf: `x <= +inf` with NaN
/// going left, to `left`, its own index (its value is in [`Forest::values`]).
#[derive(Clone, Copy, Debug)]
struct FlatNode<T> {
    /// The threshold.
    threshold: T,
    /// Feature index with the [`SPECIAL`] and [`NAN_LEFT`] flags.
    feature: u32,
    /// The left child; for a special node the index in [`Forest::specials`].
    left: u32,
}

/// Where a special node came from and where it leads (`left` and `left + 1`).
#[derive(Clone, Copy, Debug)]
struct Special {
    tree: u32,
    node: u32,
    left: u32,
}

/// Where a tree starts in [`Forest::nodes`] and how deep it is.
#[derive(Clone, Copy, Debug)]
struct Root {
    node: u32,
    depth: u32,
}

/// Puts each path of `paths` at the root of its tree in `roots`; returns the deepest tree's
/// depth (the most steps the walk can take).
#[inline(always)]
fn start(paths: &mut [u32], roots: &[Root]) -> u32 {
    let mut depth = 0;
    for (p, root) in paths.iter_mut().zip(roots) {
        *p = root.node;
        depth = depth.max(root.depth);
    }
    depth
}

/// The flat layout of an ensemble (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct Forest<T> {
    nodes: Vec<FlatNode<T>>,
    /// Flat node → its value if it is a leaf (read once a tree, off the walk's cache lines).
    values: Vec<T>,
    /// Each tree's root and depth.
    roots: Vec<Root>,
    specials: Vec<Special>,
    /// Flat node → index in its original tree (read only off the hot path).
    original: Vec<u32>,
    /// One more than the largest feature index a split reads (0 without splits).
    features: usize,
    /// The batch layout of a forest of small ragged trees without special splits.
    scorer: Option<Box<QuickScorer<T>>>,
}

impl<T: Real> Forest<T> {
    /// Lays out `trees` (already checked by [`Tree::new`]); `split` says how each split node
    /// compares. Fails when the ensemble has more than 2^31 nodes or a feature index ≥ 2^29.
    pub fn new<'a>(
        trees: impl IntoIterator<Item = &'a Tree<T>>,
        split: impl Fn(&Node<T>) -> Split<T>,
    ) -> Result<Self, String>
    where
        T: 'a,
    {
        let mut f = Forest {
            nodes: Vec::new(),
            values: Vec::new(),
            roots: Vec::new(),
            specials: Vec::new(),
            original: Vec::new(),
            features: 0,
            scorer: None,
        };
        for (ti, tree) in trees.into_iter().enumerate() {
            let src = tree.nodes();
            let base = f.nodes.len();
            if base + src.len() > (SPECIAL as usize) {
                return Err("the model has too many tree nodes (more than 2^31)".into());
            }
            // Breadth-first order, the two children of a node pushed together: `order[k]` is
            // the original index of flat node `base + k`.
            let mut order = Vec::with_capacity(src.len());
            let mut depth_of = Vec::with_capacity(src.len());
            let mut flat_of = vec![0u32; src.len()];
            order.push(0usize);
            depth_of.push(0u32);
            let mut k = 0;
            while k < order.len() {
                let i = order[k];
                flat_of[i] = (base + k) as u32;
                let n = &src[i];
                if !n.is_leaf() {
                    for c in [n.left, n.right] {
                        order.push(c as usize);
                        depth_of.push(depth_of[k] + 1);
                    }
                }
                k += 1;
            }
            for (k, &i) in order.iter().enumerate() {
                let n = &src[i];
                let me = (base + k) as u32;
                let flat = if n.is_leaf() {
                    FlatNode {
                        threshold: T::INFINITY,
                        feature: NAN_LEFT,
                        left: me,
                    }
                } else {
                    if n.feature > FEATURE {
                        return Err(format!("feature index {} is too large", n.feature));
                    }
                    f.features = f.features.max(n.feature as usize + 1);
                    let left = flat_of[n.left as usize];
                    debug_assert_eq!(flat_of[n.right as usize], left + 1);
                    match split(n) {
                        Split::Le {
                            threshold,
                            nan_left,
                        } => FlatNode {
                            threshold,
                            feature: n.feature | if nan_left { NAN_LEFT } else { 0 },
                            left,
                        },
                        Split::Special => {
                            f.specials.push(Special {
                                tree: ti as u32,
                                node: i as u32,
                                left,
                            });
                            FlatNode {
                                threshold: n.value,
                                feature: n.feature | SPECIAL,
                                left: (f.specials.len() - 1) as u32,
                            }
                        }
                    }
                };
                f.nodes.push(flat);
                f.values.push(n.value);
                f.original.push(i as u32);
            }
            f.roots.push(Root {
                node: base as u32,
                depth: depth_of.iter().copied().max().unwrap_or(0),
            });
        }
        let splits = f.nodes.iter().enumerate();
        let splits = splits.filter(|&(i, n)| n.left as usize != i).count();
        let depth: usize = f.roots.iter().map(|r| r.depth as usize).sum();
        if f.specials.is_empty() && splits <= QUICK * depth {
            let nodes = &f.nodes;
            let roots: Vec<u32> = f.roots.iter().map(|r| r.node).collect();
            f.scorer = QuickScorer::new(&roots, |i| {
                let n = nodes[i as usize];
                if n.left == i {
                    quickscorer::Node::Leaf
                } else {
                    quickscorer::Node::Split {
                        feature: n.feature & FEATURE,
                        threshold: n.threshold,
                        left: n.left,
                        right: n.left + 1,
                    }
                }
            })
            .map(Box::new);
        }
        Ok(f)
    }

    /// Number of trees.
    pub fn len(&self) -> usize {
        self.roots.len()
    }

    /// Whether there are no trees.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// Walks the rows of `x` (`nf` values a row, one row per element of `leaf`) through tree
    /// `tree`; on return `leaf[r]` is row `r`'s leaf, read with [`value`](Self::value).
    /// `special(tree, node, x)` decides a special split (`node` indexes the original tree's
    /// nodes): whether `x` goes left.
    #[inline]
    pub fn leaves(
        &self,
        tree: usize,
        x: &[T],
        nf: usize,
        leaf: &mut [u32],
        special: &impl Fn(usize, usize, T) -> bool,
    ) {
        self.block_trees::<true, true>(tree..tree + 1, x, nf, leaf, special, |_, _| {});
    }

    /// Walks the rows of `x` (`nf` values a row, one row per element of `leaf`) through each
    /// tree of `trees` in turn, as [`leaves`](Self::leaves) does, and calls `each(tree, leaf)`
    /// after each tree. The block is looked at once: rows without NaN that hold every feature
    /// the forest splits on (the usual case) skip each step's NaN test and bounds check, and a
    /// forest without special splits its flag test.
    #[inline]
    pub fn block_leaves(
        &self,
        trees: Range<usize>,
        x: &[T],
        nf: usize,
        leaf: &mut [u32],
        special: &impl Fn(usize, usize, T) -> bool,
        mut each: impl FnMut(usize, &[u32]),
    ) {
        let nan = nf < self.features || x.iter().any(|v| v.nan());
        if let Some(q) = &self.scorer {
            // QuickScorer scans every tree's splits at once: worth it when the call asks for
            // at least half of the forest (LightGBM's `num_iteration`, XGBoost's
            // `iteration_range` ask for a prefix); the trees outside `trees` are not reported.
            let most = trees.end <= self.len() && 2 * trees.len() >= self.len();
            if !nan && nf > 0 && most && leaf.len() <= BLOCK_ROWS {
                let rows = leaf.len();
                // One buffer per thread, reused block after block (51 KB for 200 trees).
                let mut all = SCRATCH.take();
                all.resize(self.len() * BLOCK_ROWS, 0);
                q.leaves(x, nf, rows, BLOCK_ROWS, &mut all);
                for t in trees {
                    each(t, &all[t * BLOCK_ROWS..][..rows]);
                }
                SCRATCH.set(all);
                return;
            }
        }
        match (nan || nf == 0, self.specials.is_empty()) {
            (false, true) => self.block_trees::<false, false>(trees, x, nf, leaf, special, each),
            (true, true) => self.block_trees::<true, false>(trees, x, nf, leaf, special, each),
            (false, false) => self.block_trees::<false, true>(trees, x, nf, leaf, special, each),
            (true, false) => self.block_trees::<true, true>(trees, x, nf, leaf, special, each),
        }
    }

    /// [`block_leaves`](Self::block_leaves) once the block is looked at. `NAN`: a row may hold
    /// NaN or lack a feature; `SPECIALS`: the forest has special splits.
    #[inline(always)]
    fn block_trees<const NAN: bool, const SPECIALS: bool>(
        &self,
        trees: Range<usize>,
        x: &[T],
        nf: usize,
        leaf: &mut [u32],
        special: &impl Fn(usize, usize, T) -> bool,
        mut each: impl FnMut(usize, &[u32]),
    ) {
        for tree in trees {
            let root = self.roots[tree];
            leaf.fill(root.node);
            if nf == 0 {
                self.leaves_rowless(leaf, special);
            } else {
                for _ in 0..root.depth {
                    let mut moved = false;
                    for (row, p) in x.chunks_exact(nf).zip(leaf.iter_mut()) {
                        let n = self.nodes[*p as usize];
                        let f = (n.feature & FEATURE) as usize;
                        // Without `NAN` every row holds every feature split on: in bounds.
                        let v = if NAN {
                            row.get(f).copied().unwrap_or(T::NAN)
                        } else {
                            row[f]
                        };
                        let next = self.decide::<NAN, SPECIALS>(n, v, special);
                        moved |= next != *p;
                        *p = next;
                    }
                    if !moved {
                        break;
                    }
                }
            }
            each(tree, leaf);
        }
    }

    /// Walks one row through trees `trees`, [`ROW_TREES`] at a time in lockstep; on return
    /// `leaf[i]` is the leaf of tree `trees.start + i` (`leaf` holds `trees.len()` positions).
    /// Same decisions as [`leaves`](Self::leaves), so the same leaves. The row is prepared once
    /// a call (copied, scanned for NaN), so callers pass many trees at once ([`ROW_CHUNK`]).
    #[inline]
    pub fn row_leaves(
        &self,
        trees: Range<usize>,
        row: &[T],
        leaf: &mut [u32],
        special: &impl Fn(usize, usize, T) -> bool,
    ) {
        debug_assert_eq!(leaf.len(), trees.len(), "one position per tree");
        if row.len() <= PAD && self.features <= PAD {
            // A row of up to PAD features is read from a copy padded with NaN, by a masked
            // index (every split's feature is below PAD): no bounds check on the walk's path.
            let mut pad = [T::NAN; PAD];
            pad[..row.len()].copy_from_slice(row);
            let value = |f: u32| pad[f as usize % PAD];
            // A row without NaN (the usual case) skips each step's NaN test, and a forest
            // without special splits its flag test.
            let nan = row.len() < self.features || row.iter().any(|v| v.nan());
            match (nan, self.specials.is_empty()) {
                (false, true) => self.row_groups::<false, false>(trees, leaf, &value, special),
                (true, true) => self.row_groups::<true, false>(trees, leaf, &value, special),
                (false, false) => self.row_groups::<false, true>(trees, leaf, &value, special),
                (true, false) => self.row_groups::<true, true>(trees, leaf, &value, special),
            }
        } else {
            let value = |f: u32| row.get(f as usize).copied().unwrap_or(T::NAN);
            self.row_groups::<true, true>(trees, leaf, &value, special);
        }
    }

    /// [`row_leaves`](Self::row_leaves) after the row is prepared: groups of
    /// [`ROW_TREES_WIDE`] trees, then of [`ROW_TREES`], walk with their positions in
    /// registers; the last few trees take the general [`lockstep`](Self::lockstep). `NAN`: the
    /// row may hold NaN; `SPECIALS`: the forest has special splits.
    #[inline(always)]
    fn row_groups<const NAN: bool, const SPECIALS: bool>(
        &self,
        trees: Range<usize>,
        leaf: &mut [u32],
        value: &impl Fn(u32) -> T,
        special: &impl Fn(usize, usize, T) -> bool,
    ) {
        let roots = &self.roots[trees];
        let wide = roots.len() / ROW_TREES_WIDE * ROW_TREES_WIDE;
        let narrow = wide + (roots.len() - wide) / ROW_TREES * ROW_TREES;
        let (wide_leaf, rest) = leaf.split_at_mut(wide);
        let (narrow_leaf, rest) = rest.split_at_mut(narrow - wide);
        self.full_groups::<ROW_TREES_WIDE, NAN, SPECIALS>(
            &roots[..wide],
            wide_leaf,
            value,
            special,
        );
        self.full_groups::<ROW_TREES, NAN, SPECIALS>(
            &roots[wide..narrow],
            narrow_leaf,
            value,
            special,
        );
        if !rest.is_empty() {
            let depth = start(rest, &roots[narrow..]);
            self.lockstep(depth, rest, value, special);
        }
    }

    /// Walks `roots.len() / LANES` groups of `LANES` trees, each group in lockstep with its
    /// positions in registers, into `leaf`.
    #[inline(always)]
    fn full_groups<const LANES: usize, const NAN: bool, const SPECIALS: bool>(
        &self,
        roots: &[Root],
        leaf: &mut [u32],
        value: &impl Fn(u32) -> T,
        special: &impl Fn(usize, usize, T) -> bool,
    ) {
        for (group, out) in roots.chunks_exact(LANES).zip(leaf.chunks_exact_mut(LANES)) {
            let mut p = [0u32; LANES];
            let depth = start(&mut p, group);
            // Two steps, then the test whether any path still moves (a leaf loops to itself,
            // so a step past the end changes nothing).
            let mut step = 0;
            while step < depth {
                for p in p.iter_mut() {
                    *p = self.step::<NAN, SPECIALS>(*p, value, special);
                }
                let mut moved = 0;
                for p in p.iter_mut() {
                    let next = self.step::<NAN, SPECIALS>(*p, value, special);
                    moved |= next ^ *p;
                    *p = next;
                }
                if moved == 0 {
                    break;
                }
                step += 2;
            }
            out.copy_from_slice(&p);
        }
    }

    /// One step of one path of a single-row walk: the child of node `p`, reading the row's
    /// feature `f` as `value(f)`.
    #[inline(always)]
    fn step<const NAN: bool, const SPECIALS: bool>(
        &self,
        p: u32,
        value: &impl Fn(u32) -> T,
        special: &impl Fn(usize, usize, T) -> bool,
    ) -> u32 {
        let n = self.nodes[p as usize];
        self.decide::<NAN, SPECIALS>(n, value(n.feature & FEATURE), special)
    }

    /// Advances every position of `leaf` `depth` times (or until none moves), reading the
    /// row's feature `f` as `value(f)`.
    #[inline(always)]
    fn lockstep(
        &self,
        depth: u32,
        leaf: &mut [u32],
        value: &impl Fn(u32) -> T,
        special: &impl Fn(usize, usize, T) -> bool,
    ) {
        for _ in 0..depth {
            let mut moved = false;
            for p in leaf.iter_mut() {
                let next = self.step::<true, true>(*p, value, special);
                moved |= next != *p;
                *p = next;
            }
            if !moved {
                break;
            }
        }
    }

    /// The walk for rows without features (every split is then on a missing value).
    #[cold]
    fn leaves_rowless(&self, leaf: &mut [u32], special: &impl Fn(usize, usize, T) -> bool) {
        for p in leaf {
            loop {
                let next = self.decide::<true, true>(self.nodes[*p as usize], T::NAN, special);
                if next == *p {
                    break;
                }
                *p = next;
            }
        }
    }

    /// The child of node `n` for the row's value `v` of its feature. `NAN`: `v` may be NaN;
    /// `SPECIALS`: `n` may be a special split (both `true` unless the caller knows better).
    #[inline(always)]
    fn decide<const NAN: bool, const SPECIALS: bool>(
        &self,
        n: FlatNode<T>,
        v: T,
        special: &impl Fn(usize, usize, T) -> bool,
    ) -> u32 {
        if SPECIALS && n.feature & SPECIAL != 0 {
            return self.special(n, v, special);
        }
        // Branch-free: right when the comparison fails, unless NaN goes left (a leaf always
        // goes left, to itself).
        let left = if NAN {
            (v <= n.threshold) | (v.nan() & (n.feature & NAN_LEFT != 0))
        } else {
            v <= n.threshold
        };
        n.left + !left as u32
    }

    /// The child of special node `n` for value `v`, from the evaluator's callback.
    #[inline(never)]
    fn special(&self, n: FlatNode<T>, v: T, special: &impl Fn(usize, usize, T) -> bool) -> u32 {
        let s = self.specials[n.left as usize];
        s.left + !special(s.tree as usize, s.node as usize, v) as u32
    }

    /// The value of leaf `leaf` (from [`leaves`](Self::leaves)).
    #[inline]
    pub fn value(&self, leaf: u32) -> T {
        self.values[leaf as usize]
    }

    /// The index of flat node `leaf` in its original tree's node array.
    #[inline]
    pub fn original(&self, leaf: u32) -> usize {
        self.original[leaf as usize] as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{CatSets, Node, Tree};

    #[test]
    fn walks_like_the_tree() {
        // 0: x0 <= 1 ? 1 : 2;  2: x1 <= 0 ? 3 : 4 (special: decided by the callback)
        let t = Tree::new(
            vec![
                Node::split(0, 1.0, 1, 2),
                Node::leaf(10.0),
                Node::split(1, 0.0, 3, 4),
                Node::leaf(20.0),
                Node::leaf(30.0),
            ],
            CatSets::default(),
            2,
        )
        .unwrap();
        let rule = |n: &Node<f64>| {
            if n.feature == 1 {
                Split::Special
            } else {
                Split::Le {
                    threshold: n.value,
                    nan_left: true,
                }
            }
        };
        let f = Forest::new([&t], rule).unwrap();
        let f3 = Forest::new([&t, &t, &t], rule).unwrap();
        let x = [0.5, 9.0, 2.0, -1.0, 2.0, 1.0, f64::NAN, 5.0];
        let mut leaf = [0u32; 4];
        f.leaves(0, &x, 2, &mut leaf, &|tree, node, v| {
            assert_eq!((tree, node), (0, 2));
            v <= 0.0
        });
        let got: Vec<f64> = leaf.iter().map(|l| f.value(*l)).collect();
        assert_eq!(got, [10.0, 20.0, 30.0, 10.0]);
        // One row at a time, through a group of trees, reaches the same leaves.
        let special = |_: usize, _: usize, v: f64| v <= 0.0;
        for (row, want) in x.chunks_exact(2).zip(leaf) {
            let mut one = [0u32];
            f.leaves(0, row, 2, &mut one, &special);
            assert_eq!(one[0], want);
            let mut three = [0u32; 3];
            f3.row_leaves(0..3, row, &mut three, &special);
            assert_eq!(three.map(|l| f3.value(l)), [f.value(want); 3]);
        }
    }

    #[test]
    fn every_single_row_path_reaches_the_leaves_of_the_batch_walk() {
        // 27 trees = one wide group, one narrow group and 3 left over, for rows with and
        // without NaN, short rows, and rows too long for the padded copy; with and without
        // special splits: each single-row variant against the batch walk, tree by tree.
        let nf = 60; // the features splits read: rows up to PAD take the padded copy
        let tree = |k: usize| {
            let f = (k * 7) % nf;
            let g = (k * 13 + 5) % 3; // features 0..3: present in short rows too
            Tree::new(
                vec![
                    Node::split(f as u32, k as f64 * 0.25 - 3.0, 1, 2),
                    Node::split(g as u32, 0.5, 3, 4),
                    Node::leaf(k as f64 * 10.0 + 1.0),
                    Node::leaf(k as f64 * 10.0 + 2.0),
                    Node::split((f + 1) as u32 % nf as u32, -0.5, 5, 6),
                    Node::leaf(k as f64 * 10.0 + 3.0),
                    Node::leaf(k as f64 * 10.0 + 4.0),
                ],
                CatSets::default(),
                nf,
            )
            .unwrap()
        };
        let trees: Vec<Tree<f64>> = (0..27).map(tree).collect();
        let plain = |n: &Node<f64>| Split::Le {
            threshold: n.value,
            nan_left: n.feature.is_multiple_of(2),
        };
        let with_specials = |n: &Node<f64>| {
            if n.feature % 5 == 1 {
                Split::Special
            } else {
                plain(n)
            }
        };
        let special = |_: usize, _: usize, v: f64| v.is_nan() || v <= 0.0;
        for forest in [
            Forest::new(&trees, plain).unwrap(),
            Forest::new(&trees, with_specials).unwrap(),
        ] {
            for r in 0..40usize {
                let len = match r % 4 {
                    0 => 3,       // short: the missing features read as NaN
                    1 => PAD + 6, // too long for the padded copy
                    _ => nf,
                };
                let row: Vec<f64> = (0..len)
                    .map(|i| {
                        if r.is_multiple_of(3) && i % 11 == r % 11 {
                            f64::NAN
                        } else {
                            ((i * 31 + r * 17) % 23) as f64 * 0.5 - 5.0
                        }
                    })
                    .collect();
                let mut got = [0u32; 27];
                forest.row_leaves(0..27, &row, &mut got, &special);
                for (t, got) in got.iter().enumerate() {
                    let mut want = [0u32];
                    forest.leaves(t, &row, row.len(), &mut want, &special);
                    assert_eq!(*got, want[0], "row {r} (len {len}), tree {t}");
                }
                // A range not starting at 0 walks the same trees.
                let mut tail = [0u32; 20];
                forest.row_leaves(7..27, &row, &mut tail, &special);
                assert_eq!(tail, got[7..]);
            }
            // Blocks: every row holding every feature without NaN (the specialised walk), with
            // one NaN, rows too short (missing features) and rows wider than the forest.
            for (width, nan) in [(nf, false), (nf, true), (3, false), (PAD + 6, false)] {
                let rows = 37;
                let x: Vec<f64> = (0..rows * width)
                    .map(|i| {
                        if nan && i == width + 4 {
                            f64::NAN
                        } else {
                            ((i * 29 + 7) % 19) as f64 * 0.5 - 4.5
                        }
                    })
                    .collect();
                let mut leaf = [0u32; 37];
                let mut walked = 0;
                forest.block_leaves(3..27, &x, width, &mut leaf, &special, |t, leaf| {
                    assert_eq!(t, 3 + walked, "trees in order");
                    walked += 1;
                    for (r, got) in leaf.iter().enumerate() {
                        let row = &x[r * width..(r + 1) * width];
                        let mut want = [0u32];
                        forest.leaves(t, row, width, &mut want, &special);
                        assert_eq!(*got, want[0], "width {width}, NaN {nan}, row {r}, tree {t}");
                    }
                });
                assert_eq!(walked, 24);
            }
        }
    }

    #[test]
    fn groups_of_trees_of_different_depths() {
        // A lone leaf, a stump and a deeper tree walked together for one row; rows without
        // features go where NaN goes.
        let leaf = Tree::new(vec![Node::leaf(1.0)], CatSets::default(), 1).unwrap();
        let stump = Tree::new(
            vec![Node::split(0, 0.0, 1, 2), Node::leaf(2.0), Node::leaf(3.0)],
            CatSets::default(),
            1,
        )
        .unwrap();
        let deep = Tree::new(
            vec![
                Node::split(0, 5.0, 2, 1),
                Node::leaf(4.0),
                Node::split(0, 1.0, 3, 4),
                Node::leaf(5.0),
                Node::split(0, 2.0, 5, 6),
                Node::leaf(6.0),
                Node::leaf(7.0),
            ],
            CatSets::default(),
            1,
        )
        .unwrap();
        let rule = |n: &Node<f64>| Split::Le {
            threshold: n.value,
            nan_left: false,
        };
        let f = Forest::new([&leaf, &stump, &deep], rule).unwrap();
        let never = |_: usize, _: usize, _: f64| unreachable!("no special splits");
        let values = |row: &[f64]| {
            let mut l = [0u32; 3];
            f.row_leaves(0..3, row, &mut l, &never);
            l.map(|l| f.value(l))
        };
        assert_eq!(values(&[1.5]), [1.0, 3.0, 6.0]);
        assert_eq!(values(&[-1.0]), [1.0, 2.0, 5.0]);
        assert_eq!(values(&[9.0]), [1.0, 3.0, 4.0]);
        assert_eq!(values(&[f64::NAN]), [1.0, 3.0, 4.0]);
        assert_eq!(values(&[]), [1.0, 3.0, 4.0]);
        let mut l = [0u32; 2];
        f.leaves(2, &[], 0, &mut l, &never);
        assert_eq!(l.map(|l| f.value(l)), [4.0, 4.0]);
    }

    #[test]
    fn short_rows_read_missing_features_as_nan() {
        // A split on feature 70 with NaN going left: a row without that feature goes left,
        // whether or not the row is short enough for the padded single-row walk.
        let t = Tree::new(
            vec![Node::split(70, 0.0, 1, 2), Node::leaf(1.0), Node::leaf(2.0)],
            CatSets::default(),
            71,
        )
        .unwrap();
        let f = Forest::new([&t], |n| Split::Le {
            threshold: n.value,
            nan_left: true,
        })
        .unwrap();
        let never = |_: usize, _: usize, _: f64| unreachable!("no special splits");
        let mut wide = vec![0.0; 71];
        for (row, want) in [(&[5.0][..], 1.0), (&[][..], 1.0), (&wide[..], 1.0)] {
            let mut l = [0u32];
            f.row_leaves(0..1, row, &mut l, &never);
            assert_eq!(f.value(l[0]), want, "row of {} values", row.len());
        }
        wide[70] = 1.0;
        let mut l = [0u32];
        f.row_leaves(0..1, &wide, &mut l, &never);
        assert_eq!(f.value(l[0]), 2.0);
    }

    /// A ragged tree grown leaf-wise to `leaves` leaves (LightGBM's way), splits on features
    /// `0..nf` at thresholds from a small set (so rows tie with them, and trees share them),
    /// from the pseudo-random `seed`.
    fn ragged(seed: &mut u64, leaves: usize, nf: u32) -> Tree<f64> {
        let mut next = || {
            *seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (*seed >> 33) as usize
        };
        let mut nodes = vec![Node::leaf(0.0)];
        let mut open = vec![0usize];
        while open.len() < leaves {
            let i = open.swap_remove(next() % open.len());
            let (l, r) = (nodes.len(), nodes.len() + 1);
            let threshold = [-1.0, -0.5, 0.0, 0.5, 1.0][next() % 5];
            nodes[i] = Node::split((next() % nf as usize) as u32, threshold, l as u32, r as u32);
            nodes.push(Node::leaf(0.0));
            nodes.push(Node::leaf(0.0));
            open.extend([l, r]);
        }
        for (k, n) in nodes.iter_mut().enumerate() {
            if n.is_leaf() {
                n.value = k as f64 + 0.5;
            }
        }
        Tree::new(nodes, CatSets::default(), nf as usize).unwrap()
    }

    #[test]
    fn quickscorer_finds_the_leaves_the_walk_finds() {
        // Forests of ragged trees (up to 64 leaves, one tree a lone leaf, one a chain 63 deep)
        // are scored by QuickScorer in batches: every block size around its 8 lanes, rows tying
        // with thresholds, rows wider than the forest; the leaves are the walk's, tree by tree.
        let mut seed = 7;
        let nf = 5;
        let mut trees: Vec<Tree<f64>> = [31, 1, 2, 64, 17, 31, 8, 40, 31, 3]
            .iter()
            .map(|&l| ragged(&mut seed, l, nf))
            .collect();
        let mut chain = Vec::new();
        for k in 0..63u32 {
            chain.push(Node::split(
                k % nf,
                0.25 * (k % 9) as f64 - 1.0,
                2 * k + 1,
                2 * k + 2,
            ));
            chain.push(Node::leaf(k as f64));
        }
        chain[125] = Node::leaf(-1.0);
        chain.truncate(126);
        chain.push(Node::leaf(-2.0));
        trees.push(Tree::new(chain, CatSets::default(), nf as usize).unwrap());
        let rule = |n: &Node<f64>| Split::Le {
            threshold: n.value,
            nan_left: false,
        };
        let f = Forest::new(trees.iter(), rule).unwrap();
        assert!(
            f.scorer.is_some(),
            "a forest of ragged trees takes QuickScorer"
        );
        let never = |_: usize, _: usize, _: f64| unreachable!("no special splits");
        let values = [-1.5, -1.0, -0.75, -0.5, 0.0, 0.25, 0.5, 1.0, 2.0];
        for (rows, width) in [(1, 5), (7, 5), (8, 5), (9, 6), (63, 5), (64, 7)] {
            let x: Vec<f64> = (0..rows * width)
                .map(|i| values[(i * 7 + i / 3) % values.len()])
                .collect();
            // The whole forest, a prefix and a middle part (QuickScorer), and a few trees
            // (the walk).
            let n = f.len();
            for trees in [0..n, 0..n - 3, 2..n - 2, 1..3] {
                let mut leaf = vec![0u32; rows];
                let mut got = Vec::new();
                f.block_leaves(trees.clone(), &x, width, &mut leaf, &never, |t, l| {
                    got.push((t, l.to_vec()))
                });
                assert_eq!(got.len(), trees.len());
                for ((t, got), want_t) in got.iter().zip(trees.clone()) {
                    assert_eq!(*t, want_t);
                    let mut want = vec![0u32; rows];
                    f.leaves(*t, &x, width, &mut want, &never);
                    assert_eq!(got, &want, "tree {t} of {trees:?}, {rows} rows of {width}");
                }
            }
        }
        // A tree of 65 leaves is beyond one u64: the forest walks.
        let wide = Forest::new([&ragged(&mut seed, 65, nf)], rule).unwrap();
        assert!(wide.scorer.is_none());
    }
}
