//! The "Elem" encoding: Python values as tagged JSON, and the conversion of whole model inputs
//! written in that encoding (the conformance corpus' "Values") into [`ModelInput`]s.
//!
//! # Elem: one Python value as JSON
//!
//! Plain JSON maps to itself (`null` = `None`, `true`/`false` = `bool`, an integer literal =
//! `int`, a number with `.` or an exponent = `float`, string = `str`, array = `list`, object =
//! `dict` with string keys). Every other Python value is a one-member object whose key starts
//! with `$`:
//!
//! | tag | Python value | signet [`Value`] |
//! | --- | --- | --- |
//! | `{"$float": "nan"}` / `"inf"` / `"-inf"` | non-finite `float` | `Float` |
//! | `{"$bytes": "<base64>"}` | `bytes` (standard alphabet, padded) | `Bytes` |
//! | `{"$datetime": "2023-06-26T12:00:00"}` | naive `datetime.datetime` | `DateTime` |
//! | `{"$date": "2023-06-26"}` | `datetime.date` | `Date` |
//! | `{"$datetime64": "2023-06-26T00:00:00"}` | `numpy.datetime64`, unit = precision written | `Datetime64` |
//! | `{"$timestamp": "2023-06-26T00:00:00"}` | `pandas.Timestamp` | `Timestamp` |
//! | `{"$nat": true}` / `{"$na": true}` | `pandas.NaT` / `pandas.NA` | `NaT` / `NA` |
//! | `{"$numpy": ["int32", 5]}` | numpy scalar of that dtype | `Numpy` |
//! | `{"$ndarray": <ndarray Value>}` | numpy array nested in a value | `Ndarray` |
//! | `{"$tuple": [...]}` | `tuple` | `Tuple` |
//! | `{"$dict": [[k, v], ...]}` | `dict` whose keys are not all strings | `Dict` |
//! | `{"$value": <Value>}` | DataFrame/Series nested in a value | not supported (error) |
//!
//! [`to_elem`] / [`encode`] write this form (a string-keyed dict that would look like a tag —
//! one key starting with `$` — is written with `$dict` so that decoding is unambiguous);
//! [`from_elem`] / [`decode`] read it. The cells of `arrow.json` object columns
//! ([`crate::table`]) are Elem texts.
//!
//! # Values: whole inputs and outputs
//!
//! A "Value" is `{"type": "dataframe" | "series" | "ndarray" | "tensor_dict" | "json", ...}`
//! (see the conformance FORMAT). [`model_input_from_value`] turns one into a [`ModelInput`]:
//! a DataFrame becomes an Arrow [`RecordBatch`] following the column conventions of
//! [`crate::table`] (its row index, if any, is dropped), a Series a [`Series`], an ndarray a
//! [`Tensor`], a dict of arrays a `TensorDict`, anything else a [`Value`].

//!
//! [`ModelInput`]: crate::ModelInput
//! [`Value`]: crate::Value
//! [`RecordBatch`]: arrow_array::RecordBatch
//! [`Series`]: crate::Series
//! [`Tensor`]: crate::Tensor
mod frame;
mod tags;
#[cfg(test)]
mod tests;
mod text;

pub use frame::*;
pub use tags::*;
pub use text::*;

use crate::SchemaError;

fn err(msg: impl Into<String>) -> SchemaError {
    SchemaError::new(msg)
}
