//! Raw attribute access on ONNX nodes, tolerant of the list forms skl2onnx writes.

use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::format_err;

/// The `ints` of attribute `name`, if present.
pub(crate) fn int_list(node: &NodeProto, name: &str) -> TractResult<Option<Vec<i64>>> {
    Ok(node
        .attribute
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.ints.clone()))
}

/// The `floats` of attribute `name`, if present.
pub(crate) fn float_list(node: &NodeProto, name: &str) -> TractResult<Option<Vec<f32>>> {
    Ok(node
        .attribute
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.floats.clone()))
}

/// The `strings` of attribute `name` (UTF-8), if present.
pub(crate) fn string_list(node: &NodeProto, name: &str) -> TractResult<Option<Vec<String>>> {
    node.attribute
        .iter()
        .find(|a| a.name == name)
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
    node.attribute.iter().find(|a| a.name == name).map(|a| a.i)
}

/// The `s` of attribute `name` (lossy UTF-8), if present.
pub(crate) fn string_attr(node: &NodeProto, name: &str) -> Option<String> {
    node.attribute
        .iter()
        .find(|a| a.name == name)
        .map(|a| String::from_utf8_lossy(&a.s).into_owned())
}
