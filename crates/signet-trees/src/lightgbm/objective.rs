//! LightGBM objectives: the `objective=` line of the model and `ConvertOutput`, in `double`
//! as LightGBM computes it (`src/objective/*.hpp`).

/// What an objective does to raw scores.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Objective {
    /// Raw scores (`regression`, `regression_l1`, `huber`, `fair`, `quantile`, `mape`,
    /// `lambdarank`, `rank_xendcg`, custom objectives).
    Identity,
    /// `regression sqrt`: `sign(x) * x * x`.
    SquareBack,
    /// `binary sigmoid:k`: `1 / (1 + exp(-k x))`.
    Binary {
        /// The sigmoid parameter.
        sigmoid: f64,
    },
    /// `multiclass`: softmax.
    Multiclass,
    /// `multiclassova sigmoid:k`: a sigmoid per class.
    MulticlassOva {
        /// The sigmoid parameter.
        sigmoid: f64,
    },
    /// `cross_entropy`: `1 / (1 + exp(-x))`.
    CrossEntropy,
    /// `cross_entropy_lambda`: `log1p(exp(x))`.
    CrossEntropyLambda,
    /// `poisson`, `gamma`, `tweedie`: `exp(x)`.
    Exp,
}

impl Objective {
    /// Parses the `objective=` value (`binary sigmoid:1`); `None` for an unknown name.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = text.split_whitespace();
        let name = parts.next().unwrap_or("");
        let params: Vec<&str> = parts.collect();
        let sigmoid = || -> Result<f64, String> {
            params
                .iter()
                .find_map(|p| p.strip_prefix("sigmoid:"))
                .ok_or_else(|| format!("objective {text:?} has no sigmoid parameter"))?
                .parse()
                .map_err(|_| format!("objective {text:?} has an invalid sigmoid parameter"))
        };
        Ok(match name {
            "regression" | "regression_l2" | "l2" | "mean_squared_error" | "mse" => {
                if params.contains(&"sqrt") {
                    Objective::SquareBack
                } else {
                    Objective::Identity
                }
            }
            "regression_l1" | "l1" | "huber" | "fair" | "quantile" | "mape" | "lambdarank"
            | "rank_xendcg" | "custom" | "none" | "" => Objective::Identity,
            "binary" => Objective::Binary {
                sigmoid: sigmoid()?,
            },
            "multiclass" | "softmax" => Objective::Multiclass,
            "multiclassova" | "multiclass_ova" | "ova" | "ovr" => Objective::MulticlassOva {
                sigmoid: sigmoid()?,
            },
            "cross_entropy" | "xentropy" => Objective::CrossEntropy,
            "cross_entropy_lambda" | "xentlambda" => Objective::CrossEntropyLambda,
            "poisson" | "gamma" | "tweedie" => Objective::Exp,
            other => return Err(format!("objective {other:?} is not supported by signet")),
        })
    }

    /// `ConvertOutput` on one row's raw scores, in place.
    pub fn convert(self, row: &mut [f64]) {
        match self {
            Objective::Identity => {}
            Objective::SquareBack => row.iter_mut().for_each(|x| {
                let sign = if *x >= 0.0 { 1.0 } else { -1.0 };
                *x = sign * *x * *x;
            }),
            Objective::Binary { sigmoid } | Objective::MulticlassOva { sigmoid } => row
                .iter_mut()
                .for_each(|x| *x = 1.0 / (1.0 + (-sigmoid * *x).exp())),
            Objective::CrossEntropy => row.iter_mut().for_each(|x| *x = 1.0 / (1.0 + (-*x).exp())),
            Objective::CrossEntropyLambda => row.iter_mut().for_each(|x| *x = x.exp().ln_1p()),
            Objective::Exp => row.iter_mut().for_each(|x| *x = x.exp()),
            Objective::Multiclass => {
                let Some(&first) = row.first() else { return };
                let wmax = row
                    .iter()
                    .skip(1)
                    .fold(first, |m, &x| if x > m { x } else { m });
                let mut wsum = 0.0f64;
                for x in row.iter_mut() {
                    *x = (*x - wmax).exp();
                    wsum += *x;
                }
                row.iter_mut().for_each(|x| *x /= wsum);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_converts() {
        let b = Objective::parse("binary sigmoid:1").unwrap();
        let mut r = [0.0];
        b.convert(&mut r);
        assert_eq!(r, [0.5]);
        assert_eq!(
            Objective::parse("regression sqrt").unwrap(),
            Objective::SquareBack
        );
        assert_eq!(
            Objective::parse("binary").unwrap_err(),
            "objective \"binary\" has no sigmoid parameter"
        );
        let mut m = [1.0, 1.0];
        Objective::Multiclass.convert(&mut m);
        assert_eq!(m, [0.5, 0.5]);
    }
}
