//! Writes a large house-price data file for memory checks of `signet check`
//! (`scripts/check_memory.sh`), in bounded memory.
//!
//! ```sh
//! cargo run --release -p signet-cli --example gen_house_data -- OUT.(parquet|csv|jsonl) SIZE_MB [BAD_EVERY]
//! ```
//!
//! Columns: `sqft` (int64, 500..5500), `bedrooms` (int64, 1..6) and `city` (text). With
//! `BAD_EVERY` = N, every N-th row has a missing `bedrooms` (a violation of `bedrooms: long`).
//! Parquet is written uncompressed and without dictionary encoding, so the file size is about
//! the data size.

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::io::{BufWriter, Write};
use std::sync::Arc;

const CITIES: &[&str] = &[
    "Springfield",
    "Shelbyville",
    "Ogdenville",
    "North Haverbrook",
    "Capital City",
    "Brockway",
    "Cypress Creek",
    "Waverly Hills",
];

use signet_testkit::workloads::Rng;

struct Rows {
    sqft: Vec<i64>,
    bedrooms: Vec<Option<i64>>,
    city: Vec<String>,
}

fn rows(rng: &mut Rng, start: u64, n: usize, bad_every: u64) -> Rows {
    let mut r = Rows {
        sqft: Vec::with_capacity(n),
        bedrooms: Vec::with_capacity(n),
        city: Vec::with_capacity(n),
    };
    for i in 0..n as u64 {
        let row = start + i + 1;
        r.sqft.push(500 + (rng.next_u64() % 5000) as i64);
        let missing = row.checked_rem(bad_every) == Some(0);
        r.bedrooms
            .push((!missing).then(|| 1 + (rng.next_u64() % 6) as i64));
        let city = CITIES[(rng.next_u64() % CITIES.len() as u64) as usize];
        r.city.push(format!("{city} {}", rng.next_u64() % 1000));
    }
    r
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(size_mb)) = (args.first(), args.get(1)) else {
        eprintln!("usage: gen_house_data OUT.(parquet|csv|jsonl) SIZE_MB [BAD_EVERY]");
        std::process::exit(2);
    };
    let target: u64 = size_mb.parse::<u64>()? << 20;
    let bad_every: u64 = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(0);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let chunk = 65_536;
    let mut written_rows = 0u64;
    if out.ends_with(".parquet") {
        let file = std::fs::File::create(out)?;
        let props = WriterProperties::builder()
            .set_compression(Compression::UNCOMPRESSED)
            .set_dictionary_enabled(false)
            .set_max_row_group_size(1 << 20)
            .build();
        let schema = Arc::new(arrow_schema::Schema::new(vec![
            arrow_schema::Field::new("sqft", arrow_schema::DataType::Int64, false),
            arrow_schema::Field::new("bedrooms", arrow_schema::DataType::Int64, true),
            arrow_schema::Field::new("city", arrow_schema::DataType::Utf8, false),
        ]));
        let mut writer = ArrowWriter::try_new(file, schema.clone(), Some(props))?;
        while writer.bytes_written() as u64 + writer.in_progress_size() as u64 <= target {
            let r = rows(&mut rng, written_rows, chunk, bad_every);
            let columns: Vec<ArrayRef> = vec![
                Arc::new(Int64Array::from(r.sqft)),
                Arc::new(Int64Array::from(r.bedrooms)),
                Arc::new(StringArray::from(r.city)),
            ];
            writer.write(&RecordBatch::try_new(schema.clone(), columns)?)?;
            written_rows += chunk as u64;
        }
        writer.close()?;
    } else {
        let jsonl = out.ends_with(".jsonl");
        let mut w = BufWriter::new(std::fs::File::create(out)?);
        let mut bytes = 0u64;
        if !jsonl {
            bytes += w.write(b"sqft,bedrooms,city\n")? as u64;
        }
        while bytes <= target {
            let r = rows(&mut rng, written_rows, chunk, bad_every);
            for i in 0..chunk {
                let line = match (jsonl, r.bedrooms[i]) {
                    (false, b) => format!(
                        "{},{},{}\n",
                        r.sqft[i],
                        b.map(|b| b.to_string()).unwrap_or_default(),
                        r.city[i]
                    ),
                    (true, b) => format!(
                        "{{\"sqft\": {}, \"bedrooms\": {}, \"city\": \"{}\"}}\n",
                        r.sqft[i],
                        b.map(|b| b.to_string()).unwrap_or_else(|| "null".into()),
                        r.city[i]
                    ),
                };
                w.write_all(line.as_bytes())?;
                bytes += line.len() as u64;
            }
            written_rows += chunk as u64;
        }
        w.flush()?;
    }
    eprintln!("wrote {written_rows} rows to {out}");
    Ok(())
}
