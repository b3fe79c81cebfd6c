//! Python's `json` module, byte for byte: [`dumps`] writes what `json.dumps` writes with its
//! defaults (`", "` / `": "` separators, ASCII escaping, `NaN`/`Infinity` tokens, float `repr`),
//! [`loads`] reads what `json.loads` reads (including `NaN`/`Infinity` and big integers).

mod dump;
pub mod float;
mod keys;
mod parse;

pub use dump::{dumps, dumps_indent, write_str, write_str_utf8};
pub use float::{float32_repr, float_repr, float_text, write_float, Bits};
pub use keys::DictKeys;
pub use parse::{exponent_end, loads, unicode_escape, JsonError};
