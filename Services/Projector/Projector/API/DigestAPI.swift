import Foundation
import Hummingbird
import VOCRuntime
import VOCSchema

/// The digest and the recordings on the read API (docs/read-openapi.yaml, tag `digest`),
/// behind the same bearer tokens and scopes as the rest of it.
public struct DigestAPI<Context: RequestContext>: Sendable {
    public let auth: ReadAuth
    public let digests: DigestRepository
    public let recordings: RecordingResponder
    public let timeZone: TimeZone
    /// `projector.digestSize`: complaints per business line unless `limit` says otherwise.
    public let size: Int

    public init(auth: ReadAuth, digests: DigestRepository, recordings: RecordingResponder, timeZone: TimeZone, size: Int) {
        self.auth = auth
        self.digests = digests
        self.recordings = recordings
        self.timeZone = timeZone
        self.size = size
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/v1/digest") { request, _ in
            try await auth.authenticated(request) { caller in
                try await digest(request, caller) { HTTPResponses.json($0) }
            }
        }
        router.get("/v1/digest.csv") { request, _ in
            try await auth.authenticated(request) { caller in
                try await digest(request, caller) { digest in
                    Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                    .contentDisposition: "attachment; filename=\"voc-digest-\(digest.month).csv\""],
                             body: .init(byteBuffer: ByteBuffer(string: DigestCSV.render(digest))))
                }
            }
        }
        router.get("/v1/recordings/:interactionId") { request, context in
            try await auth.authenticated(request) { caller in
                var query = QueryReader(request)
                let id = query.pathIdentifier("interactionId", context)
                if let problem = query.problem("recording") { return problem }
                return try await recordings.respond(request, interactionId: id, scope: caller.customerScope)
            }
        }
    }

    /// The digest a request asks for, within the caller's scope, or the `422` naming the bad parameters.
    func digest(_ request: Request, _ caller: ReadToken, _ answer: (Digest) -> Response) async throws -> Response {
        var query = QueryReader(request)
        let businessLine = query.identifier("businessLine", maxLength: 64)
        let limit = query.integer("limit", in: 1...50, default: size)
        var problems = query.check.problems
        var month = Month.current(timeZone)
        if let text = query.text("month") {
            if let asked = Month(text, timeZone: timeZone) { month = asked } else {
                problems.append(FieldProblem(field: "month", problem: "must be a month YYYY-MM (got \"\(text)\")"))
            }
        }
        if !problems.isEmpty {
            return HTTPResponses.problem(Problem(validation: ValidationError(kind: .invalid, problems: problems), subject: "digest query"))
        }
        return answer(try await digests.digest(month: month, businessLine: businessLine, scope: caller.customerScope, perLine: limit))
    }
}

extension ReadAuth {
    /// Runs `body` for the verified caller, or answers the `401`.
    func authenticated(_ request: Request, _ body: (ReadToken) async throws -> Response) async throws -> Response {
        switch authenticate(request) {
        case .caller(let caller): return try await body(caller)
        case .refused(let response): return response
        }
    }
}
