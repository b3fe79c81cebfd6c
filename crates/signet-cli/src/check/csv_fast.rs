//! The check of a CSV file on every core: the file is read in blocks cut after a line end,
//! each block scanned speculatively on a worker ([`signet::pandas::csv::chunks`]) with every
//! checked cell read straight from its bytes as its column's declared type
//! ([`text_cell_valid`]), and the blocks' findings merged in file order (a block whose
//! predecessor ended inside a quoted field is scanned again, joined to it).
//!
//! Memory stays bounded: at most [`AHEAD`] blocks of [`BLOCK`] bytes are read ahead of the
//! merge. Only columns of scalar types are checked here; a schema with composite or tensor
//! inputs, and any file the fast scan stops on (an unterminated quote, invalid UTF-8, a row
//! wider than the header, a record longer than [`MAX_CARRY`]), is read by the sequential
//! reader instead, which gives pandas' exact message.

use super::report::FileReport;
use signet::enforce::violations::{
    matched_columns, presence, text_cell_valid, text_cell_violation,
};
use signet::pandas::csv::chunks::{self, cut_point, Joiner, Layout, Scanned, Stop};
use signet::types::{ColType, ColumnName, DataType, Schema, SchemaKind};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;
use std::sync::{Condvar, Mutex};

/// Bytes read per block.
const BLOCK: usize = 512 << 10;

/// Blocks read ahead of the merge, at most.
const AHEAD: u64 = 4;

/// The longest unfinished record carried from block to block before the sequential reader
/// takes over.
const MAX_CARRY: usize = 16 << 20;

/// A column the check reads.
struct Target {
    /// The spec's index in the schema (the order of the sequential check).
    spec: usize,
    /// The field's index in a row (pandas' implicit index fields counted).
    field: usize,
    ty: DataType,
    name: String,
}

/// The columns checked and the widest row allowed.
struct Plan {
    targets: Vec<Target>,
    max_fields: usize,
}

/// How the file's rows are checked, if every input of `schema` the file has is a scalar
/// column (else `None`: the sequential check).
fn plan(schema: &Schema, layout: &Layout) -> Option<Plan> {
    let SchemaKind::Columns(specs) = schema.kind() else {
        return None;
    };
    let labels: Vec<ColumnName> = layout.labels.iter().cloned().map(ColumnName::Str).collect();
    let mut targets = Vec::new();
    for (spec, column) in matched_columns(specs, &labels) {
        match &specs[spec].ty {
            ColType::Any | ColType::Scalar(DataType::String | DataType::Binary) => {}
            ColType::Scalar(ty) => targets.push(Target {
                spec,
                field: layout.index_fields + column,
                ty: *ty,
                name: layout.labels[column].clone(),
            }),
            _ => return None,
        }
    }
    Some(Plan {
        targets,
        max_fields: layout.labels.len() + layout.index_fields,
    })
}

/// A cell that is not its column's type: its row in the block, its target and its bytes.
struct Bad {
    row: u32,
    target: u32,
    cell: Range<u32>,
}

/// What a worker found in a block.
type Found = Result<(Scanned, Vec<Bad>), Stop>;

/// Scans `bytes` (a block, from a record start) and checks its cells.
fn check_block(
    plan: &Plan,
    bytes: &[u8],
    at_eof: bool,
    fields: &mut Vec<Range<usize>>,
    scratch: &mut Vec<u8>,
) -> Found {
    let mut bad = Vec::new();
    let mut row = 0u32;
    let scanned = chunks::scan(bytes, at_eof, fields, |block, fields| {
        if fields.len() > plan.max_fields {
            return false;
        }
        for (i, target) in plan.targets.iter().enumerate() {
            let range = fields.get(target.field).cloned().unwrap_or(0..0);
            let text = chunks::field_text(&block[range.clone()], scratch);
            if !text_cell_valid(target.ty, text) {
                bad.push(Bad {
                    row,
                    target: i as u32,
                    cell: range.start as u32..range.end as u32,
                });
            }
        }
        row += 1;
        true
    })?;
    Ok((scanned, bad))
}

/// The file read block by block, each cut after its last line end.
struct Blocks {
    file: File,
    tail: Vec<u8>,
    /// The number of blocks handed out.
    handed: u64,
    done: bool,
}

impl Blocks {
    /// The next block: its number, bytes and whether it is the last.
    fn next(&mut self) -> std::io::Result<(u64, Vec<u8>, bool)> {
        let mut buf = std::mem::take(&mut self.tail);
        buf.reserve(BLOCK);
        let mut want = BLOCK;
        let at_eof = loop {
            while buf.len() < want {
                let start = buf.len();
                buf.resize(want, 0);
                let n = self.file.read(&mut buf[start..])?;
                buf.truncate(start + n);
                if n == 0 {
                    break;
                }
            }
            if buf.len() < want {
                break true;
            }
            match cut_point(&buf) {
                Some(cut) => {
                    self.tail = buf[cut..].to_vec();
                    buf.truncate(cut);
                    break false;
                }
                None => want += BLOCK, // one long line: read on to its end
            }
        };
        self.done = at_eof;
        self.handed += 1;
        Ok((self.handed - 1, buf, at_eof))
    }
}

/// A block scanned by a worker, waiting for its turn in the merge.
struct Pending {
    bytes: Vec<u8>,
    at_eof: bool,
    found: Found,
}

/// The state the workers share: the file, and the merge of their findings in file order.
struct State<'a> {
    blocks: Blocks,
    merged: u64,
    pending: BTreeMap<u64, Pending>,
    joiner: Joiner,
    rows: usize,
    bytes_done: u64,
    /// The first bad row of each target.
    first: Vec<Option<usize>>,
    report: &'a mut FileReport,
    failed: bool,
    finished: bool,
}

impl State<'_> {
    /// Merges the blocks that are next in order.
    fn drain(&mut self, plan: &Plan, fields: &mut Vec<Range<usize>>, scratch: &mut Vec<u8>) {
        while let Some(block) = self.pending.remove(&self.merged) {
            self.merged += 1;
            self.bytes_done += block.bytes.len() as u64;
            if self.merge(plan, block, fields, scratch).is_err() {
                self.failed = true;
                return;
            }
        }
    }

    fn merge(
        &mut self,
        plan: &Plan,
        block: Pending,
        fields: &mut Vec<Range<usize>>,
        scratch: &mut Vec<u8>,
    ) -> Result<(), Stop> {
        let (bytes, holds) = self.joiner.join(block.bytes);
        let (scanned, bad) = if holds {
            block.found?
        } else {
            check_block(plan, &bytes, block.at_eof, fields, scratch)?
        };
        let mut found = Vec::with_capacity(bad.len());
        for b in bad {
            let target = &plan.targets[b.target as usize];
            let row = self.rows + b.row as usize;
            let cell =
                chunks::field_text(&bytes[b.cell.start as usize..b.cell.end as usize], scratch);
            let text = std::str::from_utf8(cell).map_err(|_| Stop::InvalidUtf8)?;
            found.extend(text_cell_violation(target.ty, &target.name, row, text));
            self.first[b.target as usize].get_or_insert(row);
        }
        self.report.add(found);
        self.rows += scanned.rows;
        self.joiner.ended(&bytes, scanned.end);
        if self.joiner.carried() > MAX_CARRY {
            return Err(Stop::Refused);
        }
        if block.at_eof {
            self.finished = true;
        }
        Ok(())
    }
}

/// Checks the CSV file at `path` on every core: its report, or `None` when the sequential
/// check must read it (see the module docs). `progress` is told the bytes checked so far.
pub fn check_file(
    path: &Path,
    schema: &Schema,
    batch_size: usize,
    max_examples: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Option<FileReport> {
    let mut file = File::open(path).ok()?;
    let layout = chunks::layout(BufReader::with_capacity(1 << 16, &mut file)).ok()?;
    let plan = plan(schema, &layout)?;
    file.seek(SeekFrom::Start(layout.data_start)).ok()?;
    let mut report = FileReport::new(path.display().to_string(), "csv", max_examples);
    let labels: Vec<ColumnName> = layout.labels.iter().cloned().map(ColumnName::Str).collect();
    report.presence = presence(schema, &labels);
    let state = Mutex::new(State {
        blocks: Blocks {
            file,
            tail: Vec::new(),
            handed: 0,
            done: false,
        },
        merged: 0,
        pending: BTreeMap::new(),
        joiner: Joiner::default(),
        rows: 0,
        bytes_done: layout.data_start,
        first: vec![None; plan.targets.len()],
        report: &mut report,
        failed: false,
        finished: false,
    });
    let turn = Condvar::new();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| work(&plan, &state, &turn, progress));
        }
    });
    let state = state.into_inner().ok()?;
    if state.failed || !state.finished || state.joiner.carried() > 0 {
        return None;
    }
    // The sequential check meets a column at its first bad row's batch, in schema order.
    let order: Vec<(String, (usize, usize))> = plan
        .targets
        .iter()
        .zip(&state.first)
        .filter_map(|(t, first)| Some((t.name.clone(), (first.as_ref()? / batch_size, t.spec))))
        .collect();
    let rows = state.rows as u64;
    report.rows = rows;
    report.order_columns(|name| order.iter().find(|(n, _)| n == name).map(|(_, k)| *k));
    Some(report)
}

/// A worker: takes the next block, scans it, hands it to the merge, until the file ends.
fn work(plan: &Plan, state: &Mutex<State>, turn: &Condvar, progress: &(dyn Fn(u64) + Sync)) {
    let mut fields = Vec::new();
    let mut scratch = Vec::new();
    let Ok(mut guard) = state.lock() else {
        return;
    };
    loop {
        if guard.failed || guard.blocks.done {
            break;
        }
        if guard.blocks.handed >= guard.merged + AHEAD {
            let Ok(g) = turn.wait(guard) else {
                return;
            };
            guard = g;
            continue;
        }
        let (seq, bytes, at_eof) = match guard.blocks.next() {
            Ok(block) => block,
            Err(_) => {
                guard.failed = true;
                break;
            }
        };
        drop(guard);
        let found = check_block(plan, &bytes, at_eof, &mut fields, &mut scratch);
        let Ok(g) = state.lock() else {
            return;
        };
        guard = g;
        guard.pending.insert(
            seq,
            Pending {
                bytes,
                at_eof,
                found,
            },
        );
        guard.drain(plan, &mut fields, &mut scratch);
        progress(guard.bytes_done);
        turn.notify_all();
    }
    turn.notify_all();
}
