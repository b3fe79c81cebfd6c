//! skops archives (the sklearn flavor's `model.skops`) and numpy `.npy` arrays.

use signet_skops::npy::ArrayData;
use signet_skops::{parse_npy, SkopsFile};

/// A skops file read and audited as the `sklearn` flavor reads it, every estimator signet
/// implements trusted, then built into an estimator.
pub fn skops_archive(data: &[u8]) {
    let trusted: Vec<String> = signet_sklearn::SUPPORTED
        .iter()
        .map(|s| s.to_string())
        .collect();
    if let Ok(file) = SkopsFile::from_bytes(data, "model.skops", &trusted) {
        let _ = signet_sklearn::build(&file.root);
    }
}

/// A `.npy` array. An accepted array must hold exactly as many elements as its shape says,
/// in every field of a structured dtype.
pub fn npy(data: &[u8]) {
    let Ok(array) = parse_npy(data) else {
        return;
    };
    let count = array.shape.iter().product::<usize>();
    match array.data.as_ref() {
        ArrayData::Record(fields) => {
            for (name, field) in fields {
                assert_eq!(
                    field.len(),
                    count,
                    "field {name} has the wrong element count"
                );
            }
        }
        other => assert_eq!(other.len(), count, "element count differs from the shape"),
    }
}
