//! The Thrift compact-protocol walk that checks a struct's bytes without allocating, reading
//! each field as the parquet crate's generated decoder reads it (by field id, from
//! [`super::table`]: the decoder does not look at the declared type of a field it knows).

use super::table;

/// What the parquet crate reads for a field (or a list element).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// A bool (in a struct, its value is in the field header).
    Bool,
    /// A byte.
    I8,
    /// A zigzag varint.
    I16,
    /// A zigzag varint (also the footer's enums).
    I32,
    /// A zigzag varint.
    I64,
    /// 8 bytes.
    Double,
    /// A varint length and that many bytes (strings too).
    Binary,
    /// The struct at this index of the table.
    Struct(usize),
    /// A list header and its elements.
    List(&'static Kind),
}

/// The deepest nesting accepted (the footer's own structs nest a few levels).
pub const MAX_DEPTH: usize = 64;

/// Walks the struct of table entry `root` at the start of `bytes`: the number of bytes it
/// takes, or what is wrong with it and at which byte.
pub(crate) fn walk(bytes: &[u8], root: usize) -> Result<usize, String> {
    let mut r = Reader { bytes, at: 0 };
    match r.read_struct(root, 1) {
        Ok(()) => Ok(r.at),
        Err(e) => Err(format!("{e} (at byte {})", r.at)),
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Thrift compact-protocol type codes.
const BOOL_TRUE: u8 = 1;
const BOOL_FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;

/// Whether a value declared with type code `t` is what the decoder reads as `kind`.
fn declared_as(kind: Kind, t: u8) -> bool {
    match kind {
        Kind::Bool => t == BOOL_TRUE || t == BOOL_FALSE,
        Kind::I8 => t == BYTE,
        Kind::I16 => t == I16,
        Kind::I32 => t == I32,
        Kind::I64 => t == I64,
        Kind::Double => t == DOUBLE,
        Kind::Binary => t == BINARY,
        Kind::Struct(_) => t == STRUCT,
        Kind::List(_) => t == LIST,
    }
}

impl Reader<'_> {
    fn left(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.bytes.get(self.at).ok_or("the bytes end early")?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<(), String> {
        if n > self.left() {
            return Err(format!("{n} bytes declared, {} left", self.left()));
        }
        self.at += n;
        Ok(())
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            if shift < 64 {
                v |= u64::from(b & 0x7f) << shift;
            }
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("a variable-length integer longer than 10 bytes".into())
    }

    /// A declared count of items taking at least `min_bytes` each.
    fn count(&mut self, n: u64, min_bytes: usize) -> Result<usize, String> {
        match usize::try_from(n) {
            Ok(n) if n <= i32::MAX as usize && n.saturating_mul(min_bytes) <= self.left() => Ok(n),
            _ => Err(format!("{n} items declared, {} bytes left", self.left())),
        }
    }

    /// A list header: its element type code and a count the bytes left can hold.
    fn list_header(&mut self) -> Result<(u8, usize), String> {
        let header = self.byte()?;
        let n = match header >> 4 {
            15 => self.varint()?,
            n => u64::from(n),
        };
        Ok((header & 0x0f, self.count(n, 1)?))
    }

    fn deeper(depth: usize) -> Result<usize, String> {
        if depth >= MAX_DEPTH {
            return Err(format!("nested deeper than {MAX_DEPTH} levels"));
        }
        Ok(depth + 1)
    }

    /// A struct as the decoder of table entry `s` reads it.
    fn read_struct(&mut self, s: usize, depth: usize) -> Result<(), String> {
        let (name, fields) = table::STRUCTS[s];
        let mut id: i16 = 0;
        loop {
            let header = self.byte()?;
            let t = header & 0x0f;
            if t == 0 {
                return Ok(()); // field stop
            }
            id = match header >> 4 {
                0 => {
                    let z = self.varint()?;
                    ((z >> 1) as i64 ^ -((z & 1) as i64)) as i16
                }
                delta => id
                    .checked_add(i16::from(delta))
                    .ok_or("a field id past 32767")?,
            };
            match fields.iter().find(|(f, _)| *f == id) {
                Some(&(_, kind)) => {
                    if !declared_as(kind, t) {
                        return Err(format!(
                            "field {id} of {name} is declared as Thrift type {t}, not as the {kind:?} the reader expects"
                        ));
                    }
                    if !matches!(kind, Kind::Bool) {
                        self.read(kind, depth)?;
                    }
                }
                None => self.skip(t, depth)?,
            }
        }
    }

    /// One value the decoder reads as `kind` (a bool is a byte of its own here: in a list).
    fn read(&mut self, kind: Kind, depth: usize) -> Result<(), String> {
        match kind {
            Kind::Bool | Kind::I8 => self.take(1),
            Kind::I16 | Kind::I32 | Kind::I64 => self.varint().map(drop),
            Kind::Double => self.take(8),
            Kind::Binary => {
                let n = self.varint()?;
                let n = self.count(n, 1)?;
                self.take(n)
            }
            Kind::Struct(s) => self.read_struct(s, Self::deeper(depth)?),
            Kind::List(elem) => {
                let depth = Self::deeper(depth)?;
                let (t, n) = self.list_header()?;
                if !declared_as(*elem, t) {
                    return Err(format!(
                        "a list of Thrift type {t}, not of the {elem:?} the reader expects"
                    ));
                }
                for _ in 0..n {
                    self.read(*elem, depth)?;
                }
                Ok(())
            }
        }
    }

    /// Skips one value of declared type `t`, as the decoder skips a field it does not know
    /// (inside a list, a bool is a byte of its own).
    fn skip(&mut self, t: u8, depth: usize) -> Result<(), String> {
        match t {
            BOOL_TRUE | BOOL_FALSE => Ok(()),
            BYTE => self.take(1),
            I16 | I32 | I64 => self.varint().map(drop),
            DOUBLE => self.take(8),
            BINARY => {
                let n = self.varint()?;
                let n = self.count(n, 1)?;
                self.take(n)
            }
            LIST | SET => {
                let depth = Self::deeper(depth)?;
                let (elem, n) = self.list_header()?;
                for _ in 0..n {
                    match elem {
                        BOOL_TRUE | BOOL_FALSE => self.take(1)?,
                        _ => self.skip(elem, depth)?,
                    }
                }
                Ok(())
            }
            MAP => {
                let depth = Self::deeper(depth)?;
                let n = self.varint()?;
                let n = self.count(n, 2)?;
                if n == 0 {
                    return Ok(());
                }
                let kinds = self.byte()?;
                for _ in 0..n {
                    self.skip(kinds >> 4, depth)?;
                    self.skip(kinds & 0x0f, depth)?;
                }
                Ok(())
            }
            STRUCT => {
                let depth = Self::deeper(depth)?;
                loop {
                    let header = self.byte()?;
                    let t = header & 0x0f;
                    if t == 0 {
                        return Ok(());
                    }
                    if header >> 4 == 0 {
                        self.varint()?;
                    }
                    self.skip(t, depth)?;
                }
            }
            other => Err(format!("unknown Thrift type {other}")),
        }
    }
}
