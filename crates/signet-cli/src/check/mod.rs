//! `signet check --signature SRC DATA... [--format text|json] [--max-examples N]
//! [--batch-size N] [--compat strict|mlflow]`: every violation of a signature's inputs in data
//! files, streamed in batches.
//!
//! Each file is read batch by batch ([`crate::read::stream`]); each batch is checked with
//! [`signet::enforce::violations`] (enforcement's decisions in the `--compat` mode, Strict by default,
//! offending rows pinpointed, CSV cells read as their declared types); missing required inputs are reported once per file and
//! extra columns as a note. The report keeps counts and the first examples per column, so
//! memory stays bounded whatever the size of the input.
//!
//! Exit codes: 0 no violations, 1 violations, 2 usage or I/O error.

mod csv_fast;
mod progress;
mod report;
mod signature;

use crate::error::CliError;
use crate::model_cmds::CompatArg;
use crate::read::stream::{kind_of, Kind, Source};
use clap::{Args, ValueEnum};
use progress::Progress;
use report::{FileReport, Report};
use signet::enforce::violations::{presence, text_violations_with, violations_with};
use signet::enforce::Compat;
use signet::types::ColumnName;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Set (to anything), this environment variable makes CSV files go through the sequential
/// reader instead of the parallel one ([`csv_fast`]): to compare the two, in tests and benches.
pub const SEQUENTIAL_CSV: &str = "SIGNET_CSV_SEQUENTIAL";

/// Files checked at the same time.
const FILES_AT_ONCE: usize = 2;

/// Exit code when the data violates the signature.
pub const EXIT_VIOLATIONS: u8 = 1;

/// Arguments of `signet check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The signature: an MLmodel file, a model directory containing one, or a signature JSON
    /// file (`{"inputs": "...", "outputs": ..., "params": ...}`).
    #[arg(long, value_name = "SRC")]
    pub signature: PathBuf,

    /// Data files to check: .parquet, .csv, .jsonl (one record per line), or .arrow/.ipc/.feather
    /// (Arrow IPC file or stream). Read in batches, in bounded memory.
    #[arg(value_name = "DATA", required = true)]
    pub data: Vec<PathBuf>,

    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Examples shown per column.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_examples: usize,

    /// Rows read per batch (Parquet, CSV, JSONL; Arrow IPC files keep their own batches).
    #[arg(long, value_name = "N", default_value_t = 8192,
          value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub batch_size: u64,

    /// Whose decisions count: `strict` also refuses what MLflow would convert with loss or
    /// pass on unchecked, `mlflow` reports exactly what MLflow's enforcement refuses.
    #[arg(long, value_enum, default_value_t = CompatArg::Strict)]
    pub compat: CompatArg,
}

/// Report forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A summary per file and column, for people.
    Text,
    /// One JSON document, for machines.
    Json,
}

/// Runs `signet check`: the report to print and the exit code (0 valid, 1 violations).
pub fn run(args: &CheckArgs) -> Result<(String, u8), CliError> {
    let loaded = signature::load(&crate::model_uri::resolve_model(&args.signature)?)?;
    // Every DATA path is checked before any is read.
    for path in &args.data {
        kind_of(path)?;
    }
    let schema = loaded.inputs;
    let mut report = Report {
        signature: loaded.path.display().to_string(),
        notes: Vec::new(),
        files: Vec::new(),
    };
    if loaded.from_type_hint {
        report.notes.push(
            "the signature comes from type hints (is_signature_from_type_hint: true); MLflow \
             does not enforce it on inputs, signet checks it all the same"
                .to_string(),
        );
    }
    let total_bytes = args
        .data
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let progress = Mutex::new(Progress::new(total_bytes));
    let batch_size = usize::try_from(args.batch_size).unwrap_or(8192);
    let compat: Compat = args.compat.into();
    // Files are checked concurrently (CSV files each on every core as well); the reports keep
    // the order of the arguments, and the first file (in that order) that cannot be read is
    // the error.
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<FileReport, CliError>>>> =
        args.data.iter().map(|_| Mutex::new(None)).collect();
    let threads = args.data.len().min(FILES_AT_ONCE);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = args.data.get(i) else {
                    break;
                };
                let result = check_file(
                    path,
                    &schema,
                    batch_size,
                    args.max_examples,
                    compat,
                    &progress,
                );
                if let Ok(mut slot) = results[i].lock() {
                    *slot = Some(result);
                }
            });
        }
    });
    let mut progress = progress.into_inner().unwrap_or_else(|e| e.into_inner());
    for slot in results {
        let result = slot.into_inner().unwrap_or_else(|e| e.into_inner());
        match result {
            Some(Ok(file)) => report.files.push(file),
            Some(Err(e)) => {
                progress.finish();
                return Err(e);
            }
            None => {
                progress.finish();
                return Err(CliError::new("internal error: a file check did not finish"));
            }
        }
    }
    progress.finish();
    let code = if report.total() == 0 {
        0
    } else {
        EXIT_VIOLATIONS
    };
    let out = match args.format {
        Format::Text => report.text(),
        Format::Json => report.json(),
    };
    Ok((out, code))
}

fn check_file(
    path: &std::path::Path,
    schema: &signet::types::Schema,
    batch_size: usize,
    max_examples: usize,
    compat: Compat,
    progress: &Mutex<Progress>,
) -> Result<FileReport, CliError> {
    let name = path.display().to_string();
    let tell = |position: u64| {
        if let Ok(mut p) = progress.lock() {
            p.update(&name, position);
        }
    };
    if kind_of(path)? == Kind::Csv && std::env::var_os(SEQUENTIAL_CSV).is_none() {
        if let Some(file) = csv_fast::check_file(path, schema, batch_size, max_examples, &tell) {
            if let Ok(mut p) = progress.lock() {
                p.file_done(std::fs::metadata(path).map_or(0, |m| m.len()));
            }
            return Ok(file);
        }
    }
    let mut source = Source::open(path, schema, batch_size)?;
    let mut file = FileReport::new(name.clone(), source.kind().name(), max_examples);
    if source.labels_known_up_front() {
        file.presence = presence(schema, source.labels());
    }
    let mut offset = 0usize;
    while let Some(batch) = source.next_batch()? {
        let found = if source.is_text() {
            text_violations_with(schema, &batch, offset, compat)
        } else {
            violations_with(schema, &batch, offset, compat)
        };
        file.add(found);
        offset += batch.num_rows();
        tell(source.position());
    }
    file.rows = match source.rows_total() {
        // A Parquet file none of whose columns is read still has its rows.
        Some(total) if offset == 0 => total,
        _ => offset as u64,
    };
    if !source.labels_known_up_front() {
        let labels: Vec<ColumnName> = source.labels().to_vec();
        file.presence = presence(schema, &labels);
        // Inputs the file never has were read as all-missing columns: they are reported as
        // missing (or, optional, not at all) instead.
        let never: Vec<ColumnName> = schema
            .input_names()
            .into_iter()
            .filter(|n| !labels.contains(n))
            .collect();
        file.drop_columns(&never);
    }
    if let Ok(mut p) = progress.lock() {
        p.file_done(source.size());
    }
    Ok(file)
}
