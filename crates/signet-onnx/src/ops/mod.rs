//! ONNX-ML operators tract 0.23 lacks or runs differently from onnxruntime, registered into
//! its ONNX loader.
//!
//! | operator | implementation |
//! | --- | --- |
//! | `Scaler` | [`scaler`]: an expansion into `Cast`, `Sub`, `Mul` |
//! | `TreeEnsembleRegressor` | [`tree_ensemble`]: an operator of its own, onnxruntime's semantics |
//! | `TreeEnsembleClassifier` | [`tree_ensemble`]: replaces tract's, whose binary labels differ from onnxruntime |

mod attrs;
mod scaler;
mod tree_ensemble;

/// tract's ONNX framework with signet's operators registered.
pub(crate) fn framework() -> tract_onnx::Onnx {
    let mut onnx = tract_onnx::onnx();
    onnx.op_register.insert("Scaler", scaler::build);
    onnx.op_register
        .insert("TreeEnsembleRegressor", tree_ensemble::build_regressor);
    onnx.op_register
        .insert("TreeEnsembleClassifier", tree_ensemble::build_classifier);
    onnx
}
