import Foundation
import HTTPTypes
import Hummingbird
import VOCRuntime
import VOCSchema
import VOCStore

/// The console: server-rendered pages over the read models, for people rather than
/// programs. A page asks the same repositories as the read API with the same scopes from
/// the same verified token (kept in a cookie), so a role sees exactly what its API calls
/// would return. Pages are listed in docs/console.md.
public struct Console<Context: RequestContext>: Sendable {
    let session: ConsoleSession
    let renderer: ConsoleRenderer
    let customers: CustomerRepository
    let timeline: TimelineRepository
    let tickets: TicketQueueRepository
    let scorecards: ScorecardRepository
    let trends: TrendRepository
    let digest: DigestAPI<Context>
    let recordings: RecordingResponder
    let timeZone: TimeZone
    let dueSoon: TimeInterval

    /// - Parameters:
    ///   - timeZone: the zone of the days in trends, scorecard periods and digest months.
    ///   - dueSoon: how close to its due time an open ticket is `due_soon`.
    ///   - digestSize: complaints per business line in the digest.
    ///   - secureCookie: mark the session cookie `Secure`.
    /// - Throws: ``ConsoleError`` when a bundled template is missing or does not parse.
    public init(store: Store, key: ReadTokenKey, recordings: RecordingResponder, timeZone: TimeZone, dueSoon: TimeInterval,
                digestSize: Int, secureCookie: Bool) throws(ConsoleError) {
        session = ConsoleSession(key: key, secure: secureCookie)
        renderer = try ConsoleRenderer()
        customers = CustomerRepository(store: store)
        timeline = TimelineRepository(store: store)
        tickets = TicketQueueRepository(store: store)
        scorecards = ScorecardRepository(store: store)
        trends = TrendRepository(store: store)
        digest = DigestAPI(auth: ReadAuth(key: key), digests: DigestRepository(store: store), recordings: recordings,
                           timeZone: timeZone, size: digestSize)
        self.recordings = recordings
        self.timeZone = timeZone
        self.dueSoon = dueSoon
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/console") { _, _ in Self.redirect("/console/customers") }
        router.get("/console/assets/console.css") { _, _ in renderer.asset("console.css") }
        router.get("/console/assets/console.js") { _, _ in renderer.asset("console.js") }
        router.get("/console/sign-in") { request, _ in signInForm(request) }
        router.post("/console/sign-in") { request, _ in try await signIn(request) }
        router.post("/console/sign-out") { _, _ in
            Self.redirect("/console/sign-in", headers: [HTTPField(name: .setCookie, value: session.signOut())])
        }
        router.get("/console/customers") { request, _ in try await page(request, "customers") { try await customerList(request, $0) } }
        router.get("/console/customers/:customerId") { request, context in
            try await page(request, "customers") { try await customerPage(request, context, $0) }
        }
        router.get("/console/tickets") { request, _ in try await page(request, "tickets") { try await ticketQueue(request, $0) } }
        router.get("/console/scorecards") { request, _ in try await page(request, "scorecards") { try await scorecardPage(request, $0) } }
        router.get("/console/trends") { request, _ in try await page(request, "trends") { try await trendPage(request, $0) } }
        router.get("/console/digest") { request, _ in try await page(request, "digest") { try await digestPage(request, $0) } }
        // Exports and recordings answer what the read API answers, to the cookie's caller.
        router.get("/console/digest.json") { request, _ in
            try await call(request) { caller in try await digest.digest(request, caller) { HTTPResponses.json($0) } }
        }
        router.get("/console/digest.csv") { request, _ in
            try await call(request) { caller in
                try await digest.digest(request, caller) { result in
                    Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                    .contentDisposition: "attachment; filename=\"voc-digest-\(result.month).csv\""],
                             body: .init(byteBuffer: ByteBuffer(string: DigestCSV.render(result))))
                }
            }
        }
        router.get("/console/recordings/:interactionId") { request, context in
            try await call(request) { caller in
                var query = QueryReader(request)
                let id = query.pathIdentifier("interactionId", context)
                if let problem = query.problem("recording") { return problem }
                return try await recordings.respond(request, interactionId: id, scope: caller.customerScope)
            }
        }
    }

    /// Who is looking at a page, in which language.
    struct Visit {
        let caller: ReadToken
        let language: ConsoleLanguage
        let format: ConsoleFormat
        /// The page's path and query, for links back to it.
        let path: String
        let section: String
    }

    /// Runs a page for the signed-in caller; anyone else is sent to sign in, and comes back
    /// here afterwards.
    func page(_ request: Request, _ section: String, _ body: (Visit) async throws -> Response) async throws -> Response {
        let (language, chosen) = ConsoleLanguage.of(request)
        let path = request.uri.description
        // A filter form sends its empty fields too; they mean "any", so drop them from the address.
        if var components = URLComponents(string: path), let items = components.queryItems,
           items.contains(where: { ($0.value ?? "").isEmpty }) {
            components.queryItems = items.filter { !($0.value ?? "").isEmpty }
            if components.queryItems?.isEmpty == true { components.queryItems = nil }
            return Self.redirect(components.string ?? request.uri.path)
        }
        switch session.caller(request) {
        case .caller(let caller):
            var response = try await body(Visit(caller: caller, language: language, format: ConsoleFormat(timeZone: timeZone, language: language),
                                                path: path, section: section))
            if chosen { response.headers.append(language.keepingCookie) }
            return response
        case .none:
            return Self.redirect(ConsoleRenderer.link("/console/sign-in", setting: "next", to: path))
        case .refused:
            // The cookie no longer verifies (expired, or signed with another secret): drop it.
            return Self.redirect(ConsoleRenderer.link(ConsoleRenderer.link("/console/sign-in", setting: "next", to: path),
                                                      setting: "expired", to: "1"),
                                 headers: [HTTPField(name: .setCookie, value: session.signOut())])
        }
    }

    /// Runs a non-page request (export, recording) for the signed-in caller; `401` otherwise.
    func call(_ request: Request, _ body: (ReadToken) async throws -> Response) async throws -> Response {
        switch session.caller(request) {
        case .caller(let caller): return try await body(caller)
        case .none: return ReadAuth.unauthorized("sign in to the console first")
        case .refused(let error): return ReadAuth.unauthorized(error.message)
        }
    }

    static func redirect(_ location: String, headers: [HTTPField] = []) -> Response {
        var fields: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for field in headers { fields.append(field) }
        return Response(status: .seeOther, headers: fields)
    }

    /// An error page: what went wrong, and each bad parameter by name.
    func errorPage(_ visit: Visit, _ status: HTTPResponse.Status, title: String, detail: String,
                   problems: [FieldProblem] = []) -> Response {
        renderer.page("error", ["heading": title, "detail": detail, "hasProblems": !problems.isEmpty,
                                "problems": problems.map { ["field": $0.field, "problem": $0.problem] }],
                      title: title, section: visit.section, caller: visit.caller, language: visit.language, path: visit.path, status: status)
    }

    func notFound(_ visit: Visit) -> Response {
        errorPage(visit, .notFound, title: visit.language.word("notFound"), detail: visit.language.word("notFoundHelp"))
    }

    /// The `400` page when a query parameter is bad, or nil.
    func badQuery(_ visit: Visit, _ query: QueryReader) -> Response? {
        guard !query.check.problems.isEmpty else { return nil }
        return errorPage(visit, .badRequest, title: visit.language.word("badRequest"),
                         detail: query.check.problems.map(\.description).joined(separator: "; "), problems: query.check.problems)
    }

    func render(_ visit: Visit, _ template: String, _ context: [String: Any], title: String) -> Response {
        renderer.page(template, context, title: title, section: visit.section, caller: visit.caller, language: visit.language, path: visit.path)
    }
}
