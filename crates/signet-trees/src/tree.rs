//! The flat tree representation both evaluators share: one array of fixed-size nodes per tree
//! (feature, threshold or leaf value, children, flags, categorical set), and categorical
//! sets stored as bitsets in one word array.
//!
//! A tree is checked once when it is built ([`Tree::new`]): every child index is in range, and
//! every node is reached exactly once from the root, so traversal always ends at a leaf and
//! never needs a bounds or cycle check on untrusted data afterwards.

/// The child index that marks a leaf.
pub const LEAF: u32 = u32::MAX;

/// Missing values follow the default child to the left.
pub const DEFAULT_LEFT: u8 = 1;
/// The split is categorical: `cats` names its category set.
pub const CATEGORICAL: u8 = 2;
/// LightGBM's missing type `Zero`: |x| ≤ 1e-35 (and NaN, turned into 0) is missing.
pub const MISSING_ZERO: u8 = 4;
/// LightGBM's missing type `NaN`: NaN is missing.
pub const MISSING_NAN: u8 = 8;

/// One node: a split, or a leaf (`left == LEAF`) whose value is `value`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Node<T> {
    /// Split threshold, or the leaf value for a leaf.
    pub value: T,
    /// The feature (column) the split reads.
    pub feature: u32,
    /// Left child index, or [`LEAF`].
    pub left: u32,
    /// Right child index.
    pub right: u32,
    /// [`DEFAULT_LEFT`], [`CATEGORICAL`], [`MISSING_ZERO`], [`MISSING_NAN`].
    pub flags: u8,
    /// For categorical splits: the index of the node's set in [`CatSets`].
    pub cats: u32,
}

impl<T: Copy> Node<T> {
    /// A leaf holding `value`.
    pub fn leaf(value: T) -> Self {
        Node {
            value,
            feature: 0,
            left: LEAF,
            right: LEAF,
            flags: 0,
            cats: 0,
        }
    }

    /// Whether this node is a leaf.
    #[inline]
    pub fn is_leaf(&self) -> bool {
        self.left == LEAF
    }
}

#[cfg(test)]
impl<T: Copy> Node<T> {
    /// A numeric split on `feature` at `value` (for tests).
    pub(crate) fn split(feature: u32, value: T, left: u32, right: u32) -> Self {
        Node {
            value,
            feature,
            left,
            right,
            flags: 0,
            cats: 0,
        }
    }
}

/// Category sets as bitsets: set `s` is `words[bounds[s]..bounds[s + 1]]`, bit `c % 32` of
/// word `c / 32` set when category `c` is in it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CatSets {
    bounds: Vec<u32>,
    words: Vec<u32>,
}

impl CatSets {
    /// Adds a set given by its bitset words; returns its index.
    pub fn push_words(&mut self, words: &[u32]) -> u32 {
        if self.bounds.is_empty() {
            self.bounds.push(0);
        }
        self.words.extend_from_slice(words);
        self.bounds.push(self.words.len() as u32);
        (self.bounds.len() - 2) as u32
    }

    /// Adds a set given by its members (non-negative category codes); returns its index.
    pub fn push_members(&mut self, members: &[u32]) -> u32 {
        let n_words = members
            .iter()
            .map(|c| (*c / 32) as usize + 1)
            .max()
            .unwrap_or(0);
        let mut words = vec![0u32; n_words];
        for c in members {
            words[(*c / 32) as usize] |= 1 << (c % 32);
        }
        self.push_words(&words)
    }

    /// Number of sets.
    pub fn len(&self) -> usize {
        self.bounds.len().saturating_sub(1)
    }

    /// Whether there are no sets.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether category `cat` is in set `set` (an unknown set is empty).
    #[inline]
    pub fn contains(&self, set: u32, cat: u32) -> bool {
        let set = set as usize;
        let (Some(&b), Some(&e)) = (self.bounds.get(set), self.bounds.get(set + 1)) else {
            return false;
        };
        let w = b as usize + (cat / 32) as usize;
        w < e as usize
            && self
                .words
                .get(w)
                .is_some_and(|word| (word >> (cat % 32)) & 1 == 1)
    }
}

/// One tree: nodes with the root at index 0, and its category sets.
#[derive(Clone, Debug, PartialEq)]
pub struct Tree<T> {
    nodes: Vec<Node<T>>,
    /// The category sets referenced by the categorical nodes.
    pub cat_sets: CatSets,
}

impl<T: Copy> Tree<T> {
    /// Checks and builds a tree: children in range, every node reached once from the root,
    /// features below `num_features`, categorical nodes naming an existing set. The error
    /// text says which node is wrong.
    pub fn new(
        nodes: Vec<Node<T>>,
        cat_sets: CatSets,
        num_features: usize,
    ) -> Result<Self, String> {
        if nodes.is_empty() {
            return Err("tree has no nodes".into());
        }
        let n = nodes.len();
        let mut seen = vec![false; n];
        let mut stack = vec![0usize];
        while let Some(i) = stack.pop() {
            if seen[i] {
                return Err(format!("node {i} is reached twice (not a tree)"));
            }
            seen[i] = true;
            let node = &nodes[i];
            if node.is_leaf() {
                continue;
            }
            if node.feature as usize >= num_features {
                return Err(format!(
                    "node {i} splits on feature {} but the model has {num_features} features",
                    node.feature
                ));
            }
            if node.flags & CATEGORICAL != 0 && node.cats as usize >= cat_sets.len() {
                return Err(format!("node {i} names a category set that does not exist"));
            }
            for child in [node.left, node.right] {
                if child as usize >= n {
                    return Err(format!("node {i} has child {child}, out of range (0..{n})"));
                }
                stack.push(child as usize);
            }
        }
        Ok(Tree { nodes, cat_sets })
    }

    /// The nodes, root first.
    pub fn nodes(&self) -> &[Node<T>] {
        &self.nodes
    }

    /// Walks from the root to a leaf, going left where `go_left` says so; returns the leaf.
    #[inline]
    pub fn walk(&self, mut go_left: impl FnMut(&Node<T>) -> bool) -> &Node<T> {
        let mut node = &self.nodes[0];
        while !node.is_leaf() {
            let next = if go_left(node) { node.left } else { node.right };
            node = &self.nodes[next as usize];
        }
        node
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_cycles_and_bad_children() {
        let e = Tree::new(
            vec![Node::split(0, 1.0, 0, 1), Node::leaf(1.0)],
            CatSets::default(),
            1,
        );
        assert_eq!(e.unwrap_err(), "node 0 is reached twice (not a tree)");
        let e = Tree::new(
            vec![Node::split(0, 1.0, 1, 7), Node::leaf(1.0)],
            CatSets::default(),
            1,
        );
        assert_eq!(e.unwrap_err(), "node 0 has child 7, out of range (0..2)");
        let e = Tree::new(
            vec![Node::split(3, 1.0, 1, 2), Node::leaf(1.0), Node::leaf(2.0)],
            CatSets::default(),
            2,
        );
        assert!(e.unwrap_err().contains("feature 3"));
    }

    #[test]
    fn walks_and_sets() {
        let t = Tree::new(
            vec![Node::split(0, 1.0, 1, 2), Node::leaf(-1.0), Node::leaf(2.0)],
            CatSets::default(),
            1,
        )
        .unwrap();
        assert_eq!(t.walk(|n| 0.5 < n.value).value, -1.0);
        assert_eq!(t.walk(|n| 1.5 < n.value).value, 2.0);
        let mut s = CatSets::default();
        let a = s.push_members(&[1, 40]);
        let b = s.push_members(&[]);
        assert!(s.contains(a, 1) && s.contains(a, 40));
        assert!(!s.contains(a, 2) && !s.contains(a, 1000) && !s.contains(b, 0));
    }
}
