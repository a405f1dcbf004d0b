//! The data behind `cruftless report` on the seeds, as an insta snapshot, so
//! a change in what the review page shows is a reviewed change.

use std::path::Path;

use cruftless::report::html::HtmlReportBuilder;
use cruftless::rules::Source;
use cruftless::{Cleaner, RuleSet};

#[test]
fn report_data_for_the_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let text = std::fs::read_to_string(root.join("rules/seeds.toml")).unwrap();
    let rules =
        RuleSet::from_sources(&[Source::new("tests/fixtures/rules/seeds.toml", text)]).unwrap();
    let cleaner = Cleaner::new(&rules);
    let mut names: Vec<_> = std::fs::read_dir(root.join("seeds/input"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    let mut builder = HtmlReportBuilder::new(&rules, 3, 2);
    for name in names {
        let input = std::fs::read(root.join("seeds/input").join(&name)).unwrap();
        let cleaned = cleaner.clean(&input);
        builder.add(Path::new(&name), &input, &cleaned);
    }
    insta::assert_json_snapshot!(builder.finish(0.0));
}
