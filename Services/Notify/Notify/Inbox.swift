import Crypto
import Foundation
import Hummingbird
import VOCRuntime
import VOCStore

/// One message in a person's in-app inbox.
public struct InboxItem: Codable, Sendable, Equatable {
    public var itemId: String
    public var kind: String
    public var title: String
    public var body: String
    public var urgent: Bool
    public var ticketId: String?
    public var customerId: String?
    public var createdAt: Date
    public var readAt: Date?
}

public struct InboxPage: Codable, Sendable, Equatable {
    public var items: [InboxItem]
    public var unread: Int
}

public struct UnreadCount: Codable, Sendable, Equatable {
    public var unread: Int
}

struct InboxRepository: Sendable {
    let store: Store

    /// Adds the item once: the delivery id is its key.
    func add(itemId: String, recipientId: String, kind: String, title: String, body: String, urgent: Bool,
             ticketId: String?, customerId: String?, on session: (any SQLSession)? = nil) async throws {
        try await (session ?? store).execute(
            """
            INSERT INTO notify_inbox (item_id, recipient_id, kind, title, body, urgent, ticket_id, customer_id)
            VALUES (\(itemId), \(recipientId), \(kind), \(title), \(body), \(urgent), \(ticketId), \(customerId))
            ON CONFLICT (item_id) DO NOTHING
            """)
    }

    /// Adds the items of a batch in one statement, each once.
    func add(_ items: [NewItem], on session: any SQLSession) async throws {
        guard !items.isEmpty else { return }
        try await session.execute(
            """
            INSERT INTO notify_inbox (item_id, recipient_id, kind, title, body, urgent, ticket_id, customer_id)
            SELECT * FROM unnest(\(items.map(\.itemId))::text[], \(items.map(\.recipientId))::text[],
                \(items.map(\.kind))::text[], \(items.map(\.title))::text[], \(items.map(\.body))::text[],
                \(items.map(\.urgent))::boolean[], \(items.map(\.ticketId))::text[], \(items.map(\.customerId))::text[])
            ON CONFLICT (item_id) DO NOTHING
            """)
    }

    struct NewItem: Sendable {
        var itemId: String
        var recipientId: String
        var kind: String
        var title: String
        var body: String
        var urgent: Bool
        var ticketId: String?
        var customerId: String?
    }

    func list(recipientId: String, limit: Int, unreadOnly: Bool) async throws -> [InboxItem] {
        let rows = try await store.rows(
            """
            SELECT item_id, kind, title, body, urgent, ticket_id, customer_id, created_at, read_at
            FROM notify_inbox WHERE recipient_id = \(recipientId) AND (NOT \(unreadOnly) OR read_at IS NULL)
            ORDER BY created_at DESC, item_id DESC LIMIT \(limit)
            """, as: String.self, String.self, String.self, String.self, Bool.self, String?.self, String?.self, Date.self, Date?.self)
        return rows.map {
            InboxItem(itemId: $0.0, kind: $0.1, title: $0.2, body: $0.3, urgent: $0.4, ticketId: $0.5, customerId: $0.6,
                      createdAt: $0.7, readAt: $0.8)
        }
    }

    func unread(recipientId: String) async throws -> Int {
        try await store.rows(
            "SELECT count(*)::integer FROM notify_inbox WHERE recipient_id = \(recipientId) AND read_at IS NULL",
            as: Int.self).first ?? 0
    }

    /// - Returns: whether the item exists and is the person's.
    func markRead(itemId: String, recipientId: String) async throws -> Bool {
        try await store.execute(
            """
            UPDATE notify_inbox SET read_at = coalesce(read_at, now())
            WHERE item_id = \(itemId) AND recipient_id = \(recipientId) RETURNING 1
            """) > 0
    }
}

/// `GET /v1/inbox`, `GET /v1/inbox/unread-count`, `POST /v1/inbox/{itemId}/read`: the
/// bearer token names the person, who sees only their own inbox.
struct InboxController<Context: RequestContext>: Sendable {
    let inbox: InboxRepository
    let recipients: RecipientRepository

    func addRoutes(to router: Router<Context>) {
        router.get("/v1/inbox") { request, _ in
            try await self.authorised(request) { person in
                var limit = 50
                if let text = request.uri.queryParameters["limit"] {
                    guard let value = Int(String(text)), (1...200).contains(value) else {
                        return Self.problem(400, "invalid query", "limit must be an integer from 1 to 200 (got \"\(text)\")")
                    }
                    limit = value
                }
                var unreadOnly = false
                if let text = request.uri.queryParameters["unread"] {
                    guard text == "true" || text == "false" else {
                        return Self.problem(400, "invalid query", "unread must be true or false (got \"\(text)\")")
                    }
                    unreadOnly = text == "true"
                }
                let items = try await inbox.list(recipientId: person, limit: limit, unreadOnly: unreadOnly)
                return HTTPResponses.json(InboxPage(items: items, unread: try await inbox.unread(recipientId: person)))
            }
        }
        router.get("/v1/inbox/unread-count") { request, _ in
            try await self.authorised(request) { person in
                HTTPResponses.json(UnreadCount(unread: try await inbox.unread(recipientId: person)))
            }
        }
        router.post("/v1/inbox/:itemId/read") { request, context in
            let itemId = context.parameters.get("itemId") ?? ""
            return try await self.authorised(request) { person in
                guard try await inbox.markRead(itemId: itemId, recipientId: person) else {
                    return Self.problem(404, "not found", "no inbox item \(itemId) for this person")
                }
                return Response(status: .noContent)
            }
        }
    }

    private func authorised(_ request: Request, _ body: (String) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            return Self.problem(401, "unauthorized", "an Authorization: Bearer <token> header is required",
                                headers: [.wwwAuthenticate: "Bearer"])
        }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        let digest = SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
        guard !token.isEmpty, let person = try await recipients.person(tokenSHA256: digest) else {
            return Self.problem(401, "unauthorized", "the token belongs to nobody", headers: [.wwwAuthenticate: "Bearer"])
        }
        return try await body(person)
    }

    static func problem(_ status: Int, _ title: String, _ detail: String, headers: HTTPFields = [:]) -> Response {
        HTTPResponses.problem(Problem(type: "about:blank", title: title, status: status, detail: detail), headers: headers)
    }
}
