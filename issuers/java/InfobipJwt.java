// Issue Infobip Mobile Messaging user-data JWTs with the JDK alone (javax.crypto.Mac, HexFormat).
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
// Build and run (JDK 17+): javac -d classes InfobipJwt.java
//                          java -cp classes InfobipJwt EXTERNAL_USER_ID   -> the token on stdout

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public final class InfobipJwt {
    static final long LIFETIME_SECONDS = 15 * 60;

    private InfobipJwt() {}

    /** The HMAC key is the hex-DECODED secret; parseHex throws on odd length or a non-hex digit. */
    public static byte[] secretFromHex(String secretHex) {
        if (secretHex.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return HexFormat.of().parseHex(secretHex);
    }

    /** The signed token for one external user id; `sub` is the id exactly as given. */
    public static String userToken(String externalUserId, String appCode, String keyId, byte[] key)
            throws GeneralSecurityException {
        long now = Instant.now().getEpochSecond(); // integer seconds
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":" + json(keyId) + "}";
        String payload = "{\"typ\":\"Bearer\""
                + ",\"sub\":" + json(externalUserId)
                + ",\"infobip-api-key\":" + json(appCode)
                + ",\"iat\":" + now
                + ",\"exp\":" + (now + LIFETIME_SECONDS)
                + ",\"jti\":" + json(UUID.randomUUID().toString())
                + ",\"iss\":" + json(appCode) + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A JSON string: quotes, backslashes and control characters escaped, the rest as is. */
    static String json(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    public static void main(String[] args) throws GeneralSecurityException {
        if (args.length != 1) {
            System.err.println("usage: java -cp classes InfobipJwt EXTERNAL_USER_ID");
            System.exit(2);
        }
        String[] names = {"INFOBIP_APP_CODE", "INFOBIP_JWT_KEY_ID", "INFOBIP_JWT_SECRET"};
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = System.getenv(names[i]);
            if (values[i] == null) {
                System.err.println("error: " + names[i] + " is not set");
                System.exit(2);
            }
        }
        byte[] key;
        try {
            key = secretFromHex(values[2]);
        } catch (IllegalArgumentException e) {
            System.err.println("error: INFOBIP_JWT_SECRET must be a non-empty, even-length hex string (as the portal shows it)");
            System.exit(1);
            return;
        }
        System.out.print(userToken(args[0], values[0], values[1], key) + "\n");
        System.out.flush();
    }
}
