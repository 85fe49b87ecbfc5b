import Foundation
import Hummingbird
import VOCRuntime
import VOCStore

/// The read API of docs/read-openapi.yaml: every route authenticates the bearer token,
/// then asks a repository within the caller's scope. A customer the caller may not see
/// answers `404`, exactly as one that does not exist.
public struct ReadAPI<Context: RequestContext>: Sendable {
    public let auth: ReadAuth
    public let customers: CustomerRepository
    public let timeline: TimelineRepository
    public let tickets: TicketQueueRepository
    public let scorecards: ScorecardRepository
    public let trends: TrendRepository
    /// The zone of the days in trends, clusters and scorecard periods.
    public let timeZone: TimeZone
    /// How close to its due time an open ticket counts as `due_soon`.
    public let dueSoon: TimeInterval

    public init(store: Store, auth: ReadAuth, timeZone: TimeZone, dueSoon: TimeInterval) {
        self.auth = auth
        customers = CustomerRepository(store: store)
        timeline = TimelineRepository(store: store)
        tickets = TicketQueueRepository(store: store)
        scorecards = ScorecardRepository(store: store)
        trends = TrendRepository(store: store)
        self.timeZone = timeZone
        self.dueSoon = dueSoon
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/v1/me") { request, _ in
            try await self.authenticated(request) { caller in
                HTTPResponses.json(Principal(subject: caller.subject, role: caller.role.rawValue, department: caller.department,
                                             sensitive: caller.sensitive, expiresAt: caller.expiresAt))
            }
        }
        router.get("/v1/customers") { request, _ in try await self.authenticated(request) { try await self.listCustomers(request, $0) } }
        router.get("/v1/customers/:customerId") { request, context in
            try await self.authenticated(request) { try await self.customer(request, context, $0) }
        }
        router.get("/v1/customers/:customerId/timeline") { request, context in
            try await self.authenticated(request) { try await self.timelinePage(request, context, $0) }
        }
        router.get("/v1/ticket-queue") { request, _ in try await self.authenticated(request) { try await self.queue(request, $0) } }
        router.get("/v1/scorecards") { request, _ in try await self.authenticated(request) { try await self.listScorecards(request, $0) } }
        router.get("/v1/scorecards/:agentId") { request, context in
            try await self.authenticated(request) { try await self.scorecard(request, context, $0) }
        }
        router.get("/v1/trends") { request, _ in try await self.authenticated(request) { try await self.trendSeries(request, $0) } }
        router.get("/v1/clusters") { request, _ in try await self.authenticated(request) { try await self.clusterList(request, $0) } }
    }

    func authenticated(_ request: Request, _ body: (ReadToken) async throws -> Response) async throws -> Response {
        switch auth.authenticate(request) {
        case .caller(let caller): return try await body(caller)
        case .refused(let response): return response
        }
    }
}

/// The caller as `/v1/me` reports them.
struct Principal: Codable, Sendable {
    var subject: String
    var role: String
    var department: String?
    var sensitive: Bool
    var expiresAt: Date
}
