//! Reports on what cleaning removed, one file per format.

pub mod html;
