//! skops files built in memory, for the tests of the skops reader and of the `sklearn` flavor:
//! the zip with its members and `schema.json`, and `.npy` members.

use std::io::Write;
pub use zip::CompressionMethod;

/// A skops archive: each of `members` (name, bytes), then `schema` as `schema.json`, every
/// entry compressed with `method`.
pub fn archive(schema: &str, members: &[(&str, Vec<u8>)], method: CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    let schema = ("schema.json", schema.as_bytes());
    for (name, bytes) in members
        .iter()
        .map(|(n, b)| (*n, b.as_slice()))
        .chain([schema])
    {
        w.start_file(name, opts).expect("a zip entry in memory");
        w.write_all(bytes).expect("a zip entry in memory");
    }
    w.finish().expect("a zip in memory").into_inner()
}

/// A `.npy` file (format 1.0): `descr` as the header writes it (quoted, or a list of fields),
/// C or Fortran order, `shape` as a Python tuple (`(2, 3)`), then `body`.
pub fn npy(descr: &str, fortran: bool, shape: &str, body: &[u8]) -> Vec<u8> {
    let fortran = if fortran { "True" } else { "False" };
    let header = format!("{{'descr': {descr}, 'fortran_order': {fortran}, 'shape': {shape}, }}\n");
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(body);
    out
}

/// float64 values as the body of a `'<f8'` array.
pub fn f64_bytes(v: &[f64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
