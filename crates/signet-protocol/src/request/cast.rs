//! MLflow's schema cast of parsed JSON columns (`cast_df_types_according_to_schema`, §5.5):
//! each column's target from the schema, and the column finished into an Arrow array with
//! pandas' `astype` semantics (errors and strict mode's refusals naming column and row).

use super::columns::{ColumnBuilder, Data, JType, TableBuilder, C};
use super::composite;
use super::numkind::{float_to_int, py_type_error_int, FloatKind, IntKind};
use super::pyconv::{self, PyErr};
use super::text::exc_repr;
use super::RequestError;
use arrow_array::{
    ArrayRef, BinaryArray, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray,
    UInt64Array,
};
use arrow_schema::Field;
use signet::enforce::Compat;
use signet::repr::{coltype_repr, column_name};
use signet::table;
use signet::types::{ColType, ColumnName, DataType, NumpyDtype, Schema, SchemaKind, TimeUnit};
use signet::value::Value;
use std::collections::HashMap;
use std::sync::Arc;

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

/// The Arrow field of a finished column (an integer label is recorded in the metadata).
pub(crate) fn field(label: &ColumnName, array: &ArrayRef, meta: &[(&str, &str)]) -> Field {
    table::labelled_field(label, array.data_type().clone(), meta)
}

/// A column cast to its target: its field and array, or MLflow's refusal.
type Finished = Result<(Field, ArrayRef), RequestError>;

/// A finished column without pandas metadata.
fn plain_column(label: &ColumnName, a: ArrayRef) -> (Field, ArrayRef) {
    (field(label, &a, &[]), a)
}

fn object_field(label: &ColumnName, values: &[Value]) -> (Field, ArrayRef) {
    let (f, a) = table::object_column(&label.as_text(), values);
    (table::with_label(f, label), a)
}

const INT_NAN: &str = "Cannot convert non-finite values (NA or inf) to integer. Replace or remove non-finite values or cast to an integer type that supports these values (e.g. 'Int64')";

impl ColumnBuilder {
    /// The column without a cast: pandas' typing of the JSON values.
    fn natural(self, label: &ColumnName) -> (Field, ArrayRef) {
        let a: ArrayRef = match self.jtype() {
            JType::Int64 => match self.data {
                Data::Ints(v) => Arc::new(Int64Array::from(v)),
                _ => Arc::new(Int64Array::from_iter_values(self.iter().map(|c| match c {
                    C::Int(i) => i as i64,
                    _ => 0,
                }))),
            },
            JType::UInt64 => Arc::new(UInt64Array::from_iter_values(self.iter().map(
                |c| match c {
                    C::Int(i) => i as u64,
                    _ => 0,
                },
            ))),
            JType::Float64 => match self.data {
                Data::Floats(v) => Arc::new(Float64Array::from(v)),
                _ => Arc::new(Float64Array::from_iter_values(self.iter().map(as_f64))),
            },
            JType::Bool => Arc::new(BooleanArray::from(
                self.iter()
                    .map(|c| matches!(c, C::Bool(true)))
                    .collect::<Vec<_>>(),
            )),
            JType::Str => Arc::new(StringArray::from_iter(self.iter().map(|c| match c {
                C::Str(s) => Some(s),
                _ => None,
            }))),
            JType::Object => {
                let values: Vec<Value> = self.iter().map(C::to_value).collect();
                return object_field(label, &values);
            }
        };
        plain_column(label, a)
    }

    /// Strict mode's refusal of the first cell that is not a string (or a missing value).
    fn refuse_non_strings(&self, ctx: &Ctx<'_>) -> Result<(), RequestError> {
        if ctx.strict() {
            for (row, c) in self.iter().enumerate() {
                if !matches!(c, C::Str(_) | C::Null | C::Missing) {
                    return Err(ctx.refuse(row, c, "is not a string"));
                }
            }
        }
        Ok(())
    }

    /// The column cast to `target` (`cast_df_types_according_to_schema`).
    pub fn finish(self, ctx: &Ctx<'_>, target: Target<'_>) -> Finished {
        match target {
            Target::None => Ok(self.natural(ctx.label)),
            Target::Scalar(t) => self.cast_scalar(ctx, t),
            Target::Composite(ty, required) => self.cast_composite(ctx, ty, required),
            Target::Tensor(d) => self.cast_tensor(ctx, d),
        }
    }

    fn cast_scalar(self, ctx: &Ctx<'_>, t: DataType) -> Finished {
        let label = ctx.label;
        match t {
            DataType::Boolean => self.cast_bool(ctx),
            DataType::Integer => self.cast_int(
                ctx,
                IntKind {
                    bits: 32,
                    signed: true,
                },
            ),
            DataType::Long => self.cast_int(
                ctx,
                IntKind {
                    bits: 64,
                    signed: true,
                },
            ),
            DataType::Float => self.cast_float(ctx, FloatKind::F32),
            DataType::Double => self.cast_float(ctx, FloatKind::F64),
            DataType::String => {
                self.refuse_non_strings(ctx)?;
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

    fn cast_bool(self, ctx: &Ctx<'_>) -> Finished {
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
        Ok(plain_column(ctx.label, Arc::new(BooleanArray::from(out))))
    }

    fn cast_int(self, ctx: &Ctx<'_>, k: IntKind) -> Finished {
        let type_text = k.name();
        let refuse_name = match (k.bits, k.signed) {
            (64, true) => "long".to_string(),
            (32, true) => "integer".to_string(),
            _ => k.name(),
        };
        // Fast path: a column of i64 values cast to int64.
        if k.bits == 64 && k.signed {
            if let Data::Ints(v) = self.data {
                return Ok(plain_column(ctx.label, Arc::new(Int64Array::from(v))));
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
        Ok(plain_column(ctx.label, k.array(out)))
    }

    fn cast_float(self, ctx: &Ctx<'_>, k: FloatKind) -> Finished {
        let type_text = k.name();
        if k == FloatKind::F64 {
            if let Data::Floats(v) = self.data {
                return Ok(plain_column(ctx.label, Arc::new(Float64Array::from(v))));
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
        Ok(plain_column(ctx.label, k.array(out)))
    }

    fn cast_binary(self, ctx: &Ctx<'_>, type_text: &str, base64: bool) -> Finished {
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
        Ok(plain_column(
            ctx.label,
            Arc::new(BinaryArray::from_iter_values(out.iter())),
        ))
    }

    fn cast_datetime(self, ctx: &Ctx<'_>, unit: TimeUnit, type_text: &str) -> Finished {
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
        Ok(plain_column(
            ctx.label,
            signet::numpy::timestamp_array(unit, tzname.as_deref(), values),
        ))
    }

    fn cast_composite(self, ctx: &Ctx<'_>, ty: &ColType, required: bool) -> Finished {
        let type_text = coltype_repr(ty);
        let mut out = Vec::with_capacity(self.len());
        for c in self.iter() {
            let v = composite::enforce(c.to_value(), ty, required, ctx.compat)
                .map_err(|m| ctx.failed(&type_text, ("MlflowException", m)))?;
            out.push(v);
        }
        Ok(object_field(ctx.label, &out))
    }

    fn cast_tensor(self, ctx: &Ctx<'_>, d: NumpyDtype) -> Finished {
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
            return self.cast_int(ctx, k);
        }
        match d {
            NumpyDtype::Bool => self.cast_bool(ctx),
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
                self.refuse_non_strings(ctx)?;
                let values: Vec<Option<String>> = self
                    .iter()
                    .map(|c| match typed_value(jt, c) {
                        v if v.is_missing() => None,
                        v => Some(signet::repr::py_str_of(&v)),
                    })
                    .collect();
                Ok(plain_column(ctx.label, Arc::new(StringArray::from(values))))
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

/// Assembles a record batch from finished columns.
pub(crate) fn batch(
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
    rows: usize,
) -> Result<RecordBatch, RequestError> {
    signet::table::frame_of(fields, arrays, rows)
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
    fn int_kinds() {
        let int32 = IntKind {
            bits: 32,
            signed: true,
        };
        assert_eq!(int32.wrap(3_000_000_000), -1_294_967_296);
        for (bits, signed, value, message) in [
            (
                32,
                true,
                3_000_000_000,
                "Python integer 3000000000 out of bounds for int32",
            ),
            (
                64,
                true,
                1 << 63,
                "Python int too large to convert to C long",
            ),
            (8, false, 256, "Python integer 256 out of bounds for uint8"),
        ] {
            let k = IntKind { bits, signed };
            assert_eq!(k.check_py_int(value).unwrap_err().1, message, "{value}");
        }
    }
}
