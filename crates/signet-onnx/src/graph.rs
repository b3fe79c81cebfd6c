//! What a graph declares about its inputs and outputs, read from the ONNX protobuf the way
//! onnxruntime reports it (`InferenceSession.get_inputs()` / `get_outputs()`).

use signet::NumpyDtype;
use std::fmt;
use tract_onnx::pb;

/// The element type of an ONNX tensor (`TensorProto.DataType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ElemType {
    /// `float` (float32).
    Float,
    /// `uint8`.
    UInt8,
    /// `int8`.
    Int8,
    /// `uint16`.
    UInt16,
    /// `int16`.
    Int16,
    /// `int32`.
    Int32,
    /// `int64`.
    Int64,
    /// `string`.
    String,
    /// `bool`.
    Bool,
    /// `float16`.
    Float16,
    /// `double` (float64).
    Double,
    /// `uint32`.
    UInt32,
    /// `uint64`.
    UInt64,
    /// `complex64`.
    Complex64,
    /// `complex128`.
    Complex128,
    /// `bfloat16`.
    BFloat16,
    /// Any other code (float8 variants, 4-bit types, undefined), kept as is.
    Other(i32),
}

impl ElemType {
    /// The element type of a `TensorProto.DataType` code.
    pub fn from_code(code: i32) -> ElemType {
        match code {
            1 => ElemType::Float,
            2 => ElemType::UInt8,
            3 => ElemType::Int8,
            4 => ElemType::UInt16,
            5 => ElemType::Int16,
            6 => ElemType::Int32,
            7 => ElemType::Int64,
            8 => ElemType::String,
            9 => ElemType::Bool,
            10 => ElemType::Float16,
            11 => ElemType::Double,
            12 => ElemType::UInt32,
            13 => ElemType::UInt64,
            14 => ElemType::Complex64,
            15 => ElemType::Complex128,
            16 => ElemType::BFloat16,
            other => ElemType::Other(other),
        }
    }

    /// The name inside onnxruntime's type string (`float` in `tensor(float)`).
    pub fn name(self) -> String {
        match self {
            ElemType::Float => "float".into(),
            ElemType::UInt8 => "uint8".into(),
            ElemType::Int8 => "int8".into(),
            ElemType::UInt16 => "uint16".into(),
            ElemType::Int16 => "int16".into(),
            ElemType::Int32 => "int32".into(),
            ElemType::Int64 => "int64".into(),
            ElemType::String => "string".into(),
            ElemType::Bool => "bool".into(),
            ElemType::Float16 => "float16".into(),
            ElemType::Double => "double".into(),
            ElemType::UInt32 => "uint32".into(),
            ElemType::UInt64 => "uint64".into(),
            ElemType::Complex64 => "complex64".into(),
            ElemType::Complex128 => "complex128".into(),
            ElemType::BFloat16 => "bfloat16".into(),
            ElemType::Other(code) => format!("type{code}"),
        }
    }

    /// The numpy dtype onnxruntime hands back for this element type (`object` for strings,
    /// as onnxruntime returns string tensors as object arrays); `None` for types numpy has
    /// no dtype for (bfloat16, float8, ...).
    pub fn numpy_dtype(self) -> Option<NumpyDtype> {
        Some(match self {
            ElemType::Float => NumpyDtype::Float32,
            ElemType::UInt8 => NumpyDtype::UInt8,
            ElemType::Int8 => NumpyDtype::Int8,
            ElemType::UInt16 => NumpyDtype::UInt16,
            ElemType::Int16 => NumpyDtype::Int16,
            ElemType::Int32 => NumpyDtype::Int32,
            ElemType::Int64 => NumpyDtype::Int64,
            ElemType::String => NumpyDtype::Object,
            ElemType::Bool => NumpyDtype::Bool,
            ElemType::Float16 => NumpyDtype::Float16,
            ElemType::Double => NumpyDtype::Float64,
            ElemType::UInt32 => NumpyDtype::UInt32,
            ElemType::UInt64 => NumpyDtype::UInt64,
            ElemType::Complex64 => NumpyDtype::Complex64,
            ElemType::Complex128 => NumpyDtype::Complex128,
            ElemType::BFloat16 | ElemType::Other(_) => return None,
        })
    }
}

/// One axis of a declared tensor shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Dim {
    /// A fixed size (`dim_value`).
    Fixed(u64),
    /// A named, variable size (`dim_param`, e.g. `N`).
    Named(String),
    /// A variable size with no name (skl2onnx's batch axis; onnxruntime reports `None`).
    Unknown,
}

/// The declared type of a graph input or output.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// A tensor; `shape` is `None` when the graph does not declare the rank.
    Tensor {
        /// Element type.
        elem: ElemType,
        /// Declared axes, outermost first.
        shape: Option<Vec<Dim>>,
    },
    /// A sequence, map or optional (e.g. ZipMap's `seq(map(int64,tensor(float)))`), as
    /// onnxruntime writes its type.
    Other(String),
}

/// A graph input or output: its name and declared type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IoInfo {
    /// The name (the feed-dict key for inputs, the result key for outputs).
    pub name: String,
    /// The declared type.
    pub value_type: ValueType,
}

impl IoInfo {
    /// onnxruntime's type string: `tensor(float)`, `seq(map(int64,tensor(float)))`, ...
    pub fn type_string(&self) -> String {
        match &self.value_type {
            ValueType::Tensor { elem, .. } => format!("tensor({})", elem.name()),
            ValueType::Other(s) => s.clone(),
        }
    }

    /// The element type, for tensors.
    pub fn elem_type(&self) -> Option<ElemType> {
        match &self.value_type {
            ValueType::Tensor { elem, .. } => Some(*elem),
            ValueType::Other(_) => None,
        }
    }

    /// The declared axes, for tensors of known rank.
    pub fn dims(&self) -> Option<&[Dim]> {
        match &self.value_type {
            ValueType::Tensor {
                shape: Some(dims), ..
            } => Some(dims),
            _ => None,
        }
    }

    /// The shape the way MLflow writes a TensorSpec: variable axes as `-1`; `None` for
    /// non-tensors and tensors of unknown rank.
    pub fn mlflow_shape(&self) -> Option<Vec<i64>> {
        self.dims().map(|dims| {
            dims.iter()
                .map(|d| match d {
                    Dim::Fixed(n) => i64::try_from(*n).unwrap_or(-1),
                    _ => -1,
                })
                .collect()
        })
    }
}

impl fmt::Display for IoInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.type_string())?;
        if let Some(dims) = self.dims() {
            let parts: Vec<String> = dims
                .iter()
                .map(|d| match d {
                    Dim::Fixed(n) => n.to_string(),
                    Dim::Named(s) => s.clone(),
                    Dim::Unknown => "?".into(),
                })
                .collect();
            write!(f, " [{}]", parts.join(", "))?;
        }
        Ok(())
    }
}

/// The type of a value as onnxruntime prints it.
fn type_of(t: Option<&pb::TypeProto>) -> ValueType {
    use pb::type_proto::Value;
    match t.and_then(|t| t.value.as_ref()) {
        Some(Value::TensorType(t)) => ValueType::Tensor {
            elem: ElemType::from_code(t.elem_type),
            shape: t.shape.as_ref().map(|s| {
                s.dim
                    .iter()
                    .map(|d| {
                        use pb::tensor_shape_proto::dimension::Value as D;
                        match &d.value {
                            Some(D::DimValue(v)) if *v >= 0 => Dim::Fixed(*v as u64),
                            Some(D::DimParam(p)) if !p.is_empty() => Dim::Named(p.clone()),
                            _ => Dim::Unknown,
                        }
                    })
                    .collect()
            }),
        },
        // tract's protobuf bindings only model tensor types; anything else is opaque here.
        _ => ValueType::Other("(non-tensor)".into()),
    }
}

/// The graph's inputs (initializers excluded, as onnxruntime does) and outputs.
pub(crate) fn io_of(graph: &pb::GraphProto) -> (Vec<IoInfo>, Vec<IoInfo>) {
    let initialized: std::collections::HashSet<&str> =
        graph.initializer.iter().map(|t| t.name.as_str()).collect();
    let inputs = graph
        .input
        .iter()
        .filter(|i| !initialized.contains(i.name.as_str()))
        .map(|i| IoInfo {
            name: i.name.clone(),
            value_type: type_of(i.r#type.as_ref()),
        })
        .collect();
    let outputs = graph
        .output
        .iter()
        .map(|o| IoInfo {
            name: o.name.clone(),
            value_type: type_of(o.r#type.as_ref()),
        })
        .collect();
    (inputs, outputs)
}

/// The first graph output that no graph input, initializer or node output defines (onnxruntime
/// refuses such a graph: "Graph output (y) does not exist in the graph").
pub(crate) fn undefined_output(graph: &pb::GraphProto) -> Option<&str> {
    let defined: std::collections::HashSet<&str> = graph
        .input
        .iter()
        .map(|i| i.name.as_str())
        .chain(graph.initializer.iter().map(|t| t.name.as_str()))
        .chain(
            graph
                .node
                .iter()
                .flat_map(|n| n.output.iter().map(String::as_str)),
        )
        .filter(|name| !name.is_empty())
        .collect();
    graph
        .output
        .iter()
        .map(|o| o.name.as_str())
        .find(|name| !defined.contains(name))
}

/// The first `Transpose` node (subgraphs included) whose `perm` is not a permutation of
/// `0..n`, with a description: tract loops without end on such a `perm`, allocating until the
/// process dies (the `onnx_model` fuzz target found it), and onnxruntime refuses it.
pub(crate) fn bad_transpose(graph: &pb::GraphProto) -> Option<String> {
    for node in &graph.node {
        if node.op_type == "Transpose" {
            if let Some(perm) = node.attribute.iter().find(|a| a.name == "perm") {
                let n = perm.ints.len();
                let mut seen = vec![false; n];
                let valid = perm.ints.iter().all(|&axis| {
                    usize::try_from(axis)
                        .ok()
                        .filter(|&a| a < n && !seen[a])
                        .map(|a| seen[a] = true)
                        .is_some()
                });
                if !valid {
                    let name = if node.name.is_empty() {
                        node.output.first().cloned().unwrap_or_default()
                    } else {
                        node.name.clone()
                    };
                    return Some(format!(
                        "Transpose node {name:?}: perm {:?} is not a permutation of 0..{n}",
                        perm.ints
                    ));
                }
            }
        }
        for attr in &node.attribute {
            for g in attr.g.iter().chain(attr.graphs.iter()) {
                if let Some(found) = bad_transpose(g) {
                    return Some(found);
                }
            }
        }
    }
    None
}
