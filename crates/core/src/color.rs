//! Colour decided per stream: `--color`, `NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`, `TERM=dumb`
//! and whether that stream is a terminal. The `colored` crate alone would decide from stdout
//! only, so it is forced on and used only through a [`Painter`] that knows its stream.

use colored::{ColoredString, Colorize};
use std::io::IsTerminal;

/// The `--color` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Which stream a painter writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// The environment variables that matter, read once (tests pass their own).
#[derive(Debug, Clone, Default)]
pub struct ColorEnv {
    pub no_color: bool,
    pub clicolor_off: bool,
    pub clicolor_force: bool,
    pub term_dumb: bool,
}

impl ColorEnv {
    pub fn from_process() -> ColorEnv {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        let val = |k: &str| std::env::var(k).unwrap_or_default();
        ColorEnv {
            no_color: set("NO_COLOR"),
            clicolor_off: val("CLICOLOR") == "0",
            clicolor_force: set("CLICOLOR_FORCE") && val("CLICOLOR_FORCE") != "0",
            term_dumb: val("TERM") == "dumb",
        }
    }
}

/// The decision, pure. `NO_COLOR` always wins (the brief: never colour with `NO_COLOR`); then
/// the flag; then `CLICOLOR_FORCE`, `CLICOLOR=0`, `TERM=dumb`; then the terminal test.
pub fn decide(choice: ColorChoice, env: &ColorEnv, is_terminal: bool) -> bool {
    if env.no_color {
        return false;
    }
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if env.clicolor_force {
                true
            } else if env.clicolor_off || env.term_dumb {
                false
            } else {
                is_terminal
            }
        }
    }
}

/// Colours text for one stream, or leaves it plain.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    pub enabled: bool,
}

impl Painter {
    pub fn for_stream(choice: ColorChoice, stream: Stream) -> Painter {
        let tty = match stream {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        };
        let enabled = decide(choice, &ColorEnv::from_process(), tty);
        if enabled {
            colored::control::set_override(true);
        }
        Painter { enabled }
    }

    pub fn plain() -> Painter {
        Painter { enabled: false }
    }

    fn apply(self, text: &str, f: fn(&str) -> ColoredString) -> String {
        if self.enabled {
            f(text).to_string()
        } else {
            text.to_string()
        }
    }

    pub fn ok(self, t: &str) -> String {
        self.apply(t, |s| s.green().bold())
    }
    pub fn bad(self, t: &str) -> String {
        self.apply(t, |s| s.red().bold())
    }
    pub fn warn(self, t: &str) -> String {
        self.apply(t, |s| s.yellow().bold())
    }
    pub fn dim(self, t: &str) -> String {
        self.apply(t, |s| s.dimmed())
    }
    pub fn label(self, t: &str) -> String {
        self.apply(t, |s| s.bold())
    }
    pub fn header_part(self, t: &str) -> String {
        self.apply(t, |s| s.red())
    }
    pub fn payload_part(self, t: &str) -> String {
        self.apply(t, |s| s.magenta())
    }
    pub fn signature_part(self, t: &str) -> String {
        self.apply(t, |s| s.cyan())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence() {
        let none = ColorEnv::default();
        assert!(decide(ColorChoice::Auto, &none, true));
        assert!(!decide(ColorChoice::Auto, &none, false));
        assert!(decide(ColorChoice::Always, &none, false));
        assert!(!decide(ColorChoice::Never, &none, true));
        let no = ColorEnv {
            no_color: true,
            ..ColorEnv::default()
        };
        assert!(!decide(ColorChoice::Always, &no, true));
        let force = ColorEnv {
            clicolor_force: true,
            ..ColorEnv::default()
        };
        assert!(decide(ColorChoice::Auto, &force, false));
        assert!(!decide(ColorChoice::Never, &force, true));
        let dumb = ColorEnv {
            term_dumb: true,
            ..ColorEnv::default()
        };
        assert!(!decide(ColorChoice::Auto, &dumb, true));
    }

    #[test]
    fn plain_painter_adds_nothing() {
        assert_eq!(Painter::plain().bad("x"), "x");
    }
}
