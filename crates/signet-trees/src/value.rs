//! The document model shared by the JSON and UBJSON readers ([`crate::json`],
//! [`crate::ubjson`]) and typed access to it with errors that name the key path.

use crate::error::TreeError;

/// A parsed JSON / UBJSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number, with its value rounded directly to `f32` (JSON text is parsed
    /// once to each width, never `f64` then `f32`, as XGBoost parses to `float`).
    Float {
        /// The value as `f64`.
        f64: f64,
        /// The value as `f32`.
        f32: f32,
    },
    /// A string.
    Str(String),
    /// An array of values.
    Array(Vec<Value>),
    /// A typed UBJSON array of float32 (`[$d#...`).
    F32s(Vec<f32>),
    /// A typed UBJSON array of float64 (`[$D#...`).
    F64s(Vec<f64>),
    /// A typed UBJSON array of integers (`[$U`, `[$i`, `[$I`, `[$l`, `[$L`).
    Ints(Vec<i64>),
    /// An object, keys in file order.
    Object(Vec<(String, Value)>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float { .. } => "a number",
            Value::Str(_) => "a string",
            Value::Array(_) | Value::F32s(_) | Value::F64s(_) | Value::Ints(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// A value with its key path and file, for typed access with precise errors.
#[derive(Clone, Debug)]
pub struct At<'a> {
    /// The value.
    pub value: &'a Value,
    /// The file it came from.
    pub file: &'a str,
    path: String,
}

impl<'a> At<'a> {
    /// The document root.
    pub fn root(value: &'a Value, file: &'a str) -> Self {
        At {
            value,
            file,
            path: String::new(),
        }
    }

    /// The key path of this value (`learner.gradient_booster.model`).
    pub fn path(&self) -> &str {
        if self.path.is_empty() {
            "(root)"
        } else {
            &self.path
        }
    }

    /// An error at this value's key path.
    pub fn error(&self, message: impl Into<String>) -> TreeError {
        TreeError::at(self.file, format!("key {}", self.path()), message)
    }

    fn wrong(&self, expected: &str) -> TreeError {
        self.error(format!("expected {expected}, found {}", self.value.kind()))
    }

    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The member `key` of this object, if present.
    pub fn opt(&self, key: &str) -> Result<Option<At<'a>>, TreeError> {
        let Value::Object(members) = self.value else {
            return Err(self.wrong("an object"));
        };
        Ok(members.iter().find(|(k, _)| k == key).map(|(_, v)| At {
            value: v,
            file: self.file,
            path: self.child_path(key),
        }))
    }

    /// The member `key` of this object; missing is an error naming the key.
    pub fn get(&self, key: &str) -> Result<At<'a>, TreeError> {
        self.opt(key)?.ok_or_else(|| {
            TreeError::at(
                self.file,
                format!("key {}", self.child_path(key)),
                "missing",
            )
        })
    }

    /// The elements of an array of values, each with its key path (`trees[3]`).
    pub fn items(&self) -> Result<Vec<At<'a>>, TreeError> {
        match self.value {
            Value::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, v)| At {
                    value: v,
                    file: self.file,
                    path: format!("{}[{i}]", self.path),
                })
                .collect()),
            _ => Err(self.wrong("an array")),
        }
    }

    /// A string.
    pub fn str(&self) -> Result<&'a str, TreeError> {
        match self.value {
            Value::Str(s) => Ok(s),
            _ => Err(self.wrong("a string")),
        }
    }

    /// An integer; XGBoost also writes integers as strings (`"num_trees": "10"`).
    pub fn int(&self) -> Result<i64, TreeError> {
        match self.value {
            Value::Int(i) => Ok(*i),
            Value::Str(s) => s
                .trim()
                .parse()
                .map_err(|_| self.error(format!("expected an integer, found {s:?}"))),
            Value::Bool(b) => Ok(i64::from(*b)),
            _ => Err(self.wrong("an integer")),
        }
    }

    /// A non-negative integer that fits `usize`.
    pub fn count(&self) -> Result<usize, TreeError> {
        let i = self.int()?;
        usize::try_from(i).map_err(|_| self.error(format!("expected a count, found {i}")))
    }

    /// An array of `f32` (typed float32 array, or an array of numbers).
    pub fn f32s(&self) -> Result<Vec<f32>, TreeError> {
        match self.value {
            Value::F32s(v) => Ok(v.clone()),
            Value::F64s(v) => Ok(v.iter().map(|x| *x as f32).collect()),
            Value::Ints(v) => Ok(v.iter().map(|x| *x as f32).collect()),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::Float { f32, .. } => Ok(*f32),
                    Value::Int(x) => Ok(*x as f32),
                    other => Err(self.error(format!(
                        "element {i}: expected a number, found {}",
                        other.kind()
                    ))),
                })
                .collect(),
            _ => Err(self.wrong("an array of numbers")),
        }
    }

    /// An array of integers (booleans count as 0/1, as XGBoost's `default_left` may be either).
    pub fn ints(&self) -> Result<Vec<i64>, TreeError> {
        match self.value {
            Value::Ints(v) => Ok(v.clone()),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::Int(x) => Ok(*x),
                    Value::Bool(b) => Ok(i64::from(*b)),
                    other => Err(self.error(format!(
                        "element {i}: expected an integer, found {}",
                        other.kind()
                    ))),
                })
                .collect(),
            _ => Err(self.wrong("an array of integers")),
        }
    }
}
