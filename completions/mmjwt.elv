
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
            cand replay 'Send the fetchUser, saveUser or personalize call exactly as an SDK sends it'
            cand audit 'Ask a token issuer for tokens for many user ids and judge them as the SDKs and the server will, one by one and across tokens (a CI check of the backend)'
            cand issuer 'Token-issuing code for backends, verified with each library, and a local token endpoint'
            cand ui 'Open the offline token debugger (a jwt-only sandbox with its page) in the browser'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff) on stdout, or write one per subcommand into a directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mmjwt;gen'= {
            cand --user-id 'The external user id (the sub claim); ''-'' reads one id per line from standard input. With --from: replaces sub (optional)'
            cand --app-code 'The Application Code of the App Profile (the infobip-api-key claim)'
            cand --key-id 'The secret key id from the portal''s JWT private keys section (the kid header)'
            cand --secret-file 'Read the hex secret from a file (''-'' for standard input). Preferred in CI'
            cand --secret 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file'
            cand --ttl 'Lifetime: 90s, 15m, 2h, 1d, 1h30m (default 15m). With --from: iat becomes now and exp now plus this lifetime; without it the token''s times stay'
            cand --exp 'Expiry instead of a lifetime: Unix seconds or RFC 3339'
            cand --now 'Pretend the time is this (Unix seconds or RFC 3339) so output is reproducible. With --from: the new iat, and the time the result is judged at'
            cand --jti 'The jti claim instead of a random UUID v4 (single tokens only)'
            cand --claim 'An extra claim: KEY=VALUE (a string) or KEY:=JSON (any JSON value). Repeatable'
            cand --out 'Write the token to this file (mode 0600) and print nothing'
            cand --break 'Make the token fail one way, otherwise the same: expired and structure (both SDKs refuse it), signature, user, app-code, kid (the server does). Standard error says what the app will see; --json adds it as `break`. With --from: the edited token, judged against the sub, infobip-api-key and kid it names'
            cand --plugin 'With --break: also show what the app''s catch block receives through this plugin. Repeatable or comma-separated'
            cand --from 'Edit this token and sign it again (''-'' for standard input; ''Bearer '' and the like are removed as check does). Its header and claims stay as written; --user-id, --app-code, --key-id (also from MMJWT_APP_CODE, MMJWT_KEY_ID), --jti, --ttl, --exp, --now, --claim, --unset and --no-iss edit them'
            cand --unset 'With --from: remove this claim (it must be there). Repeatable'
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
            cand --plugin 'Also show what the app''s catch block receives through this plugin on each platform. Repeatable or comma-separated; an empty value shows none'
            cand --sdk 'Which SDK''s client-side validation to emulate'
            cand --leeway 'Clock skew allowed for exp, nbf and iat (e.g. 30s)'
            cand --now 'Judge as if the time were this (Unix seconds or RFC 3339)'
            cand --user-id 'The external user id the token must carry as sub'
            cand --app-code 'The Application Code of the App Profile (the infobip-api-key claim)'
            cand --key-id 'The secret key id from the portal''s JWT private keys section (the kid header)'
            cand --secret-file 'Read the hex secret from a file (''-'' for standard input). Preferred in CI'
            cand --secret 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file'
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --exact 'Judge the string exactly as given, as the SDK gets it from setUserDataJwt: nothing stripped (on stdin, each line minus its \n or \r\n)'
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
            cand --no-ui 'Do not serve the debugger page at / and its API under /_mmjwt/'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;replay'= {
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand fetch-user 'fetchUser: GET the installation''s user'
            cand patch-user 'saveUser: PATCH the user''s attributes (Android: POST with X-HTTP-Method-Override)'
            cand personalize 'personalize: POST a user identity (and attributes) to tie the installation to a person'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mmjwt;replay;fetch-user'= {
            cand --base-url 'Where the Mobile API is, e.g. a sandbox: http://127.0.0.1:8080. Without it, an embedded sandbox is started for the call'
            cand --sdk 'Whose wire format: android (POST + method override, true/false flags) or ios (PATCH, 1/0 flags, sorted JSON)'
            cand --user-id 'The external user id: the token''s sub (and personalize''s externalUserId)'
            cand --users 'One call per user id, one id per line (''-'' for standard input), each with its own token'
            cand --concurrency 'Calls in flight at once with --users (1-256)'
            cand --token 'Send this token instead of generating one (''-'' reads it from standard input)'
            cand --app-code 'The Application Code of the App Profile (the infobip-api-key claim)'
            cand --key-id 'The secret key id from the portal''s JWT private keys section (the kid header)'
            cand --secret-file 'Read the hex secret from a file (''-'' for standard input). Preferred in CI'
            cand --secret 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file'
            cand --break 'Make the generated token fail one way (as `gen --break`); a kind the SDK refuses is refused before sending, the others show the server''s answer'
            cand --ttl 'Lifetime of generated tokens: 90s, 15m, 2h. 0 makes them expired (preflight refuses)'
            cand --now 'Mint and preflight as if the time were this (Unix seconds or RFC 3339)'
            cand --push-reg-id 'The installation''s push registration id (required with --base-url)'
            cand --installation-id 'The installationid header (default: a random UUID per run)'
            cand --session-id 'Send a sessionId header (Android sends it only in the foreground)'
            cand --user-agent 'Replace the SDK-style User-Agent'
            cand --timeout 'Connect and total timeout: 10s, 500ms'
            cand --plugin 'When the SDK refuses the call, also show what the app''s catch block receives through this plugin. Repeatable or comma-separated'
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --app-auth 'Send ''Authorization: App <appCode>'', as the SDK does for an anonymous user'
            cand --secret-stdin 'Read the hex secret from standard input'
            cand --background 'Send foreground: false (the app is in the background)'
            cand --no-preflight 'Send even when the SDK''s own checks (the user data, then the token) would refuse the call'
            cand -v 'Print request and response headers on stderr (credentials redacted)'
            cand --verbose 'Print request and response headers on stderr (credentials redacted)'
            cand --dry-run 'Print the exact request and send nothing'
            cand --curl 'Print an equivalent curl command and send nothing'
            cand --show-secrets 'Show the token or application code in -v, --dry-run, --curl and --json output'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;replay;patch-user'= {
            cand --data 'The user attributes: JSON, @FILE or ''-'' for standard input. null clears a field'
            cand --base-url 'Where the Mobile API is, e.g. a sandbox: http://127.0.0.1:8080. Without it, an embedded sandbox is started for the call'
            cand --sdk 'Whose wire format: android (POST + method override, true/false flags) or ios (PATCH, 1/0 flags, sorted JSON)'
            cand --user-id 'The external user id: the token''s sub (and personalize''s externalUserId)'
            cand --users 'One call per user id, one id per line (''-'' for standard input), each with its own token'
            cand --concurrency 'Calls in flight at once with --users (1-256)'
            cand --token 'Send this token instead of generating one (''-'' reads it from standard input)'
            cand --app-code 'The Application Code of the App Profile (the infobip-api-key claim)'
            cand --key-id 'The secret key id from the portal''s JWT private keys section (the kid header)'
            cand --secret-file 'Read the hex secret from a file (''-'' for standard input). Preferred in CI'
            cand --secret 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file'
            cand --break 'Make the generated token fail one way (as `gen --break`); a kind the SDK refuses is refused before sending, the others show the server''s answer'
            cand --ttl 'Lifetime of generated tokens: 90s, 15m, 2h. 0 makes them expired (preflight refuses)'
            cand --now 'Mint and preflight as if the time were this (Unix seconds or RFC 3339)'
            cand --push-reg-id 'The installation''s push registration id (required with --base-url)'
            cand --installation-id 'The installationid header (default: a random UUID per run)'
            cand --session-id 'Send a sessionId header (Android sends it only in the foreground)'
            cand --user-agent 'Replace the SDK-style User-Agent'
            cand --timeout 'Connect and total timeout: 10s, 500ms'
            cand --plugin 'When the SDK refuses the call, also show what the app''s catch block receives through this plugin. Repeatable or comma-separated'
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --app-auth 'Send ''Authorization: App <appCode>'', as the SDK does for an anonymous user'
            cand --secret-stdin 'Read the hex secret from standard input'
            cand --background 'Send foreground: false (the app is in the background)'
            cand --no-preflight 'Send even when the SDK''s own checks (the user data, then the token) would refuse the call'
            cand -v 'Print request and response headers on stderr (credentials redacted)'
            cand --verbose 'Print request and response headers on stderr (credentials redacted)'
            cand --dry-run 'Print the exact request and send nothing'
            cand --curl 'Print an equivalent curl command and send nothing'
            cand --show-secrets 'Show the token or application code in -v, --dry-run, --curl and --json output'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;replay;personalize'= {
            cand --data '{"userIdentity": {..}, "userAttributes": {..}}: JSON, @FILE or ''-''. Without it, or without an externalUserId in it, the identity is --user-id'
            cand --base-url 'Where the Mobile API is, e.g. a sandbox: http://127.0.0.1:8080. Without it, an embedded sandbox is started for the call'
            cand --sdk 'Whose wire format: android (POST + method override, true/false flags) or ios (PATCH, 1/0 flags, sorted JSON)'
            cand --user-id 'The external user id: the token''s sub (and personalize''s externalUserId)'
            cand --users 'One call per user id, one id per line (''-'' for standard input), each with its own token'
            cand --concurrency 'Calls in flight at once with --users (1-256)'
            cand --token 'Send this token instead of generating one (''-'' reads it from standard input)'
            cand --app-code 'The Application Code of the App Profile (the infobip-api-key claim)'
            cand --key-id 'The secret key id from the portal''s JWT private keys section (the kid header)'
            cand --secret-file 'Read the hex secret from a file (''-'' for standard input). Preferred in CI'
            cand --secret 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file'
            cand --break 'Make the generated token fail one way (as `gen --break`); a kind the SDK refuses is refused before sending, the others show the server''s answer'
            cand --ttl 'Lifetime of generated tokens: 90s, 15m, 2h. 0 makes them expired (preflight refuses)'
            cand --now 'Mint and preflight as if the time were this (Unix seconds or RFC 3339)'
            cand --push-reg-id 'The installation''s push registration id (required with --base-url)'
            cand --installation-id 'The installationid header (default: a random UUID per run)'
            cand --session-id 'Send a sessionId header (Android sends it only in the foreground)'
            cand --user-agent 'Replace the SDK-style User-Agent'
            cand --timeout 'Connect and total timeout: 10s, 500ms'
            cand --plugin 'When the SDK refuses the call, also show what the app''s catch block receives through this plugin. Repeatable or comma-separated'
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --force-depersonalize 'Send forceDepersonalize=true (take the installation from another person)'
            cand --keep-as-lead 'Send keepAsLead=true'
            cand --set-device-as-primary 'Send setDeviceAsPrimary=true'
            cand --app-auth 'Send ''Authorization: App <appCode>'', as the SDK does for an anonymous user'
            cand --secret-stdin 'Read the hex secret from standard input'
            cand --background 'Send foreground: false (the app is in the background)'
            cand --no-preflight 'Send even when the SDK''s own checks (the user data, then the token) would refuse the call'
            cand -v 'Print request and response headers on stderr (credentials redacted)'
            cand --verbose 'Print request and response headers on stderr (credentials redacted)'
            cand --dry-run 'Print the exact request and send nothing'
            cand --curl 'Print an equivalent curl command and send nothing'
            cand --show-secrets 'Show the token or application code in -v, --dry-run, --curl and --json output'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;replay;help'= {
            cand fetch-user 'fetchUser: GET the installation''s user'
            cand patch-user 'saveUser: PATCH the user''s attributes (Android: POST with X-HTTP-Method-Override)'
            cand personalize 'personalize: POST a user identity (and attributes) to tie the installation to a person'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mmjwt;replay;help;fetch-user'= {
        }
        &'mmjwt;replay;help;patch-user'= {
        }
        &'mmjwt;replay;help;personalize'= {
        }
        &'mmjwt;replay;help;help'= {
        }
        &'mmjwt;audit'= {
            cand --url 'GET this URL per user: {user} becomes the percent-encoded user id. Redirects are not followed'
            cand --exec 'Run this program per user, without a shell: {user} in its words becomes the user id (also in MMJWT_AUDIT_USER); the token is read from its stdout'
            cand --header 'A header for the backend''s own authorization, ''Name: value'' (repeatable; with --url). The value is never printed'
            cand --header-file 'Headers from a file, one ''Name: value'' per line (keeps credentials out of argv, which other users can read). Repeatable; with --url'
            cand --timeout 'Time allowed per fetch (HTTP exchange or program run): 10s, 500ms, 1m'
            cand --json-pointer 'Where the token is in a JSON answer (RFC 6901), e.g. /data/token. Without it the members token, jwt, accessToken, access_token and userDataJwt are tried'
            cand --users 'One user id per line (''-'' for standard input) instead of the built-in battery'
            cand --repeat 'Fetches per user (1-100)'
            cand --concurrency 'Fetches in flight at once (1-64)'
            cand --max-skew 'CLOCK_SKEW when iat is further than this from this machine''s clock, either way'
            cand --min-lifetime 'LIFETIME_TOO_SHORT below this exp - iat'
            cand --max-lifetime 'LIFETIME_TOO_LONG above this exp - iat'
            cand --leeway 'Clock skew the check allows for exp, nbf and iat (as in mmjwt check)'
            cand --sdk 'Which SDK''s client-side validation to emulate'
            cand --app-code 'The Application Code of the App Profile (the infobip-api-key claim)'
            cand --key-id 'The secret key id from the portal''s JWT private keys section (the kid header)'
            cand --secret-file 'Read the hex secret from a file (''-'' for standard input). Preferred in CI'
            cand --secret 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file'
            cand --junit 'Also write the report as JUnit XML to this file (for CI test reports)'
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --secret-stdin 'Read the hex secret from standard input'
            cand --require-signature 'Fail (exit 14) when no secret is available to verify the signatures'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;issuer'= {
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'The stacks: language, library and the version the code was verified with, install and run commands'
            cand code 'Print a stack''s main file, or write all its files with --out'
            cand serve 'Answer GET /token?user=ID with a token signed as gen signs it (loopback only by default)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mmjwt;issuer;list'= {
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;issuer;code'= {
            cand --out 'Write every file of the stack into this directory (created if missing) instead of printing the main file'
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --force 'With --out: overwrite files that exist'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;issuer;serve'= {
            cand --listen 'Address to listen on; 127.0.0.1:0 picks a free port. A non-loopback address needs --allow-remote'
            cand --ttl 'Lifetime of each token: 90s, 15m, 2h'
            cand --app-code 'The Application Code of the App Profile (the infobip-api-key claim)'
            cand --key-id 'The secret key id from the portal''s JWT private keys section (the kid header)'
            cand --secret-file 'Read the hex secret from a file (''-'' for standard input). Preferred in CI'
            cand --secret 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file'
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --allow-remote 'Allow a non-loopback --listen address: anyone who can reach it gets a token for any user'
            cand --secret-stdin 'Read the hex secret from standard input'
            cand --json 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mmjwt;issuer;help'= {
            cand list 'The stacks: language, library and the version the code was verified with, install and run commands'
            cand code 'Print a stack''s main file, or write all its files with --out'
            cand serve 'Answer GET /token?user=ID with a token signed as gen signs it (loopback only by default)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mmjwt;issuer;help;list'= {
        }
        &'mmjwt;issuer;help;code'= {
        }
        &'mmjwt;issuer;help;serve'= {
        }
        &'mmjwt;issuer;help;help'= {
        }
        &'mmjwt;ui'= {
            cand --app-code 'The Application Code of the App Profile (the infobip-api-key claim)'
            cand --key-id 'The secret key id from the portal''s JWT private keys section (the kid header)'
            cand --secret-file 'Read the hex secret from a file (''-'' for standard input). Preferred in CI'
            cand --secret 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file'
            cand --log-format 'Request log on stderr as well as on the page: text, json or off (default)'
            cand --color 'When to colour output: auto (a terminal, and no NO_COLOR), always or never'
            cand --no-open 'Do not open the default browser; only print the URL'
            cand --secret-stdin 'Read the hex secret from standard input'
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
            cand --dir 'Write mmjwt.1 and a page per subcommand (mmjwt-check.1, mmjwt-replay-fetch-user.1, ...) into this directory, created if needed, and print their paths'
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
            cand replay 'Send the fetchUser, saveUser or personalize call exactly as an SDK sends it'
            cand audit 'Ask a token issuer for tokens for many user ids and judge them as the SDKs and the server will, one by one and across tokens (a CI check of the backend)'
            cand issuer 'Token-issuing code for backends, verified with each library, and a local token endpoint'
            cand ui 'Open the offline token debugger (a jwt-only sandbox with its page) in the browser'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff) on stdout, or write one per subcommand into a directory'
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
        &'mmjwt;help;replay'= {
            cand fetch-user 'fetchUser: GET the installation''s user'
            cand patch-user 'saveUser: PATCH the user''s attributes (Android: POST with X-HTTP-Method-Override)'
            cand personalize 'personalize: POST a user identity (and attributes) to tie the installation to a person'
        }
        &'mmjwt;help;replay;fetch-user'= {
        }
        &'mmjwt;help;replay;patch-user'= {
        }
        &'mmjwt;help;replay;personalize'= {
        }
        &'mmjwt;help;audit'= {
        }
        &'mmjwt;help;issuer'= {
            cand list 'The stacks: language, library and the version the code was verified with, install and run commands'
            cand code 'Print a stack''s main file, or write all its files with --out'
            cand serve 'Answer GET /token?user=ID with a token signed as gen signs it (loopback only by default)'
        }
        &'mmjwt;help;issuer;list'= {
        }
        &'mmjwt;help;issuer;code'= {
        }
        &'mmjwt;help;issuer;serve'= {
        }
        &'mmjwt;help;ui'= {
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
