//! `com.microsoft:Tokenizer`, as onnxruntime's contrib kernel runs it.
//!
//! The input is `[C]` or `[N, C]` strings; the output adds an axis of tokens, `T` = the most
//! tokens of any string (plus 2 with `mark`), shorter rows padded with `pad_value` (after the
//! end mark). With no token at all, the output's last axis is 0.
//!
//! * `tokenexp`: the tokens are the regular expression's leftmost matches, searched from the
//!   end of the previous one; a match shorter than `mincharnum` characters is dropped and the
//!   search resumes one character after its start.
//! * `separators` (regular expressions, applied one after the other to every token so far):
//!   the text between matches (and after the last) is kept when it has at least `mincharnum`
//!   characters; an empty match skips one character.
//! * a single empty separator: one token per character.
//! * `mark`: the tokens are framed by `"\u{2}"` and `"\u{3}"`.
//!
//! onnxruntime compiles the expressions with RE2; signet with the `regex` crate, whose syntax
//! and leftmost-first semantics agree with RE2's for the expressions skl2onnx writes.

use super::{string_rows, string_tensor, strings};
use crate::ops::attrs::{int_attr, string_attr, string_list};
use crate::ops::native::{Parse, UnaryOp};
use regex::Regex;
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// How strings are split.
#[derive(Clone, Debug)]
enum Split {
    /// One token per character.
    Chars,
    /// The matches of `tokenexp`.
    Tokens(Regex),
    /// The text between the separators' matches.
    Separators(Vec<Regex>),
}

impl PartialEq for Split {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Split::Chars, Split::Chars) => true,
            (Split::Tokens(a), Split::Tokens(b)) => a.as_str() == b.as_str(),
            (Split::Separators(a), Split::Separators(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.as_str() == y.as_str())
            }
            _ => false,
        }
    }
}

impl Eq for Split {}

/// `Tokenizer`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Tokenizer {
    split: Split,
    mark: bool,
    pad: String,
    min_chars: usize,
    /// The token axis's length, known only when the graph runs.
    tokens: Symbol,
}

fn compile(exp: &str, what: &str) -> TractResult<Regex> {
    Regex::new(exp).map_err(|e| format_err!("{what} {exp:?} is not a valid expression: {e}"))
}

/// The first character's length in bytes at `at` (1 past the end of the text).
fn char_len(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(1, char::len_utf8)
}

impl Parse for Tokenizer {
    fn parse(ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let mark =
            int_attr(node, "mark").ok_or_else(|| format_err!("attribute mark is not set"))? != 0;
        let pad = string_attr(node, "pad_value")
            .ok_or_else(|| format_err!("attribute pad_value is not set"))?;
        let min_chars = int_attr(node, "mincharnum")
            .ok_or_else(|| format_err!("attribute mincharnum is not set"))?;
        ensure!(
            min_chars > 0,
            "mincharnum must be positive, got {min_chars}"
        );
        let min_chars = min_chars as usize;
        let separators = string_list(node, "separators")?.unwrap_or_default();
        let tokenexp = string_attr(node, "tokenexp").filter(|s| !s.is_empty());
        let split = match (tokenexp, separators.as_slice()) {
            (Some(_), [_, ..]) => bail!("tokenexp and separators cannot both be set"),
            (Some(exp), []) => Split::Tokens(compile(&exp, "tokenexp")?),
            (None, [one]) if one.is_empty() => {
                ensure!(
                    min_chars < 2,
                    "mincharnum is too big for char level tokenization"
                );
                Split::Chars
            }
            (None, []) => bail!("either tokenexp or separators is required"),
            (None, seps) => Split::Separators(
                seps.iter()
                    .map(|s| {
                        ensure!(!s.is_empty(), "no empty separators allowed");
                        compile(s, "separator")
                    })
                    .collect::<TractResult<_>>()?,
            ),
        };
        Ok(Tokenizer {
            split,
            mark,
            pad,
            min_chars,
            tokens: ctx.template.symbols.new_with_prefix("tokens"),
        })
    }
}

impl Tokenizer {
    fn long_enough(&self, s: &str) -> bool {
        s.chars().take(self.min_chars).count() >= self.min_chars
    }

    /// The tokens of one string.
    fn tokenize<'s>(&self, text: &'s str) -> Vec<&'s str> {
        match &self.split {
            Split::Chars => text
                .char_indices()
                .map(|(i, c)| &text[i..i + c.len_utf8()])
                .collect(),
            Split::Tokens(re) => {
                let mut out = Vec::new();
                let mut start = 0;
                while start <= text.len() {
                    let Some(m) = re.find_at(text, start) else {
                        break;
                    };
                    if self.long_enough(m.as_str()) && !m.as_str().is_empty() {
                        out.push(m.as_str());
                        start = m.end();
                    } else {
                        start = m.start() + char_len(text, m.start());
                    }
                }
                out
            }
            Split::Separators(seps) => {
                let mut row = vec![text];
                for sep in seps {
                    let mut next = Vec::new();
                    for piece in row {
                        let mut start = 0;
                        loop {
                            match (start <= piece.len())
                                .then(|| sep.find_at(piece, start))
                                .flatten()
                            {
                                Some(m) => {
                                    let token = &piece[start..m.start()];
                                    if self.long_enough(token) {
                                        next.push(token);
                                    }
                                    start = if m.is_empty() {
                                        m.start() + char_len(piece, m.start())
                                    } else {
                                        m.end()
                                    };
                                }
                                None => {
                                    let token = piece.get(start..).unwrap_or("");
                                    if self.long_enough(token) {
                                        next.push(token);
                                    }
                                    break;
                                }
                            }
                        }
                    }
                    row = next;
                }
                row
            }
        }
    }
}

impl UnaryOp for Tokenizer {
    const NAME: &'static str = "Tokenizer";

    fn output_fact(&self, input: &TypedFact) -> TractResult<TypedFact> {
        let mut shape = string_rows(Self::NAME, "N", input)?;
        shape.push(self.tokens.to_dim());
        Ok(DatumType::String.fact(shape))
    }

    fn run(&self, input: &Tensor) -> TractResult<Tensor> {
        let shape = input.shape().to_vec();
        ensure!(
            matches!(shape.len(), 1 | 2),
            "Tokenizer takes [C] or [N, C] strings, got shape {shape:?}"
        );
        let texts = strings(input, Self::NAME)?;
        if texts.is_empty() {
            // onnxruntime: `[N, 0]` for a 2-D input, `[0]` for a 1-D one.
            let out_shape = if shape.len() == 2 {
                vec![shape[0], 0]
            } else {
                vec![0]
            };
            return string_tensor(&out_shape, vec![]);
        }
        let rows: Vec<Vec<&str>> = texts.iter().map(|t| self.tokenize(t)).collect();
        let most = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut out_shape = shape;
        if most == 0 {
            out_shape.push(0);
            return string_tensor(&out_shape, vec![]);
        }
        let width = most + if self.mark { 2 } else { 0 };
        out_shape.push(width);
        let mut out = Vec::with_capacity(rows.len() * width);
        for row in &rows {
            if self.mark {
                out.push("\u{2}".to_string());
            }
            out.extend(row.iter().map(|t| t.to_string()));
            if self.mark {
                out.push("\u{3}".to_string());
            }
            out.extend(std::iter::repeat_n(self.pad.clone(), most - row.len()));
        }
        string_tensor(&out_shape, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(split: Split, mark: bool, min_chars: usize) -> Tokenizer {
        Tokenizer {
            split,
            mark,
            pad: "#".into(),
            min_chars,
            tokens: SymbolScope::default().sym("T"),
        }
    }

    #[test]
    fn expression_tokens_skip_short_matches_one_character_on() {
        let t = op(Split::Tokens(Regex::new("[a-z]+").unwrap()), false, 2);
        assert_eq!(t.tokenize("a bc, Def ghij"), vec!["bc", "ef", "ghij"]);
    }

    #[test]
    fn separators_keep_the_text_between_matches() {
        let t = op(
            Split::Separators(vec![Regex::new(" ").unwrap(), Regex::new(",").unwrap()]),
            false,
            1,
        );
        assert_eq!(t.tokenize("a,b  c"), vec!["a", "b", "c"]);
    }

    /// A 1-D string tensor.
    fn texts(v: &[&str]) -> Tensor {
        string_tensor(&[v.len()], v.iter().map(|s| s.to_string()).collect()).unwrap()
    }

    #[test]
    fn rows_are_marked_then_padded_to_the_longest() {
        let t = op(Split::Tokens(Regex::new("[a-z]+").unwrap()), true, 1);
        let out = t.run(&texts(&["x y z", "w"])).unwrap();
        assert_eq!(out.shape(), &[2, 5]);
        let v = out.try_as_plain_ram().unwrap();
        let v = v.as_slice::<String>().unwrap();
        assert_eq!(v[..5], ["\u{2}", "x", "y", "z", "\u{3}"]);
        assert_eq!(v[5..], ["\u{2}", "w", "\u{3}", "#", "#"]);
    }

    #[test]
    fn no_token_at_all_gives_an_empty_token_axis() {
        let t = op(Split::Tokens(Regex::new("[a-z]+").unwrap()), false, 1);
        assert_eq!(t.run(&texts(&["12", "!"])).unwrap().shape(), &[2, 0]);
    }
}
