
use builtin;
use str;

set edit:completion:arg-completer[mmjwt] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'mmjwt'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'mmjwt'= {
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand gen 'Make a signed user-data JWT for an external user id'
            cand check 'Decode and judge a token: what the Android and iOS SDKs say, what the server would reject'
            cand keygen 'Print a fresh random key id and 32-byte hex secret (for the sandbox and tests)'
            cand sandbox 'Run a local emulator of the Mobile API user endpoints under one authorization mode'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff) on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mmjwt;gen'= {
            cand --user-id 'The external user id (the sub claim); ''-'' reads one id per line from standard input'
            cand --app-code 'The Application Code of the App Profile (the infobip-api-key claim)'
            cand --key-id 'The secret key id from the portal''s JWT private keys section (the kid header)'
            cand --secret-file 'Read the hex secret from a file (''-'' for standard input). Preferred in CI'
            cand --secret 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file'
            cand --ttl 'Lifetime: 90s, 15m, 2h, 1d, 1h30m'
            cand --exp 'Expiry instead of a lifetime: Unix seconds or RFC 3339'
            cand --now 'Pretend the time is this (Unix seconds or RFC 3339) so output is reproducible'
            cand --jti 'The jti claim instead of a random UUID v4 (single tokens only)'
            cand --claim 'An extra claim: KEY=VALUE (a string) or KEY:=JSON (any JSON value). Repeatable'
            cand --out 'Write the token to this file (mode 0600) and print nothing'
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --secret-stdin 'Read the hex secret from standard input'
            cand --no-iss 'Leave out the iss claim (by default it is the application code, as in every official example)'
            cand --allow-expired 'Allow an exp that is not after now (test fixtures)'
            cand --allow-empty 'Allow an empty user id, app code or key id (test fixtures the SDK would refuse)'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;check'= {
            cand --sdk 'Which SDK''s client-side validation to emulate'
            cand --leeway 'Clock skew allowed for exp, nbf and iat (e.g. 30s). Default 0'
            cand --now 'Judge as if the time were this (Unix seconds or RFC 3339)'
            cand --user-id 'The external user id the token must carry as sub'
            cand --app-code 'The Application Code of the App Profile (the infobip-api-key claim)'
            cand --key-id 'The secret key id from the portal''s JWT private keys section (the kid header)'
            cand --secret-file 'Read the hex secret from a file (''-'' for standard input). Preferred in CI'
            cand --secret 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file'
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --secret-stdin 'Read the hex secret from standard input'
            cand --require-signature 'Fail (exit 14) when no secret is available to verify the signature'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;keygen'= {
            cand --prefix 'A prefix for the generated key id'
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;sandbox'= {
            cand --listen 'Address to listen on; 127.0.0.1:0 picks a free port. Non-loopback addresses expose the sandbox to the network'
            cand --mode 'The App Profile''s user data authorization option to emulate'
            cand --app-code 'The Application Code of the App Profile (the infobip-api-key claim)'
            cand --key-id 'The secret key id from the portal''s JWT private keys section (the kid header)'
            cand --secret-file 'Read the hex secret from a file (''-'' for standard input). Preferred in CI'
            cand --secret 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file'
            cand --key 'A verification key: KID=HEXSECRET, or KID=@FILE to read the hex from a file. Repeatable (several keys at once, as during key rotation)'
            cand --installation 'An installation (push registration id) that exists from the start. Repeatable'
            cand --leeway 'Clock skew allowed for exp, nbf and iat (e.g. 30s)'
            cand --state 'Keep all data in this JSON file: loaded at start, saved after every change'
            cand --log-format 'Request log on stderr: text, json (NDJSON) or off. Default: json with --json, else text'
            cand --request-timeout 'Requests not answered within this get 408'
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --secret-stdin 'Read the hex secret from standard input'
            cand --strict-installations 'Refuse push registration ids not given with --installation (NO_REGISTRATION) instead of creating them on first use'
            cand --reject-replayed-jti 'Refuse a token whose jti was already used within its lifetime (JTI_REPLAYED)'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;completions'= {
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;man'= {
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;help'= {
            cand gen 'Make a signed user-data JWT for an external user id'
            cand check 'Decode and judge a token: what the Android and iOS SDKs say, what the server would reject'
            cand keygen 'Print a fresh random key id and 32-byte hex secret (for the sandbox and tests)'
            cand sandbox 'Run a local emulator of the Mobile API user endpoints under one authorization mode'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff) on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mmjwt;help;gen'= {
        }
        &'mmjwt;help;check'= {
        }
        &'mmjwt;help;keygen'= {
        }
        &'mmjwt;help;sandbox'= {
        }
        &'mmjwt;help;completions'= {
        }
        &'mmjwt;help;man'= {
        }
        &'mmjwt;help;help'= {
        }
    ]
    $completions[$command]
}
