//! A prediction layout for a whole ensemble: every tree's nodes in one array of 16-byte
//! (`f32`) or 24-byte (`f64`) nodes, breadth-first so the top levels of a tree share cache
//! lines, leaves pointing to themselves, and one comparison rule (`x <= threshold`, NaN going
//! to a per-node side) for every ordinary split.
//!
//! [`Forest::leaves`] walks a block of rows through one tree *in lockstep*: one level at a
//! time for all rows, so the rows' independent node loads overlap instead of waiting on each
//! other, with no branch on "is this a leaf" (a leaf's children are itself) and a stop as soon
//! as no row moved. Rows still add the trees in the model's order, so no result bit changes.
//!
//! Splits the single rule cannot express (categorical sets, LightGBM's `Zero` missing type,
//! an XGBoost threshold of `-inf`) are *special*: the evaluator decides them on the original
//! [`Node`] through the callback it passes.

use crate::tree::{Node, Tree};

/// Rows per block in batch prediction (the positions of a block live on the stack).
pub const BLOCK_ROWS: usize = 64;

/// `feature` flag: the split is decided by the evaluator's callback.
const SPECIAL: u32 = 1 << 31;
/// `feature` flag: NaN goes left.
const NAN_LEFT: u32 = 1 << 30;
/// The feature index bits.
const FEATURE: u32 = NAN_LEFT - 1;

/// The floats the forests hold (`f32` for XGBoost, `f64` for LightGBM).
pub trait Real: Copy + PartialOrd + std::fmt::Debug {
    /// Whether the value is NaN.
    fn nan(self) -> bool;
}

impl Real for f32 {
    #[inline]
    fn nan(self) -> bool {
        self.is_nan()
    }
}

impl Real for f64 {
    #[inline]
    fn nan(self) -> bool {
        self.is_nan()
    }
}

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

/// One node: a split, or a leaf (`left == right ==` its own index, `value` its value).
#[derive(Clone, Copy, Debug)]
struct FlatNode<T> {
    value: T,
    /// Feature index with the [`SPECIAL`] and [`NAN_LEFT`] flags; for a special node `left`
    /// indexes [`Forest::specials`].
    feature: u32,
    left: u32,
    right: u32,
}

/// Where a special node came from and where it leads.
#[derive(Clone, Copy, Debug)]
struct Special {
    tree: u32,
    node: u32,
    left: u32,
    right: u32,
}

/// The flat layout of an ensemble (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct Forest<T> {
    nodes: Vec<FlatNode<T>>,
    roots: Vec<u32>,
    depths: Vec<u32>,
    specials: Vec<Special>,
    /// Flat node → index in its original tree (read only off the hot path).
    original: Vec<u32>,
}

impl<T: Real> Forest<T> {
    /// Lays out `trees` (already checked by [`Tree::new`]); `split` says how each split node
    /// compares. Fails when the ensemble has more than 2^31 nodes or a feature index ≥ 2^30.
    pub fn new<'a>(
        trees: impl IntoIterator<Item = &'a Tree<T>>,
        split: impl Fn(&Node<T>) -> Split<T>,
    ) -> Result<Self, String>
    where
        T: 'a,
    {
        let mut f = Forest {
            nodes: Vec::new(),
            roots: Vec::new(),
            depths: Vec::new(),
            specials: Vec::new(),
            original: Vec::new(),
        };
        for (ti, tree) in trees.into_iter().enumerate() {
            let src = tree.nodes();
            let base = f.nodes.len();
            if base + src.len() > (SPECIAL as usize) {
                return Err("the model has too many tree nodes (more than 2^31)".into());
            }
            // Breadth-first order: `order[k]` is the original index of flat node `base + k`.
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
                        value: n.value,
                        feature: 0,
                        left: me,
                        right: me,
                    }
                } else {
                    if n.feature > FEATURE {
                        return Err(format!("feature index {} is too large", n.feature));
                    }
                    let (l, r) = (flat_of[n.left as usize], flat_of[n.right as usize]);
                    match split(n) {
                        Split::Le {
                            threshold,
                            nan_left,
                        } => FlatNode {
                            value: threshold,
                            feature: n.feature | if nan_left { NAN_LEFT } else { 0 },
                            left: l,
                            right: r,
                        },
                        Split::Special => {
                            f.specials.push(Special {
                                tree: ti as u32,
                                node: i as u32,
                                left: l,
                                right: r,
                            });
                            FlatNode {
                                value: n.value,
                                feature: n.feature | SPECIAL,
                                left: (f.specials.len() - 1) as u32,
                                right: me,
                            }
                        }
                    }
                };
                f.nodes.push(flat);
                f.original.push(i as u32);
            }
            f.roots.push(base as u32);
            f.depths.push(depth_of.iter().copied().max().unwrap_or(0));
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
        if let [one] = leaf {
            *one = self.leaf(tree, &x[..nf], special);
            return;
        }
        leaf.fill(self.roots[tree]);
        for _ in 0..self.depths[tree] {
            let mut moved = false;
            for (row, p) in x.chunks_exact(nf).zip(leaf.iter_mut()) {
                let n = self.nodes[*p as usize];
                let next = self.next(n, row, special);
                moved |= next != *p;
                *p = next;
            }
            if !moved {
                break;
            }
        }
    }

    /// The leaf one row reaches in tree `tree`: a plain walk, for a single row (where the
    /// lockstep loop of [`leaves`](Self::leaves) only adds work); the same decisions, so the
    /// same leaf.
    #[inline]
    pub fn leaf(&self, tree: usize, row: &[T], special: &impl Fn(usize, usize, T) -> bool) -> u32 {
        let mut p = self.roots[tree];
        loop {
            let n = self.nodes[p as usize];
            if n.feature & SPECIAL == 0 && n.left == p {
                return p; // a leaf: an ordinary node whose child is itself
            }
            p = self.next(n, row, special);
        }
    }

    /// The child of node `n` that `row` goes to (a leaf's child is itself).
    #[inline]
    fn next(&self, n: FlatNode<T>, row: &[T], special: &impl Fn(usize, usize, T) -> bool) -> u32 {
        let v = row[(n.feature & FEATURE) as usize];
        if n.feature & SPECIAL == 0 {
            if (v <= n.value) | (v.nan() & (n.feature & NAN_LEFT != 0)) {
                n.left
            } else {
                n.right
            }
        } else {
            let s = self.specials[n.left as usize];
            if special(s.tree as usize, s.node as usize, v) {
                s.left
            } else {
                s.right
            }
        }
    }

    /// The value of leaf `leaf` (from [`leaves`](Self::leaves)).
    #[inline]
    pub fn value(&self, leaf: u32) -> T {
        self.nodes[leaf as usize].value
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

    fn split(feature: u32, t: f64, l: u32, r: u32) -> Node<f64> {
        Node {
            value: t,
            feature,
            left: l,
            right: r,
            flags: 0,
            cats: 0,
        }
    }

    #[test]
    fn walks_like_the_tree() {
        // 0: x0 <= 1 ? 1 : 2;  2: x1 <= 0 ? 3 : 4 (special: decided by the callback)
        let t = Tree::new(
            vec![
                split(0, 1.0, 1, 2),
                Node::leaf(10.0),
                split(1, 0.0, 3, 4),
                Node::leaf(20.0),
                Node::leaf(30.0),
            ],
            CatSets::default(),
            2,
        )
        .unwrap();
        let f = Forest::new([&t], |n| {
            if n.feature == 1 {
                Split::Special
            } else {
                Split::Le {
                    threshold: n.value,
                    nan_left: true,
                }
            }
        })
        .unwrap();
        let x = [0.5, 9.0, 2.0, -1.0, 2.0, 1.0, f64::NAN, 5.0];
        let mut leaf = [0u32; 4];
        f.leaves(0, &x, 2, &mut leaf, &|tree, node, v| {
            assert_eq!((tree, node), (0, 2));
            v <= 0.0
        });
        let got: Vec<f64> = leaf.iter().map(|l| f.value(*l)).collect();
        assert_eq!(got, [10.0, 20.0, 30.0, 10.0]);
        // One row at a time takes the plain walk, to the same leaves.
        let special = |_: usize, _: usize, v: f64| v <= 0.0;
        for (row, want) in x.chunks_exact(2).zip(leaf) {
            let mut one = [0u32];
            f.leaves(0, row, 2, &mut one, &special);
            assert_eq!(one[0], want);
            assert_eq!(f.leaf(0, row, &special), want);
        }
    }
}
