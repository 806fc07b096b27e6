//! Colour decided per stream: `--color`, `NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`, `TERM=dumb`
//! and whether that stream is a terminal; text coloured by a [`Painter`] that knows its stream,
//! with SGR escape sequences (the same bytes the `colored` crate writes, a test holds them equal).

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
        Painter { enabled }
    }

    pub fn plain() -> Painter {
        Painter { enabled: false }
    }

    /// `text` in the SGR style `sgr` (e.g. `1;32`, bold green). A reset inside `text` (already
    /// coloured parts) is followed by this style again, so the rest keeps it.
    fn apply(self, text: &str, sgr: &str) -> String {
        if !self.enabled {
            return text.to_string();
        }
        let start = format!("\x1b[{sgr}m");
        let body = if text.contains(RESET) {
            text.replace(RESET, &format!("{RESET}{start}"))
        } else {
            text.to_string()
        };
        format!("{start}{body}{RESET}")
    }

    pub fn ok(self, t: &str) -> String {
        self.apply(t, "1;32")
    }
    pub fn bad(self, t: &str) -> String {
        self.apply(t, "1;31")
    }
    pub fn warn(self, t: &str) -> String {
        self.apply(t, "1;33")
    }
    pub fn dim(self, t: &str) -> String {
        self.apply(t, "2")
    }
    pub fn label(self, t: &str) -> String {
        self.apply(t, "1")
    }
    pub fn header_part(self, t: &str) -> String {
        self.apply(t, "31")
    }
    pub fn payload_part(self, t: &str) -> String {
        self.apply(t, "35")
    }
    pub fn signature_part(self, t: &str) -> String {
        self.apply(t, "36")
    }
}

/// The SGR sequence that ends every style.
const RESET: &str = "\x1b[0m";

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

    /// Each style writes what the `colored` crate writes for it, nested resets included.
    #[test]
    fn painted_text_is_byte_equal_to_colored() {
        use colored::Colorize;
        colored::control::set_override(true);
        let p = Painter { enabled: true };
        let inner = "a".red().to_string();
        for text in [
            "",
            "x",
            "two words",
            &format!("before {inner} after"),
            &inner,
        ] {
            assert_eq!(p.ok(text), text.green().bold().to_string());
            assert_eq!(p.bad(text), text.red().bold().to_string());
            assert_eq!(p.warn(text), text.yellow().bold().to_string());
            assert_eq!(p.dim(text), text.dimmed().to_string());
            assert_eq!(p.label(text), text.bold().to_string());
            assert_eq!(p.header_part(text), text.red().to_string());
            assert_eq!(p.payload_part(text), text.magenta().to_string());
            assert_eq!(p.signature_part(text), text.cyan().to_string());
        }
    }
}
