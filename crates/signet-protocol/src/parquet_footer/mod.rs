//! A check of a Parquet file's footer before the parquet crate decodes it.
//!
//! The parquet crate (56) decodes the footer's Thrift metadata trusting every declared list
//! length: a corrupt file that declares a list of 2^31 row groups makes it reserve tens of
//! gigabytes, and an allocation failure aborts the process, which no panic guard catches (the
//! `data_parquet` and `request_parquet` fuzz targets found such files; upstream, apache/arrow-rs
//! #10920). [`check`] walks the footer's Thrift compact encoding without allocating, reading
//! each field as the crate's generated decoder reads it (by field id, from [`table`]: the
//! decoder does not look at the declared type of a field it knows), and refuses a count that
//! the bytes left cannot hold (every list element or string byte takes at least one byte), a
//! field whose declared type is not the one the decoder reads, and nesting deeper than
//! [`MAX_DEPTH`].

mod table;

/// The deepest nesting accepted (the footer's own structs nest a few levels).
pub const MAX_DEPTH: usize = 64;

/// What the parquet crate reads for a field (or a list element).
#[derive(Clone, Copy, Debug)]
pub enum Kind {
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

/// The footer metadata of a whole Parquet file: the bytes before the 4-byte length and the
/// closing `PAR1`.
pub fn footer(file: &[u8]) -> Result<&[u8], String> {
    if file.len() < 12 || !file.ends_with(b"PAR1") {
        return Err("not a Parquet file (no PAR1 at the end)".into());
    }
    let end = file.len() - 8;
    let len = u32::from_le_bytes(file[end..end + 4].try_into().expect("4 bytes")) as usize;
    if len > end {
        return Err(format!(
            "the footer says its metadata is {len} bytes, more than the file before it ({end})"
        ));
    }
    Ok(&file[end - len..end])
}

/// Checks the footer metadata (from [`footer`]): see the module documentation.
pub fn check(metadata: &[u8]) -> Result<(), String> {
    let mut r = Reader {
        bytes: metadata,
        at: 0,
    };
    r.read_struct(table::FILEMETADATA, 1)
        .map_err(|e| format!("corrupt footer metadata at byte {}: {e}", r.at))
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
        let b = *self.bytes.get(self.at).ok_or("the metadata ends early")?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<(), String> {
        if n > self.left() {
            return Err(format!(
                "{n} bytes declared, {} left in the metadata",
                self.left()
            ));
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
            _ => Err(format!(
                "{n} items declared, {} bytes left in the metadata",
                self.left()
            )),
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

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
    use std::sync::Arc;

    fn parquet_file() -> Vec<u8> {
        let a: ArrayRef = Arc::new(Int64Array::from(vec![Some(1), None, Some(3)]));
        let b: ArrayRef = Arc::new(StringArray::from(vec!["x", "yy", "zzz"]));
        let batch = RecordBatch::try_from_iter([("a", a), ("b", b)]).unwrap();
        let mut buf = Vec::new();
        let mut w = ::parquet::arrow::ArrowWriter::try_new(&mut buf, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        buf
    }

    #[test]
    fn a_real_footer_passes_and_every_truncation_fails() {
        let file = parquet_file();
        let meta = footer(&file).unwrap();
        check(meta).unwrap();
        for cut in 0..meta.len() {
            assert!(check(&meta[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn impossible_lengths_and_deep_nesting_are_refused() {
        // Field 4 (row_groups), a list of structs claiming 2^31 - 1 elements in 6 bytes.
        let huge = [0x49, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00];
        let e = check(&huge).unwrap_err();
        assert!(e.contains("2147483647 items declared"), "{e}");
        // Field 6 (created_by), a string of 100 bytes with 2 left.
        let e = check(&[0x68, 100, b'a', b'b']).unwrap_err();
        assert!(e.contains("100 items declared, 2 bytes left"), "{e}");
        // Field 4 declared as an i32: the decoder would read a list header from its bytes.
        let e = check(&[0x45, 0x02, 0x00]).unwrap_err();
        assert!(
            e.contains("field 4 of FileMetaData is declared as Thrift type 5"),
            "{e}"
        );
        // An unknown field holding structs nested 100 deep.
        let mut deep = vec![0xfc]; // field 15 (unknown), a struct
        deep.extend([0x1c; 100]); // whose field 1 is a struct, whose field 1 ...
        deep.extend([0u8; 102]);
        let e = check(&deep).unwrap_err();
        assert!(e.contains("nested deeper than 64 levels"), "{e}");
        assert!(footer(b"PAR1").is_err());
        let e = footer(b"PAR1\xff\xff\x00\x00PAR1").unwrap_err();
        assert!(e.contains("65535 bytes"), "{e}");
    }
}
