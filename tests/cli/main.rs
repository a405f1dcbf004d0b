//! CLI behaviour, one module per subcommand.

mod clean;
mod jsonl;
mod reliability;
mod util;
