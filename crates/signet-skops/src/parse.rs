//! `schema.json` to [`Node`]s, as skops' `get_tree` does (no object is built): each state's
//! `__loader__` picks the node kind, `.npy`/`.bin`/`.npz` members are read from the zip, and a
//! state whose `__id__` was seen before is the earlier node again (skops' memo).

use crate::error::SkopsError;
use crate::node::{Json, Node, NodeKind};
use crate::npy::parse_npy;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The skops protocol signet reads (skops 0.16 writes it).
pub const PROTOCOL: i64 = 2;

/// Reads zip members by name.
pub(crate) trait Members {
    fn read(&mut self, name: &str) -> Result<Arc<Vec<u8>>, SkopsError>;
}

pub(crate) struct Builder<'a> {
    members: &'a mut dyn Members,
    memo: HashMap<i64, Node>,
    in_progress: HashSet<i64>,
}

/// Checks the protocol, then builds the tree of the whole schema.
pub(crate) fn build_tree(schema: &Value, members: &mut dyn Members) -> Result<Node, SkopsError> {
    let root = schema
        .as_object()
        .ok_or_else(|| SkopsError::at_node("schema.json", "not a JSON object"))?;
    match root.get("protocol") {
        Some(Value::Number(n)) if n.as_i64() == Some(PROTOCOL) => {}
        Some(Value::Number(n)) if n.as_i64().is_some_and(|p| (0..PROTOCOL).contains(&p)) => {
            return Err(SkopsError::at_node(
                "schema.json",
                format!(
                    "the file was saved with skops protocol {n}; signet reads protocol \
                     {PROTOCOL} (skops 0.10 and later): load and save it again with a recent skops"
                ),
            ))
        }
        Some(other) => {
            return Err(SkopsError::at_node(
                "schema.json",
                format!(
                    "invalid skops protocol {other}, expected an integer between 0 and {PROTOCOL}"
                ),
            ))
        }
        None => {
            return Err(SkopsError::at_node(
                "schema.json",
                "no `protocol`: not a skops file",
            ))
        }
    }
    let mut b = Builder {
        members,
        memo: HashMap::new(),
        in_progress: HashSet::new(),
    };
    b.node(schema, String::new())
}

fn child_path(parent: &str, key: &str, attr: bool) -> String {
    if attr {
        if parent.is_empty() {
            key.to_string()
        } else {
            format!("{parent}.{key}")
        }
    } else {
        format!("{parent}[{key}]")
    }
}

fn at(path: &str) -> String {
    if path.is_empty() {
        "<root>".into()
    } else {
        path.to_string()
    }
}

impl Builder<'_> {
    fn node(&mut self, state: &Value, path: String) -> Result<Node, SkopsError> {
        self.node_as(state, path, false)
    }

    /// Builds a node; `attrs` says dict entries are an object's attributes (named `a.b`).
    fn node_as(&mut self, state: &Value, path: String, attrs: bool) -> Result<Node, SkopsError> {
        let Some(obj) = state.as_object() else {
            return Err(SkopsError::at_node(
                at(&path),
                "a node is not a JSON object",
            ));
        };
        let id = obj
            .get("__id__")
            .and_then(Value::as_i64)
            .filter(|&i| i != 0);
        if let Some(id) = id {
            if let Some(done) = self.memo.get(&id) {
                return Ok(done.clone());
            }
            if !self.in_progress.insert(id) {
                return Err(SkopsError::at_node(
                    at(&path),
                    format!(
                        "object id {id} refers to itself (a cycle), which signet does not read"
                    ),
                ));
            }
        }
        let node = self.fresh(obj, &path, attrs);
        if let Some(id) = id {
            self.in_progress.remove(&id);
            if let Ok(n) = &node {
                self.memo.insert(id, n.clone());
            }
        }
        node
    }

    fn fresh(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        attrs: bool,
    ) -> Result<Node, SkopsError> {
        let text = |key: &str| -> Result<String, SkopsError> {
            match obj.get(key) {
                Some(Value::String(s)) => Ok(s.clone()),
                _ => Err(SkopsError::at_node(
                    at(path),
                    format!("the node has no string `{key}`"),
                )),
            }
        };
        let class = text("__class__")?;
        let module = text("__module__")?;
        let loader = text("__loader__")?;
        let field = |key: &str| -> Result<&Value, SkopsError> {
            obj.get(key).ok_or_else(|| {
                SkopsError::at_node(at(path), format!("the {loader} has no `{key}`"))
            })
        };
        let content = || field("content");
        let sub = |key: &str| -> Result<&Value, SkopsError> {
            content()?.get(key).ok_or_else(|| {
                SkopsError::at_node(at(path), format!("the {loader}'s content has no `{key}`"))
            })
        };
        let p = path.to_string();
        let kind = match loader.as_str() {
            "ObjectNode" => NodeKind::Object {
                attrs: match obj.get("content") {
                    None | Some(Value::Null) => None,
                    Some(c) => Some(Box::new(self.node_as(c, p, true)?)),
                },
            },
            "DictNode" => {
                let Some(map) = content()?.as_object() else {
                    return Err(SkopsError::at_node(at(path), "a DictNode's content is not an object"));
                };
                let mut entries = Vec::with_capacity(map.len());
                for (k, v) in map {
                    entries.push((k.clone(), self.node(v, child_path(path, k, attrs))?));
                }
                let key_types = Box::new(self.node(field("key_types")?, format!("{p}.<key_types>"))?);
                NodeKind::Dict { entries, key_types }
            }
            "DefaultDictNode" => NodeKind::DefaultDict {
                main: Box::new(self.node(sub("main")?, p.clone())?),
                default_factory: Box::new(self.node(sub("default_factory")?, format!("{p}.default_factory"))?),
            },
            "ListNode" | "SetNode" | "TupleNode" => {
                let items = self.items(content()?, path)?;
                match loader.as_str() {
                    "ListNode" => NodeKind::List(items),
                    "SetNode" => NodeKind::Set(items),
                    _ => NodeKind::Tuple(items),
                }
            }
            "JsonNode" => NodeKind::Json(json_content(content()?, path)?),
            "NdArrayNode" => match field("type")?.as_str() {
                Some("numpy") => {
                    let file = text("file")?;
                    let bytes = self.members.read(&file).map_err(|e| relocate(e, path))?;
                    let array = parse_npy(&bytes).map_err(|e| {
                        SkopsError::at_node(format!("{} (member {file})", at(path)), e.0)
                    })?;
                    NodeKind::NdArray { file, array }
                }
                Some("json") => NodeKind::ObjectArray {
                    items: self.items(content()?, path)?,
                    shape: Box::new(self.node(field("shape")?, format!("{p}.<shape>"))?),
                },
                other => {
                    return Err(SkopsError::at_node(at(path), format!("unknown NdArrayNode type {other:?}")))
                }
            },
            "MaskedArrayNode" => NodeKind::MaskedArray {
                data: Box::new(self.node(sub("data")?, format!("{p}.data"))?),
                mask: Box::new(self.node(sub("mask")?, format!("{p}.mask"))?),
            },
            "SparseMatrixNode" => {
                if field("type")?.as_str() != Some("scipy") {
                    return Err(SkopsError::at_node(at(path), format!("cannot load object of type {module}.{class}")));
                }
                let file = text("file")?;
                let bytes = self.members.read(&file).map_err(|e| relocate(e, path))?;
                NodeKind::SparseMatrix { file, bytes }
            }
            "FunctionNode" => NodeKind::Function,
            "TypeNode" => NodeKind::Type,
            "SliceNode" => {
                let get = |k: &str| sub(k).cloned();
                NodeKind::Slice {
                    parts: [get("start")?, get("stop")?, get("step")?],
                }
            }
            "PartialNode" => NodeKind::Partial {
                parts: Box::new([
                    self.node(sub("func")?, format!("{p}.func"))?,
                    self.node(sub("args")?, format!("{p}.args"))?,
                    self.node(sub("kwds")?, format!("{p}.kwds"))?,
                    self.node(sub("namespace")?, format!("{p}.namespace"))?,
                ]),
            },
            "MethodNode" => {
                let target = self.node(sub("obj")?, format!("{p}.<obj>"))?;
                if target.module != module || target.class != class {
                    return Err(SkopsError::at_node(
                        at(path),
                        format!(
                            "expected an object of type {module}.{class}, got {}: a corrupted or malicious file",
                            target.type_name()
                        ),
                    ));
                }
                let func = sub("func")?
                    .as_str()
                    .ok_or_else(|| SkopsError::at_node(at(path), "a MethodNode's `func` is not a string"))?
                    .to_string();
                NodeKind::Method { obj: Box::new(target), func }
            }
            "ConstructorFromReduceNode" => NodeKind::ConstructorFromReduce {
                content: Box::new(self.node(content()?, format!("{p}.<args>"))?),
            },
            "BytesNode" | "BytearrayNode" => {
                let file = text("file")?;
                NodeKind::Bytes(self.members.read(&file).map_err(|e| relocate(e, path))?)
            }
            "OperatorFuncNode" => {
                if module != "operator" {
                    return Err(SkopsError::at_node(
                        at(path),
                        format!("expected module 'operator', got {module}: a corrupted or malicious file"),
                    ));
                }
                NodeKind::OperatorFunc {
                    attrs: Box::new(self.node(field("attrs")?, format!("{p}.<args>"))?),
                }
            }
            "TreeNode" | "LossNode" => {
                let reduce = field("__reduce__")?;
                let args = reduce.get("args").ok_or_else(|| {
                    SkopsError::at_node(at(path), format!("the {loader}'s `__reduce__` has no `args`"))
                })?;
                NodeKind::Reduce {
                    args: Box::new(self.node(args, format!("{p}.<args>"))?),
                    attrs: Box::new(self.node_as(content()?, p, true)?),
                }
            }
            "DTypeNode" => NodeKind::DType {
                content: Box::new(self.node(content()?, p)?),
            },
            "RandomStateNode" => NodeKind::RandomState {
                content: Box::new(self.node(content()?, p)?),
            },
            "RandomGeneratorNode" => {
                let bg = sub("bit_generator")?;
                let name = bg
                    .get("content")
                    .and_then(|c| c.get("bit_generator"))
                    .and_then(|n| n.get("content"))
                    .and_then(Value::as_str)
                    .and_then(|s| serde_json::from_str::<String>(s).ok())
                    .ok_or_else(|| {
                        SkopsError::at_node(
                            at(path),
                            "could not find the bit generator name in the numpy.random.Generator state: a corrupted or malicious file",
                        )
                    })?;
                NodeKind::RandomGenerator {
                    bit_generator: Box::new(self.node(bg, format!("{p}.bit_generator"))?),
                    seed_seq: Box::new(self.node(sub("seed_seq")?, format!("{p}.seed_seq"))?),
                    bit_generator_name: name,
                }
            }
            "_DictWithDeprecatedKeysNode" => NodeKind::DictWithDeprecatedKeys {
                main: Box::new(self.node(sub("main")?, p.clone())?),
                deprecated: Box::new(self.node(sub("_deprecated_key_to_new_key")?, format!("{p}.<deprecated>"))?),
            },
            "CachedNode" => {
                return Err(SkopsError::at_node(
                    at(path),
                    format!(
                        "a cached node refers to an unknown object id {}: a corrupted or malicious file",
                        obj.get("__id__").map_or("None".into(), Value::to_string)
                    ),
                ))
            }
            other => {
                return Err(SkopsError::at_node(
                    at(path),
                    format!("unknown loader {other} for type {module}.{class} (skops 0.16 does not define it)"),
                ))
            }
        };
        Ok(Node {
            class,
            module,
            loader,
            path: path.to_string(),
            kind,
        })
    }

    fn items(&mut self, content: &Value, path: &str) -> Result<Vec<Node>, SkopsError> {
        let Some(list) = content.as_array() else {
            return Err(SkopsError::at_node(
                at(path),
                "the node's content is not a list",
            ));
        };
        list.iter()
            .enumerate()
            .map(|(i, v)| self.node(v, format!("{path}[{i}]")))
            .collect()
    }
}

fn relocate(e: SkopsError, path: &str) -> SkopsError {
    SkopsError::at_node(format!("{} ({})", at(path), e.location), e.message)
}

/// `json.loads` of a JsonNode's content (Python writes `NaN`, `Infinity`, `-Infinity`).
fn json_content(content: &Value, path: &str) -> Result<Json, SkopsError> {
    let Some(text) = content.as_str() else {
        return Err(SkopsError::at_node(
            at(path),
            "a JsonNode's content is not a string",
        ));
    };
    Ok(match text.trim() {
        "NaN" => Json::Float(f64::NAN),
        "Infinity" => Json::Float(f64::INFINITY),
        "-Infinity" => Json::Float(f64::NEG_INFINITY),
        t => match serde_json::from_str::<Value>(t) {
            Ok(Value::Null) => Json::Null,
            Ok(Value::Bool(b)) => Json::Bool(b),
            Ok(Value::Number(n)) => match n.as_i64() {
                Some(i) => Json::Int(i),
                None => Json::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Ok(Value::String(s)) => Json::Str(s),
            Ok(other) => Json::Other(other),
            Err(e) => {
                return Err(SkopsError::at_node(
                    at(path),
                    format!("a JsonNode's content is not JSON ({e}): {t:?}"),
                ))
            }
        },
    })
}
