//! `cruftless rules`: the active rules, where they come from and why they
//! exist, as a table or as JSON.
//!
//! `--format json` writes one array; each rule is an object with `name`
//! (`pack/id`), `pack`, `id`, `kind`, `file` and `line` (where its
//! `[[rule]]` table starts), `paths` (its pack's globs; empty means every
//! document), `why`, and `examples` (`drop` and `keep` counts).

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use cruftless::{RuleId, RuleSet};

use super::args::{RulesArgs, RulesFormat};
use super::{load_rules, ExitStatus};

pub fn run(args: &RulesArgs) -> Result<ExitStatus> {
    let Some(rules) = load_rules(&args.rules, "nothing to list") else {
        return Ok(ExitStatus::Error);
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        RulesFormat::Human => human(rules, &mut out)?,
        RulesFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &as_json(rules))
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
    Ok(ExitStatus::Success)
}

fn as_json(rules: &RuleSet) -> serde_json::Value {
    let list: Vec<serde_json::Value> = rules
        .rules()
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let pack = &rules.packs()[rule.pack];
            json!({
                "name": rules.name(RuleId(i as u32)),
                "pack": pack.name,
                "id": rule.id,
                "kind": rule.kind.name(),
                "file": rule.location.file.to_string(),
                "line": rule.location.line,
                "paths": pack.paths,
                "why": rule.why,
                "examples": { "drop": rule.drop_examples.len(), "keep": rule.keep_examples.len() },
            })
        })
        .collect();
    json!(list)
}

fn human(rules: &RuleSet, out: &mut dyn Write) -> std::io::Result<()> {
    let rows: Vec<[String; 5]> = rules
        .rules()
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let pack = &rules.packs()[rule.pack];
            [
                rules.name(RuleId(i as u32)),
                rule.kind.name().to_string(),
                format!("{}:{}", rule.location.file, rule.location.line),
                if pack.paths.is_empty() {
                    "all".to_string()
                } else {
                    pack.paths.join(",")
                },
                rule.why.clone(),
            ]
        })
        .collect();
    let header = ["rule", "kind", "defined at", "paths", "why"].map(String::from);
    let mut widths = [0; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
