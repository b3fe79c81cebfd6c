//! Reading YAML the way PyYAML's `yaml.safe_load` does, on top of `yaml-rust2`'s event parser.
//!
//! `yaml-rust2` tokenises and parses; this module builds the document with PyYAML's `SafeLoader`
//! semantics: plain scalars are resolved with the YAML 1.1 implicit resolvers PyYAML uses
//! (`yes`/`off` are booleans, `0o12`/`1e3` stay strings, `012` is octal, `1:30` is base 60,
//! `2020-01-01` is a date), quoted scalars are strings, the standard `!!str`, `!!int`,
//! `!!float`, `!!bool`, `!!null`, `!!timestamp`, `!!binary`, `!!map`, `!!seq` tags are honoured,
//! merge keys (`<<`) are flattened, aliases are expanded, and every other tag is refused with
//! PyYAML's `could not determine a constructor for the tag '...'` — in particular the
//! `!!python/...` tags, so loading never instantiates anything.
//!
//! Differences kept on purpose (none of them occurs in files MLflow writes):
//! * parse errors carry `yaml-rust2`'s wording (`<problem> at line L column C`), not PyYAML's;
//! * a timestamp becomes the string Python's `str()` gives the `datetime` (`2020-01-01
//!   10:00:00+00:00`), a `!!binary` scalar its base64 text, an integer beyond 128 bits its text;
//! * mapping keys that are not strings are kept as their Python `str()` text.

use super::Yaml;
use std::fmt;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deepest nesting accepted (PyYAML has no limit but Python's recursion limit, ~1000).
const MAX_DEPTH: usize = 500;
/// Most nodes an alias expansion may produce (guards against "billion laughs" documents).
const MAX_NODES: usize = 1_000_000;

/// A YAML document could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    message: String,
}

impl LoadError {
    fn new(message: impl Into<String>) -> LoadError {
        LoadError {
            message: message.into(),
        }
    }

    fn at(message: impl fmt::Display, mark: &Marker) -> LoadError {
        LoadError::new(format!(
            "{message}\n  in line {}, column {}",
            mark.line(),
            mark.col() + 1
        ))
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoadError {}

/// A loaded YAML node that keeps the order of mapping keys as written (a Python `dict`).
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A scalar, resolved to its Python type (never `Seq`/`Map`).
    Scalar(Yaml),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, keys in file order (a repeated key keeps its first position and its last
    /// value, as a Python `dict` built by assignment).
    Map(Vec<(String, Node)>),
}

impl Node {
    /// The node as an emitter [`Yaml`] tree (key order is dropped: `safe_dump` sorts keys).
    pub fn to_yaml(&self) -> Yaml {
        match self {
            Node::Scalar(y) => y.clone(),
            Node::Seq(items) => Yaml::Seq(items.iter().map(Node::to_yaml).collect()),
            Node::Map(items) => Yaml::Map(
                items
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_yaml()))
                    .collect(),
            ),
        }
    }

    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Python's type name of the node (`dict`, `list`, `str`, `NoneType`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Node::Map(_) => "dict",
            Node::Seq(_) => "list",
            Node::Scalar(y) => y.type_name(),
        }
    }
}

/// Loads one YAML document as `yaml.safe_load` does; `Ok(None)` for an empty stream.
pub fn load(text: &str) -> Result<Option<Node>, LoadError> {
    let mut collector = Collector { events: Vec::new() };
    let mut parser = Parser::new_from_str(text);
    parser
        .load(&mut collector, true)
        .map_err(|e| LoadError::at(e.info(), e.marker()))?;
    let mut builder = Builder {
        events: collector.events,
        pos: 0,
        anchors: std::collections::HashMap::new(),
        nodes: 0,
    };
    builder.stream()
}

struct Collector {
    events: Vec<(Event, Marker)>,
}

impl MarkedEventReceiver for Collector {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        self.events.push((ev, mark));
    }
}

struct Builder {
    events: Vec<(Event, Marker)>,
    pos: usize,
    anchors: std::collections::HashMap<usize, Node>,
    nodes: usize,
}

const CORE: &str = "tag:yaml.org,2002:";

fn full_tag(tag: &Tag) -> String {
    format!("{}{}", tag.handle, tag.suffix)
}

impl Builder {
    fn next(&mut self) -> Option<(Event, Marker)> {
        let ev = self.events.get(self.pos).cloned();
        self.pos += 1;
        ev
    }

    fn stream(&mut self) -> Result<Option<Node>, LoadError> {
        let mut document = None;
        let mut seen = 0;
        while let Some((ev, mark)) = self.next() {
            match ev {
                Event::DocumentStart => {
                    seen += 1;
                    if seen > 1 {
                        return Err(LoadError::at(
                            "expected a single document in the stream\nbut found another document",
                            &mark,
                        ));
                    }
                    self.anchors.clear();
                    document = Some(self.node(0)?);
                }
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
                _ => return Err(LoadError::at("unexpected YAML event", &mark)),
            }
        }
        Ok(document)
    }

    fn count(&mut self, n: usize, mark: &Marker) -> Result<(), LoadError> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(LoadError::at(
                "document too large: aliases expand to more than a million nodes",
                mark,
            ));
        }
        Ok(())
    }

    fn node(&mut self, depth: usize) -> Result<Node, LoadError> {
        let Some((ev, mark)) = self.next() else {
            return Err(LoadError::new("unexpected end of the YAML stream"));
        };
        if depth > MAX_DEPTH {
            return Err(LoadError::at("document nested too deeply", &mark));
        }
        match ev {
            Event::Alias(id) => {
                let node = self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| LoadError::at("found undefined alias", &mark))?;
                let size = node_size(&node);
                self.count(size, &mark)?;
                Ok(node)
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, &mark)?;
                let node = Node::Scalar(scalar(&text, style, tag.as_ref(), &mark)?);
                Ok(self.anchored(anchor, node))
            }
            Event::SequenceStart(anchor, tag) => {
                self.count(1, &mark)?;
                check_collection_tag(tag.as_ref(), "seq", &mark)?;
                let mut items = Vec::new();
                while !self.closes(&Event::SequenceEnd) {
                    items.push(self.node(depth + 1)?);
                }
                Ok(self.anchored(anchor, Node::Seq(items)))
            }
            Event::MappingStart(anchor, tag) => {
                self.count(1, &mark)?;
                check_collection_tag(tag.as_ref(), "map", &mark)?;
                let mut own: Vec<(String, Node)> = Vec::new();
                let mut merged: Vec<(String, Node)> = Vec::new();
                while !self.closes(&Event::MappingEnd) {
                    let is_merge = matches!(
                        self.events.get(self.pos),
                        Some((Event::Scalar(t, TScalarStyle::Plain, _, None), _)) if t == "<<"
                    );
                    let key_mark = self.events.get(self.pos).map(|(_, m)| *m).unwrap_or(mark);
                    let key = self.node(depth + 1)?;
                    let value = self.node(depth + 1)?;
                    if is_merge {
                        merge_into(&mut merged, value, &key_mark)?;
                        continue;
                    }
                    let key = match key {
                        Node::Scalar(y) => key_text(&y),
                        _ => {
                            return Err(LoadError::at(
                                "while constructing a mapping\nfound unhashable key",
                                &key_mark,
                            ))
                        }
                    };
                    insert(&mut own, key, value);
                }
                for (k, v) in own {
                    insert(&mut merged, k, v);
                }
                Ok(self.anchored(anchor, Node::Map(merged)))
            }
            _ => Err(LoadError::at("unexpected YAML event", &mark)),
        }
    }

    /// Consumes the next event when it is `end` (the close of the collection being read).
    fn closes(&mut self, end: &Event) -> bool {
        let closed = matches!(self.events.get(self.pos), Some((e, _)) if e == end);
        if closed {
            self.pos += 1;
        }
        closed
    }

    /// Records `node` under its anchor (`0` is none) for later aliases.
    fn anchored(&mut self, anchor: usize, node: Node) -> Node {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        node
    }
}

fn node_size(node: &Node) -> usize {
    match node {
        Node::Scalar(_) => 1,
        Node::Seq(items) => 1 + items.iter().map(node_size).sum::<usize>(),
        Node::Map(items) => 1 + items.iter().map(|(_, v)| 1 + node_size(v)).sum::<usize>(),
    }
}

fn insert(map: &mut Vec<(String, Node)>, key: String, value: Node) {
    match map.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => map.push((key, value)),
    }
}

/// PyYAML's `flatten_mapping`: a merged mapping (or each of a sequence of mappings, the first
/// one winning) provides keys the mapping itself does not set.
fn merge_into(
    merged: &mut Vec<(String, Node)>,
    value: Node,
    mark: &Marker,
) -> Result<(), LoadError> {
    let bad = || {
        LoadError::at(
            "while constructing a mapping\nexpected a mapping or list of mappings for merging",
            mark,
        )
    };
    let sources = match value {
        Node::Map(items) => vec![items],
        Node::Seq(items) => items
            .into_iter()
            .map(|n| match n {
                Node::Map(items) => Ok(items),
                _ => Err(bad()),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Node::Scalar(_) => return Err(bad()),
    };
    for items in sources {
        for (k, v) in items {
            if !merged.iter().any(|(mk, _)| *mk == k) {
                merged.push((k, v));
            }
        }
    }
    Ok(())
}

fn check_collection_tag(tag: Option<&Tag>, kind: &str, mark: &Marker) -> Result<(), LoadError> {
    let Some(tag) = tag else { return Ok(()) };
    let full = full_tag(tag);
    if full == "!" || full == format!("{CORE}{kind}") {
        return Ok(());
    }
    Err(constructor_error(&full, mark))
}

fn constructor_error(tag: &str, mark: &Marker) -> LoadError {
    LoadError::at(
        format!("could not determine a constructor for the tag '{tag}'"),
        mark,
    )
}

/// A mapping key as text (Python `str()` of a non-string key).
fn key_text(y: &Yaml) -> String {
    match y {
        Yaml::Str(s) => s.clone(),
        Yaml::Null => "None".into(),
        Yaml::Bool(b) => if *b { "True" } else { "False" }.into(),
        Yaml::Int(i) => i.to_string(),
        Yaml::Float(f) => signet::pyjson::float_repr(*f),
        other => format!("{other:?}"),
    }
}

fn scalar(
    text: &str,
    style: TScalarStyle,
    tag: Option<&Tag>,
    mark: &Marker,
) -> Result<Yaml, LoadError> {
    if let Some(tag) = tag {
        let full = full_tag(tag);
        let bad = |what: &str| {
            LoadError::at(
                format!("invalid {what} value for the tag '{full}': {text:?}"),
                mark,
            )
        };
        return match full.strip_prefix(CORE) {
            _ if full == "!" => Ok(Yaml::Str(text.to_string())),
            Some("str") => Ok(Yaml::Str(text.to_string())),
            Some("null") => Ok(Yaml::Null),
            Some("bool") => match text.to_ascii_lowercase().as_str() {
                "yes" | "true" | "on" => Ok(Yaml::Bool(true)),
                "no" | "false" | "off" => Ok(Yaml::Bool(false)),
                _ => Err(bad("bool")),
            },
            Some("int") => construct_int(text).ok_or_else(|| bad("int")),
            Some("float") => construct_float(text)
                .map(Yaml::Float)
                .ok_or_else(|| bad("float")),
            Some("timestamp") => construct_timestamp(text).ok_or_else(|| bad("timestamp")),
            Some("binary") => Ok(Yaml::Str(text.split_whitespace().collect())),
            _ => Err(constructor_error(&full, mark)),
        };
    }
    if style != TScalarStyle::Plain {
        return Ok(Yaml::Str(text.to_string()));
    }
    resolve_plain(text).map_err(|m| LoadError::at(m, mark))
}

/// Resolves a plain scalar with PyYAML's YAML 1.1 implicit resolvers.
fn resolve_plain(text: &str) -> Result<Yaml, String> {
    // yaml-rust2 reports an empty plain scalar as `~`.
    if super::resolve::is_yaml_null(text) {
        return Ok(Yaml::Null);
    }
    if super::resolve::is_yaml_bool(text) {
        return Ok(Yaml::Bool(matches!(
            text,
            "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON"
        )));
    }
    if super::resolve::is_yaml_int(text) {
        return Ok(construct_int(text).unwrap_or_else(|| Yaml::Str(text.to_string())));
    }
    if super::resolve::is_yaml_float(text) {
        return construct_float(text)
            .map(Yaml::Float)
            .ok_or_else(|| format!("invalid float {text:?}"));
    }
    if super::resolve::is_yaml_timestamp(text) {
        return construct_timestamp(text).ok_or_else(|| format!("invalid timestamp {text:?}"));
    }
    // `<<` outside a mapping key and `=` resolve to tags the safe constructor cannot build.
    if text == "=" {
        return Err(
            "could not determine a constructor for the tag 'tag:yaml.org,2002:value'".into(),
        );
    }
    Ok(Yaml::Str(text.to_string()))
}

/// PyYAML's `construct_yaml_int`.
fn construct_int(text: &str) -> Option<Yaml> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let (sign, body) = match clean.as_bytes().first()? {
        b'-' => (-1i128, &clean[1..]),
        b'+' => (1, &clean[1..]),
        _ => (1, clean.as_str()),
    };
    let magnitude = if body == "0" {
        0
    } else if let Some(b) = body.strip_prefix("0b") {
        i128::from_str_radix(b, 2).ok()?
    } else if let Some(h) = body.strip_prefix("0x") {
        i128::from_str_radix(h, 16).ok()?
    } else if body.starts_with('0') {
        i128::from_str_radix(body, 8).ok()?
    } else if body.contains(':') {
        let mut v: i128 = 0;
        for part in body.split(':') {
            v = v.checked_mul(60)?.checked_add(part.parse::<i128>().ok()?)?;
        }
        v
    } else {
        body.parse::<i128>().ok()?
    };
    Some(Yaml::Int(sign * magnitude))
}

/// PyYAML's `construct_yaml_float`.
fn construct_float(text: &str) -> Option<f64> {
    let clean: String = text
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_lowercase();
    let (sign, body) = match clean.as_bytes().first()? {
        b'-' => (-1.0, &clean[1..]),
        b'+' => (1.0, &clean[1..]),
        _ => (1.0, clean.as_str()),
    };
    if body == ".inf" {
        return Some(sign * f64::INFINITY);
    }
    if body == ".nan" {
        return Some(f64::NAN);
    }
    if body.contains(':') {
        let mut v = 0.0;
        for part in body.split(':') {
            v = v * 60.0 + part.parse::<f64>().ok()?;
        }
        return Some(sign * v);
    }
    body.parse::<f64>().ok().map(|v| sign * v)
}

/// PyYAML's `construct_yaml_timestamp`, rendered as Python's `str()` of the result.
fn construct_timestamp(text: &str) -> Option<Yaml> {
    let text = text.trim();
    let num = |s: &str| s.parse::<u32>().ok();
    let date_end = text.find(['T', 't', ' ', '\t']).unwrap_or(text.len());
    let mut dparts = text[..date_end].split('-');
    let year: i32 = dparts.next()?.parse().ok()?;
    let month = num(dparts.next()?)?;
    let day = num(dparts.next()?)?;
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    let date_text = format!("{year:04}-{month:02}-{day:02}");
    if date_end == text.len() {
        return Some(Yaml::Str(date_text));
    }
    let rest = text[date_end + 1..].trim_start_matches([' ', '\t']);
    // Time: H:MM:SS[.fraction], then an optional zone.
    let zone_at = rest.find(['Z', '+', '-', ' ', '\t']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(zone_at);
    let (hms, fraction) = match time.split_once('.') {
        Some((a, b)) => (a, b),
        None => (time, ""),
    };
    let mut tparts = hms.split(':');
    let hour = num(tparts.next()?)?;
    let minute = num(tparts.next()?)?;
    let second = num(tparts.next()?)?;
    let micros = if fraction.is_empty() {
        0
    } else {
        let six: String = fraction.chars().take(6).collect();
        num(&format!("{six:0<6}"))?
    };
    chrono::NaiveTime::from_hms_micro_opt(hour, minute, second, micros)?;
    let _ = date;
    let mut out = format!("{date_text} {hour:02}:{minute:02}:{second:02}");
    if micros != 0 {
        out.push_str(&format!(".{micros:06}"));
    }
    let zone = zone.trim_start_matches([' ', '\t']);
    if zone == "Z" {
        out.push_str("+00:00");
    } else if !zone.is_empty() {
        let sign = &zone[..1];
        let (h, m) = match zone[1..].split_once(':') {
            Some((h, m)) => (num(h)?, num(m)?),
            None => (num(&zone[1..])?, 0),
        };
        if h == 0 && m == 0 {
            out.push_str("+00:00");
        } else {
            out.push_str(&format!("{sign}{h:02}:{m:02}"));
        }
    }
    Some(Yaml::Str(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        load(text).unwrap().unwrap()
    }

    #[test]
    fn resolves_like_pyyaml() {
        let doc = one(
            "a: yes\nb: 012\nc: 1e3\nd: 1.5\ne: '1.5'\nf: ~\ng:\nh: 0x1F\ni: 1:30\nj: .inf\nk: 2020-01-01\nl: 2020-01-01 10:00:00.5Z\nm: 1_000\nn: 0o12\n",
        );
        let get = |k: &str| doc.get(k).unwrap().to_yaml();
        assert_eq!(get("a"), Yaml::Bool(true));
        assert_eq!(get("b"), Yaml::Int(10));
        assert_eq!(get("c"), Yaml::str("1e3"));
        assert_eq!(get("d"), Yaml::Float(1.5));
        assert_eq!(get("e"), Yaml::str("1.5"));
        assert_eq!(get("f"), Yaml::Null);
        assert_eq!(get("g"), Yaml::Null);
        assert_eq!(get("h"), Yaml::Int(31));
        assert_eq!(get("i"), Yaml::Int(90));
        assert_eq!(get("j"), Yaml::Float(f64::INFINITY));
        assert_eq!(get("k"), Yaml::str("2020-01-01"));
        assert_eq!(get("l"), Yaml::str("2020-01-01 10:00:00.500000+00:00"));
        assert_eq!(get("m"), Yaml::Int(1000));
        assert_eq!(get("n"), Yaml::str("0o12"));
    }

    #[test]
    fn keeps_key_order_and_merges() {
        let doc = one("z: 1\na: &base {x: 1, y: 2}\nb:\n  <<: *base\n  y: 3\nz: 4\n");
        let Node::Map(items) = &doc else { panic!() };
        let keys: Vec<&str> = items.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["z", "a", "b"]);
        assert_eq!(doc.get("z").unwrap().to_yaml(), Yaml::Int(4));
        let b = doc.get("b").unwrap();
        assert_eq!(b.get("x").unwrap().to_yaml(), Yaml::Int(1));
        assert_eq!(b.get("y").unwrap().to_yaml(), Yaml::Int(3));
    }

    #[test]
    fn refuses_python_tags_and_bad_documents() {
        let err = load("a: !!python/object/apply:os.system ['echo hi']\n").unwrap_err();
        assert!(err
            .message()
            .starts_with("could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"));
        assert_eq!(load("a: 1\n---\nb: 2\n").unwrap_err().message(), "expected a single document in the stream\nbut found another document\n  in line 2, column 1");
        assert_eq!(
            load("a: [1, 2\n").unwrap_err().message(),
            "while parsing a flow sequence, expected ',' or ']'\n  in line 2, column 1"
        );
        assert_eq!(load("").unwrap(), None);
        assert_eq!(load("# only a comment\n").unwrap(), None);
        let deep = "[".repeat(2000) + &"]".repeat(2000);
        assert_eq!(
            load(&deep).unwrap_err().message(),
            "recursion limit exceeded\n  in line 1, column 256"
        );
        let laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        assert_eq!(load(laughs).unwrap_err().message(), "document too large: aliases expand to more than a million nodes\n  in line 6, column 36");
    }

    #[test]
    fn explicit_core_tags() {
        let doc = one("a: !!str 12\nb: !!int '12'\nc: !!float '1'\nd: !!bool 'yes'\n");
        assert_eq!(doc.get("a").unwrap().to_yaml(), Yaml::str("12"));
        assert_eq!(doc.get("b").unwrap().to_yaml(), Yaml::Int(12));
        assert_eq!(doc.get("c").unwrap().to_yaml(), Yaml::Float(1.0));
        assert_eq!(doc.get("d").unwrap().to_yaml(), Yaml::Bool(true));
    }
}
