//! Token issuers for backends: the table of verified stacks (`mmjwt issuer list` and `code`),
//! each a function a backend can paste plus a runnable program around it, with the files
//! embedded from the top-level `issuers/` directory; and [`serve`], a local token endpoint for
//! app developers whose backend is not ready.
//!
//! Every stack makes the token `mmjwt gen` makes (spec 2.3) from `INFOBIP_APP_CODE`,
//! `INFOBIP_JWT_KEY_ID` and `INFOBIP_JWT_SECRET`, refuses malformed hex, and avoids its
//! library's pitfalls (spec 10). The integration tests run each one through `mmjwt audit
//! --exec` with the real library, so the versions below are the ones that passed.

pub mod serve;

use serde::Serialize;

/// One file of a stack: its path relative to the output directory, and its text.
#[derive(Debug, Clone, Copy)]
pub struct StackFile {
    pub path: &'static str,
    pub contents: &'static str,
}

/// One verified way to issue tokens.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Stack {
    /// The id `mmjwt issuer code` takes.
    pub stack: &'static str,
    pub language: &'static str,
    /// The library that signs (or the built-ins, for the stacks without one).
    pub library: &'static str,
    /// The exact version the code was verified with.
    pub version: &'static str,
    /// What else to know about the version (where only an older major is installable here).
    pub note: Option<&'static str>,
    /// The file `mmjwt issuer code STACK` prints: the function and its runnable program.
    pub main: &'static str,
    /// Every file, the main one first (their paths, in JSON).
    #[serde(serialize_with = "paths")]
    pub files: &'static [StackFile],
    /// Run once in the output directory before `run` (fetching the library, compiling);
    /// `None` when the language's built-ins suffice.
    pub install: Option<&'static str>,
    /// Prints one token and a newline, in the output directory; `{user}` is the user id.
    pub run: &'static str,
}

fn paths<S: serde::Serializer>(files: &&'static [StackFile], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(files.iter().map(|f| f.path))
}

impl Stack {
    /// The main file's text.
    pub fn main_contents(&self) -> &'static str {
        self.files
            .iter()
            .find(|f| f.path == self.main)
            .map_or("", |f| f.contents)
    }
}

macro_rules! files {
    ($dir:literal: $($path:literal),+ $(,)?) => {
        &[$(StackFile {
            path: $path,
            contents: include_str!(concat!("../../issuers/", $dir, "/", $path)),
        }),+]
    };
}

/// Every stack, in the order `list` shows them.
pub const STACKS: &[Stack] = &[
    Stack {
        stack: "python-pyjwt",
        language: "Python",
        library: "PyJWT",
        version: "2.15.1",
        note: None,
        main: "infobip_jwt.py",
        files: files!("python-pyjwt": "infobip_jwt.py", "requirements.txt"),
        install: Some("python3 -m pip install -r requirements.txt"),
        run: "python3 infobip_jwt.py {user}",
    },
    Stack {
        stack: "node-jsonwebtoken",
        language: "JavaScript (Node.js)",
        library: "jsonwebtoken",
        version: "9.0.3",
        note: None,
        main: "infobip-jwt.js",
        files: files!("node-jsonwebtoken": "infobip-jwt.js", "package.json"),
        install: Some("npm install"),
        run: "node infobip-jwt.js {user}",
    },
    Stack {
        stack: "node-jose",
        language: "JavaScript (Node.js)",
        library: "jose",
        version: "6.2.19",
        note: None,
        main: "infobip-jwt.mjs",
        files: files!("node-jose": "infobip-jwt.mjs", "package.json"),
        install: Some("npm install"),
        run: "node infobip-jwt.mjs {user}",
    },
    Stack {
        stack: "php",
        language: "PHP",
        library: "PHP built-ins (hash_hmac, json_encode)",
        version: "PHP 8.2",
        note: None,
        main: "infobip_jwt.php",
        files: files!("php": "infobip_jwt.php"),
        install: None,
        run: "php infobip_jwt.php {user}",
    },
    Stack {
        stack: "java",
        language: "Java",
        library: "JDK (javax.crypto.Mac, java.util.HexFormat)",
        version: "OpenJDK 17",
        note: Some(
            "run with a UTF-8 locale (e.g. LC_ALL=C.UTF-8): the JVM decodes its arguments in the locale's encoding",
        ),
        main: "InfobipJwt.java",
        files: files!("java": "InfobipJwt.java"),
        install: Some("javac -d classes InfobipJwt.java"),
        run: "java -cp classes InfobipJwt {user}",
    },
    Stack {
        stack: "go-golang-jwt",
        language: "Go",
        library: "github.com/golang-jwt/jwt/v4",
        version: "4.4.3",
        note: Some(
            "v4, Debian 12's golang-github-golang-jwt-jwt-dev, with Go 1.19; v5 is not verified",
        ),
        main: "main.go",
        files: files!("go-golang-jwt": "main.go", "go.mod"),
        install: Some("go mod tidy && go build -o infobip-jwt ."),
        run: "./infobip-jwt {user}",
    },
    Stack {
        stack: "ruby-jwt",
        language: "Ruby",
        library: "ruby-jwt (gem jwt)",
        version: "2.5.0",
        note: Some("Debian 12's ruby-jwt, with Ruby 3.1; later versions are not verified"),
        main: "infobip_jwt.rb",
        files: files!("ruby-jwt": "infobip_jwt.rb", "Gemfile"),
        install: Some("bundle install"),
        run: "ruby infobip_jwt.rb {user}",
    },
    Stack {
        stack: "csharp",
        language: "C#",
        library: ".NET base library (HMACSHA256)",
        version: "Mono 6.8",
        note: Some(
            "verified with Mono's compiler and runtime; the code is plain .NET and builds with the .NET SDK too",
        ),
        main: "InfobipJwt.cs",
        files: files!("csharp": "InfobipJwt.cs"),
        install: Some("mcs -out:InfobipJwt.exe InfobipJwt.cs"),
        run: "env MONO_EXTERNAL_ENCODINGS=UTF-8 mono InfobipJwt.exe {user}",
    },
    Stack {
        stack: "rust-jsonwebtoken",
        language: "Rust",
        library: "jsonwebtoken (crate, rust_crypto backend)",
        version: "11.1.0",
        note: None,
        main: "src/main.rs",
        files: files!("rust-jsonwebtoken": "src/main.rs", "Cargo.toml"),
        install: Some("cargo build --release"),
        run: "target/release/infobip-jwt {user}",
    },
];

/// The stack with this id.
pub fn find(id: &str) -> Option<&'static Stack> {
    STACKS.iter().find(|s| s.stack == id)
}

/// Every stack id, comma-separated (for error messages and help).
pub fn ids() -> String {
    STACKS
        .iter()
        .map(|s| s.stack)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stack_is_complete_and_unique() {
        for (i, s) in STACKS.iter().enumerate() {
            assert!(
                STACKS[..i].iter().all(|o| o.stack != s.stack),
                "{} twice",
                s.stack
            );
            assert_eq!(
                s.files[0].path, s.main,
                "{}: the main file comes first",
                s.stack
            );
            assert!(s.run.contains("{user}"), "{}", s.stack);
            let main = s.main_contents();
            for needle in [
                "INFOBIP_APP_CODE",
                "INFOBIP_JWT_KEY_ID",
                "INFOBIP_JWT_SECRET",
                "never",
            ] {
                assert!(main.contains(needle), "{}: {needle}", s.stack);
            }
            // No file names a path of the machine it was verified on.
            for f in s.files {
                assert!(
                    !f.contents.contains("/usr/share/gocode"),
                    "{}: {}",
                    s.stack,
                    f.path
                );
                assert!(
                    !f.path.starts_with('/') && !f.path.contains(".."),
                    "{}",
                    f.path
                );
            }
        }
        assert_eq!(STACKS.len(), 9);
        assert!(find("php").is_some() && find("perl").is_none());
    }
}
