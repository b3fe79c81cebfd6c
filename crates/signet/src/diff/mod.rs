//! `signet diff`: every change between two model signatures, each classified as
//! **breaking** or **compatible** for existing callers.
//!
//! The rules ([`rules`], docs/signature-compatibility.md) come from MLflow's enforcement:
//! a change to the **inputs or params** is compatible when every request that was valid for
//! the old signature still passes the new one's enforcement; a change to the **outputs** is
//! compatible when every prediction the new model may return is valid under the old output
//! schema (what callers were promised).
//!
//! * [`diff_signatures`] compares two signatures into a [`DiffReport`];
//! * [`render_text`] and [`render_json`] print it.

pub mod rules;

use crate::repr::{coltype_repr, param_type_repr, py_repr, shape_repr};
use crate::types::{
    ColSpec, ColType, ModelSignature, ParamSchema, ParamShape, Schema, SchemaKind, TensorSpec,
};
use crate::value::Value;

/// Which part of the signature a change is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// `inputs`.
    Inputs,
    /// `outputs`.
    Outputs,
    /// `params`.
    Params,
}

impl Section {
    /// `inputs`, `outputs` or `params`.
    pub fn name(self) -> &'static str {
        match self {
            Section::Inputs => "inputs",
            Section::Outputs => "outputs",
            Section::Params => "params",
        }
    }
}

/// Whether a change breaks existing callers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Some request (or expectation on the output) valid before fails now.
    Breaking,
    /// Everything valid before is still valid.
    Compatible,
}

/// One change.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Where.
    pub section: Section,
    /// The column, tensor or param (`-` for the whole schema).
    pub item: String,
    /// What changed: `added`, `removed`, `renamed`, `type_changed`, `required_to_optional`,
    /// `optional_to_required`, `dtype_changed`, `shape_changed`, `default_changed`,
    /// `schema_added`, `schema_removed`, `kind_changed`, `count_changed`.
    pub kind: &'static str,
    /// The old value, as text.
    pub old: Option<String>,
    /// The new value, as text.
    pub new: Option<String>,
    /// Breaking or compatible.
    pub severity: Severity,
    /// Why, in terms of what MLflow's enforcement does.
    pub reason: String,
    /// True for a rename: a guess from a removed and an added item of the same type.
    pub guess: bool,
}

/// All changes between two signatures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiffReport {
    /// The changes, inputs first, then outputs, then params.
    pub changes: Vec<Change>,
}

impl DiffReport {
    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes
            .iter()
            .any(|c| c.severity == Severity::Breaking)
    }
}

struct Ctx {
    section: Section,
    out: Vec<Change>,
}

impl Ctx {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        item: &str,
        kind: &'static str,
        old: Option<String>,
        new: Option<String>,
        breaking: bool,
        reason: impl Into<String>,
    ) {
        self.out.push(Change {
            section: self.section,
            item: item.to_string(),
            kind,
            old,
            new,
            severity: if breaking {
                Severity::Breaking
            } else {
                Severity::Compatible
            },
            reason: reason.into(),
            guess: false,
        });
    }

    /// Outputs run the other way: the new model's values must satisfy the old promise.
    fn outputs(&self) -> bool {
        self.section == Section::Outputs
    }

    /// A change's `(breaking, why)`, which depends on the side: `for_outputs` in the outputs
    /// section, `for_inputs` elsewhere.
    fn effect(
        &self,
        for_outputs: (bool, &'static str),
        for_inputs: (bool, &'static str),
    ) -> (bool, &'static str) {
        if self.outputs() {
            for_outputs
        } else {
            for_inputs
        }
    }
}

/// Compares `old` with `new` (either may be missing: a model without signature).
pub fn diff_signatures(old: Option<&ModelSignature>, new: Option<&ModelSignature>) -> DiffReport {
    let mut changes = Vec::new();
    for section in [Section::Inputs, Section::Outputs] {
        fn pick(s: Option<&ModelSignature>, section: Section) -> Option<&Schema> {
            s.and_then(|s| match section {
                Section::Inputs => s.inputs.as_ref(),
                _ => s.outputs.as_ref(),
            })
        }
        let mut ctx = Ctx {
            section,
            out: Vec::new(),
        };
        diff_schema(&mut ctx, pick(old, section), pick(new, section));
        changes.extend(ctx.out);
    }
    fn params(s: Option<&ModelSignature>) -> Option<&ParamSchema> {
        s.and_then(|s| s.params.as_ref()).filter(|p| !p.is_empty())
    }
    let mut ctx = Ctx {
        section: Section::Params,
        out: Vec::new(),
    };
    diff_params(&mut ctx, params(old), params(new));
    changes.extend(ctx.out);
    DiffReport { changes }
}

fn schema_text(s: &Schema) -> String {
    match s.kind() {
        SchemaKind::Columns(c) => format!("{} column(s)", c.len()),
        SchemaKind::Tensors(t) => format!("{} tensor(s)", t.len()),
    }
}

fn diff_schema(ctx: &mut Ctx, old: Option<&Schema>, new: Option<&Schema>) {
    match (old, new) {
        (None, None) => {}
        (None, Some(n)) => {
            let (breaking, why) = ctx.effect(
                (false, "callers were promised nothing about the outputs"),
                (
                    true,
                    "the old model enforced nothing; requests are now checked against the \
                     new schema",
                ),
            );
            ctx.push(
                "-",
                "schema_added",
                None,
                Some(schema_text(n)),
                breaking,
                why,
            );
        }
        (Some(o), None) => {
            let (breaking, why) = ctx.effect(
                (
                    true,
                    "the outputs are no longer described: nothing promises callers what they \
                     relied on",
                ),
                (
                    false,
                    "without an input schema MLflow passes every request through unchecked",
                ),
            );
            ctx.push(
                "-",
                "schema_removed",
                Some(schema_text(o)),
                None,
                breaking,
                why,
            );
        }
        (Some(o), Some(n)) => match (o.kind(), n.kind()) {
            (SchemaKind::Columns(a), SchemaKind::Columns(b)) => diff_columns(ctx, a, b),
            (SchemaKind::Tensors(a), SchemaKind::Tensors(b)) => diff_tensors(ctx, a, b),
            _ => ctx.push(
                "-",
                "kind_changed",
                Some(schema_text(o)),
                Some(schema_text(n)),
                true,
                "columns and tensors are enforced differently; requests for one fail the other",
            ),
        },
    }
}

fn col_name(c: &ColSpec) -> Option<String> {
    c.name.as_ref().map(|n| n.as_text())
}

fn required_text(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

fn col_text(c: &ColSpec) -> String {
    format!(
        "{} ({})",
        coltype_repr(&c.ty),
        required_text(c.is_required())
    )
}

/// Type compatibility in the section's direction.
fn ty_ok(ctx: &Ctx, old: &ColType, new: &ColType) -> Result<(), String> {
    if ctx.outputs() {
        rules::type_accepts(new, old)
    } else {
        rules::type_accepts(old, new)
    }
}

fn diff_columns(ctx: &mut Ctx, old: &[ColSpec], new: &[ColSpec]) {
    let named = old.iter().all(|c| c.name.is_some()) && new.iter().all(|c| c.name.is_some());
    if !named {
        // Positional: matched by position.
        if old.len() != new.len() {
            ctx.push(
                "-",
                "count_changed",
                Some(old.len().to_string()),
                Some(new.len().to_string()),
                true,
                "unnamed columns are matched by position; the number of columns changed",
            );
        }
        for (i, (a, b)) in old.iter().zip(new).enumerate() {
            compare_column(ctx, &i.to_string(), a, b);
        }
        return;
    }
    let mut removed: Vec<&ColSpec> = old
        .iter()
        .filter(|o| !new.iter().any(|n| n.name == o.name))
        .collect();
    let mut added: Vec<&ColSpec> = new
        .iter()
        .filter(|n| !old.iter().any(|o| o.name == n.name))
        .collect();
    for o in old {
        if let Some(n) = new.iter().find(|n| n.name == o.name) {
            compare_column(ctx, &col_name(o).unwrap_or_default(), o, n);
        }
    }
    // Renames (a guess): a removed and an added column of the same type.
    let mut i = 0;
    while i < removed.len() {
        let r = removed[i];
        if let Some(j) = added.iter().position(|a| a.ty == r.ty) {
            let a = added.remove(j);
            removed.remove(i);
            let (breaking, why) = added_effect(ctx, a);
            ctx.push(
                &format!(
                    "{} → {}",
                    col_name(r).unwrap_or_default(),
                    col_name(a).unwrap_or_default()
                ),
                "renamed",
                Some(col_text(r)),
                Some(col_text(a)),
                breaking,
                format!("guess: same type; {why}"),
            );
            if let Some(last) = ctx.out.last_mut() {
                last.guess = true;
            }
        } else {
            i += 1;
        }
    }
    for r in removed {
        let (breaking, why) = ctx.effect(
            (true, "callers reading this output no longer get it"),
            (
                false,
                "MLflow drops extra inputs with a warning, so requests that still send it pass",
            ),
        );
        ctx.push(
            &col_name(r).unwrap_or_default(),
            "removed",
            Some(col_text(r)),
            None,
            breaking,
            why,
        );
    }
    for a in added {
        let (breaking, why) = added_effect(ctx, a);
        ctx.push(
            &col_name(a).unwrap_or_default(),
            "added",
            None,
            Some(col_text(a)),
            breaking,
            why,
        );
    }
}

fn added_effect(ctx: &Ctx, a: &ColSpec) -> (bool, &'static str) {
    if ctx.outputs() {
        (
            false,
            "a new output: callers that do not read it are unaffected",
        )
    } else if a.is_required() {
        (
            true,
            "a new required input: old requests lack it (\"Model is missing inputs\")",
        )
    } else {
        (false, "a new optional input: old requests without it pass")
    }
}

fn compare_column(ctx: &mut Ctx, item: &str, o: &ColSpec, n: &ColSpec) {
    if o.ty != n.ty {
        let (breaking, why) = match ty_ok(ctx, &o.ty, &n.ty) {
            Ok(()) if ctx.outputs() => (
                false,
                "every value the new type allows is valid under the old one".to_string(),
            ),
            Ok(()) => (
                false,
                "MLflow accepts (converting safely) every value the old type accepted".to_string(),
            ),
            Err(e) => (true, e),
        };
        ctx.push(
            item,
            "type_changed",
            Some(coltype_repr(&o.ty)),
            Some(coltype_repr(&n.ty)),
            breaking,
            why,
        );
    }
    let (was, is) = (o.is_required(), n.is_required());
    if was != is {
        let (kind, (breaking, why)) = if was {
            (
                "required_to_optional",
                ctx.effect(
                    (
                        true,
                        "the new model may leave out an output callers were promised",
                    ),
                    (false, "old requests always send it; it may now be left out"),
                ),
            )
        } else {
            (
                "optional_to_required",
                ctx.effect(
                    (false, "the output is now always present"),
                    (
                        true,
                        "old requests that left it out now fail (\"Model is missing inputs\")",
                    ),
                ),
            )
        };
        ctx.push(
            item,
            kind,
            Some(required_text(was).into()),
            Some(required_text(is).into()),
            breaking,
            why,
        );
    }
}

fn tensor_text(t: &TensorSpec) -> String {
    format!("{} {}", t.dtype.name(), shape_repr(&t.shape))
}

fn diff_tensors(ctx: &mut Ctx, old: &[TensorSpec], new: &[TensorSpec]) {
    let key = |t: &TensorSpec, i: usize| t.name.clone().unwrap_or_else(|| i.to_string());
    let old_k: Vec<String> = old.iter().enumerate().map(|(i, t)| key(t, i)).collect();
    let new_k: Vec<String> = new.iter().enumerate().map(|(i, t)| key(t, i)).collect();
    for (i, o) in old.iter().enumerate() {
        match new_k.iter().position(|k| *k == old_k[i]) {
            Some(j) => {
                let n = &new[j];
                let (a, b) = if ctx.outputs() { (n, o) } else { (o, n) };
                if o.dtype != n.dtype {
                    let why = rules::tensor_accepts(
                        a,
                        &TensorSpec {
                            shape: a.shape.clone(),
                            ..b.clone()
                        },
                    )
                    .err()
                    .unwrap_or_default();
                    ctx.push(
                        &old_k[i],
                        "dtype_changed",
                        Some(o.dtype.name()),
                        Some(n.dtype.name()),
                        true,
                        why,
                    );
                }
                if o.shape != n.shape {
                    let same_dtype = TensorSpec {
                        dtype: a.dtype,
                        ..b.clone()
                    };
                    let (breaking, why) = match rules::tensor_accepts(a, &same_dtype) {
                        Ok(()) => (false, "every shape valid before is still valid".to_string()),
                        Err(e) => (true, e),
                    };
                    ctx.push(
                        &old_k[i],
                        "shape_changed",
                        Some(shape_repr(&o.shape)),
                        Some(shape_repr(&n.shape)),
                        breaking,
                        why,
                    );
                }
            }
            None => {
                let (breaking, why) = ctx.effect(
                    (true, "callers reading this output no longer get it"),
                    (false, "MLflow drops extra inputs with a warning"),
                );
                ctx.push(
                    &old_k[i],
                    "removed",
                    Some(tensor_text(o)),
                    None,
                    breaking,
                    why,
                );
            }
        }
    }
    for (j, n) in new.iter().enumerate() {
        if !old_k.contains(&new_k[j]) {
            let (breaking, why) = ctx.effect(
                (
                    false,
                    "a new output: callers that do not read it are unaffected",
                ),
                (
                    true,
                    "a new tensor input: old requests lack it (tensors are always required)",
                ),
            );
            ctx.push(
                &new_k[j],
                "added",
                None,
                Some(tensor_text(n)),
                breaking,
                why,
            );
        }
    }
}

fn param_text(p: &crate::types::ParamSpec) -> String {
    format!(
        "{} default {}{}",
        param_type_repr(p.dtype()),
        py_repr(p.default()),
        if p.shape() == ParamShape::List {
            " shape (-1,)"
        } else {
            ""
        }
    )
}

fn diff_params(ctx: &mut Ctx, old: Option<&ParamSchema>, new: Option<&ParamSchema>) {
    let empty: &[crate::types::ParamSpec] = &[];
    let old = old.map_or(empty, |p| p.params());
    let new = new.map_or(empty, |p| p.params());
    for o in old {
        match new.iter().find(|n| n.name() == o.name()) {
            None => ctx.push(
                o.name(),
                "removed",
                Some(param_text(o)),
                None,
                false,
                "MLflow ignores unknown params with a warning: requests still pass, but the value no longer has an effect",
            ),
            Some(n) => {
                if o.dtype() != n.dtype() || o.shape() != n.shape() {
                    let (breaking, why) = match rules::param_accepts((o.dtype(), o.shape()), (n.dtype(), n.shape())) {
                        Ok(()) => (false, "MLflow converts every value the old type accepted".to_string()),
                        Err(e) => (true, e),
                    };
                    let kind = if o.shape() != n.shape() { "shape_changed" } else { "type_changed" };
                    ctx.push(o.name(), kind, Some(param_text(o)), Some(param_text(n)), breaking, why);
                }
                if o.default() != n.default() && !defaults_equal(o.default(), n.default()) {
                    ctx.push(
                        o.name(),
                        "default_changed",
                        Some(py_repr(o.default())),
                        Some(py_repr(n.default())),
                        false,
                        "requests still pass; callers that omit it get the new default",
                    );
                }
            }
        }
    }
    for n in new {
        if !old.iter().any(|o| o.name() == n.name()) {
            ctx.push(
                n.name(),
                "added",
                None,
                Some(param_text(n)),
                false,
                "every param has a default, used when a request omits it",
            );
        }
    }
}

fn defaults_equal(a: &Value, b: &Value) -> bool {
    py_repr(a) == py_repr(b)
}

/// The report as text: one line per change, then a verdict.
pub fn render_text(report: &DiffReport) -> String {
    let mut out = String::new();
    if report.changes.is_empty() {
        out.push_str("no changes: the signatures are identical\n");
        return out;
    }
    for c in &report.changes {
        let tag = match c.severity {
            Severity::Breaking => "BREAKING  ",
            Severity::Compatible => "compatible",
        };
        let values = match (&c.old, &c.new) {
            (Some(o), Some(n)) => format!(": {o} → {n}"),
            (Some(o), None) => format!(": {o}"),
            (None, Some(n)) => format!(": {n}"),
            (None, None) => String::new(),
        };
        let kind = if c.guess {
            format!("{} (guess)", c.kind)
        } else {
            c.kind.to_string()
        };
        out.push_str(&format!(
            "{tag}  {} {} {kind}{values}\n            {}\n",
            c.section.name(),
            c.item,
            c.reason
        ));
    }
    let breaking = report
        .changes
        .iter()
        .filter(|c| c.severity == Severity::Breaking)
        .count();
    out.push_str(&format!(
        "\n{} change(s), {breaking} breaking: {}\n",
        report.changes.len(),
        if breaking > 0 {
            "BREAKING for existing callers"
        } else {
            "compatible with existing callers"
        }
    ));
    out
}

/// The report as JSON: `{"breaking": bool, "changes": [{section, item, kind, old, new,
/// severity, reason, guess}]}`.
pub fn render_json(report: &DiffReport) -> String {
    let opt = |s: &Option<String>| s.clone().map_or(Value::None, Value::Str);
    let key = |k: &str| Value::Str(k.to_string());
    let changes = report
        .changes
        .iter()
        .map(|c| {
            Value::Dict(vec![
                (key("section"), Value::Str(c.section.name().into())),
                (key("item"), Value::Str(c.item.clone())),
                (key("kind"), Value::Str(c.kind.into())),
                (key("old"), opt(&c.old)),
                (key("new"), opt(&c.new)),
                (
                    key("severity"),
                    Value::Str(match c.severity {
                        Severity::Breaking => "breaking".into(),
                        Severity::Compatible => "compatible".into(),
                    }),
                ),
                (key("reason"), Value::Str(c.reason.clone())),
                (key("guess"), Value::Bool(c.guess)),
            ])
        })
        .collect();
    let doc = Value::Dict(vec![
        (key("breaking"), Value::Bool(report.is_breaking())),
        (key("changes"), Value::List(changes)),
    ]);
    let mut s = crate::pyjson::dumps(&doc);
    s.push('\n');
    s
}
