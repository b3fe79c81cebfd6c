//! Conversion of the conformance corpus' Values (FORMAT.md) into signet's model inputs.
