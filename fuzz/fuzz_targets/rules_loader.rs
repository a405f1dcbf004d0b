//! Arbitrary text as a rule pack: loading returns rules or errors that name
//! a place in the file, and never panics.
#![no_main]

use cruftless::rules::Source;
use cruftless::RuleSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match RuleSet::from_sources(&[Source::new("fuzz.toml", text.to_string())]) {
        Ok(rules) => {
            for (i, _) in rules.rules().iter().enumerate() {
                let _ = rules.name(cruftless::RuleId(i as u32));
            }
        }
        Err(errors) => {
            assert!(!errors.0.is_empty());
            for error in &errors.0 {
                assert!(error.to_string().starts_with("fuzz.toml"), "{error}");
            }
        }
    }
});
