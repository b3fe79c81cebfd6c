//! pandas' behaviour that signet reproduces: how `pd.read_csv` reads a CSV text ([`csv`]).
//!
//! How pandas DataFrames map onto Arrow tables (dtypes, missing values, labels) is
//! [`crate::table`]'s.

pub mod csv;
