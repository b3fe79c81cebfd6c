#![no_main]
// signet_onnx catches a panic inside tract (the third-party engine) and reports it as a load
// error, so this target puts Rust's default panic hook back: libfuzzer-sys's hook would abort
// on that caught panic. A panic that escapes the harness still aborts the run (libfuzzer-sys
// catches it at the top and aborts), so signet's own panics are still found.
libfuzzer_sys::fuzz_target!(
    init: drop(std::panic::take_hook()),
    |data: &[u8]| signet_fuzz_harness::onnx_model(data)
);
