import Configuration
import Foundation
import VOCRuntime
import VOCStore

/// Every setting of the notify stage (documented in docs/configuration.md).
public struct NotifyConfiguration: Sendable {
    public var common: CommonSettings
    public var http: HTTPSettings
    public var store: StoreConfiguration
    public var group: String
    /// `notify.directoryFile`: people, their channels, quiet hours and language (JSON),
    /// loaded into the recipients table at start. Absent: the table is used as it is.
    public var directoryFile: String?
    /// `notify.departmentDirectoryPath`: route's department directory (JSON); a request to
    /// a department fans out to its members. Read at start and again whenever the file
    /// changes. Absent: requests to a department fail, naming the missing setting.
    public var departmentDirectoryPath: String?
    /// `notify.adminToken`: bearer token of the recipients API. Absent: the API answers 401.
    public var adminToken: String?
    /// `notify.templatesDir`: templates that replace the bundled ones of the same name.
    public var templatesDirectory: String?
    public var retry: RetryPolicy
    /// `notify.requestTimeoutMs`: one outbound attempt, connect to answer.
    public var requestTimeout: Duration
    /// `notify.wecomBaseUrl`, `notify.dingtalkBaseUrl`: the robots' API hosts.
    public var wecomBaseURL: String
    public var dingtalkBaseURL: String
    /// `notify.robotPerMinute`: messages a robot sends a minute (both platforms allow 20).
    public var robotPerMinute: Int
    /// `notify.robotWindowMs`: the window `robotPerMinute` counts in; the platforms' is a
    /// minute, tests shorten it.
    public var robotWindow: Duration
    /// `notify.digestIntervalMs`: how often queued robot messages are merged and sent.
    public var digestInterval: Duration
    public var smtp: SMTPSettings
    public var dispatch: DispatchSettings

    /// - Throws: ``StoreError`` for a malformed `postgres.url`, ``SecretFile/Refusal`` for a shared `postgres.passwordFile`.
    public init(config: ConfigReader) throws {
        common = CommonSettings(config: config)
        http = HTTPSettings(config: config, defaultPort: 8084)
        store = try StoreConfiguration(config: config, role: .notify)
        group = config.string(forKey: "notify.group", default: "voc-notify")
        directoryFile = config.string(forKey: "notify.directoryFile")
        templatesDirectory = config.string(forKey: "notify.templatesDir")
        departmentDirectoryPath = config.string(forKey: "notify.departmentDirectoryPath")
        adminToken = config.string(forKey: "notify.adminToken", isSecret: true)
        retry = RetryPolicy(
            maxAttempts: config.int(forKey: "notify.maxAttempts", default: 6),
            initialBackoff: .milliseconds(config.int(forKey: "notify.initialBackoffMs", default: 500)),
            maxBackoff: .milliseconds(config.int(forKey: "notify.maxBackoffMs", default: 30_000)))
        requestTimeout = .milliseconds(config.int(forKey: "notify.requestTimeoutMs", default: 10_000))
        wecomBaseURL = config.string(forKey: "notify.wecomBaseUrl", default: "https://qyapi.weixin.qq.com")
        dingtalkBaseURL = config.string(forKey: "notify.dingtalkBaseUrl", default: "https://oapi.dingtalk.com")
        robotPerMinute = config.int(forKey: "notify.robotPerMinute", default: 20)
        robotWindow = .milliseconds(config.int(forKey: "notify.robotWindowMs", default: 60_000))
        digestInterval = .milliseconds(config.int(forKey: "notify.digestIntervalMs", default: 3_000))
        smtp = SMTPSettings(
            host: config.string(forKey: "notify.smtp.host"),
            port: config.int(forKey: "notify.smtp.port", default: 25),
            startTLS: config.bool(forKey: "notify.smtp.starttls", default: false),
            username: config.string(forKey: "notify.smtp.username"),
            password: config.string(forKey: "notify.smtp.password", isSecret: true),
            from: config.string(forKey: "notify.smtp.from", default: "voc-notify@localhost"),
            heloName: config.string(forKey: "notify.smtp.helo", default: "voc-notify.local"),
            caFile: config.string(forKey: "notify.smtp.caFile"),
            serverName: config.string(forKey: "notify.smtp.serverName"))
        dispatch = DispatchSettings(
            pollInterval: .milliseconds(config.int(forKey: "notify.dispatchIntervalMs", default: 100)),
            maxLanes: config.int(forKey: "notify.maxLanes", default: 32),
            laneConcurrency: config.int(forKey: "notify.laneConcurrency", default: 8),
            breakerThreshold: config.int(forKey: "notify.breakerThreshold", default: 5),
            breakerCooldown: .milliseconds(config.int(forKey: "notify.breakerCooldownMs", default: 30_000)),
            lease: .milliseconds(config.int(forKey: "notify.leaseMs", default: 300_000)),
            laneBatch: config.int(forKey: "notify.laneBatch", default: 64))
    }

    public init(common: CommonSettings, store: StoreConfiguration, http: HTTPSettings = HTTPSettings(port: 0),
                group: String = "voc-notify", directoryFile: String? = nil, departmentDirectoryPath: String? = nil,
                adminToken: String? = nil, templatesDirectory: String? = nil,
                retry: RetryPolicy = RetryPolicy(), requestTimeout: Duration = .seconds(10),
                wecomBaseURL: String = "https://qyapi.weixin.qq.com", dingtalkBaseURL: String = "https://oapi.dingtalk.com",
                robotPerMinute: Int = 20, robotWindow: Duration = .seconds(60), digestInterval: Duration = .seconds(3), smtp: SMTPSettings = SMTPSettings(),
                dispatch: DispatchSettings = DispatchSettings()) {
        self.common = common
        self.store = store
        self.http = http
        self.group = group
        self.directoryFile = directoryFile
        self.departmentDirectoryPath = departmentDirectoryPath
        self.adminToken = adminToken
        self.templatesDirectory = templatesDirectory
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.wecomBaseURL = wecomBaseURL
        self.dingtalkBaseURL = dingtalkBaseURL
        self.robotPerMinute = robotPerMinute
        self.robotWindow = robotWindow
        self.digestInterval = digestInterval
        self.smtp = smtp
        self.dispatch = dispatch
    }
}

extension NotifyConfiguration: ServiceConfiguration {}

/// How often and how patiently a transient failure is retried.
public struct RetryPolicy: Sendable {
    /// `notify.maxAttempts`: attempts in all, the first included.
    public var maxAttempts: Int
    /// `notify.initialBackoffMs`, doubled after each failure, with full jitter.
    public var initialBackoff: Duration
    /// `notify.maxBackoffMs`: also caps how long a `Retry-After` is honoured.
    public var maxBackoff: Duration

    public init(maxAttempts: Int = 6, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(30)) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The wait before attempt `attempt + 1`: a random share of the doubled backoff, or the
    /// receiver's `Retry-After` when it asked for one.
    func delay(after attempt: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter { return min(retryAfter, maxBackoff) }
        let ceiling = min(initialBackoff * (1 << min(attempt - 1, 20)), maxBackoff)
        let millis = max(1, Int(ceiling.components.seconds * 1000 + ceiling.components.attoseconds / 1_000_000_000_000_000))
        return .milliseconds(Int.random(in: (millis / 2)...millis))
    }
}

/// `notify.smtp.*`: the mail relay. No host: e-mail requests fail permanently.
public struct SMTPSettings: Sendable {
    public var host: String?
    public var port: Int
    /// Upgrade with STARTTLS before AUTH; the relay must offer it.
    public var startTLS: Bool
    public var username: String?
    public var password: String?
    public var from: String
    public var heloName: String
    /// `notify.smtp.caFile`: PEM certificates the relay's certificate must chain to
    /// (a private CA or a self-signed relay); absent: the system's trust roots.
    public var caFile: String?
    /// `notify.smtp.serverName`: the name the relay's certificate must carry; absent: the
    /// host. Needed when the host is an IP address (no SNI for IP addresses).
    public var serverName: String?

    public init(host: String? = nil, port: Int = 25, startTLS: Bool = false, username: String? = nil, password: String? = nil,
                from: String = "voc-notify@localhost", heloName: String = "voc-notify.local", caFile: String? = nil,
                serverName: String? = nil) {
        self.caFile = caFile
        self.serverName = serverName
        self.host = host
        self.port = port
        self.startTLS = startTLS
        self.username = username
        self.password = password
        self.from = from
        self.heloName = heloName
    }
}
