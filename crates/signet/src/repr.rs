//! Python renderings MLflow embeds in its messages: `repr` of strings and values, and the
//! text forms of dates, bytes and numbers.

pub use crate::pyjson::float32_repr;
use crate::pyjson::float_repr;
use crate::types::{
    ColSpec, ColType, ColumnName, ModelSignature, NumpyDtype, ObjectType, ParamSchema, ParamShape,
    ParamSpec, ParamType, Property, Schema, SchemaKind, TensorSpec, TimeUnit,
};
use crate::value::Value;
use chrono::{NaiveDateTime, Timelike};

/// Python `repr` of a string: single quotes unless the text contains `'` and no `"`.
pub fn py_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python `repr` of a column label: `'sqft'` or bare `0`.
pub fn column_name(name: &ColumnName) -> String {
    match name {
        ColumnName::Str(s) => py_str(s),
        ColumnName::Int(i) => i.to_string(),
    }
}

/// Python `repr` of bytes: `b'ab\x00'`.
pub fn py_bytes(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from("b");
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{:02x}", c)),
        }
    }
    out.push(quote);
    out
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard, padded base64 without line breaks (`base64.b64encode`).
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let v = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(B64[((v >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Base64 with MIME line breaks, as Python's `base64.encodebytes` (a `\n` after every 76
/// characters and at the end).
pub fn base64_mime(b: &[u8]) -> String {
    let flat = base64_encode(b);
    let mut out = String::with_capacity(flat.len() + flat.len() / 76 + 1);
    for (i, c) in flat.chars().enumerate() {
        if i > 0 && i % 76 == 0 {
            out.push('\n');
        }
        out.push(c);
    }
    if !b.is_empty() {
        out.push('\n');
    }
    out
}

/// `datetime.isoformat(sep)`: `2020-01-01T12:00:00`, with `.ffffff` only when microseconds
/// are set (finer digits dropped).
pub fn datetime_text(dt: &NaiveDateTime, sep: char) -> String {
    let mut s = dt.format("%Y-%m-%d").to_string();
    s.push(sep);
    s.push_str(&dt.format("%H:%M:%S").to_string());
    let us = (dt.nanosecond() % 1_000_000_000) / 1000;
    if us != 0 {
        s.push_str(&format!(".{us:06}"));
    }
    s
}

/// `pandas.Timestamp.isoformat(sep)`: `2020-01-01T12:00:00`, with `.ffffff` when only
/// microseconds are set and `.fffffffff` when nanoseconds are.
pub fn timestamp_text(dt: &NaiveDateTime, sep: char) -> String {
    let mut s = dt.format("%Y-%m-%d").to_string();
    s.push(sep);
    s.push_str(&dt.format("%H:%M:%S").to_string());
    let n = dt.nanosecond() % 1_000_000_000;
    if !n.is_multiple_of(1000) {
        s.push_str(&format!(".{n:09}"));
    } else if n != 0 {
        s.push_str(&format!(".{:06}", n / 1000));
    }
    s
}

/// `datetime.isoformat()`: `2020-01-01T12:00:00`, with `.ffffff` only when microseconds are set.
pub fn iso_datetime(dt: &NaiveDateTime) -> String {
    datetime_text(dt, 'T')
}

/// `pandas.Timestamp.isoformat()`: `2020-01-01T12:00:00`, with 6 fraction digits when only
/// microseconds are set and 9 when nanoseconds are.
pub fn timestamp_isoformat(dt: &NaiveDateTime) -> String {
    timestamp_text(dt, 'T')
}

/// `str(datetime)`: `2020-01-01 12:00:00[.ffffff]`.
pub fn str_datetime(dt: &NaiveDateTime) -> String {
    datetime_text(dt, ' ')
}

/// `repr(datetime.datetime)`: `datetime.datetime(2020, 1, 1, 12, 0)`, seconds and
/// microseconds only when set.
pub fn datetime_repr(dt: &NaiveDateTime) -> String {
    let mut parts = vec![
        dt.format("%Y").to_string(),
        dt.format("%-m").to_string(),
        dt.format("%-d").to_string(),
        dt.format("%-H").to_string(),
        dt.format("%-M").to_string(),
    ];
    let (s, us) = (dt.second(), (dt.nanosecond() % 1_000_000_000) / 1000);
    if s != 0 || us != 0 {
        parts.push(s.to_string());
    }
    if us != 0 {
        parts.push(us.to_string());
    }
    format!("datetime.datetime({})", parts.join(", "))
}

/// numpy's ISO text of a `datetime64` scalar at its unit (`2020-01-01T00:00:00.000000000` for
/// ns, `2020-01-01` for days).
pub fn numpy_datetime(dt: &NaiveDateTime, unit: TimeUnit) -> String {
    let base = dt.format("%Y-%m-%dT%H:%M:%S");
    let nanos = dt.nanosecond();
    match unit {
        TimeUnit::Year => dt.format("%Y").to_string(),
        TimeUnit::Month => dt.format("%Y-%m").to_string(),
        TimeUnit::Week | TimeUnit::Day => dt.format("%Y-%m-%d").to_string(),
        TimeUnit::Hour => dt.format("%Y-%m-%dT%H").to_string(),
        TimeUnit::Minute => dt.format("%Y-%m-%dT%H:%M").to_string(),
        TimeUnit::Second | TimeUnit::Generic => base.to_string(),
        TimeUnit::Milli => format!("{base}.{:03}", nanos / 1_000_000),
        TimeUnit::Micro => format!("{base}.{:06}", nanos / 1_000),
        TimeUnit::Nano | TimeUnit::Pico | TimeUnit::Femto | TimeUnit::Atto => {
            format!("{base}.{:09}", nanos)
        }
    }
}

/// Python `str()` of a value (`True`, `None`, `1.5`, `abc`, `2020-01-01 00:00:00`, `{'a': 1}`).
pub fn py_str_of(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::DateTime(dt) | Value::Timestamp(dt) => str_datetime(dt),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Datetime64(dt, unit) => numpy_datetime(dt, *unit),
        Value::Numpy(NumpyDtype::Float32, inner) => match inner.as_ref() {
            Value::Float(f) => float32_repr(*f as f32),
            other => py_str_of(other),
        },
        Value::Numpy(_, inner) => py_str_of(inner),
        other => py_repr(other),
    }
}

/// Python `repr()` of a value (`'abc'`, `[1, 2]`, `{'a': 1}`, `datetime.date(2020, 1, 1)`).
pub fn py_repr(v: &Value) -> String {
    match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => py_str(s),
        Value::Bytes(b) => py_bytes(b),
        Value::Date(d) => format!(
            "datetime.date({}, {}, {})",
            d.format("%Y"),
            d.format("%-m"),
            d.format("%-d")
        ),
        Value::DateTime(dt) => datetime_repr(dt),
        Value::Timestamp(dt) => format!("Timestamp('{}')", timestamp_text(dt, ' ')),
        Value::Datetime64(dt, unit) => {
            format!("np.datetime64('{}')", numpy_datetime(dt, *unit))
        }
        Value::NaT => "NaT".into(),
        Value::NA => "<NA>".into(),
        Value::Numpy(dt, inner) => match inner.as_ref() {
            Value::Bool(b) => if *b { "np.True_" } else { "np.False_" }.into(),
            Value::Float(f) if *dt == NumpyDtype::Float32 => {
                format!("np.float32({})", float32_repr(*f as f32))
            }
            other => format!("np.{}({})", numpy_class_name(*dt), py_repr(other)),
        },
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(py_repr).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(py_repr).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        Value::Dict(items) => py_dict(items.iter().map(|(k, v)| (py_repr(k), py_repr(v)))),
        Value::Ndarray(t) => format!("array({})", py_repr(&t.to_list())),
    }
}

/// The name of the numpy scalar class of a dtype (`int64`, `bool`, `str_`, `bytes_`,
/// `datetime64`), as in `np.int64(5)` or `<class 'numpy.str_'>`.
pub fn numpy_class_name(dtype: NumpyDtype) -> String {
    match dtype {
        NumpyDtype::Str => "str_".into(),
        NumpyDtype::Bytes => "bytes_".into(),
        NumpyDtype::Object => "object_".into(),
        NumpyDtype::Datetime64(_) => "datetime64".into(),
        NumpyDtype::Timedelta64(_) => "timedelta64".into(),
        other => other.name(),
    }
}

/// Python's `repr(type(v))`: `<class 'str'>`, `<class 'numpy.int64'>`, `<class 'datetime.date'>`.
pub fn py_class(v: &Value) -> String {
    let name = match v {
        Value::None => "NoneType".to_string(),
        Value::Bool(_) => "bool".into(),
        Value::Int(_) => "int".into(),
        Value::Float(_) => "float".into(),
        Value::Str(_) => "str".into(),
        Value::Bytes(_) => "bytes".into(),
        Value::Date(_) => "datetime.date".into(),
        Value::DateTime(_) => "datetime.datetime".into(),
        Value::Datetime64(..) => "numpy.datetime64".into(),
        Value::Timestamp(_) => "pandas._libs.tslibs.timestamps.Timestamp".into(),
        Value::NaT => "pandas._libs.tslibs.nattype.NaTType".into(),
        Value::NA => "pandas._libs.missing.NAType".into(),
        Value::Numpy(dt, _) => format!("numpy.{}", numpy_class_name(*dt)),
        Value::List(_) => "list".into(),
        Value::Tuple(_) => "tuple".into(),
        Value::Dict(_) => "dict".into(),
        Value::Ndarray(_) => "numpy.ndarray".into(),
    };
    format!("<class '{name}'>")
}

/// Python `repr` of a tuple whose items are already rendered: `()`, `(-1,)`, `(-1, 3)`.
pub fn py_tuple(items: &[String]) -> String {
    match items {
        [one] => format!("({one},)"),
        _ => format!("({})", items.join(", ")),
    }
}

/// Python `repr` of a set whose items are already rendered, in a stable (sorted) order:
/// `{'a', 'b'}` (`set()` when empty). MLflow's own order is arbitrary.
pub fn py_set(items: &[String]) -> String {
    if items.is_empty() {
        return "set()".into();
    }
    let mut sorted = items.to_vec();
    sorted.sort();
    format!("{{{}}}", sorted.join(", "))
}

/// `repr()` of a column type: `long`, `Array(long)`, `{a: long (required)}`,
/// `Map(str -> DataType.double)`, `Any`, `SparkML vector` (docs/types.md#type-reprs).
pub fn coltype_repr(t: &ColType) -> String {
    match t {
        ColType::Scalar(d) => d.name().to_string(),
        ColType::Array(inner) => format!("Array({})", coltype_repr(inner)),
        ColType::Object(o) => object_repr(o),
        ColType::Map(v) => format!("Map(str -> {})", coltype_str(v)),
        ColType::Any => "Any".into(),
        ColType::SparkMLVector => "SparkML vector".into(),
    }
}

/// `str()` of a column type: `DataType.long` for scalars, the repr otherwise.
pub fn coltype_str(t: &ColType) -> String {
    match t {
        ColType::Scalar(d) => d.qualified(),
        other => coltype_repr(other),
    }
}

/// A Python dict's text from its keys' and values' texts: `{'a': 1, 'b': 2}`.
pub fn py_dict(items: impl IntoIterator<Item = (String, String)>) -> String {
    let parts: Vec<String> = items
        .into_iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// `repr()` of an Object type: `{a: long (required), b: string (optional)}`.
pub fn object_repr(o: &ObjectType) -> String {
    let parts: Vec<String> = o.properties().iter().map(property_repr).collect();
    format!("{{{}}}", parts.join(", "))
}

/// `repr()` of a property: `a: long (required)` (name unquoted).
pub fn property_repr(p: &Property) -> String {
    let req = if p.required.is_required() {
        "required"
    } else {
        "optional"
    };
    format!("{}: {} ({req})", p.name, coltype_repr(&p.ty))
}

/// `repr()` of a ColSpec: `'a': long (required)`, `0: long (required)` or, unnamed,
/// `long (optional)`.
pub fn colspec_repr(c: &ColSpec) -> String {
    let req = if c.is_required() {
        "required"
    } else {
        "optional"
    };
    match &c.name {
        Some(n) => format!("{}: {} ({req})", column_name(n), coltype_repr(&c.ty)),
        None => format!("{} ({req})", coltype_repr(&c.ty)),
    }
}

/// Python `repr` of a tensor shape tuple: `(-1, 3)`, `(-1,)`.
pub fn shape_repr(shape: &[i64]) -> String {
    let items: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    py_tuple(&items)
}

/// `repr()` of a TensorSpec: `Tensor('float32', (-1, 3))`, named `'t': Tensor(...)`.
pub fn tensor_spec_repr(t: &TensorSpec) -> String {
    let info = format!(
        "Tensor({}, {})",
        py_str(&t.dtype.name()),
        shape_repr(&t.shape)
    );
    match &t.name {
        Some(n) => format!("{}: {info}", py_str(n)),
        None => info,
    }
}

/// `repr()` of a Schema: the Python list of its spec reprs.
pub fn schema_repr(s: &Schema) -> String {
    let parts: Vec<String> = match s.kind() {
        SchemaKind::Columns(c) => c.iter().map(colspec_repr).collect(),
        SchemaKind::Tensors(t) => t.iter().map(tensor_spec_repr).collect(),
    };
    format!("[{}]", parts.join(", "))
}

/// `repr()` of a parameter type: `long` or an Object repr.
pub fn param_type_repr(t: &ParamType) -> String {
    match t {
        ParamType::Scalar(d) => d.name().to_string(),
        ParamType::Object(o) => object_repr(o),
    }
}

/// `repr()` of a ParamSpec as MLflow builds it from its parts: `'p': long (default: 5)`,
/// with `shape` (already rendered, e.g. `(-1,)`) ` (shape: (-1,))` appended. The default is
/// printed with Python `str()`.
pub fn param_spec_repr_parts(
    name: &str,
    dtype: &ParamType,
    default: &Value,
    shape: Option<&str>,
) -> String {
    let mut out = format!(
        "{}: {} (default: {})",
        py_str(name),
        param_type_repr(dtype),
        py_str_of(default)
    );
    if let Some(shape) = shape {
        out.push_str(&format!(" (shape: {shape})"));
    }
    out
}

/// `repr()` of a ParamSpec: `'p1': long (default: 5)`,
/// `'p2': double (default: [1.0, 2.0]) (shape: (-1,))`.
pub fn param_spec_repr(p: &ParamSpec) -> String {
    param_spec_repr_parts(
        p.name(),
        p.dtype(),
        p.default(),
        match p.shape() {
            ParamShape::Scalar => None,
            ParamShape::List => Some("(-1,)"),
        },
    )
}

/// `repr()` of a ParamSchema: the Python list of its spec reprs.
pub fn param_schema_repr(p: &ParamSchema) -> String {
    let parts: Vec<String> = p.params().iter().map(param_spec_repr).collect();
    format!("[{}]", parts.join(", "))
}

/// `repr()` of a ModelSignature:
/// `inputs: \n  <schema>\noutputs: \n  <schema>\nparams: \n  <params>\n` (`None` for absent parts).
pub fn signature_repr(s: &ModelSignature) -> String {
    let inputs = s.inputs.as_ref().map_or("None".into(), schema_repr);
    let outputs = s.outputs.as_ref().map_or("None".into(), schema_repr);
    let params = s.params.as_ref().map_or("None".into(), param_schema_repr);
    format!("inputs: \n  {inputs}\noutputs: \n  {outputs}\nparams: \n  {params}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_scalars() {
        let f32v = Value::Numpy(NumpyDtype::Float32, Box::new(Value::Float(0.7f32 as f64)));
        assert_eq!(py_str_of(&f32v), "0.7");
        assert_eq!(py_repr(&f32v), "np.float32(0.7)");
        let s = Value::Numpy(NumpyDtype::Str, Box::new(Value::str("a")));
        assert_eq!(py_repr(&s), "np.str_('a')");
        assert_eq!(py_class(&s), "<class 'numpy.str_'>");
        assert_eq!(
            py_class(&Value::Date(chrono::NaiveDate::MIN)),
            "<class 'datetime.date'>"
        );
    }

    #[test]
    fn python_containers() {
        assert_eq!(py_tuple(&[]), "()");
        assert_eq!(py_tuple(&["-1".into()]), "(-1,)");
        assert_eq!(shape_repr(&[-1, 3]), "(-1, 3)");
        assert_eq!(py_set(&["'b'".into(), "'a'".into()]), "{'a', 'b'}");
    }
}
