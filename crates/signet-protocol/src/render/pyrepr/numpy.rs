//! numpy 2's `str()` and `repr()` of arrays (`array2string` with the default print options:
//! line width 75, threshold 1000, edge items 3, precision 8, `floatmode='maxprec'`).

use super::{float_bits, py_repr_value, py_str_value};
use crate::render::num::{dragon4_positional, dragon4_scientific, Bits};
use arrow_array::Array;
use signet::input::{Tensor, TensorData};
use signet::repr::{numpy_datetime, py_bytes, py_str};
use signet::table::array_value;
use signet::types::{NumpyDtype, TimeUnit};
use signet::value::Value;

const LINE_WIDTH: usize = 75;
const THRESHOLD: usize = 1000;
const EDGE_ITEMS: usize = 3;
const PRECISION: usize = 8;

/// `str(ndarray)`: `[1500    3]`, `[[0. 0.]\n [0. 0.]]`, `['a' 'b']`; a 0-d array prints as
/// its element.
pub fn array_str(t: &Tensor) -> String {
    if t.shape.is_empty() {
        if t.is_empty() {
            return "[]".into();
        }
        return match element(t, 0) {
            Value::Bytes(b) => format!("np.bytes_({})", py_bytes(&b)),
            v => py_str_value(&v),
        };
    }
    if t.is_empty() {
        return "[]".into();
    }
    array2string(t, " ", "", LINE_WIDTH)
}

/// `repr(ndarray)`: `array([1., 2.])`, `array([[0., 0.]], dtype=float32)`,
/// `array(['x'], dtype='<U1')`, `array([], shape=(0, 3), dtype=float32)`.
pub fn array_repr(t: &Tensor) -> String {
    let prefix = "array(";
    let size = t.len();
    let body = if size == 0 && !t.shape.is_empty() {
        if t.shape == [0] {
            "[]".to_string()
        } else {
            format!("[], shape={}", shape_repr(&t.shape))
        }
    } else if t.shape.is_empty() && size == 0 {
        "[]".to_string()
    } else {
        array2string(t, ", ", prefix, LINE_WIDTH - 1)
    };
    let mut extras = Vec::new();
    if size > THRESHOLD {
        extras.push(format!("shape={}", shape_repr(&t.shape)));
    }
    if !dtype_is_implied(t.dtype) || size == 0 {
        extras.push(format!("dtype={}", dtype_short_repr(t)));
    }
    if extras.is_empty() {
        return format!("{prefix}{body})");
    }
    let arr_str = format!("{prefix}{body},");
    let extra = format!("{})", extras.join(", "));
    let last_line_len = arr_str.len() - arr_str.rfind('\n').map_or(0, |p| p + 1);
    let last_line_len = char_len(&arr_str[arr_str.len() - last_line_len..]);
    let spacer = if last_line_len + char_len(&extra) + 1 > LINE_WIDTH {
        format!("\n{}", " ".repeat(prefix.len()))
    } else {
        " ".to_string()
    };
    format!("{arr_str}{spacer}{extra}")
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

fn shape_repr(shape: &[usize]) -> String {
    let items: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    signet::repr::py_tuple(&items)
}

fn dtype_is_implied(d: NumpyDtype) -> bool {
    matches!(
        d,
        NumpyDtype::Int64 | NumpyDtype::Float64 | NumpyDtype::Complex128 | NumpyDtype::Bool
    )
}

/// numpy's short dtype repr in `array(..., dtype=...)`: `float32`, `'<U1'`, `'|S3'`,
/// `object`, `'datetime64[ns]'`.
fn dtype_short_repr(t: &Tensor) -> String {
    match t.dtype {
        NumpyDtype::Str => {
            let n = (0..t.len())
                .map(|i| match element(t, i) {
                    Value::Str(s) => s.chars().count(),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
                .max(1);
            format!("'<U{n}'")
        }
        NumpyDtype::Bytes => {
            let n = (0..t.len())
                .map(|i| match element(t, i) {
                    Value::Bytes(b) => b.len(),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
                .max(1);
            format!("'|S{n}'")
        }
        NumpyDtype::Datetime64(_) | NumpyDtype::Timedelta64(_) => {
            format!("'{}'", tensor_time_dtype(t))
        }
        other => other.name(),
    }
}

/// The dtype name of a datetime/timedelta tensor, with the unit its Arrow array actually has.
fn tensor_time_dtype(t: &Tensor) -> String {
    match t.dtype {
        NumpyDtype::Datetime64(u) => format!("datetime64[{}]", unit_of(t).unwrap_or(u).code()),
        NumpyDtype::Timedelta64(u) => format!("timedelta64[{}]", u.code()),
        other => other.name(),
    }
}

fn unit_of(t: &Tensor) -> Option<TimeUnit> {
    use arrow_schema::{DataType, TimeUnit as A};
    let TensorData::Arrow(a) = &t.data else {
        return None;
    };
    Some(match a.data_type() {
        DataType::Timestamp(A::Second, _) => match t.dtype {
            NumpyDtype::Datetime64(u @ (TimeUnit::Hour | TimeUnit::Minute)) => u,
            _ => TimeUnit::Second,
        },
        DataType::Timestamp(A::Millisecond, _) => TimeUnit::Milli,
        DataType::Timestamp(A::Microsecond, _) => TimeUnit::Micro,
        DataType::Timestamp(A::Nanosecond, _) => TimeUnit::Nano,
        DataType::Date32 | DataType::Date64 => match t.dtype {
            NumpyDtype::Datetime64(u @ (TimeUnit::Year | TimeUnit::Month | TimeUnit::Week)) => u,
            _ => TimeUnit::Day,
        },
        _ => return None,
    })
}

/// The element at flat position `i` as a Python value (numpy scalars for numeric dtypes).
pub(crate) fn element(t: &Tensor, i: usize) -> Value {
    match &t.data {
        TensorData::Object(v) => v.get(i).cloned().unwrap_or(Value::None),
        TensorData::Arrow(a) => {
            if i >= a.len() {
                return Value::None;
            }
            match array_value(a.as_ref(), i) {
                // A missing float element is NaN.
                Value::NA if float_bits(t.dtype).is_some() => {
                    Value::Numpy(t.dtype, Box::new(Value::Float(f64::NAN)))
                }
                Value::Numpy(d, inner) if d != t.dtype && float_bits(t.dtype).is_some() => {
                    Value::Numpy(t.dtype, inner)
                }
                other => other,
            }
        }
    }
}

/// A sub-array (`t[i]` for a tensor of at least one dimension).
pub(crate) fn sub_tensor(t: &Tensor, i: usize) -> Tensor {
    let inner: usize = t.shape[1..].iter().product();
    let start = i * inner;
    let data = match &t.data {
        TensorData::Object(v) => {
            let end = (start + inner).min(v.len());
            TensorData::Object(v.get(start.min(end)..end).unwrap_or(&[]).to_vec())
        }
        TensorData::Arrow(a) => {
            let start = start.min(a.len());
            let len = inner.min(a.len() - start);
            TensorData::Arrow(a.slice(start, len))
        }
    };
    Tensor {
        dtype: t.dtype,
        shape: t.shape[1..].to_vec(),
        data,
    }
}

/// The kept positions along one axis and whether the axis is summarised.
fn axis_indices(n: usize, summarize: bool) -> (Vec<usize>, bool) {
    if summarize && n > 2 * EDGE_ITEMS {
        let mut v: Vec<usize> = (0..EDGE_ITEMS).collect();
        v.extend(n - EDGE_ITEMS..n);
        (v, true)
    } else {
        ((0..n).collect(), false)
    }
}

fn array2string(t: &Tensor, separator: &str, prefix: &str, line_width: usize) -> String {
    let summarize = t.len() > THRESHOLD;
    // Kept positions per axis, and the flat indices of the kept sub-array in C order.
    let axes: Vec<(Vec<usize>, bool)> = t
        .shape
        .iter()
        .map(|&n| axis_indices(n, summarize))
        .collect();
    let mut strides = vec![1usize; t.shape.len()];
    for d in (0..t.shape.len().saturating_sub(1)).rev() {
        strides[d] = strides[d + 1] * t.shape[d + 1];
    }
    let mut flat = vec![0usize];
    for (d, (idx, _)) in axes.iter().enumerate() {
        let mut next = Vec::with_capacity(flat.len() * idx.len());
        for base in &flat {
            for &i in idx {
                next.push(base + i * strides[d]);
            }
        }
        flat = next;
    }
    let words = format_elements(t, &flat);
    let kept_shape: Vec<usize> = axes.iter().map(|(v, _)| v.len()).collect();
    let summarized: Vec<bool> = axes.iter().map(|(_, s)| *s).collect();
    let next_line_prefix = " ".repeat(1 + prefix.len());
    if t.shape.is_empty() {
        return words.into_iter().next().unwrap_or_default();
    }
    let fa = FormatArray {
        shape: &kept_shape,
        summarized: &summarized,
        words: &words,
        separator,
    };
    fa.recurse(0, 0, &next_line_prefix, line_width)
}

struct FormatArray<'a> {
    shape: &'a [usize],
    summarized: &'a [bool],
    words: &'a [String],
    separator: &'a str,
}

impl FormatArray<'_> {
    fn stride(&self, axis: usize) -> usize {
        self.shape[axis + 1..].iter().product()
    }

    fn recurse(
        &self,
        axis: usize,
        offset: usize,
        hanging_indent: &str,
        curr_width: usize,
    ) -> String {
        if axis == self.shape.len() {
            return self.words.get(offset).cloned().unwrap_or_default();
        }
        let axes_left = self.shape.len() - axis;
        let next_hanging_indent = format!("{hanging_indent} ");
        let next_width = curr_width.saturating_sub(1);
        let n = self.shape[axis];
        let stride = self.stride(axis);
        let show_summary = self.summarized[axis];
        // Item positions, with `None` standing for the `...` marker.
        let mut items: Vec<Option<usize>> = Vec::with_capacity(n + 1);
        if show_summary {
            items.extend((0..EDGE_ITEMS).map(Some));
            items.push(None);
            items.extend((EDGE_ITEMS..n).map(Some));
        } else {
            items.extend((0..n).map(Some));
        }
        let mut s = String::new();
        if axes_left == 1 {
            let sep_trim = self.separator.trim_end().len();
            let elem_width = curr_width.saturating_sub(sep_trim.max(1));
            let mut line = hanging_indent.to_string();
            let last = items.len() - 1;
            for (k, item) in items.iter().enumerate() {
                match item {
                    Some(i) => {
                        let word = self.recurse(
                            axis + 1,
                            offset + i * stride,
                            &next_hanging_indent,
                            next_width,
                        );
                        extend_line_pretty(&mut s, &mut line, &word, elem_width, hanging_indent);
                    }
                    None => extend_line(&mut s, &mut line, "...", elem_width, hanging_indent),
                }
                if k != last {
                    line.push_str(self.separator);
                }
            }
            s.push_str(&line);
        } else {
            let line_sep = format!(
                "{}{}",
                self.separator.trim_end(),
                "\n".repeat(axes_left - 1)
            );
            let last = items.len() - 1;
            for (k, item) in items.iter().enumerate() {
                s.push_str(hanging_indent);
                match item {
                    Some(i) => s.push_str(&self.recurse(
                        axis + 1,
                        offset + i * stride,
                        &next_hanging_indent,
                        next_width,
                    )),
                    None => s.push_str("..."),
                }
                if k != last {
                    s.push_str(&line_sep);
                }
            }
        }
        let body = s.get(hanging_indent.len()..).unwrap_or("");
        format!("[{body}]")
    }
}

fn extend_line(s: &mut String, line: &mut String, word: &str, line_width: usize, prefix: &str) {
    let mut needs_wrap = char_len(line) + char_len(word) > line_width;
    if char_len(line) <= char_len(prefix) {
        needs_wrap = false;
    }
    if needs_wrap {
        s.push_str(line.trim_end());
        s.push('\n');
        *line = prefix.to_string();
    }
    line.push_str(word);
}

fn extend_line_pretty(
    s: &mut String,
    line: &mut String,
    word: &str,
    line_width: usize,
    prefix: &str,
) {
    let words: Vec<&str> = word.split('\n').collect();
    if words.len() == 1 {
        extend_line(s, line, word, line_width, prefix);
        return;
    }
    let max_word_length = words.iter().map(|w| char_len(w)).max().unwrap_or(0);
    let indent;
    if char_len(line) + max_word_length > line_width && char_len(line) > char_len(prefix) {
        s.push_str(line.trim_end());
        s.push('\n');
        *line = format!("{prefix}{}", words[0]);
        indent = prefix.to_string();
    } else {
        indent = " ".repeat(char_len(line));
        line.push_str(words[0]);
    }
    for w in &words[1..] {
        s.push_str(line.trim_end());
        s.push('\n');
        *line = format!("{indent}{w}");
    }
    let suffix = max_word_length - char_len(words[words.len() - 1]);
    line.push_str(&" ".repeat(suffix));
}

/// Formats the elements at the given flat positions with one shared numpy format function.
fn format_elements(t: &Tensor, flat: &[usize]) -> Vec<String> {
    let zero_d = t.shape.is_empty();
    let values: Vec<Value> = flat.iter().map(|&i| element(t, i)).collect();
    if let Some(bits) = float_bits(t.dtype) {
        let floats: Vec<f64> = values.iter().map(value_f64).collect();
        let fmt = FloatFormat::new(&floats, bits);
        return floats.iter().map(|&f| fmt.format(f)).collect();
    }
    match t.dtype {
        NumpyDtype::Bool => {
            let truestr = if zero_d { "True" } else { " True" };
            values
                .iter()
                .map(|v| if v.is_truthy() { truestr } else { "False" }.to_string())
                .collect()
        }
        d if d.is_int() => {
            let ints: Vec<i128> = values.iter().map(value_i128).collect();
            let width = match (ints.iter().max(), ints.iter().min()) {
                (Some(mx), Some(mn)) => mx.to_string().len().max(mn.to_string().len()),
                _ => 0,
            };
            ints.iter().map(|i| format!("{i:>width$}")).collect()
        }
        NumpyDtype::Str => values
            .iter()
            .map(|v| match v {
                Value::Str(s) => py_str(s),
                other => py_repr_value(other),
            })
            .collect(),
        NumpyDtype::Bytes => values
            .iter()
            .map(|v| match v {
                Value::Bytes(b) => {
                    let end = b.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
                    py_bytes(&b[..end])
                }
                other => py_repr_value(other),
            })
            .collect(),
        NumpyDtype::Datetime64(_) | NumpyDtype::Timedelta64(_) => {
            let unit = unit_of(t).unwrap_or(match t.dtype {
                NumpyDtype::Datetime64(u) | NumpyDtype::Timedelta64(u) => u,
                _ => TimeUnit::Second,
            });
            let texts: Vec<Option<String>> = values
                .iter()
                .map(|v| match v {
                    Value::Datetime64(dt, _) => Some(format!("'{}'", numpy_datetime(dt, unit))),
                    Value::Numpy(_, inner) => match inner.as_ref() {
                        Value::Int(i) => Some(i.to_string()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            let has_nat = texts.iter().any(Option::is_none);
            let mut width = texts
                .iter()
                .flatten()
                .map(|s| char_len(s))
                .max()
                .unwrap_or(0);
            if has_nat {
                width = width.max(5);
            }
            texts
                .into_iter()
                .map(|s| format!("{:>width$}", s.unwrap_or_else(|| "'NaT'".into())))
                .collect()
        }
        _ => values
            .iter()
            .map(|v| match v {
                Value::List(_) => format!("list({})", py_repr_value(v)),
                other => py_repr_value(other),
            })
            .collect(),
    }
}

fn value_f64(v: &Value) -> f64 {
    match v {
        Value::Numpy(_, inner) => value_f64(inner),
        Value::Float(f) => *f,
        Value::Int(i) => *i as f64,
        Value::Bool(b) => *b as u8 as f64,
        _ => f64::NAN,
    }
}

fn value_i128(v: &Value) -> i128 {
    match v {
        Value::Numpy(_, inner) => value_i128(inner),
        Value::Int(i) => *i,
        Value::Bool(b) => *b as i128,
        Value::Float(f) => *f as i128,
        _ => 0,
    }
}

/// numpy's `FloatingFormat` in `maxprec` mode with precision 8.
pub(crate) struct FloatFormat {
    bits: Bits,
    exp_format: bool,
    precision: usize,
    pad_left: usize,
    pad_right: usize,
    exp_size: usize,
}

impl FloatFormat {
    /// Sizes the format from all the values that will be printed.
    pub(crate) fn new(values: &[f64], bits: Bits) -> FloatFormat {
        let finite: Vec<f64> = values.iter().copied().filter(|f| f.is_finite()).collect();
        let cutoff = match bits {
            Bits::F16 => 1e3,
            Bits::F32 => 1e6,
            Bits::F64 => 1e8,
        };
        let mut exp_format = false;
        let non_zero: Vec<f64> = finite
            .iter()
            .filter(|f| **f != 0.0)
            .map(|f| f.abs())
            .collect();
        if !non_zero.is_empty() {
            let max = non_zero.iter().copied().fold(f64::MIN, f64::max);
            let min = non_zero.iter().copied().fold(f64::MAX, f64::min);
            let ratio = match bits {
                Bits::F64 => max / min,
                _ => (max as f32 / min as f32) as f64,
            };
            exp_format = max >= cutoff || min < 0.0001 || ratio > 1000.0;
        }
        let mut f = FloatFormat {
            bits,
            exp_format,
            precision: PRECISION,
            pad_left: 0,
            pad_right: 0,
            exp_size: 0,
        };
        if finite.is_empty() {
            f.pad_left = 0;
            f.pad_right = 0;
        } else if exp_format {
            let parts: Vec<(String, String, i32)> = finite
                .iter()
                .map(|&x| dragon4_scientific(x, bits, PRECISION))
                .collect();
            f.exp_size = parts
                .iter()
                .map(|(_, _, e)| e.unsigned_abs().to_string().len().max(2))
                .max()
                .unwrap_or(2);
            f.precision = parts.iter().map(|(_, fr, _)| fr.len()).max().unwrap_or(0);
            f.pad_left = parts.iter().map(|(i, _, _)| i.len()).max().unwrap_or(0);
            f.pad_right = f.exp_size + 2 + f.precision;
        } else {
            let parts: Vec<(String, String)> = finite
                .iter()
                .map(|&x| dragon4_positional(x, bits, PRECISION))
                .collect();
            f.pad_left = parts.iter().map(|(i, _)| i.len()).max().unwrap_or(0);
            f.pad_right = parts.iter().map(|(_, fr)| fr.len()).max().unwrap_or(0);
        }
        if finite.len() != values.len() {
            let neginf = values.iter().any(|v| v.is_infinite() && *v < 0.0) as usize;
            let offset = f.pad_right + 1;
            f.pad_left = f
                .pad_left
                .max(3usize.saturating_sub(offset))
                .max((3 + neginf).saturating_sub(offset));
        }
        f
    }

    /// Formats one value.
    pub(crate) fn format(&self, x: f64) -> String {
        if !x.is_finite() {
            let ret = if x.is_nan() {
                "nan"
            } else if x < 0.0 {
                "-inf"
            } else {
                "inf"
            };
            let width = self.pad_left + self.pad_right + 1;
            return format!("{ret:>width$}");
        }
        if self.exp_format {
            // Every value gets exactly `precision` digits; numpy generates the digits past a
            // value's shortest form from its exact binary value (`4.1800001e-01` for the
            // float32 0.418), i.e. the correctly rounded scientific form.
            let sci = format!("{:.*e}", self.precision, x);
            let (m, e) = sci.split_once('e').unwrap_or((&sci, "0"));
            let e: i32 = e.parse().unwrap_or(0);
            let (i, fr) = m.split_once('.').unwrap_or((m, ""));
            let mut s = format!("{i:>w$}.", w = self.pad_left);
            s.push_str(fr);
            s.push('e');
            s.push(if e < 0 { '-' } else { '+' });
            s.push_str(&format!("{:0w$}", e.unsigned_abs(), w = self.exp_size));
            s
        } else {
            let (i, fr) = dragon4_positional(x, self.bits, self.precision);
            format!(
                "{i:>wl$}.{fr:<wr$}",
                wl = self.pad_left,
                wr = self.pad_right
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Float32Array, Float64Array, Int64Array};
    use std::sync::Arc;

    fn f64s(shape: Vec<usize>, v: Vec<f64>) -> Tensor {
        Tensor {
            dtype: NumpyDtype::Float64,
            shape,
            data: TensorData::Arrow(Arc::new(Float64Array::from(v))),
        }
    }

    #[test]
    fn strs() {
        let t = Tensor {
            dtype: NumpyDtype::Int64,
            shape: vec![2, 2],
            data: TensorData::Arrow(Arc::new(Int64Array::from(vec![1500, 3, 2000, 4]))),
        };
        assert_eq!(array_str(&t), "[[1500    3]\n [2000    4]]");
        assert_eq!(
            array_repr(&t),
            "array([[1500,    3],\n       [2000,    4]])"
        );
        assert_eq!(
            array_str(&f64s(vec![2, 2], vec![0.0; 4])),
            "[[0. 0.]\n [0. 0.]]"
        );
        assert_eq!(array_str(&f64s(vec![2], vec![1.5, 2.0])), "[1.5 2. ]");
        assert_eq!(
            array_str(&f64s(
                vec![4],
                vec![1.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY]
            )),
            "[ 1.5  nan  inf -inf]"
        );
        assert_eq!(
            array_str(&f64s(vec![2], vec![1001.0, 1.0])),
            "[1.001e+03 1.000e+00]"
        );
        assert_eq!(
            array_str(&f64s(vec![2], vec![1e300, 1.0])),
            "[1.e+300 1.e+000]"
        );
        let t = Tensor {
            dtype: NumpyDtype::Float32,
            shape: vec![1, 2],
            data: TensorData::Arrow(Arc::new(Float32Array::from(vec![0.0, 0.0]))),
        };
        assert_eq!(array_repr(&t), "array([[0., 0.]], dtype=float32)");
        let t = Tensor {
            dtype: NumpyDtype::Int64,
            shape: vec![2000],
            data: TensorData::Arrow(Arc::new(Int64Array::from((0..2000).collect::<Vec<i64>>()))),
        };
        assert_eq!(array_str(&t), "[   0    1    2 ... 1997 1998 1999]");
        assert_eq!(
            array_repr(&t),
            "array([   0,    1,    2, ..., 1997, 1998, 1999], shape=(2000,))"
        );
    }
}
