//! Property-based fuzzing of the parsers: arbitrary bytes and single-byte corruptions of valid
//! `.npy` and skops files are read or refused, never a panic (run in plain `cargo test`).

use proptest::prelude::*;
use signet_skops::{parse_npy, SkopsFile};
use signet_testkit::skops;

fn valid_npy() -> Vec<u8> {
    let descr = "[('a', '<i8'), ('b', '<f8'), ('', '|V4')]";
    skops::npy(descr, true, "(2, 1)", &[7u8; 40])
}

fn valid_skops() -> Vec<u8> {
    let schema = r#"{"__class__": "StandardScaler", "__module__": "sklearn.preprocessing._data", "__loader__": "ObjectNode", "protocol": 2,
      "content": {"__class__": "dict", "__module__": "builtins", "__loader__": "DictNode",
        "key_types": {"__class__": "list", "__module__": "builtins", "__loader__": "ListNode", "content": []},
        "content": {"mean_": {"__class__": "ndarray", "__module__": "numpy", "__loader__": "NdArrayNode", "type": "numpy", "file": "1.npy", "__id__": 4},
                    "again": {"__class__": "ndarray", "__module__": "numpy", "__loader__": "NdArrayNode", "type": "numpy", "file": "1.npy", "__id__": 4},
                    "n": {"__class__": "str", "__module__": "builtins", "__loader__": "JsonNode", "content": "NaN"}}}}"#;
    let members = [("1.npy", valid_npy())];
    skops::archive(schema, &members, skops::CompressionMethod::Stored)
}

#[test]
fn the_seed_files_are_valid() {
    assert!(parse_npy(&valid_npy()).is_ok());
    SkopsFile::from_bytes(&valid_skops(), "seed.skops", &[]).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn npy_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut b = b"\x93NUMPY".to_vec();
        b.extend(bytes);
        let _ = parse_npy(&b);
    }

    #[test]
    fn npy_never_panics_on_corruptions(at in 0usize..200, byte in any::<u8>(), cut in 0usize..200) {
        let mut b = valid_npy();
        let i = at % b.len();
        b[i] = byte;
        b.truncate(b.len() - cut % b.len());
        let _ = parse_npy(&b);
    }

    #[test]
    fn skops_never_panics_on_corruptions(at in 0usize..4000, byte in any::<u8>(), second in 0usize..4000) {
        let mut b = valid_skops();
        let n = b.len();
        b[at % n] = byte;
        b[second % n] ^= 0x20;
        let _ = SkopsFile::from_bytes(&b, "fuzz.skops", &[]);
    }

    #[test]
    fn skops_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut b = b"PK\x03\x04".to_vec();
        b.extend(bytes);
        let _ = SkopsFile::from_bytes(&b, "fuzz.skops", &[]);
    }
}
