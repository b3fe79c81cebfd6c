//! XGBoost objectives: the output transform and the base-score link (`ProbToMargin`), written
//! as XGBoost 3.2 computes them in `float` (`src/objective/*`, `src/common/math.h`).

/// What an objective does to margins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objective {
    /// Raw output, base score used as is (`reg:squarederror`, `reg:absoluteerror`, `rank:*`…).
    Identity,
    /// `reg:logistic`, `binary:logistic`: XGBoost's clamped sigmoid; base score through logit.
    Logistic,
    /// `binary:logitraw`: raw margin; base score as is.
    LogitRaw,
    /// `binary:hinge`: `1` if the margin is positive, else `0`.
    Hinge,
    /// `count:poisson`, `reg:gamma`, `reg:tweedie`, `survival:cox`: `exp`; base score through
    /// `log` (identity for cox).
    Exp {
        /// Whether the base score is stored in output space (`log` link).
        log_link: bool,
    },
    /// `multi:softprob`: softmax over the classes.
    Softprob,
    /// `multi:softmax`: index of the largest margin.
    Softmax,
}

impl Objective {
    /// The objective named `name` in the model, or `None` when signet does not know it.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "reg:squarederror"
            | "reg:squaredlogerror"
            | "reg:absoluteerror"
            | "reg:pseudohubererror"
            | "reg:quantileerror"
            | "reg:linear" => Objective::Identity,
            n if n.starts_with("rank:") => Objective::Identity,
            "reg:logistic" | "binary:logistic" => Objective::Logistic,
            "binary:logitraw" => Objective::LogitRaw,
            "binary:hinge" => Objective::Hinge,
            "count:poisson" | "reg:gamma" | "reg:tweedie" => Objective::Exp { log_link: true },
            "survival:cox" => Objective::Exp { log_link: false },
            "multi:softprob" => Objective::Softprob,
            "multi:softmax" => Objective::Softmax,
            _ => return None,
        })
    }

    /// `ObjFunction::ProbToMargin` on one base-score value.
    pub fn prob_to_margin(self, v: f32) -> f32 {
        match self {
            Objective::Logistic => {
                const RT_EPS: f32 = 1e-6;
                // common::Max / common::Min: `a > b ? a : b`, `a < b ? a : b` (NaN -> the bound).
                let v = if v > RT_EPS { v } else { RT_EPS };
                let v = if v < 1.0 - RT_EPS { v } else { 1.0 - RT_EPS };
                -(1.0f32 / v - 1.0f32).ln()
            }
            Objective::Exp { log_link: true } => v.ln(),
            _ => v,
        }
    }

    /// Transforms the margins of one row in place (`PredTransform`). For
    /// [`Objective::Softmax`] the first element receives the class index.
    pub fn transform(self, row: &mut [f32]) {
        match self {
            Objective::Identity | Objective::LogitRaw => {}
            Objective::Logistic => row.iter_mut().for_each(|x| *x = sigmoid(*x)),
            Objective::Hinge => row
                .iter_mut()
                .for_each(|x| *x = if f64::from(*x) > 0.0 { 1.0 } else { 0.0 }),
            Objective::Exp { .. } => row.iter_mut().for_each(|x| *x = x.exp()),
            Objective::Softprob => softmax(row),
            Objective::Softmax => {
                let mut best = 0usize;
                for (i, x) in row.iter().enumerate() {
                    if let Some(b) = row.get(best) {
                        if x > b {
                            best = i;
                        }
                    }
                }
                if let Some(first) = row.first_mut() {
                    *first = best as f32;
                }
            }
        }
    }
}

/// `common::Sigmoid(float)`: `1 / (exp(min(-x, 88.7)) + 1 + 1e-16)` in `float`.
#[inline]
pub fn sigmoid(x: f32) -> f32 {
    const EPS: f32 = 1e-16;
    let x = (-x).min(88.7f32);
    let denom = x.exp() + 1.0f32 + EPS;
    1.0f32 / denom
}

/// `common::Softmax`: `exp(x - max)` in `float`, summed in `double`, divided by the `float`
/// of the sum.
pub fn softmax(row: &mut [f32]) {
    let Some(&first) = row.first() else { return };
    let wmax = row.iter().skip(1).fold(first, |m, &x| x.max(m));
    let mut wsum = 0.0f64;
    for x in row.iter_mut() {
        *x = (*x - wmax).exp();
        wsum += f64::from(*x);
    }
    let s = wsum as f32;
    row.iter_mut().for_each(|x| *x /= s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_is_clamped() {
        assert_eq!(sigmoid(0.0), 0.5);
        assert_eq!(sigmoid(-100.0), 1.0 / ((88.7f32).exp() + 1.0));
        assert!(sigmoid(100.0) == 1.0);
    }

    #[test]
    fn softmax_index_and_probs() {
        let mut r = [1.0f32, 3.0, 3.0, 2.0];
        Objective::Softmax.transform(&mut r);
        assert_eq!(r[0], 1.0);
        let mut p = [0.0f32, 0.0];
        softmax(&mut p);
        assert_eq!(p, [0.5, 0.5]);
        assert_eq!(Objective::Logistic.prob_to_margin(0.5), 0.0);
        assert_eq!(Objective::from_name("nope"), None);
    }
}
