import Foundation
import Hummingbird
import VOCRuntime

extension ReadAPI {
    func listCustomers(_ request: Request, _ caller: ReadToken) async throws -> Response {
        var query = QueryReader(request)
        let businessLine = query.identifier("businessLine", maxLength: 64)
        let risk = query.number("minComplaintRisk", in: 0...1)
        let limit = query.limit()
        let cursor = query.cursor(parts: 1)
        if let problem = query.problem("customer query") { return problem }
        return HTTPResponses.json(try await customers.list(scope: caller.customerScope, businessLine: businessLine,
                                                           minComplaintRisk: risk, limit: limit, after: cursor))
    }

    func customer(_ request: Request, _ context: Context, _ caller: ReadToken) async throws -> Response {
        var query = QueryReader(request)
        let id = query.pathIdentifier("customerId", context)
        if let problem = query.problem("customer") { return problem }
        guard let customer = try await customers.customer(id, scope: caller.customerScope, sensitive: caller.sensitive,
                                                          dueSoon: dueSoon) else {
            return ReadAuth.notFound("customer \(id)")
        }
        return HTTPResponses.json(customer)
    }

    func timelinePage(_ request: Request, _ context: Context, _ caller: ReadToken) async throws -> Response {
        var query = QueryReader(request)
        let id = query.pathIdentifier("customerId", context)
        let limit = query.limit()
        let cursor = query.cursor(parts: 2)
        if let problem = query.problem("timeline query") { return problem }
        guard let page = try await timeline.page(customerId: id, scope: caller.customerScope, limit: limit, after: cursor) else {
            return ReadAuth.notFound("customer \(id)")
        }
        return HTTPResponses.json(page)
    }
}
