import Foundation
import Hummingbird
import VOCRuntime

/// Turns a request's bearer token into the caller, or the `401` that refuses it.
public struct ReadAuth: Sendable {
    public let key: ReadTokenKey

    public init(key: ReadTokenKey) {
        self.key = key
    }

    public enum Outcome: Sendable {
        case caller(ReadToken)
        case refused(Response)
    }

    public func authenticate(_ request: Request, now: Date = Date()) -> Outcome {
        guard let header = request.headers[.authorization] else {
            return .refused(Self.unauthorized("send Authorization: Bearer <token> (voc token create issues one)"))
        }
        guard header.lowercased().hasPrefix("bearer ") else {
            return .refused(Self.unauthorized("the Authorization header must be Bearer <token>"))
        }
        do {
            return .caller(try key.verify(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces), now: now))
        } catch {
            return .refused(Self.unauthorized(error.message))
        }
    }

    static func unauthorized(_ detail: String) -> Response {
        HTTPResponses.problem(
            Problem(type: "/problems/unauthorized", title: "Valid read token required", status: 401, detail: detail),
            headers: [.wwwAuthenticate: "Bearer realm=\"voc-read\", error=\"invalid_token\""])
    }

    static func forbidden(_ detail: String) -> Response {
        HTTPResponses.problem(Problem(type: "/problems/forbidden", title: "Not allowed for this role", status: 403, detail: detail))
    }

    static func notFound(_ what: String) -> Response {
        HTTPResponses.problem(Problem(type: "/problems/not-found", title: "Not found", status: 404, detail: "\(what) does not exist"))
    }
}
