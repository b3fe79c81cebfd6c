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
    predict_two_rows(
        model.num_feature,
        [f32::NAN, 0.0],
        |x, margin| {
            let opts = Options {
                margin,
                ..Options::default()
            };
            model.predict(x, 2, &opts).ok().map(|out| out.len())
        },
        |margin| model.output_width(margin),
    );
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
    predict_two_rows(
        model.num_features,
        [f64::NAN, 0.0],
        |x, raw| model.predict(x, 2, None, raw).ok().map(|out| out.len()),
        |_| model.output_width(),
    );
}

/// Asks a model with `num_features` features to predict two rows (all `missing`, all
/// `zero`) in both of its modes; `predict` gives the number of values of an accepted
/// prediction, which must be `2 × width(mode)`. A model declaring a huge feature count is
/// valid but cannot be fed here.
fn predict_two_rows<T: Copy>(
    num_features: usize,
    [missing, zero]: [T; 2],
    predict: impl Fn(&[T], bool) -> Option<usize>,
    width: impl Fn(bool) -> usize,
) {
    if num_features > 1 << 16 {
        return;
    }
    let mut x = vec![missing; num_features];
    x.extend(std::iter::repeat_n(zero, num_features));
    for mode in [false, true] {
        if let Some(len) = predict(&x, mode) {
            assert_eq!(
                len,
                2 * width(mode),
                "prediction width differs from the declared one"
            );
        }
    }
}
