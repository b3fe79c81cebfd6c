//! The typed readers (`inputs` / `instances` straight into tensors, `dataframe_split` straight
//! into a tensor signature's row-major buffer) against the value path: on generated bodies
//! both give the same input (the same DataFrame as parsed, the same enforced input, compared
//! as their corpus values: dtypes, labels and elements) or the same error, in both modes; and the common shapes do take the typed readers.

use super::*;
use signet::enforce::enforce;
use signet::types::NumpyDtype;

use signet_testkit::workloads::Rng;

/// Cells of every kind the readers meet, the awkward ones included.
const CELLS: [&str; 26] = [
    "1",
    "-2",
    "0",
    "3.5",
    "-0.25",
    "1e3",
    "2.5E-3",
    "NaN",
    "Infinity",
    "-Infinity",
    "true",
    "false",
    "null",
    "\"a\"",
    "\"\"",
    "\"2020-01-02T03:04:05\"",
    "\"2020-01-02 03:04:05.123\"",
    "\"NaT\"",
    "9007199254740993",
    "16777217",
    "3000000000",
    "9223372036854775808",
    "-129",
    "1e39",
    "[1]",
    "{}",
];

/// Mostly plain numbers (the common case), sometimes anything.
fn cell(rng: &mut Rng) -> String {
    if rng.below(4) == 0 {
        rng.pick(&CELLS).to_string()
    } else if rng.below(2) == 0 {
        (rng.below(2000) as i64 - 1000).to_string()
    } else {
        signet::pyjson::float_repr((rng.below(100_000) as f64 - 50_000.0) / 7.0)
    }
}

fn tensor_sig(dtype: &str, shape: &str, name: Option<&str>) -> ModelSignature {
    let name = name
        .map(|n| format!(", \"name\": \"{n}\""))
        .unwrap_or_default();
    sig(&format!(
        "[{{\"type\": \"tensor\", \"tensor-spec\": {{\"dtype\": \"{dtype}\", \"shape\": {shape}}}{name}}}]"
    ))
}

fn signatures() -> Vec<ModelSignature> {
    let mut out = vec![house()];
    for t in [
        "long", "integer", "double", "float", "boolean", "string", "datetime",
    ] {
        out.push(sig(&format!(
            "[{{\"type\": \"{t}\", \"name\": \"a\", \"required\": true}}, {{\"type\": \"double\", \"name\": \"b\", \"required\": false}}]"
        )));
        out.push(one("a", t));
    }
    for d in [
        "float32", "float64", "int32", "int64", "uint8", "bool", "str",
    ] {
        out.push(tensor_sig(d, "[-1, 3]", None));
        out.push(tensor_sig(d, "[-1, 3]", Some("x")));
    }
    out.push(tensor_sig("float32", "[-1, 2, 2]", None));
    out.push(sig("[{\"type\": \"long\"}, {\"type\": \"double\"}]"));
    out
}

fn row(rng: &mut Rng, width: usize) -> String {
    let cells: Vec<String> = (0..width).map(|_| cell(rng)).collect();
    format!("[{}]", cells.join(", "))
}

/// A body of one of the shapes the typed readers take (or nearly take).
fn body(rng: &mut Rng) -> String {
    let rows = 1 + rng.below(3);
    let width = if rng.below(5) == 0 {
        2 + rng.below(3)
    } else {
        3
    };
    let ragged = rng.below(8) == 0;
    let grid = |rng: &mut Rng| -> String {
        let r: Vec<String> = (0..rows)
            .map(|i| row(rng, if ragged && i == 1 { width - 1 } else { width }))
            .collect();
        format!("[{}]", r.join(", "))
    };
    let keys = ["a", "b", "sqft", "bedrooms", "x", "zz"];
    let record = |rng: &mut Rng| -> String {
        let n = 1 + rng.below(3);
        let members: Vec<String> = (0..n)
            .map(|j| {
                let k = if rng.below(6) == 0 {
                    rng.pick(&keys)
                } else {
                    ["a", "b", "sqft", "bedrooms"][j % 4]
                };
                format!("\"{k}\": {}", cell(rng))
            })
            .collect();
        format!("{{{}}}", members.join(", "))
    };
    match rng.below(8) {
        0 | 1 => {
            let labels: Vec<String> = (0..width).map(|j| j.to_string()).collect();
            let index = match rng.below(6) {
                0 => format!(", \"index\": [{}]", vec!["0"; rows].join(", ")),
                1 => ", \"index\": [0]".to_string(),
                _ => String::new(),
            };
            format!(
                "{{\"dataframe_split\": {{\"columns\": [{}], \"data\": {}{index}}}}}",
                labels.join(", "),
                grid(rng)
            )
        }
        2 => format!("{{\"inputs\": {}}}", grid(rng)),
        3 => format!("{{\"instances\": {}}}", grid(rng)),
        4 | 5 => {
            let recs: Vec<String> = (0..rows).map(|_| record(rng)).collect();
            format!("{{\"instances\": [{}]}}", recs.join(", "))
        }
        _ => {
            let key = if rng.below(2) == 0 {
                "inputs"
            } else {
                "instances"
            };
            let n = 1 + rng.below(2);
            let members: Vec<String> = (0..n)
                .map(|j| {
                    let values: Vec<String> = (0..rows + rng.below(2)).map(|_| cell(rng)).collect();
                    format!("\"{}\": [{}]", ["a", "b"][j], values.join(", "))
                })
                .collect();
            format!("{{\"{key}\": {{{}}}}}", members.join(", "))
        }
    }
}

/// What a parse gives, as text: the input as parsed, params, the LLM flag; or the error.
fn outcome(r: &Result<ParsedRequest, RequestError>) -> String {
    match r {
        Ok(p) => format!(
            "{:?} {:?} {}",
            model_input_to_value(&p.as_parsed()),
            p.params,
            p.unified_llm
        ),
        Err(e) => format!("error {} {}", e.status, e.message),
    }
}

/// What enforcement makes of a parse, as text.
fn enforced(r: Result<ParsedRequest, RequestError>, s: &ModelSignature, c: Compat) -> String {
    match r {
        Ok(p) => match enforce(Some(s), p.input, p.params.as_ref(), c) {
            Ok(e) => format!("{:?}", model_input_to_value(&e.input)),
            Err(e) => format!("refused {}", e.message()),
        },
        Err(_) => String::new(),
    }
}

#[test]
fn typed_readers_agree_with_the_value_path() {
    let sigs = signatures();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut accepted = 0;
    for _ in 0..3000 {
        let text = body(&mut rng);
        let s = &sigs[rng.below(sigs.len())];
        for c in [M, S] {
            let fast = parse(&text, Some(s), c);
            let reference = parse_json(text.as_bytes(), Some(s), c, Readers::Reference);
            assert_eq!(outcome(&fast), outcome(&reference), "{text}\n{s:?} {c:?}");
            accepted += fast.is_ok() as usize;
            assert_eq!(
                enforced(fast, s, c),
                enforced(reference, s, c),
                "{text}\n{s:?} {c:?}"
            );
        }
    }
    assert!(accepted > 1000, "only {accepted} bodies parsed");
}

#[test]
fn common_shapes_take_the_typed_readers() {
    let house = house();
    let hs = house.inputs.as_ref();
    let t = tensor_sig("float32", "[-1, 3]", None);
    let ts = t.inputs.as_ref();
    let typed_read = |text: &str, s, instances| {
        let mut sc = Scanner::new(text);
        crate::request::typed::read(&mut sc, s, M, instances)
    };
    let records = "[{\"sqft\": 1500, \"bedrooms\": 3}, {\"bedrooms\": 4, \"sqft\": 2000}]";
    match typed_read(records, hs, true) {
        Some(ModelInput::TensorDict(cols)) => {
            assert_eq!(cols.len(), 2);
            assert_eq!(cols[0].0, "sqft");
            assert_eq!(cols[1].1.to_list(), loads("[3, 4]").unwrap());
        }
        other => panic!("records not typed: {other:?}"),
    }
    assert!(matches!(
        typed_read("{\"sqft\": [1, 2], \"bedrooms\": [3, 4]}", hs, false),
        Some(ModelInput::TensorDict(_))
    ));
    match typed_read("[[1, 2.5, 3], [4, 5, NaN]]", ts, false) {
        Some(ModelInput::Tensor(t)) => {
            assert_eq!(
                (t.dtype, t.shape.clone()),
                (NumpyDtype::Float32, vec![2, 3])
            );
        }
        other => panic!("2-D list not typed: {other:?}"),
    }
    // Shapes left to the value path.
    assert!(typed_read("[[1, 2], [3]]", ts, false).is_none());
    assert!(typed_read("[[1, null, 3]]", ts, false).is_none());
    assert!(typed_read("[{\"sqft\": 1}, {\"sqft\": 2, \"bedrooms\": 3}]", hs, true).is_none());
    assert!(typed_read("[{\"sqft\": 1, \"sqft\": 2}]", hs, true).is_none());
    // A split body against the tensor signature is read straight into the tensor, and the
    // DataFrame MLflow parsed is rebuilt from it for messages.
    let body =
        "{\"dataframe_split\": {\"columns\": [0, 1, 2], \"data\": [[1, 2, 3.5], [4, 5, 6]]}}";
    let p = parse(body, Some(&t), M).unwrap();
    assert!(matches!(p.input, ModelInput::Tensor(_)));
    assert_eq!(p.frame_labels.as_ref().map(Vec::len), Some(3));
    let reference = parse_json(body.as_bytes(), Some(&t), M, Readers::Reference).unwrap();
    assert!(matches!(reference.input, ModelInput::Table(_)));
    assert_eq!(
        model_input_to_value(&p.as_parsed()),
        model_input_to_value(&reference.input)
    );
}
