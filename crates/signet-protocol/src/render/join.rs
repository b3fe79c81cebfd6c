//! The one loop behind every list, tuple and dict the renderers write: the items between
//! brackets with a separator, into a `String` or the JSON encoder's byte buffer.

/// A text buffer the renderers write into.
pub trait TextOut {
    /// Appends `s`.
    fn push_text(&mut self, s: &str);
}

impl TextOut for String {
    #[inline]
    fn push_text(&mut self, s: &str) {
        self.push_str(s);
    }
}

impl TextOut for Vec<u8> {
    #[inline]
    fn push_text(&mut self, s: &str) {
        self.extend_from_slice(s.as_bytes());
    }
}

/// Writes `open`, each item with `write` (`sep` between two of them), then `close`.
#[inline]
pub fn write_joined<O: TextOut, T>(
    out: &mut O,
    [open, sep, close]: [&str; 3],
    items: impl IntoIterator<Item = T>,
    mut write: impl FnMut(&mut O, T),
) {
    out.push_text(open);
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_text(sep);
        }
        write(out, item);
    }
    out.push_text(close);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_into_text_and_bytes() {
        let mut s = String::new();
        write_joined(&mut s, ["(", ", ", ")"], [1, 2, 3], |o, i| {
            o.push_str(&i.to_string())
        });
        assert_eq!(s, "(1, 2, 3)");
        let mut b = Vec::new();
        write_joined(&mut b, ["[", ",", "]"], 0..0, |o: &mut Vec<u8>, _: i32| {
            o.push(b'x')
        });
        assert_eq!(b, b"[]");
    }
}
