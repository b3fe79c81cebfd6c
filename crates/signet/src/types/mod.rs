//! The type system: scalar and composite column types, column and tensor specs, schemas,
//! params and signatures, with MLflow's construction rules and messages.

mod colspec;
mod coltype;
mod datatype;
mod params;
mod schema;
mod signature;
mod tensor;

pub use colspec::{ColSpec, ColumnName};
pub use coltype::{ColType, ObjectType, Property, Required};
pub use datatype::DataType;
pub use params::{ParamSchema, ParamShape, ParamSpec, ParamType};
pub use schema::{Schema, SchemaKind, Spec};
pub use signature::ModelSignature;
pub use tensor::{NumpyDtype, TensorSpec, TimeUnit};
