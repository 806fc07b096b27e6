// Issue Infobip Mobile Messaging user-data JWTs with the .NET base library alone (HMACSHA256).
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
// Build and run (Mono): mcs -out:InfobipJwt.exe InfobipJwt.cs
//                       MONO_EXTERNAL_ENCODINGS=UTF-8 mono InfobipJwt.exe EXTERNAL_USER_ID
//                       -> the token on stdout (without that variable Mono refuses an argument
//                       holding a Unicode noncharacter such as U+FFFF)
// (.NET 5+ can use Convert.FromHexString instead of the hand-written decoder.)

using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

public static class InfobipJwt
{
    const long LifetimeSeconds = 15 * 60;

    /// The HMAC key is the hex-DECODED secret; empty, odd-length or non-hex text is refused.
    public static byte[] SecretFromHex(string secretHex)
    {
        if (secretHex.Length == 0 || secretHex.Length % 2 != 0)
            throw new FormatException("bad hex");
        var key = new byte[secretHex.Length / 2];
        for (int i = 0; i < key.Length; i++)
            key[i] = (byte)(Nibble(secretHex[2 * i]) << 4 | Nibble(secretHex[2 * i + 1]));
        return key;
    }

    static int Nibble(char c)
    {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        throw new FormatException("bad hex");
    }

    /// The signed token for one external user id; `sub` is the id exactly as given.
    public static string UserToken(string externalUserId, string appCode, string keyId, byte[] key)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds(); // integer seconds
        string header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":" + Json(keyId) + "}";
        string payload = "{\"typ\":\"Bearer\""
            + ",\"sub\":" + Json(externalUserId)
            + ",\"infobip-api-key\":" + Json(appCode)
            + ",\"iat\":" + now.ToString(CultureInfo.InvariantCulture)
            + ",\"exp\":" + (now + LifetimeSeconds).ToString(CultureInfo.InvariantCulture)
            + ",\"jti\":" + Json(UuidV4())
            + ",\"iss\":" + Json(appCode) + "}";
        var utf8 = new UTF8Encoding(false, true);
        string input = Base64Url(utf8.GetBytes(header)) + "." + Base64Url(utf8.GetBytes(payload));
        using (var mac = new HMACSHA256(key))
            return input + "." + Base64Url(mac.ComputeHash(Encoding.ASCII.GetBytes(input)));
    }

    static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as is.
    static string Json(string s)
    {
        var b = new StringBuilder(s.Length + 2).Append('"');
        foreach (char c in s)
        {
            if (c == '"' || c == '\\') b.Append('\\').Append(c);
            else if (c < 0x20) b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else b.Append(c);
        }
        return b.Append('"').ToString();
    }

    /// Guid.NewGuid() is a version 4 UUID on .NET and Mono, but is not promised to use a
    /// cryptographic generator: this one does.
    static string UuidV4()
    {
        var b = new byte[16];
        using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(b);
        b[6] = (byte)(b[6] & 0x0f | 0x40);
        b[8] = (byte)(b[8] & 0x3f | 0x80);
        string h = BitConverter.ToString(b).Replace("-", "").ToLowerInvariant();
        return h.Substring(0, 8) + "-" + h.Substring(8, 4) + "-" + h.Substring(12, 4) + "-"
            + h.Substring(16, 4) + "-" + h.Substring(20);
    }

    public static int Main(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: mono InfobipJwt.exe EXTERNAL_USER_ID");
            return 2;
        }
        var names = new[] { "INFOBIP_APP_CODE", "INFOBIP_JWT_KEY_ID", "INFOBIP_JWT_SECRET" };
        var values = new string[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            values[i] = Environment.GetEnvironmentVariable(names[i]);
            if (values[i] == null)
            {
                Console.Error.WriteLine("error: " + names[i] + " is not set");
                return 2;
            }
        }
        byte[] key;
        try
        {
            key = SecretFromHex(values[2]);
        }
        catch (FormatException)
        {
            Console.Error.WriteLine("error: INFOBIP_JWT_SECRET must be a non-empty, even-length hex string (as the portal shows it)");
            return 1;
        }
        Console.Out.Write(UserToken(args[0], values[0], values[1], key) + "\n");
        return 0;
    }
}
