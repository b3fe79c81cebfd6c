//! The floats the evaluators hold and compare: `f32` (XGBoost) and `f64` (LightGBM).

/// The floats the forests hold (`f32` for XGBoost, `f64` for LightGBM).
pub trait Real: Copy + PartialOrd + std::fmt::Debug {
    /// Not a number.
    const NAN: Self;
    /// Positive infinity.
    const INFINITY: Self;
    /// Whether the value is NaN.
    fn nan(self) -> bool;
}

impl Real for f32 {
    const NAN: Self = f32::NAN;
    const INFINITY: Self = f32::INFINITY;
    #[inline]
    fn nan(self) -> bool {
        self.is_nan()
    }
}

impl Real for f64 {
    const NAN: Self = f64::NAN;
    const INFINITY: Self = f64::INFINITY;
    #[inline]
    fn nan(self) -> bool {
        self.is_nan()
    }
}
