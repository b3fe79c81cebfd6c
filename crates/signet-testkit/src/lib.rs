//! # signet-testkit — what signet's test suites and benches share
//!
//! A dev-dependency of every crate's tests; never a dependency of a shipped crate.
//!
//! | module | owns |
//! | --- | --- |
//! | [`corpus`] | the conformance corpus: where it is (failing loudly when it is not), its cases, the known-gaps account of a replay |
//! | [`http`] | requests answered in memory by a router (`tower::ServiceExt::oneshot`) |
//! | [`echo`] | models that return their input: a `signet-model` Model and a `signet-server` Predictor |
//! | [`values`] | the corpus' Values and params as signet model inputs and Python values |
//! | [`skops`] | skops archives and `.npy` members built in memory |
//! | [`messages`] | MLflow messages and error bodies compared modulo set order and stack traces; JSON values modulo dict key order |
//! | [`parquet`] | Parquet files written in memory |
//! | [`scratch`] | fresh temporary directories removed when a test ends |
//! | [`workloads`] | the benchmark cases of `../shared/bench`, built as signet inputs and request bodies |

pub mod corpus;
pub mod echo;
pub mod http;
pub mod messages;
pub mod parquet;
pub mod scratch;
pub mod skops;
pub mod values;
pub mod workloads;
