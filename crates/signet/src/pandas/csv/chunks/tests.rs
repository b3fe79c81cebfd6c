use super::*;

/// The records of `text` read block by block: cut every `block` bytes (at the last line end
/// before), scanned speculatively, put in order by a [`Joiner`] as `signet check` does.
fn by_blocks(text: &[u8], block: usize) -> Result<Vec<Vec<String>>, Stop> {
    let mut blocks = Vec::new();
    let mut rest = text;
    loop {
        let take = block.min(rest.len());
        let cut = if take == rest.len() {
            take
        } else {
            cut_point(&rest[..take]).unwrap_or(take)
        };
        blocks.push(rest[..cut].to_vec());
        rest = &rest[cut..];
        if rest.is_empty() {
            break;
        }
    }
    let last = blocks.len() - 1;
    // Every block scanned on its own first, as the workers do.
    let mut fields = Vec::new();
    let speculative: Vec<Result<Collected, Stop>> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| collect(b, i == last, &mut fields))
        .collect();
    let mut joiner = Joiner::default();
    let mut out = Vec::new();
    for ((i, block), guess) in blocks.into_iter().enumerate().zip(speculative) {
        let (bytes, holds) = joiner.join(block);
        let (scanned, records) = if holds {
            guess?
        } else {
            collect(&bytes, i == last, &mut fields)?
        };
        joiner.ended(&bytes, scanned.end);
        assert_eq!(scanned.rows, records.len());
        out.extend(records);
    }
    assert_eq!(joiner.carried(), 0, "the last block ends every record");
    Ok(out)
}

type Collected = (Scanned, Vec<Vec<String>>);

fn collect(block: &[u8], at_eof: bool, fields: &mut Vec<Range<usize>>) -> Result<Collected, Stop> {
    let mut records = Vec::new();
    let mut scratch = Vec::new();
    let scanned = scan(block, at_eof, fields, |bytes, fields| {
        let record = fields
            .iter()
            .map(|f| {
                let text = field_text(&bytes[f.clone()], &mut scratch);
                String::from_utf8(text.to_vec()).unwrap()
            })
            .collect();
        records.push(record);
        true
    })?;
    Ok((scanned, records))
}

/// The sequential tokenizer's records.
fn sequential(text: &[u8]) -> Result<Vec<Vec<String>>, CsvError> {
    Records::new(text).map(|r| r.map(|r| r.fields)).collect()
}

/// Every block size from 1 byte to the whole text gives the sequential tokenizer's records.
fn agrees(text: &str) {
    let want = sequential(text.as_bytes()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    for block in 1..=text.len().max(1) {
        let got = by_blocks(text.as_bytes(), block)
            .unwrap_or_else(|e| panic!("{text:?} in blocks of {block}: {e:?}"));
        assert_eq!(got, want, "{text:?} in blocks of {block}");
    }
}

#[test]
fn blocks_read_as_the_sequential_tokenizer_reads() {
    for text in [
        "a,b\n1,2\n3,4\n",
        "a,b\n1,2\n3,4",
        // quoted newlines, across every possible cut
        "a,b\n\"x\ny\",2\n\"p\n\nq\",\"r\ns\"\n5,6\n",
        "a\n\"\n\n\n\"\n\"\n\"\n",
        // CRLF and lone CR line ends, in and out of quotes
        "a,b\r\n1,2\r\n\"x\r\ny\",3\r\n",
        "a,b\r1,2\r3,4\r",
        // empty and blank lines
        "a,b\n\n\n1,2\n  \n\t\n3,4\n\n",
        "\n\na\n1\n",
        // doubled quotes, text after the closing quote, quotes inside unquoted fields
        "a,b\n\"x\"\"y\",\"\"\n\"x\"y,z\"w\"\n\"\"\"\",1\n",
        "a\n\"\"\n",
        // short and wide rows (the tokenizer does not judge widths)
        "a,b,c\n1\n1,2,3,4\n,,\n",
    ] {
        agrees(text);
    }
}

#[test]
fn an_unterminated_quote_in_a_later_block_stops_the_scan() {
    let text = "a,b\n1,2\n3,4\n5,6\n7,\"8\n9,10\n";
    assert!(sequential(text.as_bytes()).is_err());
    for block in 1..=text.len() {
        assert_eq!(
            by_blocks(text.as_bytes(), block),
            Err(Stop::UnterminatedQuote),
            "blocks of {block}"
        );
    }
    // Closed at the very end of the data: not an error.
    agrees("a\n1\n\"2\n3\"");
}

#[test]
fn invalid_utf8_stops_the_scan() {
    let text = b"a,b\n1,\xff\n";
    assert!(sequential(text).is_err());
    assert_eq!(by_blocks(text, 64), Err(Stop::InvalidUtf8));
}

#[test]
fn a_refused_record_stops_the_scan() {
    let mut fields = Vec::new();
    let got = scan(b"a\n1\n2\n", true, &mut fields, |_, _| false);
    assert_eq!(got, Err(Stop::Refused));
}

#[test]
fn the_layout_skips_the_bom_and_the_header() {
    let text = "\u{feff}a,,a\r\n1,2,3\n";
    let found = layout(text.as_bytes()).unwrap();
    assert_eq!(found.labels, ["a", "Unnamed: 1", "a.1"]);
    assert_eq!(found.data_start, 3 + "a,,a\r".len() as u64);
    assert_eq!(found.index_fields, 0);
    // The `\n` of the header's `\r\n` is left: a blank line, skipped.
    let rows = by_blocks(&text.as_bytes()[found.data_start as usize..], 4).unwrap();
    assert_eq!(rows, [["1", "2", "3"]]);
    // A first row wider than the header: pandas' implicit index.
    let wide = layout("a,b\nk,1,2\nl,3,4\n".as_bytes()).unwrap();
    assert_eq!(wide.index_fields, 1);
    assert_eq!(layout("".as_bytes()), Err(CsvError::Empty));
    let header_only = layout("a,b\n".as_bytes()).unwrap();
    assert_eq!((header_only.data_start, header_only.index_fields), (4, 0));
}

#[test]
fn fields_are_read_without_their_quotes() {
    let mut scratch = Vec::new();
    for (raw, want) in [
        ("abc", "abc"),
        ("\"abc\"", "abc"),
        ("\"a\"\"b\"", "a\"b"),
        ("\"a\"b", "ab"),
        ("\"a\"b\"c", "ab\"c"),
        ("\"\"", ""),
        ("x\"y\"", "x\"y\""),
    ] {
        let got = field_text(raw.as_bytes(), &mut scratch).to_vec();
        assert_eq!(String::from_utf8(got).unwrap(), want, "{raw:?}");
    }
}
