//! Property tests of the JSON form: any signature serialises and parses back to an equal value
//! (re-serialising to the same text), and parsing arbitrary input never panics.

use chrono::NaiveDate;
use proptest::prelude::*;
use signet::json_form::{schema_from_json, schema_to_json};
use signet::pyjson::dumps;
use signet::{
    signature_from_dict, signature_to_dict, ColSpec, ColType, ColumnName, DataType, ModelSignature,
    NumpyDtype, ObjectType, ParamSchema, ParamShape, ParamSpec, ParamType, Property, Required,
    Schema, SignatureDict, TensorSpec, TimeUnit, Value,
};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    }
}

fn datatype() -> impl Strategy<Value = DataType> {
    prop::sample::select(DataType::ALL.to_vec())
}

/// Names: mostly short identifiers, sometimes arbitrary text (quotes, escapes, non-ASCII).
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z_][a-z0-9_]{0,6}",
        1 => any::<String>(),
    ]
}

fn required() -> impl Strategy<Value = Required> {
    prop_oneof![
        4 => Just(Required::Yes),
        3 => Just(Required::No),
        1 => Just(Required::Null),
        1 => "[a-z]{0,3}".prop_map(|s| Required::Other(Value::Str(s))),
    ]
}

/// Column types MLflow round-trips. Two MLflow quirks are avoided: a `sparkml_vector` map
/// value collapses the map, and a `sparkml_vector` property is refused.
fn coltype() -> impl Strategy<Value = ColType> {
    let leaf = prop_oneof![
        6 => datatype().prop_map(ColType::Scalar),
        1 => Just(ColType::Any),
        1 => Just(ColType::SparkMLVector),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        let no_vector = inner
            .clone()
            .prop_filter("sparkml_vector does not round-trip here", |t| {
                *t != ColType::SparkMLVector
            });
        prop_oneof![
            inner.prop_map(|t| ColType::Array(Box::new(t))),
            no_vector.clone().prop_map(|t| ColType::Map(Box::new(t))),
            prop::collection::btree_map(name(), (no_vector, required()), 1..4).prop_map(|props| {
                let props = props
                    .into_iter()
                    .map(|(name, (ty, required))| Property { name, ty, required })
                    .collect();
                ColType::Object(ObjectType::new(props).expect("non-empty, unique"))
            }),
        ]
    })
}

fn column_name() -> impl Strategy<Value = ColumnName> {
    prop_oneof![
        4 => name().prop_map(ColumnName::Str),
        1 => any::<i64>().prop_map(ColumnName::Int),
    ]
}

fn column_schema() -> impl Strategy<Value = Schema> {
    let named =
        prop::collection::vec((column_name(), coltype(), required()), 1..5).prop_map(|cols| {
            cols.into_iter()
                .map(|(name, ty, required)| ColSpec {
                    ty,
                    name: Some(name),
                    required,
                })
                .collect::<Vec<_>>()
        });
    let unnamed = prop::collection::vec(coltype(), 1..4)
        .prop_map(|tys| tys.into_iter().map(ColSpec::unnamed).collect::<Vec<_>>());
    prop_oneof![3 => named, 1 => unnamed]
        .prop_map(|cols| Schema::columns(cols).expect("valid schema"))
}

fn numpy_dtype() -> impl Strategy<Value = NumpyDtype> {
    use NumpyDtype as N;
    prop::sample::select(vec![
        N::Bool,
        N::Int8,
        N::Int16,
        N::Int32,
        N::Int64,
        N::UInt8,
        N::UInt16,
        N::UInt32,
        N::UInt64,
        N::Float16,
        N::Float32,
        N::Float64,
        N::Complex64,
        N::Complex128,
        N::Str,
        N::Bytes,
        N::Object,
        N::Datetime64(TimeUnit::Nano),
        N::Datetime64(TimeUnit::Day),
        N::Datetime64(TimeUnit::Generic),
        N::Timedelta64(TimeUnit::Second),
    ])
}

fn tensor_schema() -> impl Strategy<Value = Schema> {
    let shape = prop::collection::vec(prop_oneof![Just(-1i64), 0i64..300], 0..4);
    let named =
        prop::collection::vec((name(), numpy_dtype(), shape.clone()), 1..4).prop_map(|ts| {
            ts.into_iter()
                .map(|(n, d, s)| TensorSpec::new(d, s, Some(n)))
                .collect::<Vec<_>>()
        });
    let unnamed = (numpy_dtype(), shape).prop_map(|(d, s)| vec![TensorSpec::new(d, s, None)]);
    prop_oneof![named, unnamed].prop_map(|ts| Schema::tensors(ts).expect("valid schema"))
}

fn schema() -> impl Strategy<Value = Schema> {
    prop_oneof![3 => column_schema(), 1 => tensor_schema()]
}

fn finite_float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("finite", |f| f.is_finite()),
        (-1000i32..1000).prop_map(|i| i as f64 / 8.0),
    ]
}

fn datetime_value() -> impl Strategy<Value = Value> {
    (
        1i32..=9999,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        0u32..60,
        0u32..1_000_000,
        any::<bool>(),
    )
        .prop_map(|(y, mo, d, h, mi, s, us, is_date)| {
            let date = NaiveDate::from_ymd_opt(y, mo, d).expect("valid date");
            if is_date {
                Value::Date(date)
            } else {
                Value::DateTime(date.and_hms_micro_opt(h, mi, s, us).expect("valid time"))
            }
        })
}

/// A value valid for a scalar param type.
fn scalar_value(t: DataType) -> BoxedStrategy<Value> {
    let v: BoxedStrategy<Value> = match t {
        DataType::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
        DataType::Integer | DataType::Long => {
            any::<i64>().prop_map(|i| Value::Int(i as i128)).boxed()
        }
        DataType::Float | DataType::Double => finite_float().prop_map(Value::Float).boxed(),
        DataType::String | DataType::Binary => any::<String>().prop_map(Value::Str).boxed(),
        DataType::Datetime => datetime_value().boxed(),
    };
    prop_oneof![9 => v, 1 => Just(Value::None)].boxed()
}

fn param_datatype() -> impl Strategy<Value = DataType> {
    datatype().prop_filter("binary params are refused", |t| *t != DataType::Binary)
}

fn param_spec(name: String) -> BoxedStrategy<ParamSpec> {
    let scalar = (param_datatype(), any::<bool>())
        .prop_flat_map(|(t, list)| {
            let default = if list {
                prop::collection::vec(scalar_value(t), 0..4)
                    .prop_map(Value::List)
                    .boxed()
            } else {
                scalar_value(t)
            };
            (Just(t), Just(list), default)
        })
        .prop_map({
            let name = name.clone();
            move |(t, list, default)| {
                let shape = if list {
                    ParamShape::List
                } else {
                    ParamShape::Scalar
                };
                ParamSpec::new(name.clone(), ParamType::Scalar(t), default, shape)
                    .expect("valid default")
            }
        });
    let object_props = prop::collection::btree_map(
        "[a-z]{1,4}",
        prop::sample::select(vec![
            DataType::Long,
            DataType::String,
            DataType::Boolean,
            DataType::Double,
        ]),
        1..4,
    );
    let object = object_props
        .prop_flat_map(|props| {
            let values: Vec<BoxedStrategy<(String, Value)>> = props
                .iter()
                .map(|(k, t)| {
                    let k = k.clone();
                    let v: BoxedStrategy<Value> = match t {
                        DataType::Long => any::<i64>().prop_map(|i| Value::Int(i as i128)).boxed(),
                        DataType::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
                        DataType::Double => finite_float().prop_map(Value::Float).boxed(),
                        _ => "[a-z ]{0,5}".prop_map(Value::Str).boxed(),
                    };
                    v.prop_map(move |v| (k.clone(), v)).boxed()
                })
                .collect();
            (Just(props), values)
        })
        .prop_map(move |(props, values)| {
            let obj = ObjectType::new(
                props
                    .into_iter()
                    .map(|(k, t)| Property::new(k, t, true))
                    .collect(),
            )
            .expect("non-empty");
            ParamSpec::new(
                name.clone(),
                ParamType::Object(obj),
                Value::dict(values),
                ParamShape::Scalar,
            )
            .expect("valid object default")
        });
    prop_oneof![4 => scalar, 1 => object].boxed()
}

fn param_schema() -> impl Strategy<Value = ParamSchema> {
    prop::collection::btree_set(name(), 1..5)
        .prop_flat_map(|names| {
            names
                .into_iter()
                .map(param_spec)
                .collect::<Vec<BoxedStrategy<ParamSpec>>>()
        })
        .prop_map(|specs| ParamSchema::new(specs).expect("unique names"))
}

fn signature() -> impl Strategy<Value = ModelSignature> {
    (
        prop::option::of(schema()),
        prop::option::of(schema()),
        prop::option::of(param_schema()),
    )
        .prop_filter("at least one part", |(i, o, p)| {
            i.is_some() || o.is_some() || p.is_some()
        })
        .prop_map(|(i, o, p)| ModelSignature::new(i, o, p).expect("one part present"))
}

/// Arbitrary JSON built from the vocabulary of signatures, to reach deep into the parser.
fn json_like() -> impl Strategy<Value = Value> {
    let words = prop::sample::select(vec![
        "type",
        "name",
        "required",
        "items",
        "values",
        "properties",
        "tensor-spec",
        "dtype",
        "shape",
        "default",
        "long",
        "double",
        "string",
        "datetime",
        "binary",
        "array",
        "object",
        "map",
        "any",
        "sparkml_vector",
        "tensor",
        "float32",
        "<U5",
        "str",
        "",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(Value::None),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..3).prop_map(|i| Value::Int(i as i128)),
        prop_oneof![Just(-1.0), Just(0.5), Just(f64::NAN)].prop_map(Value::Float),
        words.clone().prop_map(Value::str),
        "2020-0[1-9]-0[1-9]( 1[0-9]:00(:00(\\.[0-9]{1,10})?)?)?".prop_map(Value::Str),
    ];
    leaf.prop_recursive(5, 48, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
            prop::collection::vec((words.clone(), inner), 0..5)
                .prop_map(|kv| { Value::dict(kv.into_iter().map(|(k, v)| (k.to_string(), v))) }),
        ]
    })
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn signatures_round_trip(sig in signature()) {
        let dict = signature_to_dict(&sig);
        let back = signature_from_dict(&dict)
            .map_err(|e| TestCaseError::fail(format!("{e} in {dict:?}")))?
            .expect("a signature");
        prop_assert_eq!(&back, &sig);
        prop_assert_eq!(signature_to_dict(&back), dict);
    }

    #[test]
    fn schemas_round_trip(s in schema()) {
        let text = schema_to_json(&s);
        prop_assert!(text.is_ascii());
        let back = schema_from_json(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(schema_to_json(&back), text);
        prop_assert_eq!(back, s);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn parsing_arbitrary_text_never_panics(text in any::<String>(), bytes in any::<Vec<u8>>()) {
        let lossy = String::from_utf8_lossy(&bytes).into_owned();
        for t in [text, lossy] {
            let d = SignatureDict { inputs: Some(t.clone()), outputs: Some(t.clone()), params: None };
            let _ = signature_from_dict(&d);
            let d = SignatureDict { inputs: None, outputs: None, params: Some(t) };
            let _ = signature_from_dict(&d);
        }
    }

    #[test]
    fn parsing_arbitrary_json_never_panics(v in json_like()) {
        let text = dumps(&v);
        let wrapped = dumps(&Value::List(vec![v]));
        for t in [&text, &wrapped] {
            let d = SignatureDict { inputs: Some(t.clone()), outputs: None, params: Some(t.clone()) };
            if let Ok(Some(sig)) = signature_from_dict(&d) {
                // Whatever parses must serialise and parse again.
                let again = signature_to_dict(&sig);
                let _ = signature_from_dict(&again);
            }
            let d = SignatureDict { inputs: None, outputs: None, params: Some(t.clone()) };
            let _ = signature_from_dict(&d);
        }
    }
}
