//! PyYAML's YAML 1.1 implicit resolvers (bool, null, int, float, timestamp, merge, value) as
//! hand-written versions of its regexes: the emitter asks whether a plain scalar would read back
//! as a string, the loader which type a plain scalar is.

/// Whether a string, written plain, reads back as a string under PyYAML's YAML 1.1 implicit
/// resolvers (bool, float, int, merge, null, timestamp, value).
pub fn resolves_to_str(s: &str) -> bool {
    !(is_yaml_bool(s)
        || is_yaml_null(s)
        || s == "<<"
        || s == "="
        || is_yaml_int(s)
        || is_yaml_float(s)
        || is_yaml_timestamp(s))
}

pub(super) fn is_yaml_bool(s: &str) -> bool {
    matches!(
        s,
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

pub(super) fn is_yaml_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

/// A cursor over ASCII bytes for the hand-written versions of PyYAML's resolver regexes.
struct Cur<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cur<'a> {
    fn new(s: &'a str) -> Cur<'a> {
        Cur {
            s: s.as_bytes(),
            i: 0,
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn peek_at(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }
    fn at_end(&self) -> bool {
        self.i == self.s.len()
    }
    /// Consumes one byte if it satisfies `f`.
    fn eat(&mut self, f: impl Fn(u8) -> bool) -> bool {
        match self.peek() {
            Some(c) if f(c) => {
                self.i += 1;
                true
            }
            _ => false,
        }
    }
    fn eat_byte(&mut self, b: u8) -> bool {
        self.eat(|c| c == b)
    }
    /// Consumes bytes while `f` holds; returns how many.
    fn eat_while(&mut self, f: impl Fn(u8) -> bool) -> usize {
        let start = self.i;
        while self.eat(&f) {}
        self.i - start
    }
    fn eat_str(&mut self, t: &str) -> bool {
        if self.s[self.i..].starts_with(t.as_bytes()) {
            self.i += t.len();
            true
        } else {
            false
        }
    }
    fn eat_sign(&mut self) {
        self.eat(|c| c == b'-' || c == b'+');
    }
    /// `(?::[0-5]?[0-9])+`; the following character is never a digit, so taking two digits
    /// whenever possible is what the regex's backtracking ends up with.
    fn eat_sexagesimal_groups(&mut self) -> bool {
        let mut groups = 0;
        while self.peek() == Some(b':') {
            match (self.peek_at(1), self.peek_at(2)) {
                (Some(a), Some(b)) if (b'0'..=b'5').contains(&a) && b.is_ascii_digit() => {
                    self.i += 3
                }
                (Some(a), _) if a.is_ascii_digit() => self.i += 2,
                _ => break,
            }
            groups += 1;
        }
        groups > 0
    }
    /// `(?:[eE][-+][0-9]+)?`
    fn eat_opt_exponent(&mut self) {
        let save = self.i;
        if self.eat(|c| c == b'e' || c == b'E')
            && self.eat(|c| c == b'-' || c == b'+')
            && self.eat_while(|c| c.is_ascii_digit()) > 0
        {
            return;
        }
        self.i = save;
    }
}

fn digit_or_underscore(c: u8) -> bool {
    c.is_ascii_digit() || c == b'_'
}

/// Runs an anchored alternative: it matches when `f` succeeds and consumes everything.
fn full(s: &str, f: impl Fn(&mut Cur) -> bool) -> bool {
    let mut c = Cur::new(s);
    f(&mut c) && c.at_end()
}

pub(super) fn is_yaml_int(s: &str) -> bool {
    // [-+]?0b[0-1_]+
    full(s, |c| {
        c.eat_sign();
        c.eat_str("0b") && c.eat_while(|b| b == b'0' || b == b'1' || b == b'_') > 0
    }) ||
    // [-+]?0[0-7_]+
    full(s, |c| {
        c.eat_sign();
        c.eat_byte(b'0') && c.eat_while(|b| (b'0'..=b'7').contains(&b) || b == b'_') > 0
    }) ||
    // [-+]?(?:0|[1-9][0-9_]*)
    full(s, |c| {
        c.eat_sign();
        c.eat_byte(b'0') || (c.eat(|b| (b'1'..=b'9').contains(&b)) && {
            c.eat_while(digit_or_underscore);
            true
        })
    }) ||
    // [-+]?0x[0-9a-fA-F_]+
    full(s, |c| {
        c.eat_sign();
        c.eat_str("0x") && c.eat_while(|b| b.is_ascii_hexdigit() || b == b'_') > 0
    }) ||
    // [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    full(s, |c| {
        c.eat_sign();
        c.eat(|b| (b'1'..=b'9').contains(&b)) && {
            c.eat_while(digit_or_underscore);
            c.eat_sexagesimal_groups()
        }
    })
}

pub(super) fn is_yaml_float(s: &str) -> bool {
    // [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    full(s, |c| {
        c.eat_sign();
        c.eat(|b| b.is_ascii_digit()) && {
            c.eat_while(digit_or_underscore);
            c.eat_byte(b'.') && {
                c.eat_while(digit_or_underscore);
                c.eat_opt_exponent();
                true
            }
        }
    }) ||
    // \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    full(s, |c| {
        c.eat_byte(b'.') && c.eat(|b| b.is_ascii_digit()) && {
            c.eat_while(digit_or_underscore);
            c.eat_opt_exponent();
            true
        }
    }) ||
    // [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    full(s, |c| {
        c.eat_sign();
        c.eat(|b| b.is_ascii_digit()) && {
            c.eat_while(digit_or_underscore);
            c.eat_sexagesimal_groups() && c.eat_byte(b'.') && {
                c.eat_while(digit_or_underscore);
                true
            }
        }
    }) ||
    // [-+]?\.(?:inf|Inf|INF)
    full(s, |c| {
        c.eat_sign();
        c.eat_byte(b'.') && (c.eat_str("inf") || c.eat_str("Inf") || c.eat_str("INF"))
    }) ||
    // \.(?:nan|NaN|NAN)
    matches!(s, ".nan" | ".NaN" | ".NAN")
}

pub(super) fn is_yaml_timestamp(s: &str) -> bool {
    fn digits(c: &mut Cur, min: usize, max: usize) -> bool {
        let mut n = 0;
        while n < max && c.eat(|b| b.is_ascii_digit()) {
            n += 1;
        }
        n >= min
    }
    // [0-9]{4}-[0-9]{2}-[0-9]{2}
    full(s, |c| {
        digits(c, 4, 4) && c.eat_byte(b'-') && digits(c, 2, 2) && c.eat_byte(b'-') && digits(c, 2, 2)
    }) ||
    // [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?
    //     (?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?
    full(s, |c| {
        let date = digits(c, 4, 4)
            && c.eat_byte(b'-')
            && digits(c, 1, 2)
            && c.eat_byte(b'-')
            && digits(c, 1, 2);
        let sep = date
            && (c.eat(|b| b == b'T' || b == b't') || c.eat_while(|b| b == b' ' || b == b'\t') > 0);
        let time = sep
            && digits(c, 1, 2)
            && c.eat_byte(b':')
            && digits(c, 2, 2)
            && c.eat_byte(b':')
            && digits(c, 2, 2);
        if !time {
            return false;
        }
        if c.eat_byte(b'.') {
            c.eat_while(|b| b.is_ascii_digit());
        }
        if c.at_end() {
            return true;
        }
        c.eat_while(|b| b == b' ' || b == b'\t');
        if c.eat_byte(b'Z') {
            return true;
        }
        if !(c.eat(|b| b == b'-' || b == b'+') && digits(c, 1, 2)) {
            return false;
        }
        let save = c.i;
        if !(c.eat_byte(b':') && digits(c, 2, 2)) {
            c.i = save;
        }
        true
    })
}
