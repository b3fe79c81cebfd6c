//! ONNX-ML operators tract 0.23 lacks or runs differently from onnxruntime, registered into
//! its ONNX loader.
//!
//! | operator | implementation |
//! | --- | --- |
//! | `Scaler` | [`scaler`]: rewritten into `Cast`, `Sub`, `Mul` |
//! | `TreeEnsembleRegressor` | [`tree_ensemble`]: an operator of its own, onnxruntime's semantics |
//! | `TreeEnsembleClassifier` | [`tree_ensemble`]: replaces tract's, whose binary labels differ from onnxruntime |
//! | `Imputer`, `Binarizer`, `OneHotEncoder`, `LabelEncoder`, `FeatureVectorizer` | [`encoders`] |
//! | `SVMClassifier`, `SVMRegressor` | [`svm`] (all kernels, Platt probabilities) |
//! | `LinearClassifier`, `LinearRegressor` | [`linear`]: replace tract's, which refuse the `PROBIT` and `SOFTMAX_ZERO` post transforms |
//! | `Flatten` | [`flatten`]: replaces tract's, which refuses inputs with two symbolic axes (`Tokenizer`'s output) |
//! | `ArrayFeatureExtractor` | [`feature_extractor`]: replaces tract's, whose output rank follows the indices' rank |
//! | (shared) | [`post_transform`]: the scores' post transforms of the scoring operators |
//! | `StringNormalizer`, `TfIdfVectorizer`, `com.microsoft:Tokenizer` | [`text`] |
//! | (shared) | [`native`]: the tract traits of every operator here, written once; the registry entries ([`native::build`]) |
//! | (shared) | [`scoring`]: the tract plumbing of the scoring operators (one input, `label` + `scores` or `scores`) |
//! | `ZipMap` | not an operator: [`crate::zipmap`] strips it before tract parses the graph |

pub(crate) mod attrs;
mod encoders;
mod feature_extractor;
mod flatten;
mod linear;
mod native;
mod post_transform;
mod scaler;
pub(crate) mod scoring;

use scoring::Scorer;
mod svm;
mod text;
mod tree_ensemble;

/// tract's ONNX framework with signet's operators registered.
pub(crate) fn framework() -> tract_onnx::Onnx {
    use native::{build, Unary};
    let mut onnx = tract_onnx::onnx();
    let reg = &mut onnx.op_register;
    reg.insert("Scaler", build::<scaler::Scaler>);
    reg.insert(
        "TreeEnsembleRegressor",
        build::<Scorer<tree_ensemble::TreeEnsembleRegressorOp>>,
    );
    reg.insert(
        "TreeEnsembleClassifier",
        build::<Scorer<tree_ensemble::TreeEnsembleClassifierOp>>,
    );
    reg.insert("Imputer", build::<Unary<encoders::Imputer>>);
    reg.insert("Binarizer", build::<Unary<encoders::Binarizer>>);
    reg.insert("OneHotEncoder", build::<Unary<encoders::OneHotEncoder>>);
    reg.insert("LabelEncoder", build::<Unary<encoders::LabelEncoder>>);
    reg.insert("FeatureVectorizer", build::<encoders::FeatureVectorizer>);
    reg.insert("SVMClassifier", build::<Scorer<svm::SvmClassifier>>);
    reg.insert("SVMRegressor", build::<Scorer<svm::SvmRegressor>>);
    reg.insert(
        "LinearClassifier",
        build::<Scorer<linear::LinearClassifier>>,
    );
    reg.insert("LinearRegressor", build::<Scorer<linear::LinearRegressor>>);
    reg.insert(
        "ArrayFeatureExtractor",
        build::<feature_extractor::ArrayFeatureExtractor>,
    );
    reg.insert("Flatten", build::<flatten::Flatten>);
    reg.insert("StringNormalizer", build::<Unary<text::StringNormalizer>>);
    reg.insert("Tokenizer", build::<Unary<text::Tokenizer>>);
    reg.insert("TfIdfVectorizer", build::<Unary<text::TfIdfVectorizer>>);
    onnx
}
