//! The typed tree of a skops file: one [`Node`] per entry of `schema.json`, of the kinds skops
//! 0.16 defines (its `__loader__`), with accessors that fail with the node's path.

use crate::error::SkopsError;
use crate::npy::{ArrayData, NdArray};
use std::sync::Arc;

/// A primitive held by a `JsonNode` (`json.loads` of its content).
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `None`.
    Null,
    /// `bool`.
    Bool(bool),
    /// `int` (within `i64`).
    Int(i64),
    /// `float`, including `NaN` and infinities (written by Python's `json` module).
    Float(f64),
    /// `str`.
    Str(String),
    /// A list or dict (`json.loads` result), kept as JSON.
    Other(serde_json::Value),
}

/// What a node holds, by skops loader.
#[derive(Clone, Debug)]
pub enum NodeKind {
    /// `ObjectNode`: an instance rebuilt from its `__dict__` (or `__setstate__` state).
    Object {
        /// The state (usually a `Dict`), absent when the object had none.
        attrs: Option<Box<Node>>,
    },
    /// `DictNode` (`dict`, `OrderedDict`): entries in file order, keys as written in JSON.
    Dict {
        /// The entries.
        entries: Vec<(String, Node)>,
        /// The keys' Python types (a `List` of `Type` nodes).
        key_types: Box<Node>,
    },
    /// `DefaultDictNode`.
    DefaultDict {
        /// The entries (a `Dict`).
        main: Box<Node>,
        /// The default factory.
        default_factory: Box<Node>,
    },
    /// `ListNode`.
    List(Vec<Node>),
    /// `SetNode`.
    Set(Vec<Node>),
    /// `TupleNode`.
    Tuple(Vec<Node>),
    /// `JsonNode`: a primitive.
    Json(Json),
    /// `NdArrayNode` of type `numpy`: an array (or numpy scalar) read from a `.npy` member.
    NdArray {
        /// The zip member holding it.
        file: String,
        /// The array.
        array: NdArray,
    },
    /// `NdArrayNode` of type `json`: an `object` array whose items are nodes.
    ObjectArray {
        /// The items, flattened.
        items: Vec<Node>,
        /// The shape (a `Tuple` of ints).
        shape: Box<Node>,
    },
    /// `MaskedArrayNode`.
    MaskedArray {
        /// The data.
        data: Box<Node>,
        /// The mask.
        mask: Box<Node>,
    },
    /// `SparseMatrixNode`: a scipy sparse matrix (`save_npz` bytes, not decoded).
    SparseMatrix {
        /// The zip member holding it.
        file: String,
        /// The `.npz` bytes.
        bytes: Arc<Vec<u8>>,
    },
    /// `FunctionNode`: a reference to a function (never called).
    Function,
    /// `TypeNode`: a reference to a type.
    Type,
    /// `SliceNode`.
    Slice {
        /// `start`, `stop`, `step` as JSON values.
        parts: [serde_json::Value; 3],
    },
    /// `PartialNode`: `functools.partial`.
    Partial {
        /// `func`, `args`, `kwds`, `namespace`.
        parts: Box<[Node; 4]>,
    },
    /// `MethodNode`: a bound method.
    Method {
        /// The object it is bound to.
        obj: Box<Node>,
        /// The method's name.
        func: String,
    },
    /// `ConstructorFromReduceNode`.
    ConstructorFromReduce {
        /// The constructor's arguments.
        content: Box<Node>,
    },
    /// `BytesNode` / `BytearrayNode`.
    Bytes(Arc<Vec<u8>>),
    /// `OperatorFuncNode` (`operator.attrgetter` and co).
    OperatorFunc {
        /// The arguments.
        attrs: Box<Node>,
    },
    /// `TreeNode` and `LossNode`: an object rebuilt by calling its constructor then
    /// `__setstate__` (scikit-learn's `Tree`, loss functions).
    Reduce {
        /// The constructor's arguments (a `Tuple`).
        args: Box<Node>,
        /// The state (usually a `Dict`).
        attrs: Box<Node>,
    },
    /// `DTypeNode`: a numpy dtype (an empty array of it).
    DType {
        /// The empty array.
        content: Box<Node>,
    },
    /// `RandomStateNode`.
    RandomState {
        /// The generator's state.
        content: Box<Node>,
    },
    /// `RandomGeneratorNode`.
    RandomGenerator {
        /// The bit generator's state.
        bit_generator: Box<Node>,
        /// The seed sequence's state.
        seed_seq: Box<Node>,
        /// The bit generator's class name (`PCG64`, ...).
        bit_generator_name: String,
    },
    /// `_DictWithDeprecatedKeysNode` (scikit-learn's graphical lasso results).
    DictWithDeprecatedKeys {
        /// The entries.
        main: Box<Node>,
        /// The deprecated key mapping.
        deprecated: Box<Node>,
    },
}

/// One node of the tree.
#[derive(Clone, Debug)]
pub struct Node {
    /// `__class__` (e.g. `StandardScaler`, `dict`, `ndarray`).
    pub class: String,
    /// `__module__` (e.g. `sklearn.preprocessing._data`).
    pub module: String,
    /// `__loader__` as written (e.g. `ObjectNode`).
    pub loader: String,
    /// Where the node sits, for messages: attribute names, `[key]` and `[index]` from the
    /// root, e.g. `steps[1][1].coef_`; empty for the root.
    pub path: String,
    /// What the node holds.
    pub kind: NodeKind,
}

impl Node {
    /// `module.class`, the name skops audits.
    pub fn type_name(&self) -> String {
        format!("{}.{}", self.module, self.class)
    }

    /// The path for messages (`<root>` for the root).
    pub fn display_path(&self) -> &str {
        if self.path.is_empty() {
            "<root>"
        } else {
            &self.path
        }
    }

    /// An error about this node.
    pub fn error(&self, message: impl Into<String>) -> SkopsError {
        SkopsError::at_node(self.display_path(), message)
    }

    /// The entries of a `Dict`, of an `Object`'s state dict, or of a `Reduce` node's state.
    pub fn entries(&self) -> Option<&[(String, Node)]> {
        match &self.kind {
            NodeKind::Dict { entries, .. } => Some(entries),
            NodeKind::Object { attrs: Some(a) } | NodeKind::Reduce { attrs: a, .. } => a.entries(),
            NodeKind::DefaultDict { main, .. } | NodeKind::DictWithDeprecatedKeys { main, .. } => {
                main.entries()
            }
            _ => None,
        }
    }

    /// An attribute of an object (or an entry of a dict) by name.
    pub fn get(&self, name: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// [`get`](Self::get), failing with the path when absent.
    pub fn attr(&self, name: &str) -> Result<&Node, SkopsError> {
        self.get(name)
            .ok_or_else(|| self.error(format!("{} has no attribute `{name}`", self.class)))
    }

    /// An attribute that may be absent or `None`.
    pub fn opt(&self, name: &str) -> Option<&Node> {
        self.get(name).filter(|n| !n.is_none())
    }

    /// Follows a `/`-separated path of attribute names, dict keys and list indices (e.g.
    /// `steps/0/1/coef_`).
    pub fn lookup(&self, path: &str) -> Option<&Node> {
        path.split('/')
            .filter(|p| !p.is_empty())
            .try_fold(self, |node, part| match node.items() {
                Some(items) if part.parse::<usize>().is_ok() => {
                    items.get(part.parse::<usize>().ok()?)
                }
                _ => node.get(part),
            })
    }

    /// The items of a `List`, `Tuple`, `Set` or object array.
    pub fn items(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::List(v) | NodeKind::Tuple(v) | NodeKind::Set(v) => Some(v),
            NodeKind::ObjectArray { items, .. } => Some(items),
            _ => None,
        }
    }

    /// [`items`](Self::items), failing with the path.
    pub fn list(&self) -> Result<&[Node], SkopsError> {
        self.items().ok_or_else(|| {
            self.error(format!(
                "expected a list or tuple, found {}",
                self.describe()
            ))
        })
    }

    /// Whether the node is JSON `None`.
    pub fn is_none(&self) -> bool {
        matches!(self.kind, NodeKind::Json(Json::Null))
    }

    /// The JSON primitive, if the node is one.
    pub fn json(&self) -> Option<&Json> {
        match &self.kind {
            NodeKind::Json(j) => Some(j),
            _ => None,
        }
    }

    /// The array, if the node is a `.npy` array or numpy scalar.
    pub fn ndarray(&self) -> Option<&NdArray> {
        match &self.kind {
            NodeKind::NdArray { array, .. } => Some(array),
            _ => None,
        }
    }

    /// A short description of what the node is, for messages.
    pub fn describe(&self) -> String {
        match &self.kind {
            NodeKind::Json(j) => format!("{j:?}"),
            NodeKind::NdArray { array, .. } => {
                format!(
                    "an array of dtype {} and shape {:?}",
                    array.descr, array.shape
                )
            }
            _ => format!("{} ({})", self.type_name(), self.loader),
        }
    }

    /// A string (JSON `str`, or a 0-d string array).
    pub fn str(&self) -> Result<&str, SkopsError> {
        match &self.kind {
            NodeKind::Json(Json::Str(s)) => Ok(s),
            NodeKind::NdArray { array, .. } if array.shape.is_empty() => match &*array.data {
                ArrayData::Str(v) if v.len() == 1 => Ok(&v[0]),
                _ => Err(self.error(format!("expected a string, found {}", self.describe()))),
            },
            _ => Err(self.error(format!("expected a string, found {}", self.describe()))),
        }
    }

    /// A number (JSON int/float/bool, or a numpy scalar).
    pub fn f64(&self) -> Result<f64, SkopsError> {
        match &self.kind {
            NodeKind::Json(Json::Int(i)) => Ok(*i as f64),
            NodeKind::Json(Json::Float(f)) => Ok(*f),
            NodeKind::Json(Json::Bool(b)) => Ok(f64::from(u8::from(*b))),
            NodeKind::NdArray { array, .. } if array.data.len() == 1 && array.shape.is_empty() => {
                array
                    .data
                    .to_f64()
                    .and_then(|v| v.first().copied())
                    .ok_or_else(|| {
                        self.error(format!("expected a number, found {}", self.describe()))
                    })
            }
            _ => Err(self.error(format!("expected a number, found {}", self.describe()))),
        }
    }

    /// An integer (JSON int/bool, or an integral numpy scalar).
    pub fn i64(&self) -> Result<i64, SkopsError> {
        let x = self.f64()?;
        if x.fract() == 0.0 && x.abs() < 9.0e15 {
            Ok(x as i64)
        } else {
            Err(self.error(format!("expected an integer, found {}", self.describe())))
        }
    }

    /// A boolean (JSON bool or numpy bool scalar).
    pub fn bool(&self) -> Result<bool, SkopsError> {
        match &self.kind {
            NodeKind::Json(Json::Bool(b)) => Ok(*b),
            NodeKind::NdArray { array, .. } => match &*array.data {
                ArrayData::Bool(v) if v.len() == 1 && array.shape.is_empty() => Ok(v[0]),
                _ => Err(self.error(format!("expected a boolean, found {}", self.describe()))),
            },
            _ => Err(self.error(format!("expected a boolean, found {}", self.describe()))),
        }
    }

    /// A numeric array (or a list/tuple of numbers) as `f64` with its shape.
    pub fn f64_array(&self) -> Result<(Vec<f64>, Vec<usize>), SkopsError> {
        match &self.kind {
            NodeKind::NdArray { array, .. } => match array.data.to_f64() {
                Some(v) => Ok((v, array.shape.clone())),
                None => Err(self.error(format!(
                    "expected a numeric array, found {}",
                    self.describe()
                ))),
            },
            _ => {
                let items = self.list()?;
                let v = items.iter().map(Node::f64).collect::<Result<Vec<_>, _>>()?;
                let n = v.len();
                Ok((v, vec![n]))
            }
        }
    }

    /// A numeric array as `f64`, checked to have `shape`.
    pub fn f64_shaped(&self, shape: &[usize]) -> Result<Vec<f64>, SkopsError> {
        let (v, s) = self.f64_array()?;
        if s != shape {
            return Err(self.error(format!("expected shape {shape:?}, found {s:?}")));
        }
        Ok(v)
    }

    /// An integer array (or list of integers) as `i64`.
    pub fn i64_array(&self) -> Result<Vec<i64>, SkopsError> {
        match &self.kind {
            NodeKind::NdArray { array, .. } => array.data.to_i64().ok_or_else(|| {
                self.error(format!(
                    "expected an integer array, found {}",
                    self.describe()
                ))
            }),
            _ => self.list()?.iter().map(Node::i64).collect(),
        }
    }
}
