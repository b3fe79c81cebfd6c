//! Table construction for `dataframe_split` / `dataframe_records`: per-column builders fed cell
//! by cell (from the byte scanner or from a parsed [`Value`]), pandas' column typing of JSON
//! values (docs/serving.md#json-column-typing), and MLflow's schema cast (§5.5) straight into Arrow arrays.
//!
//! A column that only ever receives integers (or only floats) is kept as a plain `Vec<i64>`
//! (`Vec<f64>`) and handed to Arrow without copying; any other mix falls back to a compact
//! [`Cell`] vector that remembers exactly what the JSON held, which the casts need.

use super::composite;
use super::pyconv::{self, PyErr};
use super::text::exc_repr;
use super::RequestError;
use arrow_array::{
    ArrayRef, BinaryArray, BooleanArray, Float32Array, Float64Array, Int16Array, Int32Array,
    Int64Array, Int8Array, RecordBatch, RecordBatchOptions, StringArray, UInt16Array, UInt32Array,
    UInt64Array, UInt8Array,
};
use arrow_schema::{Field, Schema as ArrowSchema};
use signet::enforce::Compat;
use signet::pyjson::float_repr;
use signet::repr::{coltype_repr, column_name, py_repr, py_str};
use signet::table::{self, LABEL_KIND_KEY};
use signet::types::{ColType, ColumnName, DataType, NumpyDtype, Schema, SchemaKind, TimeUnit};
use signet::value::Value;
use std::collections::HashMap;
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// cells and builders

/// One JSON cell as it was written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Cell {
    /// An integer within `i64`.
    Int(i64),
    /// An integer outside `i64` (index into the builder's big-int list).
    Big(u32),
    /// A float literal (`NaN`, `Infinity` included).
    Float(f64),
    /// `true` / `false`.
    Bool(bool),
    /// A string (byte range in the builder's arena).
    Str(u32, u32),
    /// JSON `null` (Python `None`).
    Null,
    /// A cell pandas fills with NaN (a key absent from a record).
    Missing,
    /// An array or object (index into the builder's nested values).
    Nested(u32),
}

/// A cell with its payload resolved.
#[derive(Clone, Copy, Debug)]
pub(crate) enum C<'a> {
    Int(i128),
    Float(f64),
    Bool(bool),
    Str(&'a str),
    Null,
    Missing,
    Nested(&'a Value),
}

impl C<'_> {
    /// The Python value of the cell (`Missing` is NaN).
    fn to_value(self) -> Value {
        match self {
            C::Int(i) => Value::Int(i),
            C::Float(f) => Value::Float(f),
            C::Bool(b) => Value::Bool(b),
            C::Str(s) => Value::str(s),
            C::Null => Value::None,
            C::Missing => Value::Float(f64::NAN),
            C::Nested(v) => v.clone(),
        }
    }

    /// Python `repr()` of the cell.
    fn repr(self) -> String {
        match self {
            C::Int(i) => i.to_string(),
            C::Float(f) => float_repr(f),
            C::Bool(b) => if b { "True" } else { "False" }.into(),
            C::Str(s) => py_str(s),
            C::Null => "None".into(),
            C::Missing => "nan".into(),
            C::Nested(v) => py_repr(v),
        }
    }

    /// Python's type name of the cell.
    fn type_name(self) -> &'static str {
        match self {
            C::Int(_) => "int",
            C::Float(_) | C::Missing => "float",
            C::Bool(_) => "bool",
            C::Str(_) => "str",
            C::Null => "NoneType",
            C::Nested(Value::Dict(_)) => "dict",
            C::Nested(_) => "list",
        }
    }
}

const F_INT: u16 = 1;
const F_NEG: u16 = 2;
const F_U64: u16 = 4;
const F_HUGE: u16 = 8;
const F_FLOAT: u16 = 16;
const F_BOOL: u16 = 32;
const F_STR: u16 = 64;
const F_NULL: u16 = 128;
const F_MISSING: u16 = 256;
const F_NESTED: u16 = 512;

enum Data {
    Ints(Vec<i64>),
    Floats(Vec<f64>),
    Cells(Vec<Cell>),
}

/// Accumulates one column's cells.
pub(crate) struct ColumnBuilder {
    data: Data,
    arena: String,
    bigs: Vec<i128>,
    nested: Vec<Value>,
    flags: u16,
}

impl ColumnBuilder {
    pub fn new() -> ColumnBuilder {
        ColumnBuilder {
            data: Data::Ints(Vec::new()),
            arena: String::new(),
            bigs: Vec::new(),
            nested: Vec::new(),
            flags: 0,
        }
    }

    /// A builder holding `n` copies of `cell` (`Null` or `Missing`).
    pub fn filled(n: usize, cell: Cell) -> ColumnBuilder {
        let mut b = ColumnBuilder::new();
        for _ in 0..n {
            b.push_cell(cell);
        }
        b
    }

    /// The integer vector, while the column holds only `i64` values.
    pub fn ints_mut(&mut self) -> Option<&mut Vec<i64>> {
        match &mut self.data {
            Data::Ints(v) => Some(v),
            _ => None,
        }
    }

    /// Reserves room for `n` more cells (in the fast vectors).
    pub fn reserve(&mut self, n: usize) {
        self.arena.reserve(self.arena.len().saturating_mul(n));
        match &mut self.data {
            Data::Ints(v) => v.reserve(n),
            Data::Floats(v) => v.reserve(n),
            Data::Cells(v) => v.reserve(n),
        }
    }

    pub fn len(&self) -> usize {
        match &self.data {
            Data::Ints(v) => v.len(),
            Data::Floats(v) => v.len(),
            Data::Cells(v) => v.len(),
        }
    }

    /// Flags of the fast vectors (not kept up to date while pushing into them).
    fn fast_flags(&self) -> u16 {
        match &self.data {
            Data::Ints(v) if !v.is_empty() => {
                F_INT | if v.iter().any(|&i| i < 0) { F_NEG } else { 0 }
            }
            Data::Floats(v) if !v.is_empty() => F_FLOAT,
            _ => 0,
        }
    }

    fn cells(&mut self) -> &mut Vec<Cell> {
        if !matches!(self.data, Data::Cells(_)) {
            self.flags |= self.fast_flags();
            let cells: Vec<Cell> = match &self.data {
                Data::Ints(v) => v.iter().map(|&i| Cell::Int(i)).collect(),
                Data::Floats(v) => v.iter().map(|&f| Cell::Float(f)).collect(),
                Data::Cells(_) => Vec::new(),
            };
            self.data = Data::Cells(cells);
        }
        match &mut self.data {
            Data::Cells(c) => c,
            _ => unreachable!("converted above"),
        }
    }

    fn push_cell(&mut self, c: Cell) {
        self.flags |= match c {
            Cell::Null => F_NULL,
            Cell::Missing => F_MISSING,
            Cell::Bool(_) => F_BOOL,
            Cell::Str(..) => F_STR,
            Cell::Nested(_) => F_NESTED,
            Cell::Float(_) => F_FLOAT,
            Cell::Int(i) => F_INT | if i < 0 { F_NEG } else { 0 },
            Cell::Big(_) => 0,
        };
        self.cells().push(c);
    }

    #[inline(always)]
    pub fn push_int(&mut self, i: i64) {
        match &mut self.data {
            Data::Ints(v) => v.push(i),
            _ => {
                self.flags |= F_INT | if i < 0 { F_NEG } else { 0 };
                self.cells().push(Cell::Int(i))
            }
        }
    }

    pub fn push_big(&mut self, i: i128) {
        if let Ok(v) = i64::try_from(i) {
            return self.push_int(v);
        }
        self.flags |= if (0..=u64::MAX as i128).contains(&i) {
            F_INT | F_U64
        } else {
            F_INT | F_HUGE | if i < 0 { F_NEG } else { 0 }
        };
        let idx = self.bigs.len() as u32;
        self.bigs.push(i);
        self.cells().push(Cell::Big(idx));
    }

    #[inline]
    pub fn push_float(&mut self, f: f64) {
        match &mut self.data {
            Data::Floats(v) => v.push(f),
            Data::Ints(v) if v.is_empty() => {
                let mut floats: Vec<f64> = Vec::with_capacity(v.capacity());
                floats.push(f);
                self.data = Data::Floats(floats);
            }
            _ => {
                self.flags |= F_FLOAT;
                self.cells().push(Cell::Float(f))
            }
        }
    }

    pub fn push_bool(&mut self, b: bool) {
        self.push_cell(Cell::Bool(b));
    }

    pub fn push_str(&mut self, s: &str) {
        let start = self.arena.len() as u32;
        self.arena.push_str(s);
        self.push_cell(Cell::Str(start, s.len() as u32));
    }

    pub fn push_null(&mut self) {
        self.push_cell(Cell::Null);
    }

    pub fn push_missing(&mut self) {
        self.push_cell(Cell::Missing);
    }

    pub fn push_nested(&mut self, v: Value) {
        let idx = self.nested.len() as u32;
        self.nested.push(v);
        self.push_cell(Cell::Nested(idx));
    }

    /// Pushes a parsed JSON value.
    pub fn push_value(&mut self, v: &Value) {
        match v {
            Value::Int(i) => self.push_big(*i),
            Value::Float(f) => self.push_float(*f),
            Value::Bool(b) => self.push_bool(*b),
            Value::Str(s) => self.push_str(s),
            Value::None => self.push_null(),
            other => self.push_nested(other.clone()),
        }
    }

    fn get(&self, i: usize) -> C<'_> {
        match &self.data {
            Data::Ints(v) => C::Int(v[i] as i128),
            Data::Floats(v) => C::Float(v[i]),
            Data::Cells(v) => match v[i] {
                Cell::Int(x) => C::Int(x as i128),
                Cell::Big(k) => C::Int(self.bigs[k as usize]),
                Cell::Float(f) => C::Float(f),
                Cell::Bool(b) => C::Bool(b),
                Cell::Str(s, n) => C::Str(&self.arena[s as usize..(s + n) as usize]),
                Cell::Null => C::Null,
                Cell::Missing => C::Missing,
                Cell::Nested(k) => C::Nested(&self.nested[k as usize]),
            },
        }
    }

    fn iter(&self) -> impl Iterator<Item = C<'_>> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }

    /// pandas' dtype for this column of JSON values (docs/serving.md#json-column-typing).
    pub fn jtype(&self) -> JType {
        let f = self.flags | self.fast_flags();
        if self.len() == 0 || f & F_NESTED != 0 {
            return JType::Object;
        }
        let numbers = F_INT | F_FLOAT;
        if f & F_STR != 0 {
            return if f & (numbers | F_BOOL) != 0 {
                JType::Object
            } else {
                JType::Str
            };
        }
        if f & F_BOOL != 0 {
            return if f & (numbers | F_NULL | F_MISSING) != 0 {
                JType::Object
            } else {
                JType::Bool
            };
        }
        if f & numbers == 0 {
            // Only nulls (and NaN fillers): all-None is object, any NaN makes it float.
            return if f & F_MISSING != 0 {
                JType::Float64
            } else {
                JType::Object
            };
        }
        if f & F_HUGE != 0 {
            return JType::Object;
        }
        if f & (F_FLOAT | F_NULL | F_MISSING) != 0 {
            return JType::Float64;
        }
        if f & F_U64 != 0 {
            return if f & F_NEG != 0 {
                JType::Object
            } else {
                JType::UInt64
            };
        }
        JType::Int64
    }
}

/// pandas' dtype of a column built from JSON values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JType {
    Int64,
    UInt64,
    Float64,
    Bool,
    Str,
    Object,
}

impl JType {
    /// The dtype name pandas prints (`int64`, `str`, `object`, ...).
    pub fn name(self) -> &'static str {
        match self {
            JType::Int64 => "int64",
            JType::UInt64 => "uint64",
            JType::Float64 => "float64",
            JType::Bool => "bool",
            JType::Str => "str",
            JType::Object => "object",
        }
    }
}

/// pandas' dtype of a Series built from these Python values.
pub(crate) fn jtype_of(values: &[Value]) -> JType {
    let mut b = ColumnBuilder::new();
    for v in values {
        b.push_value(v);
    }
    b.jtype()
}

// ---------------------------------------------------------------------------------------------
// tables

/// How the rows of a frame are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RowMode {
    /// Rows are lists: column `j` is position `j` (short rows are padded with `None`).
    Lists,
    /// Rows are objects: columns are keys, union in first-seen order (absent keys are NaN).
    Dicts,
    /// The data is one list of scalars: a single column.
    Scalars,
}

/// Builds the columns of a frame row by row.
pub(crate) struct TableBuilder {
    pub cols: Vec<ColumnBuilder>,
    pub keys: Vec<String>,
    key_index: HashMap<String, usize>,
    set_in_row: Vec<usize>,
    pub rows: usize,
    /// Fixed key set (`columns` given with dict rows): other keys are ignored.
    fixed_keys: bool,
}

impl TableBuilder {
    pub fn new() -> TableBuilder {
        TableBuilder {
            cols: Vec::new(),
            keys: Vec::new(),
            key_index: HashMap::new(),
            set_in_row: Vec::new(),
            rows: 0,
            fixed_keys: false,
        }
    }

    /// A builder for dict rows whose columns are exactly `keys` (split data with `columns`).
    pub fn with_keys(keys: &[String]) -> TableBuilder {
        let mut t = TableBuilder::new();
        for k in keys {
            t.key_index.entry(k.clone()).or_insert(t.cols.len());
            t.keys.push(k.clone());
            t.cols.push(ColumnBuilder::new());
            t.set_in_row.push(usize::MAX);
        }
        t.fixed_keys = true;
        t
    }

    /// The builder of list position `j` (created and back-filled with `None` when new).
    #[inline(always)]
    pub fn list_col(&mut self, j: usize) -> &mut ColumnBuilder {
        if j >= self.cols.len() {
            self.grow_to(j);
        }
        &mut self.cols[j]
    }

    #[cold]
    fn grow_to(&mut self, j: usize) {
        while self.cols.len() <= j {
            self.cols.push(ColumnBuilder::filled(self.rows, Cell::Null));
        }
    }

    /// Ends a list row of `width` cells: later columns get `None`.
    #[inline]
    pub fn end_list_row(&mut self, width: usize) {
        for c in self.cols.iter_mut().skip(width) {
            c.push_null();
        }
        self.rows += 1;
    }

    /// The builder of record key `key` for the current row (`None` when the key set is fixed
    /// and does not contain it). A new key is back-filled with NaN.
    pub fn key_col(&mut self, key: &str) -> Option<&mut ColumnBuilder> {
        let j = match self.key_index.get(key) {
            Some(&j) => j,
            None => {
                if self.fixed_keys {
                    return None;
                }
                let j = self.cols.len();
                self.key_index.insert(key.to_string(), j);
                self.keys.push(key.to_string());
                self.cols
                    .push(ColumnBuilder::filled(self.rows, Cell::Missing));
                self.set_in_row.push(usize::MAX);
                j
            }
        };
        if self.set_in_row[j] == self.rows {
            // A repeated key within one object: the last value wins.
            let col = &mut self.cols[j];
            col.truncate_last();
        }
        self.set_in_row[j] = self.rows;
        Some(&mut self.cols[j])
    }

    /// Ends a record row: keys it lacked get NaN.
    pub fn end_dict_row(&mut self) {
        for (j, c) in self.cols.iter_mut().enumerate() {
            if self.set_in_row[j] != self.rows {
                c.push_missing();
            }
        }
        self.rows += 1;
    }

    /// Fills the frame from parsed rows (the reference path; the byte scanner handles the
    /// common shapes itself). `columns` are the split labels, used to select dict-row keys.
    pub fn from_rows(
        rows: &[Value],
        columns: Option<&[ColumnName]>,
    ) -> Result<(TableBuilder, RowMode), String> {
        let Some(first) = rows.first() else {
            return Ok((TableBuilder::new(), RowMode::Lists));
        };
        match first {
            Value::List(_) | Value::Tuple(_) => {
                let mut t = TableBuilder::new();
                for row in rows {
                    let items: Vec<Value> = match row {
                        Value::List(l) | Value::Tuple(l) => l.clone(),
                        Value::Dict(d) => d.iter().map(|(k, _)| k.clone()).collect(),
                        Value::Str(s) => s.chars().map(|c| Value::Str(c.to_string())).collect(),
                        other => {
                            return Err(format!(
                                "object of type '{}' has no len()",
                                other.type_name()
                            ))
                        }
                    };
                    for (j, v) in items.iter().enumerate() {
                        t.list_col(j).push_value(v);
                    }
                    t.end_list_row(items.len());
                }
                Ok((t, RowMode::Lists))
            }
            Value::Dict(_) => {
                let mut t = match columns {
                    Some(cols) => TableBuilder::with_keys(
                        &cols.iter().map(|c| c.as_text()).collect::<Vec<_>>(),
                    ),
                    None => TableBuilder::new(),
                };
                for row in rows {
                    let Value::Dict(items) = row else {
                        return Err(match columns {
                            None => format!("'{}' object has no attribute 'keys'", row.type_name()),
                            Some(_) => {
                                "cannot convert dictionary update sequence element #0 to a sequence"
                                    .into()
                            }
                        });
                    };
                    for (k, v) in items {
                        let key = match k {
                            Value::Str(s) => s.clone(),
                            other => signet::repr::py_str_of(other),
                        };
                        if let Some(col) = t.key_col(&key) {
                            col.push_value(v);
                        }
                    }
                    t.end_dict_row();
                }
                Ok((t, RowMode::Dicts))
            }
            _ => {
                let mut t = TableBuilder::new();
                t.list_col(0);
                for v in rows {
                    t.cols[0].push_value(v);
                    t.rows += 1;
                }
                Ok((t, RowMode::Scalars))
            }
        }
    }
}

impl ColumnBuilder {
    /// Drops the last cell (a record key repeated within one object).
    fn truncate_last(&mut self) {
        match &mut self.data {
            Data::Ints(v) => {
                v.pop();
            }
            Data::Floats(v) => {
                v.pop();
            }
            Data::Cells(v) => {
                v.pop();
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// schema targets

/// What the schema asks of one column (`cast_df_types_according_to_schema`).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Target<'s> {
    /// Not cast: pandas' own typing.
    None,
    /// `astype` to a scalar DataType's pandas type.
    Scalar(DataType),
    /// Every cell enforced against an Array/Object/Map type (with the column's required flag).
    Composite(&'s ColType, bool),
    /// A TensorSpec dtype (`astype`, skipped when the first cell is a list).
    Tensor(NumpyDtype),
}

/// Name → position of its last occurrence in `names` (a later spec of a repeated name wins),
/// so that matching labels to specs is one hash look-up per label.
fn last_positions(names: &[ColumnName]) -> HashMap<&ColumnName, usize> {
    names.iter().enumerate().map(|(i, n)| (n, i)).collect()
}

/// The cast target of each column, by label, as MLflow picks them.
pub(crate) fn targets<'s>(labels: &[ColumnName], schema: Option<&'s Schema>) -> Vec<Target<'s>> {
    let mut out = vec![Target::None; labels.len()];
    let Some(schema) = schema else { return out };
    let col_target = |spec: &'s signet::types::ColSpec, required: bool| match &spec.ty {
        ColType::Scalar(t) => Target::Scalar(*t),
        ColType::Any => Target::None,
        other => Target::Composite(other, required),
    };
    match schema.kind() {
        SchemaKind::Columns(specs) if schema.has_input_names() => {
            let names = schema.input_names();
            let spec_of = last_positions(&names);
            for (j, l) in labels.iter().enumerate() {
                if let Some(&i) = spec_of.get(l) {
                    out[j] = col_target(&specs[i], specs[i].is_required());
                }
            }
        }
        SchemaKind::Columns(specs) => {
            for (j, spec) in specs.iter().enumerate().take(labels.len()) {
                out[j] = col_target(spec, false);
            }
        }
        SchemaKind::Tensors(specs) if schema.has_input_names() => {
            let names = schema.input_names();
            let spec_of = last_positions(&names);
            for (j, l) in labels.iter().enumerate() {
                if let Some(&i) = spec_of.get(l) {
                    out[j] = Target::Tensor(specs[i].dtype);
                }
            }
        }
        SchemaKind::Tensors(specs) => {
            if specs.len() == 1 {
                out.iter_mut()
                    .for_each(|t| *t = Target::Tensor(specs[0].dtype));
            } else {
                for (j, spec) in specs.iter().enumerate().take(labels.len()) {
                    out[j] = Target::Tensor(spec.dtype);
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// finishing columns

/// A column's name and the mode, for messages.
pub(crate) struct Ctx<'a> {
    pub label: &'a ColumnName,
    pub compat: Compat,
}

impl Ctx<'_> {
    fn strict(&self) -> bool {
        self.compat == Compat::Strict
    }

    /// `MlflowFailedTypeConversion`: `Failed to convert column <c> to type '<t>'. Error: '<repr>'`.
    fn failed(&self, type_text: &str, (class, msg): PyErr) -> RequestError {
        RequestError::invalid_input(format!(
            "Data is not compatible with model signature. Failed to convert column {} to type '{type_text}'. Error: '{}'",
            self.label.as_text(),
            exc_repr(class, &msg)
        ))
    }

    /// Strict mode's refusal naming column, row and value.
    fn refuse(&self, row: usize, cell: C<'_>, why: &str) -> RequestError {
        RequestError::invalid_input(format!(
            "Column {} row {row}: {} {why}",
            column_name(self.label),
            cell.repr()
        ))
    }
}

fn field(label: &ColumnName, array: &ArrayRef, meta: &[(&str, &str)]) -> Field {
    let mut md: HashMap<String, String> = meta
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let ColumnName::Int(_) = label {
        md.insert(LABEL_KIND_KEY.to_string(), "int".to_string());
    }
    let f = Field::new(label.as_text(), array.data_type().clone(), true);
    if md.is_empty() {
        f
    } else {
        f.with_metadata(md)
    }
}

fn object_field(label: &ColumnName, values: &[Value]) -> (Field, ArrayRef) {
    let (f, a) = table::object_column(&label.as_text(), values);
    let mut md = f.metadata().clone();
    if let ColumnName::Int(_) = label {
        md.insert(LABEL_KIND_KEY.to_string(), "int".to_string());
    }
    (f.with_metadata(md), a)
}

const INT_NAN: &str = "Cannot convert non-finite values (NA or inf) to integer. Replace or remove non-finite values or cast to an integer type that supports these values (e.g. 'Int64')";

/// An integer numpy dtype: bit width and signedness.
#[derive(Clone, Copy, Debug)]
struct IntKind {
    bits: u32,
    signed: bool,
}

impl IntKind {
    fn of(d: NumpyDtype) -> Option<IntKind> {
        use NumpyDtype as D;
        let (bits, signed) = match d {
            D::Int8 => (8, true),
            D::Int16 => (16, true),
            D::Int32 => (32, true),
            D::Int64 => (64, true),
            D::UInt8 => (8, false),
            D::UInt16 => (16, false),
            D::UInt32 => (32, false),
            D::UInt64 => (64, false),
            _ => return None,
        };
        Some(IntKind { bits, signed })
    }

    fn name(self) -> String {
        format!("{}int{}", if self.signed { "" } else { "u" }, self.bits)
    }

    fn min(self) -> i128 {
        if self.signed {
            -(1i128 << (self.bits - 1))
        } else {
            0
        }
    }

    fn max(self) -> i128 {
        if self.signed {
            (1i128 << (self.bits - 1)) - 1
        } else {
            (1i128 << self.bits) - 1
        }
    }

    /// C's wrap-around conversion of a 64-bit value to this width.
    fn wrap(self, v: i128) -> i128 {
        let m = v & ((1i128 << self.bits) - 1);
        if self.signed && m > self.max() {
            m - (1i128 << self.bits)
        } else {
            m
        }
    }

    /// numpy's check of a Python int stored into this dtype.
    fn check_py_int(self, v: i128) -> Result<i128, PyErr> {
        if v >= self.min() && v <= self.max() {
            return Ok(v);
        }
        let fits_c_long = i64::try_from(v).is_ok();
        if self.bits == 64 || !fits_c_long {
            if !self.signed && v < 0 && fits_c_long {
                return Err((
                    "OverflowError",
                    format!("Python integer {v} out of bounds for {}", self.name()),
                ));
            }
            return Err((
                "OverflowError",
                format!(
                    "Python int too large to convert to C {}",
                    if self.signed { "long" } else { "unsigned long" }
                ),
            ));
        }
        Err((
            "OverflowError",
            format!("Python integer {v} out of bounds for {}", self.name()),
        ))
    }

    fn array(self, values: Vec<i128>) -> ArrayRef {
        macro_rules! arr {
            ($t:ty, $a:ty) => {
                Arc::new(<$a>::from(
                    values.into_iter().map(|v| v as $t).collect::<Vec<$t>>(),
                ))
            };
        }
        match (self.bits, self.signed) {
            (8, true) => arr!(i8, Int8Array),
            (16, true) => arr!(i16, Int16Array),
            (32, true) => arr!(i32, Int32Array),
            (64, true) => arr!(i64, Int64Array),
            (8, false) => arr!(u8, UInt8Array),
            (16, false) => arr!(u16, UInt16Array),
            (32, false) => arr!(u32, UInt32Array),
            _ => arr!(u64, UInt64Array),
        }
    }
}

/// A float numpy dtype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FloatKind {
    F16,
    F32,
    F64,
}

impl FloatKind {
    fn name(self) -> &'static str {
        match self {
            FloatKind::F16 => "float16",
            FloatKind::F32 => "float32",
            FloatKind::F64 => "float64",
        }
    }

    fn array(self, values: Vec<f64>) -> ArrayRef {
        match self {
            FloatKind::F64 => Arc::new(Float64Array::from(values)),
            FloatKind::F32 => Arc::new(Float32Array::from(
                values.into_iter().map(|v| v as f32).collect::<Vec<_>>(),
            )),
            FloatKind::F16 => {
                let v: Vec<Option<f64>> = values.into_iter().map(Some).collect();
                Arc::new(signet::numpy::float16_array(&v)) as ArrayRef
            }
        }
    }

    /// Whether the integer survives the conversion exactly.
    fn exact_int(self, v: i128) -> bool {
        match self {
            FloatKind::F64 => (v as f64) as i128 == v,
            FloatKind::F32 => (v as f32) as i128 == v,
            FloatKind::F16 => v.abs() <= 2048,
        }
    }

    fn overflows(self, f: f64) -> bool {
        f.is_finite()
            && match self {
                FloatKind::F64 => false,
                FloatKind::F32 => (f as f32).is_infinite(),
                FloatKind::F16 => f.abs() > 65504.0,
            }
    }
}

fn py_type_error_int(name: &str) -> PyErr {
    (
        "TypeError",
        format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{name}'"
        ),
    )
}

impl ColumnBuilder {
    /// The column without a cast: pandas' typing of the JSON values.
    fn natural(self, label: &ColumnName) -> (Field, ArrayRef) {
        match self.jtype() {
            JType::Int64 => {
                let a: ArrayRef = match self.data {
                    Data::Ints(v) => Arc::new(Int64Array::from(v)),
                    _ => Arc::new(Int64Array::from(
                        self.iter()
                            .map(|c| match c {
                                C::Int(i) => i as i64,
                                _ => 0,
                            })
                            .collect::<Vec<_>>(),
                    )),
                };
                (field(label, &a, &[]), a)
            }
            JType::UInt64 => {
                let a: ArrayRef = Arc::new(UInt64Array::from(
                    self.iter()
                        .map(|c| match c {
                            C::Int(i) => i as u64,
                            _ => 0,
                        })
                        .collect::<Vec<_>>(),
                ));
                (field(label, &a, &[]), a)
            }
            JType::Float64 => {
                let a: ArrayRef = match self.data {
                    Data::Floats(v) => Arc::new(Float64Array::from(v)),
                    _ => Arc::new(Float64Array::from(
                        self.iter().map(as_f64).collect::<Vec<_>>(),
                    )),
                };
                (field(label, &a, &[]), a)
            }
            JType::Bool => {
                let a: ArrayRef = Arc::new(BooleanArray::from(
                    self.iter()
                        .map(|c| matches!(c, C::Bool(true)))
                        .collect::<Vec<_>>(),
                ));
                (field(label, &a, &[]), a)
            }
            JType::Str => {
                let a: ArrayRef = Arc::new(StringArray::from(
                    self.iter()
                        .map(|c| match c {
                            C::Str(s) => Some(s),
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                ));
                (field(label, &a, &[]), a)
            }
            JType::Object => {
                let values: Vec<Value> = self.iter().map(C::to_value).collect();
                object_field(label, &values)
            }
        }
    }

    /// The column cast to `target` (`cast_df_types_according_to_schema`).
    pub fn finish(
        self,
        ctx: &Ctx<'_>,
        target: Target<'_>,
    ) -> Result<(Field, ArrayRef), RequestError> {
        match target {
            Target::None => Ok(self.natural(ctx.label)),
            Target::Scalar(t) => self.cast_scalar(ctx, t),
            Target::Composite(ty, required) => self.cast_composite(ctx, ty, required),
            Target::Tensor(d) => self.cast_tensor(ctx, d),
        }
    }

    fn cast_scalar(self, ctx: &Ctx<'_>, t: DataType) -> Result<(Field, ArrayRef), RequestError> {
        let label = ctx.label;
        match t {
            DataType::Boolean => self.cast_bool(ctx, "bool"),
            DataType::Integer => self.cast_int(
                ctx,
                IntKind {
                    bits: 32,
                    signed: true,
                },
                "long",
            ),
            DataType::Long => self.cast_int(
                ctx,
                IntKind {
                    bits: 64,
                    signed: true,
                },
                "long",
            ),
            DataType::Float => self.cast_float(ctx, FloatKind::F32),
            DataType::Double => self.cast_float(ctx, FloatKind::F64),
            DataType::String => {
                if ctx.strict() {
                    for (row, c) in self.iter().enumerate() {
                        if !matches!(c, C::Str(_) | C::Null | C::Missing) {
                            return Err(ctx.refuse(row, c, "is not a string"));
                        }
                    }
                }
                match self.jtype() {
                    JType::Str => Ok(self.natural(label)),
                    jt => {
                        let values: Vec<Value> = self.iter().map(|c| typed_value(jt, c)).collect();
                        Ok(object_field(label, &values))
                    }
                }
            }
            DataType::Binary => self.cast_binary(ctx, "<class 'object'>", true),
            DataType::Datetime => self.cast_datetime(ctx, TimeUnit::Nano, "datetime64[ns]"),
        }
    }

    fn cast_bool(self, ctx: &Ctx<'_>, type_text: &str) -> Result<(Field, ArrayRef), RequestError> {
        let _ = type_text;
        let jt = self.jtype();
        let mut out = Vec::with_capacity(self.len());
        for (row, c) in self.iter().enumerate() {
            if ctx.strict() && !matches!(c, C::Bool(_)) {
                return Err(ctx.refuse(
                    row,
                    c,
                    "is not a boolean; refusing to read it by Python truthiness",
                ));
            }
            out.push(match (jt, c) {
                (_, C::Bool(b)) => b,
                (_, C::Int(i)) => i != 0,
                (_, C::Float(f)) => f != 0.0,
                (_, C::Str(s)) => !s.is_empty(),
                (_, C::Missing) => true,
                // In a float or str column a null is NaN, which is truthy.
                (JType::Float64 | JType::Str, C::Null) => true,
                (_, C::Null) => false,
                (_, C::Nested(v)) => v.is_truthy(),
            });
        }
        let a: ArrayRef = Arc::new(BooleanArray::from(out));
        Ok((field(ctx.label, &a, &[]), a))
    }

    fn cast_int(
        self,
        ctx: &Ctx<'_>,
        k: IntKind,
        dtype_name: &str,
    ) -> Result<(Field, ArrayRef), RequestError> {
        let _ = dtype_name;
        let type_text = k.name();
        let refuse_name = match (k.bits, k.signed) {
            (64, true) => "long".to_string(),
            (32, true) => "integer".to_string(),
            _ => k.name(),
        };
        // Fast path: a column of i64 values cast to int64.
        if k.bits == 64 && k.signed {
            if let Data::Ints(v) = self.data {
                let a: ArrayRef = Arc::new(Int64Array::from(v));
                return Ok((field(ctx.label, &a, &[]), a));
            }
        }
        let jt = self.jtype();
        if jt == JType::Float64
            && self.iter().any(|c| match c {
                C::Float(f) => !f.is_finite(),
                C::Null | C::Missing => true,
                _ => false,
            })
        {
            return Err(ctx.failed(&type_text, ("IntCastingNaNError", INT_NAN.into())));
        }
        let mut out: Vec<i128> = Vec::with_capacity(self.len());
        for (row, c) in self.iter().enumerate() {
            if ctx.strict() {
                match c {
                    C::Float(f) if f.is_finite() && f.fract() != 0.0 => {
                        return Err(ctx.refuse(
                            row,
                            c,
                            &format!(
                                "is not an integer; refusing a lossy conversion to {refuse_name}"
                            ),
                        ))
                    }
                    C::Bool(_) => {
                        return Err(ctx.refuse(
                            row,
                            c,
                            &format!(
                                "is not an integer; refusing to read a boolean as {refuse_name}"
                            ),
                        ))
                    }
                    _ => {}
                }
            }
            let v: i128 = match (jt, c) {
                // Typed numpy columns: C-style casts.
                (JType::Int64 | JType::UInt64, C::Int(i)) => {
                    if ctx.strict() {
                        if i < k.min() || i > k.max() {
                            return Err(ctx.refuse(
                                row,
                                c,
                                &format!("is out of range for {refuse_name}"),
                            ));
                        }
                        i
                    } else {
                        k.wrap(i)
                    }
                }
                (JType::Float64, C::Int(i)) if ctx.strict() => k.check_py_int(i).map_err(|_| {
                    ctx.refuse(row, c, &format!("is out of range for {refuse_name}"))
                })?,
                (JType::Float64, C::Int(i)) => float_to_int(i as f64, k),
                (JType::Float64, C::Float(f)) => {
                    if ctx.strict() {
                        let i = f.trunc() as i128;
                        if f.abs() >= 1e38 || i < k.min() || i > k.max() {
                            return Err(ctx.refuse(
                                row,
                                c,
                                &format!("is out of range for {refuse_name}"),
                            ));
                        }
                        i
                    } else {
                        float_to_int(f, k)
                    }
                }
                (JType::Bool, C::Bool(b)) => b as i128,
                // object / str columns: `int(x)` per value, then numpy's range check.
                (_, C::Int(i)) => k.check_py_int(i).map_err(|e| ctx.failed(&type_text, e))?,
                (_, C::Float(f)) => {
                    let i = pyconv::py_int_from_float(f).map_err(|e| ctx.failed(&type_text, e))?;
                    k.check_py_int(i).map_err(|e| ctx.failed(&type_text, e))?
                }
                (_, C::Missing) => {
                    return Err(
                        ctx.failed(&type_text, pyconv::py_int_from_float(f64::NAN).unwrap_err())
                    )
                }
                (JType::Str, C::Null) => {
                    return Err(
                        ctx.failed(&type_text, pyconv::py_int_from_float(f64::NAN).unwrap_err())
                    )
                }
                (_, C::Bool(b)) => b as i128,
                (_, C::Str(s)) => {
                    match pyconv::py_int_from_str(s).map_err(|e| ctx.failed(&type_text, e))? {
                        Some(i) => k.check_py_int(i).map_err(|e| ctx.failed(&type_text, e))?,
                        None => {
                            return Err(ctx.failed(
                                &type_text,
                                (
                                    "OverflowError",
                                    "Python int too large to convert to C long".into(),
                                ),
                            ))
                        }
                    }
                }
                (_, C::Null) => return Err(ctx.failed(&type_text, py_type_error_int("NoneType"))),
                (_, C::Nested(v)) => {
                    return Err(ctx.failed(&type_text, py_type_error_int(C::Nested(v).type_name())))
                }
            };
            out.push(v);
        }
        let a = k.array(out);
        Ok((field(ctx.label, &a, &[]), a))
    }

    fn cast_float(self, ctx: &Ctx<'_>, k: FloatKind) -> Result<(Field, ArrayRef), RequestError> {
        let type_text = k.name();
        if k == FloatKind::F64 {
            if let Data::Floats(v) = self.data {
                let a: ArrayRef = Arc::new(Float64Array::from(v));
                return Ok((field(ctx.label, &a, &[]), a));
            }
        }
        let jt = self.jtype();
        let mut out = Vec::with_capacity(self.len());
        for (row, c) in self.iter().enumerate() {
            if ctx.strict() {
                let bad = match c {
                    C::Bool(_) => {
                        Some("is not a number; refusing to read a boolean as a float".to_string())
                    }
                    C::Int(i) if !k.exact_int(i) => Some(format!(
                        "cannot be represented exactly as {}; refusing a lossy conversion",
                        k.name()
                    )),
                    C::Float(f) if k.overflows(f) => Some(format!("overflows {}", k.name())),
                    _ => None,
                };
                if let Some(why) = bad {
                    return Err(ctx.refuse(row, c, &why));
                }
            }
            let v = match (jt, c) {
                (_, C::Int(i)) => {
                    if jt == JType::Object && (i as f64).is_infinite() {
                        return Err(ctx.failed(
                            type_text,
                            ("OverflowError", "int too large to convert to float".into()),
                        ));
                    }
                    i as f64
                }
                (_, C::Float(f)) => f,
                (_, C::Bool(b)) => b as u8 as f64,
                (_, C::Null | C::Missing) => f64::NAN,
                (_, C::Str(s)) => {
                    pyconv::py_float_from_str(s).map_err(|e| ctx.failed(type_text, e))?
                }
                (_, C::Nested(Value::Dict(_))) => {
                    return Err(ctx.failed(
                        type_text,
                        (
                            "TypeError",
                            "float() argument must be a string or a real number, not 'dict'".into(),
                        ),
                    ))
                }
                (_, C::Nested(_)) => {
                    return Err(ctx.failed(
                        type_text,
                        (
                            "ValueError",
                            "setting an array element with a sequence.".into(),
                        ),
                    ))
                }
            };
            out.push(v);
        }
        let a = k.array(out);
        Ok((field(ctx.label, &a, &[]), a))
    }

    fn cast_binary(
        self,
        ctx: &Ctx<'_>,
        type_text: &str,
        base64: bool,
    ) -> Result<(Field, ArrayRef), RequestError> {
        let mut out: Vec<Vec<u8>> = Vec::with_capacity(self.len());
        for (row, c) in self.iter().enumerate() {
            let C::Str(s) = c else {
                return Err(ctx.failed(
                    type_text,
                    ("TypeError", "encoding without a string argument".into()),
                ));
            };
            if !base64 {
                out.push(s.as_bytes().to_vec());
                continue;
            }
            let decoded = pyconv::b64_decodebytes(s).map_err(|e| ctx.failed(type_text, e))?;
            if ctx.strict()
                && s.bytes()
                    .any(|b| !(pyconv::is_b64_char(b) || b == b'=' || b.is_ascii_whitespace()))
            {
                return Err(ctx.refuse(
                    row,
                    c,
                    "is not valid base64; refusing to skip its non-base64 characters",
                ));
            }
            out.push(decoded);
        }
        let a: ArrayRef = Arc::new(BinaryArray::from_iter_values(out.iter()));
        Ok((field(ctx.label, &a, &[]), a))
    }

    fn cast_datetime(
        self,
        ctx: &Ctx<'_>,
        unit: TimeUnit,
        type_text: &str,
    ) -> Result<(Field, ArrayRef), RequestError> {
        let jt = self.jtype();
        if jt == JType::Bool {
            return Err(ctx.failed(
                type_text,
                (
                    "TypeError",
                    format!("dtype bool cannot be converted to {type_text}"),
                ),
            ));
        }
        let mut out: Vec<Option<i64>> = Vec::with_capacity(self.len());
        let mut tz: Option<Option<i32>> = None;
        for (row, c) in self.iter().enumerate() {
            if ctx.strict()
                && matches!(c, C::Int(_) | C::Float(_))
                && !matches!(c, C::Float(f) if f.is_nan())
            {
                return Err(ctx.refuse(row, c, "is a number, not a datetime; refusing to read it as nanoseconds since the epoch"));
            }
            let v = match c {
                C::Null | C::Missing => None,
                C::Float(f) if f.is_nan() => None,
                C::Int(i) => Some(i as i64),
                C::Float(f) => Some(f.trunc() as i64),
                C::Str(s) => {
                    let (ns, off) =
                        pyconv::pandas_datetime(s).map_err(|e| ctx.failed(type_text, e))?;
                    if ns.is_some() {
                        match tz {
                            None => tz = Some(off),
                            Some(prev) if prev != off => {
                                return Err(ctx.failed(
                                    type_text,
                                    ("ValueError", "Mixed timezones detected. Pass utc=True in to_datetime or tz='UTC' in DatetimeIndex to convert to a common timezone.".into()),
                                ))
                            }
                            _ => {}
                        }
                    }
                    ns
                }
                C::Bool(_) => {
                    return Err(ctx.failed(
                        type_text,
                        (
                            "TypeError",
                            "<class 'bool'> is not convertible to datetime".into(),
                        ),
                    ))
                }
                C::Nested(v) => {
                    return Err(ctx.failed(
                        type_text,
                        (
                            "TypeError",
                            format!("<class '{}'> is not convertible to datetime", v.type_name()),
                        ),
                    ))
                }
            };
            out.push(v);
        }
        let divisor = match unit {
            TimeUnit::Nano => 1,
            TimeUnit::Micro => 1_000,
            TimeUnit::Milli => 1_000_000,
            _ => 1_000_000_000,
        };
        let values: Vec<Option<i64>> = out
            .into_iter()
            .map(|v| v.map(|n| n.div_euclid(divisor)))
            .collect();
        let tzname = tz.flatten().map(pyconv::tz_name);
        let unit = match unit {
            TimeUnit::Nano | TimeUnit::Micro | TimeUnit::Milli => unit,
            _ => TimeUnit::Second,
        };
        let a = signet::numpy::timestamp_array(unit, tzname.as_deref(), values);
        Ok((field(ctx.label, &a, &[]), a))
    }

    fn cast_composite(
        self,
        ctx: &Ctx<'_>,
        ty: &ColType,
        required: bool,
    ) -> Result<(Field, ArrayRef), RequestError> {
        let type_text = coltype_repr(ty);
        let mut out = Vec::with_capacity(self.len());
        for c in self.iter() {
            let v = composite::enforce(c.to_value(), ty, required, ctx.compat)
                .map_err(|m| ctx.failed(&type_text, ("MlflowException", m)))?;
            out.push(v);
        }
        Ok(object_field(ctx.label, &out))
    }

    fn cast_tensor(self, ctx: &Ctx<'_>, d: NumpyDtype) -> Result<(Field, ArrayRef), RequestError> {
        let type_text = match d {
            NumpyDtype::Str => "<U0".to_string(),
            NumpyDtype::Bytes => "|S0".to_string(),
            other => other.name(),
        };
        if d == NumpyDtype::Bytes {
            return self.cast_binary(ctx, &type_text, false);
        }
        if self.len() == 0 {
            return Err(ctx.failed(
                &type_text,
                (
                    "IndexError",
                    "single positional indexer is out-of-bounds".into(),
                ),
            ));
        }
        if matches!(self.get(0), C::Nested(Value::List(_))) {
            return Ok(self.natural(ctx.label));
        }
        if let Some(k) = IntKind::of(d) {
            return self.cast_int(ctx, k, &type_text);
        }
        match d {
            NumpyDtype::Bool => self.cast_bool(ctx, &type_text),
            NumpyDtype::Float16 => self.cast_float(ctx, FloatKind::F16),
            NumpyDtype::Float32 => self.cast_float(ctx, FloatKind::F32),
            NumpyDtype::Float64 => self.cast_float(ctx, FloatKind::F64),
            NumpyDtype::Object => {
                let jt = self.jtype();
                let values: Vec<Value> = self.iter().map(|c| typed_value(jt, c)).collect();
                Ok(object_field(ctx.label, &values))
            }
            NumpyDtype::Str => {
                let jt = self.jtype();
                if ctx.strict() {
                    for (row, c) in self.iter().enumerate() {
                        if !matches!(c, C::Str(_) | C::Null | C::Missing) {
                            return Err(ctx.refuse(row, c, "is not a string"));
                        }
                    }
                }
                let values: Vec<Option<String>> = self
                    .iter()
                    .map(|c| match typed_value(jt, c) {
                        v if v.is_missing() => None,
                        v => Some(signet::repr::py_str_of(&v)),
                    })
                    .collect();
                let a: ArrayRef = Arc::new(StringArray::from(values));
                Ok((field(ctx.label, &a, &[]), a))
            }
            NumpyDtype::Datetime64(u) => self.cast_datetime(ctx, u, &type_text),
            _ => Err(ctx.failed(
                &type_text,
                (
                    "TypeError",
                    format!("Cannot cast array data to dtype('{type_text}')"),
                ),
            )),
        }
    }
}

/// The float a cell takes in a float64 column (null and NaN fillers are NaN).
fn as_f64(c: C<'_>) -> f64 {
    match c {
        C::Int(i) => i as f64,
        C::Float(f) => f,
        _ => f64::NAN,
    }
}

/// The Python value a cell has once its column is typed (`tolist()` of the typed column).
fn typed_value(jt: JType, c: C<'_>) -> Value {
    match jt {
        JType::Float64 => Value::Float(as_f64(c)),
        JType::Str => match c {
            C::Str(s) => Value::str(s),
            _ => Value::Float(f64::NAN),
        },
        _ => c.to_value(),
    }
}

/// numpy's C cast of a float to an integer dtype (x86: out-of-range values become the
/// minimum of the target's C type).
fn float_to_int(f: f64, k: IntKind) -> i128 {
    let t = f.trunc();
    let (lo, hi) = if k.bits == 64 && !k.signed {
        (0.0, 18_446_744_073_709_551_615.0)
    } else if k.bits <= 32 {
        (i32::MIN as f64, i32::MAX as f64)
    } else {
        (i64::MIN as f64, i64::MAX as f64)
    };
    if t.is_nan() || t < lo || t > hi {
        return if k.bits <= 32 {
            k.wrap(i32::MIN as i128)
        } else {
            k.wrap(i64::MIN as i128)
        };
    }
    k.wrap(t as i128)
}

/// Assembles a record batch from finished columns.
pub(crate) fn batch(
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
    rows: usize,
) -> Result<RecordBatch, RequestError> {
    RecordBatch::try_new_with_options(
        Arc::new(ArrowSchema::new(fields)),
        arrays,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )
    .map_err(|e| RequestError::invalid_input(format!("Failed to build the data frame: {e}")))
}

/// Finishes every column of a table with its target.
pub(crate) fn finish_table(
    t: TableBuilder,
    labels: &[ColumnName],
    schema: Option<&Schema>,
    compat: Compat,
) -> Result<RecordBatch, RequestError> {
    let targets = targets(labels, schema);
    let rows = t.rows;
    // MLflow casts in the schema's order (`cast_df_types_according_to_schema` zips
    // `input_names()`), so of several failing columns the first in the schema is reported.
    let names = schema
        .filter(|s| s.has_input_names())
        .map(|s| s.input_names());
    let first_at: Option<HashMap<&ColumnName, usize>> = names.as_ref().map(|names| {
        let mut at = HashMap::with_capacity(names.len());
        for (i, n) in names.iter().enumerate() {
            at.entry(n).or_insert(i);
        }
        at
    });
    let rank = |i: usize, label: &ColumnName| match &first_at {
        Some(at) => at.get(label).copied().unwrap_or(usize::MAX),
        None => i,
    };
    let mut fields = Vec::with_capacity(labels.len());
    let mut arrays = Vec::with_capacity(labels.len());
    let mut first_error: Option<(usize, RequestError)> = None;
    for (i, ((col, label), target)) in t.cols.into_iter().zip(labels).zip(targets).enumerate() {
        let ctx = Ctx { label, compat };
        match col.finish(&ctx, target) {
            Ok((f, a)) => {
                fields.push(f);
                arrays.push(a);
            }
            Err(e) => {
                let r = rank(i, label);
                if first_error.as_ref().is_none_or(|(best, _)| r < *best) {
                    first_error = Some((r, e));
                }
            }
        }
    }
    if let Some((_, e)) = first_error {
        return Err(e);
    }
    batch(fields, arrays, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_follows_pandas() {
        let mut b = ColumnBuilder::new();
        b.push_int(1);
        b.push_null();
        assert_eq!(b.jtype(), JType::Float64);
        let mut b = ColumnBuilder::new();
        b.push_str("a");
        b.push_null();
        assert_eq!(b.jtype(), JType::Str);
        let mut b = ColumnBuilder::new();
        b.push_bool(true);
        b.push_int(2);
        assert_eq!(b.jtype(), JType::Object);
        let mut b = ColumnBuilder::new();
        b.push_null();
        assert_eq!(b.jtype(), JType::Object);
        let mut b = ColumnBuilder::new();
        b.push_big(1 << 63);
        b.push_int(1);
        assert_eq!(b.jtype(), JType::UInt64);
        b.push_int(-1);
        assert_eq!(b.jtype(), JType::Object);
    }

    #[test]
    fn int_kinds() {
        let k = IntKind {
            bits: 32,
            signed: true,
        };
        assert_eq!(k.wrap(3_000_000_000), -1_294_967_296);
        assert_eq!(
            k.check_py_int(3_000_000_000).unwrap_err().1,
            "Python integer 3000000000 out of bounds for int32"
        );
        let k = IntKind {
            bits: 64,
            signed: true,
        };
        assert_eq!(
            k.check_py_int(1 << 63).unwrap_err().1,
            "Python int too large to convert to C long"
        );
        let k = IntKind {
            bits: 8,
            signed: false,
        };
        assert_eq!(
            k.check_py_int(256).unwrap_err().1,
            "Python integer 256 out of bounds for uint8"
        );
    }
}
