import Foundation
import VOCRuntime
import VOCSchema
import VOCStore

/// One person or system as the directory file describes it.
public struct DirectoryEntry: Codable, Sendable, Equatable {
    public struct QuietHours: Codable, Sendable, Equatable {
        /// `HH:mm`, local time of the person; a window may cross midnight (22:00–08:00).
        public var start: String
        public var end: String
        /// Minutes east of UTC; China is 480.
        public var utcOffsetMinutes: Int?
    }

    public struct DingTalk: Codable, Sendable, Equatable {
        public var accessToken: String
        /// The robot's `SEC…` signing secret.
        public var secret: String?
    }

    public struct Webhook: Codable, Sendable, Equatable {
        public var url: String
        /// `whsec_…`; two during a rotation, both signing.
        public var secrets: [String]
    }

    public var id: String
    public var name: String?
    public var language: String?
    /// Media the person accepts, in order of preference.
    public var channels: [String]?
    public var quietHours: QuietHours?
    public var email: String?
    public var mobile: String?
    /// The WeCom group robot's `key`.
    public var wecomKey: String?
    public var dingtalk: DingTalk?
    public var webhook: Webhook?
    /// Hex SHA-256 of the person's inbox bearer token; the token itself is never stored.
    public var inboxTokenSha256: String?
}

/// The directory file: `{"recipients": [...]}`.
public struct DirectoryFile: Codable, Sendable {
    public var recipients: [DirectoryEntry]

    /// It holds secrets (webhook secrets, robot keys, inbox token digests), so it is
    /// refused when group or others may read or change it.
    /// - Throws: an error naming the file when it cannot be read or decoded, or naming it
    ///   and its mode when it is not private to its owner.
    public static func load(path: String) throws -> DirectoryFile {
        let data: Data
        do { data = try SecretFile.read(path, setting: "notify.directoryFile") } catch {
            throw NotifyError.configuration(error.description)
        }
        do { return try JSONDecoder().decode(DirectoryFile.self, from: data) } catch {
            throw NotifyError.configuration("notify.directoryFile \(path) is not a valid directory: \(error)")
        }
    }
}

/// A recipient as the stage uses it, read from the recipients table.
struct Recipient: Sendable, Equatable {
    var id: String
    var name: String?
    var language: String
    var channels: [String]
    /// Minutes after local midnight.
    var quietStart: Int?
    var quietEnd: Int?
    var utcOffsetMinutes: Int
    var email: String?
    var mobile: String?
    var wecomKey: String?
    var dingtalkToken: String?
    var dingtalkSecret: String?
    var webhookURL: String?
    var webhookSecrets: [String]
    var webhookDisabled: Bool

    /// Whether `date` falls in the person's quiet hours.
    func isQuiet(at date: Date) -> Bool {
        guard let start = quietStart, let end = quietEnd, start != end else { return false }
        let seconds = Int(date.timeIntervalSince1970) + utcOffsetMinutes * 60
        let minute = ((seconds / 60) % 1440 + 1440) % 1440
        return start < end ? (minute >= start && minute < end) : (minute >= start || minute < end)
    }
}

/// The recipients table: loaded from the directory file, read per request.
struct RecipientRepository: Sendable {
    let store: Store

    /// Upserts every entry; people absent from the file are left as they are.
    func load(_ file: DirectoryFile) async throws {
        try await store.transaction { transaction in
            for entry in file.recipients {
                let problems = Self.problems(entry)
                if let first = problems.first {
                    throw NotifyError.configuration("recipients[\(entry.id)].\(first.field) \(first.problem)")
                }
                try await upsert(entry, on: transaction)
            }
        }
    }

    /// What is wrong with an entry, field by field (`quietHours.start`, `webhook.secrets[1]`).
    static func problems(_ entry: DirectoryEntry) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if entry.id.isEmpty || entry.id.count > 128 { problems.append(.init(field: "id", problem: "must be 1 to 128 characters")) }
        // PostgreSQL text cannot hold NUL.
        let texts: [(String, String?)] = [
            ("id", entry.id), ("name", entry.name), ("language", entry.language), ("email", entry.email), ("mobile", entry.mobile),
            ("wecomKey", entry.wecomKey), ("dingtalk.accessToken", entry.dingtalk?.accessToken), ("dingtalk.secret", entry.dingtalk?.secret),
            ("webhook.url", entry.webhook?.url), ("inboxTokenSha256", entry.inboxTokenSha256),
        ] + (entry.channels ?? []).enumerated().map { ("channels[\($0.offset)]", $0.element) }
        for (field, text) in texts where text?.contains("\u{0}") == true {
            problems.append(.init(field: field, problem: "must not contain NUL"))
        }
        if let language = entry.language, language.isEmpty { problems.append(.init(field: "language", problem: "must not be empty")) }
        for (index, channel) in (entry.channels ?? []).enumerated() where !NotificationRequested.Medium.known.map(\.rawValue).contains(channel) {
            problems.append(.init(field: "channels[\(index)]", problem: "must be webhook, wecom, dingtalk, email or inbox (got \"\(channel)\")"))
        }
        if let quiet = entry.quietHours {
            for (field, text) in [("quietHours.start", quiet.start), ("quietHours.end", quiet.end)] where minutes(text) == nil {
                problems.append(.init(field: field, problem: "must be HH:mm (got \"\(text)\")"))
            }
            if let offset = quiet.utcOffsetMinutes, !(-720...840).contains(offset) {
                problems.append(.init(field: "quietHours.utcOffsetMinutes", problem: "must be from -720 to 840"))
            }
        }
        if let webhook = entry.webhook {
            if let url = URL(string: webhook.url), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil {} else {
                problems.append(.init(field: "webhook.url", problem: "must be an http or https URL"))
            }
            if webhook.secrets.isEmpty { problems.append(.init(field: "webhook.secrets", problem: "must hold at least one secret")) }
            for (index, secret) in webhook.secrets.enumerated() where WebhookSigner.secretBytes(secret) == nil {
                problems.append(.init(field: "webhook.secrets[\(index)]", problem: "must be whsec_<base64>"))
            }
        }
        if let digest = entry.inboxTokenSha256, digest.count != 64 || !digest.allSatisfy(\.isHexDigit) {
            problems.append(.init(field: "inboxTokenSha256", problem: "must be 64 hex digits"))
        }
        return problems
    }

    /// Writes one entry (already checked by ``problems(_:)``).
    /// - Returns: whether the recipient is new.
    @discardableResult
    func upsert(_ entry: DirectoryEntry, on session: (any SQLSession)? = nil) async throws -> Bool {
        let start = entry.quietHours.flatMap { Self.minutes($0.start) }
        let end = entry.quietHours.flatMap { Self.minutes($0.end) }
        let offset = entry.quietHours?.utcOffsetMinutes ?? 480
        let rows = try await (session ?? store).rows(
            """
            INSERT INTO notify_recipients (recipient_id, name, language, channels, quiet_start_minute, quiet_end_minute,
                utc_offset_minutes, email, mobile, wecom_key, dingtalk_token, dingtalk_secret, webhook_url,
                webhook_secrets, inbox_token_sha256)
            VALUES (\(entry.id), \(entry.name), \(entry.language ?? "zh"), \(entry.channels ?? []), \(start), \(end),
                \(offset), \(entry.email), \(entry.mobile), \(entry.wecomKey), \(entry.dingtalk?.accessToken),
                \(entry.dingtalk?.secret), \(entry.webhook?.url), \(entry.webhook?.secrets ?? []),
                \(entry.inboxTokenSha256?.lowercased()))
            ON CONFLICT (recipient_id) DO UPDATE SET name = EXCLUDED.name, language = EXCLUDED.language,
                channels = EXCLUDED.channels, quiet_start_minute = EXCLUDED.quiet_start_minute,
                quiet_end_minute = EXCLUDED.quiet_end_minute, utc_offset_minutes = EXCLUDED.utc_offset_minutes,
                email = EXCLUDED.email, mobile = EXCLUDED.mobile, wecom_key = EXCLUDED.wecom_key,
                dingtalk_token = EXCLUDED.dingtalk_token, dingtalk_secret = EXCLUDED.dingtalk_secret,
                webhook_secrets = EXCLUDED.webhook_secrets, inbox_token_sha256 = EXCLUDED.inbox_token_sha256,
                webhook_disabled_at = CASE WHEN notify_recipients.webhook_url IS DISTINCT FROM EXCLUDED.webhook_url
                    THEN NULL ELSE notify_recipients.webhook_disabled_at END,
                webhook_url = EXCLUDED.webhook_url
            RETURNING (xmax = 0)
            """, as: Bool.self)
        return rows.first ?? false
    }

    /// Minutes after midnight of `HH:mm`.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0..<24).contains(hours), (0..<60).contains(minutes) else { return nil }
        return hours * 60 + minutes
    }

    func find(_ id: String) async throws -> Recipient? {
        try await find(id, on: store)
    }

    func find(_ id: String, on session: any SQLSession) async throws -> Recipient? {
        try await find([id], on: session)[id]
    }

    /// The recipients among `ids` that exist, by id, in one query.
    func find(_ ids: [String], on session: (any SQLSession)? = nil) async throws -> [String: Recipient] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await (session ?? store).rows(
            """
            SELECT recipient_id, name, language, channels, quiet_start_minute, quiet_end_minute, utc_offset_minutes, email,
                   mobile, wecom_key, dingtalk_token, dingtalk_secret, webhook_url, webhook_secrets, webhook_disabled_at IS NOT NULL
            FROM notify_recipients WHERE recipient_id = ANY(\(Array(Set(ids))))
            """, as: String.self, String?.self, String.self, [String].self, Int?.self, Int?.self, Int.self, String?.self,
            String?.self, String?.self, String?.self, String?.self, String?.self, [String].self, Bool.self)
        var found: [String: Recipient] = [:]
        for row in rows {
            found[row.0] = Recipient(id: row.0, name: row.1, language: row.2, channels: row.3, quietStart: row.4, quietEnd: row.5,
                                     utcOffsetMinutes: row.6, email: row.7, mobile: row.8, wecomKey: row.9, dingtalkToken: row.10,
                                     dingtalkSecret: row.11, webhookURL: row.12, webhookSecrets: row.13, webhookDisabled: row.14)
        }
        return found
    }

    /// A `410 Gone` from the endpoint: nothing is sent to this URL again until the
    /// directory names another.
    func disableWebhook(_ id: String) async throws {
        try await store.execute("UPDATE notify_recipients SET webhook_disabled_at = now() WHERE recipient_id = \(id)")
    }

    /// The person a bearer token belongs to. The rows are found by the first 16 hex
    /// digits of the digest and the whole digest is compared here in constant time, so
    /// the database's comparison never sees the part that proves the token.
    func person(tokenSHA256 digest: String) async throws -> String? {
        let rows = try await store.rows(
            "SELECT recipient_id, inbox_token_sha256 FROM notify_recipients WHERE left(inbox_token_sha256, 16) = \(String(digest.prefix(16)))",
            as: String.self, String.self)
        return Self.match(digest: digest, among: rows.map { (id: $0.0, digest: $0.1) })
    }

    /// The id whose stored digest is `digest`, every candidate compared in constant time.
    static func match(digest: String, among rows: [(id: String, digest: String)]) -> String? {
        var found: String?
        for row in rows where ConstantTime.equals(row.digest, digest) { found = row.id }
        return found
    }
}
