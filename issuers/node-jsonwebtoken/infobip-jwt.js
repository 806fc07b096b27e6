// Issue Infobip Mobile Messaging user-data JWTs with jsonwebtoken (Node.js).
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
// Run: node infobip-jwt.js EXTERNAL_USER_ID   -> the token on stdout
'use strict';

const crypto = require('node:crypto');
const jwt = require('jsonwebtoken');

const LIFETIME_SECONDS = 15 * 60;

// The HMAC key is the hex-DECODED secret. Buffer.from(hex, 'hex') silently stops at the first
// bad character and drops an odd last digit, so the text is checked first.
function secretFromHex(secretHex) {
  if (typeof secretHex !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(secretHex)) {
    throw new Error('INFOBIP_JWT_SECRET must be a non-empty, even-length hex string (as the portal shows it)');
  }
  return Buffer.from(secretHex, 'hex');
}

// The signed token for one external user id; `sub` is the id exactly as given.
function infobipUserToken(externalUserId, appCode, keyId, key) {
  const now = Math.floor(Date.now() / 1000); // integer seconds
  const claims = {
    typ: 'Bearer',
    sub: externalUserId,
    'infobip-api-key': appCode,
    iat: now,
    // A number, in seconds: expiresIn: "900" (a string without a unit) would mean milliseconds.
    exp: now + LIFETIME_SECONDS,
    jti: crypto.randomUUID(),
    iss: appCode,
  };
  // jsonwebtoken writes typ "JWT" for object payloads; keyid becomes the kid header.
  return jwt.sign(claims, key, { algorithm: 'HS256', keyid: keyId, header: { typ: 'JWT' } });
}

function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write('usage: node infobip-jwt.js EXTERNAL_USER_ID\n');
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
  process.stdout.write(infobipUserToken(argv[0], appCode, keyId, key) + '\n');
  return 0;
}

module.exports = { infobipUserToken, secretFromHex };

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
