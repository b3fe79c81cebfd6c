//! Bytes to text the way Python does it: `json.loads(bytes)`'s encoding detection, the UTF-8
//! codec's error reports, and the reprs of Python exceptions that MLflow puts in messages.

use signet::repr::{py_bytes, py_str};
use std::borrow::Cow;

/// Python's `repr()` of an exception built from one message: `ValueError('msg')`.
pub(crate) fn exc_repr(class: &str, msg: &str) -> String {
    format!("{class}({})", py_str(msg))
}

/// A failed decode, as Python's `UnicodeDecodeError`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DecodeError {
    /// Codec name (`utf-8`, `utf-16-le`, ...).
    pub encoding: &'static str,
    /// First offending byte.
    pub start: usize,
    /// One past the last offending byte.
    pub end: usize,
    /// Python's reason text (`invalid start byte`, ...).
    pub reason: &'static str,
}

impl DecodeError {
    /// `repr()` of the `UnicodeDecodeError`, with the whole input as Python prints it:
    /// `UnicodeDecodeError('utf-8', b'a,\xff', 2, 3, 'invalid start byte')`.
    pub fn repr(&self, input: &[u8]) -> String {
        format!(
            "UnicodeDecodeError({}, {}, {}, {}, {})",
            py_str(self.encoding),
            py_bytes(input),
            self.start,
            self.end,
            py_str(self.reason)
        )
    }
}

/// Decodes UTF-8 strictly (`bytes.decode("utf-8")`), reporting errors as Python does.
pub(crate) fn decode_utf8(b: &[u8]) -> Result<&str, DecodeError> {
    match std::str::from_utf8(b) {
        Ok(s) => Ok(s),
        Err(e) => {
            let start = e.valid_up_to();
            let lead = b[start];
            let bad_lead = matches!(lead, 0x80..=0xC1 | 0xF5..=0xFF);
            let (end, reason) = if bad_lead {
                (start + 1, "invalid start byte")
            } else {
                match e.error_len() {
                    Some(n) => (start + n, "invalid continuation byte"),
                    None => (b.len(), "unexpected end of data"),
                }
            };
            Err(DecodeError {
                encoding: "utf-8",
                start,
                end,
                reason,
            })
        }
    }
}

/// UTF-8 with Python's `surrogatepass`: encoded surrogates (`ED A0..BF xx`) are accepted.
/// A Rust string cannot hold them; they become U+FFFD.
fn decode_utf8_surrogatepass(b: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    match decode_utf8(b) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(first) => {
            let mut out = String::with_capacity(b.len());
            let mut i = 0;
            while i < b.len() {
                match std::str::from_utf8(&b[i..]) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let ok = e.valid_up_to();
                        out.push_str(std::str::from_utf8(&b[i..i + ok]).unwrap_or_default());
                        i += ok;
                        if b[i] == 0xED
                            && matches!(b.get(i + 1), Some(0xA0..=0xBF))
                            && matches!(b.get(i + 2), Some(0x80..=0xBF))
                        {
                            out.push('\u{FFFD}');
                            i += 3;
                        } else {
                            return Err(DecodeError {
                                start: i,
                                ..decode_utf8(&b[i..]).err().map_or(first.clone(), |e| {
                                    DecodeError {
                                        start: e.start + i,
                                        end: e.end + i,
                                        ..e
                                    }
                                })
                            });
                        }
                    }
                }
            }
            Ok(Cow::Owned(out))
        }
    }
}

fn decode_utf16(b: &[u8], big_endian: bool, name: &'static str) -> Result<String, DecodeError> {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|c| {
            if big_endian {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        })
        .collect();
    let mut out: String = char::decode_utf16(units.iter().copied())
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect();
    if b.len() % 2 == 1 {
        return Err(DecodeError {
            encoding: name,
            start: b.len() - 1,
            end: b.len(),
            reason: "truncated data",
        });
    }
    out.shrink_to_fit();
    Ok(out)
}

fn decode_utf32(b: &[u8], big_endian: bool, name: &'static str) -> Result<String, DecodeError> {
    let mut out = String::with_capacity(b.len() / 4);
    for (k, c) in b.chunks(4).enumerate() {
        if c.len() < 4 {
            return Err(DecodeError {
                encoding: name,
                start: k * 4,
                end: b.len(),
                reason: "truncated data",
            });
        }
        let v = if big_endian {
            u32::from_be_bytes([c[0], c[1], c[2], c[3]])
        } else {
            u32::from_le_bytes([c[0], c[1], c[2], c[3]])
        };
        match char::from_u32(v) {
            Some(ch) => out.push(ch),
            None if (0xD800..0xE000).contains(&v) => out.push('\u{FFFD}'),
            None => {
                return Err(DecodeError {
                    encoding: name,
                    start: k * 4,
                    end: k * 4 + 4,
                    reason: "code point not in range(0x110000)",
                })
            }
        }
    }
    Ok(out)
}

/// Decodes a JSON body as `json.loads(bytes)` does: `json.detect_encoding` picks UTF-8 (a BOM
/// is dropped), UTF-16 or UTF-32, then the bytes are decoded with `surrogatepass`.
pub(crate) fn decode_json_body(b: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    const BOM8: &[u8] = b"\xEF\xBB\xBF";
    if b.starts_with(b"\x00\x00\xFE\xFF") {
        return decode_utf32(&b[4..], true, "utf-32").map(Cow::Owned);
    }
    if b.starts_with(b"\xFF\xFE\x00\x00") {
        return decode_utf32(&b[4..], false, "utf-32").map(Cow::Owned);
    }
    if b.starts_with(b"\xFE\xFF") {
        return decode_utf16(&b[2..], true, "utf-16").map(Cow::Owned);
    }
    if b.starts_with(b"\xFF\xFE") {
        return decode_utf16(&b[2..], false, "utf-16").map(Cow::Owned);
    }
    if let Some(rest) = b.strip_prefix(BOM8) {
        return decode_utf8_surrogatepass(rest).map_err(|e| DecodeError {
            encoding: "utf-8-sig",
            start: e.start + 3,
            end: e.end + 3,
            ..e
        });
    }
    if b.len() >= 4 {
        if b[0] == 0 {
            return if b[1] != 0 {
                decode_utf16(b, true, "utf-16-be").map(Cow::Owned)
            } else {
                decode_utf32(b, true, "utf-32-be").map(Cow::Owned)
            };
        }
        if b[1] == 0 {
            return if b[2] != 0 || b[3] != 0 {
                decode_utf16(b, false, "utf-16-le").map(Cow::Owned)
            } else {
                decode_utf32(b, false, "utf-32-le").map(Cow::Owned)
            };
        }
    } else if b.len() == 2 {
        if b[0] == 0 {
            return decode_utf16(b, true, "utf-16-be").map(Cow::Owned);
        }
        if b[1] == 0 {
            return decode_utf16(b, false, "utf-16-le").map(Cow::Owned);
        }
    }
    decode_utf8_surrogatepass(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_errors_match_python() {
        let e = decode_utf8(b"a,b\n1,\xff\n").unwrap_err();
        assert_eq!(
            e.repr(b"a,b\n1,\xff\n"),
            "UnicodeDecodeError('utf-8', b'a,b\\n1,\\xff\\n', 6, 7, 'invalid start byte')"
        );
        let e = decode_utf8(b"x\xe4A").unwrap_err();
        assert_eq!(
            (e.start, e.end, e.reason),
            (1, 2, "invalid continuation byte")
        );
        let e = decode_utf8(b"x\xe4\xb8").unwrap_err();
        assert_eq!((e.start, e.end, e.reason), (1, 3, "unexpected end of data"));
    }

    #[test]
    fn detects_encodings() {
        assert_eq!(decode_json_body(b"\xEF\xBB\xBF{}").unwrap(), "{}");
        let utf16le: Vec<u8> = "{\"a\": 1}"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode_json_body(&utf16le).unwrap(), "{\"a\": 1}");
        let utf32be: Vec<u8> = "[1]"
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        assert_eq!(decode_json_body(&utf32be).unwrap(), "[1]");
        assert_eq!(
            decode_json_body(b"\"\xed\xa0\x80\"").unwrap(),
            "\"\u{FFFD}\""
        );
        assert!(decode_json_body(b"{\xff}").is_err());
    }
}
