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

    static func minutes(_ text: String, field: String) throws -> Int {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0..<24).contains(hours), (0..<60).contains(minutes) else {
            throw NotifyError.configuration("\(field) must be HH:mm (got \"\(text)\")")
        }
        return hours * 60 + minutes
    }

    /// Upserts every entry; people absent from the file are left as they are.
    func load(_ file: DirectoryFile) async throws {
        try await store.transaction { transaction in
            for entry in file.recipients {
                let start = try entry.quietHours.map { try Self.minutes($0.start, field: "recipients[\(entry.id)].quietHours.start") }
                let end = try entry.quietHours.map { try Self.minutes($0.end, field: "recipients[\(entry.id)].quietHours.end") }
                let offset = entry.quietHours?.utcOffsetMinutes ?? 480
                for secret in entry.webhook?.secrets ?? [] where WebhookSigner.secretBytes(secret) == nil {
                    throw NotifyError.configuration("recipients[\(entry.id)].webhook.secrets: a secret is not whsec_<base64>")
                }
                try await transaction.execute(
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
                    """)
            }
        }
    }

    func find(_ id: String) async throws -> Recipient? {
        try await find(id, on: store)
    }

    func find(_ id: String, on session: any SQLSession) async throws -> Recipient? {
        let rows = try await session.rows(
            """
            SELECT recipient_id, name, language, channels, quiet_start_minute, quiet_end_minute, utc_offset_minutes, email,
                   mobile, wecom_key, dingtalk_token, dingtalk_secret, webhook_url, webhook_secrets, webhook_disabled_at IS NOT NULL
            FROM notify_recipients WHERE recipient_id = \(id)
            """, as: String.self, String?.self, String.self, [String].self, Int?.self, Int?.self, Int.self, String?.self,
            String?.self, String?.self, String?.self, String?.self, String?.self, [String].self, Bool.self)
        guard let row = rows.first else { return nil }
        return Recipient(id: row.0, name: row.1, language: row.2, channels: row.3, quietStart: row.4, quietEnd: row.5,
                         utcOffsetMinutes: row.6, email: row.7, mobile: row.8, wecomKey: row.9, dingtalkToken: row.10,
                         dingtalkSecret: row.11, webhookURL: row.12, webhookSecrets: row.13, webhookDisabled: row.14)
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
