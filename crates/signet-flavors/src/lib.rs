//! # signet-flavors — every model flavor signet runs natively, in one registry
//!
//! The CLI, the server and the Python package load models through [`registry`], so a flavor
//! added here is served, predicted and scored everywhere at once:
//!
//! | flavor | engine |
//! | --- | --- |
//! | `onnx` | `signet-onnx` (tract plus signet's ONNX-ML operators) |
//! | `sklearn` (skops files) | `signet-sklearn` |
//! | `xgboost`, `lightgbm` | `signet-trees` |
//!
//! Nothing in a model directory is ever executed: every engine reads data files only.

use signet_model::Registry;

/// A registry holding the flavor loaders of every engine signet has (no Rust model types;
/// programs embedding signet-model register their own).
pub fn registry() -> Registry {
    let mut registry = Registry::new();
    registry.register_flavor(signet_onnx::ONNX_FLAVOR, signet_onnx::OnnxFlavor);
    registry.register_flavor(
        signet_sklearn::SKLEARN_FLAVOR,
        signet_sklearn::SklearnFlavor,
    );
    registry.register_flavor(signet_trees::XGBOOST_FLAVOR, signet_trees::XgboostFlavor);
    registry.register_flavor(signet_trees::LIGHTGBM_FLAVOR, signet_trees::LightGbmFlavor);
    registry
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_engine_is_registered() {
        let r = super::registry();
        for flavor in ["onnx", "sklearn", "xgboost", "lightgbm"] {
            assert!(r.has_flavor(flavor), "{flavor}");
        }
    }
}
