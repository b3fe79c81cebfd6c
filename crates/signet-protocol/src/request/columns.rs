//! Table construction for `dataframe_split` / `dataframe_records`: per-column builders fed cell
//! by cell (from the byte scanner or from a parsed [`Value`]) and pandas' column typing of JSON
//! values (docs/serving.md#json-column-typing). MLflow's schema cast of the finished columns
//! into Arrow arrays is in [`super::cast`].
//!
//! A column that only ever receives integers (or only floats) is kept as a plain `Vec<i64>`
//! (`Vec<f64>`) and handed to Arrow without copying; any other mix falls back to a compact
//! [`Cell`] vector that remembers exactly what the JSON held, which the casts need.

use signet::pyjson::float_repr;
use signet::repr::{py_repr, py_str};
use signet::types::ColumnName;
use signet::value::Value;
use std::collections::HashMap;

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
    #[inline]
    pub(crate) fn to_value(self) -> Value {
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
    pub(crate) fn repr(self) -> String {
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
    pub(crate) fn type_name(self) -> &'static str {
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

/// A column's cells: plain vectors while the column is all integers (all floats), else cells.
pub(crate) enum Data {
    Ints(Vec<i64>),
    Floats(Vec<f64>),
    Cells(Vec<Cell>),
}

/// Accumulates one column's cells.
pub(crate) struct ColumnBuilder {
    pub(crate) data: Data,
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

    #[inline]
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

    /// Cell `i` with its payload resolved.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> C<'_> {
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

    /// The cells in order.
    #[inline]
    pub(crate) fn iter(&self) -> impl Iterator<Item = C<'_>> + '_ {
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
}
