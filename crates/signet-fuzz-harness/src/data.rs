//! The data files `signet infer` and `signet check` read (the CLI's `read` module is a thin
//! file-and-message layer over the same library calls): each read, then typed by
//! `infer_signature` as `signet infer` does next.

use signet::{infer_signature, pyjson, ModelInput, Value};

/// Infers a signature from what a reader accepted; an inferred signature must round-trip
/// through its JSON form.
fn infer(input: &ModelInput) {
    if let Ok(sig) = infer_signature(Some(input), None, None) {
        let dict = signet::signature_to_dict(&sig);
        if let Ok(Some(again)) = signet::signature_from_dict(&dict) {
            let rewritten = signet::signature_to_dict(&again);
            assert_eq!(
                (&dict.inputs, &dict.outputs),
                (&rewritten.inputs, &rewritten.outputs),
                "an inferred signature changed on a round trip"
            );
        }
    }
}

/// A `.csv` file read as `pd.read_csv` (the C tokenizer, NA strings, column typing).
pub fn data_csv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(batch) = signet::pandas::csv::read_csv(text.as_bytes()) {
        infer(&ModelInput::Table(batch));
    }
}

/// A `.json` document (and, line by line, a `.jsonl` file) decoded as Python's `json`. A
/// decoded value must survive `json.dumps` → `json.loads` → `json.dumps` unchanged.
pub fn data_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(value) = pyjson::loads(text) {
        let dumped = pyjson::dumps(&value);
        let again = pyjson::loads(&dumped)
            .unwrap_or_else(|e| panic!("json.dumps output is refused: {e}\n{dumped}"));
        assert_eq!(
            dumped,
            pyjson::dumps(&again),
            "JSON changed on a round trip"
        );
        infer(&ModelInput::Value(value));
    }
    let rows: Result<Vec<Value>, _> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(pyjson::loads)
        .collect();
    if let Ok(rows) = rows {
        infer(&ModelInput::Value(Value::List(rows)));
    }
}

/// A `.parquet` file read as `pd.read_parquet` (pyarrow) gives it: all row groups, pandas'
/// metadata, the pandas view of the columns.
pub fn data_parquet(data: &[u8]) {
    // As `signet infer`/`check` read it.
    let Ok(batch) = signet_protocol::parquet_check::read_batch(bytes::Bytes::copy_from_slice(data))
    else {
        return;
    };
    if let Ok(table) = signet::table::pandas_view(batch) {
        infer(&ModelInput::Table(table));
    }
}
