import Configuration
import Foundation
import VOCBlob
import VOCRuntime
import VOCStore

/// Every setting of the projector (documented in docs/configuration.md).
public struct ProjectorConfiguration: Sendable {
    public var common: CommonSettings
    public var http: HTTPSettings
    public var store: StoreConfiguration
    public var group: String
    /// `projector.tokenSecret`: the HS256 secret read tokens are signed with (at least 32
    /// bytes); empty: the projector refuses to start.
    public var tokenSecret: String
    /// `projector.tokenIssuer`: the `iss` every read token must carry.
    public var tokenIssuer: String
    /// `projector.timeZone`: the zone whose calendar days trends, clusters and scorecard
    /// periods count in.
    public var timeZone: TimeZone
    /// `projector.slaDueSoonMinutes`: how close to its due time an open ticket is `due_soon`.
    public var slaDueSoon: TimeInterval
    /// `blob.*`: the store ingest keeps recordings in; the digest's players are served from it.
    public var blob: BlobSettings
    /// `projector.audioCacheDir`: verified local copies of played recordings, by SHA-256.
    public var audioCacheDirectory: String
    /// `projector.digestSize`: complaints (clusters) per business line in the monthly digest.
    public var digestSize: Int
    /// `projector.consoleSecureCookie`: mark the console's sign-in cookie `Secure` (behind HTTPS).
    public var consoleSecureCookie: Bool

    /// - Throws: ``StoreError`` for a malformed `postgres.url`, ``SecretFile/Refusal`` for a shared `postgres.passwordFile`, ``ReadTokenError`` for an
    ///   unknown time zone, ``BlobError`` for an unknown `blob.store`.
    public init(config: ConfigReader) throws {
        common = CommonSettings(config: config)
        http = HTTPSettings(config: config, defaultPort: 8081)
        store = try StoreConfiguration(config: config, role: .projector)
        group = config.string(forKey: "projector.group", default: "voc-projector")
        tokenSecret = config.string(forKey: "projector.tokenSecret", isSecret: true, default: "")
        tokenIssuer = config.string(forKey: "projector.tokenIssuer", default: "voc")
        let zone = config.string(forKey: "projector.timeZone", default: "Asia/Shanghai")
        guard let timeZone = TimeZone(identifier: zone) else {
            throw ReadTokenError("projector.timeZone \(zone) is not a time zone name such as Asia/Shanghai")
        }
        self.timeZone = timeZone
        slaDueSoon = Double(max(1, config.int(forKey: "projector.slaDueSoonMinutes", default: 240))) * 60
        blob = try BlobSettings(config: config)
        audioCacheDirectory = config.string(forKey: "projector.audioCacheDir", default: Self.defaultAudioCache)
        digestSize = min(50, max(1, config.int(forKey: "projector.digestSize", default: 10)))
        consoleSecureCookie = config.bool(forKey: "projector.consoleSecureCookie", default: false)
    }

    public static let defaultAudioCache = (NSTemporaryDirectory() as NSString).appendingPathComponent("voc-projector-audio")

    public init(common: CommonSettings, store: StoreConfiguration, http: HTTPSettings = HTTPSettings(port: 0),
                group: String = "voc-projector", tokenSecret: String, tokenIssuer: String = "voc",
                timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt, slaDueSoon: TimeInterval = 4 * 3600,
                blob: BlobSettings = BlobSettings(), audioCacheDirectory: String = defaultAudioCache, digestSize: Int = 10,
                consoleSecureCookie: Bool = false) {
        self.common = common
        self.store = store
        self.http = http
        self.group = group
        self.tokenSecret = tokenSecret
        self.tokenIssuer = tokenIssuer
        self.timeZone = timeZone
        self.slaDueSoon = slaDueSoon
        self.blob = blob
        self.audioCacheDirectory = audioCacheDirectory
        self.digestSize = digestSize
        self.consoleSecureCookie = consoleSecureCookie
    }

    /// The key read tokens are verified with.
    /// - Throws: ``ReadTokenError`` when `projector.tokenSecret` is missing or too short.
    public func tokenKey() throws(ReadTokenError) -> ReadTokenKey {
        guard !tokenSecret.isEmpty else {
            throw ReadTokenError("projector.tokenSecret (VOC_PROJECTOR_TOKEN_SECRET) is required: the read API accepts signed tokens only")
        }
        return try ReadTokenKey(secret: tokenSecret, issuer: tokenIssuer)
    }
}

extension ProjectorConfiguration: ServiceConfiguration {}
