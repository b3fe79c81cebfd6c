//! What pyarrow's `Table.to_pandas()` gives for the batches of a Parquet or Arrow file, in
//! signet's conventions.

use super::{column_label, PANDAS_DTYPE_KEY};
use crate::types::ColumnName;
use crate::value::Value;
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType as ArrowType, Field};
use std::collections::HashMap;
use std::sync::Arc;

/// pandas dtypes that the Arrow type alone does not restore from a file's `pandas` metadata.
const RESTORED_DTYPES: &[&str] = &[
    "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Float32", "Float64",
    "boolean", "string", "object",
];

/// What pyarrow's `Table.to_pandas()` gives for the record batches of a Parquet or Arrow file,
/// decided once from the file's Arrow schema and applied to each batch read with it
/// ([`PandasPlan::apply`]). In signet's conventions: index columns (named in the schema's
/// `pandas` metadata) dropped, pandas' extension dtypes restored from that metadata's
/// `numpy_type`, and otherwise integers with nulls as float64 and booleans with nulls as
/// `object` (decided per batch). Columns already carrying [`PANDAS_DTYPE_KEY`] are kept.
///
/// [`pandas_view`] is the plan of a batch's own schema applied to it.
#[derive(Clone, Debug)]
pub struct PandasPlan {
    /// pandas' index columns, by field name (dropped).
    index_columns: std::collections::HashSet<String>,
    /// pandas dtypes to restore, by field name.
    restored: HashMap<String, String>,
    /// The DataFrame's columns: each field's index in the schema and its label.
    columns: Vec<(usize, ColumnName)>,
}

impl PandasPlan {
    /// The plan for batches with this Arrow schema (as read from a Parquet or Arrow file,
    /// pandas' metadata included). When that metadata has several entries for one field name,
    /// the last one decides the dtype to restore.
    pub fn new(schema: &arrow_schema::Schema) -> PandasPlan {
        let pandas = schema
            .metadata()
            .get("pandas")
            .and_then(|t| crate::pyjson::loads(t).ok());
        let index_columns: std::collections::HashSet<String> =
            match pandas.as_ref().and_then(|p| p.get("index_columns")) {
                Some(Value::List(items)) => items
                    .iter()
                    .filter_map(|v| match v {
                        Value::Str(s) => Some(s.clone()),
                        _ => None, // RangeIndex descriptors
                    })
                    .collect(),
                _ => Default::default(),
            };
        let mut restored = HashMap::new();
        if let Some(Value::List(cols)) = pandas.as_ref().and_then(|p| p.get("columns")) {
            for c in cols {
                if let (Some(Value::Str(f)), Some(Value::Str(t))) =
                    (c.get("field_name"), c.get("numpy_type"))
                {
                    if RESTORED_DTYPES.contains(&t.as_str()) {
                        restored.insert(f.clone(), t.clone());
                    } else {
                        restored.remove(f);
                    }
                }
            }
        }
        let columns = schema
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| !index_columns.contains(f.name()))
            .map(|(i, f)| (i, column_label(f)))
            .collect();
        PandasPlan {
            index_columns,
            restored,
            columns,
        }
    }

    /// The DataFrame's columns, in order: for each field of the schema that is not an index
    /// column, its index in the schema and its pandas label ([`column_label`]).
    pub fn columns(&self) -> &[(usize, ColumnName)] {
        &self.columns
    }

    /// A batch as pandas shows it. The batch may hold only some of the schema's fields (a
    /// projection); fields are matched by name. The batch's schema metadata is kept.
    pub fn apply(
        &self,
        batch: arrow_array::RecordBatch,
    ) -> Result<arrow_array::RecordBatch, arrow_schema::ArrowError> {
        let schema = batch.schema();
        let mut fields = Vec::new();
        let mut columns: Vec<ArrayRef> = Vec::new();
        for (field, column) in schema.fields().iter().zip(batch.columns()) {
            if self.index_columns.contains(field.name()) {
                continue;
            }
            let mut md = field.metadata().clone();
            let mut column = column.clone();
            let text_or_bool = matches!(
                field.data_type(),
                ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View | ArrowType::Boolean
            );
            let restored = self
                .restored
                .get(field.name())
                .filter(|t| t.as_str() != "object" || text_or_bool);
            if md.contains_key(PANDAS_DTYPE_KEY) {
                // Already in signet's conventions.
            } else if let Some(d) = restored {
                md.insert(PANDAS_DTYPE_KEY.to_string(), d.clone());
            } else if column.null_count() > 0 && field.data_type().is_integer() {
                column = arrow_cast::cast(&column, &ArrowType::Float64)?;
            } else if column.null_count() > 0 && field.data_type() == &ArrowType::Boolean {
                md.insert(PANDAS_DTYPE_KEY.to_string(), "object".to_string());
            }
            fields
                .push(Field::new(field.name(), column.data_type().clone(), true).with_metadata(md));
            columns.push(column);
        }
        let rows = batch.num_rows();
        arrow_array::RecordBatch::try_new_with_options(
            Arc::new(arrow_schema::Schema::new(fields).with_metadata(schema.metadata().clone())),
            columns,
            &arrow_array::RecordBatchOptions::new().with_row_count(Some(rows)),
        )
    }
}

/// What pyarrow's `Table.to_pandas()` gives for a batch read from a Parquet or Arrow file, in
/// signet's conventions: the [`PandasPlan`] of the batch's own schema applied to it.
pub fn pandas_view(
    batch: arrow_array::RecordBatch,
) -> Result<arrow_array::RecordBatch, arrow_schema::ArrowError> {
    PandasPlan::new(&batch.schema()).apply(batch)
}
