//! The example model built into the binary: `examples/models/house_price` (the house-price
//! predictor exported to ONNX and saved by MLflow), served by a bare `signet serve`.
//!
//! Its files are written to a private temporary directory, loaded like any model directory,
//! and removed when the [`ExampleModel`] is dropped (the loaded model keeps no file open).

use crate::error::CliError;
use std::path::{Path, PathBuf};

/// The model's name (its directory name in the repository).
pub const NAME: &str = "house_price";

/// The files of the model directory, by name.
const FILES: [(&str, &[u8]); 4] = [
    (
        "MLmodel",
        include_bytes!("../../../examples/models/house_price/MLmodel"),
    ),
    (
        "model.onnx",
        include_bytes!("../../../examples/models/house_price/model.onnx"),
    ),
    (
        "input_example.json",
        include_bytes!("../../../examples/models/house_price/input_example.json"),
    ),
    (
        "serving_input_example.json",
        include_bytes!("../../../examples/models/house_price/serving_input_example.json"),
    ),
];

/// The example model written out to a temporary directory, removed on drop.
pub struct ExampleModel {
    dir: PathBuf,
}

impl ExampleModel {
    /// Writes the model's files into a fresh temporary directory.
    pub fn extract() -> Result<ExampleModel, CliError> {
        let dir = std::env::temp_dir().join(format!(
            "signet-example-{NAME}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        let fail = |e: std::io::Error| CliError::file(&dir, e);
        std::fs::create_dir(&dir).map_err(fail)?;
        let model = ExampleModel { dir };
        for (name, bytes) in FILES {
            std::fs::write(model.dir.join(name), bytes)
                .map_err(|e| CliError::file(&model.dir.join(name), e))?;
        }
        Ok(model)
    }

    /// The model directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for ExampleModel {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
