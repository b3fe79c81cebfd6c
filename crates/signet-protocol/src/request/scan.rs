//! A byte-level JSON scanner with Python `json` acceptance rules (`NaN` / `Infinity`, integers
//! of any size, `\uXXXX` surrogate pairs), used to read requests without building a value tree
//! for table data. It only answers "valid or not": on any syntax error it returns [`Syntax`]
//! and the caller asks [`signet::pyjson::loads`] for Python's exact message.

use signet::pyjson::{self, DictKeys};
use signet::value::Value;
use std::borrow::Cow;

/// Nesting limit (as in [`signet::pyjson`]).
const MAX_DEPTH: usize = 512;

/// Some syntax error (the exact message comes from [`signet::pyjson::loads`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Syntax;

/// Exact powers of ten as doubles.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A JSON number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Num {
    Int(i64),
    Big(i128),
    Float(f64),
}

/// Bytes that end a run of plain string characters.
static STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// A cursor over a JSON text.
pub(crate) struct Scanner<'a> {
    pub s: &'a [u8],
    text: &'a str,
    pub i: usize,
    depth: usize,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str) -> Scanner<'a> {
        Scanner {
            s: text.as_bytes(),
            text,
            i: 0,
            depth: 0,
        }
    }

    /// A scanner over the same text at position `i`.
    pub fn fork(&self, i: usize) -> Scanner<'a> {
        Scanner {
            s: self.s,
            text: self.text,
            i,
            depth: self.depth,
        }
    }

    #[inline]
    pub fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    #[inline]
    pub fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Skips whitespace, then expects `b`.
    #[inline]
    pub fn eat(&mut self, b: u8) -> Result<(), Syntax> {
        self.ws();
        if self.peek() == Some(b) {
            self.i += 1;
            Ok(())
        } else {
            Err(Syntax)
        }
    }

    /// After an element: `,` (true) or the closing byte (false).
    #[inline]
    pub fn sep(&mut self, close: u8) -> Result<bool, Syntax> {
        self.ws();
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                Ok(true)
            }
            Some(c) if c == close => {
                self.i += 1;
                Ok(false)
            }
            _ => Err(Syntax),
        }
    }

    /// Goes back to `start` and reads the value there whole (the value-based reader, where a
    /// fast reader gives up): `read` makes the result of it.
    pub fn reread<T>(&mut self, start: usize, read: impl FnOnce(&Value) -> T) -> Result<T, Syntax> {
        self.i = start;
        let v = self.value()?;
        Ok(read(&v))
    }

    /// Reads the items of a container whose opening bracket was just consumed, up to `close`:
    /// `item` reads each one; returns after `close`.
    fn items<E: From<Syntax>>(
        &mut self,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Result<(), E>,
    ) -> Result<(), E> {
        self.ws();
        if self.peek() == Some(close) {
            self.i += 1;
            return Ok(());
        }
        loop {
            item(self)?;
            if !self.sep(close)? {
                return Ok(());
            }
        }
    }

    /// Reads the members of an object whose `{` was just consumed: `member` gets each key with
    /// the cursor after its `:` and reads the value; returns after the closing `}`.
    pub fn members<E: From<Syntax>>(
        &mut self,
        mut member: impl FnMut(&mut Self, Cow<'a, str>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.items(b'}', |sc| {
            sc.ws();
            if sc.peek() != Some(b'"') {
                return Err(Syntax.into());
            }
            let key = sc.string()?;
            sc.eat(b':')?;
            member(sc, key)
        })
    }

    /// Reads the elements of a list whose `[` was just consumed: `element` reads each one;
    /// returns after the closing `]`.
    pub fn elements(
        &mut self,
        element: impl FnMut(&mut Self) -> Result<(), Syntax>,
    ) -> Result<(), Syntax> {
        self.items(b']', element)
    }

    pub fn enter(&mut self) -> Result<(), Syntax> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Syntax);
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth -= 1;
    }

    fn lit(&mut self, lit: &[u8]) -> Result<(), Syntax> {
        if self.s[self.i..].starts_with(lit) {
            self.i += lit.len();
            Ok(())
        } else {
            Err(Syntax)
        }
    }

    /// A string at the cursor (which is on `"`).
    #[inline]
    pub fn string(&mut self) -> Result<Cow<'a, str>, Syntax> {
        self.i += 1;
        let start = self.i;
        let s = self.s;
        let mut i = self.i;
        while i < s.len() && !STOP[s[i] as usize] {
            i += 1;
        }
        if i < s.len() && s[i] == b'"' {
            self.i = i + 1;
            return Ok(Cow::Borrowed(&self.text[start..i]));
        }
        self.i = i;
        let mut out = String::from(&self.text[start..i]);
        loop {
            let run = self.i;
            while self.i < s.len() && !STOP[s[self.i] as usize] {
                self.i += 1;
            }
            out.push_str(&self.text[run..self.i]);
            match s.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    let c = match s.get(self.i + 1) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let (c, len) = pyjson::unicode_escape(s, self.i).ok_or(Syntax)?;
                            out.push(c);
                            self.i += len;
                            continue;
                        }
                        _ => return Err(Syntax),
                    };
                    out.push(c);
                    self.i += 2;
                }
                _ => return Err(Syntax),
            }
        }
    }

    /// A number at the cursor (`-` or a digit), with Python's grammar.
    #[inline]
    pub fn number(&mut self) -> Result<Num, Syntax> {
        let s = self.s;
        let start = self.i;
        let mut i = start;
        let neg = s[i] == b'-';
        if neg {
            i += 1;
        }
        let mut acc: u64 = 0;
        let digits_start = i;
        match s.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while let Some(&d @ b'0'..=b'9') = s.get(i) {
                    acc = acc.wrapping_mul(10).wrapping_add((d - b'0') as u64);
                    i += 1;
                }
            }
            _ => return Err(Syntax),
        }
        let ndigits = i - digits_start;
        let mut is_float = false;
        let mut frac_digits = 0usize;
        let mut exponent = false;
        let mut mantissa = acc;
        if s.get(i) == Some(&b'.') && matches!(s.get(i + 1), Some(b'0'..=b'9')) {
            is_float = true;
            i += 1;
            let frac_start = i;
            while let Some(&d @ b'0'..=b'9') = s.get(i) {
                mantissa = mantissa.wrapping_mul(10).wrapping_add((d - b'0') as u64);
                i += 1;
            }
            frac_digits = i - frac_start;
        }
        if let Some(end) = pyjson::exponent_end(s, i) {
            is_float = true;
            exponent = true;
            i = end;
        }
        self.i = i;
        if is_float && !exponent && ndigits + frac_digits <= 15 && frac_digits <= 22 {
            // Clinger's fast path: an exact mantissa and an exact power of ten, one division,
            // correctly rounded (the value `float()` gives).
            let v = mantissa as f64 / POW10[frac_digits];
            return Ok(Num::Float(if neg { -v } else { v }));
        }
        let text = &self.text[start..i];
        if is_float {
            return text.parse::<f64>().map(Num::Float).map_err(|_| Syntax);
        }
        if ndigits <= 18 {
            let v = acc as i64;
            return Ok(Num::Int(if neg { -v } else { v }));
        }
        match text.parse::<i128>() {
            Ok(v) => Ok(match i64::try_from(v) {
                Ok(x) => Num::Int(x),
                Err(_) => Num::Big(v),
            }),
            // Beyond 128 bits: the nearest float (as `pyjson` does).
            Err(_) => text.parse::<f64>().map(Num::Float).map_err(|_| Syntax),
        }
    }

    /// Whether the cursor is on a number, `NaN`, `Infinity` or `-Infinity`.
    pub fn special(&mut self) -> Option<f64> {
        match self.peek()? {
            b'N' if self.s[self.i..].starts_with(b"NaN") => {
                self.i += 3;
                Some(f64::NAN)
            }
            b'I' if self.s[self.i..].starts_with(b"Infinity") => {
                self.i += 8;
                Some(f64::INFINITY)
            }
            b'-' if self.s[self.i..].starts_with(b"-Infinity") => {
                self.i += 9;
                Some(f64::NEG_INFINITY)
            }
            _ => None,
        }
    }

    /// A whole value as a [`Value`] (whitespace before it is skipped).
    pub fn value(&mut self) -> Result<Value, Syntax> {
        self.ws();
        Ok(match self.peek().ok_or(Syntax)? {
            b'{' => {
                self.enter()?;
                self.i += 1;
                let mut items: Vec<(Value, Value)> = Vec::new();
                let mut keys = DictKeys::default();
                self.members(|sc, key| {
                    let v = sc.value()?;
                    // The last of repeated keys wins, at the first one's place.
                    match keys.find(&items, &key) {
                        Some(j) => items[j].1 = v,
                        None => {
                            keys.add(&key, items.len());
                            items.push((Value::Str(key.into_owned()), v));
                        }
                    }
                    Ok::<(), Syntax>(())
                })?;
                self.leave();
                Value::Dict(items)
            }
            b'[' => {
                self.enter()?;
                self.i += 1;
                let mut items = Vec::new();
                self.elements(|sc| {
                    items.push(sc.value()?);
                    Ok(())
                })?;
                self.leave();
                Value::List(items)
            }
            b'"' => Value::Str(self.string()?.into_owned()),
            b'n' => {
                self.lit(b"null")?;
                Value::None
            }
            b't' => {
                self.lit(b"true")?;
                Value::Bool(true)
            }
            b'f' => {
                self.lit(b"false")?;
                Value::Bool(false)
            }
            _ => {
                if let Some(f) = self.special() {
                    return Ok(Value::Float(f));
                }
                match self.number()? {
                    Num::Int(i) => Value::Int(i as i128),
                    Num::Big(i) => Value::Int(i),
                    Num::Float(f) => Value::Float(f),
                }
            }
        })
    }

    /// Skips a whole value, checking its syntax.
    pub fn skip(&mut self) -> Result<(), Syntax> {
        self.ws();
        match self.peek().ok_or(Syntax)? {
            b'{' => {
                self.enter()?;
                self.i += 1;
                self.members(|sc, _| sc.skip())?;
                self.leave();
            }
            b'[' => {
                self.enter()?;
                self.i += 1;
                self.elements(Self::skip)?;
                self.leave();
            }
            b'"' => {
                self.string()?;
            }
            b'n' => self.lit(b"null")?,
            b't' => self.lit(b"true")?,
            b'f' => self.lit(b"false")?,
            _ => {
                if self.special().is_none() {
                    self.number()?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use signet::pyjson::loads;

    proptest! {
        /// The fast float path gives exactly what `float()` gives.
        #[test]
        fn fast_floats_are_correctly_rounded(int in 0u64..1_000_000_000, frac in "[0-9]{1,14}", neg in any::<bool>()) {
            let text = format!("{}{int}.{frac}", if neg { "-" } else { "" });
            let mut sc = Scanner::new(&text);
            let want: f64 = text.parse().unwrap();
            match sc.number().unwrap() {
                Num::Float(f) => prop_assert_eq!(f.to_bits(), want.to_bits()),
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }

    #[test]
    fn agrees_with_pyjson() {
        for text in [
            "{\"a\": [1, 2.5, -0, 1e400, NaN, -Infinity, \"x\\u00e9\\ud83d\\ude00\"], \"b\": {}}",
            "[18446744073709551616, -9223372036854775809, 123456789012345678901234567890123456789012]",
            "\"\\ud800\"",
            "{\"a\": 1, \"a\": 2}",
        ] {
            let mut sc = Scanner::new(text);
            let v = sc.value().unwrap();
            assert_eq!(format!("{:?}", v), format!("{:?}", loads(text).unwrap()));
            let mut sc = Scanner::new(text);
            sc.skip().unwrap();
            assert_eq!(sc.i, text.len());
        }
        for bad in [
            "{bad",
            "[1,]",
            "01",
            "\"a",
            "[1 2]",
            "{\"a\" 1}",
            "tru",
            "-",
            "\"\t\"",
        ] {
            let mut sc = Scanner::new(bad);
            let ok = sc.value().is_ok() && {
                sc.ws();
                sc.i == bad.len()
            };
            assert!(!ok, "{bad}");
            assert!(loads(bad).is_err());
        }
    }
}
