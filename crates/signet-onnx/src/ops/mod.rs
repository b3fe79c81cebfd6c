//! ONNX-ML operators tract 0.23 lacks or runs differently from onnxruntime, registered into
//! its ONNX loader.
//!
//! | operator | implementation |
//! | --- | --- |
//! | `Scaler` | [`scaler`]: an expansion into `Cast`, `Sub`, `Mul` |
//! | `TreeEnsembleRegressor` | [`tree_ensemble`]: an operator of its own, onnxruntime's semantics |
//! | `TreeEnsembleClassifier` | [`tree_ensemble`]: replaces tract's, whose binary labels differ from onnxruntime |
//! | `Imputer`, `Binarizer`, `OneHotEncoder`, `LabelEncoder`, `FeatureVectorizer` | [`encoders`] |
//! | `SVMClassifier`, `SVMRegressor` | [`svm`] (all kernels, Platt probabilities) |
//! | `LinearClassifier`, `LinearRegressor` | [`linear`]: replace tract's, which refuse the `PROBIT` and `SOFTMAX_ZERO` post transforms |
//! | `Flatten` | [`flatten`]: replaces tract's, which refuses inputs with two symbolic axes (`Tokenizer`'s output) |
//! | `ArrayFeatureExtractor` | [`feature_extractor`]: replaces tract's, whose output rank follows the indices' rank |
//! | (shared) | [`post_transform`]: the scores' post transforms of the scoring operators |
//! | `StringNormalizer`, `TfIdfVectorizer`, `com.microsoft:Tokenizer` | [`text`] |
//! | (shared) | [`native`]: the tract traits of signet's one-input operators, written once |
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
mod scoring;
mod svm;
mod text;
mod tree_ensemble;

/// tract's ONNX framework with signet's operators registered.
pub(crate) fn framework() -> tract_onnx::Onnx {
    let mut onnx = tract_onnx::onnx();
    let reg = &mut onnx.op_register;
    reg.insert("Scaler", scaler::build);
    reg.insert("TreeEnsembleRegressor", tree_ensemble::build_regressor);
    reg.insert("TreeEnsembleClassifier", tree_ensemble::build_classifier);
    reg.insert("Imputer", encoders::build_imputer);
    reg.insert("Binarizer", encoders::build_binarizer);
    reg.insert("OneHotEncoder", encoders::build_one_hot);
    reg.insert("LabelEncoder", encoders::build_label_encoder);
    reg.insert("FeatureVectorizer", encoders::build_feature_vectorizer);
    reg.insert("SVMClassifier", svm::build_classifier);
    reg.insert("SVMRegressor", svm::build_regressor);
    reg.insert("LinearClassifier", linear::build_classifier);
    reg.insert("LinearRegressor", linear::build_regressor);
    reg.insert("ArrayFeatureExtractor", feature_extractor::build);
    reg.insert("Flatten", flatten::build);
    reg.insert("StringNormalizer", text::build_string_normalizer);
    reg.insert("Tokenizer", text::build_tokenizer);
    reg.insert("TfIdfVectorizer", text::build_tfidf);
    onnx
}
