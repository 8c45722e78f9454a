//! Colour for the text formats meant for people (the scan and diff tables).
//!
//! Colour is on only when stdout is a terminal and `NO_COLOR` is unset (or
//! when `CLICOLOR_FORCE` asks for it), as [`anstream`] decides; files, pipes
//! and every machine format stay plain. Only whole headings and labels are
//! coloured, after layout, so escape codes never upset column widths.

use anstyle::{AnsiColor, Style};

use crate::rules::Severity;

/// Whether, and how, to colour text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paint {
    on: bool,
}

impl Paint {
    /// No colour.
    pub const PLAIN: Paint = Paint { on: false };
    /// Colour, whatever the terminal.
    pub const COLOUR: Paint = Paint { on: true };

    /// Colour when stdout is a terminal that wants it and `NO_COLOR` is unset.
    pub fn for_stdout() -> Paint {
        let choice = anstream::AutoStream::choice(&std::io::stdout());
        Paint {
            on: choice != anstream::ColorChoice::Never,
        }
    }

    /// Whether this paint colours anything.
    pub fn is_on(self) -> bool {
        self.on
    }

    /// `text` in `style`, or as it is.
    pub fn style(self, style: Style, text: &str) -> String {
        if self.on {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    /// A severity heading or label, in the severity's colour.
    pub fn severity(self, severity: Severity, text: &str) -> String {
        let colour = match severity {
            Severity::Critical => AnsiColor::BrightRed,
            Severity::High => AnsiColor::Red,
            Severity::Medium => AnsiColor::Yellow,
            Severity::Low => AnsiColor::Cyan,
        };
        self.style(Style::new().bold().fg_color(Some(colour.into())), text)
    }

    /// A section heading.
    pub fn heading(self, text: &str) -> String {
        self.style(Style::new().bold(), text)
    }

    /// A warning label.
    pub fn warning(self, text: &str) -> String {
        self.style(Style::new().fg_color(Some(AnsiColor::Yellow.into())), text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_is_the_text_and_colour_wraps_it_in_escapes() {
        assert_eq!(
            Paint::PLAIN.severity(Severity::High, "HIGH (1)"),
            "HIGH (1)"
        );
        let c = Paint::COLOUR.severity(Severity::High, "HIGH (1)");
        assert!(
            c.starts_with("\u{1b}[") && c.contains("HIGH (1)") && c.ends_with("\u{1b}[0m"),
            "{c:?}"
        );
        assert_ne!(
            Paint::COLOUR.severity(Severity::Critical, "x"),
            Paint::COLOUR.severity(Severity::Low, "x")
        );
    }
}
