//! The `mmjwt` binary: everything lives in the library; this only hands over the arguments.

fn main() -> std::process::ExitCode {
    mmjwt::run(std::env::args_os())
}
