//! `StringNormalizer` (opset 10), as onnxruntime's kernel runs it.
//!
//! * The input is `[C]` or `[1, C]` strings (onnxruntime refuses other shapes).
//! * Stop words are dropped: compared as they are when `is_case_sensitive`, else after
//!   changing both sides to the compare case (upper when `case_change_action` is `UPPER`,
//!   else lower).
//! * The kept strings get `case_change_action` (`LOWER`, `UPPER` or `NONE`), character by
//!   character (glibc's `towlower`/`towupper` map one character to one: a character whose
//!   Unicode mapping is longer keeps the mapping's first character for lower case and stays
//!   as it is for upper case). The `locale` attribute is not read: the mapping is Unicode's,
//!   which is what glibc's UTF-8 locales (`en_US.UTF-8`, `C.UTF-8`) give character by character.
//! * The output is `[C']` (`[1, C']`) with `C'` the kept strings, or one empty string when none
//!   is kept.

use super::{string_rows, string_tensor, strings};
use crate::ops::attrs::{int_attr, string_attr, string_list};
use crate::ops::native::{Parse, UnaryOp};
use std::collections::HashSet;
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// A case change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    None,
    Lower,
    Upper,
}

/// `StringNormalizer`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StringNormalizer {
    case_change: Case,
    /// The case stop words are compared in (`None` when case sensitive).
    compare: Case,
    /// Stop words, already in the compare case.
    stopwords: Vec<String>,
    /// The output length when stop words make it data-dependent.
    kept: Option<Symbol>,
}

fn change_case(s: &str, case: Case) -> String {
    match case {
        Case::None => s.to_string(),
        Case::Lower => s
            .chars()
            .map(|c| c.to_lowercase().next().unwrap_or(c))
            .collect(),
        Case::Upper => s
            .chars()
            .map(|c| {
                let mut up = c.to_uppercase();
                match (up.next(), up.next()) {
                    (Some(u), None) => u,
                    _ => c,
                }
            })
            .collect(),
    }
}

impl Parse for StringNormalizer {
    fn parse(ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let case_change = match string_attr(node, "case_change_action").as_deref() {
            None | Some("NONE") => Case::None,
            Some("LOWER") => Case::Lower,
            Some("UPPER") => Case::Upper,
            Some(other) => bail!("case_change_action {other:?} is not LOWER, UPPER or NONE"),
        };
        let sensitive = int_attr(node, "is_case_sensitive").unwrap_or(0) != 0;
        let compare = match (sensitive, case_change) {
            (true, _) => Case::None,
            (false, Case::Upper) => Case::Upper,
            (false, _) => Case::Lower,
        };
        let mut stopwords = Vec::new();
        let mut seen = HashSet::new();
        for w in string_list(node, "stopwords")?.unwrap_or_default() {
            ensure!(!w.is_empty(), "empty stop words are not allowed");
            let w = change_case(&w, compare);
            ensure!(seen.insert(w.clone()), "duplicate stop word {w:?}");
            stopwords.push(w);
        }
        let kept = (!stopwords.is_empty()).then(|| ctx.template.symbols.new_with_prefix("words"));
        Ok(StringNormalizer {
            case_change,
            compare,
            stopwords,
            kept,
        })
    }
}

impl StringNormalizer {}

impl UnaryOp for StringNormalizer {
    const NAME: &'static str = "StringNormalizer";

    fn output_fact(&self, input: &TypedFact) -> TractResult<TypedFact> {
        let mut shape = string_rows(Self::NAME, "1", input)?;
        if let Some(k) = &self.kept {
            *shape.last_mut().expect("rank checked") = k.to_dim();
        }
        Ok(DatumType::String.fact(shape))
    }

    fn run(&self, input: &Tensor) -> TractResult<Tensor> {
        let two_d = match input.shape() {
            [c] if *c > 0 => false,
            [1, c] if *c > 0 => true,
            s => bail!("StringNormalizer takes [C > 0] or [1, C > 0] strings, got shape {s:?}"),
        };
        let words = strings(input, Self::NAME)?;
        let mut out: Vec<String> = words
            .iter()
            .filter(|w| {
                self.stopwords.is_empty() || !self.stopwords.contains(&change_case(w, self.compare))
            })
            .map(|w| change_case(w, self.case_change))
            .collect();
        if out.is_empty() {
            out.push(String::new());
        }
        let n = out.len();
        if two_d {
            string_tensor(&[1, n], out)
        } else {
            string_tensor(&[n], out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_changes_map_one_character_to_one() {
        assert_eq!(change_case("ÀbC İ", Case::Lower), "àbc i");
        assert_eq!(change_case("straße", Case::Upper), "STRAßE");
        assert_eq!(change_case("MiXed", Case::None), "MiXed");
    }
}
