use super::*;
use crate::input::TensorData;
use crate::pyjson;
use crate::types::{NumpyDtype, TimeUnit};
use crate::value::Value;

#[test]
fn base64_round_trip() {
    for data in [&b""[..], b"a", b"ab", b"abc", b"\x00\x01\xff hello"] {
        let text = base64_encode(data);
        assert_eq!(base64_decode(&text).unwrap(), data);
    }
    assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
}

#[test]
fn elem_round_trip() {
    let text = r#"[1, 1.5, {"$float": "nan"}, {"$bytes": "AAE="}, {"$date": "2023-06-26"}, {"$datetime": "2023-06-26T12:00:00.5"}, {"$datetime64": "2023-06-26"}, {"$nat": true}, {"$numpy": ["int32", 5]}, {"$tuple": [1, "a"]}, {"$dict": [[1, "a"]]}, {"a": [null]}]"#;
    let v = decode(text).unwrap();
    let Value::List(items) = &v else { panic!() };
    assert!(matches!(items[2], Value::Float(f) if f.is_nan()));
    assert_eq!(items[3], Value::Bytes(vec![0, 1]));
    assert!(matches!(items[6], Value::Datetime64(_, TimeUnit::Day)));
    assert_eq!(
        items[8],
        Value::Numpy(NumpyDtype::Int32, Box::new(Value::Int(5)))
    );
    assert_eq!(decode(&encode(&v)).unwrap().type_name(), "list");
    assert_eq!(encode(&items[4]), r#"{"$date": "2023-06-26"}"#);
    assert_eq!(
        encode(&Value::dict([("$x", Value::Int(1))])),
        r#"{"$dict": [["$x", 1]]}"#
    );
}

#[test]
fn ndarray_values() {
    let v = pyjson::loads(
        r#"{"type": "ndarray", "dtype": "object", "shape": [2], "values": [[1, 2, 3], [4, 5]]}"#,
    )
    .unwrap();
    let t = tensor_from_value(&v).unwrap();
    assert_eq!(t.shape, vec![2]);
    assert!(matches!(&t.data, TensorData::Object(v) if v.len() == 2));
    let v =
        pyjson::loads(r#"{"type": "ndarray", "dtype": "float32", "shape": [0, 3], "values": []}"#)
            .unwrap();
    let t = tensor_from_value(&v).unwrap();
    assert_eq!(t.len(), 0);
    let v = pyjson::loads(
        r#"{"type": "ndarray", "dtype": "datetime64[D]", "shape": [2], "values": ["2021-01-01", "2021-01-02"]}"#,
    )
    .unwrap();
    let t = tensor_from_value(&v).unwrap();
    assert_eq!(pyjson::dumps(&tensor_to_value(&t)), pyjson::dumps(&v));
}

#[test]
fn values_round_trip() {
    for text in [
        r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "int64", "values": [1, 2]}, {"name": 0, "dtype": "object", "values": [{"$bytes": "AAE="}, null]}, {"name": "c", "dtype": "datetime64[ms]", "values": ["2020-01-01T00:00:00.500", null]}, {"name": "d", "dtype": "Int32", "values": [1, null]}, {"name": "e", "dtype": "float32", "values": [1.5, null]}, {"name": "f", "dtype": "object", "values": [1, "x"]}, {"name": "g", "dtype": "string", "values": ["x", null]}]}"#,
        r#"{"type": "series", "name": null, "dtype": "bytes", "values": ["AAE=", null]}"#,
        r#"{"type": "tensor_dict", "arrays": {"a": {"type": "ndarray", "dtype": "str", "shape": [1], "values": ["x"]}}}"#,
        r#"{"type": "json", "value": {"a": [{"$float": "nan"}, {"$numpy": ["int32", 5]}]}}"#,
    ] {
        let v = pyjson::loads(text).unwrap();
        let back = model_input_to_value(&model_input_from_value(&v).unwrap());
        let want = text.replace(
            r#""name": 0, "dtype": "object""#,
            r#""name": 0, "dtype": "bytes""#,
        );
        let want = want.replace(r#"[{"$bytes": "AAE="}, null]"#, r#"["AAE=", null]"#);
        assert_eq!(pyjson::dumps(&back), want);
    }
}
