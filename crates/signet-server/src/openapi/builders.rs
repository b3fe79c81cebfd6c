//! Small constructors of the document's JSON values (schemas, references, responses) and the
//! `components/schemas` collector.

use signet::Value;

/// A dict of these entries, in order.
pub(super) fn obj<const N: usize>(items: [(&str, Value); N]) -> Value {
    Value::dict(items)
}

/// A string value.
pub(super) fn s(text: impl Into<String>) -> Value {
    Value::str(text)
}

/// A list of strings.
pub(super) fn strs<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Value {
    Value::List(items.into_iter().map(|x| Value::Str(x.into())).collect())
}

/// A `$ref` to the schema `name` in `components/schemas`.
pub(super) fn reference(name: &str) -> Value {
    obj([("$ref", s(format!("#/components/schemas/{name}")))])
}

/// An array of `items`.
pub(super) fn array_of(items: Value) -> Value {
    obj([("type", s("array")), ("items", items)])
}

/// Any of these schemas (the schema itself when there is one).
pub(super) fn any_of(items: Vec<Value>) -> Value {
    if items.len() == 1 {
        return items.into_iter().next().unwrap_or(Value::Dict(Vec::new()));
    }
    obj([("anyOf", Value::List(items))])
}

/// Sets `key` in a dict value (appending it when new).
pub(super) fn set(target: &mut Value, key: &str, value: Value) {
    if let Value::Dict(items) = target {
        if let Some(slot) = items
            .iter_mut()
            .find(|(k, _)| matches!(k, Value::Str(x) if x == key))
        {
            slot.1 = value;
        } else {
            items.push((Value::str(key), value));
        }
    }
}

/// `schema` with a `description`.
pub(super) fn described(mut schema: Value, description: impl Into<String>) -> Value {
    set(&mut schema, "description", s(description));
    schema
}

/// A tag object.
pub(super) fn tag(name: &str, description: &str) -> Value {
    obj([("name", s(name)), ("description", s(description))])
}

/// `dataframe_split` → `DataframeSplit`.
pub(super) fn pascal(key: &str) -> String {
    key.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `components/schemas`, in insertion order.
#[derive(Default)]
pub(super) struct Components {
    pub(super) schemas: Vec<(String, Value)>,
}

impl Components {
    /// Appends the schema `name`.
    pub(super) fn add(&mut self, name: &str, schema: Value) {
        self.schemas.push((name.to_string(), schema));
    }
}

/// A content map: each media type with its schema.
pub(super) fn content<const N: usize>(media: [(&str, Value); N]) -> Value {
    Value::dict(media.map(|(media_type, schema)| (media_type, obj([("schema", schema)]))))
}

/// An `application/json` content map with this schema.
pub(super) fn json_content(schema: Value) -> Value {
    content([("application/json", schema)])
}

/// A `text/plain` content map with this schema.
pub(super) fn text_content(schema: Value) -> Value {
    content([("text/plain", schema)])
}

/// A path item with one operation: `method`, tagged `tag`, with its `operationId` and
/// `summary`, then the `rest` of its fields in order (description, parameters, requestBody,
/// responses).
pub(super) fn operation<'a>(
    method: &str,
    tag: &str,
    id: &str,
    summary: &str,
    rest: impl IntoIterator<Item = (&'a str, Value)>,
) -> Value {
    let mut op = obj([
        ("tags", strs([tag])),
        ("operationId", s(id)),
        ("summary", s(summary)),
    ]);
    for (key, value) in rest {
        set(&mut op, key, value);
    }
    obj([(method, op)])
}

/// A response object.
pub(super) fn response(description: &str, content: Value) -> Value {
    obj([("description", s(description)), ("content", content)])
}

/// `{"type": "string"}`.
pub(super) fn string() -> Value {
    obj([("type", s("string"))])
}

/// A string that is always `value`.
pub(super) fn string_const(value: &str) -> Value {
    obj([("type", s("string")), ("const", s(value))])
}

/// An object schema with these `properties`, of which `required` are required (the key is left
/// out when none are).
pub(super) fn object<const N: usize>(properties: [(&str, Value); N], required: &[&str]) -> Value {
    let mut schema = obj([("type", s("object")), ("properties", obj(properties))]);
    if !required.is_empty() {
        set(&mut schema, "required", strs(required.iter().copied()));
    }
    schema
}
