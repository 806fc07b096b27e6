// The iOS SDK's client-side token check (`MMJwtValidator.checkTokenValidity`, reached through
// `MobileMessaging.getValidJwtAccessToken()`), compiled by a real Swift toolchain with its own
// Foundation, for the differential test in tests/it/ios_differential.rs.
//
// Written from the SDK's algorithm (spec 4.3), step by step, calling the same Foundation and
// standard-library APIs in the same order: `trimmingCharacters(in: .whitespacesAndNewlines)`,
// `split(separator: ".")` (on `Character`s), the SDK's URL-alphabet mapping and padding followed
// by `Data(base64Encoded:)`, `JSONSerialization.jsonObject(with:) as? [String: Any]`, and the
// `exp` cascade (`as? Int`, then `TimeInterval(String)`, then `as? Double`). It departs from the
// SDK in two places, both on purpose:
//  - the clock is a parameter (`now`, Unix seconds) instead of `Date()`;
//  - the missing member names are sorted: the SDK prints `Array(Set)`, whose order Swift's
//    per-process hash seed changes from run to run, so no fixed answer exists to compare.
//
// Protocol: one request per stdin line, `now TAB base64(token as UTF-8)` (the token is
// base64-wrapped so any character can travel). One answer per stdout line: `ACCEPTED`, or
// `REFUSED TAB code TAB localizedDescription TAB mm_code TAB mm_message`, where code is the
// NSError's code and mm_message is `-` when the error carries no `text` (an expired token).

import Foundation

enum Refusal: Error {
    case empty, expired, threeParts, headerNotValid, headerMissing(String), payloadNotValid,
        claimsMissing(String)

    /// The NSError's code, localized description, `messageId` and `text` (MMNSErrorExtension).
    var fields: (Int, String, String, String?) {
        let structure = "JWT token has invalid structure."
        let invalid = "JWT_TOKEN_STRUCTURE_INVALID"
        switch self {
        case .empty: return (10, structure, invalid, "Token is empty or blank.")
        case .expired: return (11, "The provided JWT is expired.", "JWT_TOKEN_EXPIRED", nil)
        case .threeParts: return (12, structure, invalid, "Token must have three parts separated by dots.")
        case .headerNotValid:
            return (13, structure, invalid, "Token header is not a valid Base64 encoded JSON object.")
        case .headerMissing(let text): return (14, structure, invalid, text)
        case .payloadNotValid:
            return (15, structure, invalid, "Token payload is not a valid Base64 encoded JSON object.")
        case .claimsMissing(let text): return (16, structure, invalid, text)
        }
    }
}

let mandatoryHeaders: Set<String> = ["alg", "typ", "kid"]
let mandatoryClaims: Set<String> = ["typ", "sub", "infobip-api-key", "iat", "exp", "jti"]

/// The SDK's `Data(base64URLEncoded:)`: map the URL alphabet, pad by the character count, then
/// Foundation's strict decoder.
func base64URLDecoded(_ input: String) -> Data? {
    var base64 = input.replacingOccurrences(of: "-", with: "+")
        .replacingOccurrences(of: "_", with: "/")
    let rem = base64.count % 4
    if rem > 0 { base64 += String(repeating: "=", count: 4 - rem) }
    return Data(base64Encoded: base64)
}

func object(_ part: Substring) -> [String: Any]? {
    guard let data = base64URLDecoded(String(part)) else { return nil }
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
}

/// `Array(missing)` as Swift prints it, sorted (see the header).
func missingText(_ prefix: String, _ missing: Set<String>) -> String {
    return "\(prefix)\(Array(missing).sorted())"
}

func validateStructure(_ jwt: String) throws {
    if jwt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw Refusal.empty }
    let parts = jwt.split(separator: ".")
    if parts.count != 3 { throw Refusal.threeParts }
    guard let header = object(parts[0]) else { throw Refusal.headerNotValid }
    let headerKeys = Set(header.keys)
    if !mandatoryHeaders.isSubset(of: headerKeys) {
        throw Refusal.headerMissing(
            missingText("Missing JWT header fields: ", mandatoryHeaders.subtracting(headerKeys)))
    }
    guard let payload = object(parts[1]) else { throw Refusal.payloadNotValid }
    let claimKeys = Set(payload.keys)
    if !mandatoryClaims.isSubset(of: claimKeys) {
        throw Refusal.claimsMissing(
            missingText("Missing JWT claims: ", mandatoryClaims.subtracting(claimKeys)))
    }
}

func isExpired(_ jwt: String, now: TimeInterval) throws -> Bool {
    try validateStructure(jwt)
    let parts = jwt.split(separator: ".")
    guard let payload = object(parts[1]) else { return true }
    let exp: TimeInterval
    if let expInt = payload["exp"] as? Int {
        exp = TimeInterval(expInt)
    } else if let expStr = payload["exp"] as? String, let expDouble = TimeInterval(expStr) {
        exp = expDouble
    } else if let expDouble = payload["exp"] as? Double {
        exp = expDouble
    } else {
        return true
    }
    return now >= exp
}

func judge(_ jwt: String, now: TimeInterval) -> String {
    do {
        if try isExpired(jwt, now: now) { throw Refusal.expired }
        return "ACCEPTED"
    } catch let refusal as Refusal {
        let (code, description, messageId, text) = refusal.fields
        return "REFUSED\t\(code)\t\(description)\t\(messageId)\t\(text ?? "-")"
    } catch {
        return "CRASH\t\(error)"
    }
}

var out = ""
while let line = readLine(strippingNewline: true) {
    let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
    guard fields.count == 2, let now = TimeInterval(String(fields[0])),
        let raw = Data(base64Encoded: String(fields[1]))
    else {
        out += "CRASH\tmalformed request\n"
        continue
    }
    out += judge(String(decoding: raw, as: UTF8.self), now: now) + "\n"
}
FileHandle.standardOutput.write(out.data(using: .utf8)!)
