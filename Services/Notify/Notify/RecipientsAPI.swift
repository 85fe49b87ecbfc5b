import Crypto
import Foundation
import Hummingbird
import VOCRuntime
import VOCSchema
import VOCStore

/// A recipient as the API shows it: the directory entry without its secrets (how many
/// webhook secrets there are, whether DingTalk signs, whether an inbox token is set).
public struct RecipientView: Codable, Sendable, Equatable {
    public struct DingTalk: Codable, Sendable, Equatable {
        public var accessToken: String
        public var signed: Bool
    }

    public struct Webhook: Codable, Sendable, Equatable {
        public var url: String
        public var secrets: Int
        /// The endpoint answered 410 and gets nothing until its URL changes.
        public var disabled: Bool
    }

    public var id: String
    public var name: String?
    public var language: String
    public var channels: [String]
    public var quietHours: DirectoryEntry.QuietHours?
    public var email: String?
    public var mobile: String?
    public var wecomKey: String?
    public var dingtalk: DingTalk?
    public var webhook: Webhook?
    public var hasInboxToken: Bool
}

public struct RecipientPage: Codable, Sendable, Equatable {
    public var recipients: [RecipientView]
    /// Pass as `after` for the next page; absent on the last.
    public var next: String?
}

extension RecipientRepository {
    func views(after: String?, limit: Int, id: String? = nil) async throws -> [RecipientView] {
        let rows = try await store.rows(
            """
            SELECT recipient_id, name, language, channels, quiet_start_minute, quiet_end_minute, utc_offset_minutes, email,
                   mobile, wecom_key, dingtalk_token, dingtalk_secret IS NOT NULL, webhook_url, cardinality(webhook_secrets),
                   webhook_disabled_at IS NOT NULL, inbox_token_sha256 IS NOT NULL
            FROM notify_recipients
            WHERE (\(id)::text IS NULL OR recipient_id = \(id)) AND (\(after)::text IS NULL OR recipient_id > \(after))
            ORDER BY recipient_id LIMIT \(limit)
            """, as: String.self, String?.self, String.self, [String].self, Int?.self, Int?.self, Int.self, String?.self,
            String?.self, String?.self, String?.self, Bool.self, String?.self, Int.self, Bool.self, Bool.self)
        func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
        return rows.map { row in
            var quiet: DirectoryEntry.QuietHours?
            if let start = row.4, let end = row.5 {
                quiet = .init(start: clock(start), end: clock(end), utcOffsetMinutes: row.6)
            }
            return RecipientView(
                id: row.0, name: row.1, language: row.2, channels: row.3, quietHours: quiet, email: row.7, mobile: row.8,
                wecomKey: row.9, dingtalk: row.10.map { .init(accessToken: $0, signed: row.11) },
                webhook: row.12.map { .init(url: $0, secrets: row.13, disabled: row.14) }, hasInboxToken: row.15)
        }
    }

    /// - Returns: whether there was such a recipient.
    func delete(_ id: String) async throws -> Bool {
        try await store.execute("DELETE FROM notify_recipients WHERE recipient_id = \(id) RETURNING 1") > 0
    }
}

/// `GET /v1/recipients`, `GET|PUT|DELETE /v1/recipients/{recipientId}`: the directory of
/// people and systems, for an administrator holding `notify.adminToken`. A PUT replaces
/// the whole entry (the directory file's format); the file, loaded at start, overrides
/// the entries it names.
struct RecipientsController<Context: RequestContext>: Sendable {
    let recipients: RecipientRepository
    /// SHA-256 of the admin token; nil: no token configured, every call is refused.
    let adminTokenDigest: [UInt8]?

    init(recipients: RecipientRepository, adminToken: String?) {
        self.recipients = recipients
        adminTokenDigest = adminToken.flatMap { $0.isEmpty ? nil : Array(SHA256.hash(data: Array($0.utf8))) }
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/v1/recipients") { request, _ in
            try await self.authorised(request) {
                var limit = 100
                if let text = request.uri.queryParameters["limit"] {
                    guard let value = Int(String(text)), (1...500).contains(value) else {
                        return Self.problem(400, "invalid query", "limit must be an integer from 1 to 500 (got \"\(text)\")",
                                            field: "limit")
                    }
                    limit = value
                }
                let after = request.uri.queryParameters["after"].map(String.init)
                if let after, after.contains("\u{0}") {
                    return Self.problem(400, "invalid query", "after must not contain NUL", field: "after")
                }
                let page = try await recipients.views(after: after, limit: limit + 1)
                return HTTPResponses.json(RecipientPage(recipients: Array(page.prefix(limit)),
                                                        next: page.count > limit ? page[limit - 1].id : nil))
            }
        }
        router.get("/v1/recipients/:recipientId") { request, context in
            let id = context.parameters.get("recipientId") ?? ""
            return try await self.authorised(request) {
                guard Self.storable(id), let view = try await recipients.views(after: nil, limit: 1, id: id).first else {
                    return Self.problem(404, "not found", "no recipient \(id)", field: "recipientId")
                }
                return HTTPResponses.json(view)
            }
        }
        router.put("/v1/recipients/:recipientId") { request, context in
            let id = context.parameters.get("recipientId") ?? ""
            return try await self.authorised(request) {
                let body = try await request.body.collect(upTo: 256 * 1024)
                let entry: DirectoryEntry
                do {
                    entry = try DirectoryEntry.decode(Array(body.readableBytesView), id: id)
                } catch let error as ValidationError {
                    return HTTPResponses.problem(Problem(validation: error, subject: "recipient"))
                }
                let created = try await recipients.upsert(entry)
                let view = try await recipients.views(after: nil, limit: 1, id: id).first
                return HTTPResponses.json(view, status: created ? .created : .ok)
            }
        }
        router.delete("/v1/recipients/:recipientId") { request, context in
            let id = context.parameters.get("recipientId") ?? ""
            return try await self.authorised(request) {
                guard Self.storable(id), try await recipients.delete(id) else {
                    return Self.problem(404, "not found", "no recipient \(id)", field: "recipientId")
                }
                return Response(status: .noContent)
            }
        }
    }

    /// Whether an id could be in the table at all (no NUL, at most 128 characters).
    static func storable(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 128 && !id.contains("\u{0}")
    }

    private func authorised(_ request: Request, _ body: () async throws -> Response) async throws -> Response {
        let header = request.headers[.authorization] ?? ""
        guard header.lowercased().hasPrefix("bearer "), let expected = adminTokenDigest else {
            return Self.problem(401, "unauthorized", "an Authorization: Bearer <admin token> header is required (notify.adminToken)",
                                field: "Authorization", headers: [.wwwAuthenticate: "Bearer"])
        }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        // Digests of equal length compared in full, so the time taken says nothing of the token.
        let given = Array(SHA256.hash(data: Array(token.utf8)))
        guard zip(given, expected).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            return Self.problem(401, "unauthorized", "the token is not the admin token", field: "Authorization",
                                headers: [.wwwAuthenticate: "Bearer"])
        }
        return try await body()
    }

    static func problem(_ status: Int, _ title: String, _ detail: String, field: String, headers: HTTPFields = [:]) -> Response {
        HTTPResponses.problem(Problem(type: "about:blank", title: title, status: status, detail: detail,
                                      errors: [FieldProblem(field: field, problem: detail)]), headers: headers)
    }
}

extension DirectoryEntry {
    /// The body as a directory entry for `id`: `id` may be left out of it, and must match
    /// the path when it is not.
    static func decode(_ bytes: [UInt8], id: String) throws(ValidationError) -> DirectoryEntry {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            throw ValidationError(kind: .malformed, problems: [FieldProblem(field: "", problem: "body must be a JSON object")])
        }
        if let given = object["id"], given as? String != id {
            throw ValidationError(kind: .invalid, problems: [FieldProblem(field: "id", problem: "must equal the recipientId in the path")])
        }
        object["id"] = id
        guard let data = try? JSONSerialization.data(withJSONObject: object) else {
            throw ValidationError(kind: .malformed, problems: [FieldProblem(field: "", problem: "body could not be read")])
        }
        let entry = try JSONCoding.decode(DirectoryEntry.self, from: Array(data))
        let problems = RecipientRepository.problems(entry)
        if !problems.isEmpty { throw ValidationError(kind: .invalid, problems: problems) }
        return entry
    }
}
