import Foundation
import HTTPTypes
import Hummingbird

extension Console {
    func signInForm(_ request: Request, status: HTTPResponse.Status = .ok, failure: String? = nil) -> Response {
        let (language, chosen) = ConsoleLanguage.of(request)
        let next = request.uri.queryParameters["next"].map(String.init)
        var context: [String: Any] = ["next": ConsoleSession.destination(next)]
        if request.uri.queryParameters["expired"] != nil { context["notice"] = language.word("signedOutExpired") }
        if let failure { context["failure"] = failure }
        return renderer.page("sign-in", context, title: language.word("signIn"), caller: nil, language: language,
                             path: request.uri.description, status: status, headers: chosen ? [language.keepingCookie] : [])
    }

    /// Verifies a pasted token as the read API would and keeps it in the session cookie.
    func signIn(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let form = Self.formFields(String(buffer: body))
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { return signInForm(request, status: .badRequest, failure: "token: paste a read token") }
        do {
            let caller = try session.key.verify(token)
            return Self.redirect(ConsoleSession.destination(form["next"]),
                                 headers: [HTTPField(name: .setCookie, value: session.signIn(token, expiresAt: caller.expiresAt))])
        } catch {
            return signInForm(request, status: .unauthorized, failure: "token: \(error.message)")
        }
    }

    /// The fields of an `application/x-www-form-urlencoded` body.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let name = parts.first { fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }
}
