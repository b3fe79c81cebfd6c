//! Raw attribute access on ONNX nodes, tolerant of the list forms skl2onnx writes.

use tract_onnx::pb::{AttributeProto, NodeProto};
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::{bail, format_err};

/// Attribute `name`, if present.
pub(crate) fn attr<'n>(node: &'n NodeProto, name: &str) -> Option<&'n AttributeProto> {
    node.attribute.iter().find(|a| a.name == name)
}

/// The `ints` of attribute `name`, if present.
pub(crate) fn int_list(node: &NodeProto, name: &str) -> TractResult<Option<Vec<i64>>> {
    Ok(attr(node, name).map(|a| a.ints.clone()))
}

/// The `floats` of attribute `name`, if present.
pub(crate) fn float_list(node: &NodeProto, name: &str) -> TractResult<Option<Vec<f32>>> {
    Ok(attr(node, name).map(|a| a.floats.clone()))
}

/// The `strings` of attribute `name` (UTF-8), if present.
pub(crate) fn string_list(node: &NodeProto, name: &str) -> TractResult<Option<Vec<String>>> {
    attr(node, name)
        .map(|a| {
            a.strings
                .iter()
                .map(|s| {
                    String::from_utf8(s.clone())
                        .map_err(|_| format_err!("attribute {name} holds a non-UTF-8 string"))
                })
                .collect()
        })
        .transpose()
}

/// The `i` of attribute `name`, if present.
pub(crate) fn int_attr(node: &NodeProto, name: &str) -> Option<i64> {
    attr(node, name).map(|a| a.i)
}

/// The `f` of attribute `name`, if present.
pub(crate) fn float_attr(node: &NodeProto, name: &str) -> Option<f32> {
    attr(node, name).map(|a| a.f)
}

/// The `s` of attribute `name` (lossy UTF-8), if present.
pub(crate) fn string_attr(node: &NodeProto, name: &str) -> Option<String> {
    attr(node, name).map(|a| String::from_utf8_lossy(&a.s).into_owned())
}

/// The value `table` gives the string attribute `name`; the table's first value when the
/// attribute is absent.
pub(crate) fn choice<T: Copy>(node: &NodeProto, name: &str, table: &[(&str, T)]) -> TractResult<T> {
    let Some(s) = string_attr(node, name) else {
        return Ok(table[0].1);
    };
    match table.iter().find(|(k, _)| *k == s) {
        Some((_, v)) => Ok(*v),
        None => bail!("unknown {name} {s:?}"),
    }
}
