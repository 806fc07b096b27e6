<?php
// Issue Infobip Mobile Messaging user-data JWTs with PHP's built-ins (hash_hmac, json_encode).
//
// The secret signs tokens for ANY user of your app, so it lives on your backend only: never
// ship it in the mobile app (anyone can unpack an app and read it) and never commit it.
// The app asks your backend for a token after the user has signed in to your backend.
//
// Configuration (from the Infobip portal, App Profile, "JWT private keys"):
//   INFOBIP_APP_CODE    the Application Code
//   INFOBIP_JWT_KEY_ID  the key id
//   INFOBIP_JWT_SECRET  the secret as the portal shows it (hex)
//
// Run: php infobip_jwt.php EXTERNAL_USER_ID   -> the token on stdout

declare(strict_types=1);

const INFOBIP_JWT_LIFETIME_SECONDS = 15 * 60;

/** The HMAC key is the hex-DECODED secret; hex2bin returns false (with a warning) on bad input. */
function infobip_secret_from_hex(string $secretHex): string
{
    if (preg_match('/\A(?:[0-9a-fA-F]{2})+\z/', $secretHex) !== 1) {
        throw new InvalidArgumentException(
            'INFOBIP_JWT_SECRET must be a non-empty, even-length hex string (as the portal shows it)'
        );
    }
    return hex2bin($secretHex);
}

function infobip_base64url(string $bytes): string
{
    return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
}

/** The signed token for one external user id; `sub` is the id exactly as given. */
function infobip_user_token(string $externalUserId, string $appCode, string $keyId, string $key): string
{
    $now = time(); // integer seconds
    $header = ['alg' => 'HS256', 'typ' => 'JWT', 'kid' => $keyId];
    $claims = [
        'typ' => 'Bearer',
        'sub' => $externalUserId,
        'infobip-api-key' => $appCode,
        'iat' => $now,
        'exp' => $now + INFOBIP_JWT_LIFETIME_SECONDS,
        'jti' => infobip_uuid_v4(),
        'iss' => $appCode,
    ];
    // Unescaped slashes and Unicode keep `sub` as given; THROW refuses text that is not UTF-8.
    $flags = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR;
    $input = infobip_base64url(json_encode($header, $flags)) . '.'
        . infobip_base64url(json_encode($claims, $flags));
    return $input . '.' . infobip_base64url(hash_hmac('sha256', $input, $key, true));
}

function infobip_uuid_v4(): string
{
    $b = random_bytes(16);
    $b[6] = chr((ord($b[6]) & 0x0f) | 0x40);
    $b[8] = chr((ord($b[8]) & 0x3f) | 0x80);
    return vsprintf('%s%s-%s-%s-%s-%s%s%s', str_split(bin2hex($b), 4));
}

function infobip_main(array $argv): int
{
    if (count($argv) !== 2) {
        fwrite(STDERR, "usage: php infobip_jwt.php EXTERNAL_USER_ID\n");
        return 2;
    }
    $config = [];
    foreach (['INFOBIP_APP_CODE', 'INFOBIP_JWT_KEY_ID', 'INFOBIP_JWT_SECRET'] as $name) {
        $value = getenv($name);
        if ($value === false) {
            fwrite(STDERR, "error: $name is not set\n");
            return 2;
        }
        $config[$name] = $value;
    }
    try {
        $key = infobip_secret_from_hex($config['INFOBIP_JWT_SECRET']);
    } catch (InvalidArgumentException $e) {
        fwrite(STDERR, 'error: ' . $e->getMessage() . "\n");
        return 1;
    }
    echo infobip_user_token($argv[1], $config['INFOBIP_APP_CODE'], $config['INFOBIP_JWT_KEY_ID'], $key), "\n";
    return 0;
}

if (PHP_SAPI === 'cli' && realpath($argv[0]) === __FILE__) {
    exit(infobip_main($argv));
}
