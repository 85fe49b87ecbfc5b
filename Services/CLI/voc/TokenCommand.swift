import ArgumentParser
import Foundation
import Projector
import VOCRuntime

/// `voc token create`: a signed read-API token, as an SSO front would mint one.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Issue read-API tokens (HS256 JWTs; claims in docs/read-models.md).", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a signed read token.",
            discussion: """
                The secret is projector.tokenSecret (VOC_PROJECTOR_TOKEN_SECRET), else the file voc up \
                keeps it in (--secret-file).
                """)

        @Option(help: "The person: an advisor or relationship-manager id as the CRM names them, a staff id otherwise.")
        var subject: String

        @Option(help: "advisor, relationship_manager, department_staff, manager or admin.")
        var role: String

        @Option(help: "The department (required for department_staff).")
        var department: String?

        @Flag(help: "May see sensitive profile facts (health).")
        var sensitive = false

        @Option(help: "Seconds until it expires.")
        var ttl: Int = 8 * 3600

        @Option(help: "File holding the secret, written by voc up.")
        var secretFile: String = ".voc/read-token-secret"

        @Flag(help: "Print a console sign-in link instead of the bare token (the token rides after '#', which browsers keep out of requests and logs).")
        var link = false

        @Option(help: "Base URL of the projector, for --link.")
        var consoleURL: String = "http://127.0.0.1:8081"

        func run() async throws {
            guard let role = ReadToken.Role(rawValue: role) else {
                throw ValidationError("--role must be one of \(ReadToken.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if role == .departmentStaff && (department ?? "").isEmpty { throw ValidationError("--department is required for department_staff") }
            guard ttl > 0 else { throw ValidationError("--ttl must be positive") }
            let reader = try await Settings.reader()
            var secret = reader.string(forKey: "projector.tokenSecret", isSecret: true, default: "")
            if secret.isEmpty {
                secret = (try? String(contentsOfFile: secretFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            }
            guard !secret.isEmpty else {
                throw ValidationError("no secret: set VOC_PROJECTOR_TOKEN_SECRET or start voc up (it writes \(secretFile))")
            }
            do {
                let key = try ReadTokenKey(secret: secret, issuer: reader.string(forKey: "projector.tokenIssuer", default: "voc"))
                let token = try key.sign(ReadToken(subject: subject, role: role, department: department, sensitive: sensitive,
                                                   expiresAt: Date().addingTimeInterval(Double(ttl))))
                print(link ? Self.signInLink(base: consoleURL, token: token) : token)
            } catch let error as ReadTokenError {
                throw ValidationError(error.message)
            }
        }

        /// The console's sign-in page with the token in the fragment, which its script posts.
        static func signInLink(base: String, token: String) -> String {
            var base = base
            while base.hasSuffix("/") { base.removeLast() }
            return base + "/console/sign-in#token=" + token
        }
    }
}

/// The secret `voc up` signs read tokens with, kept in its folder so `voc token create`
/// and a restart find the same one.
enum DevelopmentTokenSecret {
    /// - Returns: the secret file and the secret.
    static func ensure(in folder: URL) throws -> (file: String, secret: String) {
        let file = folder.appendingPathComponent("read-token-secret").path
        if let secret = try? String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           secret.utf8.count >= ReadTokenKey.minimumSecretBytes {
            return (file, secret)
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        guard FileManager.default.createFile(atPath: file, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write the read-token secret to \(file)")
        }
        return (file, secret)
    }
}
