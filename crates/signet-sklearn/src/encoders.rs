//! Categorical encoders: `OneHotEncoder` (`handle_unknown` error/ignore/warn, `drop`) and
//! `OrdinalEncoder` (`handle_unknown` error/use_encoded_value, `encoded_missing_value`).
//! Infrequent-category grouping is refused at load time.

use crate::error::SklearnError;
use crate::estimator::{feature_names, prepare, Estimator};
use crate::frame::{Cell, Column, Frame};
use signet_skops::{ArrayData, Json, Node, NodeKind};

/// A category as fitted: a number, a string, or the missing category (None/NaN).
#[derive(Clone, Debug, PartialEq)]
enum Cat {
    Num(f64),
    Str(String),
    Missing,
}

fn read_categories(node: &Node) -> Result<Vec<Vec<Cat>>, SklearnError> {
    node.attr("categories_")?
        .list()?
        .iter()
        .map(|c| match &c.kind {
            NodeKind::ObjectArray { items, .. } => items
                .iter()
                .map(|i| match i.json() {
                    Some(Json::Str(s)) => Ok(Cat::Str(s.clone())),
                    Some(Json::Null) => Ok(Cat::Missing),
                    _ => i.f64().map(|f| {
                        if f.is_nan() {
                            Cat::Missing
                        } else {
                            Cat::Num(f)
                        }
                    }),
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(Into::into),
            NodeKind::NdArray { array, .. } => match &*array.data {
                ArrayData::Str(v) => Ok(v.iter().map(|s| Cat::Str(s.clone())).collect()),
                d => d
                    .to_f64()
                    .map(|v| {
                        v.into_iter()
                            .map(|f| {
                                if f.is_nan() {
                                    Cat::Missing
                                } else {
                                    Cat::Num(f)
                                }
                            })
                            .collect()
                    })
                    .ok_or_else(|| c.error("unsupported categories dtype").into()),
            },
            _ => Err(c
                .error(format!("a category array is {}", c.describe()))
                .into()),
        })
        .collect()
}

fn find(cats: &[Cat], cell: &Cell) -> Option<usize> {
    cats.iter().position(|c| match (c, cell) {
        (Cat::Num(a), Cell::Num(b)) => a == b,
        (Cat::Str(a), Cell::Str(b)) => a == b,
        (Cat::Missing, Cell::Missing) => true,
        _ => false,
    })
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

fn refuse_infrequent(node: &Node) -> Result<(), SklearnError> {
    if node
        .get("_infrequent_enabled")
        .map(Node::bool)
        .transpose()?
        == Some(true)
    {
        return Err(node
            .error(format!("{} with infrequent categories (min_frequency/max_categories) is not implemented by signet", node.class))
            .into());
    }
    Ok(())
}

fn str_attr(node: &Node, name: &str) -> Result<String, SklearnError> {
    Ok(node.attr(name)?.str()?.to_string())
}

/// `OneHotEncoder`; the output is dense (sklearn's sparse output holds the same numbers).
#[derive(Debug)]
pub struct OneHotEncoder {
    names: Option<Vec<String>>,
    categories: Vec<Vec<Cat>>,
    drop: Vec<Option<usize>>,
    error_on_unknown: bool,
}

impl OneHotEncoder {
    /// Reads a fitted encoder.
    pub fn load(node: &Node) -> Result<OneHotEncoder, SklearnError> {
        refuse_infrequent(node)?;
        let categories = read_categories(node)?;
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
        let handle = str_attr(node, "handle_unknown")?;
        Ok(OneHotEncoder {
            names: feature_names(node)?,
            error_on_unknown: handle == "error",
            categories,
            drop,
        })
    }
}

impl Estimator for OneHotEncoder {
    fn class(&self) -> &str {
        "OneHotEncoder"
    }
    fn is_transformer(&self) -> bool {
        true
    }
    // Each row sets the output column its category picks, so a range loop reads best.
    #[allow(clippy::needless_range_loop)]
    fn transform(&self, x: Frame) -> Result<Frame, SklearnError> {
        let x = prepare(x, &self.names, Some(self.categories.len()), "OneHotEncoder")?;
        let mut columns = Vec::new();
        for (j, (cats, drop)) in self.categories.iter().zip(&self.drop).enumerate() {
            let width = cats.len() - usize::from(drop.is_some());
            let mut out = vec![vec![0.0; x.rows]; width];
            let mut unknown = Vec::new();
            for i in 0..x.rows {
                let cell = x.columns[j].cell(i);
                match find(cats, &cell) {
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
        Ok(Frame {
            names: None,
            columns,
            rows: x.rows,
        })
    }
}

/// `OrdinalEncoder`.
#[derive(Debug)]
pub struct OrdinalEncoder {
    names: Option<Vec<String>>,
    categories: Vec<Vec<Cat>>,
    unknown_value: Option<f64>,
    encoded_missing: f64,
}

impl OrdinalEncoder {
    /// Reads a fitted encoder.
    pub fn load(node: &Node) -> Result<OrdinalEncoder, SklearnError> {
        refuse_infrequent(node)?;
        let handle = str_attr(node, "handle_unknown")?;
        let unknown_value = if handle == "use_encoded_value" {
            Some(node.attr("unknown_value")?.f64()?)
        } else {
            None
        };
        Ok(OrdinalEncoder {
            names: feature_names(node)?,
            categories: read_categories(node)?,
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
    fn class(&self) -> &str {
        "OrdinalEncoder"
    }
    fn is_transformer(&self) -> bool {
        true
    }
    fn transform(&self, x: Frame) -> Result<Frame, SklearnError> {
        let x = prepare(
            x,
            &self.names,
            Some(self.categories.len()),
            "OrdinalEncoder",
        )?;
        let mut columns = Vec::new();
        for (j, cats) in self.categories.iter().enumerate() {
            let mut out = Vec::with_capacity(x.rows);
            let mut unknown = Vec::new();
            for i in 0..x.rows {
                let cell = x.columns[j].cell(i);
                out.push(match find(cats, &cell) {
                    Some(_) if cell == Cell::Missing => self.encoded_missing,
                    Some(k) => k as f64,
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
        Ok(Frame {
            names: None,
            columns,
            rows: x.rows,
        })
    }
}
