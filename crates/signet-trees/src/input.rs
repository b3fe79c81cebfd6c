//! MLflow model inputs ([`ModelInput`]: a pandas DataFrame as an Arrow table, or a 2-D numpy
//! array) into the dense row-major matrices the evaluators read, with the libraries' column
//! rules:
//!
//! * XGBoost reads a DataFrame by name: its columns must be the model's `feature_names` in
//!   order (`validate_features`); category columns are recoded to the training categories
//!   stored in the model (an unknown category is refused, as XGBoost refuses it).
//! * LightGBM reads a DataFrame by position (the column count must match); its category
//!   columns, in order, are mapped through the model's `pandas_categorical` lists (an unknown
//!   category becomes NaN, as `pandas.Categorical(..., categories=...)` makes it).
//!
//! Numbers and booleans become floats (nulls NaN); other column types are refused with the
//! library's message.

use crate::error::TreeError;
use crate::lightgbm::PandasCategory;
use crate::xgboost::Categories;
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch};
use arrow_schema::DataType;
use signet::input::TensorData;
use signet::ModelInput;

/// A column's values as floats (NaN for nulls), or the reason it has none.
fn numeric(a: &ArrayRef) -> Option<Vec<f64>> {
    let t = a.data_type();
    let ok = t.is_numeric() || matches!(t, DataType::Boolean | DataType::Null);
    if !ok {
        return None;
    }
    let c = arrow_cast::cast(a, &DataType::Float64).ok()?;
    let f: &Float64Array = c.as_primitive_opt()?;
    Some(
        (0..f.len())
            .map(|i| if f.is_null(i) { f64::NAN } else { f.value(i) })
            .collect(),
    )
}

/// A dictionary (category) column: its keys per row (`None` for null) and its values as text
/// or numbers.
struct Dict {
    keys: Vec<Option<usize>>,
    values: Vec<CatValue>,
}

#[derive(Clone, Debug, PartialEq)]
enum CatValue {
    Str(String),
    Num(f64),
}

fn dictionary(a: &ArrayRef) -> Option<Dict> {
    let DataType::Dictionary(_, _) = a.data_type() else {
        return None;
    };
    let d = a.as_any_dictionary_opt()?;
    let keys = arrow_cast::cast(d.keys(), &DataType::Int64).ok()?;
    let keys = keys.as_primitive::<Int64Type>();
    let keys = (0..keys.len())
        .map(|i| {
            if keys.is_null(i) {
                None
            } else {
                usize::try_from(keys.value(i)).ok()
            }
        })
        .collect();
    let vals = d.values();
    let values = if let Some(v) = numeric(vals) {
        v.into_iter().map(CatValue::Num).collect()
    } else {
        let s = arrow_cast::cast(vals, &DataType::Utf8).ok()?;
        let s = s.as_string::<i32>();
        (0..s.len())
            .map(|i| CatValue::Str(s.value(i).to_string()))
            .collect()
    };
    Some(Dict { keys, values })
}

fn bad_dtype(cols: &[String]) -> TreeError {
    TreeError::input(format!(
        "DataFrame.dtypes for data must be int, float, bool or category. Invalid columns: {}",
        cols.join(", ")
    ))
}

/// A 2-D numeric tensor as rows of floats.
fn tensor_matrix(input: &ModelInput, width: usize) -> Result<Option<(Vec<f64>, usize)>, TreeError> {
    let ModelInput::Tensor(t) = input else {
        return Ok(None);
    };
    let rows = match t.shape.as_slice() {
        [r, c] if *c == width => *r,
        [c] if *c == width => 1,
        shape => {
            return Err(TreeError::input(format!(
                "expected a 2-D array with {width} columns, got shape {shape:?}"
            )))
        }
    };
    let TensorData::Arrow(a) = &t.data else {
        return Err(TreeError::input(
            "an object array cannot be read as features",
        ));
    };
    let v = numeric(a).ok_or_else(|| TreeError::input("the array is not numeric"))?;
    Ok(Some((v, rows)))
}

fn table(input: &ModelInput) -> Result<&RecordBatch, TreeError> {
    match input {
        ModelInput::Table(b) => Ok(b),
        _ => Err(TreeError::input(
            "expected a pandas DataFrame or a 2-D numpy array as input",
        )),
    }
}

/// The XGBoost feature matrix (`f32`, NaN missing) and its row count.
pub fn xgboost_matrix(
    input: &ModelInput,
    model: &crate::xgboost::Model,
) -> Result<(Vec<f32>, usize), TreeError> {
    let nf = model.num_feature;
    if let Some((v, rows)) = tensor_matrix(input, nf)? {
        return Ok((v.into_iter().map(|x| x as f32).collect(), rows));
    }
    let batch = table(input)?;
    let names: Vec<String> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    if !model.feature_names.is_empty() && names != model.feature_names {
        let missing: Vec<&str> = model
            .feature_names
            .iter()
            .filter(|n| !names.contains(n))
            .map(String::as_str)
            .collect();
        let extra: Vec<&str> = names
            .iter()
            .filter(|n| !model.feature_names.contains(n))
            .map(String::as_str)
            .collect();
        let mut msg = format!(
            "feature_names mismatch: {:?} {:?}",
            model.feature_names, names
        );
        if !missing.is_empty() {
            msg.push_str(&format!("\nexpected {} in input data", missing.join(", ")));
        }
        if !extra.is_empty() {
            msg.push_str(&format!(
                "\ntraining data did not have the following fields: {}",
                extra.join(", ")
            ));
        }
        return Err(TreeError::input(msg));
    }
    if names.len() != nf {
        return Err(TreeError::input(format!(
            "Feature shape mismatch, expected: {nf}, got {}",
            names.len()
        )));
    }
    let rows = batch.num_rows();
    let mut out = vec![f32::NAN; rows * nf];
    let mut bad = Vec::new();
    for (j, col) in batch.columns().iter().enumerate() {
        if let Some(v) = numeric(col) {
            for (r, x) in v.into_iter().enumerate() {
                out[r * nf + j] = x as f32;
            }
        } else if let Some(d) = dictionary(col) {
            let train = model
                .cats
                .as_ref()
                .and_then(|c| c.get(j))
                .and_then(Option::as_ref);
            let codes: Vec<f32> = match train {
                Some(train) => d
                    .values
                    .iter()
                    .map(|v| xgboost_recode(train, v, j).map(|c| c as f32))
                    .collect::<Result<_, _>>()?,
                None => (0..d.values.len()).map(|i| i as f32).collect(),
            };
            for (r, k) in d.keys.iter().enumerate() {
                out[r * nf + j] = k.and_then(|k| codes.get(k).copied()).unwrap_or(f32::NAN);
            }
        } else {
            bad.push(names[j].clone());
        }
    }
    if !bad.is_empty() {
        return Err(bad_dtype(&bad));
    }
    Ok((out, rows))
}

/// XGBoost 3.2's recoding of one input category (`encoder/ordinal.h`, `Recode` with
/// `SearchSorted`): a `lower_bound` over the training categories in sorted order (strings
/// compared as signed bytes), *without* an equality check — so an unseen category becomes the
/// next training category up, and only one past the last is refused, with XGBoost's message.
fn xgboost_recode(train: &Categories, v: &CatValue, column: usize) -> Result<usize, TreeError> {
    fn signed(s: &str) -> impl Iterator<Item = i8> + '_ {
        s.bytes().map(|b| b as i8)
    }
    let found = match (train, v) {
        (Categories::Strings(t), CatValue::Str(needle)) => {
            let mut idx: Vec<usize> = (0..t.len()).collect();
            idx.sort_by(|a, b| signed(&t[*a]).cmp(signed(&t[*b])));
            idx.into_iter()
                .find(|i| signed(&t[*i]).cmp(signed(needle)) != std::cmp::Ordering::Less)
        }
        (Categories::Numbers(t), CatValue::Num(needle)) => {
            let mut idx: Vec<usize> = (0..t.len()).collect();
            idx.sort_by(|a, b| t[*a].total_cmp(&t[*b]));
            idx.into_iter()
                .find(|i| t[*i].partial_cmp(needle) != Some(std::cmp::Ordering::Less))
        }
        _ => {
            return Err(TreeError::input(format!(
                "Invalid new DataFrame input for the: {column}th feature (0-based). The data type \
                 doesn't match the one used in the training dataset. Both should be either \
                 numeric or categorical. For a categorical feature, the index type must match \
                 between the training and test set."
            )))
        }
    };
    found.ok_or_else(|| {
        let shown = match v {
            CatValue::Str(s) => s.clone(),
            CatValue::Num(n) => n.to_string(),
        };
        TreeError::input(format!(
            "Found a category not in the training set for the {column}th (0-based) column: `{shown}`"
        ))
    })
}

/// The LightGBM feature matrix (`f64`, NaN missing) and its row count.
pub fn lightgbm_matrix(
    input: &ModelInput,
    booster: &crate::lightgbm::Booster,
) -> Result<(Vec<f64>, usize), TreeError> {
    let nf = booster.num_features;
    let shape_err = |got: usize| {
        TreeError::input(format!(
            "The number of features in data ({got}) is not the same as it was in training data \
             ({nf}).\nYou can set ``predict_disable_shape_check=true`` to discard this error, but \
             please be aware what you are doing."
        ))
    };
    if let ModelInput::Tensor(t) = input {
        if let Some(&c) = t.shape.last() {
            if c != nf {
                return Err(shape_err(c));
            }
        }
    }
    if let Some(m) = tensor_matrix(input, nf)? {
        return Ok(m);
    }
    let batch = table(input)?;
    if batch.num_columns() != nf {
        return Err(shape_err(batch.num_columns()));
    }
    let rows = batch.num_rows();
    let mut out = vec![f64::NAN; rows * nf];
    let mut bad = Vec::new();
    let mut cat_index = 0usize;
    let n_cat_cols = batch
        .columns()
        .iter()
        .filter(|c| matches!(c.data_type(), DataType::Dictionary(_, _)))
        .count();
    if let Some(pc) = &booster.pandas_categorical {
        if pc.len() != n_cat_cols {
            return Err(TreeError::input(
                "train and valid dataset categorical_feature do not match.",
            ));
        }
    }
    for (j, col) in batch.columns().iter().enumerate() {
        if let Some(d) = dictionary(col) {
            let train = booster
                .pandas_categorical
                .as_ref()
                .and_then(|p| p.get(cat_index));
            cat_index += 1;
            let codes: Vec<f64> = match train {
                Some(train) => d
                    .values
                    .iter()
                    .map(|v| {
                        train
                            .iter()
                            .position(|t| match (t, v) {
                                (PandasCategory::Str(a), CatValue::Str(b)) => a == b,
                                (PandasCategory::Num(a), CatValue::Num(b)) => a == b,
                                _ => false,
                            })
                            .map_or(f64::NAN, |p| p as f64)
                    })
                    .collect(),
                None => (0..d.values.len()).map(|i| i as f64).collect(),
            };
            for (r, k) in d.keys.iter().enumerate() {
                out[r * nf + j] = k.and_then(|k| codes.get(k).copied()).unwrap_or(f64::NAN);
            }
        } else if let Some(v) = numeric(col) {
            for (r, x) in v.into_iter().enumerate() {
                out[r * nf + j] = x;
            }
        } else {
            bad.push(batch.schema().field(j).name().clone());
        }
    }
    if !bad.is_empty() {
        return Err(TreeError::input(format!(
            "DataFrame.dtypes for data must be int, float or bool.\nDid not expect the data types in the following fields: {}",
            bad.join(", ")
        )));
    }
    Ok((out, rows))
}
