//! Data files read **batch by batch**, in bounded memory, for `signet check`.
//!
//! | extension | batches |
//! | --- | --- |
//! | `.parquet` | `ParquetRecordBatchReader` with a batch size, only the schema's columns decoded |
//! | `.arrow`, `.ipc`, `.feather` | Arrow IPC file or stream, one record batch at a time (as written), only the schema's columns decoded |
//! | `.csv` | [`signet::pandas::csv::TextReader`], every column as text (Utf8; the cells as written), `batch_size` rows at a time |
//! | `.jsonl` | `batch_size` non-blank lines at a time |
//!
//! Parquet and Arrow batches are shown as pandas shows the file (`pd.read_parquet` /
//! `pd.read_feather`, see [`super::columnar`]): dtypes recorded in pandas' metadata restored,
//! pandas' index columns dropped, an integer column with nulls as `float64` and a bool column
//! with nulls as `object` (decided per batch). CSV batches keep the text: the check reads each
//! cell as its column's declared type ([`signet::enforce::violations::text_violations`]).
//!
//! A JSONL line is a record (a JSON object: one row, its keys the columns, as in a list of
//! records), a list (a row of positional columns `0`, `1`, ...) or a scalar (column `0`), the
//! same kind on every line. Each batch has a column for every schema input (rows whose record
//! lacks the key hold `None`, as pandas' NaN), each an `object` column of the JSON values, so
//! that MLflow's object re-inference types it exactly as `pd.DataFrame(records)` would.

use super::csv::csv_error;
use super::{arrow_message, open_file, FEATHER_V1};
use crate::error::CliError;
use arrow_array::{ArrayRef, RecordBatch, RecordBatchOptions, StringArray};
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_schema::{ArrowError, DataType, Field, Schema as ArrowSchema, SchemaRef};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use parquet::errors::ParquetError;
use signet::pandas::csv::TextReader;
use signet::table::PandasPlan;
use signet::types::{ColumnName, Schema, SchemaKind};
use signet::{pyjson, Value};
use std::cell::Cell;
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

/// The file formats `signet check` streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `.csv`
    Csv,
    /// `.parquet`
    Parquet,
    /// `.arrow`, `.ipc`, `.feather`
    Ipc,
    /// `.jsonl`
    Jsonl,
}

impl Kind {
    /// The format's name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Csv => "csv",
            Kind::Parquet => "parquet",
            Kind::Ipc => "arrow",
            Kind::Jsonl => "jsonl",
        }
    }
}

const SUPPORTED: &str = ".csv, .parquet, .jsonl, .arrow, .ipc, .feather";

/// The format of a data file by its extension, after checking that it is a readable file.
pub fn kind_of(path: &Path) -> Result<Kind, CliError> {
    let ext = super::file_extension(path)?;
    match ext.as_deref() {
        Some("csv") => Ok(Kind::Csv),
        Some("parquet") => Ok(Kind::Parquet),
        Some("arrow") | Some("ipc") | Some("feather") => Ok(Kind::Ipc),
        Some("jsonl") => Ok(Kind::Jsonl),
        Some("json") => Err(CliError::file(
            path,
            format!(
                "`.json` files are not streamed; write one JSON record per line as `.jsonl` \
                 (supported: {SUPPORTED})"
            ),
        )),
        Some(other) => Err(CliError::file(
            path,
            format!("unsupported file extension `.{other}` (supported: {SUPPORTED})"),
        )),
        None => Err(CliError::file(
            path,
            format!("no file extension to tell the format by (supported: {SUPPORTED})"),
        )),
    }
}

/// A reader that counts the bytes read through it.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// An open data file yielding record batches.
pub struct Source {
    path: PathBuf,
    kind: Kind,
    /// The file's column labels (for JSONL: the labels seen so far).
    labels: Vec<ColumnName>,
    /// Whether batches hold CSV text cells.
    text: bool,
    size: u64,
    read: Rc<Cell<u64>>,
    rows_done: u64,
    rows_total: Option<u64>,
    /// CSV: the text columns' schema, and rows per batch.
    schema_text: Option<SchemaRef>,
    batch_size: usize,
    inner: Inner,
}

enum Inner {
    Csv(Box<TextReader<BufReader<Counting<File>>>>),
    Parquet(Option<ParquetRecordBatchReader>, PandasPlan),
    IpcFile(FileReader<BufReader<File>>, PandasPlan, usize, usize),
    IpcStream(StreamReader<BufReader<Counting<File>>>, PandasPlan),
    Jsonl(JsonlState),
}

impl Source {
    /// Opens `path` for a check against `schema`, reading `batch_size` rows at a time.
    pub fn open(path: &Path, schema: &Schema, batch_size: usize) -> Result<Source, CliError> {
        let kind = kind_of(path)?;
        let file = open_file(path)?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let read = Rc::new(Cell::new(0));
        let mut source = Source {
            path: path.to_path_buf(),
            kind,
            labels: Vec::new(),
            text: false,
            size,
            read: read.clone(),
            rows_done: 0,
            rows_total: None,
            schema_text: None,
            batch_size,
            inner: Inner::Jsonl(JsonlState::default()),
        };
        match kind {
            Kind::Csv => source.open_csv(file, batch_size)?,
            Kind::Parquet => source.open_parquet(file, schema, batch_size)?,
            Kind::Ipc => source.open_ipc(file, schema)?,
            Kind::Jsonl => {
                source.inner = Inner::Jsonl(JsonlState {
                    reader: Some(BufReader::with_capacity(
                        1 << 16,
                        Counting {
                            inner: file,
                            count: read,
                        },
                    )),
                    batch_size,
                    inputs: input_labels(schema),
                    ..JsonlState::default()
                })
            }
        }
        Ok(source)
    }

    /// The format.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Whether batches hold CSV text cells (check them with `text_violations`).
    pub fn is_text(&self) -> bool {
        self.text
    }

    /// The file's column labels; for JSONL, the labels seen in the lines read so far.
    pub fn labels(&self) -> &[ColumnName] {
        &self.labels
    }

    /// Whether the labels are only known once the whole file is read (JSONL).
    pub fn labels_known_up_front(&self) -> bool {
        self.kind != Kind::Jsonl
    }

    /// The file size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// How far into the file reading has got, in bytes (estimated from rows for Parquet and
    /// from batches for Arrow IPC files).
    pub fn position(&self) -> u64 {
        match (&self.inner, self.rows_total) {
            (Inner::Parquet(..), Some(total)) if total > 0 => {
                (self.size as f64 * self.rows_done as f64 / total as f64) as u64
            }
            (Inner::IpcFile(_, _, done, total), _) if *total > 0 => {
                (self.size as f64 * *done as f64 / *total as f64) as u64
            }
            _ => self.read.get().min(self.size),
        }
    }

    /// The number of rows the file holds, when its metadata says (Parquet).
    pub fn rows_total(&self) -> Option<u64> {
        self.rows_total
    }

    fn bad(&self, problem: impl std::fmt::Display) -> CliError {
        CliError::file(&self.path, problem)
    }

    fn open_csv(&mut self, file: File, batch_size: usize) -> Result<(), CliError> {
        let input = BufReader::with_capacity(
            1 << 16,
            Counting {
                inner: file,
                count: self.read.clone(),
            },
        );
        let reader = TextReader::new(input).map_err(|e| csv_error(&self.path, &e))?;
        let labels = reader.labels().to_vec();
        self.schema_text = Some(Arc::new(ArrowSchema::new(
            labels
                .iter()
                .map(|l| Field::new(l, DataType::Utf8, true))
                .collect::<Vec<_>>(),
        )));
        self.labels = labels.into_iter().map(ColumnName::Str).collect();
        self.text = true;
        self.batch_size = batch_size;
        self.inner = Inner::Csv(Box::new(reader));
        Ok(())
    }

    fn open_parquet(
        &mut self,
        file: File,
        schema: &Schema,
        batch_size: usize,
    ) -> Result<(), CliError> {
        let path = self.path.clone();
        let metadata = super::columnar::parquet_metadata(&path, &file)?;
        let bad = |e: ParquetError| {
            let message = signet_protocol::parquet_check::parquet_message(&e);
            CliError::file(&path, format!("not a readable Parquet file: {message}"))
        };
        let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(file, metadata);
        self.rows_total = u64::try_from(builder.metadata().file_metadata().num_rows()).ok();
        let (plan, wanted) = self.plan(builder.schema(), schema);
        let reader = if wanted.is_empty() {
            None
        } else {
            let mask = ProjectionMask::roots(builder.parquet_schema(), wanted);
            Some(
                builder
                    .with_projection(mask)
                    .with_batch_size(batch_size)
                    .build()
                    .map_err(bad)?,
            )
        };
        self.inner = Inner::Parquet(reader, plan);
        Ok(())
    }

    fn open_ipc(&mut self, mut file: File, schema: &Schema) -> Result<(), CliError> {
        let mut magic = [0u8; 6];
        let n = read_prefix(&mut file, &mut magic)
            .map_err(|e| self.bad(format!("cannot read: {e}")))?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| self.bad(format!("cannot read: {e}")))?;
        if magic[..n].starts_with(b"FEA1") {
            return Err(self.bad(FEATHER_V1));
        }
        let path = self.path.clone();
        if &magic[..n] == b"ARROW1" {
            let bad = |e| arrow_error(&path, "Arrow IPC file", e);
            // The schema first, to decode only the columns the check needs.
            let probed = FileReader::try_new(BufReader::new(file), None)
                .map_err(bad)?
                .schema();
            let (plan, wanted) = self.plan(&probed, schema);
            let reader = FileReader::try_new(BufReader::new(open_file(&path)?), Some(wanted))
                .map_err(bad)?;
            let batches = reader.num_batches();
            self.inner = Inner::IpcFile(reader, plan, 0, batches);
        } else {
            let bad = |e| arrow_error(&path, "Arrow IPC file or stream", e);
            let probed = StreamReader::try_new(BufReader::new(file), None)
                .map_err(bad)?
                .schema();
            let (plan, wanted) = self.plan(&probed, schema);
            let counted = Counting {
                inner: open_file(&self.path)?,
                count: self.read.clone(),
            };
            let reader =
                StreamReader::try_new(BufReader::new(counted), Some(wanted)).map_err(bad)?;
            self.inner = Inner::IpcStream(reader, plan);
        }
        Ok(())
    }

    /// pandas' view of a file with the Arrow schema `arrow_schema`: its labels become the
    /// DataFrame's; returns the plan and the indices of the fields the check reads.
    fn plan(&mut self, arrow_schema: &ArrowSchema, schema: &Schema) -> (PandasPlan, Vec<usize>) {
        let plan = PandasPlan::new(arrow_schema);
        self.labels = plan.columns().iter().map(|(_, l)| l.clone()).collect();
        let wanted = wanted_fields(&plan, schema);
        (plan, wanted)
    }

    /// The next batch, or `None` at the end of the file.
    pub fn next_batch(&mut self) -> Result<Option<RecordBatch>, CliError> {
        let path = self.path.clone();
        let arrow_bad = |what: &str, e: ArrowError| arrow_error(&path, what, e);
        let batch = match &mut self.inner {
            Inner::Csv(reader) => match reader.next_rows(self.batch_size) {
                Ok(None) => None,
                Ok(Some(rows)) => {
                    let schema = self
                        .schema_text
                        .clone()
                        .unwrap_or_else(|| Arc::new(ArrowSchema::empty()));
                    let columns = rows
                        .columns
                        .into_iter()
                        .map(|c| Arc::new(StringArray::from(c)) as ArrayRef)
                        .collect();
                    let options = RecordBatchOptions::new().with_row_count(Some(rows.lines.len()));
                    Some(
                        RecordBatch::try_new_with_options(schema, columns, &options).map_err(
                            |e| CliError::file(&path, format!("cannot build a batch: {e}")),
                        )?,
                    )
                }
                Err(e) => return Err(csv_error(&path, &e)),
            },
            Inner::Parquet(None, _) => None,
            Inner::Parquet(Some(reader), plan) => {
                match guarded_next(reader, &path, "Parquet file")? {
                    None => None,
                    Some(Ok(b)) => Some(plan.apply(b).map_err(|e| arrow_bad("Parquet file", e))?),
                    Some(Err(e)) => return Err(arrow_bad("Parquet file", e)),
                }
            }
            Inner::IpcFile(reader, plan, done, _) => {
                match guarded_next(reader, &path, "Arrow IPC file")? {
                    None => None,
                    Some(Ok(b)) => {
                        *done += 1;
                        Some(plan.apply(b).map_err(|e| arrow_bad("Arrow IPC file", e))?)
                    }
                    Some(Err(e)) => return Err(arrow_bad("Arrow IPC file", e)),
                }
            }
            Inner::IpcStream(reader, plan) => {
                match guarded_next(reader, &path, "Arrow IPC stream")? {
                    None => None,
                    Some(Ok(b)) => Some(
                        plan.apply(b)
                            .map_err(|e| arrow_bad("Arrow IPC stream", e))?,
                    ),
                    Some(Err(e)) => return Err(arrow_bad("Arrow IPC stream", e)),
                }
            }
            Inner::Jsonl(state) => {
                let batch = state.next_batch(&path)?;
                self.labels = state.seen.clone();
                batch
            }
        };
        if let Some(b) = &batch {
            self.rows_done += b.num_rows() as u64;
        }
        Ok(batch)
    }
}

/// The next item of a third-party file reader; a panic inside it (the parquet and arrow-ipc
/// readers have panicked on malformed files) is an error naming the file.
fn guarded_next<I: Iterator>(
    reader: &mut I,
    path: &Path,
    what: &str,
) -> Result<Option<I::Item>, CliError> {
    signet::guard::catch_panic(|| reader.next())
        .map_err(|panic| CliError::file(path, format!("not a readable {what}: {panic}")))
}

fn read_prefix(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// The schema's input names (named schemas), for the JSONL columns.
fn input_labels(schema: &Schema) -> Option<Vec<ColumnName>> {
    if !schema.has_input_names() {
        return None;
    }
    Some(match schema.kind() {
        SchemaKind::Columns(specs) => specs.iter().filter_map(|s| s.name.clone()).collect(),
        SchemaKind::Tensors(specs) => specs
            .iter()
            .filter_map(|s| s.name.clone().map(ColumnName::Str))
            .collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// The columns of Parquet / Arrow files (pandas' view of them: `signet::table::PandasPlan`)

/// A file Arrow cannot read as `what` (`Parquet file`, `Arrow IPC stream`, ...).
fn arrow_error(path: &Path, what: &str, e: ArrowError) -> CliError {
    CliError::file(
        path,
        format!("not a readable {what}: {}", arrow_message(&e)),
    )
}

/// Indices of the file's fields the check reads: the schema's inputs (named), or the first
/// columns (unnamed).
fn wanted_fields(plan: &PandasPlan, schema: &Schema) -> Vec<usize> {
    let columns = plan.columns().iter();
    match input_labels(schema) {
        Some(names) => columns
            .filter(|(_, l)| names.contains(l))
            .map(|(i, _)| *i)
            .collect(),
        None => columns.take(schema.len()).map(|(i, _)| *i).collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// JSONL

/// What the lines of a JSONL file are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineKind {
    Record,
    Row,
    Scalar,
}

#[derive(Default)]
struct JsonlState {
    reader: Option<BufReader<Counting<File>>>,
    batch_size: usize,
    line: usize,
    kind: Option<LineKind>,
    /// Named schema inputs (every batch has these columns).
    inputs: Option<Vec<ColumnName>>,
    /// Labels seen so far, in first-seen order.
    seen: Vec<ColumnName>,
    seen_set: HashSet<ColumnName>,
    buf: Vec<u8>,
}

impl JsonlState {
    fn see(&mut self, label: ColumnName) {
        if self.seen_set.insert(label.clone()) {
            self.seen.push(label);
        }
    }

    fn next_batch(&mut self, path: &Path) -> Result<Option<RecordBatch>, CliError> {
        let Some(mut reader) = self.reader.take() else {
            return Ok(None);
        };
        let mut eof = false;
        let mut rows: Vec<Value> = Vec::with_capacity(self.batch_size);
        while rows.len() < self.batch_size {
            self.buf.clear();
            let n = reader
                .read_until(b'\n', &mut self.buf)
                .map_err(|e| CliError::file(path, format!("cannot read: {e}")))?;
            if n == 0 {
                eof = true;
                break;
            }
            self.line += 1;
            let bytes: &[u8] = if self.line == 1 && self.buf.starts_with(b"\xEF\xBB\xBF") {
                &self.buf[3..]
            } else {
                &self.buf
            };
            let text = std::str::from_utf8(bytes).map_err(|e| {
                CliError::file(
                    path,
                    format!(
                        "not valid UTF-8 on line {}: invalid byte 0x{:02X} at column {}",
                        self.line,
                        bytes[e.valid_up_to()],
                        e.valid_up_to() + 1
                    ),
                )
            })?;
            if text.trim().is_empty() {
                continue;
            }
            let value = pyjson::loads(text).map_err(|e| CliError::json(path, self.line, &e))?;
            let kind = match &value {
                Value::Dict(_) => LineKind::Record,
                Value::List(_) => LineKind::Row,
                _ => LineKind::Scalar,
            };
            match self.kind {
                None => self.kind = Some(kind),
                Some(k) if k != kind => {
                    let want = match k {
                        LineKind::Record => "a JSON object (record)",
                        LineKind::Row => "a JSON array (row)",
                        LineKind::Scalar => "a single JSON value",
                    };
                    return Err(CliError::file(
                        path,
                        format!(
                            "line {}: expected {want} like the lines before it",
                            self.line
                        ),
                    ));
                }
                Some(_) => {}
            }
            match &value {
                Value::Dict(items) => {
                    for (k, _) in items {
                        let label = match k {
                            Value::Str(s) => ColumnName::Str(s.clone()),
                            other => ColumnName::Str(signet::repr::py_str_of(other)),
                        };
                        self.see(label);
                    }
                }
                Value::List(items) => {
                    for i in 0..items.len() {
                        self.see(ColumnName::Int(i as i64));
                    }
                }
                _ => self.see(ColumnName::Int(0)),
            }
            rows.push(value);
        }
        if !eof {
            self.reader = Some(reader);
        }
        if rows.is_empty() {
            return Ok(None);
        }
        let labels: Vec<ColumnName> = match (&self.inputs, self.kind) {
            (Some(inputs), Some(LineKind::Record)) => inputs.clone(),
            _ => self.seen.clone(),
        };
        let mut fields = Vec::with_capacity(labels.len());
        let mut arrays = Vec::with_capacity(labels.len());
        for label in &labels {
            let values: Vec<Value> = rows
                .iter()
                .map(|row| cell(row, label).cloned().unwrap_or(Value::None))
                .collect();
            let (field, array) = signet::table::object_column(&label.as_text(), &values);
            let field = signet::table::with_label(field, label);
            fields.push(field);
            arrays.push(array);
        }
        let batch = signet::table::frame_of(fields, arrays, rows.len())
            .map_err(|e| CliError::file(path, format!("cannot build the table: {e}")))?;
        Ok(Some(batch))
    }
}

/// The cell of a JSONL line under a label.
fn cell<'a>(row: &'a Value, label: &ColumnName) -> Option<&'a Value> {
    match (row, label) {
        (Value::Dict(items), ColumnName::Str(name)) => items
            .iter()
            .rev()
            .find(|(k, _)| match k {
                Value::Str(s) => s == name,
                other => &signet::repr::py_str_of(other) == name,
            })
            .map(|(_, v)| v),
        (Value::List(items), ColumnName::Int(i)) => {
            usize::try_from(*i).ok().and_then(|i| items.get(i))
        }
        (scalar, ColumnName::Int(0)) if !matches!(scalar, Value::Dict(_) | Value::List(_)) => {
            Some(scalar)
        }
        _ => None,
    }
}
