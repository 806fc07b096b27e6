
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'mmjwt' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'mmjwt'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'mmjwt' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('gen', 'gen', [CompletionResultType]::ParameterValue, 'Make a signed user-data JWT for an external user id')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Decode and judge a token: what the Android and iOS SDKs say, what the server would reject')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Print a fresh random key id and 32-byte hex secret (for the sandbox and tests)')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Run a local emulator of the Mobile API user endpoints under one authorization mode')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Send the fetchUser, saveUser or personalize call exactly as an SDK sends it')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Ask a token issuer for tokens for many user ids and judge them as the SDKs and the server will, one by one and across tokens (a CI check of the backend)')
            [CompletionResult]::new('issuer', 'issuer', [CompletionResultType]::ParameterValue, 'Token-issuing code for backends, verified with each library, and a local token endpoint')
            [CompletionResult]::new('ui', 'ui', [CompletionResultType]::ParameterValue, 'Open the offline token debugger (a jwt-only sandbox with its page) in the browser')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) on stdout, or write one per subcommand into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mmjwt;gen' {
            [CompletionResult]::new('--user-id', '--user-id', [CompletionResultType]::ParameterName, 'The external user id (the sub claim); ''-'' reads one id per line from standard input. With --from: replaces sub (optional)')
            [CompletionResult]::new('--app-code', '--app-code', [CompletionResultType]::ParameterName, 'The Application Code of the App Profile (the infobip-api-key claim)')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The secret key id from the portal''s JWT private keys section (the kid header)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the hex secret from a file (''-'' for standard input). Preferred in CI')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Lifetime: 90s, 15m, 2h, 1d, 1h30m (default 15m). With --from: iat becomes now and exp now plus this lifetime; without it the token''s times stay')
            [CompletionResult]::new('--exp', '--exp', [CompletionResultType]::ParameterName, 'Expiry instead of a lifetime: Unix seconds or RFC 3339')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Pretend the time is this (Unix seconds or RFC 3339) so output is reproducible. With --from: the new iat, and the time the result is judged at')
            [CompletionResult]::new('--jti', '--jti', [CompletionResultType]::ParameterName, 'The jti claim instead of a random UUID v4 (single tokens only)')
            [CompletionResult]::new('--claim', '--claim', [CompletionResultType]::ParameterName, 'An extra claim: KEY=VALUE (a string) or KEY:=JSON (any JSON value). Repeatable')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the token to this file (mode 0600) and print nothing')
            [CompletionResult]::new('--break', '--break', [CompletionResultType]::ParameterName, 'Make the token fail one way, otherwise the same: expired and structure (both SDKs refuse it), signature, user, app-code, kid (the server does). Standard error says what the app will see; --json adds it as `break`. With --from: the edited token, judged against the sub, infobip-api-key and kid it names')
            [CompletionResult]::new('--plugin', '--plugin', [CompletionResultType]::ParameterName, 'With --break: also show what the app''s catch block receives through this plugin. Repeatable or comma-separated')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Edit this token and sign it again (''-'' for standard input; ''Bearer '' and the like are removed as check does). Its header and claims stay as written; --user-id, --app-code, --key-id (also from MMJWT_APP_CODE, MMJWT_KEY_ID), --jti, --ttl, --exp, --now, --claim, --unset and --no-iss edit them')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'With --from: remove this claim (it must be there). Repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the hex secret from standard input')
            [CompletionResult]::new('--no-iss', '--no-iss', [CompletionResultType]::ParameterName, 'Leave out the iss claim (by default it is the application code, as in every official example)')
            [CompletionResult]::new('--allow-expired', '--allow-expired', [CompletionResultType]::ParameterName, 'Allow an exp that is not after now (test fixtures)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Allow an empty user id, app code or key id (test fixtures the SDK would refuse)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;check' {
            [CompletionResult]::new('--plugin', '--plugin', [CompletionResultType]::ParameterName, 'Also show what the app''s catch block receives through this plugin on each platform. Repeatable or comma-separated; an empty value shows none')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'Which SDK''s client-side validation to emulate')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew allowed for exp, nbf and iat (e.g. 30s)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Judge as if the time were this (Unix seconds or RFC 3339)')
            [CompletionResult]::new('--user-id', '--user-id', [CompletionResultType]::ParameterName, 'The external user id the token must carry as sub')
            [CompletionResult]::new('--app-code', '--app-code', [CompletionResultType]::ParameterName, 'The Application Code of the App Profile (the infobip-api-key claim)')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The secret key id from the portal''s JWT private keys section (the kid header)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the hex secret from a file (''-'' for standard input). Preferred in CI')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--exact', '--exact', [CompletionResultType]::ParameterName, 'Judge the string exactly as given, as the SDK gets it from setUserDataJwt: nothing stripped (on stdin, each line minus its \n or \r\n)')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the hex secret from standard input')
            [CompletionResult]::new('--require-signature', '--require-signature', [CompletionResultType]::ParameterName, 'Fail (exit 14) when no secret is available to verify the signature')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;keygen' {
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'A prefix for the generated key id')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;sandbox' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on; 127.0.0.1:0 picks a free port. Non-loopback addresses expose the sandbox to the network')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'The App Profile''s user data authorization option to emulate')
            [CompletionResult]::new('--app-code', '--app-code', [CompletionResultType]::ParameterName, 'The Application Code of the App Profile (the infobip-api-key claim)')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The secret key id from the portal''s JWT private keys section (the kid header)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the hex secret from a file (''-'' for standard input). Preferred in CI')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'A verification key: KID=HEXSECRET, or KID=@FILE to read the hex from a file. Repeatable (several keys at once, as during key rotation)')
            [CompletionResult]::new('--installation', '--installation', [CompletionResultType]::ParameterName, 'An installation (push registration id) that exists from the start. Repeatable')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew allowed for exp, nbf and iat (e.g. 30s)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Keep all data in this JSON file: loaded at start, saved after every change')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Request log on stderr: text, json (NDJSON) or off. Default: json with --json, else text')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Requests not answered within this get 408')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the hex secret from standard input')
            [CompletionResult]::new('--strict-installations', '--strict-installations', [CompletionResultType]::ParameterName, 'Refuse push registration ids not given with --installation (NO_REGISTRATION) instead of creating them on first use')
            [CompletionResult]::new('--reject-replayed-jti', '--reject-replayed-jti', [CompletionResultType]::ParameterName, 'Refuse a token whose jti was already used within its lifetime (JTI_REPLAYED)')
            [CompletionResult]::new('--no-ui', '--no-ui', [CompletionResultType]::ParameterName, 'Do not serve the debugger page at / and its API under /_mmjwt/')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;replay' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('fetch-user', 'fetch-user', [CompletionResultType]::ParameterValue, 'fetchUser: GET the installation''s user')
            [CompletionResult]::new('patch-user', 'patch-user', [CompletionResultType]::ParameterValue, 'saveUser: PATCH the user''s attributes (Android: POST with X-HTTP-Method-Override)')
            [CompletionResult]::new('personalize', 'personalize', [CompletionResultType]::ParameterValue, 'personalize: POST a user identity (and attributes) to tie the installation to a person')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mmjwt;replay;fetch-user' {
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Where the Mobile API is, e.g. a sandbox: http://127.0.0.1:8080. Without it, an embedded sandbox is started for the call')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'Whose wire format: android (POST + method override, true/false flags) or ios (PATCH, 1/0 flags, sorted JSON)')
            [CompletionResult]::new('--user-id', '--user-id', [CompletionResultType]::ParameterName, 'The external user id: the token''s sub (and personalize''s externalUserId)')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'One call per user id, one id per line (''-'' for standard input), each with its own token')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Calls in flight at once with --users (1-256)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Send this token instead of generating one (''-'' reads it from standard input)')
            [CompletionResult]::new('--app-code', '--app-code', [CompletionResultType]::ParameterName, 'The Application Code of the App Profile (the infobip-api-key claim)')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The secret key id from the portal''s JWT private keys section (the kid header)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the hex secret from a file (''-'' for standard input). Preferred in CI')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file')
            [CompletionResult]::new('--break', '--break', [CompletionResultType]::ParameterName, 'Make the generated token fail one way (as `gen --break`); a kind the SDK refuses is refused before sending, the others show the server''s answer')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Lifetime of generated tokens: 90s, 15m, 2h. 0 makes them expired (preflight refuses)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Mint and preflight as if the time were this (Unix seconds or RFC 3339)')
            [CompletionResult]::new('--push-reg-id', '--push-reg-id', [CompletionResultType]::ParameterName, 'The installation''s push registration id (required with --base-url)')
            [CompletionResult]::new('--installation-id', '--installation-id', [CompletionResultType]::ParameterName, 'The installationid header (default: a random UUID per run)')
            [CompletionResult]::new('--session-id', '--session-id', [CompletionResultType]::ParameterName, 'Send a sessionId header (Android sends it only in the foreground)')
            [CompletionResult]::new('--user-agent', '--user-agent', [CompletionResultType]::ParameterName, 'Replace the SDK-style User-Agent')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and total timeout: 10s, 500ms')
            [CompletionResult]::new('--plugin', '--plugin', [CompletionResultType]::ParameterName, 'When the SDK refuses the call, also show what the app''s catch block receives through this plugin. Repeatable or comma-separated')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--app-auth', '--app-auth', [CompletionResultType]::ParameterName, 'Send ''Authorization: App <appCode>'', as the SDK does for an anonymous user')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the hex secret from standard input')
            [CompletionResult]::new('--background', '--background', [CompletionResultType]::ParameterName, 'Send foreground: false (the app is in the background)')
            [CompletionResult]::new('--no-preflight', '--no-preflight', [CompletionResultType]::ParameterName, 'Send even when the SDK''s own checks (the user data, then the token) would refuse the call')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print request and response headers on stderr (credentials redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print request and response headers on stderr (credentials redacted)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request and send nothing')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'Print an equivalent curl command and send nothing')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show the token or application code in -v, --dry-run, --curl and --json output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;replay;patch-user' {
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'The user attributes: JSON, @FILE or ''-'' for standard input. null clears a field')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Where the Mobile API is, e.g. a sandbox: http://127.0.0.1:8080. Without it, an embedded sandbox is started for the call')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'Whose wire format: android (POST + method override, true/false flags) or ios (PATCH, 1/0 flags, sorted JSON)')
            [CompletionResult]::new('--user-id', '--user-id', [CompletionResultType]::ParameterName, 'The external user id: the token''s sub (and personalize''s externalUserId)')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'One call per user id, one id per line (''-'' for standard input), each with its own token')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Calls in flight at once with --users (1-256)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Send this token instead of generating one (''-'' reads it from standard input)')
            [CompletionResult]::new('--app-code', '--app-code', [CompletionResultType]::ParameterName, 'The Application Code of the App Profile (the infobip-api-key claim)')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The secret key id from the portal''s JWT private keys section (the kid header)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the hex secret from a file (''-'' for standard input). Preferred in CI')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file')
            [CompletionResult]::new('--break', '--break', [CompletionResultType]::ParameterName, 'Make the generated token fail one way (as `gen --break`); a kind the SDK refuses is refused before sending, the others show the server''s answer')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Lifetime of generated tokens: 90s, 15m, 2h. 0 makes them expired (preflight refuses)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Mint and preflight as if the time were this (Unix seconds or RFC 3339)')
            [CompletionResult]::new('--push-reg-id', '--push-reg-id', [CompletionResultType]::ParameterName, 'The installation''s push registration id (required with --base-url)')
            [CompletionResult]::new('--installation-id', '--installation-id', [CompletionResultType]::ParameterName, 'The installationid header (default: a random UUID per run)')
            [CompletionResult]::new('--session-id', '--session-id', [CompletionResultType]::ParameterName, 'Send a sessionId header (Android sends it only in the foreground)')
            [CompletionResult]::new('--user-agent', '--user-agent', [CompletionResultType]::ParameterName, 'Replace the SDK-style User-Agent')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and total timeout: 10s, 500ms')
            [CompletionResult]::new('--plugin', '--plugin', [CompletionResultType]::ParameterName, 'When the SDK refuses the call, also show what the app''s catch block receives through this plugin. Repeatable or comma-separated')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--app-auth', '--app-auth', [CompletionResultType]::ParameterName, 'Send ''Authorization: App <appCode>'', as the SDK does for an anonymous user')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the hex secret from standard input')
            [CompletionResult]::new('--background', '--background', [CompletionResultType]::ParameterName, 'Send foreground: false (the app is in the background)')
            [CompletionResult]::new('--no-preflight', '--no-preflight', [CompletionResultType]::ParameterName, 'Send even when the SDK''s own checks (the user data, then the token) would refuse the call')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print request and response headers on stderr (credentials redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print request and response headers on stderr (credentials redacted)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request and send nothing')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'Print an equivalent curl command and send nothing')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show the token or application code in -v, --dry-run, --curl and --json output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;replay;personalize' {
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, '{"userIdentity": {..}, "userAttributes": {..}}: JSON, @FILE or ''-''. Without it, or without an externalUserId in it, the identity is --user-id')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Where the Mobile API is, e.g. a sandbox: http://127.0.0.1:8080. Without it, an embedded sandbox is started for the call')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'Whose wire format: android (POST + method override, true/false flags) or ios (PATCH, 1/0 flags, sorted JSON)')
            [CompletionResult]::new('--user-id', '--user-id', [CompletionResultType]::ParameterName, 'The external user id: the token''s sub (and personalize''s externalUserId)')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'One call per user id, one id per line (''-'' for standard input), each with its own token')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Calls in flight at once with --users (1-256)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Send this token instead of generating one (''-'' reads it from standard input)')
            [CompletionResult]::new('--app-code', '--app-code', [CompletionResultType]::ParameterName, 'The Application Code of the App Profile (the infobip-api-key claim)')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The secret key id from the portal''s JWT private keys section (the kid header)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the hex secret from a file (''-'' for standard input). Preferred in CI')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file')
            [CompletionResult]::new('--break', '--break', [CompletionResultType]::ParameterName, 'Make the generated token fail one way (as `gen --break`); a kind the SDK refuses is refused before sending, the others show the server''s answer')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Lifetime of generated tokens: 90s, 15m, 2h. 0 makes them expired (preflight refuses)')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Mint and preflight as if the time were this (Unix seconds or RFC 3339)')
            [CompletionResult]::new('--push-reg-id', '--push-reg-id', [CompletionResultType]::ParameterName, 'The installation''s push registration id (required with --base-url)')
            [CompletionResult]::new('--installation-id', '--installation-id', [CompletionResultType]::ParameterName, 'The installationid header (default: a random UUID per run)')
            [CompletionResult]::new('--session-id', '--session-id', [CompletionResultType]::ParameterName, 'Send a sessionId header (Android sends it only in the foreground)')
            [CompletionResult]::new('--user-agent', '--user-agent', [CompletionResultType]::ParameterName, 'Replace the SDK-style User-Agent')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and total timeout: 10s, 500ms')
            [CompletionResult]::new('--plugin', '--plugin', [CompletionResultType]::ParameterName, 'When the SDK refuses the call, also show what the app''s catch block receives through this plugin. Repeatable or comma-separated')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--force-depersonalize', '--force-depersonalize', [CompletionResultType]::ParameterName, 'Send forceDepersonalize=true (take the installation from another person)')
            [CompletionResult]::new('--keep-as-lead', '--keep-as-lead', [CompletionResultType]::ParameterName, 'Send keepAsLead=true')
            [CompletionResult]::new('--set-device-as-primary', '--set-device-as-primary', [CompletionResultType]::ParameterName, 'Send setDeviceAsPrimary=true')
            [CompletionResult]::new('--app-auth', '--app-auth', [CompletionResultType]::ParameterName, 'Send ''Authorization: App <appCode>'', as the SDK does for an anonymous user')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the hex secret from standard input')
            [CompletionResult]::new('--background', '--background', [CompletionResultType]::ParameterName, 'Send foreground: false (the app is in the background)')
            [CompletionResult]::new('--no-preflight', '--no-preflight', [CompletionResultType]::ParameterName, 'Send even when the SDK''s own checks (the user data, then the token) would refuse the call')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print request and response headers on stderr (credentials redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print request and response headers on stderr (credentials redacted)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request and send nothing')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'Print an equivalent curl command and send nothing')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show the token or application code in -v, --dry-run, --curl and --json output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;replay;help' {
            [CompletionResult]::new('fetch-user', 'fetch-user', [CompletionResultType]::ParameterValue, 'fetchUser: GET the installation''s user')
            [CompletionResult]::new('patch-user', 'patch-user', [CompletionResultType]::ParameterValue, 'saveUser: PATCH the user''s attributes (Android: POST with X-HTTP-Method-Override)')
            [CompletionResult]::new('personalize', 'personalize', [CompletionResultType]::ParameterValue, 'personalize: POST a user identity (and attributes) to tie the installation to a person')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mmjwt;replay;help;fetch-user' {
            break
        }
        'mmjwt;replay;help;patch-user' {
            break
        }
        'mmjwt;replay;help;personalize' {
            break
        }
        'mmjwt;replay;help;help' {
            break
        }
        'mmjwt;audit' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'GET this URL per user: {user} becomes the percent-encoded user id. Redirects are not followed')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run this program per user, without a shell: {user} in its words becomes the user id (also in MMJWT_AUDIT_USER); the token is read from its stdout')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A header for the backend''s own authorization, ''Name: value'' (repeatable; with --url). The value is never printed')
            [CompletionResult]::new('--header-file', '--header-file', [CompletionResultType]::ParameterName, 'Headers from a file, one ''Name: value'' per line (keeps credentials out of argv, which other users can read). Repeatable; with --url')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed per fetch (HTTP exchange or program run): 10s, 500ms, 1m')
            [CompletionResult]::new('--json-pointer', '--json-pointer', [CompletionResultType]::ParameterName, 'Where the token is in a JSON answer (RFC 6901), e.g. /data/token. Without it the members token, jwt, accessToken, access_token and userDataJwt are tried')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'One user id per line (''-'' for standard input) instead of the built-in battery')
            [CompletionResult]::new('--repeat', '--repeat', [CompletionResultType]::ParameterName, 'Fetches per user (1-100)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Fetches in flight at once (1-64)')
            [CompletionResult]::new('--max-skew', '--max-skew', [CompletionResultType]::ParameterName, 'CLOCK_SKEW when iat is further than this from this machine''s clock, either way')
            [CompletionResult]::new('--min-lifetime', '--min-lifetime', [CompletionResultType]::ParameterName, 'LIFETIME_TOO_SHORT below this exp - iat')
            [CompletionResult]::new('--max-lifetime', '--max-lifetime', [CompletionResultType]::ParameterName, 'LIFETIME_TOO_LONG above this exp - iat')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew the check allows for exp, nbf and iat (as in mmjwt check)')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'Which SDK''s client-side validation to emulate')
            [CompletionResult]::new('--app-code', '--app-code', [CompletionResultType]::ParameterName, 'The Application Code of the App Profile (the infobip-api-key claim)')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The secret key id from the portal''s JWT private keys section (the kid header)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the hex secret from a file (''-'' for standard input). Preferred in CI')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Also write the report as JUnit XML to this file (for CI test reports)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the hex secret from standard input')
            [CompletionResult]::new('--require-signature', '--require-signature', [CompletionResultType]::ParameterName, 'Fail (exit 14) when no secret is available to verify the signatures')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;issuer' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The stacks: language, library and the version the code was verified with, install and run commands')
            [CompletionResult]::new('code', 'code', [CompletionResultType]::ParameterValue, 'Print a stack''s main file, or write all its files with --out')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Answer GET /token?user=ID with a token signed as gen signs it (loopback only by default)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mmjwt;issuer;list' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;issuer;code' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write every file of the stack into this directory (created if missing) instead of printing the main file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'With --out: overwrite files that exist')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;issuer;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on; 127.0.0.1:0 picks a free port. A non-loopback address needs --allow-remote')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Lifetime of each token: 90s, 15m, 2h')
            [CompletionResult]::new('--app-code', '--app-code', [CompletionResultType]::ParameterName, 'The Application Code of the App Profile (the infobip-api-key claim)')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The secret key id from the portal''s JWT private keys section (the kid header)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the hex secret from a file (''-'' for standard input). Preferred in CI')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--allow-remote', '--allow-remote', [CompletionResultType]::ParameterName, 'Allow a non-loopback --listen address: anyone who can reach it gets a token for any user')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the hex secret from standard input')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;issuer;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The stacks: language, library and the version the code was verified with, install and run commands')
            [CompletionResult]::new('code', 'code', [CompletionResultType]::ParameterValue, 'Print a stack''s main file, or write all its files with --out')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Answer GET /token?user=ID with a token signed as gen signs it (loopback only by default)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mmjwt;issuer;help;list' {
            break
        }
        'mmjwt;issuer;help;code' {
            break
        }
        'mmjwt;issuer;help;serve' {
            break
        }
        'mmjwt;issuer;help;help' {
            break
        }
        'mmjwt;ui' {
            [CompletionResult]::new('--app-code', '--app-code', [CompletionResultType]::ParameterName, 'The Application Code of the App Profile (the infobip-api-key claim)')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'The secret key id from the portal''s JWT private keys section (the kid header)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the hex secret from a file (''-'' for standard input). Preferred in CI')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The hex secret itself. Other users can read argv: prefer MMJWT_SECRET or --secret-file')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Request log on stderr as well as on the page: text, json or off (default)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--no-open', '--no-open', [CompletionResultType]::ParameterName, 'Do not open the default browser; only print the URL')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the hex secret from standard input')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write mmjwt.1 and a page per subcommand (mmjwt-check.1, mmjwt-replay-fetch-user.1, ...) into this directory, created if needed, and print their paths')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output: auto (a terminal, and no NO_COLOR), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON on stdout (one object per line when piped); errors as JSON too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mmjwt;help' {
            [CompletionResult]::new('gen', 'gen', [CompletionResultType]::ParameterValue, 'Make a signed user-data JWT for an external user id')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Decode and judge a token: what the Android and iOS SDKs say, what the server would reject')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Print a fresh random key id and 32-byte hex secret (for the sandbox and tests)')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Run a local emulator of the Mobile API user endpoints under one authorization mode')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Send the fetchUser, saveUser or personalize call exactly as an SDK sends it')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Ask a token issuer for tokens for many user ids and judge them as the SDKs and the server will, one by one and across tokens (a CI check of the backend)')
            [CompletionResult]::new('issuer', 'issuer', [CompletionResultType]::ParameterValue, 'Token-issuing code for backends, verified with each library, and a local token endpoint')
            [CompletionResult]::new('ui', 'ui', [CompletionResultType]::ParameterValue, 'Open the offline token debugger (a jwt-only sandbox with its page) in the browser')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) on stdout, or write one per subcommand into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mmjwt;help;gen' {
            break
        }
        'mmjwt;help;check' {
            break
        }
        'mmjwt;help;keygen' {
            break
        }
        'mmjwt;help;sandbox' {
            break
        }
        'mmjwt;help;replay' {
            [CompletionResult]::new('fetch-user', 'fetch-user', [CompletionResultType]::ParameterValue, 'fetchUser: GET the installation''s user')
            [CompletionResult]::new('patch-user', 'patch-user', [CompletionResultType]::ParameterValue, 'saveUser: PATCH the user''s attributes (Android: POST with X-HTTP-Method-Override)')
            [CompletionResult]::new('personalize', 'personalize', [CompletionResultType]::ParameterValue, 'personalize: POST a user identity (and attributes) to tie the installation to a person')
            break
        }
        'mmjwt;help;replay;fetch-user' {
            break
        }
        'mmjwt;help;replay;patch-user' {
            break
        }
        'mmjwt;help;replay;personalize' {
            break
        }
        'mmjwt;help;audit' {
            break
        }
        'mmjwt;help;issuer' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The stacks: language, library and the version the code was verified with, install and run commands')
            [CompletionResult]::new('code', 'code', [CompletionResultType]::ParameterValue, 'Print a stack''s main file, or write all its files with --out')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Answer GET /token?user=ID with a token signed as gen signs it (loopback only by default)')
            break
        }
        'mmjwt;help;issuer;list' {
            break
        }
        'mmjwt;help;issuer;code' {
            break
        }
        'mmjwt;help;issuer;serve' {
            break
        }
        'mmjwt;help;ui' {
            break
        }
        'mmjwt;help;completions' {
            break
        }
        'mmjwt;help;man' {
            break
        }
        'mmjwt;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
