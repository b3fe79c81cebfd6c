//! Byte-exact serialisation and MLflow's parse errors.

use super::*;
use crate::repr::{param_schema_repr, schema_repr, signature_repr};
use crate::types::{
    ColSpec, ColType, DataType, NumpyDtype, ObjectType, ParamSchema, ParamShape, ParamSpec,
    ParamType, Property, Required, Schema, TensorSpec,
};
use chrono::NaiveDate;

const INPUTS: &str = r#"[{"type": "long", "name": "a", "required": true}, {"type": "string", "name": "b", "required": false}, {"type": "array", "items": {"type": "double"}, "name": "c", "required": true}, {"type": "object", "properties": {"x": {"type": "long", "required": false}, "y": {"type": "string", "required": true}}, "name": "d", "required": true}, {"type": "map", "values": {"type": "double"}, "name": "e", "required": true}, {"type": "any", "name": "f", "required": true}]"#;
const OUTPUTS: &str = r#"[{"name": "t", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]}}, {"name": "u", "type": "tensor", "tensor-spec": {"dtype": "str", "shape": [-1]}}]"#;
const PARAMS: &str = r#"[{"name": "p1", "default": 5, "shape": null, "type": "long"}, {"name": "p2", "default": [1.0, 2.0], "shape": [-1], "type": "double"}, {"name": "p3", "default": "2020-01-02T03:04:05", "shape": null, "type": "datetime"}, {"name": "p4", "default": "x", "shape": null, "type": "string"}, {"name": "p5", "default": true, "shape": null, "type": "boolean"}, {"name": "p6", "default": {"k": "v"}, "shape": null, "type": "object", "properties": {"k": {"type": "string", "required": true}}}]"#;

fn example_signature() -> ModelSignature {
    let object = ObjectType::new(vec![
        Property::new("y", DataType::String, true),
        Property::new("x", DataType::Long, false),
    ])
    .unwrap();
    let inputs = Schema::columns(vec![
        ColSpec::new("a", DataType::Long, true),
        ColSpec::new("b", DataType::String, false),
        ColSpec::new("c", ColType::Array(Box::new(DataType::Double.into())), true),
        ColSpec::new("d", ColType::Object(object), true),
        ColSpec::new("e", ColType::Map(Box::new(DataType::Double.into())), true),
        ColSpec::new("f", ColType::Any, true),
    ])
    .unwrap();
    let outputs = Schema::tensors(vec![
        TensorSpec::new(NumpyDtype::Float32, vec![-1, 3], Some("t".into())),
        TensorSpec::new(NumpyDtype::Str, vec![-1], Some("u".into())),
    ])
    .unwrap();
    let scalar = |name: &str, t, default| {
        ParamSpec::new(name, ParamType::Scalar(t), default, ParamShape::Scalar).unwrap()
    };
    let params = ParamSchema::new(vec![
        scalar("p1", DataType::Long, Value::Int(5)),
        // Integers are converted to floats for a double param.
        ParamSpec::new(
            "p2",
            ParamType::Scalar(DataType::Double),
            Value::List(vec![Value::Int(1), Value::Float(2.0)]),
            ParamShape::List,
        )
        .unwrap(),
        scalar("p3", DataType::Datetime, Value::str("2020-01-02T03:04:05")),
        scalar("p4", DataType::String, Value::str("x")),
        scalar("p5", DataType::Boolean, Value::Bool(true)),
        ParamSpec::new(
            "p6",
            ParamType::Object(
                ObjectType::new(vec![Property::new("k", DataType::String, true)]).unwrap(),
            ),
            Value::dict([("k", Value::str("v"))]),
            ParamShape::Scalar,
        )
        .unwrap(),
    ])
    .unwrap();
    ModelSignature::new(Some(inputs), Some(outputs), Some(params)).unwrap()
}

fn schema_err(text: &str) -> String {
    schema_from_json(text).unwrap_err().message().to_string()
}

fn params_err(text: &str) -> String {
    param_schema_from_json(text)
        .unwrap_err()
        .message()
        .to_string()
}

fn roundtrip(text: &str) -> String {
    schema_to_json(&schema_from_json(text).unwrap())
}

#[test]
fn signature_example_is_byte_exact() {
    let sig = example_signature();
    let d = signature_to_dict(&sig);
    assert_eq!(d.inputs.as_deref(), Some(INPUTS));
    assert_eq!(d.outputs.as_deref(), Some(OUTPUTS));
    assert_eq!(d.params.as_deref(), Some(PARAMS));
    let back = signature_from_dict(&d).unwrap().unwrap();
    assert_eq!(back, sig);
    assert_eq!(signature_to_dict(&back), d);
    let p3 = sig.params.as_ref().unwrap().get("p3").unwrap();
    assert_eq!(
        p3.default(),
        &Value::DateTime(
            NaiveDate::from_ymd_opt(2020, 1, 2)
                .unwrap()
                .and_hms_opt(3, 4, 5)
                .unwrap()
        )
    );
}

#[test]
fn reprs() {
    let sig = example_signature();
    assert_eq!(
        schema_repr(sig.inputs.as_ref().unwrap()),
        "['a': long (required), 'b': string (optional), 'c': Array(double) (required), \
         'd': {x: long (optional), y: string (required)} (required), \
         'e': Map(str -> DataType.double) (required), 'f': Any (required)]"
    );
    assert_eq!(
        schema_repr(sig.outputs.as_ref().unwrap()),
        "['t': Tensor('float32', (-1, 3)), 'u': Tensor('str', (-1,))]"
    );
    assert_eq!(
        param_schema_repr(sig.params.as_ref().unwrap()),
        "['p1': long (default: 5), 'p2': double (default: [1.0, 2.0]) (shape: (-1,)), \
         'p3': datetime (default: 2020-01-02 03:04:05), 'p4': string (default: x), \
         'p5': boolean (default: True), 'p6': {k: string (required)} (default: {'k': 'v'})]"
    );
    let s = schema_from_json(r#"[{"type": "long"}, {"type": "string"}]"#).unwrap();
    let sig = ModelSignature::new(Some(s), None, None).unwrap();
    assert_eq!(
        signature_repr(&sig),
        "inputs: \n  [long (required), string (required)]\noutputs: \n  None\nparams: \n  None\n"
    );
    let s = schema_from_json(
        r#"[{"type": "map", "values": {"type": "array", "items": {"type": "long"}}, "name": 0}]"#,
    )
    .unwrap();
    assert_eq!(schema_repr(&s), "[0: Map(str -> Array(long)) (optional)]");
}

#[test]
fn non_ascii_and_int_names() {
    assert_eq!(
        roundtrip(r#"[{"type": "long", "name": "café"}]"#),
        r#"[{"type": "long", "name": "caf\u00e9", "required": true}]"#
    );
    assert_eq!(
        roundtrip(r#"[{"name": 0, "type": "double", "required": true}]"#),
        r#"[{"type": "double", "name": 0, "required": true}]"#
    );
}

#[test]
fn required_flag_is_written_back_verbatim() {
    // Missing `required`: true for scalars, null for composite types.
    assert_eq!(
        roundtrip(
            r#"[{"name": "a", "type": "long"}, {"name": "b", "type": "array", "items": {"type": "string"}}, {"name": "c", "type": "any"}]"#
        ),
        r#"[{"type": "long", "name": "a", "required": true}, {"type": "array", "items": {"type": "string"}, "name": "b", "required": null}, {"type": "any", "name": "c", "required": null}]"#
    );
    assert_eq!(
        roundtrip(r#"[{"name": "a", "type": "long", "required": "no"}]"#),
        r#"[{"type": "long", "name": "a", "required": "no"}]"#
    );
    // Properties default to required.
    assert_eq!(
        roundtrip(
            r#"[{"type": "object", "properties": {"z": {"type": "long"}, "a": {"type": "string", "required": false}}, "name": "o", "required": true}]"#
        ),
        r#"[{"type": "object", "properties": {"a": {"type": "string", "required": false}, "z": {"type": "long", "required": true}}, "name": "o", "required": true}]"#
    );
    let s =
        schema_from_json(r#"[{"name": "b", "type": "map", "values": {"type": "long"}}]"#).unwrap();
    assert_eq!(s.col_specs().unwrap()[0].required, Required::Null);
    assert!(!s.col_specs().unwrap()[0].is_required());
}

#[test]
fn colspec_errors() {
    for (input, expected) in [
        (
            r#"[{"type": "long", "name": "a", "nullable": true}]"#,
            "ColSpec.__init__() got an unexpected keyword argument 'nullable'",
        ),
        (
            r#"[{"type": "int64", "name": "a"}]"#,
            "Unsupported type 'int64', expected instance of DataType or one of ['boolean', \
         'integer', 'long', 'float', 'double', 'string', 'binary', 'datetime']",
        ),
        (r#"[{"name": "a"}]"#, "'type'"),
        (
            r#"[{"type": 5, "name": "a"}]"#,
            "Expected mlflow.types.schema.Datatype, mlflow.types.schema.Array, \
         mlflow.types.schema.Object, mlflow.types.schema.Map, mlflow.types.schema.AnyType or \
         str for the 'type' argument, but got 5",
        ),
    ] {
        assert_eq!(schema_err(input), expected, "{input}");
    }
    // Extra keys of composite types are ignored.
    assert_eq!(
        roundtrip(r#"[{"type": "array", "items": {"type": "long"}, "extra": 1}]"#),
        r#"[{"type": "array", "items": {"type": "long"}, "required": null}]"#
    );
}

#[test]
fn composite_errors() {
    for (input, expected) in [
        (
            r#"[{"type": "array", "name": "a"}]"#,
            "Missing keys in Array JSON. Expected to find keys `items` and `type`",
        ),
        (
            r#"[{"type": "array", "items": "long"}]"#,
            "Expected items to be a dictionary of Object JSON",
        ),
        (
            r#"[{"type": "array", "items": {"name": "x"}}]"#,
            "Missing keys in Array's items JSON. Expected to find key `type`",
        ),
        (
            r#"[{"type": "array", "items": {"type": "int"}}]"#,
            "Unsupported type 'int', expected instance of DataType, Array, Object, Map or one of \
         ['boolean', 'integer', 'long', 'float', 'double', 'string', 'binary', 'datetime']",
        ),
        (
            r#"[{"type": "map", "items": {"type": "long"}}]"#,
            "Missing keys in Array JSON. Expected to find keys `items` and `type`",
        ),
        (
            r#"[{"type": "map", "values": {"items": 1}}]"#,
            "Missing keys in Map's items JSON. Expected to find key `type`",
        ),
        (
            r#"[{"type": "map", "values": {"type": "int"}}]"#,
            "Unsupported value type 'int', expected instance of DataType, Array, Object, Map or \
         one of ['boolean', 'integer', 'long', 'float', 'double', 'string', 'binary', \
         'datetime']",
        ),
        (
            r#"[{"type": "object", "properties": {}}]"#,
            "Creating Object with empty properties is not allowed.",
        ),
        (
            r#"[{"type": "object", "properties": {"a": 1}}]"#,
            "Expected properties to be a dictionary of Property JSON",
        ),
        (
            r#"[{"type": "object", "properties": {"a": {"required": true}}}]"#,
            "Missing keys in Property `a`. Expected to find key `type`",
        ),
        (
            r#"[{"type": "object"}]"#,
            "Missing keys in Object JSON. Expected to find keys `properties` and `type`",
        ),
    ] {
        assert_eq!(schema_err(input), expected, "{input}");
    }
}

#[test]
fn sparkml_vector_quirks() {
    for (input, expected) in [
        (
            r#"[{"type": "sparkml_vector", "name": "v", "required": true}]"#,
            r#"[{"type": "sparkml_vector", "name": "v", "required": true}]"#,
        ),
        // A sparkml_vector map value collapses the map into a bare vector.
        (
            r#"[{"type": "map", "values": {"type": "sparkml_vector"}, "name": "m"}]"#,
            r#"[{"type": "sparkml_vector", "name": "m", "required": null}]"#,
        ),
    ] {
        assert_eq!(roundtrip(input), expected, "{input}");
    }
    // A sparkml_vector property is not a Property.
    assert_eq!(
        schema_err(r#"[{"type": "object", "properties": {"v": {"type": "sparkml_vector"}}}]"#),
        "Expected values to be instance of Property"
    );
}

#[test]
fn tensor_specs() {
    for (input, expected) in [
        (
            r#"[{"type": "tensor", "tensor-spec": {"dtype": "float", "shape": [-1]}}]"#,
            r#"[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]"#,
        ),
        (
            r#"[{"type": "tensor", "tensor-spec": {"dtype": "<f4", "shape": [-1, 2]}, "name": "x"}, {"type": "tensor", "tensor-spec": {"dtype": "int", "shape": [3]}, "name": "y"}]"#,
            r#"[{"name": "x", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}, {"name": "y", "type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [3]}}]"#,
        ),
    ] {
        assert_eq!(roundtrip(input), expected, "{input}");
    }
    for (input, expected) in [
        (
            r#"[{"type": "tensor", "tensor-spec": {"dtype": "<U5", "shape": [-1]}}]"#,
            "MLflow does not support size information in flexible numpy data types. Use \
         np.dtype(\"str\") instead",
        ),
        (
            r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32"}}]"#,
            "Missing keys in TensorSpec JSON. Expected to find keys `dtype` and `shape`",
        ),
        (
            r#"[{"type": "tensor", "dtype": "float32", "shape": [-1]}]"#,
            "Missing keys in TensorSpec JSON. Expected to find keys `tensor-spec` and `type`",
        ),
        (
            r#"[{"type": "tensor", "tensor-spec": [1]}]"#,
            "mlflow.types.schema.TensorInfo.from_json_dict() argument after ** must be a \
         mapping, not list",
        ),
        (
            r#"[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": 3}}]"#,
            "'int' object is not iterable",
        ),
        (
            r#"[{"type": "tensor", "tensor-spec": {"dtype": "f33", "shape": [1]}}]"#,
            "data type 'f33' not understood",
        ),
    ] {
        assert_eq!(schema_err(input), expected, "{input}");
    }
}

#[test]
fn schema_rules() {
    for (input, expected) in [
        ("[]", "Creating Schema with empty inputs is not allowed."),
        (
            r#"[{"name": "x", "type": "double"}, {"type": "double"}]"#,
            "Creating Schema with a combination of named and unnamed inputs is not allowed. Got \
         input names ['x', None]",
        ),
        (
            r#"[{"name": "x", "type": "double"}, {"name": "t", "type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]"#,
            "Creating Schema with a combination of {0} and {1} is not supported. Please choose \
         one of ColSpec or TensorSpec",
        ),
        (
            r#"[{"type": "double", "required": false}]"#,
            "Creating Schema with unnamed optional inputs is not supported. Please name all \
         inputs or make all inputs required.",
        ),
    ] {
        assert_eq!(schema_err(input), expected, "{input}");
    }
    // Duplicate names are accepted.
    assert_eq!(
        roundtrip(r#"[{"name": "x", "type": "double"}, {"name": "x", "type": "long"}]"#),
        r#"[{"type": "double", "name": "x", "required": true}, {"type": "long", "name": "x", "required": true}]"#
    );
    for (input, expected) in [
        ("5", "'int' object is not iterable"),
        ("[5]", "'int' object is not subscriptable"),
        ("[\"a\"]", "string indices must be integers, not 'str'"),
        (
            "[{",
            "Expecting property name enclosed in double quotes: line 1 column 3 (char 2)",
        ),
    ] {
        assert_eq!(schema_err(input), expected, "{input}");
    }
}

#[test]
fn params_parsing() {
    // Legacy `dtype` key, omitted shape.
    let p = param_schema_from_json(r#"[{"name": "k", "dtype": "double", "default": 1}]"#).unwrap();
    assert_eq!(
        param_schema_to_json(&p),
        r#"[{"name": "k", "default": 1.0, "shape": null, "type": "double"}]"#
    );
    for (input, expected) in [
        (
            r#"[{"name": "k", "type": "long"}]"#,
            "Missing keys in ParamSpec JSON. Expected to find keys `name`, `type`(or `dtype`) and \
         `default`. Received keys: dict_keys(['name', 'type'])",
        ),
        (
            r#"[{"name": "k", "type": "long", "default": "five", "shape": null}]"#,
            "Failed to validate type and shape for 'k': long (default: five), error: Can not \
         safely convert `<class 'str'>` to `DataType.long` for value `five`",
        ),
        (r#"[{"name": "k", "type": "int", "default": 1}]"#, "'int'"),
        (
            r#"[{"name": "k", "type": "binary", "default": "x"}]"#,
            "Binary type is not supported for parameters, ParamSpec 'k'has dtype 'binary'",
        ),
        (
            r#"[{"name": "k", "type": "long", "default": 1, "shape": [2]}]"#,
            "Shape must be None for scalar or dictionary value, or (-1,) for 1D array value for \
         ParamSpec 'k': long (default: 1) (shape: (2,))), received (2,)",
        ),
        (
            r#"[{"name": "k", "type": "long", "default": 1, "shape": [-1]}]"#,
            "Value must be a 1D array with shape (-1,) for param 'k': long (default: 1) (shape: \
         (-1,)), received int with ndim 0",
        ),
        (
            r#"[{"name": "k", "type": "long", "default": 1}, {"name": "k", "type": "long", "default": 2}]"#,
            "Duplicated parameters found in schema: ['k']",
        ),
        (
            "[[1]]",
            "mlflow.types.schema.ParamSpec.from_json_dict() argument after ** must be a mapping, \
         not list",
        ),
    ] {
        assert_eq!(params_err(input), expected, "{input}");
    }
    // Datetime defaults: dates stay dates, datetimes are written in ISO form.
    let p = param_schema_from_json(
        r#"[{"name": "d", "type": "datetime", "default": "2020-01-02"}, {"name": "l", "type": "datetime", "default": ["2020-01-01 10:00:00.5"], "shape": [-1]}]"#,
    )
    .unwrap();
    assert_eq!(
        param_schema_to_json(&p),
        r#"[{"name": "d", "default": "2020-01-02", "shape": null, "type": "datetime"}, {"name": "l", "default": ["2020-01-01T10:00:00.500000"], "shape": [-1], "type": "datetime"}]"#
    );
    // NaN defaults are written as bare NaN; a name is converted to a string.
    let p = param_schema_from_json(r#"[{"name": 5, "type": "double", "default": NaN}]"#).unwrap();
    assert_eq!(
        param_schema_to_json(&p),
        r#"[{"name": "5", "default": NaN, "shape": null, "type": "double"}]"#
    );
    // An Object param keeps its default as given.
    let p = param_schema_from_json(
        r#"[{"name": "o", "type": "object", "properties": {"a": {"type": "double"}}, "default": {"a": 1}}]"#,
    )
    .unwrap();
    assert_eq!(
        param_schema_to_json(&p),
        r#"[{"name": "o", "default": {"a": 1}, "shape": null, "type": "object", "properties": {"a": {"type": "double", "required": true}}}]"#
    );
}

#[test]
fn signature_dict_parts() {
    // Missing, null and empty parts are absent; an empty params schema is written as null.
    let sig = signature_from_dict(&SignatureDict::from_texts(
        Some("[{\"type\": \"string\"}]"),
        Some(""),
        Some("[]"),
    ))
    .unwrap()
    .unwrap();
    assert!(sig.outputs.is_none());
    assert!(sig.params.as_ref().is_some_and(|p| p.is_empty()));
    assert_eq!(
        signature_to_dict(&sig),
        SignatureDict::from_texts(
            Some(r#"[{"type": "string", "required": true}]"#),
            None,
            None
        )
    );
    assert_eq!(
        signature_from_dict(&SignatureDict::from_texts(None, Some(""), None))
            .unwrap_err()
            .message(),
        "At least one of inputs, outputs or params must be provided"
    );
    assert_eq!(
        signature_from_value(&Value::dict([("inputs", Value::List(vec![Value::Int(1)]))]))
            .unwrap_err()
            .message(),
        "the JSON object must be str, bytes or bytearray, not list"
    );
}
