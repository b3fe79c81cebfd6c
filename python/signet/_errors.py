"""The exceptions signet raises; their messages are MLflow's."""


class SignetError(Exception):
    """Base class of signet's errors."""


class SchemaError(SignetError, ValueError):
    """A signature that cannot be built, parsed or inferred (MLflow's `MlflowException`)."""

    error_code = "INVALID_PARAMETER_VALUE"


class EnforceError(SignetError, ValueError):
    """Data or params refused by the signature, with MLflow's message.

    Attributes: `error_class` (`missing_inputs`, `incompatible_type`, `shape_mismatch`,
    `invalid_params`, `invalid_input`, `other`), `column`, `row`, `exception` (the Python class
    MLflow raised), `wrapped`, `inner_message`.
    """

    error_code = "INVALID_PARAMETER_VALUE"
    error_class = None
    column = None
    row = None
    exception = "MlflowException"
    wrapped = True
    inner_message = None


class InputError(SignetError, TypeError):
    """Data signet cannot read as a model input (an unsupported type or dtype)."""


class ModelError(SignetError):
    """A model that cannot be resolved, loaded or run."""
