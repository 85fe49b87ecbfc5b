import Configuration
import VOCRuntime
import VOCStore

/// Every setting of the projector (documented in docs/configuration.md).
public struct ProjectorConfiguration: Sendable {
    public var common: CommonSettings
    public var http: HTTPSettings
    public var store: StoreConfiguration
    public var group: String

    /// - Throws: ``StoreError`` for a malformed `postgres.url`.
    public init(config: ConfigReader) throws {
        common = CommonSettings(config: config)
        http = HTTPSettings(config: config, defaultPort: 8081)
        store = try StoreConfiguration(
            url: config.string(forKey: "postgres.url", isSecret: true, default: StoreConfiguration.defaultURL),
            maxConnections: config.int(forKey: "postgres.maxConnections", default: 10))
        group = config.string(forKey: "projector.group", default: "voc-projector")
    }

    public init(common: CommonSettings, store: StoreConfiguration, http: HTTPSettings = HTTPSettings(port: 0),
                group: String = "voc-projector") {
        self.common = common
        self.store = store
        self.http = http
        self.group = group
    }
}

extension ProjectorConfiguration: ServiceConfiguration {}
