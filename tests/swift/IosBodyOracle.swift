// The iOS SDK's request bodies for saveUser and personalize, built the way the SDK's own code
// builds them and serialised by the real Foundation, for the differential test in
// tests/it/replay_ios_differential.rs.
//
// What is reproduced (infobip/mobile-messaging-sdk-ios, read, not copied):
//  - the app sets each member of --data on an MMUser / MMUserIdentity / MMUserAttributes: names
//    and gender as strings, phones and emails as [String], tags as a Set<String>, each custom
//    attribute as NSNumber, NSString, NSNull or an array of [String: value] dictionaries;
//  - the models' dictionary representation: tags as the set's array, custom attributes through
//    the SDK's payload conversion (an item left empty is dropped, a list left empty is dropped,
//    an attributes dictionary left empty is nil, one given empty stays empty);
//  - saveUser: the delta between the current user and the changed one (a member that --data
//    sets to null had a value before; every other member had none), phones and emails as
//    [{"number": ..}] / [{"address": ..}], no request at all when the delta is empty;
//  - personalize: {userIdentity, userAttributes?}: identity without empty phones or emails,
//    attributes (when --data gives an object) without nil members;
//  - the body: JSONSerialization.data(withJSONObject:options: [.withoutEscapingSlashes,
//    .sortedKeys]).
// Numbers: a literal with a fraction or an exponent is a Double; an integer literal is an Int
// or a UInt64 when it fits, otherwise a Double (an app has no wider integer to pass).
//
// Protocol: one request per stdin line, `patch|personalize TAB base64(--data as UTF-8)`; one
// answer per stdout line, `OK TAB base64(body as UTF-8)`, `NONE` (no request is sent) or
// `REFUSED TAB reason`.

import Foundation

// MARK: - A small JSON reader that keeps number literals as written

indirect enum J {
    case str(String)
    case num(String)
    case bool(Bool)
    case null
    case arr([J])
    case obj([(String, J)])

    subscript(key: String) -> J? {
        if case .obj(let members) = self {
            return members.first(where: { $0.0 == key })?.1
        }
        return nil
    }
}

struct BadJSON: Error {}

struct Reader {
    let b: [UInt8]
    var i = 0

    init(_ text: String) { b = Array(text.utf8) }

    mutating func ws() {
        while i < b.count, [0x20, 0x09, 0x0A, 0x0D].contains(b[i]) { i += 1 }
    }

    mutating func value() throws -> J {
        ws()
        guard i < b.count else { throw BadJSON() }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(String, J)] = []
            ws()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .obj(members) }
            while true {
                ws()
                let k = try string()
                ws()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { throw BadJSON() }
                i += 1
                members.append((k, try value()))
                ws()
                guard i < b.count else { throw BadJSON() }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard b[i] == UInt8(ascii: "}") else { throw BadJSON() }
                i += 1
                return .obj(members)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [J] = []
            ws()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .arr(items) }
            while true {
                items.append(try value())
                ws()
                guard i < b.count else { throw BadJSON() }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard b[i] == UInt8(ascii: "]") else { throw BadJSON() }
                i += 1
                return .arr(items)
            }
        case UInt8(ascii: "\""):
            return .str(try string())
        case UInt8(ascii: "t"):
            i += 4
            return .bool(true)
        case UInt8(ascii: "f"):
            i += 5
            return .bool(false)
        case UInt8(ascii: "n"):
            i += 4
            return .null
        default:
            let start = i
            while i < b.count, "0123456789+-.eE".utf8.contains(b[i]) { i += 1 }
            guard i > start else { throw BadJSON() }
            return .num(String(decoding: b[start..<i], as: UTF8.self))
        }
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<i + 4], as: UTF8.self), radix: 16)
        else { throw BadJSON() }
        i += 4
        return v
    }

    mutating func string() throws -> String {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw BadJSON() }
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < b.count else { throw BadJSON() }
            let c = b[i]
            i += 1
            if c == UInt8(ascii: "\"") { break }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            guard i < b.count else { throw BadJSON() }
            let e = b[i]
            i += 1
            var scalar: UInt32
            switch e {
            case UInt8(ascii: "n"): scalar = 0x0A
            case UInt8(ascii: "t"): scalar = 0x09
            case UInt8(ascii: "r"): scalar = 0x0D
            case UInt8(ascii: "b"): scalar = 0x08
            case UInt8(ascii: "f"): scalar = 0x0C
            case UInt8(ascii: "u"):
                scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), i + 1 < b.count, b[i] == UInt8(ascii: "\\"),
                    b[i + 1] == UInt8(ascii: "u")
                {
                    i += 2
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
            default: scalar = UInt32(e)
            }
            guard let u = Unicode.Scalar(scalar) else { throw BadJSON() }
            out.append(contentsOf: Array(String(Character(u)).utf8))
        }
        return String(decoding: out, as: UTF8.self)
    }
}

// MARK: - What the app passes to the SDK

func number(_ lit: String) -> NSNumber {
    if lit.contains(where: { ".eE".contains($0) }) { return NSNumber(value: Double(lit)!) }
    if let i = Int(lit) { return NSNumber(value: i) }
    if let u = UInt64(lit) { return NSNumber(value: u) }
    return NSNumber(value: Double(lit)!)
}

/// A custom attribute value as the app passes it (an MMAttributeType).
func attribute(_ v: J) -> Any {
    switch v {
    case .str(let s): return s as NSString
    case .num(let n): return number(n)
    case .bool(let b): return NSNumber(value: b)
    case .null: return NSNull()
    case .arr(let items):
        return items.map { item -> [String: Any] in
            guard case .obj(let members) = item else { return [:] }
            var d: [String: Any] = [:]
            for (k, v) in members { d[k] = attribute(v) }
            return d
        }
    case .obj: return NSNull()
    }
}

func customAttributes(_ v: J) -> [String: Any] {
    guard case .obj(let members) = v else { return [:] }
    var d: [String: Any] = [:]
    for (k, v) in members { d[k] = attribute(v) }
    return d
}

func strings(_ v: J, _ field: String?) -> [String] {
    guard case .arr(let items) = v else { return [] }
    return items.compactMap { item in
        let s = field.map { item[$0] } ?? item
        if case .str(let text)? = s { return text }
        return nil
    }
}

// MARK: - The SDK's payload rules, in this file's own words

/// The custom attributes as the SDK's payload conversion leaves them: a given empty dictionary
/// stays empty; otherwise every list loses its empty items, a list left empty is dropped, and
/// a dictionary left empty is nil.
func payload(_ attrs: [String: Any]?) -> [String: Any]? {
    guard let attrs = attrs else { return nil }
    if attrs.isEmpty { return attrs }
    var out: [String: Any] = [:]
    for (k, v) in attrs {
        if let list = v as? [[String: Any]] {
            let items = list.compactMap { item -> [String: Any]? in
                guard let converted = payload(item), !converted.isEmpty else { return nil }
                return converted
            }
            if !items.isEmpty { out[k] = items }
        } else {
            out[k] = v
        }
    }
    return out.isEmpty ? nil : out
}

/// A user's or attributes object's members, as its dictionary representation has them
/// (nil members absent).
func representation(_ data: J, keys: [String]) -> [String: Any] {
    var d: [String: Any] = [:]
    for key in keys {
        guard let v = data[key] else { continue }
        if case .null = v { continue }
        switch key {
        case "phones": d[key] = strings(v, "number")
        case "emails": d[key] = strings(v, "address")
        case "tags": d[key] = Array(Set(strings(v, nil)))
        case "customAttributes": d[key] = payload(customAttributes(v))
        default:
            if case .str(let s) = v { d[key] = s }
        }
    }
    return d
}

func contacts(_ list: [String], _ field: String) -> [[String: Any]] {
    list.map { [field: $0] }
}

let patchKeys = [
    "externalUserId", "firstName", "lastName", "middleName", "gender", "birthday", "phones",
    "emails", "tags", "customAttributes",
]
let attributeKeys = ["firstName", "lastName", "middleName", "gender", "birthday", "tags", "customAttributes"]

/// saveUser: the delta from a user that had a value for each member --data clears (and none
/// for the others) to the user --data describes.
func patch(_ data: J) -> [String: Any]? {
    var body = representation(data, keys: patchKeys)
    if case .obj(let members) = data {
        for (k, v) in members {
            if case .null = v { body[k] = NSNull() }
        }
    }
    if body.isEmpty { return nil }
    if let phones = body["phones"] as? [String] { body["phones"] = contacts(phones, "number") }
    if let emails = body["emails"] as? [String] { body["emails"] = contacts(emails, "address") }
    return body
}

func personalize(_ data: J) -> [String: Any] {
    var identity: [String: Any] = [:]
    if let id = data["userIdentity"] {
        let phones = strings(id["phones"] ?? .null, "number")
        let emails = strings(id["emails"] ?? .null, "address")
        if !phones.isEmpty { identity["phones"] = contacts(phones, "number") }
        if !emails.isEmpty { identity["emails"] = contacts(emails, "address") }
        if case .str(let s)? = id["externalUserId"] { identity["externalUserId"] = s }
    }
    var body: [String: Any] = ["userIdentity": identity]
    if let attrs = data["userAttributes"], case .obj = attrs {
        body["userAttributes"] = representation(attrs, keys: attributeKeys)
    }
    return body
}

// MARK: - Main

var out = ""
while let line = readLine(strippingNewline: true) {
    let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
    guard parts.count == 2, let raw = Data(base64Encoded: parts[1]),
        let text = String(data: raw, encoding: .utf8)
    else {
        out += "REFUSED\tbad request line\n"
        continue
    }
    var reader = Reader(text)
    guard let data = try? reader.value() else {
        out += "REFUSED\tbad JSON\n"
        continue
    }
    let body: [String: Any]? = parts[0] == "patch" ? patch(data) : personalize(data)
    guard let body = body else {
        out += "NONE\n"
        continue
    }
    do {
        let bytes = try JSONSerialization.data(
            withJSONObject: body, options: [.withoutEscapingSlashes, .sortedKeys])
        out += "OK\t" + bytes.base64EncodedString() + "\n"
    } catch {
        out += "REFUSED\t\(error)\n"
    }
}
FileHandle.standardOutput.write(out.data(using: .utf8)!)
