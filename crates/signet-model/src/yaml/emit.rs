//! The emitter: a port of the parts of PyYAML's `Emitter` that `safe_dump` exercises (block
//! mappings and sequences, `{}`/`[]` for empty collections, plain / single- / double-quoted
//! scalars chosen by PyYAML's own analysis, folding at column 80).

use super::resolve::resolves_to_str;
use super::Yaml;
use std::collections::BTreeMap;

/// The document as `yaml.safe_dump(doc, default_flow_style=False)` writes it.
pub fn to_string(doc: &Yaml) -> String {
    let mut e = Emitter::new();
    e.node(doc, Ctx::ROOT);
    // DocumentEnd: finish the last line.
    e.write_indent();
    // StreamEnd: a root plain scalar leaves the stream "open ended".
    if e.open_ended {
        e.write_indicator("...", true, false, false);
        e.write_indent();
    }
    e.out
}

/// PyYAML's `best_width`.
const BEST_WIDTH: usize = 80;
/// PyYAML's `best_indent`.
const BEST_INDENT: usize = 2;

/// Where a node sits (PyYAML's `root_context`, `mapping_context`, `simple_key_context`; the
/// sequence context changes nothing `safe_dump` writes).
#[derive(Clone, Copy)]
struct Ctx {
    root: bool,
    mapping: bool,
    simple_key: bool,
}

impl Ctx {
    const SEQUENCE: Ctx = Ctx {
        root: false,
        mapping: false,
        simple_key: false,
    };
    const ROOT: Ctx = Ctx {
        root: true,
        ..Ctx::SEQUENCE
    };
    const MAPPING: Ctx = Ctx {
        mapping: true,
        ..Ctx::SEQUENCE
    };
    const SIMPLE_KEY: Ctx = Ctx {
        simple_key: true,
        ..Ctx::MAPPING
    };
}

/// A scalar style chosen by [`choose_style`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
}

/// The emitter state PyYAML keeps (block context only; flow context is only ever entered for
/// empty collections).
struct Emitter {
    out: String,
    indent: Option<usize>,
    indents: Vec<Option<usize>>,
    flow_level: usize,
    column: usize,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
}

impl Emitter {
    fn new() -> Emitter {
        Emitter {
            out: String::new(),
            indent: None,
            indents: Vec::new(),
            flow_level: 0,
            column: 0,
            whitespace: true,
            indention: true,
            open_ended: false,
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        match self.indent {
            None => self.indent = Some(if flow { BEST_INDENT } else { 0 }),
            Some(i) if !indentless => self.indent = Some(i + BEST_INDENT),
            Some(_) => {}
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().flatten();
    }

    /// PyYAML `expect_node`.
    fn node(&mut self, node: &Yaml, ctx: Ctx) {
        match node {
            Yaml::Null => self.scalar("null", true, ctx),
            Yaml::Bool(b) => self.scalar(if *b { "true" } else { "false" }, true, ctx),
            Yaml::Int(i) => self.scalar(&i.to_string(), true, ctx),
            Yaml::Float(f) => self.scalar(&float_text(*f), true, ctx),
            Yaml::Str(s) => self.scalar(s, resolves_to_str(s), ctx),
            Yaml::Seq(items) if items.is_empty() || self.flow_level > 0 => {
                self.empty_flow("[", "]")
            }
            Yaml::Map(map) if map.is_empty() || self.flow_level > 0 => self.empty_flow("{", "}"),
            Yaml::Seq(items) => self.block_sequence(items, ctx),
            Yaml::Map(map) => self.block_mapping(map),
        }
    }

    /// An empty flow collection (`expect_flow_sequence` / `expect_flow_mapping` followed
    /// directly by the end event).
    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.flow_level += 1;
        self.increase_indent(true, false);
        self.pop_indent();
        self.flow_level -= 1;
        self.write_indicator(close, false, false, false);
    }

    fn block_sequence(&mut self, items: &[Yaml], ctx: Ctx) {
        let indentless = ctx.mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(item, Ctx::SEQUENCE);
        }
        self.pop_indent();
    }

    fn block_mapping(&mut self, map: &BTreeMap<String, Yaml>) {
        self.increase_indent(false, false);
        for (key, value) in map {
            self.write_indent();
            let analysis = analyze(key);
            // `check_simple_key`: the prepared tag `!!str` counts towards the 128 limit.
            let simple = key.chars().count() + 5 < 128 && !analysis.empty && !analysis.multiline;
            if simple {
                self.node(&Yaml::Str(key.clone()), Ctx::SIMPLE_KEY);
                self.write_indicator(":", false, false, false);
                self.node(value, Ctx::MAPPING);
            } else {
                self.write_indicator("?", true, false, true);
                self.node(&Yaml::Str(key.clone()), Ctx::MAPPING);
                self.write_indent();
                self.write_indicator(":", true, false, true);
                self.node(value, Ctx::MAPPING);
            }
        }
        self.pop_indent();
    }

    /// PyYAML `expect_scalar` + `process_scalar`. `implicit` says whether the text, written
    /// plain, would read back as the node's own type.
    fn scalar(&mut self, text: &str, implicit: bool, ctx: Ctx) {
        self.increase_indent(true, false);
        let analysis = analyze(text);
        let style = choose_style(&analysis, implicit, ctx.simple_key, self.flow_level > 0);
        let chars: Vec<char> = text.chars().collect();
        let split = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(&chars, split, ctx.root),
            Style::Single => self.write_single_quoted(&chars, split),
            Style::Double => self.write_double_quoted(&chars, split),
        }
        self.pop_indent();
    }

    fn write_raw(&mut self, data: &str) {
        self.column += data.chars().count();
        self.out.push_str(data);
    }

    fn write_chars(&mut self, data: &[char]) {
        self.column += data.len();
        self.out.extend(data.iter());
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        whitespace: bool,
        indention: bool,
    ) {
        if !self.whitespace && need_whitespace {
            self.out.push(' ');
            self.column += 1;
        }
        self.whitespace = whitespace;
        self.indention = self.indention && indention;
        self.open_ended = false;
        self.write_raw(indicator);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.write_line_break();
        }
        if self.column < indent {
            self.whitespace = true;
            for _ in self.column..indent {
                self.out.push(' ');
            }
            self.column = indent;
        }
    }

    fn write_line_break(&mut self) {
        self.whitespace = true;
        self.indention = true;
        self.column = 0;
        self.out.push('\n');
    }

    /// Line breaks inside a quoted scalar: an extra break first when the run starts with `\n`
    /// (PyYAML's rule), non-`\n` breaks written as themselves.
    fn write_breaks(&mut self, breaks: &[char]) {
        if breaks.first() == Some(&'\n') {
            self.write_line_break();
        }
        for &br in breaks {
            if br == '\n' {
                self.write_line_break();
            } else {
                self.whitespace = true;
                self.indention = true;
                self.column = 0;
                self.out.push(br);
            }
        }
        self.write_indent();
    }

    fn write_plain(&mut self, text: &[char], split: bool, root: bool) {
        if root {
            self.open_ended = true;
        }
        if text.is_empty() {
            return;
        }
        if !self.whitespace {
            self.write_raw(" ");
        }
        self.whitespace = false;
        self.indention = false;
        self.write_folded(text, split, false);
    }

    fn write_single_quoted(&mut self, text: &[char], split: bool) {
        self.write_indicator("'", true, false, false);
        self.write_folded(text, split, true);
        self.write_indicator("'", false, false, false);
    }

    /// The loop PyYAML's `write_plain` and `write_single_quoted` share: runs of spaces (one
    /// lone space past column 80 becomes a fold), runs of breaks and runs of other
    /// characters. The quoted form never folds at either end, keeps `whitespace`/`indention`
    /// as the indent left them, and doubles `'`.
    fn write_folded(&mut self, text: &[char], split: bool, quoted: bool) {
        let (mut spaces, mut breaks) = (false, false);
        let mut start = 0;
        for end in 0..=text.len() {
            let ch = text.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end
                        && self.column > BEST_WIDTH
                        && split
                        && (!quoted || (start != 0 && end != text.len()))
                    {
                        self.write_indent();
                        if !quoted {
                            self.whitespace = false;
                            self.indention = false;
                        }
                    } else {
                        self.write_chars(&text[start..end]);
                    }
                    start = end;
                }
            } else if breaks {
                if !ch.is_some_and(is_break) {
                    self.write_breaks(&text[start..end]);
                    if !quoted {
                        self.whitespace = false;
                        self.indention = false;
                    }
                    start = end;
                }
            } else if !matches!(ch, Some(c) if c != ' ' && !(quoted && c == '\'') && !is_break(c))
                && start < end
            {
                self.write_chars(&text[start..end]);
                start = end;
            }
            if quoted && ch == Some('\'') {
                self.write_raw("''");
                start = end + 1;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
        }
    }

    fn write_double_quoted(&mut self, text: &[char], split: bool) {
        self.write_indicator("\"", true, false, false);
        let mut start = 0;
        for end in 0..=text.len() {
            let ch = text.get(end).copied();
            if !matches!(ch, Some(c) if !needs_escape(c)) {
                if start < end {
                    self.write_chars(&text[start..end]);
                    start = end;
                }
                if let Some(c) = ch {
                    self.write_raw(&escape(c));
                    start = end + 1;
                }
            }
            if 0 < end
                && end + 1 < text.len()
                && (ch == Some(' ') || start >= end)
                && self.column as isize + end as isize - start as isize > BEST_WIDTH as isize
                && split
            {
                let chunk: &[char] = if start < end { &text[start..end] } else { &[] };
                self.write_chars(chunk);
                self.write_raw("\\");
                if start < end {
                    start = end;
                }
                self.write_indent();
                self.whitespace = false;
                self.indention = false;
                if text.get(start) == Some(&' ') {
                    self.write_raw("\\");
                }
            }
        }
        self.write_indicator("\"", false, false, false);
    }
}

/// A float as PyYAML's `represent_float` writes it.
fn float_text(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    let repr = signet::pyjson::float_repr(f).to_lowercase();
    if !repr.contains('.') && repr.contains('e') {
        repr.replacen('e', ".0e", 1)
    } else {
        repr
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank_or_break(c: char) -> bool {
    matches!(c, '\0' | ' ' | '\t' | '\r') || is_break(c)
}

/// Whether a character is escaped in a double-quoted scalar (`allow_unicode=False`).
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '"' | '\\' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'
    ) || !(' '..='~').contains(&c)
}

/// PyYAML's escape for a character in a double-quoted scalar.
fn escape(c: char) -> String {
    let short = match c {
        '\0' => Some('0'),
        '\x07' => Some('a'),
        '\x08' => Some('b'),
        '\t' => Some('t'),
        '\n' => Some('n'),
        '\x0B' => Some('v'),
        '\x0C' => Some('f'),
        '\r' => Some('r'),
        '\x1B' => Some('e'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        '\u{85}' => Some('N'),
        '\u{A0}' => Some('_'),
        '\u{2028}' => Some('L'),
        '\u{2029}' => Some('P'),
        _ => None,
    };
    let code = c as u32;
    match short {
        Some(s) => format!("\\{s}"),
        None if code <= 0xFF => format!("\\x{code:02X}"),
        None if code <= 0xFFFF => format!("\\u{code:04X}"),
        None => format!("\\U{code:08X}"),
    }
}

/// The parts of PyYAML's `ScalarAnalysis` that `safe_dump` uses.
#[derive(Debug)]
struct Analysis {
    empty: bool,
    multiline: bool,
    allow_flow_plain: bool,
    allow_block_plain: bool,
    allow_single_quoted: bool,
}

/// PyYAML `Emitter.analyze_scalar` with `allow_unicode=False`.
fn analyze(scalar: &str) -> Analysis {
    let chars: Vec<char> = scalar.chars().collect();
    if chars.is_empty() {
        return Analysis {
            empty: true,
            multiline: false,
            allow_flow_plain: false,
            allow_block_plain: true,
            allow_single_quoted: true,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    // Indexed by kind, 0 for a space and 1 for a break: one at either end of the scalar, one
    // right after the other kind (PyYAML's break_space / space_break), the previous character.
    let mut at_edge = [false; 2];
    let mut after_other = [false; 2];
    let mut previous = [false; 2];

    if scalar.starts_with("---") || scalar.starts_with("...") {
        block_indicators = true;
        flow_indicators = true;
    }
    let n = chars.len();
    let mut preceded_by_whitespace = true;
    let mut followed_by_whitespace = n == 1 || is_blank_or_break(chars[1]);

    for (index, &ch) in chars.iter().enumerate() {
        // PyYAML's indicator rules, first character and the others: (flow, block).
        let (flow, block) = match (index == 0, ch) {
            (true, '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'')
            | (true, '"' | '%' | '@' | '`') => (true, true),
            (true, '?') | (_, ':') => (true, followed_by_whitespace),
            (true, '-') => (followed_by_whitespace, followed_by_whitespace),
            (false, ',' | '?' | '[' | ']' | '{' | '}') => (true, false),
            (false, '#') => (preceded_by_whitespace, preceded_by_whitespace),
            _ => (false, false),
        };
        flow_indicators |= flow;
        block_indicators |= block;

        if is_break(ch) {
            line_breaks = true;
        }
        // Without `allow_unicode`, every character outside printable ASCII (and `\n`) is
        // special, unicode or not.
        if !(ch == '\n' || (' '..='~').contains(&ch)) {
            special_characters = true;
        }

        let kind = match ch {
            ' ' => Some(0),
            _ if is_break(ch) => Some(1),
            _ => None,
        };
        previous = match kind {
            Some(k) => {
                at_edge[k] |= index == 0 || index == n - 1;
                after_other[k] |= previous[1 - k];
                [k == 0, k == 1]
            }
            None => [false; 2],
        };

        preceded_by_whitespace = is_blank_or_break(ch);
        followed_by_whitespace = index + 2 >= n || is_blank_or_break(chars[index + 2]);
    }

    let edge = at_edge[0] || at_edge[1];
    let mixed = after_other[0] || after_other[1] || special_characters;
    Analysis {
        empty: false,
        multiline: line_breaks,
        allow_flow_plain: !(edge || mixed || line_breaks || flow_indicators),
        allow_block_plain: !(edge || mixed || line_breaks || block_indicators),
        allow_single_quoted: !mixed,
    }
}

/// PyYAML `choose_scalar_style` for an untagged, unstyled scalar.
fn choose_style(a: &Analysis, implicit: bool, simple_key: bool, flow: bool) -> Style {
    if implicit
        && !(simple_key && (a.empty || a.multiline))
        && ((flow && a.allow_flow_plain) || (!flow && a.allow_block_plain))
    {
        return Style::Plain;
    }
    if a.allow_single_quoted && !(simple_key && a.multiline) {
        return Style::Single;
    }
    Style::Double
}
