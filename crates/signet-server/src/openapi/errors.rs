//! The error bodies the routes share: MLflow's error JSON (`Error`) and FastAPI's error page
//! (`Detail`).

use super::builders::{described, obj, s, strs};
use signet::Value;

/// `Error`: MLflow's error JSON.
pub(super) fn error_schema() -> Value {
    obj([
        ("type", s("object")),
        (
            "description",
            s("An MLflow exception, members in this order (`json.dumps` separators)."),
        ),
        (
            "properties",
            obj([
                (
                    "error_code",
                    obj([
                        ("type", s("string")),
                        (
                            "examples",
                            strs([
                                "BAD_REQUEST",
                                "INVALID_PARAMETER_VALUE",
                                "INTERNAL_ERROR",
                                "TEMPORARILY_UNAVAILABLE",
                            ]),
                        ),
                    ]),
                ),
                ("message", obj([("type", s("string"))])),
                (
                    "sqlstate",
                    obj([
                        ("type", s("string")),
                        ("examples", strs(["KAM00", "KAM01", "XXM00"])),
                    ]),
                ),
                (
                    "error_class",
                    obj([
                        ("type", s("string")),
                        (
                            "examples",
                            strs([
                                "INVALID_PARAMETER_VALUE",
                                "SCHEMA_ENFORCEMENT_FAILED",
                                "CLIENT_INTERNAL_ERROR",
                            ]),
                        ),
                    ]),
                ),
                (
                    "stack_trace",
                    described(
                        obj([("type", s("string"))]),
                        "A Python-style traceback (CSV / Parquet parse failures, unexpected model errors).",
                    ),
                ),
            ]),
        ),
        ("required", strs(["error_code", "message"])),
    ])
}

/// `Detail`: FastAPI's `{"detail": ...}` page.
pub(super) fn detail_schema() -> Value {
    obj([
        ("type", s("object")),
        ("description", s("FastAPI's error page (compact JSON).")),
        (
            "properties",
            obj([("detail", obj([("type", s("string"))]))]),
        ),
        ("required", strs(["detail"])),
    ])
}
