/*
 * The Android SDK's request bodies for saveUser and personalize, built the way the SDK's own
 * code builds them and serialised by the real Gson, for the differential test in
 * tests/it/replay_differential.rs.
 *
 * What is reproduced (Android SDK, infobip-mobile-messaging-android-sdk and -api-java):
 *  - the app sets each member of --data on a User / UserIdentity / UserAttributes in --data
 *    order (MapModel: a put-filled java.util.HashMap), contacts and tags as LinkedHashSet,
 *    each custom attribute with setCustomAttribute (a put-filled HashMap);
 *  - saveUser: UserMapper.merge copies the members in its fixed order into a new User,
 *    MapUtils.concat copies the custom attributes (putAll into a new HashMap) and
 *    customAttsToBackend puts them into new HashMap<>(n); mapDestinationsToBackend turns an
 *    empty contact set into null; UserDataReporter sends new HashMap<>(user.getMap()) through
 *    the JsonSerializer that keeps nulls (GsonBuilder().serializeNulls());
 *  - personalize: UserPersonalizeBody {userIdentity, userAttributes} through the default
 *    JsonSerializer (nulls dropped); userAttributes only when its map has entries.
 * Numbers: a literal with a fraction or an exponent is a Double, any other an Integer, Long or
 * BigInteger by size, as an app holding those values would pass them.
 *
 * Protocol: one request per stdin line, `patch|personalize TAB base64(--data as UTF-8)`, or
 * `double TAB base64(a double's 64 bits as hex)` for Double.toString of that double (which Gson
 * writes a Double with); one answer per stdout line, `OK TAB base64(body or text as UTF-8)` or
 * `REFUSED TAB exception class`.
 */

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class GsonWireOracle {
    /** JsonSerializer(true): the PATCH serializer. */
    private static final Gson WITH_NULLS = new GsonBuilder().serializeNulls().create();
    /** JsonSerializer(): the default one. */
    private static final Gson WITHOUT_NULLS = new GsonBuilder().create();

    /** UserMapper.merge's order (UserMapper.plus). */
    private static final String[] MERGE_ORDER = {
        "externalUserId", "firstName", "lastName", "middleName", "gender", "birthday",
        "phones", "emails", "tags", "customAttributes"};

    /** UserPersonalizeBody: a POJO, fields in declaration order. */
    @SuppressWarnings("unused")
    static final class UserPersonalizeBody {
        Map<String, Object> userIdentity;
        Map<String, Object> userAttributes;
    }

    static Object number(JsonPrimitive p) {
        String text = p.getAsNumber().toString();
        if (text.contains(".") || text.contains("e") || text.contains("E")) {
            return Double.valueOf(text);
        }
        BigInteger big = new BigInteger(text);
        if (big.bitLength() < 32) return big.intValue();
        if (big.bitLength() < 64) return big.longValue();
        return big;
    }

    static Object scalar(JsonElement e) {
        if (e == null || e.isJsonNull()) return null;
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) return p.getAsBoolean();
        if (p.isNumber()) return number(p);
        return p.getAsString();
    }

    /** A custom attribute value as customValueToBackend returns it. */
    static Object customValue(JsonElement e) {
        if (e != null && e.isJsonArray()) {
            // ListCustomAttributeItem: a put-filled HashMap per item.
            List<Map<String, Object>> list = new ArrayList<>();
            for (JsonElement item : e.getAsJsonArray()) {
                Map<String, Object> m = new HashMap<>();
                for (Map.Entry<String, JsonElement> member : item.getAsJsonObject().entrySet()) {
                    m.put(member.getKey(), scalar(member.getValue()));
                }
                list.add(m);
            }
            return list;
        }
        return scalar(e);
    }

    /** The app's setCustomAttribute calls: a put-filled HashMap in --data order. */
    static Map<String, Object> appCustom(JsonObject o) {
        Map<String, Object> m = new HashMap<>();
        for (Map.Entry<String, JsonElement> entry : o.entrySet()) {
            m.put(entry.getKey(), customValue(entry.getValue()));
        }
        return m;
    }

    static Set<String> set(JsonElement e, String field) {
        if (e == null || e.isJsonNull()) return null;
        Set<String> s = new LinkedHashSet<>();
        for (JsonElement item : e.getAsJsonArray()) {
            s.add(field == null ? item.getAsString() : item.getAsJsonObject().get(field).getAsString());
        }
        return s;
    }

    /** UserMapper.mapDestinationsToBackend. */
    static List<Map<String, Object>> destinations(Set<String> set, String key) {
        if (set == null || set.isEmpty()) return null;
        List<Map<String, Object>> list = new ArrayList<>(set.size());
        for (String d : set) {
            Map<String, Object> m = new HashMap<>();
            m.put(key, d);
            list.add(m);
        }
        return list;
    }

    /** The value a setter puts into the MapModel's map for `key`. */
    static Object field(String key, JsonElement v, boolean backendCustom) {
        switch (key) {
            case "phones": return destinations(set(v, "number"), "number");
            case "emails": return destinations(set(v, "address"), "address");
            case "tags": return set(v, null);
            case "customAttributes": {
                if (v == null || v.isJsonNull()) return null;
                Map<String, Object> app = appCustom(v.getAsJsonObject());
                if (!backendCustom) return app;
                // MapUtils.concat(null, app): putAll into a new HashMap; then customAttsToBackend.
                Map<String, Object> concat = new HashMap<>();
                concat.putAll(app);
                Map<String, Object> sent = new HashMap<>(concat.size());
                for (Map.Entry<String, Object> entry : concat.entrySet()) {
                    sent.put(entry.getKey(), entry.getValue());
                }
                return sent;
            }
            default: return scalar(v);
        }
    }

    static String patch(JsonObject data) {
        Map<String, Object> merged = new HashMap<>();
        for (String key : MERGE_ORDER) {
            if (data.has(key)) merged.put(key, field(key, data.get(key), true));
        }
        Map<String, Object> request = new HashMap<>(merged);
        return WITH_NULLS.toJson(request);
    }

    static Map<String, Object> model(JsonElement e) {
        Map<String, Object> m = new HashMap<>();
        if (e == null || e.isJsonNull()) return m;
        for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
            m.put(entry.getKey(), field(entry.getKey(), entry.getValue(), false));
        }
        return m;
    }

    static String personalize(JsonObject data) {
        UserPersonalizeBody body = new UserPersonalizeBody();
        body.userIdentity = model(data.get("userIdentity"));
        Map<String, Object> attributes = model(data.get("userAttributes"));
        if (!attributes.isEmpty()) body.userAttributes = attributes;
        return WITHOUT_NULLS.toJson(body);
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split("\t", 2);
            String text = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            try {
                String body;
                if (parts[0].equals("double")) {
                    body = Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(text, 16)));
                } else {
                    JsonObject data = JsonParser.parseString(text).getAsJsonObject();
                    body = parts[0].equals("patch") ? patch(data) : personalize(data);
                }
                out.println("OK\t" + Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                out.println("REFUSED\t" + e.getClass().getName());
            }
        }
        out.flush();
    }
}
