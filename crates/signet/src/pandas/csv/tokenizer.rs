//! pandas' C tokenizer (`pandas/_libs/src/parser/tokenizer.c`, default options): `,`
//! delimiter, `"` quoting with doubled quotes inside quoted fields, `\n`, `\r\n` and `\r` line
//! ends, blank lines skipped, a UTF-8 byte-order mark before the first field dropped.
//!
//! Records are read one at a time from any [`BufRead`], so a file of any size streams in
//! bounded memory. A quoted field still open at the end of the data is refused as pandas
//! refuses it (`EOF inside string starting at row N`, N the 0-based line the field started on).

use super::CsvError;
use std::io::BufRead;

/// One record: its fields (quotes removed) and the 1-based line it started on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// The fields, as text.
    pub fields: Vec<String>,
    /// The 1-based line the record starts on.
    pub line: usize,
}

/// The records of a CSV text, read one at a time.
pub struct Records<R> {
    input: R,
    /// The 1-based line the next byte is on.
    line: usize,
    /// Bytes read so far (for progress reports).
    consumed: u64,
    at_start: bool,
    done: bool,
    /// A `\r` ended the last record; a `\n` right after it belongs to the same line end.
    after_cr: bool,
}

impl<R: BufRead> Records<R> {
    /// Records of `input`, from its first line.
    pub fn new(input: R) -> Records<R> {
        Records {
            input,
            line: 1,
            consumed: 0,
            at_start: true,
            done: false,
            after_cr: false,
        }
    }

    /// How many bytes of the input have been read.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    fn fill(&mut self) -> Result<&[u8], CsvError> {
        self.input
            .fill_buf()
            .map_err(|e| CsvError::Io(e.to_string()))
    }

    /// The next record, `None` at the end of the data.
    pub fn next_record(&mut self) -> Result<Option<Record>, CsvError> {
        if self.done {
            return Ok(None);
        }
        if self.at_start {
            self.at_start = false;
            let buf = self.fill()?;
            if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
                self.input.consume(3);
                self.consumed += 3;
            }
        }
        let mut fields: Vec<String> = Vec::new();
        let mut field: Vec<u8> = Vec::new();
        let mut has_content = false;
        // Only spaces and tabs so far, no delimiter, no quote: a line pandas skips as blank.
        let mut only_blank = true;
        let mut field_started = false;
        let mut in_quotes = false;
        let mut quote_line = 0usize;
        let mut quote_pending = false; // a `"` inside quotes: closing, or the first of a pair
        let mut start_line = self.line;
        loop {
            let buf = self
                .input
                .fill_buf()
                .map_err(|e| CsvError::Io(e.to_string()))?;
            if buf.is_empty() {
                self.done = true;
                if in_quotes && !quote_pending {
                    return Err(CsvError::Parse {
                        message: format!(
                            "Error tokenizing data. C error: EOF inside string starting at row {}",
                            quote_line - 1
                        ),
                        line: quote_line,
                    });
                }
                if !has_content || only_blank {
                    return Ok(None);
                }
                fields.push(text(field, self.line)?);
                return Ok(Some(Record {
                    fields,
                    line: start_line,
                }));
            }
            let mut used = 0;
            let mut finished = false;
            for &b in buf {
                used += 1;
                if self.after_cr {
                    self.after_cr = false;
                    if b == b'\n' {
                        continue;
                    }
                }
                if in_quotes {
                    if quote_pending {
                        quote_pending = false;
                        if b == b'"' {
                            field.push(b'"');
                            continue;
                        }
                        in_quotes = false;
                        // fall through: `b` follows the closing quote
                    } else if b == b'"' {
                        quote_pending = true;
                        continue;
                    } else {
                        // `\r\n` inside a quoted field is one line end, kept in the field.
                        if b == b'\r' || (b == b'\n' && field.last() != Some(&b'\r')) {
                            self.line += 1;
                        }
                        field.push(b);
                        continue;
                    }
                }
                match b {
                    b'"' if !field_started => {
                        in_quotes = true;
                        field_started = true;
                        has_content = true;
                        only_blank = false;
                        quote_line = self.line;
                    }
                    b',' => {
                        fields.push(text(std::mem::take(&mut field), self.line)?);
                        field_started = false;
                        has_content = true;
                        only_blank = false;
                    }
                    b'\n' | b'\r' => {
                        self.line += 1;
                        self.after_cr = b == b'\r';
                        if has_content && !only_blank {
                            finished = true;
                            break;
                        }
                        field.clear();
                        fields.clear();
                        field_started = false;
                        has_content = false;
                        only_blank = true;
                        start_line = self.line;
                    }
                    other => {
                        field.push(other);
                        field_started = true;
                        has_content = true;
                        only_blank &= other == b' ' || other == b'\t';
                    }
                }
            }
            self.input.consume(used);
            self.consumed += used as u64;
            if finished {
                fields.push(text(field, self.line)?);
                return Ok(Some(Record {
                    fields,
                    line: start_line,
                }));
            }
        }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Result<Record, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().transpose()
    }
}

fn text(bytes: Vec<u8>, line: usize) -> Result<String, CsvError> {
    String::from_utf8(bytes).map_err(|e| CsvError::Parse {
        message: format!(
            "'utf-8' codec can't decode byte 0x{:02x}: invalid UTF-8",
            e.as_bytes()
                .get(e.utf8_error().valid_up_to())
                .copied()
                .unwrap_or(0)
        ),
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
        Records::new(text.as_bytes())
            .map(|r| r.map(|r| (r.line, r.fields)))
            .collect()
    }

    fn fields(text: &str) -> Vec<Vec<String>> {
        records(text)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"))
            .into_iter()
            .map(|(_, f)| f)
            .collect()
    }

    #[test]
    fn fields_follow_the_c_tokenizer() {
        let cases: &[(&str, &[&[&str]])] = &[
            ("a,b\n1,2\n", &[&["a", "b"], &["1", "2"]]),
            ("a,b\r\n1,2\r\n", &[&["a", "b"], &["1", "2"]]),
            ("a,b\r1,2", &[&["a", "b"], &["1", "2"]]),
            ("a\n\n\n1\n", &[&["a"], &["1"]]),
            (
                "a,b\n1,2\n  \n\t\n3,4\n",
                &[&["a", "b"], &["1", "2"], &["3", "4"]],
            ),
            ("a\n 1\n", &[&["a"], &[" 1"]]),
            ("a\n\"x,y\"\n", &[&["a"], &["x,y"]]),
            ("a\n\"x\"\"y\"\n", &[&["a"], &["x\"y"]]),
            ("a\n\"x\ny\"\n", &[&["a"], &["x\ny"]]),
            ("a\n\"x\"y\n", &[&["a"], &["xy"]]),
            ("a\nx\"y\"\n", &[&["a"], &["x\"y\""]]),
            ("\u{feff}a,b\n1,2\n", &[&["a", "b"], &["1", "2"]]),
            ("a,b\n1,\n", &[&["a", "b"], &["1", ""]]),
            ("a,b\n\"\",2\n", &[&["a", "b"], &["", "2"]]),
        ];
        for (text, want) in cases {
            let want: Vec<Vec<String>> = want
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect();
            assert_eq!(fields(text), want, "{text:?}");
        }
    }

    #[test]
    fn records_know_their_line() {
        let got = records("a\n\n1\n\"x\ny\"\n2\n").unwrap();
        let lines: Vec<usize> = got.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 3, 4, 6]);
    }

    #[test]
    fn an_unterminated_quote_is_refused_as_pandas_refuses_it() {
        // Messages recorded from pandas 3.1.1 (`pd.read_csv`).
        let cases = [
            ("sqft,bed\n1,\"2\n", 1),
            ("a,b\n1,2\n3,4\n5,\"6\n", 3),
            ("a,b\n1,2\n\n\n3,\"4\n", 4),
            ("a\n1\n2\n\"3\n4\n5\n", 3),
        ];
        for (text, row) in cases {
            let err = records(text).expect_err(text);
            assert_eq!(
                err.to_string(),
                format!("Error tokenizing data. C error: EOF inside string starting at row {row}"),
                "{text:?}"
            );
        }
    }
}
