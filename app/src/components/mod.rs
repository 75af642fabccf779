//! Pieces shared by several pages.

pub mod language_switch;
pub mod site_header;
pub mod text_area;
