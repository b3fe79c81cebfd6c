//! `inputs` / `instances`: formats, element conversions, the length check, composite specs.

use super::*;

// inputs / instances

#[test]
fn inputs_formats() {
    let h = house();
    let v = input(
        "{\"inputs\": {\"sqft\": [1, 2], \"bedrooms\": [\"3\", 4.7]}}",
        Some(&h),
        M,
    );
    assert_eq!(
        v,
        loads("{\"type\": \"tensor_dict\", \"arrays\": {\"sqft\": {\"type\": \"ndarray\", \"dtype\": \"int64\", \"shape\": [2], \"values\": [1, 2]}, \"bedrooms\": {\"type\": \"ndarray\", \"dtype\": \"int64\", \"shape\": [2], \"values\": [3, 4]}}}").unwrap()
    );
    assert!(err(
        "{\"inputs\": {\"sqft\": [1.5], \"bedrooms\": [1]}}",
        Some(&h),
        S
    )
    .contains("1.5 is not an integer; refusing a lossy conversion to long"));
    refusals(&[
        ("{\"inputs\": {\"sqft\": [\"abc\"]}}", Some(&h), M, "Invalid input. invalid literal for int() with base 10: 'abc'"),
        ("{\"inputs\": [[1, \"x\"]]}", Some(&sig("[{\"type\": \"long\", \"required\": true}, {\"type\": \"string\", \"required\": true}]")), M, "Invalid input. invalid literal for int() with base 10: 'x'"),
    ]);
    // A scalar against a named schema becomes a numpy scalar (enforcement reports column 0).
    let v = input("{\"inputs\": 5}", Some(&h), M);
    assert_eq!(
        v,
        loads("{\"type\": \"json\", \"value\": {\"$numpy\": [\"int64\", 5]}}").unwrap()
    );
    let unnamed = sig("[{\"type\": \"long\", \"required\": true}]");
    assert_eq!(
        err("{\"inputs\": {\"a\": [1]}}", Some(&unnamed), M),
        "Invalid input. Failed to parse input data. This model contains an un-named  model signature which expects a single n-dimensional array or a single value as input, however, an input of type <class 'dict'> was found."
    );
    assert!(err("{\"inputs\": null}", Some(&unnamed), M)
        .ends_with("an input of type <class 'NoneType'> was found."));
    refusals(&[
        ("{\"inputs\": \"abc\"}", Some(&unnamed), M, "Invalid input. Failed to convert data `abc` to type `long (required)` defined in the model signature."),
        ("{\"inputs\": 1.5}", Some(&unnamed), S, "Invalid input. Failed to convert data `1.5` to type `long (required)` defined in the model signature: 1.5 is not an integer; refusing a lossy conversion to long"),
        ("{\"inputs\": {\"sqft\": [1, 1.5], \"bedrooms\": [1, 2]}}", Some(&h), S, "Invalid input. Column 'sqft' row 1: 1.5 is not an integer; refusing a lossy conversion to long"),
        ("{\"instances\": [{\"sqft\": 1, \"bedrooms\": 1}, {\"sqft\": 2.5, \"bedrooms\": 1}]}", Some(&h), S, "Invalid input. Column 'sqft' row 1: 2.5 is not an integer; refusing a lossy conversion to long"),
    ]);
    // Single named spec: a list binds to it.
    let v = input("{\"inputs\": [1, 2]}", Some(&one("a", "long")), M);
    assert_eq!(v.get("type"), Some(&Value::str("tensor_dict")));
}

#[test]
fn inputs_element_quirks() {
    for (ty, cells, values, strict_cells, refusal) in [
        ("string", "[null, 5]", "[\"None\", \"5\"]", "[null]", "None is not a string"),
        ("boolean", "[\"false\", null, 0]", "[true, false, false]", "[\"false\"]", "is not a boolean"),
        ("datetime", "[1500, \"1500\", \"\", true]", "[\"1970-01-01T00:00:00.000001500\", \"2084-07-20T23:34:33.709551616\", null, \"1970-01-01T00:00:00.000000001\"]", "[\"1500\"]", "refusing"),
        ("binary", "[\"abc\", 5]", "[\"YWJj\", \"NQ==\"]", "[5]", "5 is not a string"),
    ] {
        // Column `c` of type `ty`: what MLflow makes of `cells`; strict mode refuses `strict_cells`.
        let s = one("c", ty);
        let body = |cells: &str| format!("{{\"inputs\": {{\"c\": {cells}}}}}");
        let v = input(&body(cells), Some(&s), M);
        assert_eq!(tensor_values(&v, "c"), Some(&loads(values).unwrap()), "{ty}");
        let e = err(&body(strict_cells), Some(&s), S);
        assert!(e.contains(refusal), "{ty}: {e}");
    }
    let dt = one("dt", "datetime");
    refusals(&[
        (
            "{\"inputs\": {\"dt\": [1.5]}}",
            Some(&dt),
            M,
            "Invalid input. Could not convert object to NumPy datetime",
        ),
        (
            "{\"inputs\": {\"dt\": [\"abc\"]}}",
            Some(&dt),
            M,
            "Invalid input. Error parsing datetime string \"abc\" at position 0",
        ),
    ]);
    for cell in ["1500", "\"1500\"", "\"\""] {
        assert!(
            err(
                &format!("{{\"inputs\": {{\"dt\": [{cell}]}}}}"),
                Some(&dt),
                S
            )
            .contains("refusing"),
            "{cell}"
        );
    }
    let i = one("i", "integer");
    refusals(&[
        ("{\"inputs\": {\"i\": [3000000000]}}", Some(&i), M, "Invalid input. Python integer 3000000000 out of bounds for int32"),
        ("{\"inputs\": {\"i\": [null]}}", Some(&i), M, "Invalid input. int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"),
    ]);
}

#[test]
fn inputs_without_schema() {
    let v = input("{\"inputs\": [1, \"a\"]}", None, M);
    assert_eq!(v, loads("{\"type\": \"ndarray\", \"dtype\": \"str\", \"shape\": [2], \"values\": [\"1\", \"a\"]}").unwrap());
    assert!(
        err("{\"inputs\": [1, \"a\"]}", None, S).contains("refusing to turn the numbers into text")
    );
    let v = input("{\"inputs\": [true, 2]}", None, M);
    assert_eq!(v.get("dtype"), Some(&Value::str("int64")));
    assert!(
        err("{\"inputs\": [true, 2]}", None, S).contains("refusing to read booleans as numbers")
    );
    assert_eq!(
        err("{\"inputs\": [[1, 2], [3]]}", None, M),
        "Invalid input. setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part."
    );
    let v = input("{\"inputs\": \"hello\"}", None, M);
    assert_eq!(
        v,
        loads("{\"type\": \"ndarray\", \"dtype\": \"str\", \"shape\": [], \"values\": \"hello\"}")
            .unwrap()
    );
}

#[test]
fn instances_format() {
    let h = house();
    refusals(&[
        ("{\"instances\": {\"sqft\": [1, 2], \"bedrooms\": [1]}}", Some(&h), M, "Invalid input. The length of values for each input/column name are not the same"),
        ("{\"instances\": [{\"sqft\": 1, \"bedrooms\": 3}, {\"sqft\": 2}]}", Some(&h), M, "Invalid input. The length of values for each input/column name are not the same"),
        ("{\"instances\": [{\"sqft\": 1}, [1]]}", Some(&h), M, "Invalid input. Ensure that the input is a valid JSON-formatted string.\nError: AttributeError(\"'list' object has no attribute 'items'\")"),
    ]);
    let v = input(
        "{\"instances\": [{\"sqft\": 1500.5, \"bedrooms\": \"3\"}]}",
        Some(&h),
        M,
    );
    assert_eq!(tensor_values(&v, "sqft"), Some(&loads("[1500]").unwrap()));
    let arr = sig("[{\"type\": \"array\", \"items\": {\"type\": \"long\"}, \"name\": \"a\", \"required\": true}]");
    let v = input("{\"instances\": [{\"a\": [1, 2]}]}", Some(&arr), M);
    assert_eq!(
        v.get("arrays")
            .and_then(|a| a.get("a"))
            .and_then(|c| c.get("shape")),
        Some(&loads("[1, 2]").unwrap())
    );
}

#[test]
fn composite_inputs() {
    let m = sig("[{\"type\": \"map\", \"values\": {\"type\": \"double\"}, \"name\": \"m\", \"required\": true}]");
    assert_eq!(
        err("{\"inputs\": {\"m\": {\"k\": 5}}}", Some(&m), M),
        "Invalid input. Failed to enforce schema of data `5` with dtype `double`"
    );
    let arr = sig("[{\"type\": \"array\", \"items\": {\"type\": \"long\"}, \"name\": \"a\", \"required\": true}, {\"type\": \"any\", \"name\": \"z\", \"required\": true}]");
    assert_eq!(
        err("{\"inputs\": {\"a\": 1, \"z\": 1}}", Some(&arr), M),
        "Invalid input. Expected data to be list or numpy array, got int"
    );
    let v = input(
        "{\"inputs\": {\"a\": [1, 2], \"z\": [\"q\"]}}",
        Some(&arr),
        M,
    );
    assert_eq!(
        v.get("type"),
        Some(&Value::str("json")),
        "an Any value stays a plain value"
    );
}
