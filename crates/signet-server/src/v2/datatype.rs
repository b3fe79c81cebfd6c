//! The V2 tensor datatypes and MLServer's content types.

use signet::NumpyDtype;

/// MLServer's `NumpyCodec.ContentType`: a numpy array.
pub(crate) const NP: &str = "np";
/// MLServer's `PandasCodec.ContentType`: a pandas DataFrame, one input per column.
pub(crate) const PD: &str = "pd";
/// MLServer's `PandasCodec.JsonContentType`: a column of JSON texts (composite values).
pub(crate) const PD_JSON: &str = "pd_json";
/// mlserver_mlflow's `TensorDictCodec.ContentType`: a dict of numpy arrays.
pub(crate) const DICT: &str = "dict";
/// MLServer's `StringCodec.ContentType`: a list of strings.
pub(crate) const STR: &str = "str";
/// MLServer's `Base64Codec.ContentType`: base64 text decoded to bytes.
pub(crate) const BASE64: &str = "base64";
/// MLServer's `DatetimeCodec.ContentType`: ISO 8601 text decoded to datetimes.
pub(crate) const DATETIME: &str = "datetime";

/// A tensor datatype of the Open Inference Protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Datatype {
    Bool,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Int8,
    Int16,
    Int32,
    Int64,
    Fp16,
    Fp32,
    Fp64,
    Bytes,
}

impl Datatype {
    /// Every datatype, in the protocol's order.
    pub(crate) const ALL: [Datatype; 13] = [
        Datatype::Bool,
        Datatype::UInt8,
        Datatype::UInt16,
        Datatype::UInt32,
        Datatype::UInt64,
        Datatype::Int8,
        Datatype::Int16,
        Datatype::Int32,
        Datatype::Int64,
        Datatype::Fp16,
        Datatype::Fp32,
        Datatype::Fp64,
        Datatype::Bytes,
    ];

    /// The protocol's name (`INT64`, `FP32`, `BYTES`, ...).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Datatype::Bool => "BOOL",
            Datatype::UInt8 => "UINT8",
            Datatype::UInt16 => "UINT16",
            Datatype::UInt32 => "UINT32",
            Datatype::UInt64 => "UINT64",
            Datatype::Int8 => "INT8",
            Datatype::Int16 => "INT16",
            Datatype::Int32 => "INT32",
            Datatype::Int64 => "INT64",
            Datatype::Fp16 => "FP16",
            Datatype::Fp32 => "FP32",
            Datatype::Fp64 => "FP64",
            Datatype::Bytes => "BYTES",
        }
    }

    /// Looks a datatype up by its protocol name.
    pub(crate) fn parse(name: &str) -> Option<Datatype> {
        Datatype::ALL.into_iter().find(|d| d.name() == name)
    }

    /// MLServer's `to_datatype(dtype)` (`mlserver/codecs/numpy.py`): the numeric and bool
    /// dtypes map one to one, `str` / `bytes` / `object` to `BYTES`. MLServer has no datatype
    /// for datetimes, timedeltas and complex numbers (a `KeyError`); signet says `BYTES`.
    pub(crate) fn of_numpy(dtype: NumpyDtype) -> Datatype {
        match dtype {
            NumpyDtype::Bool => Datatype::Bool,
            NumpyDtype::UInt8 => Datatype::UInt8,
            NumpyDtype::UInt16 => Datatype::UInt16,
            NumpyDtype::UInt32 => Datatype::UInt32,
            NumpyDtype::UInt64 => Datatype::UInt64,
            NumpyDtype::Int8 => Datatype::Int8,
            NumpyDtype::Int16 => Datatype::Int16,
            NumpyDtype::Int32 => Datatype::Int32,
            NumpyDtype::Int64 => Datatype::Int64,
            NumpyDtype::Float16 => Datatype::Fp16,
            NumpyDtype::Float32 => Datatype::Fp32,
            NumpyDtype::Float64 => Datatype::Fp64,
            _ => Datatype::Bytes,
        }
    }

    /// MLServer's `to_dtype` for the numeric and bool datatypes (`None` for `BYTES`, whose
    /// dtype depends on the content type).
    pub(crate) fn numpy(self) -> Option<NumpyDtype> {
        Some(match self {
            Datatype::Bool => NumpyDtype::Bool,
            Datatype::UInt8 => NumpyDtype::UInt8,
            Datatype::UInt16 => NumpyDtype::UInt16,
            Datatype::UInt32 => NumpyDtype::UInt32,
            Datatype::UInt64 => NumpyDtype::UInt64,
            Datatype::Int8 => NumpyDtype::Int8,
            Datatype::Int16 => NumpyDtype::Int16,
            Datatype::Int32 => NumpyDtype::Int32,
            Datatype::Int64 => NumpyDtype::Int64,
            Datatype::Fp16 => NumpyDtype::Float16,
            Datatype::Fp32 => NumpyDtype::Float32,
            Datatype::Fp64 => NumpyDtype::Float64,
            Datatype::Bytes => return None,
        })
    }
}
