//! The whole pipeline, bytes → formatted code, must return a `Result` for any
//! input: no panic, no stack overflow, no runaway time or memory.
#![no_main]

use codegen::{generate, CrateConfig, Selection};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match generate(data, &Selection::default(), &CrateConfig::default()) {
        Ok(generated) => assert!(
            !generated.files.is_empty(),
            "a successful run produces files"
        ),
        Err(diagnostics) => {
            assert!(diagnostics.has_errors(), "a failed run reports an error");
            for diagnostic in diagnostics.sorted() {
                assert!(
                    diagnostic.pointer.starts_with('#'),
                    "pointer {:?}",
                    diagnostic.pointer
                );
                assert!(
                    !diagnostic.message.is_empty(),
                    "empty message at {}",
                    diagnostic.pointer
                );
            }
        }
    }
});
