# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_mmjwt_global_optspecs
    string join \n color= json h/help V/version
end

function __fish_mmjwt_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_mmjwt_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_mmjwt_using_subcommand
    set -l cmd (__fish_mmjwt_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c mmjwt -n "__fish_mmjwt_needs_command" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_needs_command" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -f -a "gen" -d 'Make a signed user-data JWT for an external user id'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -f -a "check" -d 'Decode and judge a token: what the Android and iOS SDKs say, what the server would reject'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -f -a "keygen" -d 'Print a fresh random key id and 32-byte hex secret (for the sandbox and tests)'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -f -a "sandbox" -d 'Run a local emulator of the Mobile API user endpoints under one authorization mode'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -f -a "replay" -d 'Send the fetchUser, saveUser or personalize call exactly as an SDK sends it'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -f -a "audit" -d 'Ask a token issuer for tokens for many user ids and judge them as the SDKs and the server will, one by one and across tokens (a CI check of the backend)'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -f -a "issuer" -d 'Token-issuing code for backends, verified with each library, and a local token endpoint'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -f -a "ui" -d 'Open the offline token debugger (a jwt-only sandbox with its page) in the browser'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -f -a "man" -d 'Print the man page (roff) on stdout, or write one per subcommand into a directory'
complete -c mmjwt -n "__fish_mmjwt_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l user-id -d 'The external user id (the sub claim); \'-\' reads one id per line from standard input. With --from: replaces sub (optional)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l app-code -d 'The Application Code of the App Profile (the infobip-api-key claim)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l key-id -d 'The secret key id from the portal\'s JWT private keys section (the kid header)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l secret-file -d 'Read the hex secret from a file (\'-\' for standard input). Preferred in CI' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l secret -d 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l ttl -d 'Lifetime: 90s, 15m, 2h, 1d, 1h30m (default 15m). With --from: iat becomes now and exp now plus this lifetime; without it the token\'s times stay' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l exp -d 'Expiry instead of a lifetime: Unix seconds or RFC 3339' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l now -d 'Pretend the time is this (Unix seconds or RFC 3339) so output is reproducible. With --from: the new iat, and the time the result is judged at' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l jti -d 'The jti claim instead of a random UUID v4 (single tokens only)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l claim -d 'An extra claim: KEY=VALUE (a string) or KEY:=JSON (any JSON value). Repeatable' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l out -d 'Write the token to this file (mode 0600) and print nothing' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l break -d 'Make the token fail one way, otherwise the same: expired and structure (both SDKs refuse it), signature, user, app-code, kid (the server does). Standard error says what the app will see; --json adds it as `break`. With --from: the edited token, judged against the sub, infobip-api-key and kid it names' -r -f -a "expired\t''
structure\t''
signature\t''
user\t''
app-code\t''
kid\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l plugin -d 'With --break: also show what the app\'s catch block receives through this plugin. Repeatable or comma-separated' -r -f -a "flutter\t''
react-native\t''
cordova\t''
all\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l from -d 'Edit this token and sign it again (\'-\' for standard input; \'Bearer \' and the like are removed as check does). Its header and claims stay as written; --user-id, --app-code, --key-id (also from MMJWT_APP_CODE, MMJWT_KEY_ID), --jti, --ttl, --exp, --now, --claim, --unset and --no-iss edit them' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l unset -d 'With --from: remove this claim (it must be there). Repeatable' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l secret-stdin -d 'Read the hex secret from standard input'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l no-iss -d 'Leave out the iss claim (by default it is the application code, as in every official example)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l allow-expired -d 'Allow an exp that is not after now (test fixtures)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l allow-empty -d 'Allow an empty user id, app code or key id (test fixtures the SDK would refuse)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand gen" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l plugin -d 'Also show what the app\'s catch block receives through this plugin on each platform. Repeatable or comma-separated; an empty value shows none' -r -f -a "flutter\t''
react-native\t''
cordova\t''
all\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l sdk -d 'Which SDK\'s client-side validation to emulate' -r -f -a "android\t''
ios\t''
both\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l leeway -d 'Clock skew allowed for exp, nbf and iat (e.g. 30s)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l now -d 'Judge as if the time were this (Unix seconds or RFC 3339)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l user-id -d 'The external user id the token must carry as sub' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l app-code -d 'The Application Code of the App Profile (the infobip-api-key claim)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l key-id -d 'The secret key id from the portal\'s JWT private keys section (the kid header)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l secret-file -d 'Read the hex secret from a file (\'-\' for standard input). Preferred in CI' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l secret -d 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l exact -d 'Judge the string exactly as given, as the SDK gets it from setUserDataJwt: nothing stripped (on stdin, each line minus its \\n or \\r\\n)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l secret-stdin -d 'Read the hex secret from standard input'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l require-signature -d 'Fail (exit 14) when no secret is available to verify the signature'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand check" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand keygen" -l prefix -d 'A prefix for the generated key id' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand keygen" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand keygen" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand keygen" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand keygen" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l listen -d 'Address to listen on; 127.0.0.1:0 picks a free port. Non-loopback addresses expose the sandbox to the network' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l mode -d 'The App Profile\'s user data authorization option to emulate' -r -f -a "allow-all\t'Allow all mobile SDK requests (App authorization; Bearer tokens are verified if sent)'
jwt-only\t'Allow only mobile SDK requests with JWT authorization'
disallow\t'Disallow all mobile SDK requests to user data'"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l app-code -d 'The Application Code of the App Profile (the infobip-api-key claim)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l key-id -d 'The secret key id from the portal\'s JWT private keys section (the kid header)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l secret-file -d 'Read the hex secret from a file (\'-\' for standard input). Preferred in CI' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l secret -d 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l key -d 'A verification key: KID=HEXSECRET, or KID=@FILE to read the hex from a file. Repeatable (several keys at once, as during key rotation)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l installation -d 'An installation (push registration id) that exists from the start. Repeatable' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l leeway -d 'Clock skew allowed for exp, nbf and iat (e.g. 30s)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l state -d 'Keep all data in this JSON file: loaded at start, saved after every change' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l log-format -d 'Request log on stderr: text, json (NDJSON) or off. Default: json with --json, else text' -r -f -a "text\t'One human-readable line per request'
json\t'One JSON object per line (NDJSON)'
off\t'Nothing (in-process use by tests and `replay`)'"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l request-timeout -d 'Requests not answered within this get 408' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l secret-stdin -d 'Read the hex secret from standard input'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l strict-installations -d 'Refuse push registration ids not given with --installation (NO_REGISTRATION) instead of creating them on first use'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l reject-replayed-jti -d 'Refuse a token whose jti was already used within its lifetime (JTI_REPLAYED)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l no-ui -d 'Do not serve the debugger page at / and its API under /_mmjwt/'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand sandbox" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and not __fish_seen_subcommand_from fetch-user patch-user personalize help" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and not __fish_seen_subcommand_from fetch-user patch-user personalize help" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and not __fish_seen_subcommand_from fetch-user patch-user personalize help" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and not __fish_seen_subcommand_from fetch-user patch-user personalize help" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and not __fish_seen_subcommand_from fetch-user patch-user personalize help" -f -a "fetch-user" -d 'fetchUser: GET the installation\'s user'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and not __fish_seen_subcommand_from fetch-user patch-user personalize help" -f -a "patch-user" -d 'saveUser: PATCH the user\'s attributes (Android: POST with X-HTTP-Method-Override)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and not __fish_seen_subcommand_from fetch-user patch-user personalize help" -f -a "personalize" -d 'personalize: POST a user identity (and attributes) to tie the installation to a person'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and not __fish_seen_subcommand_from fetch-user patch-user personalize help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l base-url -d 'Where the Mobile API is, e.g. a sandbox: http://127.0.0.1:8080. Without it, an embedded sandbox is started for the call' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l sdk -d 'Whose wire format: android (POST + method override, true/false flags) or ios (PATCH, 1/0 flags, sorted JSON)' -r -f -a "android\t''
ios\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l user-id -d 'The external user id: the token\'s sub (and personalize\'s externalUserId)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l users -d 'One call per user id, one id per line (\'-\' for standard input), each with its own token' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l concurrency -d 'Calls in flight at once with --users (1-256)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l token -d 'Send this token instead of generating one (\'-\' reads it from standard input)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l app-code -d 'The Application Code of the App Profile (the infobip-api-key claim)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l key-id -d 'The secret key id from the portal\'s JWT private keys section (the kid header)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l secret-file -d 'Read the hex secret from a file (\'-\' for standard input). Preferred in CI' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l secret -d 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l break -d 'Make the generated token fail one way (as `gen --break`); a kind the SDK refuses is refused before sending, the others show the server\'s answer' -r -f -a "expired\t''
structure\t''
signature\t''
user\t''
app-code\t''
kid\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l ttl -d 'Lifetime of generated tokens: 90s, 15m, 2h. 0 makes them expired (preflight refuses)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l now -d 'Mint and preflight as if the time were this (Unix seconds or RFC 3339)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l push-reg-id -d 'The installation\'s push registration id (required with --base-url)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l installation-id -d 'The installationid header (default: a random UUID per run)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l session-id -d 'Send a sessionId header (Android sends it only in the foreground)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l user-agent -d 'Replace the SDK-style User-Agent' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l timeout -d 'Connect and total timeout: 10s, 500ms' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l plugin -d 'When the SDK refuses the call, also show what the app\'s catch block receives through this plugin. Repeatable or comma-separated' -r -f -a "flutter\t''
react-native\t''
cordova\t''
all\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l app-auth -d 'Send \'Authorization: App <appCode>\', as the SDK does for an anonymous user'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l secret-stdin -d 'Read the hex secret from standard input'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l background -d 'Send foreground: false (the app is in the background)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l no-preflight -d 'Send even when the SDK\'s own checks (the user data, then the token) would refuse the call'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -s v -l verbose -d 'Print request and response headers on stderr (credentials redacted)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l dry-run -d 'Print the exact request and send nothing'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l curl -d 'Print an equivalent curl command and send nothing'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l show-secrets -d 'Show the token or application code in -v, --dry-run, --curl and --json output'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from fetch-user" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l data -d 'The user attributes: JSON, @FILE or \'-\' for standard input. null clears a field' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l base-url -d 'Where the Mobile API is, e.g. a sandbox: http://127.0.0.1:8080. Without it, an embedded sandbox is started for the call' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l sdk -d 'Whose wire format: android (POST + method override, true/false flags) or ios (PATCH, 1/0 flags, sorted JSON)' -r -f -a "android\t''
ios\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l user-id -d 'The external user id: the token\'s sub (and personalize\'s externalUserId)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l users -d 'One call per user id, one id per line (\'-\' for standard input), each with its own token' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l concurrency -d 'Calls in flight at once with --users (1-256)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l token -d 'Send this token instead of generating one (\'-\' reads it from standard input)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l app-code -d 'The Application Code of the App Profile (the infobip-api-key claim)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l key-id -d 'The secret key id from the portal\'s JWT private keys section (the kid header)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l secret-file -d 'Read the hex secret from a file (\'-\' for standard input). Preferred in CI' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l secret -d 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l break -d 'Make the generated token fail one way (as `gen --break`); a kind the SDK refuses is refused before sending, the others show the server\'s answer' -r -f -a "expired\t''
structure\t''
signature\t''
user\t''
app-code\t''
kid\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l ttl -d 'Lifetime of generated tokens: 90s, 15m, 2h. 0 makes them expired (preflight refuses)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l now -d 'Mint and preflight as if the time were this (Unix seconds or RFC 3339)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l push-reg-id -d 'The installation\'s push registration id (required with --base-url)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l installation-id -d 'The installationid header (default: a random UUID per run)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l session-id -d 'Send a sessionId header (Android sends it only in the foreground)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l user-agent -d 'Replace the SDK-style User-Agent' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l timeout -d 'Connect and total timeout: 10s, 500ms' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l plugin -d 'When the SDK refuses the call, also show what the app\'s catch block receives through this plugin. Repeatable or comma-separated' -r -f -a "flutter\t''
react-native\t''
cordova\t''
all\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l app-auth -d 'Send \'Authorization: App <appCode>\', as the SDK does for an anonymous user'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l secret-stdin -d 'Read the hex secret from standard input'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l background -d 'Send foreground: false (the app is in the background)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l no-preflight -d 'Send even when the SDK\'s own checks (the user data, then the token) would refuse the call'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -s v -l verbose -d 'Print request and response headers on stderr (credentials redacted)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l dry-run -d 'Print the exact request and send nothing'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l curl -d 'Print an equivalent curl command and send nothing'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l show-secrets -d 'Show the token or application code in -v, --dry-run, --curl and --json output'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from patch-user" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l data -d '{"userIdentity": {..}, "userAttributes": {..}}: JSON, @FILE or \'-\'. Without it, or without an externalUserId in it, the identity is --user-id' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l base-url -d 'Where the Mobile API is, e.g. a sandbox: http://127.0.0.1:8080. Without it, an embedded sandbox is started for the call' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l sdk -d 'Whose wire format: android (POST + method override, true/false flags) or ios (PATCH, 1/0 flags, sorted JSON)' -r -f -a "android\t''
ios\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l user-id -d 'The external user id: the token\'s sub (and personalize\'s externalUserId)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l users -d 'One call per user id, one id per line (\'-\' for standard input), each with its own token' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l concurrency -d 'Calls in flight at once with --users (1-256)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l token -d 'Send this token instead of generating one (\'-\' reads it from standard input)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l app-code -d 'The Application Code of the App Profile (the infobip-api-key claim)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l key-id -d 'The secret key id from the portal\'s JWT private keys section (the kid header)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l secret-file -d 'Read the hex secret from a file (\'-\' for standard input). Preferred in CI' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l secret -d 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l break -d 'Make the generated token fail one way (as `gen --break`); a kind the SDK refuses is refused before sending, the others show the server\'s answer' -r -f -a "expired\t''
structure\t''
signature\t''
user\t''
app-code\t''
kid\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l ttl -d 'Lifetime of generated tokens: 90s, 15m, 2h. 0 makes them expired (preflight refuses)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l now -d 'Mint and preflight as if the time were this (Unix seconds or RFC 3339)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l push-reg-id -d 'The installation\'s push registration id (required with --base-url)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l installation-id -d 'The installationid header (default: a random UUID per run)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l session-id -d 'Send a sessionId header (Android sends it only in the foreground)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l user-agent -d 'Replace the SDK-style User-Agent' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l timeout -d 'Connect and total timeout: 10s, 500ms' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l plugin -d 'When the SDK refuses the call, also show what the app\'s catch block receives through this plugin. Repeatable or comma-separated' -r -f -a "flutter\t''
react-native\t''
cordova\t''
all\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l force-depersonalize -d 'Send forceDepersonalize=true (take the installation from another person)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l keep-as-lead -d 'Send keepAsLead=true'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l set-device-as-primary -d 'Send setDeviceAsPrimary=true'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l app-auth -d 'Send \'Authorization: App <appCode>\', as the SDK does for an anonymous user'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l secret-stdin -d 'Read the hex secret from standard input'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l background -d 'Send foreground: false (the app is in the background)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l no-preflight -d 'Send even when the SDK\'s own checks (the user data, then the token) would refuse the call'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -s v -l verbose -d 'Print request and response headers on stderr (credentials redacted)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l dry-run -d 'Print the exact request and send nothing'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l curl -d 'Print an equivalent curl command and send nothing'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l show-secrets -d 'Show the token or application code in -v, --dry-run, --curl and --json output'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from personalize" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from help" -f -a "fetch-user" -d 'fetchUser: GET the installation\'s user'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from help" -f -a "patch-user" -d 'saveUser: PATCH the user\'s attributes (Android: POST with X-HTTP-Method-Override)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from help" -f -a "personalize" -d 'personalize: POST a user identity (and attributes) to tie the installation to a person'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand replay; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l url -d 'GET this URL per user: {user} becomes the percent-encoded user id. Redirects are not followed' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l exec -d 'Run this program per user, without a shell: {user} in its words becomes the user id (also in MMJWT_AUDIT_USER); the token is read from its stdout' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l header -d 'A header for the backend\'s own authorization, \'Name: value\' (repeatable; with --url). The value is never printed' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l header-file -d 'Headers from a file, one \'Name: value\' per line (keeps credentials out of argv, which other users can read). Repeatable; with --url' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l timeout -d 'Time allowed per fetch (HTTP exchange or program run): 10s, 500ms, 1m' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l json-pointer -d 'Where the token is in a JSON answer (RFC 6901), e.g. /data/token. Without it the members token, jwt, accessToken, access_token and userDataJwt are tried' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l users -d 'One user id per line (\'-\' for standard input) instead of the built-in battery' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l repeat -d 'Fetches per user (1-100)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l concurrency -d 'Fetches in flight at once (1-64)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l max-skew -d 'CLOCK_SKEW when iat is further than this from this machine\'s clock, either way' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l min-lifetime -d 'LIFETIME_TOO_SHORT below this exp - iat' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l max-lifetime -d 'LIFETIME_TOO_LONG above this exp - iat' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l leeway -d 'Clock skew the check allows for exp, nbf and iat (as in mmjwt check)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l sdk -d 'Which SDK\'s client-side validation to emulate' -r -f -a "android\t''
ios\t''
both\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l app-code -d 'The Application Code of the App Profile (the infobip-api-key claim)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l key-id -d 'The secret key id from the portal\'s JWT private keys section (the kid header)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l secret-file -d 'Read the hex secret from a file (\'-\' for standard input). Preferred in CI' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l secret -d 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l junit -d 'Also write the report as JUnit XML to this file (for CI test reports)' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l secret-stdin -d 'Read the hex secret from standard input'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l require-signature -d 'Fail (exit 14) when no secret is available to verify the signatures'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand audit" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and not __fish_seen_subcommand_from list code serve help" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and not __fish_seen_subcommand_from list code serve help" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and not __fish_seen_subcommand_from list code serve help" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and not __fish_seen_subcommand_from list code serve help" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and not __fish_seen_subcommand_from list code serve help" -f -a "list" -d 'The stacks: language, library and the version the code was verified with, install and run commands'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and not __fish_seen_subcommand_from list code serve help" -f -a "code" -d 'Print a stack\'s main file, or write all its files with --out'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and not __fish_seen_subcommand_from list code serve help" -f -a "serve" -d 'Answer GET /token?user=ID with a token signed as gen signs it (loopback only by default)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and not __fish_seen_subcommand_from list code serve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from list" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from code" -l out -d 'Write every file of the stack into this directory (created if missing) instead of printing the main file' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from code" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from code" -l force -d 'With --out: overwrite files that exist'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from code" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from code" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from code" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from serve" -l listen -d 'Address to listen on; 127.0.0.1:0 picks a free port. A non-loopback address needs --allow-remote' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from serve" -l ttl -d 'Lifetime of each token: 90s, 15m, 2h' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from serve" -l app-code -d 'The Application Code of the App Profile (the infobip-api-key claim)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from serve" -l key-id -d 'The secret key id from the portal\'s JWT private keys section (the kid header)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from serve" -l secret-file -d 'Read the hex secret from a file (\'-\' for standard input). Preferred in CI' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from serve" -l secret -d 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from serve" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from serve" -l allow-remote -d 'Allow a non-loopback --listen address: anyone who can reach it gets a token for any user'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from serve" -l secret-stdin -d 'Read the hex secret from standard input'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from serve" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from serve" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from help" -f -a "list" -d 'The stacks: language, library and the version the code was verified with, install and run commands'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from help" -f -a "code" -d 'Print a stack\'s main file, or write all its files with --out'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Answer GET /token?user=ID with a token signed as gen signs it (loopback only by default)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand issuer; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand ui" -l app-code -d 'The Application Code of the App Profile (the infobip-api-key claim)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand ui" -l key-id -d 'The secret key id from the portal\'s JWT private keys section (the kid header)' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand ui" -l secret-file -d 'Read the hex secret from a file (\'-\' for standard input). Preferred in CI' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand ui" -l secret -d 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file' -r
complete -c mmjwt -n "__fish_mmjwt_using_subcommand ui" -l log-format -d 'Request log on stderr as well as on the page: text, json or off (default)' -r -f -a "text\t'One human-readable line per request'
json\t'One JSON object per line (NDJSON)'
off\t'Nothing (in-process use by tests and `replay`)'"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand ui" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand ui" -l no-open -d 'Do not open the default browser; only print the URL'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand ui" -l secret-stdin -d 'Read the hex secret from standard input'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand ui" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand ui" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand ui" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand completions" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand completions" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand completions" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand completions" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand man" -l dir -d 'Write mmjwt.1 and a page per subcommand (mmjwt-check.1, mmjwt-replay-fetch-user.1, ...) into this directory, created if needed, and print their paths' -r -F
complete -c mmjwt -n "__fish_mmjwt_using_subcommand man" -l color -d 'When to colour output: auto (a terminal, and no NO_COLOR), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mmjwt -n "__fish_mmjwt_using_subcommand man" -l json -d 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand man" -s h -l help -d 'Print help'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand man" -s V -l version -d 'Print version'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and not __fish_seen_subcommand_from gen check keygen sandbox replay audit issuer ui completions man help" -f -a "gen" -d 'Make a signed user-data JWT for an external user id'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and not __fish_seen_subcommand_from gen check keygen sandbox replay audit issuer ui completions man help" -f -a "check" -d 'Decode and judge a token: what the Android and iOS SDKs say, what the server would reject'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and not __fish_seen_subcommand_from gen check keygen sandbox replay audit issuer ui completions man help" -f -a "keygen" -d 'Print a fresh random key id and 32-byte hex secret (for the sandbox and tests)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and not __fish_seen_subcommand_from gen check keygen sandbox replay audit issuer ui completions man help" -f -a "sandbox" -d 'Run a local emulator of the Mobile API user endpoints under one authorization mode'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and not __fish_seen_subcommand_from gen check keygen sandbox replay audit issuer ui completions man help" -f -a "replay" -d 'Send the fetchUser, saveUser or personalize call exactly as an SDK sends it'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and not __fish_seen_subcommand_from gen check keygen sandbox replay audit issuer ui completions man help" -f -a "audit" -d 'Ask a token issuer for tokens for many user ids and judge them as the SDKs and the server will, one by one and across tokens (a CI check of the backend)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and not __fish_seen_subcommand_from gen check keygen sandbox replay audit issuer ui completions man help" -f -a "issuer" -d 'Token-issuing code for backends, verified with each library, and a local token endpoint'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and not __fish_seen_subcommand_from gen check keygen sandbox replay audit issuer ui completions man help" -f -a "ui" -d 'Open the offline token debugger (a jwt-only sandbox with its page) in the browser'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and not __fish_seen_subcommand_from gen check keygen sandbox replay audit issuer ui completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and not __fish_seen_subcommand_from gen check keygen sandbox replay audit issuer ui completions man help" -f -a "man" -d 'Print the man page (roff) on stdout, or write one per subcommand into a directory'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and not __fish_seen_subcommand_from gen check keygen sandbox replay audit issuer ui completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and __fish_seen_subcommand_from replay" -f -a "fetch-user" -d 'fetchUser: GET the installation\'s user'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and __fish_seen_subcommand_from replay" -f -a "patch-user" -d 'saveUser: PATCH the user\'s attributes (Android: POST with X-HTTP-Method-Override)'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and __fish_seen_subcommand_from replay" -f -a "personalize" -d 'personalize: POST a user identity (and attributes) to tie the installation to a person'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and __fish_seen_subcommand_from issuer" -f -a "list" -d 'The stacks: language, library and the version the code was verified with, install and run commands'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and __fish_seen_subcommand_from issuer" -f -a "code" -d 'Print a stack\'s main file, or write all its files with --out'
complete -c mmjwt -n "__fish_mmjwt_using_subcommand help; and __fish_seen_subcommand_from issuer" -f -a "serve" -d 'Answer GET /token?user=ID with a token signed as gen signs it (loopback only by default)'
