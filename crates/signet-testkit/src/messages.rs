//! Comparing MLflow's messages and bodies with signet's modulo what changes from one Python
//! process to the next: the order of Python sets (and of lists MLflow builds from a set), and
//! stack traces; and JSON values modulo dict key order ([`canonical_json`]).

use signet::Value;

/// Index just past the quoted string starting at `chars[i]` (a `'` or `"`), honouring
/// backslash escapes; `chars.len()` when it never closes.
fn skip_quoted(chars: &[char], i: usize) -> usize {
    let q = chars[i];
    let mut j = i + 1;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 2,
            c if c == q => return j + 1,
            _ => j += 1,
        }
    }
    chars.len()
}

/// Indices of the characters of `chars` that stand at the top level: outside quotes and
/// brackets (bracket characters themselves are not top level).
fn top_level(chars: &[char]) -> Vec<usize> {
    let (mut at, mut depth, mut i) = (Vec::new(), 0i32, 0usize);
    while i < chars.len() {
        match chars[i] {
            '\'' | '"' => {
                i = skip_quoted(chars, i);
                continue;
            }
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => depth -= 1,
            _ if depth == 0 => at.push(i),
            _ => {}
        }
        i += 1;
    }
    at
}

/// Splits a Python container's inside at its top-level `,` (outside quotes and brackets),
/// each part trimmed.
pub fn split_top(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let (mut parts, mut start) = (Vec::new(), 0usize);
    for i in top_level(&chars) {
        if chars[i] == ',' {
            parts.push(
                chars[start..i]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string(),
            );
            start = i + 1;
        }
    }
    let last: String = chars[start..].iter().collect();
    if !last.trim().is_empty() || !parts.is_empty() {
        parts.push(last.trim().to_string());
    }
    parts
}

/// Whether `s` has a `:` outside quotes and brackets (a dict item rather than a set item).
fn has_top_level_colon(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    top_level(&chars).into_iter().any(|i| chars[i] == ':')
}

/// Sorts the items of every Python set rendering (`{'b', 'a'}`: braces whose items hold no
/// top-level `:`), recursively, so that messages compare modulo set order.
pub fn normalize_sets(msg: &str) -> String {
    let chars: Vec<char> = msg.chars().collect();
    let mut out = String::with_capacity(msg.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '{' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let (mut depth, mut j) = (0i32, i);
        let mut end = None;
        while j < chars.len() {
            match chars[j] {
                '\'' | '"' => {
                    j = skip_quoted(&chars, j);
                    continue;
                }
                '{' | '[' | '(' => depth += 1,
                '}' | ']' | ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(j);
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        let Some(end) = end else {
            out.extend(&chars[i..]);
            break;
        };
        let inner: String = chars[i + 1..end].iter().collect();
        let mut parts: Vec<String> = split_top(&inner)
            .iter()
            .map(|p| normalize_sets(p))
            .collect();
        if !parts.iter().any(|p| has_top_level_colon(p)) {
            parts.sort();
        }
        out.push('{');
        out.push_str(&parts.join(", "));
        out.push('}');
        i = end + 1;
    }
    out
}

/// Sorts the items of the `Note that there were extra inputs: [...]` list (MLflow builds it
/// from a set, so its order is arbitrary).
pub fn normalize_extras(msg: &str) -> String {
    const NOTE: &str = "Note that there were extra inputs: [";
    let Some(start) = msg.find(NOTE) else {
        return msg.to_string();
    };
    let from = start + NOTE.len();
    let Some(len) = msg[from..].find("].") else {
        return msg.to_string();
    };
    let mut items = split_top(&msg[from..from + len]);
    items.sort();
    format!("{}{}{}", &msg[..from], items.join(", "), &msg[from + len..])
}

/// Whether two messages are the same modulo set order and the order of the extra-inputs list.
pub fn same_message(want: &str, have: &str) -> bool {
    want == have
        || normalize_sets(want) == normalize_sets(have)
        || normalize_sets(&normalize_extras(want)) == normalize_sets(&normalize_extras(have))
        || normalize_extras(&normalize_sets(want)) == normalize_extras(&normalize_sets(have))
}

/// An error body made comparable: a top-level `stack_trace` value becomes `"<omitted>"` (signet
/// runs no Python) and the `message` is normalised as [`same_message`] compares.
pub fn normalize_body(v: Value) -> Value {
    match v {
        Value::Dict(items) => Value::Dict(
            items
                .into_iter()
                .map(|(k, v)| match (&k, v) {
                    (Value::Str(s), _) if s == "stack_trace" => (k, Value::str("<omitted>")),
                    (Value::Str(s), Value::Str(m)) if s == "message" => {
                        (k, Value::Str(normalize_sets(&normalize_extras(&m))))
                    }
                    (_, v) => (k, v),
                })
                .collect(),
        ),
        other => other,
    }
}

/// JSON text of a value with dict keys sorted (recursively), for comparing mappings whose
/// key order does not matter.
pub fn canonical_json(v: &Value) -> String {
    fn sort(v: &Value) -> Value {
        match v {
            Value::Dict(items) => {
                let mut items: Vec<(Value, Value)> =
                    items.iter().map(|(k, x)| (k.clone(), sort(x))).collect();
                items.sort_by_key(|(k, _)| signet::pyjson::dumps(k));
                Value::Dict(items)
            }
            Value::List(items) => Value::List(items.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    signet::pyjson::dumps(&sort(v))
}

/// Asserts that `text` contains every one of `parts`, printing the whole text when one is
/// missing.
#[track_caller]
pub fn assert_has(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} not found in:\n{text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_compare_modulo_order() {
        let cases = [
            ("{'b', 'a'}", "{'a', 'b'}"),
            ("x {'b, c', 'a'} y", "x {'a', 'b, c'} y"),
            ("{'k': {'z', 'y'}, 'a': 1}", "{'k': {'y', 'z'}, 'a': 1}"),
            (r"{'it\'s', 'a'}", r"{'a', 'it\'s'}"),
            ("{}", "{}"),
            ("unclosed {'b', 'a'", "unclosed {'b', 'a'"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_sets(input), want, "{input}");
        }
    }

    #[test]
    fn extra_inputs_compare_modulo_order() {
        let a = "Model is missing inputs ['x']. Note that there were extra inputs: ['c', 'a'].";
        let b = "Model is missing inputs ['x']. Note that there were extra inputs: ['a', 'c'].";
        assert!(same_message(a, b));
        assert!(!same_message(a, "Model is missing inputs ['y']."));
        // Braces inside the listed labels are not sets (a JSON body read as CSV).
        let a = r#"Note that there were extra inputs: ['{"x": ["a"', ' "b"]}', ' 3]]}}']."#;
        let b = r#"Note that there were extra inputs: [' 3]]}}', '{"x": ["a"', ' "b"]}']."#;
        assert!(same_message(a, b));
    }
}
