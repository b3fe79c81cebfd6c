//! numpy's `.npy` format (versions 1, 2 and 3): the magic, the header (a Python dict literal
//! with `descr`, `fortran_order` and `shape`) and the raw elements, read into an [`NdArray`]
//! in C order. Plain dtypes (`b1`, `i1`..`i8`, `u1`..`u8`, `f4`, `f8`, `U<n>`, `S<n>`) of
//! either byte order are supported, and structured dtypes whose fields are plain (as
//! scikit-learn's tree `nodes`); `object` arrays (which need pickle) are refused.

use std::fmt;
use std::sync::Arc;

/// A failure to read a `.npy` buffer: what is wrong, without the file name (the caller adds it).
#[derive(Clone, Debug, PartialEq)]
pub struct NpyError(pub String);

impl fmt::Display for NpyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, NpyError> {
    Err(NpyError(msg.into()))
}

/// The elements of an array (or of one field of a structured array), flattened in C order.
#[derive(Clone, Debug, PartialEq)]
pub enum ArrayData {
    /// `bool` (`|b1`).
    Bool(Vec<bool>),
    /// Signed integers of any width, widened (`i1`, `i2`, `i4`, `i8`).
    Int(Vec<i64>),
    /// Unsigned integers of any width, widened (`u1`, `u2`, `u4`, `u8`).
    UInt(Vec<u64>),
    /// `float32`.
    F32(Vec<f32>),
    /// `float64`.
    F64(Vec<f64>),
    /// Fixed-width unicode (`U<n>`), trailing NULs removed.
    Str(Vec<String>),
    /// Fixed-width bytes (`S<n>`), trailing NULs removed.
    Bytes(Vec<Vec<u8>>),
    /// A structured dtype: one column per named field.
    Record(Vec<(String, ArrayData)>),
}

impl ArrayData {
    /// The number of elements.
    pub fn len(&self) -> usize {
        match self {
            ArrayData::Bool(v) => v.len(),
            ArrayData::Int(v) => v.len(),
            ArrayData::UInt(v) => v.len(),
            ArrayData::F32(v) => v.len(),
            ArrayData::F64(v) => v.len(),
            ArrayData::Str(v) => v.len(),
            ArrayData::Bytes(v) => v.len(),
            ArrayData::Record(fields) => fields.first().map_or(0, |(_, d)| d.len()),
        }
    }

    /// Whether there is no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The elements as `f64` (numbers and booleans), `None` for strings, bytes and records.
    pub fn to_f64(&self) -> Option<Vec<f64>> {
        Some(match self {
            ArrayData::Bool(v) => v.iter().map(|&b| f64::from(u8::from(b))).collect(),
            ArrayData::Int(v) => v.iter().map(|&x| x as f64).collect(),
            ArrayData::UInt(v) => v.iter().map(|&x| x as f64).collect(),
            ArrayData::F32(v) => v.iter().map(|&x| f64::from(x)).collect(),
            ArrayData::F64(v) => v.clone(),
            _ => return None,
        })
    }

    /// The elements as `i64` (integers and booleans; floats only when integral), `None`
    /// otherwise.
    pub fn to_i64(&self) -> Option<Vec<i64>> {
        match self {
            ArrayData::Bool(v) => Some(v.iter().map(|&b| i64::from(b)).collect()),
            ArrayData::Int(v) => Some(v.clone()),
            ArrayData::UInt(v) => v.iter().map(|&x| i64::try_from(x).ok()).collect(),
            ArrayData::F32(_) | ArrayData::F64(_) => self
                .to_f64()?
                .into_iter()
                .map(|x| (x.fract() == 0.0 && x.abs() < 9.0e15).then_some(x as i64))
                .collect(),
            _ => None,
        }
    }

    /// A field of a structured array.
    pub fn field(&self, name: &str) -> Option<&ArrayData> {
        match self {
            ArrayData::Record(fields) => fields.iter().find(|(n, _)| n == name).map(|(_, d)| d),
            _ => None,
        }
    }

    fn permute(&self, order: &[usize]) -> ArrayData {
        fn pick<T: Clone>(v: &[T], order: &[usize]) -> Vec<T> {
            order.iter().map(|&i| v[i].clone()).collect()
        }
        match self {
            ArrayData::Bool(v) => ArrayData::Bool(pick(v, order)),
            ArrayData::Int(v) => ArrayData::Int(pick(v, order)),
            ArrayData::UInt(v) => ArrayData::UInt(pick(v, order)),
            ArrayData::F32(v) => ArrayData::F32(pick(v, order)),
            ArrayData::F64(v) => ArrayData::F64(pick(v, order)),
            ArrayData::Str(v) => ArrayData::Str(pick(v, order)),
            ArrayData::Bytes(v) => ArrayData::Bytes(pick(v, order)),
            ArrayData::Record(f) => ArrayData::Record(
                f.iter()
                    .map(|(n, d)| (n.clone(), d.permute(order)))
                    .collect(),
            ),
        }
    }
}

/// A numpy array read from a `.npy` file.
#[derive(Clone, Debug, PartialEq)]
pub struct NdArray {
    /// The dtype as written in the header (`<f8`, `|b1`, `<U5`, or a structured descr's repr).
    pub descr: String,
    /// The shape (empty for a 0-d array, i.e. a numpy scalar).
    pub shape: Vec<usize>,
    /// The elements in C order (shared: arrays are cloned cheaply).
    pub data: Arc<ArrayData>,
}

/// One plain dtype.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Bool,
    Int,
    UInt,
    Float,
    Str,
    Bytes,
    Void,
}

#[derive(Clone, Copy, Debug)]
struct Plain {
    kind: Kind,
    big_endian: bool,
    size: usize,
}

fn parse_plain(descr: &str) -> Result<Plain, NpyError> {
    let (order, rest) = match descr.chars().next() {
        Some(c @ ('<' | '>' | '|' | '=')) => (c, &descr[1..]),
        _ => ('=', descr),
    };
    let mut chars = rest.chars();
    let code = chars.next().unwrap_or(' ');
    let n: usize = match chars.as_str().parse() {
        Ok(n) => n,
        Err(_) if code == 'O' => 8,
        Err(_) => return err(format!("unsupported dtype {descr:?}")),
    };
    let (kind, size) = match code {
        'b' if n == 1 => (Kind::Bool, 1),
        'i' if matches!(n, 1 | 2 | 4 | 8) => (Kind::Int, n),
        'u' if matches!(n, 1 | 2 | 4 | 8) => (Kind::UInt, n),
        'f' if matches!(n, 4 | 8) => (Kind::Float, n),
        'U' => (
            Kind::Str,
            n.checked_mul(4)
                .ok_or_else(|| NpyError("dtype too wide".into()))?,
        ),
        'S' => (Kind::Bytes, n),
        'V' => (Kind::Void, n),
        'O' => {
            return err(
                "object arrays (dtype 'O') are stored with pickle, which signet never reads",
            )
        }
        _ => return err(format!("unsupported dtype {descr:?}")),
    };
    Ok(Plain {
        kind,
        big_endian: order == '>',
        size,
    })
}

fn read_plain(p: Plain, bytes: &[u8], count: usize, stride: usize, offset: usize) -> ArrayData {
    let item = |i: usize| -> &[u8] {
        let start = i * stride + offset;
        &bytes[start..start + p.size]
    };
    let uint = |b: &[u8]| -> u64 {
        let mut v: u64 = 0;
        if p.big_endian {
            for &x in b {
                v = (v << 8) | u64::from(x);
            }
        } else {
            for &x in b.iter().rev() {
                v = (v << 8) | u64::from(x);
            }
        }
        v
    };
    match p.kind {
        Kind::Bool => ArrayData::Bool((0..count).map(|i| item(i)[0] != 0).collect()),
        Kind::Int => ArrayData::Int(
            (0..count)
                .map(|i| {
                    let v = uint(item(i));
                    let shift = 64 - 8 * p.size as u32;
                    ((v << shift) as i64) >> shift
                })
                .collect(),
        ),
        Kind::UInt => ArrayData::UInt((0..count).map(|i| uint(item(i))).collect()),
        Kind::Float if p.size == 4 => ArrayData::F32(
            (0..count)
                .map(|i| f32::from_bits(uint(item(i)) as u32))
                .collect(),
        ),
        Kind::Float => ArrayData::F64((0..count).map(|i| f64::from_bits(uint(item(i)))).collect()),
        Kind::Str => ArrayData::Str(
            (0..count)
                .map(|i| {
                    item(i)
                        .chunks_exact(4)
                        .map(|c| uint(c) as u32)
                        .take_while(|&c| c != 0)
                        .map(|c| char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER))
                        .collect()
                })
                .collect(),
        ),
        Kind::Bytes | Kind::Void => ArrayData::Bytes(
            (0..count)
                .map(|i| {
                    let b = item(i);
                    let end = b.iter().rposition(|&x| x != 0).map_or(0, |p| p + 1);
                    b[..end].to_vec()
                })
                .collect(),
        ),
    }
}

/// Parses a whole `.npy` buffer.
pub fn parse_npy(bytes: &[u8]) -> Result<NdArray, NpyError> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return err("not a .npy file (bad magic)");
    }
    let major = bytes[6];
    let (header_len, start) = match major {
        1 => (
            usize::from(u16::from_le_bytes([bytes[8], bytes[9]])),
            10usize,
        ),
        2 | 3 => {
            let Some(b) = bytes.get(8..12) else {
                return err("truncated .npy header");
            };
            (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize, 12)
        }
        v => return err(format!("unsupported .npy format version {v}")),
    };
    let Some(header) = bytes.get(start..start.saturating_add(header_len)) else {
        return err(format!(
            "truncated .npy header: {header_len} bytes announced, {} present",
            bytes.len().saturating_sub(start)
        ));
    };
    let header =
        std::str::from_utf8(header).map_err(|_| NpyError("the .npy header is not text".into()))?;
    let dict = match literal::parse(header) {
        Ok(literal::Lit::Dict(d)) => d,
        Ok(_) => return err("the .npy header is not a dict"),
        Err(e) => return err(format!("bad .npy header ({e}): {}", header.trim_end())),
    };
    let get = |k: &str| dict.iter().find(|(key, _)| key == k).map(|(_, v)| v);
    let fortran = match get("fortran_order") {
        Some(literal::Lit::Bool(b)) => *b,
        _ => return err("the .npy header has no boolean 'fortran_order'"),
    };
    let shape: Vec<usize> = match get("shape") {
        Some(literal::Lit::Seq(items)) => items
            .iter()
            .map(|i| match i {
                literal::Lit::Int(n) => usize::try_from(*n)
                    .map_err(|_| NpyError(format!("negative dimension {n} in 'shape'"))),
                _ => err("'shape' holds a non-integer"),
            })
            .collect::<Result<_, _>>()?,
        _ => return err("the .npy header has no tuple 'shape'"),
    };
    let count = shape
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .ok_or_else(|| NpyError("'shape' overflows".into()))?;
    let body = &bytes[start + header_len..];
    let (descr, data) = match get("descr") {
        Some(literal::Lit::Str(d)) => {
            let p = parse_plain(d)?;
            if p.kind == Kind::Void {
                return err(format!("unsupported dtype {d:?}"));
            }
            check_len(body, count, p.size)?;
            (d.clone(), read_plain(p, body, count, p.size, 0))
        }
        Some(literal::Lit::Seq(fields)) => {
            let mut plains = Vec::new();
            for f in fields {
                match f {
                    literal::Lit::Seq(pair) if pair.len() == 2 => match (&pair[0], &pair[1]) {
                        (literal::Lit::Str(n), literal::Lit::Str(d)) => {
                            plains.push((n.clone(), parse_plain(d)?))
                        }
                        _ => return err("unsupported structured dtype field"),
                    },
                    _ => return err("unsupported structured dtype (nested or shaped fields)"),
                }
            }
            let stride = plains
                .iter()
                .try_fold(0usize, |a, (_, p)| a.checked_add(p.size))
                .ok_or_else(|| NpyError("structured dtype too wide".into()))?;
            check_len(body, count, stride)?;
            let mut columns = Vec::new();
            let mut offset = 0;
            for (name, p) in plains {
                if p.kind != Kind::Void {
                    columns.push((name, read_plain(p, body, count, stride, offset)));
                }
                offset += p.size;
            }
            (header_descr(header), ArrayData::Record(columns))
        }
        _ => return err("the .npy header has no 'descr'"),
    };
    let data = if fortran && shape.len() > 1 {
        data.permute(&fortran_to_c(&shape))
    } else {
        data
    };
    Ok(NdArray {
        descr,
        shape,
        data: Arc::new(data),
    })
}

fn header_descr(header: &str) -> String {
    header
        .find("'descr':")
        .and_then(|s| {
            header[s..]
                .find("], ")
                .map(|e| header[s + 9..s + e + 1].to_string())
        })
        .unwrap_or_else(|| "structured".into())
}

fn check_len(body: &[u8], count: usize, size: usize) -> Result<(), NpyError> {
    let need = count
        .checked_mul(size)
        .ok_or_else(|| NpyError("array size overflows".into()))?;
    if size == 0 && count > 1 << 20 {
        return err(format!("{count} elements of zero width"));
    }
    if body.len() < need {
        return err(format!(
            "truncated .npy data: {need} bytes needed, {} present",
            body.len()
        ));
    }
    Ok(())
}

/// For each C-order position, the position of the same element in Fortran order.
fn fortran_to_c(shape: &[usize]) -> Vec<usize> {
    let count: usize = shape.iter().product();
    let mut order = Vec::with_capacity(count);
    let mut index = vec![0usize; shape.len()];
    for _ in 0..count {
        let mut pos = 0;
        let mut stride = 1;
        for (d, &i) in index.iter().enumerate() {
            pos += i * stride;
            stride *= shape[d];
        }
        order.push(pos);
        for d in (0..shape.len()).rev() {
            index[d] += 1;
            if index[d] < shape[d] {
                break;
            }
            index[d] = 0;
        }
    }
    order
}

/// The Python literals of a `.npy` header.
mod literal {
    /// A literal value.
    #[derive(Debug)]
    pub enum Lit {
        Str(String),
        Int(i64),
        Bool(bool),
        Seq(Vec<Lit>),
        Dict(Vec<(String, Lit)>),
    }

    struct P<'a> {
        s: &'a [u8],
        i: usize,
    }

    pub fn parse(text: &str) -> Result<Lit, String> {
        let mut p = P {
            s: text.as_bytes(),
            i: 0,
        };
        let v = p.value(0)?;
        p.ws();
        if p.i != p.s.len() {
            return Err(format!("unexpected text at offset {}", p.i));
        }
        Ok(v)
    }

    impl P<'_> {
        fn ws(&mut self) {
            while self.s.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
                self.i += 1;
            }
        }
        fn peek(&mut self) -> Option<u8> {
            self.ws();
            self.s.get(self.i).copied()
        }
        fn value(&mut self, depth: usize) -> Result<Lit, String> {
            if depth > 8 {
                return Err("nested too deeply".into());
            }
            match self.peek() {
                Some(b'{') => {
                    self.i += 1;
                    let mut items = Vec::new();
                    loop {
                        if self.peek() == Some(b'}') {
                            self.i += 1;
                            return Ok(Lit::Dict(items));
                        }
                        let Lit::Str(k) = self.value(depth + 1)? else {
                            return Err("a dict key is not a string".into());
                        };
                        if self.peek() != Some(b':') {
                            return Err(format!("expected ':' at offset {}", self.i));
                        }
                        self.i += 1;
                        items.push((k, self.value(depth + 1)?));
                        self.sep(b'}')?;
                    }
                }
                Some(open @ (b'(' | b'[')) => {
                    let close = if open == b'(' { b')' } else { b']' };
                    self.i += 1;
                    let mut items = Vec::new();
                    loop {
                        if self.peek() == Some(close) {
                            self.i += 1;
                            return Ok(Lit::Seq(items));
                        }
                        items.push(self.value(depth + 1)?);
                        self.sep(close)?;
                    }
                }
                Some(q @ (b'\'' | b'"')) => {
                    self.i += 1;
                    let start = self.i;
                    while self.s.get(self.i).is_some_and(|&c| c != q && c != b'\\') {
                        self.i += 1;
                    }
                    if self.s.get(self.i) != Some(&q) {
                        return Err(format!("unterminated string at offset {start}"));
                    }
                    let text = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                    self.i += 1;
                    Ok(Lit::Str(text))
                }
                Some(c) if c.is_ascii_digit() || c == b'-' => {
                    let start = self.i;
                    self.i += 1;
                    while self.s.get(self.i).is_some_and(|c| c.is_ascii_digit()) {
                        self.i += 1;
                    }
                    let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
                    // A trailing `L` (Python 2 longs) is accepted as numpy does.
                    if self.s.get(self.i) == Some(&b'L') {
                        self.i += 1;
                    }
                    text.parse()
                        .map(Lit::Int)
                        .map_err(|_| format!("bad integer {text:?}"))
                }
                Some(_) if self.s[self.i..].starts_with(b"True") => {
                    self.i += 4;
                    Ok(Lit::Bool(true))
                }
                Some(_) if self.s[self.i..].starts_with(b"False") => {
                    self.i += 5;
                    Ok(Lit::Bool(false))
                }
                Some(c) => Err(format!(
                    "unexpected character {:?} at offset {}",
                    c as char, self.i
                )),
                None => Err("unexpected end".into()),
            }
        }
        fn sep(&mut self, close: u8) -> Result<(), String> {
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    Ok(())
                }
                Some(c) if c == close => Ok(()),
                _ => Err(format!("expected ',' at offset {}", self.i)),
            }
        }
    }
}
