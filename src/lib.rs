//! manulint: a linter for novel manuscripts.
//!
//! The pipeline: [`load`] finds and decodes chapter files ([`docx`] reads
//! Word documents), [`text`] builds the text model, [`engine`] runs the
//! configured [`rules`], and [`report`] writes the findings. [`workspace`] ties them together for every front
//! end; [`cli`] parses arguments and hands them to [`commands`].

pub mod automaton;
pub mod baseline;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod docx;
pub mod engine;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod language;
pub mod layout;
pub mod literals;
pub mod load;
pub mod memory;
pub mod packs;
pub mod pipeline;
pub mod report;
pub mod rule;
pub mod rules;
pub mod server;
pub mod suppress;
pub mod text;
pub mod word_set;
pub mod wordfreq;
pub mod workspace;

#[cfg(test)]
pub(crate) mod testing;
