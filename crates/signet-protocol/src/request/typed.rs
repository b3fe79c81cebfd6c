//! `inputs` / `instances` read straight from the bytes into typed tensors when the schema says
//! what every element becomes (docs/serving.md#inputs-and-instances), without the [`Value`]
//! tree and the per-element numpy conversion of [`super::tf`].
//!
//! Only shapes whose outcome is certain are taken: a nested list of plain scalars against one
//! spec, a dict of such lists against named specs, and `instances` records whose every key is a
//! scalar column. Each element is converted exactly as [`super::numpy`]'s `np.array(..., dtype)`
//! converts it. Anything else — an element that would fail or be refused, a ragged or empty
//! list, a key the schema does not type, a repeated key, `null` — makes the reader give up
//! (`None`), and the caller reads the value again through the general path, which produces
//! MLflow's result or message. So this path only ever returns what the general one would.
//!
//! [`Value`]: signet::value::Value

use super::pyconv;
use super::scan::{Num, Scanner};
use super::tf::{datatype_numpy, first_spec, SpecRef, Types};
use arrow_array::{
    ArrayRef, BooleanArray, Float32Array, Float64Array, Int16Array, Int32Array, Int64Array,
    Int8Array, StringArray, UInt16Array, UInt32Array, UInt64Array, UInt8Array,
};
use signet::enforce::Compat;
use signet::input::{ModelInput, Tensor, TensorData};
use signet::types::{ColType, NumpyDtype, Schema, TimeUnit};
use std::collections::HashMap;
use std::sync::Arc;

/// Deepest nesting read here (numpy allows 64 dimensions; deeper goes the general way).
const MAX_DIMS: usize = 32;

/// What the elements of one tensor become, and where they go.
enum Buf {
    /// An integer dtype (values checked to fit it).
    Int(NumpyDtype, Vec<i64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
    Bool(Vec<bool>),
    Str(Vec<(u32, u32)>, String),
    /// `datetime64[ns]`; `nat` says whether NaT elements are allowed (a direct array) or not
    /// (a record cell, which numpy would turn into an `object` column).
    Ns(Vec<Option<i64>>, bool),
}

impl Buf {
    /// A buffer for `dtype`, `None` for the dtypes this reader leaves to the general path.
    fn of(dtype: NumpyDtype, nat: bool) -> Option<Buf> {
        use NumpyDtype as D;
        Some(match dtype {
            D::Int8
            | D::Int16
            | D::Int32
            | D::Int64
            | D::UInt8
            | D::UInt16
            | D::UInt32
            | D::UInt64 => Buf::Int(dtype, Vec::new()),
            D::Float32 => Buf::F32(Vec::new()),
            D::Float64 => Buf::F64(Vec::new()),
            D::Bool => Buf::Bool(Vec::new()),
            D::Str => Buf::Str(Vec::new(), String::new()),
            D::Datetime64(TimeUnit::Nano) => Buf::Ns(Vec::new(), nat),
            _ => return None,
        })
    }

    fn len(&self) -> usize {
        match self {
            Buf::Int(_, v) => v.len(),
            Buf::F32(v) => v.len(),
            Buf::F64(v) => v.len(),
            Buf::Bool(v) => v.len(),
            Buf::Str(v, _) => v.len(),
            Buf::Ns(v, _) => v.len(),
        }
    }

    /// Reads one scalar element at the cursor (whitespace skipped) and stores it converted;
    /// `None` when the element is not one this reader converts with certainty.
    #[inline]
    fn push(&mut self, sc: &mut Scanner<'_>, strict: bool) -> Option<()> {
        sc.ws();
        match sc.peek()? {
            b'"' => {
                let s = sc.string().ok()?;
                match self {
                    Buf::Str(spans, arena) => {
                        spans.push((arena.len() as u32, s.len() as u32));
                        arena.push_str(&s);
                    }
                    Buf::Ns(v, nat) => v.push(datetime_ns(&s, strict, *nat)?),
                    _ => return None,
                }
            }
            b't' | b'f' => {
                let Buf::Bool(v) = self else { return None };
                let rest = &sc.s[sc.i..];
                if rest.starts_with(b"true") {
                    sc.i += 4;
                    v.push(true);
                } else if rest.starts_with(b"false") {
                    sc.i += 5;
                    v.push(false);
                } else {
                    return None;
                }
            }
            b'-' | b'0'..=b'9' | b'N' | b'I' => {
                let num = match sc.special() {
                    Some(f) => Num::Float(f),
                    None => sc.number().ok()?,
                };
                self.push_number(num, strict)?;
            }
            _ => return None,
        }
        Some(())
    }

    /// numpy's conversion of a Python int or float into this dtype (`convert_leaf`), where it
    /// succeeds without a refusal.
    #[inline]
    fn push_number(&mut self, num: Num, strict: bool) -> Option<()> {
        match (self, num) {
            (Buf::Int(d, v), Num::Int(i)) => {
                let (lo, hi) = int_bounds(*d);
                if (i as i128) < lo || (i as i128) > hi {
                    return None;
                }
                v.push(i);
            }
            (Buf::F64(v), Num::Int(i)) => {
                let f = i as f64;
                if strict && f as i128 != i as i128 {
                    return None;
                }
                v.push(f);
            }
            (Buf::F64(v), Num::Float(f)) => v.push(f),
            (Buf::F32(v), Num::Int(i)) => {
                let f = i as f64;
                if strict && (f as f32) as i128 != i as i128 {
                    return None;
                }
                v.push(f as f32);
            }
            (Buf::F32(v), Num::Float(f)) => {
                let x = f as f32;
                if strict && f.is_finite() && x.is_infinite() {
                    return None;
                }
                v.push(x);
            }
            _ => return None,
        }
        Some(())
    }

    /// The elements as the Arrow array `np.array` builds for this dtype.
    fn finish(self) -> (NumpyDtype, TensorData) {
        macro_rules! ints {
            ($v:expr, $t:ty, $a:ty) => {
                Arc::new(<$a>::from(
                    $v.into_iter().map(|x| x as $t).collect::<Vec<$t>>(),
                )) as ArrayRef
            };
        }
        use NumpyDtype as D;
        let (d, a): (NumpyDtype, ArrayRef) = match self {
            Buf::Int(d, v) => (
                d,
                match d {
                    D::Int8 => ints!(v, i8, Int8Array),
                    D::Int16 => ints!(v, i16, Int16Array),
                    D::Int32 => ints!(v, i32, Int32Array),
                    D::UInt8 => ints!(v, u8, UInt8Array),
                    D::UInt16 => ints!(v, u16, UInt16Array),
                    D::UInt32 => ints!(v, u32, UInt32Array),
                    D::UInt64 => ints!(v, u64, UInt64Array),
                    _ => Arc::new(Int64Array::from(v)),
                },
            ),
            Buf::F32(v) => (D::Float32, Arc::new(Float32Array::from(v))),
            Buf::F64(v) => (D::Float64, Arc::new(Float64Array::from(v))),
            Buf::Bool(v) => (D::Bool, Arc::new(BooleanArray::from(v))),
            Buf::Str(spans, arena) => (
                D::Str,
                Arc::new(StringArray::from(
                    spans
                        .iter()
                        .map(|&(s, n)| &arena[s as usize..(s + n) as usize])
                        .collect::<Vec<&str>>(),
                )),
            ),
            Buf::Ns(v, _) => (
                D::Datetime64(TimeUnit::Nano),
                signet::numpy::timestamp_array(TimeUnit::Nano, None, v),
            ),
        };
        (d, TensorData::Arrow(a))
    }
}

/// The value range of an integer dtype (int64's for any other).
fn int_bounds(d: NumpyDtype) -> (i128, i128) {
    d.int_bounds().unwrap_or((i64::MIN.into(), i64::MAX.into()))
}

/// A string stored into `datetime64[ns]` (numpy's parse), where it succeeds without a refusal.
fn datetime_ns(s: &str, strict: bool, nat: bool) -> Option<Option<i64>> {
    if strict {
        if s.is_empty() {
            return None;
        }
        if let Ok(p) = pyconv::parse_iso(s) {
            if i64::try_from(p.epoch_nanos()).is_err() {
                return None;
            }
        }
    }
    let ns = pyconv::numpy_datetime_ns(s).ok()?;
    if ns.is_none() && !nat {
        return None;
    }
    Some(ns)
}

/// Reads a rectangular, non-empty nested list of scalars at the cursor into `buf`; returns its
/// shape. `None` for anything else (the cursor is then somewhere inside the value).
fn nd_list(sc: &mut Scanner<'_>, buf: &mut Buf, strict: bool) -> Option<Vec<usize>> {
    let mut shape: Vec<Option<usize>> = Vec::new();
    let mut leaf_depth: Option<usize> = None;
    list_at(sc, buf, strict, 0, &mut shape, &mut leaf_depth)?;
    let depth = leaf_depth?;
    shape.truncate(depth);
    shape.into_iter().collect()
}

fn list_at(
    sc: &mut Scanner<'_>,
    buf: &mut Buf,
    strict: bool,
    depth: usize,
    shape: &mut Vec<Option<usize>>,
    leaf_depth: &mut Option<usize>,
) -> Option<()> {
    if depth >= MAX_DIMS {
        return None;
    }
    sc.ws();
    if sc.peek() != Some(b'[') {
        return None;
    }
    sc.i += 1;
    sc.ws();
    if sc.peek() == Some(b']') {
        return None;
    }
    let mut count = 0usize;
    loop {
        sc.ws();
        if sc.peek() == Some(b'[') {
            if leaf_depth.is_some_and(|d| d <= depth + 1) {
                return None;
            }
            list_at(sc, buf, strict, depth + 1, shape, leaf_depth)?;
        } else {
            match *leaf_depth {
                None => *leaf_depth = Some(depth + 1),
                Some(d) if d != depth + 1 => return None,
                _ => {}
            }
            buf.push(sc, strict)?;
        }
        count += 1;
        if !sc.sep(b']').ok()? {
            break;
        }
    }
    if shape.len() <= depth {
        shape.resize(depth + 1, None);
    }
    match shape[depth] {
        None => shape[depth] = Some(count),
        Some(n) if n != count => return None,
        _ => {}
    }
    Some(())
}

/// `np.array(data, dtype)` of the nested list at the cursor.
pub(crate) fn nd_array(sc: &mut Scanner<'_>, dtype: NumpyDtype, strict: bool) -> Option<Tensor> {
    let mut buf = Buf::of(dtype, true)?;
    let shape = nd_list(sc, &mut buf, strict)?;
    let (dtype, data) = buf.finish();
    Some(Tensor { dtype, shape, data })
}

/// The dtype `convert_data_type` gives a list under `spec`, when it is an ndarray of one.
fn list_dtype(spec: SpecRef<'_>) -> Option<NumpyDtype> {
    match spec {
        SpecRef::Tensor(t) => Some(t.dtype),
        SpecRef::Col(c) => match &c.ty {
            ColType::Scalar(t) => Some(datatype_numpy(*t)),
            _ => None,
        },
    }
}

/// Reads the value of an `inputs` (`instances` when `instances`) key at the cursor as the
/// model input MLflow's `_cast_schema_type` (and `parse_instances_data`) would give, when that
/// is certain; `None` otherwise (the cursor is then anywhere: the caller rewinds).
pub(crate) fn read(
    sc: &mut Scanner<'_>,
    schema: Option<&Schema>,
    compat: Compat,
    instances: bool,
) -> Option<ModelInput> {
    let schema = schema?;
    let strict = compat == Compat::Strict;
    sc.ws();
    match sc.peek()? {
        b'[' => {
            let after = sc.s[sc.i + 1..]
                .iter()
                .copied()
                .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))?;
            if after == b'{' {
                return if instances {
                    records(sc, schema, strict)
                } else {
                    None
                };
            }
            let types = Types::of(Some(schema));
            if types.list.len() == 1 {
                // One named input: the list is that input's value.
                let (name, spec) = &types.list[0];
                let t = nd_array(sc, list_dtype(*spec)?, strict)?;
                return Some(ModelInput::TensorDict(vec![(name.clone(), t)]));
            }
            let t = nd_array(sc, list_dtype(first_spec(Some(schema))?)?, strict)?;
            Some(ModelInput::Tensor(t))
        }
        b'{' => columns(sc, schema, strict, instances),
        _ => None,
    }
}

/// A dict of lists against named specs: one ndarray per key.
fn columns(
    sc: &mut Scanner<'_>,
    schema: &Schema,
    strict: bool,
    instances: bool,
) -> Option<ModelInput> {
    if !schema.has_input_names() {
        return None;
    }
    let types = Types::of(Some(schema));
    let mut out: Vec<(String, Tensor)> = Vec::new();
    let mut seen: HashMap<String, ()> = HashMap::new();
    sc.i += 1;
    loop {
        sc.ws();
        if sc.peek() != Some(b'"') {
            return None;
        }
        let key = sc.string().ok()?.into_owned();
        sc.eat(b':').ok()?;
        let spec = types.map.get(&key).copied()?;
        let t = nd_array(sc, list_dtype(spec)?, strict)?;
        if seen.insert(key.clone(), ()).is_some() {
            return None;
        }
        out.push((key, t));
        if !sc.sep(b'}').ok()? {
            break;
        }
    }
    if instances {
        // `parse_instances_data` compares the lengths of the required inputs: only equal
        // lengths are taken here.
        let first = out.first()?.1.shape[0];
        if out.iter().any(|(_, t)| t.shape[0] != first) {
            return None;
        }
    }
    Some(ModelInput::TensorDict(out))
}

/// `instances` records whose every key is a scalar column of the schema and present in every
/// record: one 1-D ndarray per column, in first-seen key order.
fn records(sc: &mut Scanner<'_>, schema: &Schema, strict: bool) -> Option<ModelInput> {
    let types = Types::of(Some(schema));
    let mut keys: Vec<String> = Vec::new();
    let mut bufs: Vec<Buf> = Vec::new();
    let mut col_of: HashMap<String, usize> = HashMap::new();
    sc.i += 1;
    let mut row = 0usize;
    loop {
        sc.ws();
        if sc.peek() != Some(b'{') {
            return None;
        }
        sc.i += 1;
        let mut cells = 0usize;
        sc.ws();
        if sc.peek() == Some(b'}') {
            return None;
        }
        loop {
            sc.ws();
            if sc.peek() != Some(b'"') {
                return None;
            }
            let key = sc.string().ok()?;
            sc.eat(b':').ok()?;
            let j = match col_of.get(key.as_ref()) {
                Some(&j) => j,
                None => {
                    if row > 0 {
                        return None;
                    }
                    let SpecRef::Col(c) = types.map.get(key.as_ref()).copied()? else {
                        return None;
                    };
                    let ColType::Scalar(t) = c.ty else {
                        return None;
                    };
                    let j = keys.len();
                    col_of.insert(key.to_string(), j);
                    keys.push(key.into_owned());
                    bufs.push(Buf::of(datatype_numpy(t), false)?);
                    j
                }
            };
            // A key repeated within a record shows as a column one cell ahead.
            if bufs[j].len() != row {
                return None;
            }
            bufs[j].push(sc, strict)?;
            cells += 1;
            if !sc.sep(b'}').ok()? {
                break;
            }
        }
        if cells != keys.len() {
            return None;
        }
        row += 1;
        if !sc.sep(b']').ok()? {
            break;
        }
    }
    Some(ModelInput::TensorDict(
        keys.into_iter()
            .zip(bufs)
            .map(|(k, b)| {
                let (dtype, data) = b.finish();
                (
                    k,
                    Tensor {
                        dtype,
                        shape: vec![row],
                        data,
                    },
                )
            })
            .collect(),
    ))
}
