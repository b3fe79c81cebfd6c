//! Categorical encoders: `OneHotEncoder` (`handle_unknown` error/ignore/warn, `drop`) and
//! `OrdinalEncoder` (`handle_unknown` error/use_encoded_value, `encoded_missing_value`), both
//! with infrequent-category grouping (`min_frequency`/`max_categories`,
//! `handle_unknown="infrequent_if_exist"`).

use crate::error::SklearnError;
use crate::estimator::{Estimator, Fitted, Methods};
use crate::frame::{Cell, Column, Frame};
use signet_skops::{ArrayData, Node, NodeKind};

fn read_categories(node: &Node) -> Result<Vec<Vec<Cell>>, SklearnError> {
    node.attr("categories_")?
        .list()?
        .iter()
        .map(|c| match &c.kind {
            NodeKind::ObjectArray { items, .. } => items.iter().map(Cell::from_node).collect(),
            NodeKind::NdArray { array, .. } => match &*array.data {
                ArrayData::Str(v) => Ok(v.iter().map(|s| Cell::Str(s.clone())).collect()),
                d => d
                    .to_f64()
                    .map(|v| v.into_iter().map(Cell::num).collect())
                    .ok_or_else(|| c.error("unsupported categories dtype").into()),
            },
            _ => Err(c
                .error(format!("a category array is {}", c.describe()))
                .into()),
        })
        .collect()
}

/// The position of `cell` among the fitted categories (NaN matches the missing category).
fn find(cats: &[Cell], cell: &Cell) -> Option<usize> {
    cats.iter().position(|c| c == cell)
}

/// numpy's `str` of a 1-D array of the unknown values (`['a' 'b']`).
fn numpy_list(cells: &[Cell]) -> String {
    let items: Vec<String> = cells
        .iter()
        .map(|c| match c {
            Cell::Str(s) => format!("'{s}'"),
            Cell::Num(f) => signet::pyjson::dumps(&signet::Value::Float(*f)),
            Cell::Missing => "nan".into(),
        })
        .collect();
    format!("[{}]", items.join(" "))
}

fn unknown_error(unknown: &mut Vec<Cell>, column: usize) -> SklearnError {
    unknown.sort_by(|a, b| match (a, b) {
        (Cell::Str(x), Cell::Str(y)) => x.cmp(y),
        (Cell::Num(x), Cell::Num(y)) => x.total_cmp(y),
        _ => std::cmp::Ordering::Equal,
    });
    unknown.dedup();
    SklearnError::new(format!(
        "Found unknown categories {} in column {column} during transform",
        numpy_list(unknown)
    ))
}

/// The infrequent-category grouping of one feature (`min_frequency`/`max_categories`).
#[derive(Clone, Debug)]
struct Infrequent {
    /// The first infrequent category (where unknown values go when they may).
    first: usize,
    /// Category index to output index (`_default_to_infrequent_mappings`).
    mapping: Vec<usize>,
}

/// `_infrequent_indices` and `_default_to_infrequent_mappings`, per feature.
fn read_infrequent(
    node: &Node,
    categories: &[Vec<Cell>],
) -> Result<Vec<Option<Infrequent>>, SklearnError> {
    let enabled = node
        .get("_infrequent_enabled")
        .map(Node::bool)
        .transpose()?
        == Some(true);
    if !enabled {
        return Ok(vec![None; categories.len()]);
    }
    let indices = node.attr("_infrequent_indices")?.list()?;
    let mappings = node.attr("_default_to_infrequent_mappings")?.list()?;
    if indices.len() != categories.len() || mappings.len() != categories.len() {
        return Err(node
            .error("the infrequent categories do not match categories_")
            .into());
    }
    let mut out = Vec::with_capacity(categories.len());
    for ((idx, map), cats) in indices.iter().zip(mappings).zip(categories) {
        if idx.is_none() || map.is_none() {
            out.push(None);
            continue;
        }
        let idx = idx.i64_array()?;
        let mapping = map.i64_array()?;
        let first = idx.first().copied().unwrap_or(-1);
        let width = cats.len() - idx.len() + 1;
        if first < 0
            || first as usize >= cats.len()
            || mapping.len() != cats.len()
            || mapping.iter().any(|&m| m < 0 || m as usize >= width)
        {
            return Err(map.error("inconsistent infrequent category mapping").into());
        }
        out.push(Some(Infrequent {
            first: first as usize,
            mapping: mapping.into_iter().map(|m| m as usize).collect(),
        }));
    }
    Ok(out)
}

fn str_attr(node: &Node, name: &str) -> Result<String, SklearnError> {
    Ok(node.attr(name)?.str()?.to_string())
}

/// `OneHotEncoder`; the output is dense (sklearn's sparse output holds the same numbers).
#[derive(Debug)]
pub struct OneHotEncoder {
    fitted: Fitted,
    categories: Vec<Vec<Cell>>,
    drop: Vec<Option<usize>>,
    error_on_unknown: bool,
    infrequent: Vec<Option<Infrequent>>,
    /// `handle_unknown` is `infrequent_if_exist` or `warn`: unknowns join the infrequent group.
    unknown_to_infrequent: bool,
}

impl OneHotEncoder {
    /// Reads a fitted encoder.
    pub fn load(node: &Node) -> Result<OneHotEncoder, SklearnError> {
        let categories = read_categories(node)?;
        let infrequent = read_infrequent(node, &categories)?;
        let drop = match node.opt("drop_idx_") {
            None => vec![None; categories.len()],
            Some(d) => match &d.kind {
                NodeKind::ObjectArray { items, .. } => items
                    .iter()
                    .map(|i| {
                        if i.is_none() {
                            Ok(None)
                        } else {
                            i.i64().map(|v| Some(v as usize))
                        }
                    })
                    .collect::<Result<_, _>>()?,
                _ => d
                    .i64_array()?
                    .into_iter()
                    .map(|v| Some(v as usize))
                    .collect(),
            },
        };
        if drop.len() != categories.len() {
            return Err(node
                .error("drop_idx_ and categories_ differ in length")
                .into());
        }
        if infrequent.iter().any(Option::is_some) && drop.iter().any(Option::is_some) {
            return Err(node
                .error("OneHotEncoder with both drop and infrequent categories is not implemented by signet")
                .into());
        }
        let handle = str_attr(node, "handle_unknown")?;
        Ok(OneHotEncoder {
            fitted: Fitted::new(node, Some(categories.len()), Methods::Transform)?,
            error_on_unknown: handle == "error",
            unknown_to_infrequent: matches!(handle.as_str(), "infrequent_if_exist" | "warn"),
            categories,
            drop,
            infrequent,
        })
    }
}

impl Estimator for OneHotEncoder {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    // Each row sets the output column its category picks, so a range loop reads best.
    #[allow(clippy::needless_range_loop)]
    fn transform_aligned(&self, x: Frame) -> Result<Frame, SklearnError> {
        let mut columns = Vec::new();
        for (j, (cats, drop)) in self.categories.iter().zip(&self.drop).enumerate() {
            let inf = self.infrequent[j].as_ref();
            let width = match inf {
                Some(f) => f.mapping.iter().max().map_or(0, |m| m + 1),
                None => cats.len() - usize::from(drop.is_some()),
            };
            let mut out = vec![vec![0.0; x.rows]; width];
            let mut unknown = Vec::new();
            for i in 0..x.rows {
                let cell = x.columns[j].cell(i);
                let found = match (find(cats, &cell), inf) {
                    (None, Some(f)) if self.unknown_to_infrequent => Some(f.first),
                    (k, _) => k,
                };
                let found = match (found, inf) {
                    (Some(k), Some(f)) => {
                        out[f.mapping[k]][i] = 1.0;
                        continue;
                    }
                    (k, _) => k,
                };
                match found {
                    Some(k) if Some(k) == *drop => {}
                    Some(k) => {
                        let pos = match drop {
                            Some(d) if k > *d => k - 1,
                            _ => k,
                        };
                        out[pos][i] = 1.0;
                    }
                    None => unknown.push(cell),
                }
            }
            if self.error_on_unknown && !unknown.is_empty() {
                return Err(unknown_error(&mut unknown, j));
            }
            columns.extend(out.into_iter().map(Column::Num));
        }
        Ok(Frame::unnamed(columns, x.rows))
    }
}

/// `OrdinalEncoder`.
#[derive(Debug)]
pub struct OrdinalEncoder {
    fitted: Fitted,
    categories: Vec<Vec<Cell>>,
    infrequent: Vec<Option<Infrequent>>,
    unknown_value: Option<f64>,
    encoded_missing: f64,
}

impl OrdinalEncoder {
    /// Reads a fitted encoder.
    pub fn load(node: &Node) -> Result<OrdinalEncoder, SklearnError> {
        let categories = read_categories(node)?;
        let infrequent = read_infrequent(node, &categories)?;
        let handle = str_attr(node, "handle_unknown")?;
        let unknown_value = if handle == "use_encoded_value" {
            Some(node.attr("unknown_value")?.f64()?)
        } else {
            None
        };
        Ok(OrdinalEncoder {
            fitted: Fitted::new(node, Some(categories.len()), Methods::Transform)?,
            categories,
            infrequent,
            unknown_value,
            encoded_missing: node
                .opt("encoded_missing_value")
                .map(Node::f64)
                .transpose()?
                .unwrap_or(f64::NAN),
        })
    }
}

impl Estimator for OrdinalEncoder {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn transform_aligned(&self, x: Frame) -> Result<Frame, SklearnError> {
        let mut columns = Vec::new();
        for (j, cats) in self.categories.iter().enumerate() {
            let mut out = Vec::with_capacity(x.rows);
            let mut unknown = Vec::new();
            for i in 0..x.rows {
                let cell = x.columns[j].cell(i);
                out.push(match find(cats, &cell) {
                    Some(_) if cell == Cell::Missing => self.encoded_missing,
                    Some(k) => match &self.infrequent[j] {
                        Some(f) => f.mapping[k] as f64,
                        None => k as f64,
                    },
                    None => {
                        unknown.push(cell);
                        self.unknown_value.unwrap_or(f64::NAN)
                    }
                });
            }
            if self.unknown_value.is_none() && !unknown.is_empty() {
                return Err(unknown_error(&mut unknown, j));
            }
            columns.push(Column::Num(out));
        }
        Ok(Frame::unnamed(columns, x.rows))
    }
}
