use super::*;
use crate::elem;
use crate::pyjson;
use crate::types::{ObjectType, Property};

fn value(json: &str) -> Value {
    elem::from_elem(&pyjson::loads(json).unwrap()).unwrap()
}

fn input(json: &str) -> ModelInput {
    elem::model_input_from_value(&pyjson::loads(json).unwrap()).unwrap()
}

fn inputs_json(data: &ModelInput) -> String {
    let sig = infer_signature(Some(data), None, None).unwrap();
    crate::signature_to_dict(&sig).inputs.unwrap()
}

fn df(dtype: &str, values: &str) -> ModelInput {
    input(&format!(
        r#"{{"type": "dataframe", "columns": [{{"name": "x", "dtype": "{dtype}", "values": {values}}}]}}"#
    ))
}

const ANY: &str = r#"[{"type": "any", "required": true}]"#;

#[test]
fn object_columns_are_reinferred_by_pandas_first() {
    let col = |t: &str, r: bool| format!(r#"[{{"type": "{t}", "name": "x", "required": {r}}}]"#);
    // ints + None become float64 before MLflow looks at them.
    assert_eq!(
        inputs_json(&df("object", "[1, null]")),
        col("double", false)
    );
    // mixed int/float: float64 (the list rule alone would fail).
    assert_eq!(inputs_json(&df("object", "[1, 2.5]")), col("double", true));
    // numpy int32 scalars become int64.
    assert_eq!(
        inputs_json(&df("object", r#"[{"$numpy": ["int32", 1]}]"#)),
        col("long", true)
    );
    // None + NaN: float64, while all-None stays object and is Any.
    assert_eq!(
        inputs_json(&df("object", r#"[null, {"$float": "nan"}]"#)),
        col("double", false)
    );
    assert_eq!(
        inputs_json(&df("object", "[null, null]")),
        col("any", false)
    );
    // bool + None stays object: the list rule gives boolean.
    assert_eq!(
        inputs_json(&df("object", "[true, null]")),
        col("boolean", false)
    );
    // Ints beyond int64 become uint64, which MLflow does not support.
    assert_eq!(inputs_json(&df("object", "[9223372036854775808]")), ANY);
    // bool + int stays object and the list rule fails.
    assert_eq!(inputs_json(&df("object", "[true, 1]")), ANY);
    // An empty object column falls back to string.
    assert_eq!(inputs_json(&df("object", "[]")), col("string", true));
    // Dates stay objects and are datetimes.
    assert_eq!(
        inputs_json(&df("object", r#"[{"$date": "2020-01-01"}]"#)),
        col("datetime", true)
    );
    // NaN in a str column is missing; an all-missing str column is Any.
    assert_eq!(
        inputs_json(&df("str", r#"["a", null]"#)),
        col("string", false)
    );
    assert_eq!(inputs_json(&df("str", "[null]")), col("any", false));
}

#[test]
fn unnamed_optional_series_falls_back() {
    let s = input(r#"{"type": "series", "name": null, "dtype": "float64", "values": [1.0, null]}"#);
    let got = infer_signature_with_warnings(Some(&s), None, None).unwrap();
    assert_eq!(
        crate::signature_to_dict(&got.signature).inputs.unwrap(),
        ANY
    );
    assert!(got.warnings[0].starts_with("Failed to infer schema for inputs."));
}

#[test]
fn tensors() {
    let t = input(r#"{"type": "ndarray", "dtype": "int64", "shape": [], "values": 7}"#);
    assert_eq!(inputs_json(&t), ANY);
    let t = input(r#"{"type": "ndarray", "dtype": "float32", "shape": [0, 3], "values": []}"#);
    assert_eq!(
        inputs_json(&t),
        r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]}}]"#
    );
}

#[test]
fn merging_keeps_mlflow_asymmetries() {
    let long = ColType::Scalar(DataType::Long);
    let arr = |t: ColType| ColType::Array(Box::new(t));
    assert_eq!(
        merge_types(&arr(long.clone()), &arr(ColType::Any))
            .unwrap_err()
            .to_string(),
        "Array types are incompatible for Array(long) with dtype=DataType.long and Array(Any) with dtype=Any"
    );
    assert_eq!(
        merge_types(&arr(ColType::Any), &arr(long.clone())).unwrap(),
        arr(long.clone())
    );
    assert_eq!(merge_types(&ColType::Any, &long).unwrap(), long);
    let obj = |props: Vec<Property>| ColType::Object(ObjectType::new(props).unwrap());
    let a = obj(vec![Property::new("a", long.clone(), true)]);
    let b = obj(vec![Property::new("b", DataType::String, true)]);
    assert_eq!(
        merge_types(&a, &b).unwrap(),
        obj(vec![
            Property::new("a", long.clone(), false),
            Property::new("b", DataType::String, false)
        ])
    );
    assert_eq!(
        merge_types(&a, &ColType::Any).unwrap(),
        obj(vec![Property::new("a", long.clone(), false)])
    );
    // A property typed `long` does not merge with one typed Any (but Any with long does).
    let any_a = obj(vec![Property::new("a", ColType::Any, false)]);
    assert_eq!(
        merge_types(&a, &any_a).unwrap_err().to_string(),
        "Properties are incompatible"
    );
    assert_eq!(
        merge_types(&any_a, &a).unwrap(),
        obj(vec![Property::new("a", long, false)])
    );
}

#[test]
fn value_types() {
    let t = |j: &str| infer_value_type(&value(j)).unwrap();
    assert_eq!(t("[]"), Some(ColType::Any));
    assert_eq!(t("[null]"), Some(ColType::Array(Box::new(ColType::Any))));
    let mixed = "Expected all values in the list to be of the same type. To specify a model signature with a list containing elements of multiple types, define the signature manually using the Array(AnyType()) type from mlflow.models.schema.";
    for j in [r#"[1, "a"]"#, r#"[[1], [null]]"#] {
        assert_eq!(
            infer_value_type(&value(j)).unwrap_err().to_string(),
            mixed,
            "{j}"
        );
    }
    assert!(infer_value_type(&value(r#"[[null], [1]]"#)).is_ok());
    assert_eq!(
        infer_value_type(&value(r#"{"$tuple": [1]}"#))
            .unwrap_err()
            .to_string(),
        "Data (1,) is not one of the supported DataType"
    );
}

#[test]
fn records_and_dicts() {
    let j = |s: &str| inputs_json(&ModelInput::Value(value(s)));
    assert_eq!(
        j(r#"[{"a": 1, "b": "x"}, {"a": 2}]"#),
        r#"[{"type": "long", "name": "a", "required": true}, {"type": "string", "name": "b", "required": false}]"#
    );
    assert_eq!(j(r#"[{"a": 1}, {"a": 1.5}]"#), ANY);
    assert_eq!(j(r#"{"$dict": [[1, "a"]]}"#), ANY);
    assert_eq!(
        j(r#"[{"$dict": [[1, "a"]]}]"#),
        r#"[{"type": "string", "name": 1, "required": true}]"#
    );
    assert_eq!(j("[]"), r#"[{"type": "string", "required": true}]"#);
    assert_eq!(
        j(r#"{"a": [1, null]}"#),
        r#"[{"type": "array", "items": {"type": "long"}, "name": "a", "required": false}]"#
    );
}

#[test]
fn signature_level_rules() {
    assert_eq!(
        infer_signature(None, None, None).unwrap_err().message(),
        "At least one of inputs, outputs or params must be provided"
    );
    assert_eq!(
        infer_signature(None, None, Some(&[]))
            .unwrap_err()
            .message(),
        "At least one of inputs, outputs or params must be provided"
    );
    let out = ModelInput::Value(Value::Int(3));
    let got = infer_signature_with_warnings(None, Some(&out), None).unwrap();
    assert_eq!(got.warnings, vec![INTEGER_COLUMNS_HINT.to_string()]);
}

/// Rows of the cases of docs/inference.md#dispatch and #pandas-columns that the corpus does not cover.
#[test]
fn spec_inference_table() {
    let cases: &[(&str, &str)] = &[
        // 16, 33: mixed objects fail.
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "object", "values": [1, "x"]}]}"#,
            ANY,
        ),
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "object", "values": [[1, "x"]]}]}"#,
            ANY,
        ),
        // 19, 21, 23, 25: nullable dtypes with missing values.
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "Int64", "values": [1, null]}]}"#,
            r#"[{"type": "long", "name": "a", "required": false}]"#,
        ),
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "boolean", "values": [true, null]}]}"#,
            r#"[{"type": "boolean", "name": "a", "required": false}]"#,
        ),
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "string", "values": ["x", null]}]}"#,
            r#"[{"type": "string", "name": "a", "required": false}]"#,
        ),
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "datetime64[ns]", "values": [null]}]}"#,
            r#"[{"type": "datetime", "name": "a", "required": false}]"#,
        ),
        // 26: tz-aware datetimes.
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "datetime64[ns, UTC]", "values": ["2020-01-01T00:00:00.000000000"]}]}"#,
            r#"[{"type": "datetime", "name": "a", "required": true}]"#,
        ),
        // 31, 32, 34: list columns.
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "object", "values": [[1, 2], [3]]}]}"#,
            r#"[{"type": "array", "items": {"type": "long"}, "name": "a", "required": true}]"#,
        ),
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "object", "values": [[1, 2], null]}]}"#,
            r#"[{"type": "array", "items": {"type": "long"}, "name": "a", "required": false}]"#,
        ),
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "object", "values": [[[1.5]]]}]}"#,
            r#"[{"type": "array", "items": {"type": "array", "items": {"type": "double"}}, "name": "a", "required": true}]"#,
        ),
        // 35, 36: dict columns.
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "object", "values": [{"k": 1}, {"k": 2, "j": "s"}]}]}"#,
            r#"[{"type": "object", "properties": {"j": {"type": "string", "required": false}, "k": {"type": "long", "required": true}}, "name": "a", "required": true}]"#,
        ),
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "object", "values": [{"k": 1}, null]}]}"#,
            r#"[{"type": "object", "properties": {"k": {"type": "long", "required": false}}, "name": "a", "required": false}]"#,
        ),
        // 37: a column of numpy arrays.
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "object", "values": [{"$ndarray": {"type": "ndarray", "dtype": "int64", "shape": [2], "values": [1, 2]}}]}]}"#,
            r#"[{"type": "array", "items": {"type": "long"}, "name": "a", "required": true}]"#,
        ),
        // 39: zero rows.
        (
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "int64", "values": []}]}"#,
            r#"[{"type": "long", "name": "a", "required": true}]"#,
        ),
        // A frame without columns cannot make a schema.
        (r#"{"type": "dataframe", "columns": []}"#, ANY),
        // 61, 62, 64, 65.
        (
            r#"{"type": "json", "value": {"a": {"$ndarray": {"type": "ndarray", "dtype": "int64", "shape": [1], "values": [1]}}, "b": 1}}"#,
            r#"[{"type": "array", "items": {"type": "long"}, "name": "a", "required": true}, {"type": "long", "name": "b", "required": true}]"#,
        ),
        (
            r#"{"type": "json", "value": {"a": {"$numpy": ["float32", 1.0]}}}"#,
            r#"[{"type": "float", "name": "a", "required": true}]"#,
        ),
        (
            r#"{"type": "json", "value": {"msgs": [{"role": "u", "content": "hi"}, {"role": "a", "content": "yo", "extra": 1}]}}"#,
            r#"[{"type": "array", "items": {"type": "object", "properties": {"content": {"type": "string", "required": true}, "extra": {"type": "long", "required": false}, "role": {"type": "string", "required": true}}}, "name": "msgs", "required": true}]"#,
        ),
        // 70, 71.
        (
            r#"{"type": "json", "value": [{"a": {"x": 1}}, {"a": {"y": "s"}}]}"#,
            r#"[{"type": "object", "properties": {"x": {"type": "long", "required": false}, "y": {"type": "string", "required": false}}, "name": "a", "required": true}]"#,
        ),
        (
            r#"{"type": "json", "value": [{"a": null}, {"a": null}]}"#,
            r#"[{"type": "any", "name": "a", "required": false}]"#,
        ),
        // 74, 75, 78, 79, 81, 83.
        (
            r#"{"type": "json", "value": ["a", null]}"#,
            r#"[{"type": "string", "required": true}]"#,
        ),
        (r#"{"type": "json", "value": [1, 2.5]}"#, ANY),
        (r#"{"type": "json", "value": [null]}"#, ANY),
        (
            r#"{"type": "json", "value": {"$bytes": "eHg="}}"#,
            r#"[{"type": "binary", "required": true}]"#,
        ),
        (
            r#"{"type": "json", "value": {"$numpy": ["int32", 3]}}"#,
            r#"[{"type": "integer", "required": true}]"#,
        ),
        (
            r#"{"type": "json", "value": {"$numpy": ["int16", 3]}}"#,
            ANY,
        ),
        (r#"{"type": "json", "value": {"$tuple": [1, 2]}}"#, ANY),
        (
            r#"{"type": "json", "value": {"$timestamp": "2020-01-01T00:00:00"}}"#,
            r#"[{"type": "datetime", "required": true}]"#,
        ),
        // 2-D float arrays: a row of NaNs after a typed row cannot merge.
        (
            r#"{"type": "json", "value": [{"$ndarray": {"type": "ndarray", "dtype": "float64", "shape": [2, 1], "values": [[1.0], [null]]}}]}"#,
            ANY,
        ),
        (
            r#"{"type": "json", "value": [{"$ndarray": {"type": "ndarray", "dtype": "float64", "shape": [2, 1], "values": [[null], [1.0]]}}]}"#,
            r#"[{"type": "array", "items": {"type": "array", "items": {"type": "double"}}, "required": true}]"#,
        ),
    ];
    for (data, want) in cases {
        assert_eq!(&inputs_json(&input(data)), want, "input {data}");
    }
}

#[test]
fn arrow_native_columns() {
    use arrow_array::builder::{Int64Builder, ListBuilder};
    use arrow_array::types::Int32Type;
    use arrow_array::{ArrayRef, DictionaryArray, DurationSecondArray, RecordBatch};
    use arrow_schema::{Field, Schema as ArrowSchema};
    use std::sync::Arc;
    let one = |array: ArrayRef| {
        let field = Field::new("a", array.data_type().clone(), true);
        let batch =
            RecordBatch::try_new(Arc::new(ArrowSchema::new(vec![field])), vec![array]).unwrap();
        inputs_json(&ModelInput::Table(batch))
    };
    let cats: DictionaryArray<Int32Type> = vec!["x", "y", "x"].into_iter().collect();
    assert_eq!(
        one(Arc::new(cats)),
        r#"[{"type": "string", "name": "a", "required": true}]"#
    );
    let cats: DictionaryArray<Int32Type> = vec![Some("x"), None].into_iter().collect();
    assert_eq!(
        one(Arc::new(cats)),
        r#"[{"type": "string", "name": "a", "required": false}]"#
    );
    assert_eq!(one(Arc::new(DurationSecondArray::from(vec![1]))), ANY);
    let mut lists = ListBuilder::new(Int64Builder::new());
    lists.values().append_value(1);
    lists.values().append_value(2);
    lists.append(true);
    lists.append(false);
    assert_eq!(
        one(Arc::new(lists.finish())),
        r#"[{"type": "array", "items": {"type": "long"}, "name": "a", "required": false}]"#
    );
}

#[test]
fn sparse_matrices() {
    use crate::input::{SparseMatrix, Tensor, TensorData};
    use arrow_array::Float64Array;
    use std::sync::Arc;
    let m = ModelInput::Sparse(SparseMatrix {
        csr: true,
        data: Tensor {
            dtype: NumpyDtype::Float64,
            shape: vec![2],
            data: TensorData::Arrow(Arc::new(Float64Array::from(vec![1.0, 2.0]))),
        },
        shape: (2, 2),
    });
    assert_eq!(
        inputs_json(&m),
        r#"[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 2]}}]"#
    );
}

#[test]
fn params_table() {
    let p = |json: &str| -> Result<String, String> {
        let params = vec![("p".to_string(), value(json))];
        infer_signature(None, None, Some(&params))
            .map(|s| crate::signature_to_dict(&s).params.unwrap())
            .map_err(|e| e.message().to_string())
    };
    assert_eq!(
        p("[1, 2.5]").unwrap(),
        r#"[{"name": "p", "default": [1.0, 2.5], "shape": [-1], "type": "double"}]"#
    );
    assert_eq!(
        p(r#"{"a": 1, "b": "x"}"#).unwrap(),
        r#"[{"name": "p", "default": {"a": 1, "b": "x"}, "shape": null, "type": "object", "properties": {"a": {"type": "long", "required": true}, "b": {"type": "string", "required": true}}}]"#
    );
    assert_eq!(
        p(r#"{"$date": "2023-06-01"}"#).unwrap(),
        r#"[{"name": "p", "default": "2023-06-01", "shape": null, "type": "datetime"}]"#
    );
    assert_eq!(
        p(r#"{"$bytes": "eA=="}"#).unwrap_err(),
        "Failed to infer schema for parameters: [('p', b'x', MlflowException(\"Binary type is not supported for parameters, ParamSpec 'p'has dtype 'binary'\"))]"
    );
    assert_eq!(
        p("{}").unwrap_err(),
        "Failed to infer schema for parameters: [('p', {}, MlflowException(\"'dtype' must be DataType, Object or str, got Any\"))]"
    );
    assert_eq!(
        p(r#"{"$ndarray": {"type": "ndarray", "dtype": "object", "shape": [1], "values": [null]}}"#)
            .unwrap_err(),
        "Failed to infer schema for parameters: [('p', array([None], dtype=object), Exception('Can not infer object without looking at the values, call _map_numpy_array instead.'))]"
    );
}
