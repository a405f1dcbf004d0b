//! `cruftless test`: the built-in packs pass; a wrong example fails naming
//! its rule; dead rules on a corpus are listed.

use predicates::prelude::*;

use crate::util::{cruftless, with_seeds_and_rules};

#[test]
fn the_builtin_packs_pass() {
    let dir = with_seeds_and_rules();
    cruftless(dir.path())
        .args(["test", "--no-config"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("all passed"));
}

#[test]
fn a_wrong_example_fails_naming_the_rule_and_where_it_is() {
    let dir = with_seeds_and_rules();
    cruftless(dir.path())
        .args(["test", "rules/bad-example.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "rules/bad-example.toml:7: bad-example/sign-in: missing: drop example 1 kept line 3",
        ))
        .stdout(predicate::str::contains("1 rule in 1 pack: 1 failed"));
}

#[test]
fn a_pack_without_examples_fails_and_nothing_to_test_is_no_pass() {
    let dir = with_seeds_and_rules();
    cruftless(dir.path())
        .args(["test", "rules/greedy.toml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "rules/greedy.toml: pack greedy has no examples",
        ));
    cruftless(dir.path())
        .args(["test", "--no-config", "--no-builtin"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("nothing was checked"));
    cruftless(dir.path())
        .args(["test", "rules/broken.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rules/broken.toml:7:1"))
        .stderr(predicate::str::contains(
            "rules are broken; nothing was tested",
        ));
}

#[test]
fn dead_rules_on_a_corpus_are_listed() {
    let dir = with_seeds_and_rules();
    std::fs::write(
        dir.path().join("rules/extra.toml"),
        "[pack]\nname = \"extra\"\n\n[[rule]]\nid = \"never\"\nkind = \"line\"\nmatch = { line = \"No seed has this line\" }\nexamples.drop = [\"No seed has this line\"]\nexamples.keep = [\"A seed line\"]\n",
    )
    .unwrap();
    cruftless(dir.path())
        .args(["test", "rules/seeds.toml", "rules/extra.toml", "--corpus", "input"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "rules/extra.toml:4: extra/never: dead: removes nothing from the 5 documents under input\n9 of 10 rules fire on input\n",
        ));
}
