//! Python renderings of whole model inputs and outputs, as MLflow 3.17.2 produces them:
//!
//! * [`data_str`] — Python `str()` of the data, as embedded in
//!   `Failed to predict data '<data>'` and `Failed to enforce schema of data '<data>'`:
//!   pandas 3.1 DataFrame / Series text layout, numpy 2.4 array `str()`, Python `repr()` of
//!   dicts (arrays inside as `array([...], dtype=float32)`), lists and scalars;
//! * [`predictions_json`] — the body of a successful `/invocations` response
//!   (`{"predictions": ...}`), byte for byte as MLflow's `json.dump(..., cls=NumpyEncoder)`.
//!
//! # Fidelity of `data_str`
//!
//! Exact for the shapes MLflow messages usually carry: frames of numeric, bool, string,
//! object, datetime and nullable columns (per-column float decimals, `NaN`/`None`/`<NA>`/
//! `NaT`, scientific notation, truncation to 10 rows past 60, dropping middle columns past the
//! 80-character width with `...` and the `[N rows x M columns]` footer, `max_colwidth` 50),
//! Series with their `Name:`/`Length:`/`dtype:` footer, numpy arrays of every dtype signet
//! holds (line wrapping at 75, summarisation past 1000 elements) and Python containers.
//! Known differences (best effort):
//!
//! * the row index is always the default `RangeIndex` (signet tables drop any other index);
//! * time zones that are not `UTC` or a fixed `±HH:MM` offset print as `+00:00`;
//! * a `category` Series lacks pandas' `Categories (...)` footer line;
//! * a scipy sparse matrix prints only its summary line (signet keeps no coordinates);
//! * East-Asian wide characters count as one column (pandas' default too, unless
//!   `display.unicode.east_asian_width` is set).

mod frame;
mod join;
mod num;
mod predictions;
mod pyrepr;

pub use frame::{frame_str, series_str};
pub use join::{write_joined, TextOut};
pub use num::{float_text, Bits};
pub use predictions::predictions_json;
pub use pyrepr::numpy::{array_repr, array_str};
pub use pyrepr::{py_repr_value, py_str_value};

use signet::input::{ModelInput, SparseMatrix};
use signet::repr::py_str;

/// Python `str()` of a model input as MLflow embeds it in its error messages
/// (`f"Failed to predict data '{data}'"`).
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Int64Array, RecordBatch};
/// use signet::ModelInput;
/// use signet_protocol::render::data_str;
///
/// let sqft: ArrayRef = Arc::new(Int64Array::from(vec![1500]));
/// let batch = RecordBatch::try_from_iter([("sqft", sqft)]).unwrap();
/// assert_eq!(data_str(&ModelInput::Table(batch)), "   sqft\n0  1500");
/// ```
pub fn data_str(input: &ModelInput) -> String {
    match input {
        ModelInput::Table(batch) => frame_str(batch),
        ModelInput::Series(s) => series_str(s),
        ModelInput::Tensor(t) => array_str(t),
        ModelInput::TensorDict(items) => {
            signet::repr::py_dict(items.iter().map(|(k, t)| (py_str(k), array_repr(t))))
        }
        ModelInput::Sparse(m) => sparse_str(m),
        ModelInput::Value(v) => py_str_value(v),
    }
}

/// The summary line of scipy's `str()` of a sparse matrix (the coordinate listing that follows
/// it in scipy is not reproduced: signet does not keep the coordinates).
fn sparse_str(m: &SparseMatrix) -> String {
    format!(
        "<Compressed Sparse {} sparse matrix of dtype '{}'\n\twith {} stored elements and shape ({}, {})>",
        if m.csr { "Row" } else { "Column" },
        m.data.dtype.name(),
        m.data.len(),
        m.shape.0,
        m.shape.1
    )
}
