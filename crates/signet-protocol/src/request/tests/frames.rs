//! `dataframe_split` / `dataframe_records`: structure errors, pandas' column typing and MLflow's schema casts.

use super::*;

// dataframe_split / dataframe_records

#[test]
fn split_structure_errors() {
    let h = house();
    refusals(&[
        ("{\"dataframe_split\": [[1, \"x\"]]}", Some(&h), M, "Invalid input. Dataframe split format must be a dictionary. Got list."),
        ("{\"dataframe_split\": 5}", Some(&h), M, "Invalid input. Dataframe split format must be a dictionary. Got type <class 'int'>."),
        ("{\"dataframe_split\": {\"columns\": [\"a\"], \"data\": [[1]], \"foo\": 1}}", Some(&h), M, "Invalid input. Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got {'columns', 'data', 'foo'}.'"),
        ("{\"dataframe_split\": {\"columns\": [\"a\"]}}", Some(&h), M, "Invalid input. Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got {'columns'}.'"),
        ("{\"dataframe_split\": {\"columns\": [\"a\", \"b\"], \"data\": [[1, 2, 3]]}}", Some(&h), M, "Invalid input. Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: '2 columns passed, passed data had 3 columns'"),
        ("{\"dataframe_split\": {\"data\": [[1, 2], 3]}}", None, M, "Invalid input. Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: 'object of type 'int' has no len()'"),
    ]);
    assert!(err(
        "{\"dataframe_split\": {\"data\": [[1]], \"index\": [1, 2]}}",
        None,
        M
    )
    .contains("Error: 'Shape of passed values is (1, 1), indices imply (2, 1)'"));
    assert!(err("{\"dataframe_split\": {\"data\": 5}}", None, M)
        .contains("DataFrame constructor not properly called!"));
    // `data` before `columns`, an index, and ragged rows padded with None.
    let v = input("{\"dataframe_split\": {\"data\": [[1, 2], [3]], \"index\": [5, 6], \"columns\": [\"a\", \"b\"]}}", None, M);
    assert_eq!(
        column(&v, "b"),
        ("float64".into(), loads("[2.0, null]").unwrap())
    );
    let v = input("{\"dataframe_split\": {\"data\": [[\"x\"]]}}", None, M);
    assert_eq!(v, loads("{\"type\": \"dataframe\", \"columns\": [{\"name\": 0, \"dtype\": \"str\", \"values\": [\"x\"]}]}").unwrap());
    // Empty data with columns: a 0-row frame, cast by the schema.
    let v = input(
        "{\"dataframe_split\": {\"columns\": [\"sqft\"], \"data\": []}}",
        Some(&one("sqft", "long")),
        M,
    );
    assert_eq!(column(&v, "sqft"), ("int64".into(), Value::List(vec![])));
}

#[test]
fn records_structure_errors() {
    refusals(&[
        ("{\"dataframe_records\": {\"a\": 1}}", None, M, "Invalid input. Dataframe records format must be a list of records. Got dictionary."),
        ("{\"dataframe_records\": 5}", None, M, "Invalid input. Dataframe records format must be a list of records. Got type <class 'int'>."),
        ("{\"dataframe_records\": [{\"a\": 1}, [1]]}", None, M, "Invalid input. Provided dataframe_records field is not a valid dataframe representation in 'records' format. Error: ''list' object has no attribute 'keys''"),
    ]);
    let v = input(
        "{\"dataframe_records\": [{\"a\": 1}, {\"b\": \"x\", \"a\": 2, \"a\": 3}]}",
        None,
        M,
    );
    assert_columns(
        &v,
        &[("a", "int64", "[1, 3]"), ("b", "str", "[null, \"x\"]")],
    );
    let v = input("{\"dataframe_records\": [[1, \"x\"]]}", None, M);
    assert_eq!(
        v,
        loads("{\"type\": \"dataframe\", \"columns\": [{\"name\": 0, \"dtype\": \"int64\", \"values\": [1]}, {\"name\": 1, \"dtype\": \"str\", \"values\": [\"x\"]}]}").unwrap()
    );
}

#[test]
fn json_column_typing() {
    let cases = [
        ("[[1], [2]]", "int64", "[1, 2]"),
        (
            "[[9223372036854775808], [1]]",
            "uint64",
            "[9223372036854775808, 1]",
        ),
        (
            "[[-9223372036854775809]]",
            "object",
            "[-9223372036854775809]",
        ),
        ("[[1], [2.5]]", "float64", "[1.0, 2.5]"),
        ("[[1], [null]]", "float64", "[1.0, null]"),
        ("[[true], [false]]", "bool", "[true, false]"),
        ("[[true], [null]]", "object", "[true, null]"),
        ("[[true], [1]]", "object", "[true, 1]"),
        ("[[\"a\"], [null]]", "str", "[\"a\", null]"),
        ("[[\"a\"], [1]]", "object", "[\"a\", 1]"),
        ("[[null], [null]]", "object", "[null, null]"),
        ("[[[1, 2]], [{\"k\": 1}]]", "object", "[[1, 2], {\"k\": 1}]"),
    ];
    for (data, dtype, values) in cases {
        let v = input(
            &format!("{{\"dataframe_split\": {{\"columns\": [\"c\"], \"data\": {data}}}}}"),
            None,
            M,
        );
        assert_eq!(
            column(&v, "c"),
            (dtype.to_string(), loads(values).unwrap()),
            "{data}"
        );
    }
}

#[test]
fn one_cell_casts() {
    // (column type, cell, mode, pandas dtype, values)
    for (ty, cell, c, dtype, values) in [
        ("long", "\"1500\"", M, "int64", "[1500]"),
        ("long", "1500.5", M, "int64", "[1500]"),
        ("long", "true", M, "int64", "[1]"),
        ("long", "\"1500\"", S, "int64", "[1500]"),
        ("long", "1500.0", S, "int64", "[1500]"),
        ("boolean", "\"false\"", M, "bool", "[true]"),
        ("boolean", "\"abc\"", M, "bool", "[true]"),
        ("boolean", "null", M, "bool", "[false]"),
        ("boolean", "0", M, "bool", "[false]"),
        ("boolean", "[]", M, "bool", "[false]"),
        ("boolean", "true", S, "bool", "[true]"),
        (
            "datetime",
            "\"2020-01-01\"",
            M,
            "datetime64[ns]",
            "[\"2020-01-01T00:00:00.000000000\"]",
        ),
        (
            "datetime",
            "1500",
            M,
            "datetime64[ns]",
            "[\"1970-01-01T00:00:00.000001500\"]",
        ),
        ("datetime", "null", S, "datetime64[ns]", "[null]"),
    ] {
        let got = cast_one(&one("c", ty), "c", cell, c);
        let want = (dtype.to_string(), loads(values).unwrap());
        assert_eq!(got, want, "{ty} {cell} {c:?}");
    }
}

#[test]
fn long_cast_quirks() {
    let s = one("sqft", "long");
    assert_eq!(
        err(&split1("sqft", "1500.5"), Some(&s), S),
        "Invalid input. Column 'sqft' row 0: 1500.5 is not an integer; refusing a lossy conversion to long"
    );
    assert!(err(&split1("sqft", "true"), Some(&s), S)
        .contains("Column 'sqft' row 0: True is not an integer"));
    cast_refusals(
        &s,
        "sqft",
        "int64",
        &[
            ("null", "TypeError(\"int() argument must be a string, a bytes-like object or a real number, not 'NoneType'\")"),
            ("\"abc\"", "ValueError(\"invalid literal for int() with base 10: 'abc'\")"),
            ("[1500]", "TypeError(\"int() argument must be a string, a bytes-like object or a real number, not 'list'\")"),
        ],
    );
    let nan = cast_err("sqft", "int64", "IntCastingNaNError(\"Cannot convert non-finite values (NA or inf) to integer. Replace or remove non-finite values or cast to an integer type that supports these values (e.g. 'Int64')\")");
    assert_eq!(err(&split1("sqft", "NaN"), Some(&s), M), nan);
    let body = "{\"dataframe_split\": {\"columns\": [\"sqft\"], \"data\": [[1], [null]]}}";
    assert_eq!(err(body, Some(&s), M), nan);
    assert_eq!(
        err(body, Some(&s), S),
        nan,
        "strict keeps MLflow's own refusals"
    );
    let body = "{\"dataframe_records\": [{\"sqft\": 1}, {\"x\": 1}]}";
    assert_eq!(err(body, Some(&s), M), nan);
    // Mixed columns go through float64: big integers lose precision (MLflow), not in strict mode.
    let body =
        "{\"dataframe_split\": {\"columns\": [\"sqft\"], \"data\": [[9007199254740993], [1.0]]}}";
    assert_eq!(
        column(&input(body, Some(&s), M), "sqft").1,
        loads("[9007199254740992, 1]").unwrap()
    );
    assert_eq!(
        column(&input(body, Some(&s), S), "sqft").1,
        loads("[9007199254740993, 1]").unwrap()
    );
    // Integers >= 2**63 make a uint64 column, which wraps into int64.
    let body =
        "{\"dataframe_split\": {\"columns\": [\"sqft\"], \"data\": [[9223372036854775808]]}}";
    assert_eq!(
        column(&input(body, Some(&s), M), "sqft").1,
        loads("[-9223372036854775808]").unwrap()
    );
    assert!(err(body, Some(&s), S).contains("is out of range for long"));
}

#[test]
fn integer_cast_wraps() {
    let s = one("i", "integer");
    let body = split1("i", "3000000000");
    assert_eq!(
        column(&input(&body, Some(&s), M), "i"),
        ("int32".into(), loads("[-1294967296]").unwrap())
    );
    assert_eq!(
        err(&body, Some(&s), S),
        "Invalid input. Column 'i' row 0: 3000000000 is out of range for integer"
    );
    // An object column checks each Python int instead.
    let body = "{\"dataframe_split\": {\"columns\": [\"i\"], \"data\": [[3000000000], [\"1\"]]}}";
    assert_eq!(
        err(body, Some(&s), M),
        cast_err(
            "i",
            "int32",
            "OverflowError('Python integer 3000000000 out of bounds for int32')"
        )
    );
}

#[test]
fn boolean_cast_quirks() {
    let s = one("b", "boolean");
    // A NaN filler (missing record key) is truthy.
    let body = "{\"dataframe_records\": [{\"b\": true}, {\"x\": 1}]}";
    assert_eq!(
        column(&input(body, Some(&s), M), "b").1,
        loads("[true, true]").unwrap()
    );
    assert!(err(body, Some(&s), S).contains("Column 'b' row 1: nan is not a boolean"));
    for cell in ["\"false\"", "null", "1"] {
        assert!(
            err(&split1("b", cell), Some(&s), S).contains("is not a boolean"),
            "{cell}"
        );
    }
}

#[test]
fn float_casts() {
    let d = one("d", "double");
    let f = one("f", "float");
    let body = "{\"dataframe_split\": {\"columns\": [\"d\"], \"data\": [[NaN], [Infinity], [-Infinity], [\"2.5\"], [null]]}}";
    let v = input(body, Some(&d), M);
    assert_eq!(column(&v, "d").0, "float64");
    assert_eq!(cast_one(&d, "d", "true", M).1, loads("[1.0]").unwrap());
    assert!(err(&split1("d", "true"), Some(&d), S).contains("True is not a number"));
    assert!(err(&split1("d", "9007199254740993"), Some(&d), S)
        .contains("cannot be represented exactly as float64"));
    assert!(err(&split1("f", "1e39"), Some(&f), S).contains("overflows float32"));
    assert_eq!(
        cast_one(&f, "f", "0.1", M),
        ("float32".into(), loads("[0.10000000149011612]").unwrap())
    );
    cast_refusals(
        &d,
        "d",
        "float64",
        &[
            (
                "\"abc\"",
                "ValueError(\"could not convert string to float: 'abc'\")",
            ),
            (
                "{\"a\": 1}",
                "TypeError(\"float() argument must be a string or a real number, not 'dict'\")",
            ),
            (
                "[1]",
                "ValueError('setting an array element with a sequence.')",
            ),
        ],
    );
}

#[test]
fn string_and_binary_casts() {
    let s = one("c", "string");
    assert_eq!(
        cast_one(&s, "c", "1500", M),
        ("object".into(), loads("[1500]").unwrap())
    );
    assert_eq!(
        err(&split1("c", "1500"), Some(&s), S),
        "Invalid input. Column 'c' row 0: 1500 is not a string"
    );
    assert_eq!(
        cast_one(&s, "c", "null", S),
        ("object".into(), loads("[null]").unwrap())
    );
    // ints with a null become floats in an object column.
    let body = "{\"dataframe_split\": {\"columns\": [\"c\"], \"data\": [[1], [null]]}}";
    assert_eq!(
        column(&input(body, Some(&s), M), "c"),
        (
            "object".into(),
            loads("[1.0, {\"$float\": \"nan\"}]").unwrap()
        )
    );
    let b = one("c", "binary");
    assert_eq!(
        cast_one(&b, "c", "\"YWJj\"", M),
        ("bytes".into(), loads("[\"YWJj\"]").unwrap())
    );
    assert_eq!(
        cast_one(&b, "c", "\"YW Jj!\"", M).1,
        loads("[\"YWJj\"]").unwrap()
    );
    assert!(err(&split1("c", "\"YW Jj!\""), Some(&b), S).contains("is not valid base64"));
    cast_refusals(
        &b,
        "c",
        "<class 'object'>",
        &[
            ("1500", "TypeError('encoding without a string argument')"),
            ("\"aGVsbG8\"", "Error('Incorrect padding')"),
        ],
    );
}

#[test]
fn datetime_casts() {
    let s = one("dt", "datetime");
    assert!(err(&split1("dt", "1500"), Some(&s), S)
        .contains("Column 'dt' row 0: 1500 is a number, not a datetime"));
    assert!(err(&split1("dt", "1500.5"), Some(&s), S).contains("is a number, not a datetime"));
    cast_refusals(
        &s,
        "dt",
        "datetime64[ns]",
        &[
            (
                "true",
                "TypeError('dtype bool cannot be converted to datetime64[ns]')",
            ),
            (
                "\"abc\"",
                "DateParseError('Unknown datetime string format, unable to parse: abc')",
            ),
            (
                "\"1500\"",
                "OutOfBoundsDatetime('Out of bounds nanosecond timestamp: 1500-01-01 00:00:00')",
            ),
        ],
    );
    // A timezone-aware string makes a timezone-aware column (enforcement refuses it).
    let p = parse(&split1("dt", "\"2021-06-30T12:34:56+02:00\""), Some(&s), M).unwrap();
    let ModelInput::Table(t) = p.input else {
        panic!()
    };
    assert_eq!(
        signet::table::pandas_dtype(t.schema().field(0), t.column(0).as_ref()),
        "datetime64[ns, +02:00]"
    );
}

#[test]
fn composite_columns() {
    let arr = sig("[{\"type\": \"array\", \"items\": {\"type\": \"long\"}, \"name\": \"a\", \"required\": true}]");
    assert_eq!(
        cast_one(&arr, "a", "[1, 2]", M),
        ("object".into(), loads("[[1, 2]]").unwrap())
    );
    assert_eq!(
        err(&split1("a", "[1.5]"), Some(&arr), M),
        cast_err("a", "Array(long)", "MlflowException('Incompatible input types for column . Can not safely convert float64 to int64.')")
    );
    let strs = sig("[{\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"name\": \"a\", \"required\": true}]");
    assert_eq!(
        cast_one(&strs, "a", "[\"a\", null]", M).1,
        loads("[[\"a\", \"n\"]]").unwrap()
    );
    assert!(err(&split1("a", "[\"a\", null]"), Some(&strs), S)
        .contains("Array(string) item 1: None is not a string"));
    let obj = sig("[{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"long\", \"required\": true}}, \"name\": \"o\", \"required\": true}]");
    assert_eq!(
        err(&split1("o", "{\"x\": \"s\"}"), Some(&obj), M),
        cast_err("o", "{x: long (required)}", "MlflowException('Failed to enforce schema for key `x`. Expected type long, received type str')")
    );
}

#[test]
fn tensor_schema_split() {
    let s = sig(
        "[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1, 2]}}]",
    );
    let v = input(
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\"], \"data\": [[1, \"2.5\"]]}}",
        Some(&s),
        M,
    );
    assert_eq!(column(&v, "b"), ("float32".into(), loads("[2.5]").unwrap()));
    let n = sig("[{\"name\": \"a\", \"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float64\", \"shape\": [-1, 2]}}]");
    let v = input(
        "{\"dataframe_split\": {\"columns\": [\"a\"], \"data\": [[[1, 2]]]}}",
        Some(&n),
        M,
    );
    assert_eq!(
        column(&v, "a"),
        ("object".into(), loads("[[1, 2]]").unwrap()),
        "list cells are left for enforcement"
    );
}
