//! CLI behaviour, one module per subcommand.

mod clean;
mod reliability;
mod util;
