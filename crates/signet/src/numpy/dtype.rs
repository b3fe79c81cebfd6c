//! Dtype kinds (`dtype.kind`), sizes and `np.promote_types` for the numeric dtypes.

use crate::types::NumpyDtype;

impl NumpyDtype {
    /// numpy's `dtype.kind`: `b` bool, `i` signed, `u` unsigned, `f` float, `c` complex,
    /// `M` datetime64, `m` timedelta64, `U` str, `S` bytes, `O` object.
    pub fn kind(self) -> char {
        use NumpyDtype as D;
        match self {
            D::Bool => 'b',
            D::Int8 | D::Int16 | D::Int32 | D::Int64 => 'i',
            D::UInt8 | D::UInt16 | D::UInt32 | D::UInt64 => 'u',
            D::Float16 | D::Float32 | D::Float64 => 'f',
            D::Complex64 | D::Complex128 => 'c',
            D::Datetime64(_) => 'M',
            D::Timedelta64(_) => 'm',
            D::Str => 'U',
            D::Bytes => 'S',
            D::Object => 'O',
        }
    }

    /// The numeric dtype of a kind (`i`, `u`, `f`, `c`) and item size in bytes; `None` for any
    /// other pair.
    pub fn of_kind(kind: char, size: usize) -> Option<NumpyDtype> {
        use NumpyDtype as D;
        Some(match (kind, size) {
            ('b', 1) => D::Bool,
            ('i', 1) => D::Int8,
            ('i', 2) => D::Int16,
            ('i', 4) => D::Int32,
            ('i', 8) => D::Int64,
            ('u', 1) => D::UInt8,
            ('u', 2) => D::UInt16,
            ('u', 4) => D::UInt32,
            ('u', 8) => D::UInt64,
            ('f', 2) => D::Float16,
            ('f', 4) => D::Float32,
            ('f', 8) => D::Float64,
            ('c', 8) => D::Complex64,
            ('c', 16) => D::Complex128,
            _ => return None,
        })
    }

    /// Whether the dtype is bool, an integer, a float or a complex (numpy's numeric kinds
    /// `b`, `i`, `u`, `f`, `c`).
    pub fn is_numeric(self) -> bool {
        matches!(self.kind(), 'b' | 'i' | 'u' | 'f' | 'c')
    }

    /// Whether the dtype is bool, an integer or a float: numeric but not complex (kinds `b`,
    /// `i`, `u`, `f`), the dtypes an Arrow primitive array holds.
    pub fn is_bool_or_real(self) -> bool {
        matches!(self.kind(), 'b' | 'i' | 'u' | 'f')
    }

    /// Whether the dtype is a signed or unsigned integer (kinds `i`, `u`).
    pub fn is_int(self) -> bool {
        matches!(self.kind(), 'i' | 'u')
    }

    /// Whether the dtype is an unsigned integer (kind `u`).
    pub fn is_unsigned(self) -> bool {
        self.kind() == 'u'
    }

    /// Whether the dtype is a float (kind `f`).
    pub fn is_float(self) -> bool {
        self.kind() == 'f'
    }

    /// `[np.iinfo(d).min, np.iinfo(d).max]` of an integer dtype; `None` for any other dtype.
    pub fn int_bounds(self) -> Option<(i128, i128)> {
        use NumpyDtype as D;
        Some(match self {
            D::Int8 => (i8::MIN.into(), i8::MAX.into()),
            D::Int16 => (i16::MIN.into(), i16::MAX.into()),
            D::Int32 => (i32::MIN.into(), i32::MAX.into()),
            D::Int64 => (i64::MIN.into(), i64::MAX.into()),
            D::UInt8 => (0, u8::MAX.into()),
            D::UInt16 => (0, u16::MAX.into()),
            D::UInt32 => (0, u32::MAX.into()),
            D::UInt64 => (0, u64::MAX.into()),
            _ => return None,
        })
    }
}

/// `np.promote_types(a, b)` for bool and the numeric dtypes: the smallest dtype both cast to
/// safely (`int32` + `float32` → `float64`, `uint64` + `int64` → `float64`, `complex64` +
/// `float64` → `complex128`); a dtype with itself is itself, whatever its kind. `None` for
/// two different dtypes of which one is not numeric (numpy gives `object`, a string type or an
/// error there; callers decide).
pub fn promote_types(a: NumpyDtype, b: NumpyDtype) -> Option<NumpyDtype> {
    if a == b {
        return Some(a);
    }
    if !(a.is_numeric() && b.is_numeric()) {
        return None;
    }
    let (ka, kb) = (a.kind(), b.kind());
    if ka == 'b' {
        return Some(b);
    }
    if kb == 'b' {
        return Some(a);
    }
    let size = |d: NumpyDtype| d.itemsize().unwrap_or(8);
    // The size of the smallest float (or a complex's component) that holds every value of `d`.
    let float_size = |d: NumpyDtype| match d.kind() {
        'i' | 'u' => match size(d) {
            1 => 2,
            2 => 4,
            _ => 8,
        },
        'c' => size(d) / 2,
        _ => size(d),
    };
    let (sa, sb) = (size(a), size(b));
    match (ka, kb) {
        _ if ka == kb => NumpyDtype::of_kind(ka, sa.max(sb)),
        ('i', 'u') | ('u', 'i') => {
            let (si, su) = if ka == 'i' { (sa, sb) } else { (sb, sa) };
            if si > su {
                NumpyDtype::of_kind('i', si)
            } else if su < 8 {
                NumpyDtype::of_kind('i', su * 2)
            } else {
                Some(NumpyDtype::Float64)
            }
        }
        ('c', _) | (_, 'c') => {
            NumpyDtype::of_kind('c', 2 * float_size(a).max(float_size(b)).max(4))
        }
        _ => NumpyDtype::of_kind('f', float_size(a).max(float_size(b))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pair of numeric dtypes against `np.promote_types`, recorded from numpy by
    /// `scripts/gen_numpy_cases.py`.
    #[test]
    fn promote_types_matches_numpy() {
        let table = include_str!("../../../../tests/numpy/promote_types.tsv");
        let mut checked = 0;
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [a, b, want] = cols[..] else {
                panic!("bad line {line:?}");
            };
            let parse = |s: &str| NumpyDtype::parse(s).unwrap();
            assert_eq!(
                promote_types(parse(a), parse(b)),
                Some(parse(want)),
                "np.promote_types({a}, {b})"
            );
            checked += 1;
        }
        assert_eq!(checked, 196);
        assert_eq!(promote_types(NumpyDtype::Str, NumpyDtype::Int8), None);
        assert_eq!(
            promote_types(NumpyDtype::Str, NumpyDtype::Str),
            Some(NumpyDtype::Str)
        );
    }
}
