//! One file per rule kind, each with one `apply` function and a table of cases.

pub(super) mod block;
pub(super) mod dedupe;
pub(super) mod density;
pub(super) mod line;
pub(super) mod repeated;
pub(super) mod replace;
pub(super) mod run;
pub(super) mod truncate;
