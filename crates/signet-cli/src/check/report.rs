//! The tallies of a check (bounded: counts and the first few examples per column) and their
//! human and JSON renderings.

use signet::enforce::violations::{Presence, Violation};
use signet::json_form::column_name_to_value;
use signet::types::ColumnName;
use signet::{pyjson, Value};

/// How rows are numbered in reports.
pub const ROW_NUMBERING: &str =
    "rows are data rows numbered from 1 in each file (a CSV header line is not a row; \
     blank JSONL lines are skipped)";

/// One example violation kept for the report.
#[derive(Clone, Debug)]
pub struct Example {
    /// 1-based data row (`None`: the whole column).
    pub row: Option<u64>,
    /// The value as written / shown.
    pub value: Option<String>,
    /// Why.
    pub reason: String,
}

/// The violations of one column in one file.
#[derive(Clone, Debug)]
pub struct ColumnTally {
    /// The column label.
    pub column: String,
    /// Number of violations (rows, plus distinct column-level problems).
    pub count: u64,
    /// MLflow's distinct messages refusing the column (at most [`MAX_MESSAGES`]).
    pub mlflow: Vec<String>,
    /// The first examples.
    pub examples: Vec<Example>,
    /// Distinct column-level reasons seen (to count each once per file).
    column_level: Vec<String>,
}

/// Distinct MLflow messages kept per column.
const MAX_MESSAGES: usize = 3;

/// The report of one data file.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// The path as given.
    pub path: String,
    /// `csv`, `parquet`, `arrow` or `jsonl`.
    pub format: &'static str,
    /// Data rows read.
    pub rows: u64,
    /// Missing / extra inputs.
    pub presence: Presence,
    /// Per-column tallies, in order of first violation.
    pub columns: Vec<ColumnTally>,
    max_examples: usize,
}

impl FileReport {
    /// An empty report for `path`.
    pub fn new(path: String, format: &'static str, max_examples: usize) -> FileReport {
        FileReport {
            path,
            format,
            rows: 0,
            presence: Presence::default(),
            columns: Vec::new(),
            max_examples,
        }
    }

    /// Adds a batch's violations.
    pub fn add(&mut self, violations: Vec<Violation>) {
        for v in violations {
            let i = match self.columns.iter().position(|c| c.column == v.column) {
                Some(i) => i,
                None => {
                    self.columns.push(ColumnTally {
                        column: v.column.clone(),
                        count: 0,
                        mlflow: Vec::new(),
                        examples: Vec::new(),
                        column_level: Vec::new(),
                    });
                    self.columns.len() - 1
                }
            };
            let tally = &mut self.columns[i];
            if v.row.is_none() {
                if tally.column_level.contains(&v.reason) {
                    continue;
                }
                tally.column_level.push(v.reason.clone());
            }
            if let Some(m) = &v.refusal {
                if tally.mlflow.len() < MAX_MESSAGES && !tally.mlflow.iter().any(|x| **x == **m) {
                    tally.mlflow.push(m.to_string());
                }
            }
            tally.count += 1;
            if tally.examples.len() < self.max_examples {
                tally.examples.push(Example {
                    row: v.row.map(|r| r as u64 + 1),
                    value: v.value,
                    reason: v.reason,
                });
            }
        }
    }

    /// Orders the column tallies by `key` of their label (a stable sort).
    pub fn order_columns<K: Ord>(&mut self, key: impl Fn(&str) -> K) {
        self.columns.sort_by_key(|c| key(&c.column));
    }

    /// Drops the tallies of columns the file turned out not to have (JSONL inputs never seen).
    pub fn drop_columns(&mut self, absent: &[ColumnName]) {
        self.columns
            .retain(|c| !absent.iter().any(|a| a.as_text() == c.column));
    }

    /// Number of violations in the file: missing inputs, then every row-level violation and
    /// each distinct column-level problem.
    pub fn total(&self) -> u64 {
        let missing = if self.presence.is_refused() {
            self.presence.missing.len().max(1) as u64
        } else {
            0
        };
        missing + self.columns.iter().map(|c| c.count).sum::<u64>()
    }
}

/// The whole check.
pub struct Report {
    /// The signature's file.
    pub signature: String,
    /// Note about type-hint signatures, if any.
    pub notes: Vec<String>,
    /// Per file.
    pub files: Vec<FileReport>,
}

impl Report {
    /// Rows read in all files.
    pub fn rows(&self) -> u64 {
        self.files.iter().map(|f| f.rows).sum()
    }

    /// Violations in all files.
    pub fn total(&self) -> u64 {
        self.files.iter().map(FileReport::total).sum()
    }

    /// The human summary.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for note in &self.notes {
            out.push_str(&format!("note: {note}\n"));
        }
        for f in &self.files {
            let total = f.total();
            let verdict = if total == 0 {
                "valid".to_string()
            } else {
                plural(total, "violation")
            };
            out.push_str(&format!(
                "{}: {} checked, {verdict}\n",
                f.path,
                plural(f.rows, "row")
            ));
            if let Some(m) = &f.presence.message {
                out.push_str(&format!("  {m}\n"));
            }
            if let Some(n) = &f.presence.note {
                out.push_str(&format!("  note: {n}\n"));
            }
            for c in &f.columns {
                out.push_str(&format!(
                    "  column {}: {}\n",
                    c.column,
                    plural(c.count, "violation")
                ));
                for m in &c.mlflow {
                    out.push_str(&format!("    MLflow: {m}\n"));
                }
                for e in &c.examples {
                    match (e.row, &e.value) {
                        (Some(r), Some(v)) => {
                            out.push_str(&format!("    row {r}: {} - {}\n", shown(v), e.reason))
                        }
                        (Some(r), None) => out.push_str(&format!("    row {r}: {}\n", e.reason)),
                        (None, _) if c.mlflow.contains(&e.reason) => out.push_str(
                            "    (the column's type itself, not any one value, is refused)\n",
                        ),
                        (None, _) => out.push_str(&format!("    whole column: {}\n", e.reason)),
                    }
                }
                let shown_count = c.examples.len() as u64;
                if c.count > shown_count {
                    out.push_str(&format!("    ... and {} more\n", c.count - shown_count));
                }
            }
        }
        let total = self.total();
        out.push_str(&format!(
            "\n{}, {} checked: {}. Row numbers: {ROW_NUMBERING}.\n",
            plural(self.files.len() as u64, "file"),
            plural(self.rows(), "row"),
            if total == 0 {
                "no violations".to_string()
            } else {
                plural(total, "violation")
            }
        ));
        out
    }

    /// The JSON document (`--format json`).
    pub fn json(&self) -> String {
        let int = |n: u64| Value::Int(n as i128);
        let opt = |s: &Option<String>| s.clone().map_or(Value::None, Value::Str);
        let names =
            |names: &[ColumnName]| Value::List(names.iter().map(column_name_to_value).collect());
        let files = self
            .files
            .iter()
            .map(|f| {
                let columns = f
                    .columns
                    .iter()
                    .map(|c| {
                        let examples = c
                            .examples
                            .iter()
                            .map(|e| {
                                Value::dict([
                                    ("row", e.row.map_or(Value::None, int)),
                                    ("value", opt(&e.value)),
                                    ("reason", Value::Str(e.reason.clone())),
                                ])
                            })
                            .collect();
                        Value::dict([
                            ("column", Value::Str(c.column.clone())),
                            ("violations", int(c.count)),
                            (
                                "mlflow_messages",
                                Value::List(c.mlflow.iter().cloned().map(Value::Str).collect()),
                            ),
                            ("examples", Value::List(examples)),
                        ])
                    })
                    .collect();
                Value::dict([
                    ("path", Value::Str(f.path.clone())),
                    ("format", Value::str(f.format)),
                    ("rows", int(f.rows)),
                    ("violations", int(f.total())),
                    ("missing_inputs", names(&f.presence.missing)),
                    ("extra_inputs", names(&f.presence.extra)),
                    ("missing_inputs_message", opt(&f.presence.message)),
                    ("note", opt(&f.presence.note)),
                    ("columns", Value::List(columns)),
                ])
            })
            .collect();
        let doc = Value::dict([
            ("signature", Value::Str(self.signature.clone())),
            ("valid", Value::Bool(self.total() == 0)),
            ("files", Value::List(files)),
            ("rows_checked", int(self.rows())),
            ("total_violations", int(self.total())),
            ("row_numbering", Value::str(ROW_NUMBERING)),
            (
                "notes",
                Value::List(self.notes.iter().cloned().map(Value::Str).collect()),
            ),
        ]);
        pyjson::dumps_indent(&doc, 2) + "\n"
    }
}

fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// A value on one line: control characters escaped, long values shortened.
fn shown(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    if v.is_empty() {
        return "(empty)".to_string();
    }
    if out.chars().count() > 80 {
        out = out.chars().take(77).collect::<String>() + "...";
    }
    out
}
