//! [`DictKeys`]: the key look-up of a JSON object being read, where a repeated key keeps its
//! first position and takes the last value (as a Python dict does).

use crate::value::Value;
use std::collections::HashMap;

/// Dicts up to this many keys look keys up by scanning; wider ones through a hash map.
const SCAN_KEYS: usize = 16;

/// The key look-up of a dict being read: a scan of the (few) items while the dict is narrow,
/// a hash map once it is wide, so that reading a dict stays linear in its width.
#[derive(Default)]
pub struct DictKeys {
    map: Option<HashMap<String, usize>>,
}

impl DictKeys {
    /// The position of `key` among `items` (all string-keyed).
    pub fn find(&mut self, items: &[(Value, Value)], key: &str) -> Option<usize> {
        if let Some(map) = &self.map {
            return map.get(key).copied();
        }
        let found = items
            .iter()
            .position(|(k, _)| matches!(k, Value::Str(s) if s == key));
        if found.is_none() && items.len() >= SCAN_KEYS {
            let map = items
                .iter()
                .enumerate()
                .filter_map(|(j, (k, _))| match k {
                    Value::Str(s) => Some((s.clone(), j)),
                    _ => None,
                })
                .collect();
            self.map = Some(map);
        }
        found
    }

    /// Records a new key at position `j`.
    pub fn add(&mut self, key: &str, j: usize) {
        if let Some(map) = &mut self.map {
            map.insert(key.to_string(), j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_dicts_switch_to_the_map_and_keep_first_positions() {
        let mut items: Vec<(Value, Value)> = Vec::new();
        let mut keys = DictKeys::default();
        for round in 0..2 {
            for i in 0..40 {
                let key = format!("k{i}");
                match keys.find(&items, &key) {
                    Some(j) => items[j].1 = Value::Int(round),
                    None => {
                        keys.add(&key, items.len());
                        items.push((Value::Str(key), Value::Int(round)));
                    }
                }
            }
        }
        assert!(keys.map.is_some());
        assert_eq!(items.len(), 40);
        assert_eq!(items[7], (Value::Str("k7".into()), Value::Int(1)));
    }
}
