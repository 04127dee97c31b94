//! Documentation as rustdoc reads it: descriptions written for a web page
//! (HTML inside Markdown, links to the page's anchors) turned into Markdown
//! that rustdoc renders and lints clean. Text in, text out: this module knows
//! no stage; lowering converts HTML ([`html`]), the surface rewrites links
//! once it has named their targets ([`links`]).

pub mod html;
pub mod links;
