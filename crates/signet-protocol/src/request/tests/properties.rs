//! Property tests: no panics on arbitrary bytes, and the byte scanner agrees with the value-based reader.

use super::*;

// properties

fn cell_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        (-1e6f64..1e6).prop_map(|f| format!("{f:?}")),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("NaN".to_string()),
        Just("18446744073709551615".to_string()),
        "[a-z0-9 ]{0,4}".prop_map(|s| format!("\"{s}\"")),
        Just("[1, \"a\"]".to_string()),
        Just("{\"k\": 1}".to_string()),
    ]
}

fn schemas() -> Vec<Option<ModelSignature>> {
    let mut out = vec![None];
    for t in [
        "long", "integer", "double", "float", "boolean", "string", "binary", "datetime",
    ] {
        out.push(Some(sig(&format!(
            "[{{\"type\": \"{t}\", \"name\": \"a\", \"required\": true}}, {{\"type\": \"{t}\", \"name\": \"b\", \"required\": false}}]"
        ))));
    }
    out.push(Some(sig("[{\"type\": \"array\", \"items\": {\"type\": \"long\"}, \"name\": \"a\", \"required\": true}]")));
    out.push(Some(sig(
        "[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"int32\", \"shape\": [-1, 2]}}]",
    )));
    out
}

fn frame_value(f: &Result<RecordBatch, RequestError>) -> Result<Value, String> {
    match f {
        Ok(b) => Ok(model_input_to_value(&ModelInput::Table(b.clone()))),
        Err(e) => Err(e.message.clone()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Arbitrary bytes never make the parser panic, whatever the content type and schema.
    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..200), ct in 0usize..4, s in 0usize..11) {
        let cts = [Some("application/json"), Some("text/csv"), Some("application/vnd.apache.parquet"), None];
        let sigs = schemas();
        for compat in [M, S] {
            let _ = parse_request(cts[ct], &body, sigs[s].as_ref(), compat);
        }
    }

    /// JSON-ish bodies (more likely to get deep into the parser) never panic either.
    #[test]
    fn jsonish_bodies_never_panic(cells in proptest::collection::vec(cell_strategy(), 0..6), fmt in 0usize..4, s in 0usize..11) {
        let row = cells.join(", ");
        let body = match fmt {
            0 => format!("{{\"dataframe_split\": {{\"columns\": [\"a\", \"b\"], \"data\": [[{row}]]}}}}"),
            1 => format!("{{\"dataframe_records\": [{{\"a\": {}, \"b\": [{row}]}}]}}", cells.first().cloned().unwrap_or("1".into())),
            2 => format!("{{\"inputs\": {{\"a\": [{row}], \"b\": {}}}}}", cells.last().cloned().unwrap_or("1".into())),
            _ => format!("{{\"instances\": [{{\"a\": [{row}]}}, {{\"a\": {}}}]}}", cells.first().cloned().unwrap_or("1".into())),
        };
        let sigs = schemas();
        for compat in [M, S] {
            let _ = parse_request(JSON, body.as_bytes(), sigs[s].as_ref(), compat);
        }
    }

    /// The byte scanner and the value-based reader build the same frame (or the same error).
    #[test]
    fn fast_and_reference_readers_agree(rows in proptest::collection::vec(proptest::collection::vec(cell_strategy(), 0..3), 0..5), s in 0usize..11, records in any::<bool>()) {
        let sigs = schemas();
        let schema = sigs[s].as_ref().and_then(|x| x.inputs.as_ref());
        for compat in [M, S] {
            let (text, fast) = if records {
                let objs: Vec<String> = rows
                    .iter()
                    .map(|r| {
                        let members: Vec<String> = r.iter().enumerate().map(|(j, c)| format!("\"{}\": {c}", ["a", "b", "a"][j])).collect();
                        format!("{{{}}}", members.join(", "))
                    })
                    .collect();
                let text = format!("[{}]", objs.join(", "));
                let mut sc = Scanner::new(&text);
                let f = frame::records_fast(&mut sc, schema, compat).unwrap();
                (text, f)
            } else {
                let lists: Vec<String> = rows.iter().map(|r| format!("[{}]", r.join(", "))).collect();
                let text = format!("{{\"columns\": [\"a\", \"b\"], \"data\": [{}]}}", lists.join(", "));
                let mut sc = Scanner::new(&text);
                let f = match frame::split_fast(&mut sc, schema, compat).unwrap() {
                    frame::Split::Frame(f) => f,
                    frame::Split::Tensor(t, labels) => rows::frame_of(&t, &labels),
                };
                (text, f)
            };
            let v = loads(&text).unwrap();
            let reference = if records {
                frame::records_from_value(&v, schema, compat)
            } else {
                frame::split_from_value(&v, schema, compat)
            };
            prop_assert_eq!(frame_value(&fast), frame_value(&reference));
        }
    }
}
