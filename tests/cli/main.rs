//! CLI behaviour, one module per subcommand.

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
