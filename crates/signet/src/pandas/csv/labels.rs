//! Column labels as pandas' C parser makes them from a header row
//! (`pandas.io.parsers.base_parser.ParserBase._maybe_dedup_names` and `Unnamed` naming).

use std::collections::{HashMap, HashSet};

/// The labels of a header row: an empty cell becomes `Unnamed: <i>`; a repeated label `a`
/// becomes `a.1`, `a.2`, ..., skipping labels the header already has (named columns are
/// de-duplicated first, unnamed ones last).
pub fn header_labels<'a>(header: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut unnamed = Vec::new();
    for (i, h) in header.into_iter().enumerate() {
        if h.is_empty() {
            names.push(format!("Unnamed: {i}"));
            unnamed.push(i);
        } else {
            names.push(h.to_string());
        }
    }
    let unnamed_set: HashSet<usize> = unnamed.iter().copied().collect();
    let order: Vec<usize> = (0..names.len())
        .filter(|i| !unnamed_set.contains(i))
        .chain(unnamed.iter().copied())
        .collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for i in order {
        let old = names[i].clone();
        let mut col = old.clone();
        let mut cur = counts.get(&col).copied().unwrap_or(0);
        while cur > 0 {
            counts.insert(old.clone(), cur + 1);
            col = format!("{old}.{cur}");
            if names.contains(&col) {
                cur += 1;
            } else {
                cur = counts.get(&col).copied().unwrap_or(0);
            }
        }
        names[i] = col.clone();
        counts.insert(col, cur + 1);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_pandas() {
        // Recorded from pandas 3.1.1 (`pd.read_csv(...).columns`).
        let cases: &[(&[&str], &[&str])] = &[
            (
                &["a", "", "a", "a.1", "a"],
                &["a", "Unnamed: 1", "a.2", "a.1", "a.3"],
            ),
            (&["a", "a", "a"], &["a", "a.1", "a.2"]),
            (&["a", "a.1", "a"], &["a", "a.1", "a.2"]),
            (&["", ""], &["Unnamed: 0", "Unnamed: 1"]),
            (&["x", "y"], &["x", "y"]),
        ];
        for (header, want) in cases {
            assert_eq!(header_labels(header.iter().copied()), *want, "{header:?}");
        }
    }
}
