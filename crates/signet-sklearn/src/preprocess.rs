//! Scalers and imputers: `StandardScaler`, `RobustScaler`, `MinMaxScaler`, `MaxAbsScaler`,
//! `Normalizer`, `SimpleImputer` (transform as sklearn 1.9 does; NaN passes through the
//! scalers).

use crate::error::SklearnError;
use crate::estimator::{n_features, Estimator, Fitted, Methods};
use crate::frame::{Cell, Column, Frame};
use signet_skops::{Json, Node, NodeKind};

/// An optional per-feature vector (`None` when the attribute is `None`).
fn opt_vec(node: &Node, name: &str, n: usize) -> Result<Option<Vec<f64>>, SklearnError> {
    node.opt(name)
        .map(|a| a.f64_shaped(&[n]))
        .transpose()
        .map_err(Into::into)
}

/// `n_features_in_`, which a fitted scaler or imputer has.
fn width(node: &Node) -> Result<usize, SklearnError> {
    n_features(node)?.ok_or_else(|| node.error("n_features_in_ is missing").into())
}

/// A fitted transformer taking `n` features.
fn transformer(node: &Node, n: usize) -> Result<Fitted, SklearnError> {
    Fitted::new(node, Some(n), Methods::Transform)
}

/// `StandardScaler` (`(x - mean_) / scale_`) and `RobustScaler` (`(x - center_) / scale_`):
/// `(x - center) / scale`, each optional.
#[derive(Debug)]
pub struct CenterScale {
    fitted: Fitted,
    center: Option<Vec<f64>>,
    scale: Option<Vec<f64>>,
}

impl CenterScale {
    /// Reads a fitted `StandardScaler`.
    pub fn load_standard(node: &Node) -> Result<CenterScale, SklearnError> {
        let n = width(node)?;
        // sklearn subtracts mean_ only when with_mean; scale_ is None without with_std.
        let flag = |name: &str| -> Result<bool, SklearnError> {
            Ok(node.get(name).map(Node::bool).transpose()?.unwrap_or(true))
        };
        let center = if flag("with_mean")? {
            opt_vec(node, "mean_", n)?
        } else {
            None
        };
        let scale = if flag("with_std")? {
            opt_vec(node, "scale_", n)?
        } else {
            None
        };
        Ok(CenterScale {
            fitted: transformer(node, n)?,
            center,
            scale,
        })
    }

    /// Reads a fitted `RobustScaler`.
    pub fn load_robust(node: &Node) -> Result<CenterScale, SklearnError> {
        let n = width(node)?;
        Ok(CenterScale {
            fitted: transformer(node, n)?,
            center: opt_vec(node, "center_", n)?,
            scale: opt_vec(node, "scale_", n)?,
        })
    }
}

fn map_columns(x: &Frame, f: impl Fn(usize, f64) -> f64) -> Result<Frame, SklearnError> {
    let columns = x
        .columns
        .iter()
        .enumerate()
        .map(|(j, c)| {
            Ok(Column::Num(
                c.to_f64()?.into_iter().map(|v| f(j, v)).collect(),
            ))
        })
        .collect::<Result<_, SklearnError>>()?;
    Ok(Frame::unnamed(columns, x.rows))
}

impl Estimator for CenterScale {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn transform_aligned(&self, x: Frame) -> Result<Frame, SklearnError> {
        map_columns(&x, |j, v| {
            let v = self.center.as_ref().map_or(v, |c| v - c[j]);
            self.scale.as_ref().map_or(v, |s| v / s[j])
        })
    }
}

/// `MinMaxScaler`: `x * scale_ + min_`, clipped to `feature_range` when `clip`.
#[derive(Debug)]
pub struct MinMaxScaler {
    fitted: Fitted,
    scale: Vec<f64>,
    min: Vec<f64>,
    clip: Option<(f64, f64)>,
}

impl MinMaxScaler {
    /// Reads a fitted scaler.
    pub fn load(node: &Node) -> Result<MinMaxScaler, SklearnError> {
        let n = width(node)?;
        let clip = match node.get("clip") {
            Some(c) if c.bool()? => {
                let r = node.attr("feature_range")?.f64_array()?.0;
                match r.as_slice() {
                    [lo, hi] => Some((*lo, *hi)),
                    _ => return Err(node.error("feature_range is not a pair").into()),
                }
            }
            _ => None,
        };
        Ok(MinMaxScaler {
            fitted: transformer(node, n)?,
            scale: node.attr("scale_")?.f64_shaped(&[n])?,
            min: node.attr("min_")?.f64_shaped(&[n])?,
            clip,
        })
    }
}

impl Estimator for MinMaxScaler {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn transform_aligned(&self, x: Frame) -> Result<Frame, SklearnError> {
        map_columns(&x, |j, v| {
            let v = v * self.scale[j] + self.min[j];
            match self.clip {
                Some((lo, hi)) if !v.is_nan() => v.clamp(lo, hi),
                _ => v,
            }
        })
    }
}

/// What `SimpleImputer.missing_values` is.
#[derive(Clone, Debug, PartialEq)]
enum Missing {
    /// `np.nan` or `None`: NaN, None and pd.NA cells.
    Nan,
    /// A number.
    Num(f64),
    /// A string.
    Str(String),
}

/// `SimpleImputer` (numeric or object statistics; `add_indicator` is refused).
#[derive(Debug)]
pub struct SimpleImputer {
    fitted: Fitted,
    n: usize,
    missing: Missing,
    /// The statistic of each feature (`Missing` when none was observed).
    statistics: Vec<Cell>,
    numeric: bool,
    keep_empty: bool,
}

impl SimpleImputer {
    /// Reads a fitted imputer.
    pub fn load(node: &Node) -> Result<SimpleImputer, SklearnError> {
        let n = width(node)?;
        if node.get("add_indicator").map(Node::bool).transpose()? == Some(true) {
            return Err(node
                .error("SimpleImputer(add_indicator=True) is not implemented by signet")
                .into());
        }
        let mv = node.attr("missing_values")?;
        let missing = match mv.json() {
            Some(Json::Null) => Missing::Nan,
            Some(Json::Float(f)) if f.is_nan() => Missing::Nan,
            Some(Json::Float(f)) => Missing::Num(*f),
            Some(Json::Int(i)) => Missing::Num(*i as f64),
            Some(Json::Str(s)) => Missing::Str(s.clone()),
            _ => match mv.f64() {
                Ok(f) if f.is_nan() => Missing::Nan,
                Ok(f) => Missing::Num(f),
                Err(_) => {
                    return Err(mv
                        .error(format!("unsupported missing_values {}", mv.describe()))
                        .into())
                }
            },
        };
        let stats = node.attr("statistics_")?;
        let (statistics, numeric) = match &stats.kind {
            NodeKind::ObjectArray { items, .. } => (
                items
                    .iter()
                    .map(Cell::from_node)
                    .collect::<Result<Vec<_>, _>>()?,
                false,
            ),
            _ => (
                stats.f64_shaped(&[n])?.into_iter().map(Cell::num).collect(),
                true,
            ),
        };
        if statistics.len() != n {
            return Err(stats
                .error(format!("{} statistics for {n} features", statistics.len()))
                .into());
        }
        Ok(SimpleImputer {
            fitted: transformer(node, n)?,
            n,
            missing,
            statistics,
            numeric,
            keep_empty: node
                .get("keep_empty_features")
                .map(Node::bool)
                .transpose()?
                .unwrap_or(false),
        })
    }

    fn is_missing(&self, c: &Cell) -> bool {
        match (&self.missing, c) {
            (Missing::Nan, Cell::Missing) => true,
            (Missing::Num(m), Cell::Num(v)) => v == m,
            (Missing::Str(m), Cell::Str(v)) => v == m,
            _ => false,
        }
    }
}

impl Estimator for SimpleImputer {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn transform_aligned(&self, x: Frame) -> Result<Frame, SklearnError> {
        let mut columns = Vec::with_capacity(self.n);
        for (j, col) in x.columns.iter().enumerate() {
            let stat = &self.statistics[j];
            let empty = matches!(stat, Cell::Missing);
            if empty && !self.keep_empty {
                continue; // sklearn drops features without any observed value
            }
            let fill = if empty && self.numeric {
                Cell::Num(0.0)
            } else {
                stat.clone()
            };
            if self.numeric {
                let fill = fill.to_f64()?;
                let v = col.to_f64()?;
                columns.push(Column::Num(
                    v.into_iter()
                        .map(|val| {
                            if self.is_missing(&Cell::num(val)) {
                                fill
                            } else {
                                val
                            }
                        })
                        .collect(),
                ));
            } else {
                columns.push(Column::Obj(
                    (0..x.rows)
                        .map(|i| {
                            let c = col.cell(i);
                            if self.is_missing(&c) {
                                fill.clone()
                            } else {
                                c
                            }
                        })
                        .collect(),
                ));
            }
        }
        Ok(Frame::unnamed(columns, x.rows))
    }
}

/// `MaxAbsScaler`: `x / scale_`.
#[derive(Debug)]
pub struct MaxAbsScaler {
    fitted: Fitted,
    scale: Vec<f64>,
}

impl MaxAbsScaler {
    /// Reads a fitted scaler.
    pub fn load(node: &Node) -> Result<MaxAbsScaler, SklearnError> {
        let n = width(node)?;
        Ok(MaxAbsScaler {
            fitted: transformer(node, n)?,
            scale: node.attr("scale_")?.f64_shaped(&[n])?,
        })
    }
}

impl Estimator for MaxAbsScaler {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn transform_aligned(&self, x: Frame) -> Result<Frame, SklearnError> {
        map_columns(&x, |j, v| v / self.scale[j])
    }
}

/// `Normalizer`: each row divided by its `l1`, `l2` or `max` norm (zero norms left alone).
#[derive(Debug)]
pub struct Normalizer {
    fitted: Fitted,
    norm: String,
}

impl Normalizer {
    /// Reads a fitted normalizer.
    pub fn load(node: &Node) -> Result<Normalizer, SklearnError> {
        let norm = node.attr("norm")?.str()?.to_string();
        if !matches!(norm.as_str(), "l1" | "l2" | "max") {
            return Err(node.error(format!("unknown norm '{norm}'")).into());
        }
        Ok(Normalizer {
            fitted: transformer(node, width(node)?)?,
            norm,
        })
    }
}

impl Estimator for Normalizer {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn transform_aligned(&self, x: Frame) -> Result<Frame, SklearnError> {
        let mut m = x.to_finite_matrix("Normalizer")?;
        for i in 0..m.rows {
            let row = &mut m.data[i * m.cols..(i + 1) * m.cols];
            let norm = match self.norm.as_str() {
                "l1" => row.iter().map(|v| v.abs()).sum::<f64>(),
                "max" => row.iter().fold(0.0f64, |a, v| a.max(v.abs())),
                _ => row.iter().map(|v| v * v).sum::<f64>().sqrt(),
            };
            if norm != 0.0 {
                row.iter_mut().for_each(|v| *v /= norm);
            }
        }
        Ok(m.into_frame())
    }
}
