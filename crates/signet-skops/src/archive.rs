//! [`SkopsFile`]: opening the zip, reading `schema.json` and the members it names (with size
//! limits, so a lying header cannot exhaust memory), building the tree and auditing it.

use crate::audit::untrusted_types;
use crate::error::SkopsError;
use crate::node::Node;
use crate::parse::{build_tree, Members};
use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};
use std::path::Path;
use std::sync::Arc;
use zip::ZipArchive;

/// The largest member read (skops arrays are whole-model parameters; 4 GiB is generous).
const MAX_MEMBER: u64 = 4 << 30;

/// A skops file read and audited: its tree, and the raw `schema.json`.
#[derive(Clone, Debug)]
pub struct SkopsFile {
    /// The file's name, for messages.
    pub name: String,
    /// The raw `schema.json` (for readers that walk the JSON themselves).
    pub schema: serde_json::Value,
    /// The tree.
    pub root: Node,
}

struct Zip<R: Read + Seek> {
    zip: ZipArchive<R>,
    cache: HashMap<String, Arc<Vec<u8>>>,
}

impl<R: Read + Seek> Members for Zip<R> {
    fn read(&mut self, name: &str) -> Result<Arc<Vec<u8>>, SkopsError> {
        if let Some(b) = self.cache.get(name) {
            return Ok(b.clone());
        }
        let mut entry = self.zip.by_name(name).map_err(|e| {
            SkopsError::at_node(format!("member {name}"), format!("cannot open it: {e}"))
        })?;
        let size = entry.size();
        if size > MAX_MEMBER {
            return Err(SkopsError::at_node(
                format!("member {name}"),
                format!("{size} bytes, more than the {MAX_MEMBER} signet reads"),
            ));
        }
        let mut buf = Vec::with_capacity(size.min(64 << 20) as usize);
        (&mut entry)
            .take(size + 1)
            .read_to_end(&mut buf)
            .map_err(|e| {
                SkopsError::at_node(format!("member {name}"), format!("cannot read it: {e}"))
            })?;
        if buf.len() as u64 != size {
            return Err(SkopsError::at_node(
                format!("member {name}"),
                format!("{} bytes read, {size} announced", buf.len()),
            ));
        }
        let buf = Arc::new(buf);
        self.cache.insert(name.to_string(), buf.clone());
        Ok(buf)
    }
}

impl SkopsFile {
    /// Reads and audits the skops file at `path`: refused when it holds a type that is
    /// neither trusted by skops by default nor listed in `trusted` (as `skops.io.load(path,
    /// trusted=trusted)` refuses it).
    pub fn open(path: &Path, trusted: &[String]) -> Result<SkopsFile, SkopsError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path)
            .map_err(|e| SkopsError::new(format!("cannot open the file: {e}")).in_file(&name))?;
        Self::read(std::io::BufReader::new(file), name, trusted)
    }

    /// [`open`](Self::open) on the bytes of a file; `name` is used in messages.
    pub fn from_bytes(
        bytes: &[u8],
        name: &str,
        trusted: &[String],
    ) -> Result<SkopsFile, SkopsError> {
        Self::read(Cursor::new(bytes), name.to_string(), trusted)
    }

    fn read<R: Read + Seek>(
        reader: R,
        name: String,
        trusted: &[String],
    ) -> Result<SkopsFile, SkopsError> {
        let zip = ZipArchive::new(reader).map_err(|e| {
            SkopsError::new(format!(
                "not a readable zip archive (truncated or not a skops file): {e}"
            ))
            .in_file(&name)
        })?;
        let mut members = Zip {
            zip,
            cache: HashMap::new(),
        };
        let raw = members.read("schema.json").map_err(|e| e.in_file(&name))?;
        let schema: serde_json::Value = serde_json::from_slice(&raw).map_err(|e| {
            SkopsError::at_node("schema.json", format!("not valid JSON: {e}")).in_file(&name)
        })?;
        let root = build_tree(&schema, &mut members).map_err(|e| e.in_file(&name))?;
        let untrusted = untrusted_types(&root, trusted);
        if !untrusted.is_empty() {
            let list: Vec<String> = untrusted
                .iter()
                .map(|(t, at)| format!("{t} (at {at})"))
                .collect();
            let names: Vec<&str> = untrusted.keys().map(String::as_str).collect();
            return Err(SkopsError::new(format!(
                "untrusted types: {}. skops refuses them unless trusted; if you trust this \
                 model, save it with `mlflow.sklearn.save_model(..., skops_trusted_types={names:?})`",
                list.join(", ")
            ))
            .in_file(&name));
        }
        Ok(SkopsFile { name, schema, root })
    }
}
