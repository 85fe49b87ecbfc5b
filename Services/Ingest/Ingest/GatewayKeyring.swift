import Crypto
import Foundation
import Logging
import Synchronization
import VOCBlob
import VOCRuntime
import VOCSchema

/// A gateway that proved who it is, and what it may do.
struct GatewayIdentity: Sendable, Equatable {
    var id: String
    /// Channels this gateway may submit; empty means none (a CRM-only key).
    var channels: Set<Channel>
    /// May `PUT /v1/customers/{id}` (the CRM).
    var customers: Bool
    var ratePerSecond: Double
    var burst: Double

    /// The identity of every request when no keys are configured (development only).
    static func unauthenticated(id: String?, rate: Double, burst: Double) -> GatewayIdentity {
        GatewayIdentity(id: id ?? "anonymous", channels: Set(Channel.known), customers: true, ratePerSecond: rate, burst: burst)
    }
}

/// The gateway keys file: one entry per gateway with the SHA-256 of its key, never the
/// key itself. Reloaded when the file changes, so keys rotate without a restart.
///
/// Keys are 256-bit random strings, so a plain SHA-256 is enough to make a stolen file
/// useless; a slow password hash would only add latency to every request. A key's digest
/// is compared with every entry's in constant time, so how long a refusal takes tells
/// nothing about how close a guess came. The file is refused when group or others may
/// read or change it (``SecretFile``).
final class GatewayKeyring: Sendable {
    struct File: Codable, Sendable {
        var gateways: [Entry]
    }

    struct Entry: Codable, Sendable {
        var id: String
        /// Lower-case hex SHA-256 of the key.
        var keySha256: String
        var channels: [String]
        var customers: Bool?
        var ratePerSecond: Double?
        var burst: Double?
    }

    /// A gateway and the SHA-256 of its key, as raw bytes.
    struct Keyed: Sendable {
        var digest: [UInt8]
        var identity: GatewayIdentity
    }

    private struct State {
        var keys: [Keyed] = []
        var modified: Date?
        var checkedAt = Date.distantPast
    }

    let path: String
    let defaultRate: Double
    let defaultBurst: Double
    private let logger: Logger
    private let state = Mutex(State())

    /// - Throws: ``ValidationError`` naming the entry at fault when the file is unusable:
    ///   a service must not start with keys it cannot read.
    init(path: String, defaultRate: Double, defaultBurst: Double, logger: Logger) throws {
        self.path = path
        self.defaultRate = defaultRate
        self.defaultBurst = defaultBurst
        self.logger = logger
        let (table, modified) = try Self.load(path: path, defaultRate: defaultRate, defaultBurst: defaultBurst)
        state.withLock {
            $0.keys = table
            $0.modified = modified
            $0.checkedAt = Date()
        }
    }

    /// The gateway whose key this is, or `nil`.
    func identify(key: String) -> GatewayIdentity? {
        reloadIfChanged()
        return Self.identify(digest: Array(SHA256.hash(data: Data(key.utf8))), in: state.withLock { $0.keys })
    }

    /// The entry whose digest is `digest`: every entry is compared, each in constant time.
    static func identify(digest: [UInt8], in keys: [Keyed]) -> GatewayIdentity? {
        var found: GatewayIdentity?
        for entry in keys where ConstantTime.equals(entry.digest, digest) {
            found = entry.identity
        }
        return found
    }

    private func reloadIfChanged() {
        let now = Date()
        let due = state.withLock { state -> Bool in
            guard now.timeIntervalSince(state.checkedAt) >= 1 else { return false }
            state.checkedAt = now
            return true
        }
        guard due else { return }
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
        guard modified != state.withLock({ $0.modified }) else { return }
        do {
            let (table, modified) = try Self.load(path: path, defaultRate: defaultRate, defaultBurst: defaultBurst)
            state.withLock {
                $0.keys = table
                $0.modified = modified
            }
            logger.info("gateway keys reloaded", metadata: ["gateways": "\(table.count)", "file": "\(path)"])
        } catch {
            // Keep serving with the keys we had rather than locking every gateway out.
            logger.error("gateway keys file is invalid; keeping the previous keys", metadata: ["error": "\(error)"])
            state.withLock { $0.modified = modified }
        }
    }

    /// - Throws: ``ValidationError`` naming `ingest.keysFile` when the file cannot be read or
    ///   group or others have any permission on it, or naming the entry at fault.
    static func load(path: String, defaultRate: Double, defaultBurst: Double) throws -> ([Keyed], Date?) {
        let data: Data
        do { data = try SecretFile.read(path, setting: "ingest.keysFile") } catch {
            throw ValidationError(kind: .invalid, problems: [FieldProblem(field: "ingest.keysFile", problem: "\(path) \(error.message)")])
        }
        let file = try JSONCoding.decode(File.self, from: data)
        var check = FieldChecker()
        var table: [String: GatewayIdentity] = [:]
        for (index, entry) in file.gateways.enumerated() {
            let field = "gateways[\(index)]"
            check.identifier(entry.id, field + ".id")
            let hash = entry.keySha256.lowercased()
            // ASCII only: `isHexDigit` also takes full-width digits, which no SHA-256 printer writes.
            if hash.utf8.count != 64 || !hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) {
                check.fail(field + ".keySha256", "must be 64 hex digits (the SHA-256 of the key)")
            }
            var channels = Set<Channel>()
            for name in entry.channels {
                let channel = Channel(rawValue: name)
                if channel.isKnown { channels.insert(channel) } else {
                    check.fail(field + ".channels", "unknown channel \"\(name)\"")
                }
            }
            if table[hash] != nil { check.fail(field + ".keySha256", "the same key is listed twice") }
            table[hash] = GatewayIdentity(id: entry.id, channels: channels, customers: entry.customers ?? false,
                                          ratePerSecond: entry.ratePerSecond ?? defaultRate, burst: entry.burst ?? entry.ratePerSecond.map { $0 * 2 } ?? defaultBurst)
        }
        try check.throwIfAny()
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
        return (table.map { Keyed(digest: bytes(hex: $0.key), identity: $0.value) }, modified)
    }
}

/// The bytes of checked lower-case hex digits.
private func bytes(hex: String) -> [UInt8] {
    let digits = Array(hex.utf8).map { $0 <= 57 ? $0 - 48 : $0 - 87 }
    return stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}

/// Issues gateway keys into a keys file (the operator's `voc gateway-key create`).
public enum GatewayKeyFile {
    /// Adds a gateway with a new random key and returns the key: the only time it is
    /// shown, since the file keeps only its SHA-256.
    /// - Parameter rotating: add a second key to a gateway that has one, with the same
    ///   permissions (`channels`, `customers` and `ratePerSecond` are then ignored), so the
    ///   gateway can switch before the old entry is deleted.
    /// - Throws: ``ValidationError`` for an unknown channel, a gateway already listed (or,
    ///   rotating, one not listed).
    public static func addGateway(_ id: String, channels: [String], customers: Bool, ratePerSecond: Double?,
                                  rotating: Bool = false, to path: String) throws -> String {
        var file = GatewayKeyring.File(gateways: [])
        if let data = FileManager.default.contents(atPath: path) {
            file = try JSONCoding.decode(GatewayKeyring.File.self, from: data)
        }
        var check = FieldChecker()
        check.identifier(id, "gateway")
        for channel in channels where !Channel(rawValue: channel).isKnown {
            check.fail("channels", "unknown channel \"\(channel)\" (known: \(Channel.knownList))")
        }
        let existing = file.gateways.first { $0.id == id }
        if rotating {
            if existing == nil { check.fail("gateway", "\(id) has no key to rotate") }
        } else if existing != nil {
            check.fail("gateway", "\(id) already has a key; --rotate adds a second one")
        }
        try check.throwIfAny()
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        let key = "voc_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        var entry = GatewayKeyring.Entry(id: id, keySha256: "", channels: channels, customers: customers,
                                         ratePerSecond: ratePerSecond, burst: nil)
        if rotating, let existing { entry = existing }
        entry.keySha256 = Array(SHA256.hash(data: Data(key.utf8))).hexString
        file.gateways.append(entry)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(file)
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError(kind: .invalid, problems: [FieldProblem(field: "file", problem: "cannot write \(temporary)")])
        }
        guard rename(temporary, path) == 0 else {
            throw ValidationError(kind: .invalid, problems: [FieldProblem(field: "file", problem: "cannot replace \(path)")])
        }
        return key
    }
}
