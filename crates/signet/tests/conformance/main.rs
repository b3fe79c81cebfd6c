//! Conformance replay of the `infer` and `enforce` cases recorded from MLflow 3.17.2 (the
//! public set in `SIGNET_CONFORMANCE_DIR` and the project's own `conformance/cases`; see
//! `signet_testkit::corpus`). A failing case must be listed, with its reason, in
//! `conformance/known-gaps.tsv`; the other kinds are replayed where they are implemented
//! (`serve` in signet-protocol and signet-server, `mlmodel` in signet-model).

mod enforce;
mod infer;

use signet_testkit::corpus::{cases, Tally};

#[test]
fn conformance_infer() {
    let mut tally = Tally::new("infer", "");
    tally.replay(&cases("infer"), infer::check);
    tally.finish();
}

#[test]
fn conformance_enforce() {
    let mut tally = Tally::new("enforce", "");
    tally.replay(&cases("enforce"), enforce::check);
    tally.finish();
}
