//! Feature expansion: `PolynomialFeatures` (products of the input columns in sklearn's order)
//! and `KBinsDiscretizer` (bin index by `searchsorted` on the inner edges, then ordinal or the
//! fitted one-hot `_encoder`).

use crate::encoders::OneHotEncoder;
use crate::error::SklearnError;
use crate::estimator::{n_features, Estimator, Fitted, Methods};
use crate::frame::{Column, Frame, Matrix};
use signet_skops::Node;

/// `PolynomialFeatures`.
#[derive(Debug)]
pub struct PolynomialFeatures {
    fitted: Fitted,
    /// The input columns multiplied for each output column (empty: the bias column of ones).
    terms: Vec<Vec<usize>>,
}

/// Combinations (with replacement unless `distinct`) of `k` indices out of `n`, in
/// `itertools` order.
fn combinations(n: usize, k: usize, distinct: bool, out: &mut Vec<Vec<usize>>) {
    fn go(
        n: usize,
        k: usize,
        distinct: bool,
        start: usize,
        cur: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for i in start..n {
            cur.push(i);
            go(n, k, distinct, if distinct { i + 1 } else { i }, cur, out);
            cur.pop();
        }
    }
    go(n, k, distinct, 0, &mut Vec::new(), out);
}

impl PolynomialFeatures {
    /// Reads a fitted transformer.
    pub fn load(node: &Node) -> Result<PolynomialFeatures, SklearnError> {
        let n = n_features(node)?.ok_or_else(|| node.error("n_features_in_ is missing"))?;
        let min = node.attr("_min_degree")?.i64()?.max(0) as usize;
        let max = node.attr("_max_degree")?.i64()?.max(0) as usize;
        let distinct = node.attr("interaction_only")?.bool()?;
        let bias = node.attr("include_bias")?.bool()?;
        let mut terms = Vec::new();
        if bias {
            terms.push(Vec::new());
        }
        for d in min.max(1)..=max {
            combinations(n, d, distinct, &mut terms);
            if terms.len() > 1 << 20 {
                return Err(node.error("too many polynomial features").into());
            }
        }
        let expected = node.attr("n_output_features_")?.i64()?;
        if terms.len() as i64 != expected {
            return Err(node
                .error(format!(
                    "{} terms computed, n_output_features_ is {expected}",
                    terms.len()
                ))
                .into());
        }
        Ok(PolynomialFeatures {
            fitted: Fitted::new(node, Some(n), Methods::Transform)?,
            terms,
        })
    }
}

impl Estimator for PolynomialFeatures {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn transform_aligned(&self, x: Frame) -> Result<Frame, SklearnError> {
        let x = x.to_matrix()?;
        let cols = self.terms.len();
        let mut data = Vec::with_capacity(x.rows * cols);
        for i in 0..x.rows {
            let row = x.row(i);
            for t in &self.terms {
                data.push(t.iter().map(|&j| row[j]).product::<f64>());
            }
        }
        Ok(Matrix {
            rows: x.rows,
            cols,
            data,
        }
        .into_frame())
    }
}

/// `KBinsDiscretizer`.
#[derive(Debug)]
pub struct KBinsDiscretizer {
    fitted: Fitted,
    /// The inner edges of each feature (`bin_edges_[j][1:-1]`).
    edges: Vec<Vec<f64>>,
    encoder: Option<OneHotEncoder>,
}

impl KBinsDiscretizer {
    /// Reads a fitted transformer.
    pub fn load(node: &Node) -> Result<KBinsDiscretizer, SklearnError> {
        let edges = node
            .attr("bin_edges_")?
            .list()?
            .iter()
            .map(|e| {
                let v = e.f64_array()?.0;
                Ok(if v.len() >= 2 {
                    v[1..v.len() - 1].to_vec()
                } else {
                    Vec::new()
                })
            })
            .collect::<Result<Vec<_>, SklearnError>>()?;
        let encode = node.attr("encode")?.str()?;
        let encoder = if encode == "ordinal" {
            None
        } else {
            Some(OneHotEncoder::load(node.attr("_encoder")?)?)
        };
        Ok(KBinsDiscretizer {
            fitted: Fitted::new(node, Some(edges.len()), Methods::Transform)?,
            edges,
            encoder,
        })
    }
}

impl Estimator for KBinsDiscretizer {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn transform_aligned(&self, x: Frame) -> Result<Frame, SklearnError> {
        let x = x.to_finite_matrix("KBinsDiscretizer")?;
        let columns = self
            .edges
            .iter()
            .enumerate()
            .map(|(j, e)| {
                // numpy's searchsorted(side="right"): the number of edges <= x.
                Column::Num(
                    (0..x.rows)
                        .map(|i| e.partition_point(|&b| b <= x.row(i)[j]) as f64)
                        .collect(),
                )
            })
            .collect();
        let binned = Frame::unnamed(columns, x.rows);
        match &self.encoder {
            Some(enc) => enc.transform(binned),
            None => Ok(binned),
        }
    }
}
