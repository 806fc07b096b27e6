/*
 * The Android SDK's client-side token check (AuthorizationUtils.isValidJwt), run on a JVM
 * against Android's real org.json, for the differential test in tests/it/android_differential.rs.
 *
 * Faithful to the SDK except in two places, both on purpose:
 *  - the clock is a parameter (`now`, Unix seconds) instead of System.currentTimeMillis();
 *  - the mandatory members are checked in mmjwt's fixed order: the SDK iterates Set.of(...),
 *    whose order the JVM changes from process to process, so no fixed answer exists to compare.
 * android.util.Base64 is not on a JVM: `decode` below is a port of the AOSP decoder's state
 * machine (URL_SAFE | NO_WRAP: alphabet A-Z a-z 0-9 - _, '=' padding, every other byte skipped).
 *
 * Protocol: one request per stdin line, `now TAB stackKiB TAB base64(token as UTF-8)` (the token
 * is base64-wrapped so any character can travel; stackKiB 0 means the large default stack).
 * One answer per stdout line: `ACCEPTED TAB exp`, `STRUCTURE TAB message`,
 * `EXPIRED TAB message TAB exp`, `STACK_OVERFLOW`, or `CRASH TAB exception class` for anything
 * the SDK would not catch; `exp` is the long that getLong("exp") returned.
 */

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.json.JSONException;
import org.json.JSONObject;

public final class AndroidJwtOracle {
    private static final String[] MANDATORY_HEADERS = {"alg", "typ", "kid"};
    private static final String[] MANDATORY_CLAIMS = {"typ", "sub", "infobip-api-key", "iat", "exp", "jti"};

    static final class StructureException extends Exception {
        StructureException(String message) {
            super(message);
        }
    }

    static final class ExpiredException extends Exception {
        ExpiredException() {
            super("The provided JWT is expired.");
        }
    }

    /** What getLong("exp") returned in the last check on this thread (for the answer line). */
    private static final ThreadLocal<Long> lastExp = new ThreadLocal<>();

    /** AuthorizationUtils.isValidJwt with the clock as a parameter. */
    static void isValidJwt(String token, long now) throws StructureException, ExpiredException {
        if (token == null) throw new StructureException("Token is null.");
        if (token.isBlank()) throw new StructureException("Token is empty or blank.");
        String[] jwtParts = token.split("\\.");
        if (jwtParts.length != 3) throw new StructureException("Token must have three parts separated by dots.");
        JSONObject headerJson = decodeAndParse(jwtParts[0]);
        if (headerJson == null) throw new StructureException("Token header is not a valid Base64 encoded JSON object.");
        for (String header : MANDATORY_HEADERS) {
            if (!headerJson.has(header)) throw new StructureException("Token header is missing mandatory header " + header);
        }
        JSONObject payloadJson = decodeAndParse(jwtParts[1]);
        if (payloadJson == null) throw new StructureException("Token payload is not a valid Base64 encoded JSON object.");
        for (String claim : MANDATORY_CLAIMS) {
            if (!payloadJson.has(claim)) throw new StructureException("Token payload is missing mandatory claim " + claim);
        }
        try {
            long exp = payloadJson.getLong("exp");
            lastExp.set(exp);
            if (now >= exp) throw new ExpiredException();
        } catch (JSONException e) {
            throw new StructureException("Token payload is missing mandatory claim exp");
        }
    }

    private static JSONObject decodeAndParse(String encoded) {
        if (encoded == null) return null;
        try {
            // The SDK's `new String(Base64.decode(encoded, ...))`: both conversions use the
            // platform charset, UTF-8 on Android (and here, with -Dfile.encoding=UTF-8).
            String decoded = new String(decode(encoded.getBytes()));
            return new JSONObject(decoded);
        } catch (IllegalArgumentException | JSONException e) {
            return null;
        }
    }

    /** Values of the URL-safe alphabet; SKIP for bytes the decoder ignores, EQUALS for '='. */
    private static final int SKIP = -1;
    private static final int EQUALS = -2;
    private static final int[] WEBSAFE = new int[256];

    static {
        java.util.Arrays.fill(WEBSAFE, SKIP);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < 64; i++) WEBSAFE[alphabet.charAt(i)] = i;
        WEBSAFE['='] = EQUALS;
    }

    /**
     * android.util.Base64.decode(input, URL_SAFE | NO_WRAP). States 0-3 read a quantum; 4 has
     * read one '=' and needs exactly one more; 5 wants nothing but skipped bytes. Errors: '='
     * where padding cannot be, data after padding, a lone leftover character, a lone '='.
     */
    static byte[] decode(byte[] input) {
        byte[] out = new byte[input.length * 3 / 4 + 3];
        int op = 0;
        int state = 0;
        int value = 0;
        for (byte b : input) {
            int d = WEBSAFE[b & 0xff];
            switch (state) {
                case 0:
                case 1:
                    if (d >= 0) {
                        value = (value << 6) | d;
                        state++;
                    } else if (d != SKIP) {
                        throw new IllegalArgumentException("bad base-64");
                    }
                    break;
                case 2:
                    if (d >= 0) {
                        value = (value << 6) | d;
                        state = 3;
                    } else if (d == EQUALS) {
                        out[op++] = (byte) (value >> 4);
                        state = 4;
                    } else if (d != SKIP) {
                        throw new IllegalArgumentException("bad base-64");
                    }
                    break;
                case 3:
                    if (d >= 0) {
                        value = (value << 6) | d;
                        out[op++] = (byte) (value >> 16);
                        out[op++] = (byte) (value >> 8);
                        out[op++] = (byte) value;
                        state = 0;
                    } else if (d == EQUALS) {
                        out[op++] = (byte) (value >> 10);
                        out[op++] = (byte) (value >> 2);
                        state = 5;
                    } else if (d != SKIP) {
                        throw new IllegalArgumentException("bad base-64");
                    }
                    break;
                case 4:
                    if (d == EQUALS) {
                        state = 5;
                    } else if (d != SKIP) {
                        throw new IllegalArgumentException("bad base-64");
                    }
                    break;
                default:
                    if (d != SKIP) throw new IllegalArgumentException("bad base-64");
            }
        }
        switch (state) {
            case 1:
            case 4:
                throw new IllegalArgumentException("bad base-64");
            case 2:
                out[op++] = (byte) (value >> 4);
                break;
            case 3:
                out[op++] = (byte) (value >> 10);
                out[op++] = (byte) (value >> 2);
                break;
            default:
                break;
        }
        return java.util.Arrays.copyOf(out, op);
    }

    /** One request's answer line. */
    static String judge(String token, long now) {
        lastExp.remove();
        try {
            isValidJwt(token, now);
            return "ACCEPTED\t" + lastExp.get();
        } catch (StructureException e) {
            return "STRUCTURE\t" + e.getMessage();
        } catch (ExpiredException e) {
            return "EXPIRED\t" + e.getMessage() + "\t" + lastExp.get();
        } catch (StackOverflowError e) {
            return "STACK_OVERFLOW";
        } catch (RuntimeException e) {
            return "CRASH\t" + e.getClass().getName();
        }
    }

    /** Runs `work` on a fresh thread with `stackBytes` of stack and waits for it. */
    static void onThread(long stackBytes, Runnable work) throws InterruptedException {
        Thread t = new Thread(null, work, "oracle", stackBytes);
        t.start();
        t.join();
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String[]> requests = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            requests.add(line.split("\t", -1));
        }
        String[] answers = new String[requests.size()];
        // A large stack for the ordinary run, so deep nesting parses as far as Java goes;
        // requests naming a stack size run on their own thread of that size.
        onThread(1L << 30, () -> {
            for (int i = 0; i < answers.length; i++) {
                String[] r = requests.get(i);
                if (r.length != 3) {
                    answers[i] = "CRASH\tmalformed request";
                    continue;
                }
                String token = new String(java.util.Base64.getDecoder().decode(r[2]), StandardCharsets.UTF_8);
                long now = Long.parseLong(r[0]);
                long stackKiB = Long.parseLong(r[1]);
                if (stackKiB == 0) {
                    answers[i] = judge(token, now);
                } else {
                    final int at = i;
                    try {
                        onThread(stackKiB * 1024, () -> answers[at] = judge(token, now));
                    } catch (InterruptedException e) {
                        answers[i] = "CRASH\tinterrupted";
                    }
                }
            }
        });
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        for (String a : answers) out.println(a);
        out.flush();
    }
}
