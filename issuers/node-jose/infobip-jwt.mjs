// Issue Infobip Mobile Messaging user-data JWTs with jose (panva), Node.js.
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
// Run: node infobip-jwt.mjs EXTERNAL_USER_ID   -> the token on stdout
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { SignJWT } from 'jose';

const LIFETIME_SECONDS = 15 * 60;

// The HMAC key is the hex-DECODED secret. Buffer.from(hex, 'hex') silently stops at the first
// bad character and drops an odd last digit, so the text is checked first.
export function secretFromHex(secretHex) {
  if (typeof secretHex !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(secretHex)) {
    throw new Error('INFOBIP_JWT_SECRET must be a non-empty, even-length hex string (as the portal shows it)');
  }
  return new Uint8Array(Buffer.from(secretHex, 'hex'));
}

// The signed token for one external user id; `sub` is the id exactly as given.
export async function infobipUserToken(externalUserId, appCode, keyId, key) {
  const now = Math.floor(Date.now() / 1000); // integer seconds
  return new SignJWT({ typ: 'Bearer', 'infobip-api-key': appCode })
    // jose writes no typ header unless told: both SDKs refuse a token without it.
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: keyId })
    .setSubject(externalUserId)
    .setIssuedAt(now)
    // An absolute time: setExpirationTime(900) would mean 1970-01-01T00:15:00Z.
    .setExpirationTime(now + LIFETIME_SECONDS)
    .setJti(randomUUID())
    .setIssuer(appCode)
    .sign(key);
}

async function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write('usage: node infobip-jwt.mjs EXTERNAL_USER_ID\n');
    return 2;
  }
  const { INFOBIP_APP_CODE: appCode, INFOBIP_JWT_KEY_ID: keyId, INFOBIP_JWT_SECRET: secretHex } = process.env;
  for (const [name, value] of [['INFOBIP_APP_CODE', appCode], ['INFOBIP_JWT_KEY_ID', keyId], ['INFOBIP_JWT_SECRET', secretHex]]) {
    if (value === undefined) {
      process.stderr.write(`error: ${name} is not set\n`);
      return 2;
    }
  }
  let key;
  try {
    key = secretFromHex(secretHex);
  } catch (e) {
    process.stderr.write(`error: ${e.message}\n`);
    return 1;
  }
  process.stdout.write((await infobipUserToken(argv[0], appCode, keyId, key)) + '\n');
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
