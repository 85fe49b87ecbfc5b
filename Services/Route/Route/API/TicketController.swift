import Foundation
import Hummingbird
import VOCRuntime
import VOCSchema

/// The departments' ticket API:
/// `GET /v1/tickets`, `GET /v1/tickets/{id}` (with history and an `ETag`), and
/// `POST /v1/tickets/{id}/{action}` (assign, start, wait, resume, resolve, confirm,
/// reopen, close, escalate, comment), which needs `If-Match` with the ETag read: a
/// stale one is `412`, none is `428`. With department tokens configured, every request
/// needs `Authorization: Bearer <token>` and sees its department's tickets only.
struct TicketController<Context: RequestContext>: Sendable {
    let service: TicketService
    /// Token → department (`*`: all); empty: open.
    let tokens: [String: String]

    /// Which tickets a request may see.
    enum Scope {
        case all
        case department(String)
        case refused(Response)

        func allows(_ department: String) -> Bool {
            switch self {
            case .all: true
            case .department(let own): own == department
            case .refused: false
            }
        }
    }

    func scope(_ request: Request) -> Scope {
        guard !tokens.isEmpty else { return .all }
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), let department = Self.department(of: String(header.dropFirst(7)), in: tokens) else {
            return .refused(HTTPResponses.problem(
                Problem(type: "/problems/unauthorized", title: "Department token required", status: 401,
                        detail: "send Authorization: Bearer <department token>"),
                headers: [.wwwAuthenticate: "Bearer"]))
        }
        return department == "*" ? .all : .department(department)
    }

    /// The department of `token`: every configured token is compared, each in constant
    /// time, so how long a refusal takes tells nothing about how close a guess came.
    static func department(of token: String, in tokens: [String: String]) -> String? {
        var found: String?
        for (candidate, department) in tokens where ConstantTime.equals(candidate, token) { found = department }
        return found
    }

    struct TicketPage: Codable, Sendable {
        var tickets: [Ticket]
    }

    struct TicketDetail: Codable, Sendable {
        var ticket: Ticket
        var history: [TicketEvent]
    }

    struct ActionBody: Codable, Sendable {
        var assigneeId: String?
        var resolutionCode: String?
        var reason: String?
        var text: String?
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/v1/tickets") { request, _ in try await self.list(request) }
        router.get("/v1/tickets/:ticketId") { request, context in
            try await self.get(context.parameters.get("ticketId") ?? "", scope: self.scope(request))
        }
        router.post("/v1/tickets/:ticketId/:action") { request, context in
            try await self.act(request, ticketId: context.parameters.get("ticketId") ?? "",
                               action: context.parameters.get("action") ?? "")
        }
    }

    func list(_ request: Request) async throws -> Response {
        let scope = scope(request)
        if case .refused(let response) = scope { return response }
        var check = FieldChecker()
        var limit = 50
        if let text = request.uri.queryParameters["limit"] {
            if let value = Int(String(text)), (1...500).contains(value) { limit = value } else {
                check.fail("limit", "must be an integer from 1 to 500 (got \"\(text)\")")
            }
        }
        let status = request.uri.queryParameters["status"].map(String.init)
        if let status, !TicketEvent.Status(rawValue: status).isKnown {
            check.fail("status", "must be one of \(TicketEvent.Status.knownList) (got \"\(status)\")")
        }
        if !check.problems.isEmpty {
            return HTTPResponses.problem(Problem(validation: ValidationError(kind: .invalid, problems: check.problems),
                                                 subject: "ticket query"))
        }
        var department = request.uri.queryParameters["department"].map(String.init)
        if case .department(let own) = scope {
            if let department, department != own {
                return HTTPResponses.problem(Problem(type: "/problems/forbidden", title: "Other department", status: 403,
                                                     detail: "this token sees the tickets of \(own) only"))
            }
            department = own
        }
        return HTTPResponses.json(TicketPage(tickets: try await service.list(department: department, status: status, limit: limit)))
    }

    func get(_ ticketId: String, scope: Scope) async throws -> Response {
        if case .refused(let response) = scope { return response }
        // Another department's ticket is answered as if it did not exist.
        guard let ticket = try await service.ticket(ticketId), scope.allows(ticket.department) else {
            return Self.problem(RouteError(.notFound, "ticket \(ticketId) does not exist"))
        }
        let detail = TicketDetail(ticket: ticket, history: try await service.history(ticketId))
        return HTTPResponses.json(detail, headers: [.eTag: Self.etag(ticket.version)])
    }

    func act(_ request: Request, ticketId: String, action name: String) async throws -> Response {
        let scope = scope(request)
        if case .refused(let response) = scope { return response }
        guard let current = try await service.ticket(ticketId), scope.allows(current.department) else {
            return Self.problem(RouteError(.notFound, "ticket \(ticketId) does not exist"))
        }
        guard let match = request.headers[.ifMatch] else {
            return HTTPResponses.problem(Problem(type: "/problems/precondition-required", title: "If-Match required", status: 428,
                                                 detail: "send If-Match with the ETag of GET /v1/tickets/\(ticketId)"))
        }
        guard let version = Self.version(ofETag: match) else {
            return HTTPResponses.problem(Problem(type: "/problems/invalid-fields", title: "Invalid If-Match", status: 400,
                                                 detail: "If-Match must be an ETag this API sent, e.g. \"3\"",
                                                 errors: [FieldProblem(field: "If-Match", problem: "is not an ETag of a ticket")]))
        }
        let bytes = try await request.body.collect(upTo: 64 * 1024)
        let body: ActionBody
        do {
            body = bytes.readableBytes == 0 ? ActionBody() : try JSONCoding.decode(ActionBody.self, from: Array(bytes.readableBytesView))
        } catch {
            return HTTPResponses.problem(Problem(validation: error, subject: "ticket action"))
        }
        let action: TicketAction
        switch Self.action(name, body) {
        case .action(let value): action = value
        case .problem(let problem): return HTTPResponses.problem(problem)
        }
        do {
            let ticket = try await service.apply(action, to: ticketId, expectedVersion: version)
            return HTTPResponses.json(ticket, headers: [.eTag: Self.etag(ticket.version)])
        } catch let error as RouteError {
            return Self.problem(error)
        }
    }

    enum Parsed {
        case action(TicketAction)
        case problem(Problem)
    }

    static func action(_ name: String, _ body: ActionBody) -> Parsed {
        func missing(_ field: String) -> Parsed {
            .problem(Problem(validation: ValidationError(kind: .invalid, problems: [FieldProblem(field: field, problem: "is required for \(name)")]),
                             subject: "ticket action"))
        }
        switch name {
        case "assign": return body.assigneeId.map { .action(.assign($0)) } ?? missing("assigneeId")
        case "start": return .action(.start)
        case "wait": return .action(.waitOnCustomer)
        case "resume": return .action(.resume)
        case "resolve": return body.resolutionCode.map { .action(.resolve(code: $0)) } ?? missing("resolutionCode")
        case "confirm": return .action(.confirm)
        case "reopen": return .action(.reopen(reason: body.reason ?? "reopened"))
        case "close": return .action(.close)
        case "escalate": return body.reason.map { .action(.escalate(reason: $0)) } ?? missing("reason")
        case "comment": return body.text.map { .action(.comment($0)) } ?? missing("text")
        default:
            return .problem(Problem(type: "/problems/not-found", title: "No such action", status: 404,
                                    detail: "\(name) is not one of assign, start, wait, resume, resolve, confirm, reopen, close, escalate, comment"))
        }
    }

    static func problem(_ error: RouteError) -> Response {
        switch error.code {
        case .notFound:
            HTTPResponses.problem(Problem(type: "/problems/not-found", title: "Ticket not found", status: 404, detail: error.message))
        case .conflict:
            HTTPResponses.problem(Problem(type: "/problems/stale-etag", title: "Ticket changed", status: 412,
                                          detail: error.message + "; read it again and retry"))
        default:
            HTTPResponses.problem(Problem(type: "/problems/invalid-transition", title: "Transition not allowed", status: 409,
                                          detail: error.message))
        }
    }

    static func etag(_ version: Int) -> String { "\"\(version)\"" }

    static func version(ofETag text: String) -> Int? {
        var tag = Substring(text.trimmingCharacters(in: .whitespaces))
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        guard tag.count >= 3, tag.first == "\"", tag.last == "\"" else { return nil }
        return Int(tag.dropFirst().dropLast())
    }
}
