import Foundation
import Hummingbird

/// Cookies as the console reads and writes them.
enum ConsoleCookies {
    /// The value of cookie `name`, from every `Cookie` field of the request.
    static func value(_ name: String, in request: Request) -> String? {
        for field in request.headers[values: .cookie] {
            for pair in field.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }
}

/// Signing in to the console: the read token itself is the session, kept in a cookie that
/// scripts cannot read (`HttpOnly`) and other sites cannot send (`SameSite=Strict`). The
/// cookie is verified on every request exactly as the read API verifies a bearer token, so
/// an expired or forged one is refused the same way.
struct ConsoleSession: Sendable {
    static let cookie = "voc_console"

    let key: ReadTokenKey
    /// Add `Secure` (the console is behind HTTPS).
    let secure: Bool

    enum Outcome {
        case caller(ReadToken)
        /// No cookie: never signed in.
        case none
        /// A cookie that does not verify (expired, forged, another secret).
        case refused(ReadTokenError)
    }

    func caller(_ request: Request, now: Date = Date()) -> Outcome {
        guard let token = ConsoleCookies.value(Self.cookie, in: request), !token.isEmpty else { return .none }
        do {
            return .caller(try key.verify(token, now: now))
        } catch {
            return .refused(error)
        }
    }

    /// The `Set-Cookie` value that signs `token` in until it expires.
    func signIn(_ compact: String, expiresAt: Date, now: Date = Date()) -> String {
        let seconds = max(0, Int(expiresAt.timeIntervalSince(now)))
        return "\(Self.cookie)=\(compact); Path=/console; Max-Age=\(seconds); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that signs out.
    func signOut() -> String {
        "\(Self.cookie)=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// Where to go after signing in: a console path only, so a crafted link cannot send the
    /// person elsewhere.
    static func destination(_ next: String?) -> String {
        guard let next, next.hasPrefix("/console/"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return "/console/customers" }
        return next
    }
}
