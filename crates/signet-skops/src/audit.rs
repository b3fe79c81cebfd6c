//! skops' audit (`skops.io._audit.audit_tree`): every node's `module.class` must be trusted by
//! default for its loader (the lists in `trusted_types.txt`, generated from skops 0.16 with the
//! pinned scikit-learn, numpy and scipy by `tests/sklearn/gen_trusted_types.py`) or be in the
//! caller's trusted list (MLflow's `skops_trusted_types`). [`untrusted_types`] is skops'
//! `get_untrusted_types`: the set that would make `skops.io.load` refuse the file.

use crate::node::{Node, NodeKind};
use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

const LISTS: &str = include_str!("trusted_types.txt");

/// One of skops' default trusted lists, by section name in `trusted_types.txt`.
fn section(name: &str) -> &'static HashSet<&'static str> {
    static SECTIONS: OnceLock<BTreeMap<&'static str, HashSet<&'static str>>> = OnceLock::new();
    static EMPTY: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let sections = SECTIONS.get_or_init(|| {
        let mut out: BTreeMap<&str, HashSet<&str>> = BTreeMap::new();
        let mut current = "";
        for line in LISTS.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = name;
                continue;
            }
            out.entry(current).or_default().insert(line);
        }
        out
    });
    sections
        .get(name)
        .unwrap_or_else(|| EMPTY.get_or_init(HashSet::new))
}

/// What each loader trusts: its default sections (skops' `_get_trusted(trusted, default)`)
/// and the names it trusts besides them.
const LOADERS: &[(&str, &[&str], &[&str])] = &[
    (
        "ObjectNode",
        &["SKLEARN_ESTIMATOR", "SKLEARN_INTERNAL"],
        &[],
    ),
    ("FunctionNode", &["SCIPY_UFUNC", "NUMPY_UFUNC"], &[]),
    ("TypeNode", &["PRIMITIVE", "CONTAINER", "NUMPY_DTYPE"], &[]),
    ("NdArrayNode", &["NUMPY_DTYPE"], &["numpy.ndarray"]),
    ("SparseMatrixNode", &["SPARSE"], &[]),
    ("MaskedArrayNode", &["MASKED_ARRAY"], &[]),
    ("RandomStateNode", &["RANDOM_STATE"], &[]),
    ("RandomGeneratorNode", &["RANDOM_GENERATOR"], &[]),
    ("LossNode", &["SGD_LOSS"], &[]),
    (
        "DictNode",
        &[],
        &["builtins.dict", "collections.OrderedDict"],
    ),
    ("DefaultDictNode", &[], &["collections.defaultdict"]),
    ("ListNode", &[], &["builtins.list"]),
    ("SetNode", &[], &["builtins.set"]),
    ("TupleNode", &[], &["builtins.tuple"]),
    ("SliceNode", &[], &["builtins.slice"]),
    ("BytesNode", &[], &["builtins.bytes"]),
    ("BytearrayNode", &[], &["builtins.bytearray"]),
    (
        "_DictWithDeprecatedKeysNode",
        &[],
        &["skops.io._sklearn._DictWithDeprecatedKeys"],
    ),
];

/// `loader`'s default sections and fixed names (none for a loader not listed).
fn trust_of(loader: &str) -> (&'static [&'static str], &'static [&'static str]) {
    LOADERS
        .iter()
        .find(|(l, _, _)| *l == loader)
        .map_or((&[], &[]), |(_, sections, names)| (*sections, *names))
}

fn trusted_by(loader: &str, name: &str, inherited: &[&'static str]) -> bool {
    let (sections, names) = trust_of(loader);
    names.contains(&name)
        || sections
            .iter()
            .chain(inherited)
            .any(|s| section(s).contains(name))
}

/// The types of the tree skops would refuse without `trusted`, each with the path of its
/// first node (`BTreeMap`: sorted by type name). `trusted` is the caller's list.
pub fn untrusted_types(root: &Node, trusted: &[String]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(root, &[], &mut out);
    out.retain(|name, _| !trusted.iter().any(|t| t == name));
    out
}

fn flag(out: &mut BTreeMap<String, String>, name: String, node: &Node) {
    out.entry(name)
        .or_insert_with(|| node.display_path().to_string());
}

/// skops' `get_unsafe_set`; `inherited` are the sections a `LossNode` passes down to its
/// children (skops passes its computed trusted list to them).
fn walk(node: &Node, inherited: &[&'static str], out: &mut BTreeMap<String, String>) {
    let name = node.type_name();
    let loader = node.loader.as_str();
    let mut inherit = inherited.to_vec();
    if loader == "LossNode" {
        inherit.push("SGD_LOSS");
    }
    match &node.kind {
        // JsonNode is always safe.
        NodeKind::Json(_) => return,
        // FunctionNode only checks the function's own name.
        NodeKind::Function => {
            if !trusted_by(loader, &name, inherited) {
                flag(out, name, node);
            }
            return;
        }
        _ => {}
    }
    if !trusted_by(loader, &name, inherited) {
        flag(out, name.clone(), node);
    }
    let mut visit = |child: &Node| walk(child, &inherit, out);
    match &node.kind {
        NodeKind::Object { attrs } => attrs.iter().for_each(|a| visit(a)),
        NodeKind::Dict { entries, key_types } => {
            visit(key_types);
            entries.iter().for_each(|(_, v)| visit(v));
        }
        NodeKind::DefaultDict {
            main,
            default_factory,
        } => {
            visit(main);
            visit(default_factory);
        }
        NodeKind::List(v) | NodeKind::Set(v) | NodeKind::Tuple(v) => v.iter().for_each(visit),
        NodeKind::ObjectArray { items, shape } => {
            items.iter().for_each(&mut visit);
            visit(shape);
        }
        NodeKind::MaskedArray { data, mask } => {
            visit(data);
            visit(mask);
        }
        NodeKind::Partial { parts } => parts.iter().for_each(visit),
        NodeKind::Method { obj, func } => {
            visit(obj);
            flag(out, format!("{}.{func}", obj.type_name()), node);
        }
        NodeKind::ConstructorFromReduce { content }
        | NodeKind::DType { content }
        | NodeKind::RandomState { content } => visit(content),
        NodeKind::OperatorFunc { attrs } => visit(attrs),
        NodeKind::Reduce { args, attrs } => {
            visit(attrs);
            visit(args);
            // The constructor is audited as a TypeNode given the node's trusted list.
            let ctor = if loader == "TreeNode" {
                "sklearn.tree._tree.Tree".to_string()
            } else {
                name.clone()
            };
            if !trusted_by("TypeNode", &ctor, &inherit) {
                flag(out, ctor, node);
            }
        }
        NodeKind::RandomGenerator {
            bit_generator,
            seed_seq,
            bit_generator_name,
        } => {
            visit(bit_generator);
            visit(seed_seq);
            let full = format!("numpy.random.{bit_generator_name}");
            if !section("NUMPY_RANDOM_BIT_GENERATOR").contains(full.as_str()) {
                flag(out, full, node);
            }
        }
        NodeKind::DictWithDeprecatedKeys { main, deprecated } => {
            visit(main);
            visit(deprecated);
        }
        NodeKind::Json(_)
        | NodeKind::Function
        | NodeKind::NdArray { .. }
        | NodeKind::SparseMatrix { .. }
        | NodeKind::Type
        | NodeKind::Slice { .. }
        | NodeKind::Bytes(_) => {}
    }
}
