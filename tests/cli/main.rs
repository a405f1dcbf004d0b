//! CLI behaviour, one module per subcommand.

mod clean;
mod learn;
mod util;
