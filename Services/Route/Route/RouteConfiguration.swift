import Configuration
import Foundation
import VOCRuntime
import VOCStore

/// Every setting of route (documented in docs/configuration.md).
public struct RouteConfiguration: Sendable {
    public var common: CommonSettings
    public var http: HTTPSettings
    public var store: StoreConfiguration
    public var group: String
    /// The routing rules file; empty: the finance pack shipped with the module.
    public var rulesPath: String
    /// The department directory; empty: the sample directory shipped with the module.
    public var directoryPath: String
    /// Public holidays and 调休 working days; empty: the 2024–2026 file shipped with the module.
    public var holidaysPath: String
    /// How often the three files' modification times are checked.
    public var rulesCheckInterval: Duration
    /// How often the outbox is polled for events to publish.
    public var outboxInterval: Duration
    /// How often due times are checked for warnings and breaches.
    public var slaSweepInterval: Duration
    /// API bearer tokens and the department each may see (`*`: every department); empty:
    /// the API is open (development only).
    public var departmentTokens: [String: String]

    /// - Throws: ``StoreError`` for a malformed `postgres.url`, ``SecretFile/Refusal`` for a shared `postgres.passwordFile`.
    public init(config: ConfigReader) throws {
        common = CommonSettings(config: config)
        http = HTTPSettings(config: config, defaultPort: 8086)
        store = try StoreConfiguration(config: config, role: .route)
        group = config.string(forKey: "route.group", default: "voc-route")
        rulesPath = config.string(forKey: "route.rulesPath", default: "")
        directoryPath = config.string(forKey: "route.directoryPath", default: "")
        holidaysPath = config.string(forKey: "route.holidaysPath", default: "")
        rulesCheckInterval = .milliseconds(config.int(forKey: "route.rulesCheckIntervalMs", default: 2_000))
        outboxInterval = .milliseconds(max(1, config.int(forKey: "route.outboxIntervalMs", default: 50)))
        slaSweepInterval = .milliseconds(max(100, config.int(forKey: "route.slaSweepIntervalMs", default: 30_000)))
        departmentTokens = Self.parseTokens(config.string(forKey: "route.departmentTokens", isSecret: true, default: ""))
    }

    /// Reads `token=department,token=department`.
    static func parseTokens(_ text: String) -> [String: String] {
        var tokens: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty { tokens[parts[0]] = parts[1] }
        }
        return tokens
    }

    public init(common: CommonSettings, store: StoreConfiguration, http: HTTPSettings = HTTPSettings(port: 0),
                group: String = "voc-route", rulesPath: String = "", directoryPath: String = "", holidaysPath: String = "",
                rulesCheckInterval: Duration = .seconds(2), outboxInterval: Duration = .milliseconds(50),
                slaSweepInterval: Duration = .seconds(30), departmentTokens: [String: String] = [:]) {
        self.common = common
        self.store = store
        self.http = http
        self.group = group
        self.rulesPath = rulesPath
        self.directoryPath = directoryPath
        self.holidaysPath = holidaysPath
        self.rulesCheckInterval = rulesCheckInterval
        self.outboxInterval = outboxInterval
        self.slaSweepInterval = slaSweepInterval
        self.departmentTokens = departmentTokens
    }

    /// The files in force: each configured path, else the bundled one.
    public func files() throws(RouteError) -> RoutingBook.Files {
        var files = try RoutingBook.Files.bundled()
        if !rulesPath.isEmpty { files.rules = URL(fileURLWithPath: rulesPath) }
        if !directoryPath.isEmpty { files.directory = URL(fileURLWithPath: directoryPath) }
        if !holidaysPath.isEmpty { files.holidays = URL(fileURLWithPath: holidaysPath) }
        return files
    }
}

extension RouteConfiguration: ServiceConfiguration {}
