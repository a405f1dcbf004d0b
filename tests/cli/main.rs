//! CLI behaviour, one module per subcommand.

#[path = "../common/mod.rs"]
mod common;

mod check;
mod clean;
mod diff;
mod jsonl;
mod jsonl_sites;
mod learn;
mod reliability;
mod report;
mod rules;
mod util;
mod verify;
