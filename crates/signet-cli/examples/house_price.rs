//! The house-price seed, end to end: `cargo run --example house_price` (from the repository
//! root).
//!
//! A Rust model (price = 140000 + 100 × sqft + 20000 × bedrooms) gets its signature inferred
//! from sample data with `signet::infer_signature`, is saved as an MLflow model directory with
//! an input example, loaded back, and asked to predict: the correct input gives 350000 and
//! 420000; a missing column and a wrongly typed column are refused with MLflow's messages
//! before the model runs.
//!
//! Pass a directory to keep the saved model (`cargo run --example house_price -- ./hp`);
//! by default it goes to a temporary directory that is removed at the end.

use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use signet::{infer_signature, ModelInput, Tensor, TensorData, Value};
use signet_model::{
    load_model, save_model, InputExample, LoadModel, Model, ModelError, PredictContext,
    PyFuncModel, Registry,
};
use std::sync::Arc;

/// price = base + per_sqft × sqft + per_bedroom × bedrooms.
struct HousePrice {
    base: i64,
    per_sqft: i64,
    per_bedroom: i64,
}

impl HousePrice {
    fn column<'a>(input: &'a RecordBatch, name: &str) -> Result<&'a Int64Array, ModelError> {
        input
            .column_by_name(name)
            .and_then(|c| c.as_any().downcast_ref::<Int64Array>())
            .ok_or_else(|| ModelError::Model(format!("column {name} is not an int64 column")))
    }
}

impl Model for HousePrice {
    fn model_type(&self) -> &str {
        "house_price"
    }

    fn predict(
        &self,
        _context: &PredictContext,
        input: ModelInput,
        _params: Option<&Value>,
    ) -> Result<ModelInput, ModelError> {
        // Enforcement already made this a table with int64 `sqft` and `bedrooms`.
        let ModelInput::Table(table) = input else {
            return Err(ModelError::Model("expected a table".into()));
        };
        let sqft = Self::column(&table, "sqft")?;
        let bedrooms = Self::column(&table, "bedrooms")?;
        let prices: Int64Array = sqft
            .iter()
            .zip(bedrooms.iter())
            .map(|(s, b)| Some(self.base + self.per_sqft * s? + self.per_bedroom * b?))
            .collect();
        Ok(ModelInput::Tensor(Tensor {
            dtype: signet::NumpyDtype::Int64,
            shape: vec![prices.len()],
            data: TensorData::Arrow(Arc::new(prices)),
        }))
    }

    fn save_state(&self) -> Result<Vec<u8>, ModelError> {
        Ok(format!(
            "{{\"base\": {}, \"per_sqft\": {}, \"per_bedroom\": {}}}",
            self.base, self.per_sqft, self.per_bedroom
        )
        .into_bytes())
    }
}

impl LoadModel for HousePrice {
    fn load_state(state: &[u8], _context: &PredictContext) -> Result<Self, ModelError> {
        let text = std::str::from_utf8(state).map_err(|e| ModelError::Model(e.to_string()))?;
        let v = signet::pyjson::loads(text).map_err(|e| ModelError::Model(e.to_string()))?;
        let int = |k: &str| match v.get(k) {
            Some(Value::Int(i)) => i64::try_from(*i).map_err(|e| ModelError::Model(e.to_string())),
            _ => Err(ModelError::Model(format!("model state without `{k}`"))),
        };
        Ok(HousePrice {
            base: int("base")?,
            per_sqft: int("per_sqft")?,
            per_bedroom: int("per_bedroom")?,
        })
    }
}

fn table(columns: Vec<(&str, ArrayRef)>) -> ModelInput {
    ModelInput::Table(RecordBatch::try_from_iter(columns).expect("columns of equal length"))
}

fn ints(values: &[i64]) -> ArrayRef {
    Arc::new(Int64Array::from(values.to_vec()))
}

fn show_prediction(output: &ModelInput) -> String {
    String::from_utf8_lossy(&signet_protocol::render::predictions_json(output, false)).into_owned()
}

/// Prints the enforcement error `input` is refused with (or the output, should it pass).
fn show_refusal(loaded: &PyFuncModel, input: ModelInput) {
    match loaded.predict(input, None) {
        Ok(out) => println!("  accepted?! {}", show_prediction(&out)),
        Err(e) => println!(
            "  refused: {}",
            e.enforce_error().map_or(e.to_string(), |x| x.to_string())
        ),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let keep = std::env::args().nth(1);
    let (dir, cleanup) = match keep {
        Some(d) => (std::path::PathBuf::from(d), false),
        None => (
            std::env::temp_dir().join(format!(
                "signet-house-price-{}",
                signet_model::mlmodel::uuid4_hex()
            )),
            true,
        ),
    };

    // 1. Sample data, and the signature inferred from it.
    let sample = table(vec![
        ("sqft", ints(&[1500, 2000])),
        ("bedrooms", ints(&[3, 4])),
    ]);
    let model = HousePrice {
        base: 140_000,
        per_sqft: 100,
        per_bedroom: 20_000,
    };
    let prices = model.predict(&PredictContext::default(), sample.clone(), None)?;
    let signature = infer_signature(Some(&sample), Some(&prices), None)?;
    let dict = signet::signature_to_dict(&signature);
    println!("inferred signature:");
    println!("  inputs:  {}", dict.inputs.as_deref().unwrap_or("null"));
    println!("  outputs: {}", dict.outputs.as_deref().unwrap_or("null"));

    // 2. Save it with an input example, as an MLflow model directory.
    save_model(
        &dir,
        &model,
        Some(signature),
        Some(InputExample::new(sample.clone())),
    )?;
    println!("\nsaved to {}:", dir.display());
    let mut files: Vec<String> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    files.sort();
    println!("  {}", files.join(", "));

    // 3. Load it back: the program says which Rust type `house_price` is.
    let mut registry = Registry::new();
    registry.register::<HousePrice>("house_price");
    let loaded = load_model(&dir, &registry)?;

    // 4. The correct input.
    let output = loaded.predict(sample, None)?;
    println!("\npredict(sqft=[1500, 2000], bedrooms=[3, 4]):");
    println!("  {}", show_prediction(&output));
    if let ModelInput::Tensor(t) = &output {
        for i in 0..t.len() {
            println!("  {}", signet::repr::py_str_of(&t.element(i)));
        }
    }

    // 5. A missing column: refused before the model runs.
    let missing = table(vec![("sqft", ints(&[1500])), ("bathrooms", ints(&[2]))]);
    println!("\npredict(sqft=[1500], bathrooms=[2]):");
    show_refusal(&loaded, missing);

    // 6. A wrongly typed column: refused too.
    let wrong = table(vec![
        (
            "sqft",
            Arc::new(StringArray::from(vec!["1500"])) as ArrayRef,
        ),
        ("bedrooms", ints(&[3])),
    ]);
    println!("\npredict(sqft=[\"1500\"], bedrooms=[3]):");
    show_refusal(&loaded, wrong);

    if cleanup {
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}
