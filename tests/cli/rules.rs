//! `cruftless rules`: the active rules as a table and as JSON.

use predicates::prelude::*;

use crate::util::{cruftless, stdout, with_seeds_and_rules};

#[test]
fn rules_json_lists_every_rule_with_where_and_why() {
    let dir = with_seeds_and_rules();
    let output = cruftless(dir.path())
        .args(["rules", "--format", "json", "--no-config", "--no-builtin"])
        .args(["--rules", "rules/seeds.toml"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let rules: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let rules = rules.as_array().unwrap();
    assert_eq!(rules.len(), 9);
    assert_eq!(
        rules[0],
        serde_json::json!({
            "name": "seeds/register-prompt",
            "pack": "seeds",
            "id": "register-prompt",
            "kind": "block",
            "file": "rules/seeds.toml",
            "line": 7,
            "paths": [],
            "why": "Registration wall under the article",
            "examples": { "drop": 1, "keep": 1 },
        })
    );
    assert!(rules.iter().all(|r| r["file"] == "rules/seeds.toml"));
}

#[test]
fn rules_human_is_a_table_of_the_builtin_packs() {
    let dir = with_seeds_and_rules();
    cruftless(dir.path())
        .args(["rules", "--no-config"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("rule "))
        .stdout(predicate::str::contains("web-common/register-prompt"))
        .stdout(predicate::str::contains("rules/web-common.toml:"));
    cruftless(dir.path())
        .args(["rules", "--no-config", "--rules", "rules/broken.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rules are broken; nothing to list",
        ));
}
