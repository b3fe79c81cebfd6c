//! `mlmodel` cases, signature part: the MLmodel's signature parsed and re-serialised.
//!
//! For each case the `mlmodel` YAML text is read (as `yaml.safe_load` would), its `signature`
//! mapping is parsed as `ModelSignature.from_dict` does and written back with `to_dict()`; the
//! result (or the error message) is compared with `expect.signature` / `expect.error`. The
//! flavor names (in file order) and `saved_input_example_info` are compared too.

use signet::json_form::{signature_from_value, signature_to_value};
use signet::Value;
use yaml_rust2::{Yaml, YamlLoader};

/// Converts a YAML node into the Python value `yaml.safe_load` gives.
fn yaml_to_value(y: &Yaml) -> Value {
    match y {
        Yaml::Real(s) => Value::Float(y.as_f64().unwrap_or_else(|| s.parse().unwrap_or(f64::NAN))),
        Yaml::Integer(i) => Value::Int(*i as i128),
        Yaml::String(s) => Value::Str(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::List(items.iter().map(yaml_to_value).collect()),
        Yaml::Hash(h) => Value::Dict(
            h.iter()
                .map(|(k, v)| (yaml_to_value(k), yaml_to_value(v)))
                .collect(),
        ),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::None,
    }
}

/// Python `==` between two values, where dicts compare regardless of key order.
fn py_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Dict(x), Value::Dict(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| py_eq(k, k2))
                        .is_some_and(|(_, v2)| py_eq(v, v2))
                })
        }
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q))
        }
        _ => a == b,
    }
}

/// Sorts the elements of every top-level-looking Python set rendering (`{'b', 'a'}`) so that
/// messages compare modulo set order.
fn normalise_sets(msg: &str) -> String {
    let chars: Vec<char> = msg.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '{' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Find the matching brace, honouring quotes and nesting.
        let (mut depth, mut j, mut quote) = (0usize, i, None::<char>);
        while j < chars.len() {
            let c = chars[j];
            match quote {
                Some(q) => {
                    if c == '\\' {
                        j += 1;
                    } else if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    '\'' | '"' => quote = Some(c),
                    '{' | '(' | '[' => depth += 1,
                    '}' | ')' | ']' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                },
            }
            j += 1;
        }
        if j >= chars.len() {
            out.extend(&chars[i..]);
            break;
        }
        let inner: String = chars[i + 1..j].iter().collect();
        let mut parts = split_top_level(&inner);
        let is_dict = parts.iter().any(|p| has_top_level_colon(p));
        if !is_dict {
            parts.sort();
        }
        out.push('{');
        out.push_str(&parts.join(", "));
        out.push('}');
        i = j + 1;
    }
    out
}

fn split_top_level(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut cur) = (0i32, None::<char>, String::new());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                cur.push(c);
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    cur.push(c);
                }
                '{' | '(' | '[' => {
                    depth += 1;
                    cur.push(c);
                }
                '}' | ')' | ']' => {
                    depth -= 1;
                    cur.push(c);
                }
                ',' if depth == 0 => {
                    parts.push(cur.trim().to_string());
                    cur.clear();
                }
                _ => cur.push(c),
            },
        }
    }
    if !cur.trim().is_empty() {
        parts.push(cur.trim().to_string());
    }
    parts
}

fn has_top_level_colon(s: &str) -> bool {
    let (mut depth, mut quote) = (0i32, None::<char>);
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '{' | '(' | '[' => depth += 1,
                '}' | ')' | ']' => depth -= 1,
                ':' if depth == 0 => return true,
                _ => {}
            },
        }
    }
    false
}

fn show(v: &Value) -> String {
    signet::pyjson::dumps(v)
}

/// Checks one `mlmodel` case.
pub fn check(case: &Value) -> Result<(), String> {
    let text = match case.get("mlmodel") {
        Some(Value::Str(s)) => s,
        _ => return Err("case has no `mlmodel` text".into()),
    };
    let expect = case.get("expect").ok_or("case has no `expect`")?;
    let docs = YamlLoader::load_from_str(text).map_err(|e| format!("YAML error: {e}"))?;
    let doc = docs.first().map(yaml_to_value).unwrap_or(Value::None);

    // Model.load → Model.from_dict: the signature is parsed when it is a mapping.
    let outcome = match doc.get("signature") {
        Some(sig @ Value::Dict(_)) => signature_from_value(sig).map(|s| signature_to_value(&s)),
        _ => Ok(Value::None),
    };
    let mut problems = Vec::new();
    match (expect.get("error"), &outcome) {
        (Some(Value::Str(want)), Err(got)) => {
            if normalise_sets(want) != normalise_sets(got.message()) {
                problems.push(format!("error: expected {want:?}, got {:?}", got.message()));
            }
        }
        (Some(Value::Str(want)), Ok(sig)) => problems.push(format!(
            "expected error {want:?}, got signature {}",
            show(sig)
        )),
        (_, Err(got)) => problems.push(format!("unexpected error {:?}", got.message())),
        (_, Ok(sig)) => {
            let want = expect.get("signature").unwrap_or(&Value::None);
            for key in ["inputs", "outputs", "params"] {
                let (w, g) = (want.get(key), sig.get(key));
                if w != g {
                    problems.push(format!(
                        "signature.{key}: expected {}, got {}",
                        w.map_or("<absent>".into(), show),
                        g.map_or("<absent>".into(), show)
                    ));
                }
            }
            if matches!(want, Value::None) != matches!(sig, Value::None) {
                problems.push(format!(
                    "signature: expected {}, got {}",
                    show(want),
                    show(sig)
                ));
            }
        }
    }
    if expect.get("error").is_none() {
        if let Some(want) = expect.get("flavors") {
            let got = match doc.get("flavors") {
                Some(Value::Dict(f)) => Value::List(f.iter().map(|(k, _)| k.clone()).collect()),
                _ => Value::List(Vec::new()),
            };
            if &got != want {
                problems.push(format!(
                    "flavors: expected {}, got {}",
                    show(want),
                    show(&got)
                ));
            }
        }
        if let Some(want) = expect.get("saved_input_example_info") {
            let got = doc
                .get("saved_input_example_info")
                .cloned()
                .unwrap_or(Value::None);
            if !py_eq(want, &got) {
                problems.push(format!(
                    "saved_input_example_info: expected {}, got {}",
                    show(want),
                    show(&got)
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn set_renderings_compare_modulo_order() {
    assert_eq!(
        normalise_sets("Missing required properties: {'b', 'a'}"),
        normalise_sets("Missing required properties: {'a', 'b'}")
    );
    assert_ne!(normalise_sets("{'a': 1}"), normalise_sets("{'a': 2}"));
}
