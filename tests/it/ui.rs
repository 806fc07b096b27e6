//! The debugger page's HTTP surface: headers, Host and Origin rules, content types, limits, the
//! API answering what the command line prints, and the log carrying no secret.
