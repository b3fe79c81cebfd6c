//! `TfIdfVectorizer` (opset 9), as onnxruntime's kernel runs it.
//!
//! The input is `[C]` or `[B, C]` strings, int32 or int64: each row is scanned for the pool's
//! n-grams of `min_gram_length..=max_gram_length` items, with skips of up to
//! `max_skip_count` items between an n-gram's items (1-grams once, longer n-grams once per
//! skip distance). Every hit adds one to the output column `ngram_indexes[id]` of its row
//! (`id` numbers the pool's n-grams in order, including sizes outside the range). The output
//! is `float [B, max(ngram_indexes) + 1]` (`[out]` for a 1-D input): the counts for `TF`;
//! `weights[i]` (or 1) where the count is positive for `IDF`; counts × `weights[i]` for
//! `TFIDF`. An empty input gives zeros.

use crate::ops::attrs::{float_list, int_attr, int_list, string_attr, string_list};
use crate::ops::native::{Parse, UnaryOp};
use std::collections::HashMap;
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// An n-gram item.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Item {
    Int(i64),
    Str(String),
}

/// The weighting of the counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Tf,
    Idf,
    TfIdf,
}

/// `TfIdfVectorizer`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TfIdfVectorizer {
    mode: Mode,
    min_gram: usize,
    max_gram: usize,
    max_skip: usize,
    /// The pool's n-grams (of the sizes in range) to their id.
    pool: HashMap<Vec<Item>, usize>,
    ngram_indexes: Vec<usize>,
    weights: Vec<f32>,
    output_size: usize,
    strings: bool,
}

// Weights compare by value; a NaN weight merely makes two ops unequal.
fn usize_attr(node: &NodeProto, name: &str) -> TractResult<usize> {
    let v = int_attr(node, name).ok_or_else(|| format_err!("{name} is required"))?;
    usize::try_from(v).map_err(|_| format_err!("{name} must not be negative, got {v}"))
}

impl TfIdfVectorizer {
    /// Reads the node's attributes.
    fn from_node(node: &NodeProto) -> TractResult<Self> {
        let mode = match string_attr(node, "mode").as_deref() {
            Some("TF") => Mode::Tf,
            Some("IDF") => Mode::Idf,
            Some("TFIDF") => Mode::TfIdf,
            other => bail!("mode {other:?} is not TF, IDF or TFIDF"),
        };
        let min_gram = usize_attr(node, "min_gram_length")?;
        let max_gram = usize_attr(node, "max_gram_length")?;
        let max_skip = usize_attr(node, "max_skip_count")?;
        ensure!(min_gram > 0, "min_gram_length must be positive");
        ensure!(
            max_gram >= min_gram,
            "max_gram_length {max_gram} is below min_gram_length {min_gram}"
        );
        let counts = int_list(node, "ngram_counts")?.unwrap_or_default();
        ensure!(!counts.is_empty(), "a non-empty ngram_counts is required");
        ensure!(
            max_gram <= counts.len(),
            "max_gram_length {max_gram} is beyond ngram_counts ({} sizes)",
            counts.len()
        );
        let ngram_indexes: Vec<usize> = int_list(node, "ngram_indexes")?
            .unwrap_or_default()
            .into_iter()
            .map(|i| usize::try_from(i).map_err(|_| format_err!("negative ngram_indexes {i}")))
            .collect::<TractResult<_>>()?;
        ensure!(
            !ngram_indexes.is_empty(),
            "a non-empty ngram_indexes is required"
        );
        let output_size = ngram_indexes.iter().max().map_or(0, |m| m + 1);
        let weights = float_list(node, "weights")?.unwrap_or_default();
        ensure!(
            weights.is_empty() || weights.len() == ngram_indexes.len(),
            "{} weights for {} ngram_indexes",
            weights.len(),
            ngram_indexes.len()
        );
        // onnxruntime weighs output column `i` by `weights[i]`.
        ensure!(
            weights.is_empty() || weights.len() >= output_size,
            "{} weights for {output_size} output columns",
            weights.len()
        );
        let (items, strings): (Vec<Item>, bool) =
            match string_list(node, "pool_strings")?.filter(|v| !v.is_empty()) {
                Some(s) => (s.into_iter().map(Item::Str).collect(), true),
                None => {
                    let ints = int_list(node, "pool_int64s")?.unwrap_or_default();
                    ensure!(!ints.is_empty(), "pool_strings or pool_int64s is required");
                    (ints.into_iter().map(Item::Int).collect(), false)
                }
            };
        let mut pool = HashMap::new();
        let mut id = 0usize;
        for (i, &start) in counts.iter().enumerate() {
            let size = i + 1;
            let end = counts.get(i + 1).map_or(items.len() as i64, |&e| e);
            let (start, end) = (usize::try_from(start).ok(), usize::try_from(end).ok());
            let (Some(start), Some(end)) = (start, end) else {
                bail!("ngram_counts out of bounds for {size}-grams");
            };
            ensure!(
                start <= end && end <= items.len(),
                "ngram_counts out of bounds for {size}-grams"
            );
            let n = end - start;
            ensure!(
                n % size == 0,
                "the pool's items do not make whole {size}-grams"
            );
            for gram in items[start..end].chunks(size) {
                if (min_gram..=max_gram).contains(&size) {
                    ensure!(
                        pool.insert(gram.to_vec(), id).is_none(),
                        "duplicate {size}-gram in the pool"
                    );
                }
                id += 1;
            }
        }
        ensure!(
            id <= ngram_indexes.len(),
            "the pool has {id} n-grams but ngram_indexes only {}",
            ngram_indexes.len()
        );
        Ok(TfIdfVectorizer {
            mode,
            min_gram,
            max_gram,
            max_skip,
            pool,
            ngram_indexes,
            weights,
            output_size,
            strings,
        })
    }

    /// Adds one row's n-gram hits to `freq` (one row of the output).
    fn count_row(&self, row: &[Item], freq: &mut [u32]) {
        let mut hit = |gram: &[Item]| {
            if let Some(&id) = self.pool.get(gram) {
                freq[self.ngram_indexes[id]] += 1;
            }
        };
        let mut start_size = self.min_gram;
        if start_size == 1 {
            for item in row {
                hit(std::slice::from_ref(item));
            }
            start_size += 1;
            if start_size > self.max_gram {
                return;
            }
        }
        let mut gram = Vec::with_capacity(self.max_gram);
        for skip in 1..=self.max_skip + 1 {
            for start in 0..row.len() {
                if start + skip * (start_size - 1) >= row.len() {
                    break;
                }
                gram.clear();
                let mut at = start;
                for size in 1..=self.max_gram {
                    if at >= row.len() {
                        break;
                    }
                    gram.push(row[at].clone());
                    if size >= start_size {
                        hit(&gram);
                    }
                    at += skip;
                }
            }
        }
    }
}

impl Parse for TfIdfVectorizer {
    fn parse(_ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        Self::from_node(node)
    }
}

impl UnaryOp for TfIdfVectorizer {
    const NAME: &'static str = "TfIdfVectorizer";

    fn output_fact(&self, input: &TypedFact) -> TractResult<TypedFact> {
        let width = self.output_size.to_dim();
        Ok(f32::fact(match input.rank() {
            0 | 1 => tvec![width],
            2 => tvec![input.shape[0].clone(), width],
            r => bail!("TfIdfVectorizer takes [C] or [B, C] inputs, got rank {r}"),
        }))
    }

    fn run(&self, input: &Tensor) -> TractResult<Tensor> {
        let shape = input.shape();
        let (rows, width, two_d) = match shape {
            [] => (1, 1, false),
            [c] => (1, *c, false),
            [b, c] if *b > 0 => (*b, *c, true),
            s => bail!("TfIdfVectorizer takes [C] or [B > 0, C] inputs, got shape {s:?}"),
        };
        let items: Vec<Item> = match input.datum_type() {
            DatumType::String if self.strings => input
                .try_as_plain_ram()?
                .as_slice::<String>()?
                .iter()
                .cloned()
                .map(Item::Str)
                .collect(),
            DatumType::I64 | DatumType::I32 if !self.strings => {
                let v = input.cast_to::<i64>()?;
                v.try_as_plain_ram()?
                    .as_slice::<i64>()?
                    .iter()
                    .map(|&i| Item::Int(i))
                    .collect()
            }
            dt => bail!(
                "TfIdfVectorizer with a pool of {} cannot take {dt:?} inputs",
                if self.strings { "strings" } else { "int64s" }
            ),
        };
        let out_n = self.output_size;
        let mut freq = vec![0u32; rows * out_n];
        if width > 0 {
            for (r, row) in items.chunks(width).enumerate() {
                self.count_row(row, &mut freq[r * out_n..(r + 1) * out_n]);
            }
        }
        let w = &self.weights;
        let out: Vec<f32> = freq
            .iter()
            .enumerate()
            .map(|(i, &f)| {
                let col = i % out_n;
                match self.mode {
                    Mode::Tf => f as f32,
                    Mode::Idf if w.is_empty() => f32::from(u8::from(f > 0)),
                    Mode::Idf => {
                        if f > 0 {
                            w[col]
                        } else {
                            0.0
                        }
                    }
                    Mode::TfIdf if w.is_empty() => f as f32,
                    Mode::TfIdf => f as f32 * w[col],
                }
            })
            .collect();
        if two_d {
            Tensor::from_shape(&[rows, out_n], &out)
        } else {
            Tensor::from_shape(&[out_n], &out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tract_onnx::pb::AttributeProto;

    fn node(attrs: Vec<AttributeProto>) -> NodeProto {
        NodeProto {
            attribute: attrs,
            ..Default::default()
        }
    }

    fn ints(name: &str, v: &[i64]) -> AttributeProto {
        AttributeProto {
            name: name.into(),
            ints: v.to_vec(),
            ..Default::default()
        }
    }

    fn int(name: &str, v: i64) -> AttributeProto {
        AttributeProto {
            name: name.into(),
            i: v,
            ..Default::default()
        }
    }

    #[test]
    fn counts_unigrams_and_skip_bigrams_into_their_columns() {
        // Pool: 1-grams [7], [8]; 2-grams [7, 8], [8, 7]; output columns 3, 0, 1, 2.
        let op = TfIdfVectorizer::from_node(&node(vec![
            AttributeProto {
                name: "mode".into(),
                s: b"TF".to_vec(),
                ..Default::default()
            },
            int("min_gram_length", 1),
            int("max_gram_length", 2),
            int("max_skip_count", 1),
            ints("ngram_counts", &[0, 2]),
            ints("ngram_indexes", &[3, 0, 1, 2]),
            ints("pool_int64s", &[7, 8, 7, 8, 8, 7]),
        ]))
        .unwrap();
        let input = Tensor::from_shape(&[1, 4], &[7i64, 9, 8, 7]).unwrap();
        let out = op.run(&input).unwrap();
        // 7 twice, 8 once; [7, 8] at skip 1 (7 _ 8); [8, 7] adjacent.
        assert_eq!(out.shape(), &[1, 4]);
        let v = out.try_as_plain_ram().unwrap();
        assert_eq!(v.as_slice::<f32>().unwrap(), &[1.0, 1.0, 1.0, 2.0]);
    }
}
