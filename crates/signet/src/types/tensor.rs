//! `TensorSpec` and numpy dtypes.

use std::fmt;

/// The unit of a numpy `datetime64` / `timedelta64` dtype.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// Years (`Y`).
    Year,
    /// Months (`M`).
    Month,
    /// Weeks (`W`).
    Week,
    /// Days (`D`).
    Day,
    /// Hours (`h`).
    Hour,
    /// Minutes (`m`).
    Minute,
    /// Seconds (`s`).
    Second,
    /// Milliseconds (`ms`).
    Milli,
    /// Microseconds (`us`).
    Micro,
    /// Nanoseconds (`ns`).
    Nano,
    /// Picoseconds (`ps`).
    Pico,
    /// Femtoseconds (`fs`).
    Femto,
    /// Attoseconds (`as`).
    Atto,
    /// Generic (no unit: `datetime64`).
    Generic,
}

impl TimeUnit {
    /// numpy's unit code (`ns`, `D`, ...); empty for generic.
    pub fn code(self) -> &'static str {
        match self {
            TimeUnit::Year => "Y",
            TimeUnit::Month => "M",
            TimeUnit::Week => "W",
            TimeUnit::Day => "D",
            TimeUnit::Hour => "h",
            TimeUnit::Minute => "m",
            TimeUnit::Second => "s",
            TimeUnit::Milli => "ms",
            TimeUnit::Micro => "us",
            TimeUnit::Nano => "ns",
            TimeUnit::Pico => "ps",
            TimeUnit::Femto => "fs",
            TimeUnit::Atto => "as",
            TimeUnit::Generic => "",
        }
    }

    /// Parses a numpy unit code.
    pub fn from_code(code: &str) -> Option<TimeUnit> {
        Some(match code {
            "Y" => TimeUnit::Year,
            "M" => TimeUnit::Month,
            "W" => TimeUnit::Week,
            "D" => TimeUnit::Day,
            "h" => TimeUnit::Hour,
            "m" => TimeUnit::Minute,
            "s" => TimeUnit::Second,
            "ms" => TimeUnit::Milli,
            "us" | "μs" => TimeUnit::Micro,
            "ns" => TimeUnit::Nano,
            "ps" => TimeUnit::Pico,
            "fs" => TimeUnit::Femto,
            "as" => TimeUnit::Atto,
            "" => TimeUnit::Generic,
            _ => return None,
        })
    }
}

/// A numpy dtype as MLflow stores it in a TensorSpec (sizes of flexible types stripped).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumpyDtype {
    /// `bool`
    Bool,
    /// `int8`
    Int8,
    /// `int16`
    Int16,
    /// `int32`
    Int32,
    /// `int64`
    Int64,
    /// `uint8`
    UInt8,
    /// `uint16`
    UInt16,
    /// `uint32`
    UInt32,
    /// `uint64`
    UInt64,
    /// `float16`
    Float16,
    /// `float32`
    Float32,
    /// `float64`
    Float64,
    /// `complex64`
    Complex64,
    /// `complex128`
    Complex128,
    /// `str`: unsized unicode.
    Str,
    /// `bytes`: unsized bytes.
    Bytes,
    /// `object`: arbitrary Python values.
    Object,
    /// `datetime64[unit]`
    Datetime64(TimeUnit),
    /// `timedelta64[unit]`
    Timedelta64(TimeUnit),
}

impl NumpyDtype {
    /// The dtype name as MLflow writes it (`float32`, `str`, `datetime64[ns]`).
    pub fn name(self) -> String {
        match self {
            NumpyDtype::Datetime64(TimeUnit::Generic) => "datetime64".into(),
            NumpyDtype::Timedelta64(TimeUnit::Generic) => "timedelta64".into(),
            NumpyDtype::Datetime64(u) => format!("datetime64[{}]", u.code()),
            NumpyDtype::Timedelta64(u) => format!("timedelta64[{}]", u.code()),
            other => other.simple_name().to_string(),
        }
    }

    fn simple_name(self) -> &'static str {
        match self {
            NumpyDtype::Bool => "bool",
            NumpyDtype::Int8 => "int8",
            NumpyDtype::Int16 => "int16",
            NumpyDtype::Int32 => "int32",
            NumpyDtype::Int64 => "int64",
            NumpyDtype::UInt8 => "uint8",
            NumpyDtype::UInt16 => "uint16",
            NumpyDtype::UInt32 => "uint32",
            NumpyDtype::UInt64 => "uint64",
            NumpyDtype::Float16 => "float16",
            NumpyDtype::Float32 => "float32",
            NumpyDtype::Float64 => "float64",
            NumpyDtype::Complex64 => "complex64",
            NumpyDtype::Complex128 => "complex128",
            NumpyDtype::Str => "str",
            NumpyDtype::Bytes => "bytes",
            NumpyDtype::Object => "object",
            NumpyDtype::Datetime64(_) => "datetime64",
            NumpyDtype::Timedelta64(_) => "timedelta64",
        }
    }

    /// Item size in bytes for fixed-size numeric dtypes (used by the safe-cast rules).
    pub fn itemsize(self) -> Option<usize> {
        Some(match self {
            NumpyDtype::Bool | NumpyDtype::Int8 | NumpyDtype::UInt8 => 1,
            NumpyDtype::Int16 | NumpyDtype::UInt16 | NumpyDtype::Float16 => 2,
            NumpyDtype::Int32 | NumpyDtype::UInt32 | NumpyDtype::Float32 => 4,
            NumpyDtype::Int64 | NumpyDtype::UInt64 | NumpyDtype::Float64 => 8,
            NumpyDtype::Complex64 => 8,
            NumpyDtype::Complex128 => 16,
            NumpyDtype::Datetime64(_) | NumpyDtype::Timedelta64(_) => 8,
            _ => return None,
        })
    }

    /// Parses any dtype string numpy accepts (`float`, `<f4`, `int`, `str`, `U`, `M8[ns]`, ...),
    /// normalising it. Sized flexible types (`<U5`, `S3`) are refused with MLflow's message.
    pub fn parse(text: &str) -> Result<NumpyDtype, crate::SchemaError> {
        parse_dtype(text)
    }
}

impl fmt::Display for NumpyDtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

fn parse_dtype(text: &str) -> Result<NumpyDtype, crate::SchemaError> {
    use NumpyDtype::*;
    let unknown = || crate::SchemaError::new(format!("data type '{text}' not understood"));
    // Strip a byte-order prefix.
    let body = text.strip_prefix(['<', '>', '=', '|']).unwrap_or(text);
    // datetime64 / timedelta64 with optional unit.
    for (prefixes, is_dt) in [
        (&["datetime64", "M8"][..], true),
        (&["timedelta64", "m8"][..], false),
    ] {
        for p in prefixes {
            if let Some(rest) = body.strip_prefix(p) {
                let unit = if rest.is_empty() {
                    TimeUnit::Generic
                } else {
                    let inner = rest
                        .strip_prefix('[')
                        .and_then(|r| r.strip_suffix(']'))
                        .ok_or_else(unknown)?;
                    TimeUnit::from_code(inner).ok_or_else(unknown)?
                };
                return Ok(if is_dt {
                    Datetime64(unit)
                } else {
                    Timedelta64(unit)
                });
            }
        }
    }
    // Flexible types, possibly sized.
    let flexible = |kind: NumpyDtype, digits: &str| -> Result<NumpyDtype, crate::SchemaError> {
        if digits.is_empty() || digits.bytes().all(|b| b == b'0') {
            Ok(kind)
        } else if digits.bytes().all(|b| b.is_ascii_digit()) {
            // numpy names sized flexible dtypes `str160` / `bytes3`; MLflow strips the digits.
            let name = match kind {
                Str => "str",
                _ => "bytes",
            };
            Err(crate::SchemaError::new(format!(
                "MLflow does not support size information in flexible numpy data types. Use np.dtype(\"{name}\") instead"
            )))
        } else {
            Err(unknown())
        }
    };
    let dt = match body {
        "bool" | "bool_" | "?" | "b1" | "bool8" => Bool,
        "int8" | "i1" | "b" | "byte" => Int8,
        "int16" | "i2" | "h" | "short" => Int16,
        "int32" | "i4" | "i" | "intc" => Int32,
        "int64" | "i8" | "l" | "q" | "int" | "int_" | "long" | "longlong" | "intp" | "p" => Int64,
        "uint8" | "u1" | "B" | "ubyte" => UInt8,
        "uint16" | "u2" | "H" | "ushort" => UInt16,
        "uint32" | "u4" | "I" | "uintc" => UInt32,
        "uint64" | "u8" | "L" | "Q" | "uint" | "ulong" | "ulonglong" | "uintp" | "P" => UInt64,
        "float16" | "f2" | "e" | "half" => Float16,
        "float32" | "f4" | "f" | "single" => Float32,
        "float64" | "f8" | "d" | "float" | "double" | "float_" => Float64,
        "complex64" | "c8" | "F" | "csingle" => Complex64,
        "complex128" | "c16" | "D" | "complex" | "cdouble" | "complex_" => Complex128,
        "str" | "str_" | "unicode" | "unicode_" => Str,
        "bytes" | "bytes_" | "string_" => Bytes,
        "object" | "O" | "object_" | "O8" => Object,
        _ => {
            if let Some(d) = body.strip_prefix('U') {
                return flexible(Str, d);
            }
            if let Some(d) = body.strip_prefix('S') {
                return flexible(Bytes, d);
            }
            if let Some(d) = body.strip_prefix('a') {
                return flexible(Bytes, d);
            }
            return Err(unknown());
        }
    };
    Ok(dt)
}

/// One tensor of a tensor-based schema: numpy dtype, shape (`-1` = variable) and optional name.
#[derive(Clone, Debug, PartialEq)]
pub struct TensorSpec {
    /// The element dtype.
    pub dtype: NumpyDtype,
    /// The shape; `-1` marks a variable dimension.
    pub shape: Vec<i64>,
    /// The tensor's name; `None` for a single unnamed tensor.
    pub name: Option<String>,
}

impl TensorSpec {
    /// A tensor spec.
    pub fn new(dtype: NumpyDtype, shape: Vec<i64>, name: Option<String>) -> TensorSpec {
        TensorSpec { dtype, shape, name }
    }
}
