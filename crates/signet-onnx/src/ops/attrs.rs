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

/// The variant of `variants` that string attribute `name` names, ONNX spelling its variants
/// in upper snake case (`SoftmaxZero` is `SOFTMAX_ZERO`); the first variant when the
/// attribute is absent.
pub(crate) fn choice<T: Copy + std::fmt::Debug>(
    node: &NodeProto,
    name: &str,
    variants: &[T],
) -> TractResult<T> {
    let Some(s) = string_attr(node, name) else {
        return Ok(variants[0]);
    };
    match variants
        .iter()
        .find(|v| upper_snake(&format!("{v:?}")) == s)
    {
        Some(v) => Ok(*v),
        None => bail!("unknown {name} {s:?}"),
    }
}

/// `SoftmaxZero` as `SOFTMAX_ZERO`.
fn upper_snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tract_onnx::pb::AttributeProto;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Kind {
        None,
        SoftmaxZero,
        Rbf,
    }

    fn node(value: Option<&str>) -> NodeProto {
        NodeProto {
            attribute: value
                .map(|v| AttributeProto {
                    name: "kind".into(),
                    s: v.as_bytes().to_vec(),
                    ..Default::default()
                })
                .into_iter()
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn choice_reads_upper_snake_names_and_defaults_to_the_first_variant() {
        let all = [Kind::None, Kind::SoftmaxZero, Kind::Rbf];
        for (value, want) in [
            (None, Kind::None),
            (Some("NONE"), Kind::None),
            (Some("SOFTMAX_ZERO"), Kind::SoftmaxZero),
            (Some("RBF"), Kind::Rbf),
        ] {
            assert_eq!(
                choice(&node(value), "kind", &all).unwrap(),
                want,
                "{value:?}"
            );
        }
        let err = choice(&node(Some("SoftmaxZero")), "kind", &all).unwrap_err();
        assert_eq!(err.to_string(), "unknown kind \"SoftmaxZero\"");
    }
}
