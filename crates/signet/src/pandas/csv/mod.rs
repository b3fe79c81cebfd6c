//! `pd.read_csv` with its default options, the one home of pandas' CSV rules in signet: the
//! C tokenizer ([`tokenizer`]), missing-value strings and cell parsers ([`cells`]), header
//! labels ([`labels`]) and column typing ([`typing`]).
//!
//! [`TextReader`] streams a file's rows as text, [`read_csv`] reads a whole text into a
//! DataFrame typed as pandas types it. The scoring server (`text/csv` bodies), `signet infer`
//! and `signet check` all read CSV through here.

pub mod cells;
pub mod chunks;
pub mod labels;
pub mod tokenizer;
pub mod typing;

pub use cells::{is_na, parse_bool, parse_float, parse_int, NA_VALUES};
pub use labels::header_labels;
pub use tokenizer::{Record, Records};
pub use typing::{classify, natural_column, type_column, Natural};

use arrow_array::RecordBatch;
use std::fmt;
use std::io::BufRead;

/// Why a CSV text could not be read, with pandas' message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsvError {
    /// The text is empty: pandas' `EmptyDataError` (`No columns to parse from file`).
    Empty,
    /// pandas' `ParserError` message (`Error tokenizing data. C error: ...`) or a decoding
    /// error, and the 1-based line it is about.
    Parse {
        /// pandas' message.
        message: String,
        /// The 1-based line of the text.
        line: usize,
    },
    /// The input could not be read.
    Io(String),
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::Empty => f.write_str("No columns to parse from file"),
            CsvError::Parse { message, .. } => f.write_str(message),
            CsvError::Io(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CsvError {}

impl CsvError {
    /// The 1-based line a parse error is about.
    pub fn line(&self) -> Option<usize> {
        match self {
            CsvError::Parse { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// Rows of text cells, column by column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextRows {
    /// One vector of cells per column (the header's width); a row shorter than the header
    /// has `None` in the missing columns. Cells are as written (NA strings included).
    pub columns: Vec<Vec<Option<String>>>,
    /// The 1-based line each row starts on.
    pub lines: Vec<usize>,
}

impl TextRows {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// A CSV text read row by row: the header's labels first, then the rows in batches.
pub struct TextReader<R> {
    records: Records<R>,
    labels: Vec<String>,
    /// Leading fields of each row that form pandas' implicit index (the first data row is
    /// wider than the header).
    index_fields: Option<usize>,
}

impl<R: BufRead> TextReader<R> {
    /// Reads the header. An empty text is [`CsvError::Empty`].
    pub fn new(input: R) -> Result<TextReader<R>, CsvError> {
        let mut records = Records::new(input);
        let header = records.next_record()?.ok_or(CsvError::Empty)?;
        let labels = header_labels(header.fields.iter().map(String::as_str));
        Ok(TextReader {
            records,
            labels,
            index_fields: None,
        })
    }

    /// The column labels, as pandas makes them from the header.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Bytes of the input read so far.
    pub fn consumed(&self) -> u64 {
        self.records.consumed()
    }

    /// Up to `max` more rows (`None` at the end of the text).
    ///
    /// A row wider than the header (and than the implicit index the first row set up) is
    /// refused with pandas' `Expected N fields in line L, saw M` message.
    pub fn next_rows(&mut self, max: usize) -> Result<Option<TextRows>, CsvError> {
        let width = self.labels.len();
        let mut rows = TextRows {
            columns: vec![Vec::new(); width],
            lines: Vec::new(),
        };
        while rows.len() < max {
            let Some(record) = self.records.next_record()? else {
                break;
            };
            let skip = *self
                .index_fields
                .get_or_insert(record.fields.len().saturating_sub(width));
            let expected = width + skip;
            if record.fields.len() > expected {
                return Err(CsvError::Parse {
                    message: format!(
                        "Error tokenizing data. C error: Expected {expected} fields in line {}, saw {}\n",
                        record.line,
                        record.fields.len()
                    ),
                    line: record.line,
                });
            }
            let mut fields = record.fields.into_iter().skip(skip);
            for column in rows.columns.iter_mut() {
                column.push(fields.next());
            }
            rows.lines.push(record.line);
        }
        Ok((!rows.is_empty()).then_some(rows))
    }
}

/// `pd.read_csv(text)`: every row, each column typed as pandas types it ([`type_column`]).
///
/// The text is scanned in bulk ([`chunks::scan`]: field boundaries by `memchr`, cells borrowed
/// from the text, nothing allocated per cell); a text the bulk scan does not take as is (an
/// unterminated quote, invalid UTF-8, a row wider than the header) is read again by the
/// sequential tokenizer, which gives pandas' exact error.
pub fn read_csv<R: BufRead>(mut input: R) -> Result<RecordBatch, CsvError> {
    let mut text = Vec::new();
    input
        .read_to_end(&mut text)
        .map_err(|e| CsvError::Io(format!("cannot read the CSV text: {e}")))?;
    match read_csv_bulk(&text) {
        Some(batch) => batch,
        None => read_csv_sequential(&text[..]),
    }
}

/// One cell found by the bulk scan: missing (a short row), a byte range of the data, or a
/// quoted cell whose text differs from its bytes (an index into the unescaped texts).
#[derive(Clone, Copy)]
enum BulkCell {
    Missing,
    Span(u32, u32),
    Unescaped(u32),
}

/// [`read_csv`] by the bulk scan; `None` when the sequential reader must decide.
fn read_csv_bulk(text: &[u8]) -> Option<Result<RecordBatch, CsvError>> {
    let layout = chunks::layout(text).ok()?;
    let data = text.get(usize::try_from(layout.data_start).ok()?..)?;
    // Invalid UTF-8 is the sequential reader's to report.
    let data_text = std::str::from_utf8(data).ok()?;
    // Offsets are stored as u32.
    if data.len() > u32::MAX as usize {
        return None;
    }
    let width = layout.labels.len();
    let skip = layout.index_fields;
    let mut columns: Vec<Vec<BulkCell>> = vec![Vec::new(); width];
    let mut unescaped: Vec<String> = Vec::new();
    let mut scratch = Vec::new();
    let mut ranges = Vec::new();
    let scanned = chunks::scan(data, true, &mut ranges, |block, fields| {
        if fields.len() > width + skip {
            return false;
        }
        let mut cells = fields.iter().skip(skip);
        for column in columns.iter_mut() {
            let cell = match cells.next() {
                None => BulkCell::Missing,
                Some(r) => {
                    let raw = &block[r.clone()];
                    let cell = chunks::field_text(raw, &mut scratch);
                    let start = (cell.as_ptr() as usize).wrapping_sub(block.as_ptr() as usize);
                    if start <= block.len() && start + cell.len() <= block.len() {
                        BulkCell::Span(start as u32, (start + cell.len()) as u32)
                    } else {
                        unescaped.push(String::from_utf8_lossy(cell).into_owned());
                        BulkCell::Unescaped((unescaped.len() - 1) as u32)
                    }
                }
            };
            column.push(cell);
        }
        true
    });
    let rows = scanned.ok()?.rows;
    let mut fields = Vec::with_capacity(width);
    let mut arrays = Vec::with_capacity(width);
    for (label, cells) in layout.labels.iter().zip(&columns) {
        // Spans start and end at ASCII delimiters or quotes, so on character boundaries.
        let cells: Vec<Option<&str>> = cells
            .iter()
            .map(|c| match *c {
                BulkCell::Missing => Some(None),
                BulkCell::Span(a, b) => data_text.get(a as usize..b as usize).map(Some),
                BulkCell::Unescaped(i) => Some(Some(unescaped[i as usize].as_str())),
            })
            .collect::<Option<_>>()?;
        let (field, array) = type_column(label, &cells);
        fields.push(field);
        arrays.push(array);
    }
    Some(batch(fields, arrays, rows))
}

/// [`read_csv`] by the sequential tokenizer.
fn read_csv_sequential<R: BufRead>(input: R) -> Result<RecordBatch, CsvError> {
    let mut reader = TextReader::new(input)?;
    let mut all = TextRows {
        columns: vec![Vec::new(); reader.labels().len()],
        lines: Vec::new(),
    };
    while let Some(rows) = reader.next_rows(1 << 16)? {
        for (column, more) in all.columns.iter_mut().zip(rows.columns) {
            column.extend(more);
        }
        all.lines.extend(rows.lines);
    }
    let mut fields = Vec::with_capacity(all.columns.len());
    let mut arrays = Vec::with_capacity(all.columns.len());
    for (label, cells) in reader.labels().iter().zip(&all.columns) {
        let cells: Vec<Option<&str>> = cells.iter().map(|c| c.as_deref()).collect();
        let (field, array) = type_column(label, &cells);
        fields.push(field);
        arrays.push(array);
    }
    batch(fields, arrays, all.len())
}

/// The DataFrame of typed columns.
fn batch(
    fields: Vec<arrow_schema::Field>,
    arrays: Vec<arrow_array::ArrayRef>,
    rows: usize,
) -> Result<RecordBatch, CsvError> {
    crate::table::frame_of(fields, arrays, rows)
        .map_err(|e| CsvError::Io(format!("cannot build the table: {e}")))
}

#[cfg(test)]
mod bulk_tests {
    use super::*;

    /// The bulk scan and the sequential tokenizer read the same tables, and the texts the
    /// bulk scan leaves to the sequential reader still get pandas' error.
    #[test]
    fn bulk_and_sequential_agree() {
        let texts = [
            "a,b\n1,2\n3,4\n",
            "a,b\r\n1,\"x,\"\"y\"\"\"\r\n\r\n  \n3,\n",
            "a,b\n1,\"multi\nline\"\n2\n",
            "\u{feff}a,a,b\n1,2,3\n",
            "a,b\nidx,1,2\nj,3,4\n",
            "a,b\n1,2,3\n4,5,6,7\n",
            "a,b\n1,\"open\n",
            "a,b\n",
            "a,b\n\"\",NA\n,nan\n",
            "x\n1\n2.5\n\"3\"\n",
            "x,y\n99999999999999999999,true\n1,False\n",
        ];
        for text in texts {
            let seq = read_csv_sequential(text.as_bytes());
            let all = read_csv(text.as_bytes());
            assert_eq!(format!("{all:?}"), format!("{seq:?}"), "{text:?}");
        }
        assert!(read_csv_bulk(b"a,b\n1,2,3\n4,5,6,7\n").is_none());
        assert!(read_csv_bulk(b"a,b\n1,\"open\n").is_none());
        assert!(read_csv_bulk(b"a\n1\n").is_some());
    }
}
