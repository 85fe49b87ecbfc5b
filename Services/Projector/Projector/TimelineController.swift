import Foundation
import Hummingbird
import VOCRuntime
import VOCSchema

/// `GET /v1/customers/{id}/timeline?limit=&cursor=`: a customer's contacts, newest first.
struct TimelineController<Context: RequestContext>: Sendable {
    let repository: TimelineRepository

    func addRoutes(to router: Router<Context>) {
        router.get("/v1/customers/:customerId/timeline") { request, context in
            try await self.timeline(request, context: context)
        }
    }

    func timeline(_ request: Request, context: Context) async throws -> Response {
        let customerId = context.parameters.get("customerId") ?? ""
        var check = FieldChecker()
        check.identifier(customerId, "customerId")
        var limit = 50
        if let text = request.uri.queryParameters["limit"] {
            if let value = Int(String(text)), (1...200).contains(value) {
                limit = value
            } else {
                check.fail("limit", "must be an integer from 1 to 200 (got \"\(text)\")")
            }
        }
        var cursor: TimelineCursor?
        if let text = request.uri.queryParameters["cursor"] {
            cursor = TimelineCursor(String(text))
            if cursor == nil { check.fail("cursor", "must be a nextCursor value from a previous page") }
        }
        if !check.problems.isEmpty {
            return HTTPResponses.problem(Problem(validation: ValidationError(kind: .invalid, problems: check.problems),
                                                 subject: "timeline query"))
        }
        let page = try await repository.page(customerId: customerId, limit: limit, after: cursor)
        return HTTPResponses.json(page)
    }
}
