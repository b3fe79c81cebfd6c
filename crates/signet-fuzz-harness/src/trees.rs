//! XGBoost (`.ubj` UBJSON / `.json`) and LightGBM (text) model files: loaded as the flavors
//! load them, then asked to predict two rows (all missing, all zero), whose output must have
//! the model's declared width.

use signet_trees::lightgbm::Booster;
use signet_trees::xgboost::predict::Options;
use signet_trees::xgboost::Model;

/// An XGBoost model file (the format told by its first bytes, as the flavor does). An
/// accepted model must predict `2 × output_width` values for two rows, margins or not.
pub fn xgboost_model(data: &[u8]) {
    let Ok(model) = Model::from_bytes(data, "model.ubj") else {
        return;
    };
    // A model declaring a huge feature count is valid but cannot be fed here.
    let nf = model.num_feature;
    if nf > 1 << 16 {
        return;
    }
    let mut x = vec![f32::NAN; nf];
    x.extend(std::iter::repeat_n(0f32, nf));
    for margin in [false, true] {
        let opts = Options {
            margin,
            ..Options::default()
        };
        if let Ok(out) = model.predict(&x, 2, &opts) {
            assert_eq!(
                out.len(),
                2 * model.output_width(margin),
                "prediction width differs from the declared one"
            );
        }
    }
}

/// A LightGBM text model file. An accepted model must predict `2 × output_width` values
/// for two rows, raw or converted.
pub fn lightgbm_model(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(model) = Booster::from_text(text, "model.lgb") else {
        return;
    };
    let nf = model.num_features;
    if nf > 1 << 16 {
        return;
    }
    let mut x = vec![f64::NAN; nf];
    x.extend(std::iter::repeat_n(0f64, nf));
    for raw in [false, true] {
        if let Ok(out) = model.predict(&x, 2, None, raw) {
            assert_eq!(
                out.len(),
                2 * model.output_width(),
                "prediction width differs from the declared one"
            );
        }
    }
}
