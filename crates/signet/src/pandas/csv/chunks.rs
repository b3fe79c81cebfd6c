//! pandas' tokenizer rules ([`super::tokenizer`]) applied to a whole block of bytes at a time,
//! for reading one file on several cores.
//!
//! A file is cut into blocks right after a line end (`\n` or `\r`, [`cut_point`]). Each block
//! is [`scan`]ned on its own *speculatively*: as if it started at the start of a record,
//! outside quotes. That is right unless the previous block ended inside a quoted field (a
//! quoted newline straddles the cut); the previous block's scan says so
//! ([`BlockEnd::Partial`]), and the caller then scans the previous block's unfinished record
//! joined with this block instead, in order. A cut cannot fall anywhere else: a block ends with
//! a line end, which either ends a record (outside quotes) or sits in a quoted field.
//!
//! Field and row boundaries are found in bulk (`memchr` over `,`, `\n`, `\r`; over `"` inside
//! quoted fields); nothing is allocated per field or per cell. The rules are the sequential
//! tokenizer's: a `"` opens a quoted field only at the field's start, `""` inside one is a
//! quote, text after the closing quote belongs to the field; lines of only spaces and tabs are
//! skipped. What the sequential tokenizer refuses (an unterminated quote at the end of the
//! data, invalid UTF-8) stops the scan with [`Stop`]: the caller reads the file with
//! [`super::TextReader`] for pandas' exact message.

use super::tokenizer::Records;
use super::{header_labels, CsvError};
use memchr::{memchr, memchr3, memrchr2};
use std::io::BufRead;
use std::ops::Range;

/// Where a file's data rows start, and how its rows map to columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The column labels, as pandas makes them from the header.
    pub labels: Vec<String>,
    /// The byte offset just after the header's line end (a leading byte-order mark counted).
    pub data_start: u64,
    /// Leading fields of every row that form pandas' implicit index (the first data row is
    /// wider than the header by this many).
    pub index_fields: usize,
}

/// Reads the header and the first data row of a CSV text as [`super::TextReader`] does.
/// An empty text is [`CsvError::Empty`].
pub fn layout<R: BufRead>(input: R) -> Result<Layout, CsvError> {
    let mut records = Records::new(input);
    let header = records.next_record()?.ok_or(CsvError::Empty)?;
    let labels = header_labels(header.fields.iter().map(String::as_str));
    let data_start = records.consumed();
    let index_fields = records
        .next_record()?
        .map_or(0, |r| r.fields.len().saturating_sub(labels.len()));
    Ok(Layout {
        labels,
        data_start,
        index_fields,
    })
}

/// Where a block may be cut: just after its last line end (`None`: the block has none).
pub fn cut_point(bytes: &[u8]) -> Option<usize> {
    memrchr2(b'\n', b'\r', bytes).map(|i| i + 1)
}

/// How a block's scan ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockEnd {
    /// At a record boundary: the next block starts a record.
    Clean,
    /// Inside the record starting at this offset (a quoted field still open, or no line end
    /// after it before the end of a block that is not the last): it continues in the next
    /// block.
    Partial(usize),
}

/// Why a scan stopped: the text is one the sequential tokenizer refuses, or the caller's
/// record callback refused a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// A quoted field is still open at the end of the data.
    UnterminatedQuote,
    /// The block is not valid UTF-8.
    InvalidUtf8,
    /// The record callback stopped the scan.
    Refused,
}

/// What a block's scan found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scanned {
    /// The records (data rows) passed to the callback.
    pub rows: usize,
    /// Where the scan ended.
    pub end: BlockEnd,
}

/// Scans `block` from a record start, outside quotes: calls `on_record(block, fields)` for
/// every record (blank lines skipped), `fields` the byte ranges of its fields as written (a
/// quoted field with its quotes: [`field_text`] reads it). `at_eof`: the block ends the data.
/// `on_record` returning `false` stops the scan with [`Stop::Refused`].
pub fn scan(
    block: &[u8],
    at_eof: bool,
    fields: &mut Vec<Range<usize>>,
    mut on_record: impl FnMut(&[u8], &[Range<usize>]) -> bool,
) -> Result<Scanned, Stop> {
    if std::str::from_utf8(block).is_err() {
        return Err(Stop::InvalidUtf8);
    }
    let n = block.len();
    let mut pos = 0;
    let mut rows = 0;
    while pos < n {
        let record_start = pos;
        fields.clear();
        let mut line_ended = false;
        while !line_ended {
            let start = pos;
            if block.get(pos) == Some(&b'"') {
                // A quoted field: up to the quote that is not doubled.
                let mut p = pos + 1;
                loop {
                    let Some(k) = memchr(b'"', &block[p..]) else {
                        if at_eof {
                            return Err(Stop::UnterminatedQuote);
                        }
                        return Ok(Scanned {
                            rows,
                            end: BlockEnd::Partial(record_start),
                        });
                    };
                    let q = p + k;
                    if q + 1 == n && !at_eof {
                        // A doubled quote or the closing one: the next block tells.
                        return Ok(Scanned {
                            rows,
                            end: BlockEnd::Partial(record_start),
                        });
                    }
                    if block.get(q + 1) == Some(&b'"') {
                        p = q + 2;
                        continue;
                    }
                    pos = q + 1;
                    break;
                }
            }
            match memchr3(b',', b'\n', b'\r', &block[pos..]) {
                Some(k) => {
                    let end = pos + k;
                    fields.push(start..end);
                    pos = end + 1;
                    line_ended = block[end] != b',';
                }
                None if at_eof => {
                    fields.push(start..n);
                    pos = n;
                    line_ended = true;
                }
                None => {
                    return Ok(Scanned {
                        rows,
                        end: BlockEnd::Partial(record_start),
                    })
                }
            }
        }
        if let [only] = fields.as_slice() {
            if block[only.clone()].iter().all(|&b| b == b' ' || b == b'\t') {
                continue; // a blank line
            }
        }
        rows += 1;
        if !on_record(block, fields) {
            return Err(Stop::Refused);
        }
    }
    Ok(Scanned {
        rows,
        end: BlockEnd::Clean,
    })
}

/// The text of a field as the tokenizer gives it: `raw` as written when it does not start
/// with a quote, else without its quotes, `""` read as `"`, and any text after the closing
/// quote kept. `scratch` holds the text when it differs from `raw`.
pub fn field_text<'a>(raw: &'a [u8], scratch: &'a mut Vec<u8>) -> &'a [u8] {
    if raw.first() != Some(&b'"') {
        return raw;
    }
    let body = &raw[1..];
    let Some(close) = memchr(b'"', body) else {
        return body;
    };
    if close + 1 == body.len() {
        return &body[..close]; // the common case: `"text"`
    }
    scratch.clear();
    let mut i = 0;
    let mut quoted = true;
    while i < body.len() {
        let b = body[i];
        if quoted && b == b'"' {
            if body.get(i + 1) == Some(&b'"') {
                scratch.push(b'"');
                i += 2;
                continue;
            }
            quoted = false;
            i += 1;
            continue;
        }
        scratch.push(b);
        i += 1;
    }
    scratch
}

/// Puts the speculative scans of consecutive blocks in order: a block whose predecessor ended
/// inside a record ([`BlockEnd::Partial`]) is scanned again, joined to that record's start.
#[derive(Debug, Default)]
pub struct Joiner {
    carry: Vec<u8>,
}

impl Joiner {
    /// The bytes the next block (in file order) is read as, and whether its speculative scan
    /// holds: the block itself when the previous block ended cleanly, else the previous
    /// block's unfinished record followed by the block (scan these again).
    pub fn join(&mut self, block: Vec<u8>) -> (Vec<u8>, bool) {
        if self.carry.is_empty() {
            return (block, true);
        }
        let mut joined = std::mem::take(&mut self.carry);
        joined.extend_from_slice(&block);
        (joined, false)
    }

    /// Records how the scan of `bytes` (what [`Joiner::join`] gave) ended: an unfinished
    /// record is kept for the next block.
    pub fn ended(&mut self, bytes: &[u8], end: BlockEnd) {
        self.carry.clear();
        if let BlockEnd::Partial(start) = end {
            self.carry.extend_from_slice(&bytes[start..]);
        }
    }

    /// Bytes of the unfinished record carried to the next block.
    pub fn carried(&self) -> usize {
        self.carry.len()
    }
}

#[cfg(test)]
mod tests;
