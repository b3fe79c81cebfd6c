//! A small UBJSON reader into [`Value`], covering what XGBoost writes: objects whose keys are
//! length-prefixed strings, arrays, strongly typed counted arrays (`[$d#L<n>` for float32,
//! `[$l#L<n>` for int32, `[$U` for uint8 …), and big-endian numbers. Errors name the byte
//! offset; counts are checked against the bytes left before anything is allocated.

use crate::cursor::Cursor;
use crate::error::TreeError;
use crate::value::Value;

/// Parses a whole UBJSON document; `file` names it in errors.
pub fn parse(bytes: &[u8], file: &str) -> Result<Value, TreeError> {
    let mut p = Cursor::new(bytes, file);
    let marker = p.byte()?;
    let v = p.value_of(marker, 0)?;
    p.finish(v, "UBJSON")
}

/// The UBJSON grammar, read at the shared [`Cursor`].
impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], TreeError> {
        let end = self
            .i
            .checked_add(n)
            .filter(|e| *e <= self.b.len())
            .ok_or_else(|| self.err("unexpected end of file"))?;
        let s = &self.b[self.i..end];
        self.i = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, TreeError> {
        Ok(self.take(1)?[0])
    }

    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], TreeError> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    /// An integer of the type named by `marker`.
    fn int_of(&mut self, marker: u8) -> Result<i64, TreeError> {
        Ok(match marker {
            b'i' => i64::from(i8::from_be_bytes(self.fixed()?)),
            b'U' => i64::from(self.byte()?),
            b'I' => i64::from(i16::from_be_bytes(self.fixed()?)),
            b'l' => i64::from(i32::from_be_bytes(self.fixed()?)),
            b'L' => i64::from_be_bytes(self.fixed()?),
            m => {
                self.i -= 1;
                return Err(self.err(format!("expected an integer marker, found {:?}", m as char)));
            }
        })
    }

    /// A length: an integer marker then its value, which must be non-negative.
    fn length(&mut self) -> Result<usize, TreeError> {
        let at = self.i;
        let m = self.byte()?;
        let n = self.int_of(m)?;
        usize::try_from(n).map_err(|_| self.err_at(at, format!("negative length {n}")))
    }

    /// A length-prefixed string (an object key, or the body of an `S` value).
    fn counted_string(&mut self) -> Result<String, TreeError> {
        let n = self.length()?;
        let at = self.i;
        let s = self.take(n)?;
        String::from_utf8(s.to_vec()).map_err(|_| self.err_at(at, "string is not UTF-8"))
    }

    fn value_of(&mut self, marker: u8, depth: usize) -> Result<Value, TreeError> {
        self.check_depth(depth)?;
        Ok(match marker {
            b'Z' => Value::Null,
            b'T' => Value::Bool(true),
            b'F' => Value::Bool(false),
            b'i' | b'U' | b'I' | b'l' | b'L' => Value::Int(self.int_of(marker)?),
            b'd' => {
                let f = f32::from_be_bytes(self.fixed()?);
                Value::Float {
                    f64: f64::from(f),
                    f32: f,
                }
            }
            b'D' => {
                let f = f64::from_be_bytes(self.fixed()?);
                Value::Float {
                    f64: f,
                    f32: f as f32,
                }
            }
            b'C' => Value::Str((self.byte()? as char).to_string()),
            b'S' => Value::Str(self.counted_string()?),
            b'[' => self.array(depth)?,
            b'{' => self.object(depth)?,
            m => {
                self.i -= 1;
                return Err(self.err(format!("unknown UBJSON marker {:?}", m as char)));
            }
        })
    }

    fn array(&mut self, depth: usize) -> Result<Value, TreeError> {
        let mut ty = None;
        if self.b.get(self.i) == Some(&b'$') {
            self.i += 1;
            ty = Some(self.byte()?);
            if self.b.get(self.i) != Some(&b'#') {
                return Err(self.err("typed array without a count ('#')"));
            }
        }
        if self.b.get(self.i) == Some(&b'#') {
            self.i += 1;
            let n = self.length()?;
            return match ty {
                Some(t) => self.typed(t, n),
                None => {
                    // Counted, untyped: each element has its marker; no closing ']'.
                    if n > self.b.len() - self.i {
                        return Err(self.err(format!("array count {n} exceeds the file size")));
                    }
                    let mut items = Vec::with_capacity(n);
                    for _ in 0..n {
                        let m = self.byte()?;
                        items.push(self.value_of(m, depth + 1)?);
                    }
                    Ok(Value::Array(items))
                }
            };
        }
        let mut items = Vec::new();
        loop {
            let m = self.byte()?;
            if m == b']' {
                return Ok(Value::Array(items));
            }
            items.push(self.value_of(m, depth + 1)?);
        }
    }

    fn typed(&mut self, ty: u8, n: usize) -> Result<Value, TreeError> {
        let width = match ty {
            b'i' | b'U' => 1,
            b'I' => 2,
            b'l' | b'd' => 4,
            b'L' | b'D' => 8,
            m => {
                return Err(self.err(format!(
                    "unsupported typed-array element type {:?}",
                    m as char
                )))
            }
        };
        let bytes = n
            .checked_mul(width)
            .filter(|b| *b <= self.b.len() - self.i)
            .ok_or_else(|| {
                self.err(format!("typed array of {n} elements exceeds the file size"))
            })?;
        let data = self.take(bytes)?;
        let chunks = data.chunks_exact(width);
        Ok(match ty {
            b'd' => Value::F32s(
                chunks
                    .map(|c| f32::from_be_bytes([c[0], c[1], c[2], c[3]]))
                    .collect(),
            ),
            b'D' => Value::F64s(
                chunks
                    .map(|c| f64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                    .collect(),
            ),
            b'i' => Value::Ints(chunks.map(|c| i64::from(c[0] as i8)).collect()),
            b'U' => Value::Ints(chunks.map(|c| i64::from(c[0])).collect()),
            b'I' => Value::Ints(
                chunks
                    .map(|c| i64::from(i16::from_be_bytes([c[0], c[1]])))
                    .collect(),
            ),
            b'l' => Value::Ints(
                chunks
                    .map(|c| i64::from(i32::from_be_bytes([c[0], c[1], c[2], c[3]])))
                    .collect(),
            ),
            _ => Value::Ints(
                chunks
                    .map(|c| i64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                    .collect(),
            ),
        })
    }

    fn object(&mut self, depth: usize) -> Result<Value, TreeError> {
        if matches!(self.b.get(self.i), Some(b'$') | Some(b'#')) {
            return Err(self.err("optimized UBJSON objects are not supported"));
        }
        let mut members = Vec::new();
        loop {
            if self.b.get(self.i) == Some(&b'}') {
                self.i += 1;
                return Ok(Value::Object(members));
            }
            let key = self.counted_string()?;
            let m = self.byte()?;
            let v = self.value_of(m, depth + 1)?;
            members.push((key, v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Vec<u8> {
        let mut v = vec![b'L'];
        v.extend_from_slice(&(k.len() as i64).to_be_bytes());
        v.extend_from_slice(k.as_bytes());
        v
    }

    #[test]
    fn reads_typed_arrays_and_objects() {
        let mut doc = vec![b'{'];
        doc.extend(key("a"));
        doc.extend_from_slice(b"[$d#L");
        doc.extend_from_slice(&2i64.to_be_bytes());
        doc.extend_from_slice(&1.5f32.to_be_bytes());
        doc.extend_from_slice(&(-0.25f32).to_be_bytes());
        doc.extend(key("b"));
        doc.extend_from_slice(b"[i\x05U\xff]");
        doc.push(b'}');
        let v = parse(&doc, "m.ubj").unwrap();
        let Value::Object(m) = v else { panic!() };
        assert_eq!(m[0], ("a".into(), Value::F32s(vec![1.5, -0.25])));
        assert_eq!(
            m[1],
            (
                "b".into(),
                Value::Array(vec![Value::Int(5), Value::Int(255)])
            )
        );
    }

    #[test]
    fn corrupt_counts_and_truncation_are_errors() {
        let mut doc = vec![b'{'];
        doc.extend(key("a"));
        doc.extend_from_slice(b"[$d#L");
        doc.extend_from_slice(&(1i64 << 60).to_be_bytes());
        let e = parse(&doc, "m.ubj").unwrap_err();
        assert!(
            e.to_string().starts_with(
                "m.ubj: byte 24: typed array of 1152921504606846976 elements exceeds the file size"
            ),
            "{e}"
        );
        let e = parse(b"{L\x00\x00", "m.ubj").unwrap_err();
        assert_eq!(e.to_string(), "m.ubj: byte 2: unexpected end of file");
        let e = parse(b"{L\x00\x00\x00\x00\x00\x00\x00\x01aQ}", "m.ubj").unwrap_err();
        assert_eq!(e.to_string(), "m.ubj: byte 11: unknown UBJSON marker 'Q'");
    }
}
