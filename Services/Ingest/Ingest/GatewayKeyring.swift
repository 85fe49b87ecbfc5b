import Crypto
import Foundation
import Logging
import Synchronization
import VOCBlob
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
/// useless; a slow password hash would only add latency to every request.
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

    private struct State {
        var byHash: [String: GatewayIdentity] = [:]
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
            $0.byHash = table
            $0.modified = modified
            $0.checkedAt = Date()
        }
    }

    /// The gateway whose key this is, or `nil`.
    func identify(key: String) -> GatewayIdentity? {
        reloadIfChanged()
        let hash = Array(SHA256.hash(data: Data(key.utf8))).hexString
        return state.withLock { $0.byHash[hash] }
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
                $0.byHash = table
                $0.modified = modified
            }
            logger.info("gateway keys reloaded", metadata: ["gateways": "\(table.count)", "file": "\(path)"])
        } catch {
            // Keep serving with the keys we had rather than locking every gateway out.
            logger.error("gateway keys file is invalid; keeping the previous keys", metadata: ["error": "\(error)"])
            state.withLock { $0.modified = modified }
        }
    }

    static func load(path: String, defaultRate: Double, defaultBurst: Double) throws -> ([String: GatewayIdentity], Date?) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError(kind: .invalid, problems: [FieldProblem(field: "ingest.keysFile", problem: "cannot read \(path)")])
        }
        let file = try JSONCoding.decode(File.self, from: data)
        var check = FieldChecker()
        var table: [String: GatewayIdentity] = [:]
        for (index, entry) in file.gateways.enumerated() {
            let field = "gateways[\(index)]"
            check.identifier(entry.id, field + ".id")
            let hash = entry.keySha256.lowercased()
            if hash.count != 64 || !hash.allSatisfy(\.isHexDigit) {
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
        return (table, modified)
    }
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
